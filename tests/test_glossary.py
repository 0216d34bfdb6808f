"""The glossary (notebooks/glossary.md) and the lessons' links to it.

The glossary lives beside the lessons so that one relative link, `glossary.md#term`, works in
three places: JupyterLab (the `<a id="term"></a>` line before each entry; JupyterLab's own
heading ids keep capitals), GitHub (the same anchor, and the heading's slug), and the course
website (MyST gives the heading the same slug: `myst_heading_anchors` in book/_config.yml). So
every anchor must equal its heading's slug, every term needs a definition and a lesson that
exists, every glossary link in a notebook must hit an anchor, and every lesson links at least
one term. Lessons and terms are discovered: nothing to update here when either is added.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "notebooks" / "glossary.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")  # [text](target), not images
ENTRY = re.compile(
    r'^<a id="(?P<id>[^"]+)"></a>\n\n## (?P<heading>[^\n]+)\n\n(?P<body>(?:[^\n]+\n)+?)(?=\n|\Z)', re.M
)
TAUGHT = re.compile(r"Taught in \[lesson (\d\d)[^\]]*\]\((\d\d_[a-z_]+\.ipynb)\)\.$")


def slug(heading: str) -> str:
    """The id GitHub and MyST (`myst_parser`'s default_slugify) give a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _entries() -> list[dict[str, str]]:
    return [m.groupdict() for m in ENTRY.finditer(GLOSSARY.read_text(encoding="utf-8"))]


def _markdown(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "markdown"]


def _glossary_links(notebook: Path) -> list[str]:
    """The anchors of every link from the notebook's markdown to the glossary."""
    anchors = []
    for text in _markdown(notebook):
        for _, target in LINK.findall(text):
            path, _, anchor = target.partition("#")
            if path.endswith("glossary.md"):
                assert (notebook.parent / path).resolve() == GLOSSARY, (
                    f"{notebook.name} links the glossary as {path!r}: lessons sit beside it, link 'glossary.md#term'"
                )
                anchors.append(anchor)
    return anchors


def test_slug_matches_github_and_myst():
    assert slug("Non-IID data") == "non-iid-data"
    assert slug("k-anonymity") == "k-anonymity"
    assert slug("Post-processing immunity") == "post-processing-immunity"
    assert slug("SHAP value") == "shap-value"


def test_glossary_parses_into_entries_and_nothing_is_left_over():
    text = GLOSSARY.read_text(encoding="utf-8")
    entries = _entries()
    assert len(entries) >= 50, f"the glossary should define the course's terms, found {len(entries)} entries"
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [e["heading"] for e in entries], (
        "every '## term' heading needs an '<a id=\"slug\"></a>' line, a blank line, the heading, a blank "
        f"line and its definition: {sorted(set(headings) - {e['heading'] for e in entries})}"
    )
    anchors = re.findall(r'<a id="([^"]+)"></a>', text)
    assert anchors == [e["id"] for e in entries], "an anchor that does not introduce an entry"


def test_anchors_are_unique_and_equal_their_heading_slugs():
    entries = _entries()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), f"duplicate anchors: {sorted({i for i in ids if ids.count(i) > 1})}"
    wrong = {e["id"]: slug(e["heading"]) for e in entries if e["id"] != slug(e["heading"])}
    assert not wrong, f"anchor != heading slug (the book and GitHub use the slug): {wrong}"


def test_terms_are_in_alphabetical_order():
    headings = [e["heading"] for e in _entries()]
    assert headings == sorted(headings, key=str.lower), "keep the glossary A to Z"


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["id"])
def test_every_term_has_a_one_line_definition_and_an_existing_lesson(entry):
    body = entry["body"].strip()
    assert "\n" not in body, f"{entry['id']}: the definition is one line (one paragraph on one line)"
    taught = TAUGHT.search(body)
    assert taught, f"{entry['id']}: the entry must end with 'Taught in [lesson NN, Title](NN_topic.ipynb).'"
    number, target = taught.groups()
    assert (GLOSSARY.parent / target).is_file(), f"{entry['id']}: lesson {target} does not exist"
    assert target.startswith(number), f"{entry['id']}: the text says lesson {number}, the link goes to {target}"
    definition = body[: taught.start()].strip()
    assert len(definition.split()) >= 6 and definition.endswith("."), (
        f"{entry['id']}: the definition should be a sentence of its own, got {definition!r}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_glossary_link_in_a_lesson_hits_an_anchor(notebook: Path):
    anchors = {e["id"] for e in _entries()}
    missing = [a for a in _glossary_links(notebook) if a not in anchors]
    assert not missing, f"{notebook.name} links glossary anchors that do not exist: {missing}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_lesson_links_at_least_one_term(notebook: Path):
    assert _glossary_links(notebook), (
        f"{notebook.name} links no glossary term: make the first occurrence of a term in its markdown a "
        "link, e.g. [k-anonymity](glossary.md#k-anonymity)"
    )


def test_every_term_is_linked_from_some_lesson():
    linked = {a for nb in NOTEBOOKS for a in _glossary_links(nb)}
    orphans = [e["id"] for e in _entries() if e["id"] not in linked]
    assert not orphans, f"terms no lesson links (link each where it first appears): {orphans}"


def test_the_book_has_the_glossary_in_its_table_of_contents():
    toc = (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+- file: notebooks/glossary\s*$", toc, re.M), "book/_toc.yml must list notebooks/glossary"
    glob = re.search(r"glob: (\S+)", toc).group(1)
    assert glob == "notebooks/[0-9]*", f"the lessons' glob {glob!r} must not pick up glossary.md a second time"
    config = (ROOT / "book" / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"myst_heading_anchors:\s*[2-6]\b", config), "the book needs heading anchors for glossary.md#term"
    assert "notebooks/glossary.md" in (ROOT / "tools" / "build_book.py").read_text(encoding="utf-8")
