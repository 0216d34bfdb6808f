"""Instructor notes an instructor can teach from: preparation, cuts, section-tied talking points, gotchas.

Every `instructors/NN_topic.md` must have `## Before class`, `## If you are behind`,
`## Talking points` and `## Gotchas`. Talking points and cuts cite the notebook's sections:
`§3` for a numbered heading `## 3. Title`, or `§"Title"` (a prefix of the heading's title,
its number left out) for a section without a number, such as lesson 02's opening harm. Every
citation must name a section that exists, every section of the notebook (other than Setup,
Exercises, Key points and Further reading) must be cited by at least one talking point, and
every talking point names its section in its first line. The notebooks are discovered, so a
new lesson is checked without editing this file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
REQUIRED = ("Before class", "If you are behind", "Talking points", "Gotchas")
NOT_TAUGHT = {"setup", "exercises", "key points", "further reading"}
# §3 (one or two digits, so a legal "§1798.146" is not read as a section) or §"Title prefix"
CITATION = re.compile(r'§(\d{1,2})\b(?!\.\d)|§"([^"\n]+)"')


def notebook_sections(notebook: Path) -> dict[str, str]:
    """Taught `## ` sections of a notebook: key (the number as text, or the title) -> title.

    A numbered heading `## 3. Sensitivity ...` gets the key "3"; an unnumbered one the key of
    its whole title. Setup, Exercises, Key points and Further reading are not taught sections.
    """
    sections: dict[str, str] = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for heading in re.findall(r"^## +(.+?)\s*$", source, flags=re.M):
            numbered = re.match(r"(\d+)\.\s+(.+)", heading)
            title = numbered.group(2) if numbered else heading
            if title.strip().lower() in NOT_TAUGHT:
                continue
            sections[numbered.group(1) if numbered else title] = title
    return sections


def notes_sections(markdown: str) -> dict[str, str]:
    """`## Heading` -> the text under it (up to the next `## `)."""
    parts = re.split(r"^## +(.+?)\s*$", markdown, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def resolve(citation: tuple[str, str], sections: dict[str, str]) -> str | None:
    """The section key a regex match of CITATION names, or None if no section matches."""
    number, prefix = citation
    if number:
        return number if number in sections else None
    matches = [key for key, title in sections.items() if title.lower().startswith(prefix.strip().lower())]
    return matches[0] if len(matches) == 1 else None


def citation_problems(text: str, sections: dict[str, str]) -> tuple[set[str], list[str]]:
    """(section keys cited in text, citations that name no section or more than one)."""
    cited, wrong = set(), []
    for match in CITATION.finditer(text):
        key = resolve(match.groups(), sections)
        if key is None:
            wrong.append(match.group(0))
        else:
            cited.add(key)
    return cited, wrong


def bullets(text: str) -> list[str]:
    """Top-level `- ` bullets of a markdown section, each with its continuation lines."""
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            items.append(line)
        elif items and line.startswith("  "):
            items[-1] += "\n" + line
    return items


def _notes(notebook: Path) -> str:
    return (ROOT / "instructors" / f"{notebook.stem}.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The helpers can fail
# ---------------------------------------------------------------------------------------------

SAMPLE = {"1": "The harm", "2": "Sensitivity from bounds", "The tour of the data": "The tour of the data"}


def test_citations_resolve_numbers_and_title_prefixes():
    cited, wrong = citation_problems('§2 bounds; §"the tour" data; §9 missing; §"Nothing" here; CCPA §1798.146', SAMPLE)
    assert cited == {"2", "The tour of the data"}
    assert wrong == ["§9", '§"Nothing"']


def test_an_ambiguous_title_prefix_is_refused():
    assert resolve(("", "The"), SAMPLE) is None
    assert resolve(("", "The harm"), SAMPLE) == "1"


def test_bullets_keep_continuation_lines():
    text = "- **§1 A.** one\n  two\n- **B.** three\n\nAfter.\n"
    assert bullets(text) == ["- **§1 A.** one\n  two", "- **B.** three"]


# ---------------------------------------------------------------------------------------------
# Every lesson's notes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_notes_have_the_teaching_sections(notebook: Path):
    sections = notes_sections(_notes(notebook))
    missing = [name for name in REQUIRED if name not in sections]
    assert not missing, f"instructors/{notebook.stem}.md lacks '## {missing[0]}' (has {list(sections)})"
    empty = [name for name in REQUIRED if len(sections[name].strip()) < 80]
    assert not empty, f"instructors/{notebook.stem}.md: '## {empty[0]}' is (nearly) empty"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_cited_sections_exist_and_every_section_has_a_talking_point(notebook: Path):
    taught = notebook_sections(notebook)
    assert taught, f"{notebook.name} has no taught '## ' sections"
    notes = notes_sections(_notes(notebook))
    name = f"instructors/{notebook.stem}.md"
    cited, wrong = citation_problems(notes["Talking points"], taught)
    _, wrong_cuts = citation_problems(notes["If you are behind"], taught)
    assert not wrong + wrong_cuts, (
        f"{name} cites sections {notebook.name} does not have: {wrong + wrong_cuts}; "
        f"its sections: {sorted(taught.items())}"
    )
    uncovered = [f"{key}. {title}" if key.isdigit() else title for key, title in taught.items() if key not in cited]
    assert not uncovered, f"{name}: no talking point for the section(s) {uncovered} of {notebook.name}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_talking_point_names_its_section(notebook: Path):
    points = bullets(notes_sections(_notes(notebook))["Talking points"])
    assert len(points) >= 3, f"instructors/{notebook.stem}.md: only {len(points)} talking points"
    unnamed = [p.splitlines()[0][:70] for p in points if not CITATION.search(p.splitlines()[0])]
    assert not unnamed, (
        f"instructors/{notebook.stem}.md: talking points whose first line names no section "
        f"(§N or §\"Title\"): {unnamed}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_behind_says_what_to_cut_what_to_keep_and_what_it_saves(notebook: Path):
    text = notes_sections(_notes(notebook))["If you are behind"]
    name = f"instructors/{notebook.stem}.md"
    assert CITATION.search(text), f"{name}: 'If you are behind' should name the sections to cut (§N)"
    assert re.search(r"\d+\s*min", text), f"{name}: 'If you are behind' should say how many minutes each cut saves"
    assert re.search(r"do not cut", text, re.I), f"{name}: 'If you are behind' should say what must not be cut ('Do not cut ...')"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_gotchas_tell_the_presenter_to_clear_outputs(notebook: Path):
    text = notes_sections(_notes(notebook))["Gotchas"]
    assert re.search(r"clear", text, re.I) and "output" in text.lower(), (
        f"instructors/{notebook.stem}.md: the gotchas should say how to clear the committed outputs "
        "before presenting (the predict-then-reveal moments need it)"
    )
