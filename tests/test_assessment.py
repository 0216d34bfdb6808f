"""The objective -> assessment map (instructors/assessment.md) against the notebooks.

Every objective in a notebook's title cell must have a row in the lesson's table, and every
row must name at least one exercise (``qN``, one the notebook imports) or quiz question (one
that exists in the lesson's quiz). Notebooks and quizzes are discovered, not listed.
"""
import json
import re
from pathlib import Path

import pytest

from course_lib.exercises.quizzes import QUIZZES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TABLE = ROOT / "instructors" / "assessment.md"
NONE = {"", "-", "—", "–"}


def _normal(text: str) -> str:
    """Compare text as read: without code ticks and without link targets ([term](glossary.md#x))."""
    text = re.sub(r"\[([^\]]*)\]\([^)\s]*\)", r"\1", text)
    return " ".join(text.replace("`", "").split()).casefold()


def notebook_objectives(path: Path) -> list[str]:
    """The *Objectives* bullets of the notebook's title cell, each joined into one line."""
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    lines = "".join(cell["source"]).splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "**Objectives**")
    objectives: list[str] = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        if line.startswith("- "):
            objectives.append(line[2:].strip())
        elif objectives and line.startswith(" "):
            objectives[-1] += " " + line.strip()
        else:
            break
    return objectives


def notebook_exercises(path: Path) -> set[str]:
    """The names the notebook imports from its ``course_lib.exercises.lessonNN`` module."""
    names: set[str] = set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            for match in re.finditer(r"from course_lib\.exercises\.lesson\d\d import ([\w, ]+)", source):
                names |= {n.strip() for n in match.group(1).split(",") if n.strip()}
    return names


def parse_table(text: str) -> dict[int, list[dict[str, object]]]:
    """Each lesson's rows: ``{lesson: [{"objective", "exercises", "quiz", "assignment"}]}``.

    A lesson's section starts with a heading ``## NN ...``; its table has the columns
    Objective | Exercises | Quiz | Assignment.
    """
    lessons: dict[int, list[dict[str, object]]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^## (\d\d)\b", line)
        if heading:
            current = int(heading.group(1))
            lessons[current] = []
            continue
        if current is None or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0].lower() == "objective" or set(cells[0]) <= set("-: "):
            continue
        objective, exercises, quiz, assignment = cells
        lessons[current].append({
            "objective": objective,
            "exercises": [] if exercises in NONE else [e.strip().strip("`") for e in exercises.split(",")],
            "quiz": [] if quiz in NONE else [q.strip() for q in quiz.split(",")],
            "assignment": assignment,
        })
    return lessons


def problems(lesson: int, rows: list[dict[str, object]], objectives: list[str], imported: set[str]) -> list[str]:
    """What is wrong with one lesson's table; empty when it is complete and consistent."""
    found = []
    quiz = QUIZZES.get(lesson)
    for row in rows:
        text = _normal(str(row["objective"]))
        matches = [o for o in objectives if _normal(o).startswith(text)] if len(text) >= 25 else []
        if not matches:
            found.append(f"row {row['objective']!r} matches no objective of the notebook (verbatim or a prefix of 25+ "
                         "characters)")
        if not row["exercises"] and not row["quiz"]:
            found.append(f"objective {row['objective']!r} is assessed by no exercise or quiz question")
        for name in row["exercises"]:
            if name not in imported:
                found.append(f"{name!r} is not an exercise the notebook imports ({sorted(imported)})")
        for ref in row["quiz"]:
            number = re.fullmatch(r"Q(\d+)", str(ref))
            if quiz is None or not number or not 1 <= int(number.group(1)) <= len(quiz):
                found.append(f"quiz question {ref!r} does not exist in quiz{lesson:02d}")
    for objective in objectives:
        covered = [r for r in rows if len(_normal(str(r["objective"]))) >= 25
                   and _normal(objective).startswith(_normal(str(r["objective"])))]
        if not covered:
            found.append(f"objective {objective!r} has no row in the table")
    return found


LESSONS = {int(p.name[:2]): p for p in NOTEBOOKS}


def test_every_notebook_has_objectives_and_a_quiz():
    assert LESSONS, "no notebooks found"
    for lesson, path in LESSONS.items():
        assert len(notebook_objectives(path)) >= 2, path.name
        assert lesson in QUIZZES, f"no quiz for lesson {lesson:02d}"


@pytest.mark.parametrize("lesson", sorted(LESSONS), ids=[p.stem for p in LESSONS.values()])
def test_every_objective_is_assessed(lesson):
    tables = parse_table(TABLE.read_text(encoding="utf-8"))
    assert lesson in tables, f"instructors/assessment.md has no section '## {lesson:02d} ...'"
    path = LESSONS[lesson]
    found = problems(lesson, tables[lesson], notebook_objectives(path), notebook_exercises(path))
    assert not found, "\n".join(found)


def test_every_quiz_question_assesses_some_objective():
    tables = parse_table(TABLE.read_text(encoding="utf-8"))
    for lesson, quiz in QUIZZES.items():
        used = {ref for row in tables.get(lesson, []) for ref in row["quiz"]}
        unused = [f"Q{i}" for i in range(1, len(quiz) + 1) if f"Q{i}" not in used]
        assert not unused, f"quiz{lesson:02d} questions {unused} assess no objective in instructors/assessment.md"


def test_the_check_itself_catches_each_kind_of_gap():
    objectives = ["Carry out a differencing attack on exact aggregates.", "Derive sensitivity from declared bounds."]
    table = """
## 04 Differential privacy

| Objective | Exercises | Quiz | Assignment |
|---|---|---|---|
| Carry out a differencing attack | q1, q9 | Q2, Q99 | assignment |
| An objective the notebook does not have at all | q1 | — | — |
| Derive sensitivity from declared bounds. | — | — | assignment |
"""
    rows = parse_table(table)[4]
    assert [r["exercises"] for r in rows] == [["q1", "q9"], ["q1"], []]
    found = " | ".join(problems(4, rows, objectives, {"q1", "q2"}))
    assert "'q9' is not an exercise the notebook imports" in found
    assert "quiz question 'Q99' does not exist" in found
    assert "matches no objective" in found
    assert "is assessed by no exercise or quiz question" in found
    assert problems(4, rows[:1], objectives, {"q1", "q9"}) != []  # the second objective has no row
    good = parse_table(table.replace(", q9", "").replace(", Q99", "").replace("| — | — | assignment", "| q2 | Q1 | —"))
    assert problems(4, [good[4][0], good[4][2]], objectives, {"q1", "q2"}) == []
