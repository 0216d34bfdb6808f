"""Root conftest: loaded for every test, including nbval's notebook items.

Kernels that nbval starts inherit this process's environment, so these settings reach them:
progress bars off (course_lib's one switch) and a fixed hash seed for reproducible outputs.
"""
import os
import tempfile

os.environ["COURSE_QUIET"] = "1"
# hypothesis keeps caches in .hypothesis/ of the working directory unless told otherwise
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "course-hypothesis"))
os.environ.setdefault("PYTHONHASHSEED", "0")


import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent

try:  # hypothesis keeps an example database in .hypothesis/ unless told not to
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("course", database=None)
    _hypothesis_settings.load_profile("course")
except ImportError:  # pragma: no cover
    pass


def _git_status() -> str | None:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config._course_git_status = _git_status()  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if the tests or notebooks wrote anything inside the repository."""
    before = getattr(session.config, "_course_git_status", None)
    after = _git_status()
    if before is None or after is None or before == after:
        return
    new = sorted(set(after.splitlines()) - set(before.splitlines()))
    if new:
        print("\nThe test run changed the repository (notebooks must write only to temporary directories):")
        for line in new[:20]:
            print("   ", line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
