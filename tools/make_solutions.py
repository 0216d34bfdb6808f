"""Write the instructor's answer key: every lesson with its exercises solved, run and checked.

Usage: ``make solutions`` (every lesson) or ``make solutions NB=notebooks/04_differential_privacy.ipynb``
(one or more lessons), or ``python tools/make_solutions.py [--out DIR] [NOTEBOOK ...]``.
Output: ``_build/solutions/NN_topic.ipynb`` (git-ignored). Never commit or publish it: it gives
every answer away.

For each lesson notebook, read from ``notebooks/`` and never written back:

1. every exercise's starter cell (the code cell whose last line is ``qN.check(name)``) is replaced
   by that problem's ``reference`` from ``course_lib/exercises/lessonNN.py``, followed by the same
   ``qN.check(name)``. The starter's other top-level statements that hold no ``____`` (a column
   list or a model the exercise prepares) are kept in front of it. A reflection gets its own
   discussion as the answer, so the key shows it.
2. the notebook runs top to bottom in a fresh kernel whose working directory is ``notebooks/``
   (relative data paths work), with ``COURSE_QUIET=1``;
   The after-lesson quiz cell (``quiz_after = {...}`` then ``quizNN.check(quiz_after)``) gets the
   quiz's right answers, so the key shows every question's explanation.
3. every replaced cell must show the engine's success message (``Correct`` or, for a reflection,
   ``Thank you: here is our discussion``). Anything else, or an error in any cell, stops the tool
   with the lesson and the question named; the notebook is still written (with the error) so
   that it can be inspected.
"""
from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "solutions"
CHECK_LINE = re.compile(r"^(q\d+)\.check\((\w+)\)\s*$")
SUCCESS = {"checked": "Correct", "reflection": "Thank you: here is our discussion"}
MARK = "# Reference solution of {q} (course_lib/exercises/{module}.py), filled in by tools/make_solutions.py"


class SolutionError(RuntimeError):
    """A reference solution did not pass in its lesson, or the lesson could not be solved."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook: its starter cell and the problem that checks it."""

    name: str  # q1, q2, ...
    cell: int  # index of the starter cell
    answer_name: str
    kind: str  # "checked" or "reflection"


def lesson_module(notebook: Path) -> str:
    """``notebooks/04_differential_privacy.ipynb`` -> ``lesson04``."""
    number = notebook.name[:2]
    if not number.isdigit():
        raise ValueError(f"notebook must be named NN_topic.ipynb, got {notebook.name!r}")
    return f"lesson{number}"


def _problems(module: str) -> dict:
    from course_lib.exercises import problems_of

    found = problems_of(importlib.import_module(f"course_lib.exercises.{module}"))
    return {name: problem for name, problem in found.items() if re.fullmatch(r"q\d+", name)}  # not lesson 00's demo


def find_exercises(nb: nbformat.NotebookNode, module: str) -> list[Exercise]:
    """Every starter cell of ``nb`` (last line ``qN.check(name)``) with its problem from ``module``.

    Raises SolutionError when a starter checks a problem the module lacks, checks another name
    than the problem's ``answer_name``, or when a problem of the module has no starter.
    """
    from course_lib.exercises import ReflectionProblem

    problems = _problems(module)
    found: list[Exercise] = []
    for index, cell in enumerate(nb.cells):
        lines = cell.source.strip().splitlines() if cell.cell_type == "code" else []
        match = CHECK_LINE.match(lines[-1]) if lines else None
        if not match:
            continue
        name, answer = match.groups()
        if name not in problems:
            raise SolutionError(f"{module}: cell {index} checks {name}, which course_lib.exercises.{module} does not define")
        problem = problems[name]
        if answer != problem.answer_name:
            raise SolutionError(f"{module} {name}: the starter checks `{answer}`, the problem's answer_name is `{problem.answer_name}`")
        kind = "reflection" if isinstance(problem, ReflectionProblem) else "checked"
        found.append(Exercise(name, index, answer, kind))
    missing = sorted(set(problems) - {e.name for e in found}, key=lambda q: int(q[1:]))
    if missing:
        raise SolutionError(f"{module}: no starter cell ending in `qN.check(...)` for {missing}")
    return found


def kept_statements(starter: str, answer_name: str) -> str:
    """The starter's top-level statements that hold no ``____``, do not bind ``answer_name`` and
    are not the final check: what the exercise prepares for the student (kept in the key)."""
    tree = ast.parse(starter)
    lines = starter.splitlines()
    kept = []
    for node in tree.body[:-1]:  # the last statement is qN.check(...)
        code = "\n".join(lines[node.lineno - 1:node.end_lineno])
        binds = {t.id for t in ast.walk(node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        if "____" in code or answer_name in binds:
            continue
        kept.append(code)
    return "\n".join(kept)


def solved_source(exercise: Exercise, starter: str, module: str) -> str:
    """The cell that replaces a starter: kept statements, the reference, the same check."""
    problem = _problems(module)[exercise.name]
    if exercise.kind == "reflection":
        answer = f"{exercise.answer_name} = {problem.discussion.strip()!r}"
    else:
        answer = problem.solution_code()
        if not answer.strip():
            raise SolutionError(f"{module} {exercise.name}: the problem has no reference solution")
    parts = [MARK.format(q=exercise.name, module=module), kept_statements(starter, exercise.answer_name),
             answer, f"{exercise.name}.check({exercise.answer_name})"]
    return "\n".join(p for p in parts if p.strip())


def quiz_answers(quiz) -> dict[int, object]:
    """The right answer of every question of a ``course_lib.exercises.Quiz``: a letter or a number."""
    answers = {}
    for number, question in enumerate(quiz.questions, start=1):
        if hasattr(question, "correct"):
            answers[number] = question.correct
        else:
            value = question.expected() if callable(question.expected) else question.expected
            answers[number] = float(value)
    return answers


def solve_quiz(nb: nbformat.NotebookNode, lesson_number: int) -> int | None:
    """Fill the after-lesson quiz cell with the right answers; return its index (None if absent)."""
    from course_lib.exercises.quizzes import QUIZZES

    quiz = QUIZZES[lesson_number]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("quiz_after = {"):
            check = cell.source.splitlines()[-1]
            cell.source = f"quiz_after = {quiz_answers(quiz)!r}  # the right answers\n{check}"
            cell.outputs, cell.execution_count = [], None
            return index
    return None


def verify_quiz(nb: nbformat.NotebookNode, index: int | None, lesson: str, questions: int) -> None:
    """Raise SolutionError unless the filled-in quiz scored every question."""
    if index is None:
        return
    shown = _text_outputs(nb.cells[index])
    if f"{questions} of {questions} correct" not in shown:
        first = (shown or "no output").strip().splitlines()[0][:300]
        raise SolutionError(f"{lesson}: the quiz's right answers did not score {questions} of {questions}: {first}")


def _text_outputs(cell: nbformat.NotebookNode) -> str:
    texts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            texts.append(out.get("text", ""))
        elif out.get("output_type") in {"execute_result", "display_data"}:
            texts.append(out.get("data", {}).get("text/plain", ""))
        elif out.get("output_type") == "error":
            texts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(texts)


def verify(nb: nbformat.NotebookNode, exercises: list[Exercise], lesson: str) -> None:
    """Raise SolutionError naming every exercise whose check did not report success."""
    failures = []
    for exercise in exercises:
        cell = nb.cells[exercise.cell]
        results = [o for o in cell.get("outputs", []) if o.get("output_type") == "execute_result"]
        shown = results[-1].get("data", {}).get("text/plain", "") if results else ""
        if not shown.startswith(SUCCESS[exercise.kind]):
            got = (shown or _text_outputs(cell) or "no output").strip().splitlines()[0][:300]
            failures.append(f"{lesson} {exercise.name}: expected '{SUCCESS[exercise.kind]} ...', got: {got}")
    if failures:
        raise SolutionError("reference solutions that did not pass:\n  " + "\n  ".join(failures))


def _failed_cell(nb: nbformat.NotebookNode) -> int | None:
    for index, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    return None


def solve(notebook: Path, out_dir: Path) -> Path:
    """Write ``out_dir/<notebook name>``: the lesson with every exercise solved, executed and checked."""
    module = lesson_module(notebook)
    lesson = notebook.stem
    nb = nbformat.read(notebook, as_version=4)
    exercises = find_exercises(nb, module)
    for exercise in exercises:
        cell = nb.cells[exercise.cell]
        cell.source = solved_source(exercise, cell.source, module)
        cell.outputs, cell.execution_count = [], None
    lesson_number = int(module.removeprefix("lesson"))
    quiz_cell = solve_quiz(nb, lesson_number)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / notebook.name
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    try:
        client.execute()
    except CellExecutionError as error:
        nbformat.write(nb, target)
        index = _failed_cell(nb)
        names = [e.name for e in exercises if e.cell == index]
        where = f"{names[0]}'s reference solution" if names else f"cell {index}"
        first = str(error).strip().splitlines()[-1][:300] if str(error).strip() else type(error).__name__
        raise SolutionError(f"{lesson}: {where} raised: {first} (see {target})") from error
    nbformat.write(nb, target)
    verify(nb, exercises, lesson)
    from course_lib.exercises.quizzes import QUIZZES

    verify_quiz(nb, quiz_cell, lesson, len(QUIZZES[lesson_number].questions))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", help="lesson notebooks (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    os.environ["COURSE_QUIET"] = "1"
    os.environ.setdefault("PYTHONHASHSEED", "0")
    paths = [Path(p).resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    start = time.perf_counter()
    failed = []
    for path in paths:
        began = time.perf_counter()
        print(f"solving {path.name} ...", flush=True)
        try:
            target = solve(path, args.out.resolve())
        except SolutionError as error:
            failed.append(str(error))
            print(f"  FAILED: {error}", flush=True)
            continue
        print(f"  every check passed in {time.perf_counter() - began:.1f} s -> {target}", flush=True)
    print(f"{len(paths) - len(failed)} of {len(paths)} lessons solved in {time.perf_counter() - start:.1f} s")
    if failed:
        print("FAILED:\n" + "\n".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
