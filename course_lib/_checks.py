"""Argument validation shared by every lesson module (private: not part of the course's API).

One place for the checks that several lessons need, so that every message has the same
shape: the argument's name, the rule, and the value that broke it
(``ValueError("epsilon must be > 0 and finite, got -1")``). Lesson modules import these;
they never import another lesson module's private helpers.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
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
    repeated = sorted({str(c) for c in names if names.count(c) > 1})
    if repeated:
        raise ValueError(f"{argument} must not repeat a column, got {repeated} more than once")
    return names


def check_frame(df: object, argument: str, columns: Sequence[str]) -> pd.DataFrame:
    """``df`` if it is a non-empty DataFrame holding every one of ``columns``."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(df).__name__}")
    if len(df) == 0:
        raise ValueError(f"{argument} must have at least one row, got an empty DataFrame")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{argument} has no column(s) {missing}; its columns are {list(df.columns)}")
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
    return as_float


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


def finite_array(name: str, values: Any, *, ndim: int | None = None) -> np.ndarray:
    """``values`` as a float array with no NaN or infinity (and ``ndim`` dimensions if given)."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got {type(values).__name__} {short_repr(values)}")
    try:
        array = np.asarray(values, dtype=float)
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
