"""instructors/REFLECTION_RUBRIC.md covers every reflection question the notebooks use, and only those.

A reflection question is a ``ReflectionProblem`` in ``course_lib/exercises/lessonNN.py`` that the
lesson's notebook imports (``from course_lib.exercises.lessonNN import q1, ...``). Its rubric
entry is a ``###`` heading carrying the id in backticks, e.g. ``(`lesson06.q5`)``, followed by
what an excellent answer contains. Notebooks are discovered, so a new lesson needs no list here.
"""
from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

from course_lib.exercises import ReflectionProblem

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "instructors" / "REFLECTION_RUBRIC.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HEADING = re.compile(r"^###\s+(?P<title>.*?)\(`(?P<id>lesson\d{2}\.q\d+)`\)\s*$", re.MULTILINE)
EXCELLENT = "An excellent answer contains:"


def imported_problems(notebook: Path) -> dict[str, list[str]]:
    """``{module: [names]}`` for every ``from course_lib.exercises.lessonNN import ...`` in the notebook's code."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found: dict[str, list[str]] = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:  # starter cells with ____ still parse; anything else is not an import cell
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and re.fullmatch(r"course_lib\.exercises\.lesson\d{2}", node.module or ""):
                found.setdefault(node.module.rsplit(".", 1)[1], []).extend(alias.name for alias in node.names)
    return found


def reflection_ids(notebooks: list[Path]) -> set[str]:
    """``lessonNN.qK`` for each imported name that is a ``ReflectionProblem``."""
    ids = set()
    for notebook in notebooks:
        for module_name, names in imported_problems(notebook).items():
            module = importlib.import_module(f"course_lib.exercises.{module_name}")
            ids |= {f"{module_name}.{name}" for name in names if isinstance(getattr(module, name, None), ReflectionProblem)}
    return ids


def existing_reflections() -> set[str]:
    """Every ``ReflectionProblem`` defined in any ``course_lib/exercises/lessonNN.py``."""
    ids = set()
    for path in sorted((ROOT / "course_lib" / "exercises").glob("lesson[0-9][0-9].py")):
        module = importlib.import_module(f"course_lib.exercises.{path.stem}")
        ids |= {f"{path.stem}.{name}" for name, value in vars(module).items() if isinstance(value, ReflectionProblem)}
    return ids


def rubric_entries(text: str) -> dict[str, str]:
    """``{id: body}`` of each ``###`` entry, the body running to the next heading."""
    matches = list(HEADING.finditer(text))
    entries = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        next_heading = re.search(r"^#{1,3}\s", text[match.end():end], re.MULTILINE)
        body_end = match.end() + next_heading.start() if next_heading else end
        entries[match["id"]] = text[match.end():body_end]
    return entries


@pytest.fixture(scope="module")
def entries() -> dict[str, str]:
    return rubric_entries(RUBRIC.read_text(encoding="utf-8"))


def test_every_imported_reflection_question_has_a_rubric_entry(entries):
    required = reflection_ids(NOTEBOOKS)
    assert required, "no notebook imports a reflection question: is the discovery broken?"
    missing = sorted(required - set(entries))
    assert not missing, f"instructors/REFLECTION_RUBRIC.md has no entry for {missing}: add a ### heading with the id"


def test_every_rubric_entry_names_an_existing_reflection_question(entries):
    stale = sorted(set(entries) - existing_reflections())
    assert not stale, f"the rubric covers questions that are not ReflectionProblems (renamed or removed?): {stale}"


def test_every_entry_says_what_an_excellent_answer_contains(entries):
    thin = [qid for qid, body in entries.items()
            if EXCELLENT not in body or len(re.findall(r"^- ", body.split(EXCELLENT, 1)[-1], re.MULTILINE)) < 2]
    assert not thin, f"entries without at least two points under '{EXCELLENT}': {thin}"


def test_entries_are_ordered_by_lesson(entries):
    order = list(entries)
    assert order == sorted(order), f"entries out of lesson order: {order}"


def test_the_check_catches_a_missing_entry(tmp_path):
    """The discovery finds a reflection a rubric lacks (the tests above can fail)."""
    notebook = tmp_path / "06_x.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
            "source": ["from course_lib.exercises import ____\n", "from course_lib.exercises.lesson06 import q1, q5\n"]}
    notebook.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert reflection_ids([notebook]) == {"lesson06.q5"}          # q1 is a checked problem, not a reflection
    rubric = "### Lesson 05 Q5: something (`lesson05.q5`)\n\nAn excellent answer contains:\n- a\n- b\n"
    assert reflection_ids([notebook]) - set(rubric_entries(rubric)) == {"lesson06.q5"}
