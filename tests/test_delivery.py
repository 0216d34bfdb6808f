"""Delivery: Binder files and links, slide metadata, instructor notes and the course website.

Every check covers every notebook present in notebooks/, so a new lesson is checked without
editing this file. The browser check of JupyterLab and of the slideshows is tests/test_browser.py.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+)/([^/\s)]+)/([^/?\s)]+)\?urlpath=([^\s)]+)")
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
NOTES_SECTIONS = {  # heading (regex, case-insensitive) the instructor notes must have
    "timing": r"timing",
    "talking points": r"talking points",
    "answers": r"answers",
    "common mistakes": r"common (student )?mistakes",
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _binder_links(text: str) -> list[tuple[str, str, str, str]]:
    return BINDER.findall(text)


def _lab_path(urlpath: str) -> str:
    """`lab/tree/notebooks/00_welcome.ipynb` -> `notebooks/00_welcome.ipynb`."""
    assert urlpath.startswith("lab/tree/"), f"Binder link should open JupyterLab (urlpath=lab/tree/...), got {urlpath!r}"
    return urlpath.removeprefix("lab/tree/")


def _course_map_rows() -> list[str]:
    section = README.split("## Course map", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| #")]


# ---------------------------------------------------------------------------------------------
# Binder
# ---------------------------------------------------------------------------------------------


def test_binder_builds_environment_yml_and_runs_postbuild():
    assert (ROOT / "environment.yml").is_file(), "Binder builds the top-level environment.yml"
    for folder in ("binder", ".binder"):  # a binder/ folder would make Binder ignore the top level
        assert not (ROOT / folder).exists(), f"{folder}/ would override the top-level Binder files"
    env = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- python=3\.\d+\s*$", env, re.M), "environment.yml must pin Python (Binder's default differs)"
    for pin in ("jupyterlab==", "jupyterlab_rise==", "ipykernel=="):
        assert pin in env, f"environment.yml must pin {pin!r}"
    for tool in ("jupyter-book==", "playwright==", "pytest=="):  # students' image: no dev tools
        assert tool not in env, f"environment.yml is for students: {tool!r} belongs in requirements-dev.txt"
    post = ROOT / "postBuild"
    text = post.read_text()
    assert text.startswith("#!/"), "postBuild needs a shebang line"
    assert re.search(r"^set -e", text, re.M), "postBuild must stop on the first error (set -e)"
    assert "pip install --no-deps -e ." in text, "postBuild must install course_lib (Binder does not)"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    mode = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True).stdout
    assert not mode or mode.startswith("100755"), f"postBuild is not executable in git: {mode.strip()}"


def test_readme_badge_opens_lesson_00_in_jupyterlab():
    header = README.split("## ", 1)[0]
    links = _binder_links(header)
    assert links, "README needs a Binder badge above the first section"
    assert _lab_path(links[0][3]) == "notebooks/00_welcome.ipynb"


def test_all_binder_links_point_at_one_repository_and_existing_files():
    texts = {"README.md": README} | {f"notebooks/{p.name}": _source(_cells(p)[0]) for p in NOTEBOOKS}
    repos, missing = set(), []
    for where, text in texts.items():
        for org, repo, ref, urlpath in _binder_links(text):
            repos.add((org, repo, ref))
            target = _lab_path(urlpath)
            if not (ROOT / target).is_file():
                missing.append(f"{where}: {target}")
    assert len(repos) == 1, f"Binder links disagree on the repository/ref: {sorted(repos)}"
    assert not missing, f"Binder links to files that do not exist: {missing}"


def test_readme_relative_links_exist():
    targets = re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)", README)
    local = [t.split("#")[0] for t in targets if not re.match(r"^[a-z]+:|^#", t)]
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_course_map_row_links_and_launches_the_lesson(notebook: Path):
    rel = f"notebooks/{notebook.name}"
    rows = [row for row in _course_map_rows() if f"]({rel})" in row]
    assert len(rows) == 1, f"README's course map needs one row linking {rel}"
    launched = [_lab_path(urlpath) for *_, urlpath in _binder_links(rows[0])]
    assert launched == [rel], f"the course map row of {rel} must have a Binder link to it, has {launched}"
    number = notebook.name[:2]
    assert rows[0].startswith(f"| {number} |"), f"the row of {rel} should start with its number {number}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_minutes_agree_across_readme_title_cell_notes_and_lesson_00(notebook: Path):
    """The lesson's length is stated in four places; they must agree."""
    title = _source(_cells(notebook)[0])
    found = re.search(r"(\d+) min teaching, (\d+) min exercises", title)
    assert found, f"{notebook.name}: the title cell should state 'N min teaching, M min exercises'"
    minutes = int(found.group(1)) + int(found.group(2))
    number = notebook.name[:2]
    rows = [r for r in _course_map_rows() if r.startswith(f"| {number} |")]
    assert len(rows) == 1, f"README's course map has {len(rows)} rows numbered {number}: replace a '(planned)' row, do not add a second"
    row = rows[0]
    assert row.split("|")[4].strip() == str(minutes), f"README course map gives {row.split('|')[4].strip()} min for {number}, the notebook {minutes}"
    welcome = "\n".join(_source(c) for c in _cells(ROOT / "notebooks" / "00_welcome.ipynb"))  # a row may end a cell
    in_welcome = re.search(rf"^\| {number} \|[^\n]*\| (\d+) \|$", welcome, re.M)
    assert in_welcome and int(in_welcome.group(1)) == minutes, (
        f"edit the '| {number} |' row of the course-map table in notebooks/00_welcome.ipynb "
        f"(the cell 'The scenario') to {minutes} minutes, then `make outputs NB=notebooks/00_welcome.ipynb`"
    )
    notes = (ROOT / "instructors" / f"{notebook.stem}.md").read_text(encoding="utf-8")
    assert f"{minutes} minutes" in notes.split("\n## ", 1)[0], f"instructors/{notebook.stem}.md should say {minutes} minutes"
    teaching, exercises = _timing_split(notes)
    assert (teaching, exercises) == (int(found.group(1)), int(found.group(2))), (
        f"instructors/{notebook.stem}.md: the timing table gives {teaching} min teaching and {exercises} min "
        f"exercises (rows named 'Exercises ...' or naming a Qn count as exercises), the title cell "
        f"{found.group(1)} + {found.group(2)}"
    )


def _timing_split(notes: str) -> tuple[int, int]:
    """(teaching, exercise) minutes of the notes' timing table: a row whose section starts with
    'Exercise' or names a question (Q1, Q5 ...) counts as exercise time."""
    table = notes.split("## Timing", 1)[-1].split("\n## ", 1)[0]
    teaching = exercises = 0
    for section, minutes in re.findall(r"^\|([^|\n]+)\|\s*(\d+)\s*\|", table, re.M):
        if re.match(r"\s*Exercises?\b", section) or re.search(r"\bQ\d", section):
            exercises += int(minutes)
        else:
            teaching += int(minutes)
    return teaching, exercises


def test_timing_split_counts_exercise_rows():
    notes = "## Timing\n\n| Section | Minutes |\n|---|---|\n| Setup | 5 |\n| Exercises Q1-Q3 | 20 |\n| Q4 reflection | 5 |\n"
    assert _timing_split(notes) == (5, 25)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_title_cell_has_a_binder_badge_for_this_lesson(notebook: Path):
    title = _source(_cells(notebook)[0])
    assert title.startswith("# "), f"{notebook.name}: the first cell must be the title (a '# ' heading)"
    launched = [_lab_path(urlpath) for *_, urlpath in _binder_links(title)]
    assert launched == [f"notebooks/{notebook.name}"], f"{notebook.name}: title cell Binder badge opens {launched}"
    query = parse_qs(urlparse(BINDER.search(title).group(0)).query)
    assert query["urlpath"] == [f"lab/tree/notebooks/{notebook.name}"]


# ---------------------------------------------------------------------------------------------
# Slides (jupyterlab_rise reads metadata.slideshow.slide_type)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_cell_has_slide_metadata_and_headings_start_slides(notebook: Path):
    cells = _cells(notebook)
    kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cells]
    missing = [i for i, kind in enumerate(kinds) if kind is None]
    assert not missing, f"{notebook.name}: cells without metadata.slideshow.slide_type: {missing}"
    bad = {i: kind for i, kind in enumerate(kinds) if kind not in SLIDE_TYPES}
    assert not bad, f"{notebook.name}: unknown slide types {bad} (allowed: {sorted(SLIDE_TYPES)})"
    assert kinds[0] == "slide", f"{notebook.name}: the title cell must open the deck (slide_type 'slide')"
    wrong = []
    for i, (cell, kind) in enumerate(zip(cells, kinds)):
        first = _source(cell).lstrip().split("\n", 1)[0]
        if cell["cell_type"] != "markdown":
            continue
        if re.match(r"#{1,2} ", first) and kind != "slide":
            wrong.append(f"cell {i} {first[:40]!r} is {kind!r}, a # or ## heading starts a 'slide'")
        if first.startswith("### ") and kind not in {"slide", "subslide"}:
            wrong.append(f"cell {i} {first[:40]!r} is {kind!r}, a ### heading starts a 'subslide'")
    assert not wrong, f"{notebook.name}: " + "; ".join(wrong)
    assert kinds.count("slide") >= 3, f"{notebook.name}: a deck needs at least 3 slides, has {kinds.count('slide')}"


# ---------------------------------------------------------------------------------------------
# Instructor notes
# ---------------------------------------------------------------------------------------------


def _sections(markdown: str) -> dict[str, str]:
    """Heading (##/###, lower-case) -> text under it."""
    parts = re.split(r"^#{2,3} +(.+?)\s*$", markdown, flags=re.M)
    return {parts[i].strip().lower(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _exercises(notebook: Path) -> list[str]:
    """q1, q2, ... imported from course_lib.exercises.lessonNN in the notebook."""
    names: list[str] = []
    for cell in _cells(notebook):
        for match in re.finditer(r"from course_lib\.exercises\.lesson\d+ import ([\w, ()\n]+)", _source(cell)):
            names += [n for n in re.findall(r"\w+", match.group(1)) if re.fullmatch(r"q\d+", n)]
    return sorted(set(names), key=lambda n: int(n[1:]))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_instructor_notes_cover_the_lesson(notebook: Path):
    notes_path = ROOT / "instructors" / f"{notebook.stem}.md"
    assert notes_path.is_file(), f"{notebook.name} has no instructor notes at instructors/{notebook.stem}.md"
    notes = notes_path.read_text(encoding="utf-8")
    assert f"notebooks/{notebook.name}" in notes, f"{notes_path.name} should name its notebook"
    sections = _sections(notes)
    found = {}
    for name, pattern in NOTES_SECTIONS.items():
        matches = [h for h in sections if re.search(pattern, h)]
        assert matches, f"{notes_path.name} needs a '## ...' heading for {name}; headings: {list(sections)}"
        found[name] = sections[matches[0]]
        assert len(found[name].strip()) > 40, f"{notes_path.name}: the {name} section is (nearly) empty"
    assert re.search(r"^\|.*\|\s*$", found["timing"], re.M), f"{notes_path.name}: timing per section goes in a table"
    minutes = [int(m) for m in re.findall(r"^\|[^|\n]+\|\s*(\d+)\s*\|", found["timing"], re.M)]
    assert minutes and sum(minutes) > 0, f"{notes_path.name}: the timing table needs minutes per section"
    stated = re.search(r"(\d+) minutes", notes.split("\n## ", 1)[0])
    assert stated and sum(minutes) == int(stated.group(1)), (
        f"{notes_path.name}: the timing table adds up to {sum(minutes)} minutes, the notes state "
        f"{stated.group(1) if stated else 'no total'}"
    )
    unanswered = [q for q in _exercises(notebook) if not re.search(rf"\b{q}\b", found["answers"], re.I)]
    assert not unanswered, f"{notes_path.name}: no answer for {unanswered} under the answers heading"


def test_every_instructor_note_belongs_to_a_notebook():
    stems = {p.stem for p in NOTEBOOKS}
    course_wide = {"README.md", "assessment.md", "REFLECTION_RUBRIC.md"}  # about the whole course, not one lesson
    orphans = [p.name for p in (ROOT / "instructors").glob("*.md") if p.stem not in stems and p.name not in course_wide]
    assert not orphans, f"instructor notes without a notebook (renamed lesson?): {orphans}"


# ---------------------------------------------------------------------------------------------
# Course website (Jupyter Book 1, offline)
# ---------------------------------------------------------------------------------------------


def test_book_config_builds_offline_from_committed_outputs():
    config = (ROOT / "book" / "_config.yml").read_text()
    assert re.search(r"execute_notebooks:\s*[\"']?off", config), "the book must show committed outputs (execute off)"
    toc = (ROOT / "book" / "_toc.yml").read_text()
    assert "root: README" in toc and "glob: notebooks/[0-9]*" in toc, "home page is the course map; every lesson is a chapter"
    gitignore = (ROOT / ".gitignore").read_text().split()
    assert "_build/" in gitignore, "the book is built into the ignored _build/ folder"


@pytest.mark.book
def test_book_builds_with_a_page_per_lesson():
    with tempfile.TemporaryDirectory(prefix="course-book-") as tmp:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), tmp],
                              capture_output=True, text=True, timeout=300)
        seconds = time.perf_counter() - start
        assert done.returncode == 0, f"the book build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        html = Path(tmp) / "_build" / "html"
        home = (html / "README.html").read_text(encoding="utf-8")
        assert "Course map" in home, "the course map is the home page"
        assert (html / "index.html").is_file()
        for notebook in NOTEBOOKS:
            page = html / "notebooks" / f"{notebook.stem}.html"
            assert page.is_file(), f"no book page for {notebook.name}"
            assert f'href="notebooks/{notebook.stem}.html"' in home, f"the home page does not link {notebook.name}"
            text = page.read_text(encoding="utf-8")
            pngs = sum("image/png" in out.get("data", {}) for c in _cells(notebook) for out in c.get("outputs", []))
            shown = len(re.findall(r'<img[^>]+src="\.\./_images/[^"]+\.png"', text))
            assert shown >= pngs, f"{notebook.name}: the book page shows {shown} images, the notebook has {pngs}"
        glossary = html / "notebooks" / "glossary.html"
        assert glossary.is_file(), "the glossary (notebooks/glossary.md) is a page of the book"
        assert 'href="notebooks/glossary.html"' in home or "notebooks/glossary.html" in home, "the home page links the glossary"
        ids = set(re.findall(r'id="([^"]+)"', glossary.read_text(encoding="utf-8")))
        for notebook in NOTEBOOKS:
            text = (html / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
            dead = [a for a in re.findall(r'href="glossary\.html#([^"]+)"', text) if a not in ids]
            assert not dead, f"{notebook.name}: the book's links to glossary anchors that do not exist: {dead}"
        assert seconds < 180, f"the book took {seconds:.0f} s to build"
