"""Slides an instructor can teach from: every lesson, checked from its file (no browser).

* No code line over 90 characters (``tools/slide_check.py --fix`` rewraps them).
* The set-up code (imports, ``course_lib.setup``) is hidden from the deck with slide type
  "skip" and still runs: skipped cells are ordinary code cells with committed outputs from a
  top-to-bottom run (RISE only hides them; it executes nothing by itself, and "Run All" and
  nbval run every cell whatever its slide type). No slide is left empty by skipping.
* Predict, then reveal: where the lecture text asks the class a question just before the
  code that answers it, that code is a "fragment" (or starts a "subslide"), so it appears on
  the next key press, after the class has had a moment to guess.

What the deck looks like in the browser (hidden cells, fragments, screens that fit 1280x720)
is checked by ``tests/test_browser.py``. The unit tests of ``tools/slide_check.py`` are here.
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import slide_check  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
REVEALS = {"fragment", "subslide", "slide"}  # slide types that wait for a key press


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return slide_check._source(cell)


def _kind(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def asks_the_class(markdown: str) -> str | None:
    """The question the last paragraph of a lecture cell asks, if it asks one, else None."""
    last = markdown.strip().split("\n\n")[-1]
    questions = re.findall(r"[^.?!:]*\?(?=\s|$|\*)", last)
    prompt = re.search(r"\b((predict|guess)( first)?[,:]? (what|which|how|whether|before)|before you run|"
                       r"what do you expect|(make|take) a guess)\b[^.]*[.:?]", last, re.I)
    if questions:
        return questions[-1].strip()
    return prompt.group(0) if prompt else None


def predict_moments(cells: list[dict]) -> list[tuple[int, str]]:
    """``(index of the revealing code cell, question)`` in the lecture part of a lesson.

    A markdown cell whose last paragraph asks a question, followed by a code cell that is not
    an exercise starter (no ``____``), outside the Exercises section.
    """
    moments, in_exercises = [], False
    for index, cell in enumerate(cells[:-1]):
        text = _source(cell).strip()
        if cell["cell_type"] == "markdown" and re.match(r"#{1,2} ", text):
            in_exercises = bool(re.match(r"#{1,2} Exercises", text))
        following = cells[index + 1]
        if in_exercises or cell["cell_type"] != "markdown" or following["cell_type"] != "code":
            continue
        question = asks_the_class(text)
        if question and "____" not in _source(following):
            moments.append((index + 1, question))
    return moments


def screens(cells: list[dict]) -> list[list[int]]:
    """Cell indices of each screen (slide or sub-slide) in the order RISE builds them."""
    out: list[list[int]] = [[]]
    for index, cell in enumerate(cells):
        if index and _kind(cell) in {"slide", "subslide"}:
            out.append([])
        out[-1].append(index)
    return out


# ---------------------------------------------------------------------------------------------
# Every lesson
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_code_lines_fit_a_slide(notebook: Path):
    long = slide_check.long_code_lines(notebook)
    listed = "\n".join(f"  cell {i} line {n}: {length} characters: {line.strip()[:70]}" for i, n, length, line in long)
    assert not long, (
        f"{notebook.name}: {len(long)} code lines over {slide_check.LINE_LIMIT} characters (they do not fit "
        f"a 1280x720 slide; `python tools/slide_check.py --fix {notebook.relative_to(ROOT)}` rewraps most, "
        f"then re-execute the notebook):\n{listed}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_setup_code_is_skipped_in_the_deck_but_runs(notebook: Path):
    cells = _cells(notebook)
    setup = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "course_lib.setup(" in _source(c)]
    assert setup, f"{notebook.name}: no set-up cell calling course_lib.setup("
    assert _kind(cells[setup[0]]) == "skip", (
        f"{notebook.name}: the set-up cell {setup[0]} (imports, course_lib.setup) should be hidden from the deck "
        f"(slide type 'skip'), it is {_kind(cells[setup[0]])!r}"
    )
    for index, cell in enumerate(cells):
        if _kind(cell) != "skip":
            continue
        if cell["cell_type"] == "markdown" and _source(cell).startswith("**Quiz: "):
            continue  # the quiz is taken in the notebook, not presented (tests/test_quizzes.py)
        assert cell["cell_type"] == "code", f"{notebook.name}: cell {index} is skipped but is not code (text is for the deck)"
        assert cell.get("execution_count") is not None, (
            f"{notebook.name}: skipped cell {index} has no execution count: it must run with the rest "
            "(re-execute the notebook)"
        )
    for screen in screens(cells):
        shown = [i for i in screen if _kind(cells[i]) not in {"skip", "notes"}]
        only_heading = len(shown) == 1 and re.fullmatch(r"#+ [^\n]*", _source(cells[shown[0]]).strip())
        assert shown and not only_heading, (
            f"{notebook.name}: the screen of cells {screen} shows nothing but a heading once its skipped cells are "
            "hidden: mark that heading 'skip' too or give it some text"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_predict_then_reveal_uses_fragments(notebook: Path):
    cells = _cells(notebook)
    shown_at_once = [
        f"cell {index} answers {question!r} but is {_kind(cells[index])!r}"
        for index, question in predict_moments(cells) if _kind(cells[index]) not in REVEALS
    ]
    assert not shown_at_once, (
        f"{notebook.name}: make the revealing cell a 'fragment' so the class can predict first: "
        + "; ".join(shown_at_once)
    )


# ---------------------------------------------------------------------------------------------
# The checks themselves
# ---------------------------------------------------------------------------------------------


def test_predict_moments_are_found_and_exercises_are_not():
    md = lambda text: {"cell_type": "markdown", "source": text, "metadata": {}}  # noqa: E731
    code = lambda text: {"cell_type": "code", "source": text, "metadata": {}}  # noqa: E731
    cells = [
        md("## 1. Harm"), md("Some context.\n\nHow many are unique?"), code("print(1)"),
        md("A statement."), code("print(2)"),
        md("Guess first: which column leaks most."), code("print(3)"),
        md("The model can predict readmission."), code("print(5)"),
        md("## Exercises"), md("### Q1\n\nWhat is 6 x 7?"), code("print(4)"),
    ]
    assert predict_moments(cells) == [(2, "How many are unique?"), (6, "Guess first: which column leaks most.")]
    assert predict_moments([md("Predict what the attack finds, then run it."), code("x")]) == [
        (1, "Predict what the attack finds, then run it.")]
    assert predict_moments([md("What now?"), code("answer = ____")]) == []


def test_screens_follow_slide_types():
    cells = [{"metadata": {"slideshow": {"slide_type": kind}}} for kind in ["slide", "-", "subslide", "fragment", "slide"]]
    assert screens(cells) == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("source", [
    'print(f"{len(released):,} records without names; {unique.mean():.1%} are unique on date of birth + sex + ZIP")',
    'identifiers = ["patient_id", "name", "email", "phone", "ssn", "card_number", "clinical_note", "more"]',
    "assert proxy.loc['finance + zip_area', 'dp_difference'] > 2 * proxy.loc['finance only', 'dp_difference']",
    "scale = lender[:-1]                                  # the fitted one-hot encoding and scaling here",
    "def f(a):\n    return {'alpha': a, 'beta': a * 2, 'gamma': a * 3, 'delta': a * 4, 'epsilon': a * 5, 'z': 1}",
    "x = (1,\n     2, 'a string that is long enough to push this continuation line over the limit', 'and more')",
    'label = "escaped \\" quote and {braces} in a plain string that is long enough to be split here" + str(1)',
    "print(f'{d[\"key\"]:>10} with a replacement field that must stay whole {value:.3f} and more text here')",
])
def test_rewrap_keeps_meaning_and_fits(source):
    wrapped = slide_check.rewrap_source(source)
    assert ast.dump(ast.parse(wrapped)) == ast.dump(ast.parse(source))
    assert all(len(line) <= slide_check.LINE_LIMIT for line in wrapped.split("\n")), wrapped
    assert wrapped != source


def test_rewrap_leaves_what_it_cannot_break_and_directives():
    docstring = 'def f():\n    """' + "word " * 25 + '"""\n    return 1'
    assert slide_check.rewrap_source(docstring) == docstring
    noqa = "value = undefined_name_here_and_some_more_text_to_make_it_long_enough_for_a_split()  # noqa: F821"
    assert slide_check.rewrap_source(noqa) == noqa
    short = "x = 1  # fine"
    assert slide_check.rewrap_source(short) == short


def test_long_code_lines_lists_only_code_and_checks_the_limit(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": "x" * 200, "metadata": {}},
        {"cell_type": "code", "source": ["short\n", "y" * 91], "metadata": {}},
    ]}))
    assert slide_check.long_code_lines(path) == [(1, 2, 91, "y" * 91)]
    assert slide_check.long_code_lines(path, limit=200) == []
    with pytest.raises(ValueError, match="limit must be >= 1, got 0"):
        slide_check.long_code_lines(path, limit=0)


def test_overflow_report_names_the_cell_to_split():
    fits = {"id": "slide-1-0", "height": 600, "limit": 648, "cells": [{"index": 3, "top": 0, "bottom": 600}]}
    splits = {"id": "slide-2-0", "height": 900, "limit": 648, "cells": [
        {"index": 5, "top": 0, "bottom": 300}, {"index": 6, "top": 300, "bottom": 700}, {"index": 7, "top": 700, "bottom": 900}]}
    alone = {"id": "slide-3-1", "height": 800, "limit": 648, "cells": [{"index": 9, "top": 0, "bottom": 800}]}
    report = slide_check.overflow_report([fits, splits, alone])
    assert len(report) == 2
    assert report[0].startswith("slide-2-0 (cells 5-7): 900 px > 648 px") and 'make cell 6 a "subslide"' in report[0]
    assert "cell 9 alone is too tall" in report[1]


def test_split_point_keeps_the_explanation_with_its_code():
    def screen(*cells):
        return {"id": "s", "height": 900, "limit": 720, "cells": [
            {"index": i, "top": top, "bottom": bottom, "markdown": md} for i, top, bottom, md in cells]}

    # the code cell 3 runs past the bottom; its explanation, markdown cell 2, goes with it
    assert slide_check.split_point(screen((1, 0, 200, True), (2, 200, 300, True), (3, 300, 900, False))) == 2
    # markdown running past the bottom starts the new sub-slide itself
    assert slide_check.split_point(screen((1, 0, 200, True), (2, 200, 400, False), (3, 400, 900, True))) == 3
    # the heading cell of the screen is never moved away: the code goes
    assert slide_check.split_point(screen((1, 0, 200, True), (2, 200, 900, False))) == 2
    # one cell alone, or a screen that fits: nothing to split
    assert slide_check.split_point(screen((1, 0, 900, False))) is None
    assert slide_check.split_point({"id": "s", "height": 700, "limit": 720, "cells": []}) is None
