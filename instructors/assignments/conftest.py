"""Shared by every assignment's ``test_submission.py``: load the student's ``submission.py``.

The folder comes from the environment variable ``SUBMISSION_DIR`` (see README.md in this folder).
A missing variable, a folder without ``submission.py`` or an import that raises fails the test
with one line that says which, and no ``__pycache__`` is written into the student's folder.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest


def load_submission(name: str = "student_submission") -> ModuleType:
    """Import ``$SUBMISSION_DIR/submission.py`` as a fresh module called ``name``."""
    folder = os.environ.get("SUBMISSION_DIR", "").strip()
    if not folder:
        pytest.fail("SUBMISSION_DIR is not set: point it at the folder that holds the student's submission.py "
                    "(SUBMISSION_DIR=path/to/student pytest ...)", pytrace=False)
    path = Path(folder).expanduser().resolve() / "submission.py"
    if not path.is_file():
        pytest.fail(f"SUBMISSION_DIR={folder!r} holds no submission.py (looked for {path})", pytrace=False)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # nothing written into the folder
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the student's import error is the finding: one line, not a traceback
        pytest.fail(f"importing submission.py raised {type(exc).__name__}: {exc}", pytrace=False)
    finally:
        sys.dont_write_bytecode = previous
    return module


@pytest.fixture(scope="module")
def submission(request: pytest.FixtureRequest) -> ModuleType:
    """The student's module, imported once per assignment test file."""
    assignment = Path(str(request.fspath)).parent.name
    return load_submission(f"submission_{assignment}")


@pytest.fixture(scope="module")
def sub(submission: ModuleType) -> ModuleType:
    """The same module under the short name the tests of assignments 00-05 use."""
    return submission
