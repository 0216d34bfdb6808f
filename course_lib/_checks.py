"""Argument validation shared by every lesson module (private: not part of the course's API).

One place for the checks that several lessons need, so that every message has the same
shape: the argument's name, the rule, and the value that broke it
(``ValueError("epsilon must be > 0 and finite, got -1")``). Lesson modules import these;
they never import another lesson module's private helpers.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "column_list",
    "check_frame",
    "number",
    "positive",
    "non_negative",
    "epsilon",
    "probability",
    "bounds",
    "integer",
    "rng",
    "finite_array",
    "non_empty",
    "short_repr",
    "text",
    "path",
    "one_of",
    "flag",
    "timestamp",
    "finite_result",
]


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages about large inputs."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def column_list(columns: Sequence[str], argument: str) -> list[str]:
    """``columns`` as a list of names; refuses a bare string, an empty list and duplicates."""
    if isinstance(columns, str):
        raise TypeError(f"{argument} must be a sequence of column names, got the single string {columns!r}; write [{columns!r}]")
    try:
        names = list(columns)
    except TypeError:
        raise TypeError(f"{argument} must be a sequence of column names, got {type(columns).__name__}") from None
    if not names:
        raise ValueError(f"{argument} must name at least one column, got {names}")
    unhashable = [c for c in names if not isinstance(c, Hashable)]
    if unhashable:
        raise TypeError(f"{argument} must hold column names, got {type(unhashable[0]).__name__} {short_repr(unhashable[0])}")
    repeated = sorted({str(c) for c in names if names.count(c) > 1})
    if repeated:
        raise ValueError(f"{argument} must not repeat a column, got {repeated} more than once")
    return names


def check_frame(df: object, argument: str, columns: Sequence[str], named_by: str | None = None) -> pd.DataFrame:
    """``df`` if it is a non-empty DataFrame holding every one of ``columns``.

    ``named_by`` is the argument that named ``columns`` (``"quasi_identifiers"``), so that a
    missing column is reported against the argument the caller got wrong.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(df).__name__}")
    if len(df) == 0:
        raise ValueError(f"{argument} must have at least one row, got an empty DataFrame")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        source = f" (named in {named_by})" if named_by else ""
        raise ValueError(f"{argument} has no column(s) {missing}{source}; its columns are {short_repr(list(df.columns), 300)}")
    return df


def number(name: str, value: object) -> float:
    """``value`` as a finite float; ``TypeError`` for non-numbers (``bool`` included)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {short_repr(value)}")
    as_float = float(value)
    if not math.isfinite(as_float):
        raise ValueError(f"{name} must be finite, got {value}")
    return as_float


def positive(name: str, value: object) -> float:
    """``value`` as a float if it is a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {short_repr(value)}")
    as_float = float(value)
    if not math.isfinite(as_float) or as_float <= 0:
        raise ValueError(f"{name} must be > 0 and finite, got {value}")
    return as_float


def non_negative(name: str, value: object) -> float:
    """``value`` as a float if it is a finite number >= 0."""
    as_float = number(name, value)
    if as_float < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return as_float + 0.0  # -0.0 becomes 0.0 (numpy refuses a Laplace scale of -0.0 as "scale < 0")


def epsilon(value: object, name: str = "epsilon") -> float:
    """A privacy parameter epsilon: a finite number > 0."""
    return positive(name, value)


def probability(name: str, value: object, *, closed: bool = False) -> float:
    """A probability strictly between 0 and 1 (``closed=True`` also allows 0 and 1)."""
    as_float = number(name, value)
    inside = 0 <= as_float <= 1 if closed else 0 < as_float < 1
    if not inside:
        rule = "from 0 to 1" if closed else "strictly between 0 and 1"
        raise ValueError(f"{name} must be {rule}, got {value}")
    return as_float


def bounds(lower: object, upper: object, names: tuple[str, str] = ("lower", "upper")) -> tuple[float, float]:
    """Declared bounds ``lower < upper``, both finite numbers."""
    low, high = number(names[0], lower), number(names[1], upper)
    if not low < high:
        raise ValueError(f"{names[0]} must be < {names[1]}, got {names[0]}={lower}, {names[1]}={upper}")
    return low, high


def integer(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` if it is an int (not a bool) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {short_repr(value)}")
    as_int = int(value)
    if (minimum is not None and as_int < minimum) or (maximum is not None and as_int > maximum):
        if maximum is None:
            rule = f">= {minimum}"
        elif minimum is None:
            rule = f"<= {maximum}"
        else:
            rule = f"from {minimum} to {maximum}"
        raise ValueError(f"{name} must be an int {rule}, got {value}")
    return as_int


def rng(value: np.random.Generator | None, name: str = "rng") -> np.random.Generator:
    """The caller's ``numpy.random.Generator``, or a fresh unseeded one for ``None``.

    Never numpy's global state: a lesson passes the generator ``course_lib.setup()`` gave it.
    """
    if value is None:
        return np.random.default_rng()
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator or None, got {type(value).__name__}; "
            "make one with numpy.random.default_rng(seed)"
        )
    return value


def finite_array(name: str, values: Any, *, ndim: int | None = None, allow_bool: bool = True) -> np.ndarray:
    """``values`` as a float array with no NaN or infinity (and ``ndim`` dimensions if given).

    Text, dates, durations and complex numbers are refused, and so are booleans when
    ``allow_bool`` is False (a DP release of ``True`` is a mistake, not the number 1).
    """
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got {type(values).__name__} {short_repr(values)}")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got {type(values).__name__} {short_repr(values)}") from exc
    # text, dates and durations are refused rather than reinterpreted ("1" is not 1, and a
    # date is not its count of nanoseconds since 1970)
    if raw.dtype.kind == "b" and not allow_bool:
        raise TypeError(f"{name} must be numeric, got booleans {short_repr(raw.ravel()[:3].tolist())}")
    if raw.dtype.kind in "USMmVc" or (
        raw.dtype.kind == "O"
        and any(isinstance(v, (str, bytes, complex, dt.date, dt.timedelta, np.datetime64)) for v in raw.ravel()[:10_000])
    ):
        raise TypeError(f"{name} must be numeric, got values of kind {raw.dtype} such as {short_repr(raw.ravel()[:3].tolist())}")
    try:
        array = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got {type(values).__name__} {short_repr(values)}") from exc
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or infinity), got {short_repr(values, 200)}")
    return array


def non_empty(name: str, values: Any) -> np.ndarray:
    """A finite, non-empty 1-D float array."""
    array = finite_array(name, values)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {array.shape}")
    return array


def text(name: str, value: object, *, allow_empty: bool = False, max_length: int | None = None) -> str:
    """``value`` if it is a ``str`` (non-blank unless ``allow_empty``, at most ``max_length`` long)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {short_repr(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters long, got {len(value)} characters")
    return value


def path(name: str, value: object, *, kind: str = "any", must_exist: bool = False) -> Path:
    """``value`` as a ``Path``, refusing what would silently touch the wrong place.

    ``None``, numbers and bools are a ``TypeError`` (``open(0)`` would read standard input,
    ``Path(None)`` fails without naming the argument); an empty or blank path is a
    ``ValueError`` (``Path("")`` is the current directory). ``kind="file"`` refuses an
    existing directory, ``kind="dir"`` an existing file; ``must_exist=True`` raises
    ``FileNotFoundError`` (naming the argument) when nothing is there.
    """
    if kind not in ("any", "file", "dir"):
        raise ValueError(f"kind must be 'any', 'file' or 'dir', got {kind!r}")
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__} {short_repr(value)}")
    raw = os.fspath(value)
    if not isinstance(raw, str):
        raise TypeError(f"{name} must be a text path, got {type(raw).__name__} {short_repr(raw)}")
    if not raw.strip():
        raise ValueError(f"{name} must be a non-empty path, got {raw!r} (an empty path means the current directory)")
    if "\x00" in raw:
        raise ValueError(f"{name} must not contain a NUL character, got {short_repr(raw)}")
    result = Path(raw)
    if kind == "file" and result.is_dir():
        raise ValueError(f"{name} must be a file, got the directory {raw!r}")
    if kind == "dir" and result.exists() and not result.is_dir():
        raise ValueError(f"{name} must be a directory, got the file {raw!r}")
    if must_exist and not result.exists():
        raise FileNotFoundError(f"{name} does not exist: {raw!r}")
    return result


def one_of(name: str, value: object, choices: Sequence[object]) -> Any:
    """``value`` if it equals one of ``choices`` (compared only with values of a hashable kind)."""
    try:
        found = value in choices
    except TypeError:
        found = False
    if isinstance(value, bool) and not any(isinstance(c, bool) for c in choices):
        found = False
    if not found:
        raise ValueError(f"{name} must be one of {list(choices)}, got {short_repr(value)}")
    return value


def flag(name: str, value: object) -> bool:
    """``value`` if it is a ``bool`` (``verify="no"`` would otherwise count as true)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {short_repr(value)}")
    return bool(value)


def timestamp(name: str, value: object) -> pd.Timestamp:
    """``value`` as a ``pandas.Timestamp``: a date, datetime, Timestamp or ISO date string.

    Numbers are refused (``pd.Timestamp(5)`` is 5 nanoseconds after 1970, not a year), and
    so are missing values and text that is not a date.
    """
    if isinstance(value, str):
        if not _ISO_DATE.match(value.strip()):
            raise ValueError(f"{name} must be an ISO date 'YYYY-MM-DD' (optionally with a time), got {short_repr(value)}")
    elif value is pd.NaT or not isinstance(value, (dt.date, np.datetime64)):
        raise TypeError(f"{name} must be a date (datetime.date, pandas.Timestamp or 'YYYY-MM-DD'), got {type(value).__name__} {short_repr(value)}")
    try:
        result = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{name} is not a valid date: {short_repr(value)} ({exc})") from None
    if result is pd.NaT or pd.isna(result):
        raise ValueError(f"{name} must be a date, got a missing value {short_repr(value)}")
    return result


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def finite_result(name: str, value: float, cause: str) -> float:
    """``value`` if it is finite; otherwise a ``ValueError`` saying which inputs overflowed."""
    if not math.isfinite(value):
        raise ValueError(f"{name} is not finite ({value}): {cause}")
    return value
