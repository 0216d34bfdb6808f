"""`make solutions` (tools/make_solutions.py): the instructor's answer key.

Fast tests (every lesson, no kernel): each problem of course_lib.exercises.lessonNN has exactly one
starter cell, and the cell that replaces it parses, holds no placeholder and ends in the same check.
Tests marked `solutions` run the tool for lesson 00 in a kernel (about 15 s each): every reference
passes, and a reference that does not pass stops the tool with the lesson and the question named.
The whole course: `make solutions` (all lessons; deselect these tests with -m "not solutions").
"""
from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
WELCOME = ROOT / "notebooks" / "00_welcome.ipynb"

_spec = importlib.util.spec_from_file_location("make_solutions", ROOT / "tools" / "make_solutions.py")
ms = importlib.util.module_from_spec(_spec)
sys.modules["make_solutions"] = ms  # dataclasses look their module up there
_spec.loader.exec_module(ms)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_problem_has_a_starter_and_its_solved_cell_is_runnable_code(notebook: Path):
    module = ms.lesson_module(notebook)
    nb = nbformat.read(notebook, as_version=4)
    exercises = ms.find_exercises(nb, module)
    assert len(exercises) >= 4, f"{notebook.name}: at least three checked exercises and a reflection"
    assert len({e.cell for e in exercises}) == len(exercises)
    for exercise in exercises:
        source = ms.solved_source(exercise, nb.cells[exercise.cell].source, module)
        ast.parse(source)
        assert "____" not in source, f"{notebook.name} {exercise.name}: the solved cell still holds a placeholder"
        assert source.splitlines()[-1] == f"{exercise.name}.check({exercise.answer_name})"


def test_kept_statements_keep_the_preparation_and_drop_the_placeholders():
    starter = 'columns = ["birth_month", "sex"]\nq1_share = ____\nq1.check(q1_share)'
    assert ms.kept_statements(starter, "q1_share") == 'columns = ["birth_month", "sex"]'
    function = 'import numpy as np\n\n\ndef clip(x):\n    return ____\n\n\nq4.check(clip)'
    assert ms.kept_statements(function, "clip") == "import numpy as np"
    rebinding = "answer = 1\nanswer = answer + 1\nq2.check(answer)"  # binds the answer without ____
    assert ms.kept_statements(rebinding, "answer") == ""


def test_a_starter_for_an_unknown_problem_or_a_missing_starter_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("consent_share = ____\nq1.check(consent_share)")])
    with pytest.raises(ms.SolutionError, match=r"lesson00: no starter cell .*\['q2', 'q3', 'q4'\]"):
        ms.find_exercises(nb, "lesson00")
    nb.cells.append(nbformat.v4.new_code_cell("x = ____\nq9.check(x)"))
    with pytest.raises(ms.SolutionError, match="checks q9"):
        ms.find_exercises(nb, "lesson00")
    wrong_name = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("share = ____\nq1.check(share)")])
    with pytest.raises(ms.SolutionError, match="answer_name is `consent_share`"):
        ms.find_exercises(wrong_name, "lesson00")
    with pytest.raises(ValueError, match="NN_topic"):
        ms.lesson_module(Path("notebooks/welcome.ipynb"))


def _cell_with(text: str | None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("q1.check(x)")
    if text is not None:
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)]
    return cell


@pytest.mark.parametrize("shown, kind, passes", [
    ("Correct (Q1 x): well done", "checked", True),
    ("Incorrect (Q1 x): that is the count, not the share", "checked", False),
    ("Not attempted yet (Q1 x): replace the ____ placeholder", "checked", False),
    (None, "checked", False),
    ("Thank you: here is our discussion (Q4 reflection): ...", "reflection", True),
    ("Not attempted yet (Q4 reflection): write at least 5 words", "reflection", False),
])
def test_verify_accepts_only_the_engines_success_message(shown, kind, passes):
    nb = nbformat.v4.new_notebook(cells=[_cell_with(shown)])
    exercises = [ms.Exercise("q1", 0, "x", kind)]
    if passes:
        ms.verify(nb, exercises, "04_differential_privacy")
    else:
        with pytest.raises(ms.SolutionError, match=r"04_differential_privacy q1: expected"):
            ms.verify(nb, exercises, "04_differential_privacy")


def test_the_answer_key_is_built_into_an_ignored_folder():
    assert ms.DEFAULT_OUT == ROOT / "_build" / "solutions"
    ignored = subprocess.run(["git", "check-ignore", "-q", "_build/solutions/00_welcome.ipynb"], cwd=ROOT)
    assert ignored.returncode == 0, "_build/solutions/ must be git-ignored: the answer key is never committed"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "solutions:" in makefile and "tools/make_solutions.py $(NB)" in makefile


@pytest.mark.solutions
def test_make_solutions_solves_lesson_00(tmp_path: Path):
    env = dict(os.environ, COURSE_QUIET="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_solutions.py"), "--out", str(tmp_path), str(WELCOME)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "1 of 1 lessons solved" in done.stdout
    solved = nbformat.read(tmp_path / WELCOME.name, as_version=4)
    exercises = ms.find_exercises(solved, "lesson00")
    ms.verify(solved, exercises, "00_welcome")
    assert all(solved.cells[e.cell].source.startswith("# Reference solution of") for e in exercises)


@pytest.mark.solutions
def test_a_reference_that_fails_stops_the_tool_naming_lesson_and_question(tmp_path: Path, monkeypatch):
    real = ms.solved_source

    def wrong_q1(exercise, starter, module):
        if exercise.name == "q1":  # the count instead of the share: the check says Incorrect
            return 'consent_share = patients["research_consent"].sum()\nq1.check(consent_share)'
        return real(exercise, starter, module)

    monkeypatch.setattr(ms, "solved_source", wrong_q1)
    monkeypatch.setenv("COURSE_QUIET", "1")
    with pytest.raises(ms.SolutionError, match=r"00_welcome q1: expected 'Correct \.\.\.', got: Incorrect"):
        ms.solve(WELCOME, tmp_path)
    assert (tmp_path / WELCOME.name).is_file(), "the failing key is still written, to be inspected"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_the_key_fills_the_after_lesson_quiz_with_answers_that_score_full(notebook: Path):
    from course_lib.exercises.quizzes import QUIZZES

    number = int(notebook.name[:2])
    nb = nbformat.read(notebook, as_version=4)
    index = ms.solve_quiz(nb, number)
    assert index is not None, f"{notebook.name}: no `quiz_after = {{...}}` cell to fill"
    namespace: dict = {}
    exec(nb.cells[index].source.splitlines()[0], namespace)  # the dict literal only
    feedback = repr(QUIZZES[number].check(namespace["quiz_after"]))
    total = len(QUIZZES[number].questions)
    assert f"{total} of {total} correct" in feedback, feedback
    # and verify_quiz refuses a key that does not score every question
    nb.cells[index].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"0 of {total} correct")]
    with pytest.raises(ms.SolutionError, match="did not score"):
        ms.verify_quiz(nb, index, notebook.stem, total)
