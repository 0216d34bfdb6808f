"""The take-home assignments in instructors/assignments/: their files, rubrics and tests.

Every lesson notebook ``notebooks/NN_x.ipynb`` has a folder ``instructors/assignments/NN_x/``
(layout in ``instructors/assignments/README.md``). For each folder this module runs the
assignment's own ``test_submission.py`` in a separate pytest process, the way an instructor
does, on two submissions that ship with it:

* ``reference/``: a full-marks submission, which must pass every test;
* ``flawed/``: a plausible student mistake, which must fail, and fail for the expected reason:
  every test named in ``flawed/EXPECTED_FAILURES.txt`` must fail (a name also covers its
  parametrised cases), while at least one other test passes (the flaw is a mistake, not a
  broken file).

It also checks that the tests refuse to run without ``SUBMISSION_DIR`` and say why, and that
each ASSIGNMENT.md has a rubric table saying which criteria the tests grade and which the
instructor grades by reading.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "instructors" / "assignments"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FOLDERS = sorted(p for p in ASSIGNMENTS.glob("[0-9][0-9]_*") if p.is_dir()) if ASSIGNMENTS.is_dir() else []
REQUIRED_FILES = [
    "ASSIGNMENT.md",
    "test_submission.py",
    "reference/submission.py",
    "flawed/submission.py",
    "flawed/EXPECTED_FAILURES.txt",
]
#: The contract asks for tests that run in under 10 s; the limit here leaves room for a busy machine.
MAX_TEST_SECONDS = 20.0
RUN_TIMEOUT = 300


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@dataclass
class Run:
    """One pytest process over an assignment's tests: exit code, outcome per test id, output."""

    returncode: int
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed / failed / error / skipped
    messages: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # time spent in the tests themselves (setup, call, teardown)
    output: str = ""

    def named(self, name: str) -> dict[str, str]:
        """Outcomes of the test ``name`` and of its parametrised cases ``name[...]``."""
        return {k: v for k, v in self.outcomes.items() if k == name or k.startswith(f"{name}[")}

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


def run_assignment_tests(test_files: list[Path], submission: Path | None, tmp_path: Path, *extra: str) -> Run:
    """Run pytest on ``test_files`` with ``SUBMISSION_DIR=submission`` (unset when None), as an instructor would."""
    junit = tmp_path / "junit.xml"
    env = os.environ.copy()
    env.pop("SUBMISSION_DIR", None)
    if submission is not None:
        env["SUBMISSION_DIR"] = str(submission)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ inside the repository's submission folders
    env["COURSE_QUIET"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    command = [
        sys.executable, "-m", "pytest", *map(str, test_files),
        "-o", "addopts=",  # not the repository's --nbval options
        "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:nbval",
        "-q", "-rfE", f"--junitxml={junit}", f"--basetemp={tmp_path / 'basetemp'}", *extra,
    ]
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    run = Run(returncode=completed.returncode, output=completed.stdout + completed.stderr)
    if not junit.is_file():
        return run
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        key = name if len(test_files) == 1 else f"{case.get('classname')}::{name}"
        run.seconds += float(case.get("time", 0.0))
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
                message = (child.get("message") or "") + "\n" + (child.text or "")
                if outcome != "skipped":
                    break
        run.outcomes[key] = outcome
        run.messages[key] = message
    return run


def expected_failures(folder: Path) -> list[str]:
    """The test names listed in ``flawed/EXPECTED_FAILURES.txt`` (blank lines and # comments ignored)."""
    text = (folder / "flawed" / "EXPECTED_FAILURES.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


# --------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------


def test_every_notebook_has_an_assignment():
    missing = [nb.stem for nb in NOTEBOOKS if not (ASSIGNMENTS / nb.stem).is_dir()]
    assert not missing, f"notebooks without an assignment folder instructors/assignments/<notebook stem>/: {missing}"


def test_every_assignment_belongs_to_a_notebook():
    stems = {nb.stem for nb in NOTEBOOKS}
    strays = [p.name for p in ASSIGNMENTS.iterdir() if p.is_dir() and p.name not in stems and not p.name.startswith((".", "_"))]
    assert not strays, f"assignment folders named after no notebook: {strays} (name them NN_<notebook stem>)"
    assert (ASSIGNMENTS / "README.md").is_file(), "instructors/assignments/README.md must document the layout"


@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_assignment_has_the_required_files(folder):
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    assert not missing, f"{folder.name} lacks {missing}"
    assert expected_failures(folder), f"{folder.name}/flawed/EXPECTED_FAILURES.txt names no test"
    assignment = (folder / "ASSIGNMENT.md").read_text(encoding="utf-8")
    assert "submission.py" in assignment, f"{folder.name}/ASSIGNMENT.md must say what submission.py defines"


def rubric_table(markdown: str) -> list[list[str]]:
    """The rows (header first) of the first table after a heading that mentions 'rubric'."""
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("#") and "rubric" in line.lower()), None)
    if start is None:
        return []
    rows: list[list[str]] = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return [row for row in rows if not all(re.fullmatch(r":?-{3,}:?", cell) for cell in row)]


@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_assignment_has_a_rubric_table(folder):
    rows = rubric_table((folder / "ASSIGNMENT.md").read_text(encoding="utf-8"))
    assert len(rows) >= 4, f"{folder.name}/ASSIGNMENT.md needs a '## Rubric' heading followed by a table of criteria"
    header, body = rows[0], rows[1:]
    assert len(header) >= 3 and all(len(row) == len(header) for row in body), (
        f"{folder.name}: every rubric row needs the header's {len(header)} cells (criterion, levels with points, grader)"
    )
    text = [" ".join(row).lower() for row in body]
    assert any(re.search(r"automat|tests?\b", row) for row in text), f"{folder.name}: say which criteria the tests grade"
    assert any(re.search(r"instructor|\bread", row) for row in text), (
        f"{folder.name}: say which criteria the instructor grades by reading"
    )
    assert any(re.search(r"\d", cell) for row in body for cell in row), f"{folder.name}: the rubric gives no points"


# --------------------------------------------------------------------------------------
# The assignments' own tests, on the shipped submissions
# --------------------------------------------------------------------------------------


@pytest.mark.assignments
@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_reference_submission_passes(folder, tmp_path):
    start = time.perf_counter()
    run = run_assignment_tests([folder / "test_submission.py"], folder / "reference", tmp_path)
    wall = time.perf_counter() - start
    assert run.returncode == 0, f"{folder.name}: the reference submission fails its tests:\n{run.tail()}"
    passed = [k for k, v in run.outcomes.items() if v == "passed"]
    assert len(passed) >= 3, f"{folder.name}: only {len(passed)} tests passed; an assignment needs real tests"
    assert run.seconds < MAX_TEST_SECONDS, (
        f"{folder.name}: the tests took {run.seconds:.1f} s (wall {wall:.1f} s); keep them under 10 s"
    )
    leftovers = [p for p in (folder / "reference").rglob("*") if p.name == "__pycache__"]
    assert not leftovers, f"{folder.name}: the run left {leftovers} in the repository"


@pytest.mark.assignments
@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_flawed_submission_fails_for_the_expected_reason(folder, tmp_path):
    run = run_assignment_tests([folder / "test_submission.py"], folder / "flawed", tmp_path)
    assert run.returncode == 1, (
        f"{folder.name}: the flawed submission should fail some tests (exit code 1), got {run.returncode}:\n{run.tail()}"
    )
    problems = []
    for name in expected_failures(folder):
        cases = run.named(name)
        if not cases:
            problems.append(f"{name}: no such test in test_submission.py")
        elif not any(outcome in ("failed", "error") for outcome in cases.values()):
            problems.append(f"{name}: expected to fail, but {sorted(set(cases.values()))}")
    assert not problems, f"{folder.name}/flawed/EXPECTED_FAILURES.txt:\n  " + "\n  ".join(problems) + f"\n{run.tail()}"
    passed = [k for k, v in run.outcomes.items() if v == "passed"]
    assert passed, f"{folder.name}: the flawed submission passes no test at all; it should be a plausible attempt"


@pytest.mark.assignments
def test_tests_refuse_to_run_without_a_submission(tmp_path):
    """One process over every assignment with SUBMISSION_DIR unset: nothing passes, each failure says why."""
    files = [folder / "test_submission.py" for folder in FOLDERS if (folder / "test_submission.py").is_file()]
    if not files:
        pytest.skip("no assignment tests yet")
    run = run_assignment_tests(files, None, tmp_path, "--import-mode=importlib")
    assert run.returncode != 0, f"the tests passed without SUBMISSION_DIR:\n{run.tail()}"
    passed = [k for k, v in run.outcomes.items() if v == "passed"]
    assert not passed, f"these tests pass without a submission (they test nothing of the student's): {passed[:10]}"
    unclear = [k for k, v in run.outcomes.items() if v in ("failed", "error") and "SUBMISSION_DIR" not in run.messages[k]]
    assert not unclear, f"these tests fail without naming SUBMISSION_DIR: {unclear[:10]}"
    second = tmp_path / "second"
    second.mkdir()
    run = run_assignment_tests(files[:1], tmp_path / "nowhere", second)
    failing = [k for k, v in run.outcomes.items() if v in ("failed", "error")]
    assert failing and all("submission.py" in run.messages[k] for k in failing), (
        f"with SUBMISSION_DIR pointing at a folder without submission.py the tests should say so:\n{run.tail()}"
    )
