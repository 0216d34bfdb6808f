"""course_lib: the helper package of the course *Privacy-Preserving and Responsible ML in Python*.

Each lesson has one module (``basics`` for lesson 01, ``dp`` for lesson 04, ...); the shared
modules are :mod:`course_lib.data` (the shipped datasets), :mod:`course_lib.plotting` (the one
plot style), :mod:`course_lib.models` (the models and comparisons several lessons train on
the same data), :mod:`course_lib.exercises` (checked exercises) and the private
``course_lib._checks`` (argument validation shared by every module).

Every lesson starts with::

    import course_lib
    rng = course_lib.setup(seed=0)
"""
from __future__ import annotations

import os
import random
import sys
import warnings
from collections.abc import Iterable, Iterator
from importlib import metadata
from typing import TypeVar

import numpy as np

__all__ = ["setup", "progress", "quiet", "versions", "check_environment", "BENIGN_WARNINGS", "SUPPORTED_PYTHON", "__version__"]
__version__ = "0.1.0"

#: Libraries whose versions the environment check prints (distribution names).
#: The Python version the pins were measured on (the Makefile checks the same one).
SUPPORTED_PYTHON = "3.11"
KEY_LIBRARIES = ("numpy", "pandas", "scikit-learn", "matplotlib", "cryptography", "diffprivlib", "fairlearn", "shap")

#: The only warnings :func:`setup` silences: (category, message regex, why it is benign).
#: Everything else stays visible, because a warning is often the lesson (e.g. diffprivlib's
#: ``PrivacyLeakWarning``). Add an entry here, with its reason, rather than silencing broadly.
BENIGN_WARNINGS: tuple[tuple[type[Warning], str, str], ...] = (
    (UserWarning, r"FigureCanvasAgg is non-interactive", "plt.show() under the Agg backend of tests"),
    (DeprecationWarning, r"Jupyter is migrating its paths", "jupyter_core notice, not about course code"),
    (UserWarning, r"IProgress not found", "tqdm without ipywidgets in plain Python"),
)

T = TypeVar("T")


def quiet() -> bool:
    """True when progress bars must stay silent: tests, committed outputs, CI.

    The one switch is the environment variable ``COURSE_QUIET`` (``1`` silences); the test
    suite and ``make outputs`` set it, a person at the keyboard does not.
    """
    return os.environ.get("COURSE_QUIET", "0") not in ("", "0", "false", "False")


def progress(iterable: Iterable[T], *, desc: str | None = None, total: int | None = None) -> Iterator[T]:
    """Wrap a slow loop in a tqdm progress bar, unless :func:`quiet` says not to.

    The arguments are checked at the call, not at the first step of the loop.
    """
    if not isinstance(iterable, Iterable):
        raise TypeError(f"iterable must be iterable (a list, range, generator...), got {type(iterable).__name__}")
    if desc is not None and not isinstance(desc, str):
        raise TypeError(f"desc must be a str or None, got {type(desc).__name__}")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        raise ValueError(f"total must be an int >= 0 or None, got {total!r}")
    if quiet():
        return iter(iterable)
    from tqdm.auto import tqdm

    return iter(tqdm(iterable, desc=desc, total=total, leave=False))


def versions(libraries: Iterable[str] = KEY_LIBRARIES) -> dict[str, str]:
    """Installed versions of ``libraries`` (distribution names), without importing them."""
    if isinstance(libraries, (str, bytes)) or type(libraries).__name__ == "DataFrame":
        raise TypeError(f"libraries must be a collection of distribution names, got the single string {libraries!r}; write [{libraries!r}]")
    try:
        names = list(libraries)
    except TypeError:
        raise TypeError(f"libraries must be a collection of distribution names, got {type(libraries).__name__}") from None
    bad = [n for n in names if not isinstance(n, str) or not n.strip()]
    if bad:
        raise TypeError(f"libraries must hold non-empty names (str), got {bad[0]!r}")
    found = {"python": f"{sys.version_info.major}.{sys.version_info.minor}"}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def _pins(requirements: str | os.PathLike[str]) -> dict[str, str]:
    pins = {}
    with open(requirements, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#")[0].strip()
            if "==" in line:
                name, version = line.split("==", 1)
                pins[name.strip()] = version.strip()
    return pins


def _running_python() -> str:
    """The running interpreter's ``major.minor`` version."""
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def check_environment(requirements: str | os.PathLike[str] | None = None) -> dict[str, tuple[str, str]]:
    """Compare the Python version and the installed packages with the course's pins.

    Returns ``{package: (pinned, installed)}`` for every package of ``requirements.txt`` that
    differs or is missing (installed is ``None``), plus ``"python": (SUPPORTED_PYTHON, running)``
    when the interpreter is not the supported version; an empty dict means the environment
    is exactly the course's. One line for students:
    ``python -c "import course_lib; print(course_lib.check_environment() or 'environment OK')"``.
    """
    from course_lib import _checks

    if requirements is None:
        requirements = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "requirements.txt")
    # a number would be a file descriptor to open() (0 is standard input): refuse it by name
    requirements = _checks.path("requirements", requirements, kind="file")
    if not requirements.is_file():
        raise FileNotFoundError(f"requirements file not found: {requirements}")
    if requirements.stat().st_size > 1_000_000:
        raise ValueError(f"requirements must be a pip requirements file under 1 MB, got {requirements.stat().st_size} bytes")
    try:
        pins = _pins(requirements)
    except UnicodeDecodeError as exc:
        raise ValueError(f"requirements must be a UTF-8 text file, got undecodable bytes in {requirements}: {exc.reason}") from None
    if not pins:
        raise ValueError(f"{requirements} pins no package with ==")
    installed = versions(pins)
    differences = {name: (pin, installed[name]) for name, pin in pins.items() if installed[name] != pin}
    running = _running_python()
    if running != SUPPORTED_PYTHON:
        differences["python"] = (SUPPORTED_PYTHON, running)
    return differences


def setup(seed: int = 0, *, style: bool = True, show_versions: bool = True) -> np.random.Generator:
    """Prepare a lesson: seed, plot style, benign warnings off, versions printed.

    Seeds Python's :mod:`random` and NumPy's legacy global generator (some libraries still
    draw from it), applies the course plot style, silences only :data:`BENIGN_WARNINGS`,
    prints one line of key library versions, and returns a fresh
    ``numpy.random.Generator`` seeded with ``seed`` for the lesson to pass around.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:  # numpy.random.seed accepts 0 .. 2**32 - 1
        raise ValueError(f"seed must be an int from 0 to 2**32 - 1, got {seed}")
    for name, value in (("style", style), ("show_versions", show_versions)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))  # noqa: NPY002 - libraries that use the legacy global generator
    for category, message, _why in BENIGN_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category)
    if style:
        from course_lib.plotting import apply_style

        apply_style()
    if show_versions:
        line = " | ".join(f"{k} {v}" for k, v in versions().items())
        print(f"course_lib {__version__} | seed {seed} | {line}")
    return np.random.default_rng(int(seed))
