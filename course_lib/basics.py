"""Lesson 01 (privacy basics): why removing names is not anonymisation, and what to do instead.

What this module teaches, read top to bottom:

1. **Uniqueness** (:func:`uniqueness`): the share of records that no other record shares on a
   set of columns. Sweeney (2000) estimated that 87 % of the US population is unique on
   5-digit ZIP, sex and date of birth; unique records are the ones a linkage attack can name.
2. **The linkage attack** (:func:`linkage_attack`): join a "de-identified" release with a
   public register on the quasi-identifiers and keep the released records that match exactly
   one registered person (Sweeney, 2002, *k-anonymity: a model for protecting privacy*).
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = [
    "uniqueness",
    "linkage_attack",
]


# --------------------------------------------------------------------------------------
# Validation shared by the public functions
# --------------------------------------------------------------------------------------


def _column_list(columns: Sequence[str], argument: str) -> list[str]:
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


def _check_frame(df: object, argument: str, columns: Sequence[str]) -> pd.DataFrame:
    """``df`` if it is a non-empty DataFrame holding every one of ``columns``."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(df).__name__}")
    if len(df) == 0:
        raise ValueError(f"{argument} must have at least one row, got an empty DataFrame")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{argument} has no column(s) {missing}; its columns are {list(df.columns)}")
    return df


# --------------------------------------------------------------------------------------
# 1. Uniqueness and the linkage attack
# --------------------------------------------------------------------------------------


def uniqueness(df: pd.DataFrame, columns: Sequence[str]) -> float:
    """Share of rows of ``df`` whose combination of values in ``columns`` occurs exactly once.

    A row that is unique on its quasi-identifiers can be singled out by anyone who knows
    those values about a person (Sweeney, 2000, *Simple demographics often identify people
    uniquely*). Missing values count as a value of their own. Returns a float in [0, 1].
    """
    names = _column_list(columns, "columns")
    _check_frame(df, "df", names)
    sizes = df.groupby(names, dropna=False, sort=False, observed=True).size()
    return float((sizes == 1).sum() / len(df))


def linkage_attack(released: pd.DataFrame, public: pd.DataFrame, on: Sequence[str]) -> pd.DataFrame:
    """The released records that match exactly one person of ``public`` on the ``on`` columns.

    This is Sweeney's linkage attack (Sweeney, 2002): the released data keeps
    quasi-identifiers (date of birth, sex, ZIP), the public register maps the same
    quasi-identifiers to names, and a join names every released record whose combination
    occurs once in the register. Returns one row per re-identified released record: its
    released columns, then the public record's other columns (``name``, ``roll_id``, ...),
    with the suffix ``_public`` where a name clashes; the index is reset. Public rows with a
    missing value in ``on`` never match. A released record whose combination is shared by
    other released records is still returned when the register has exactly one candidate:
    the attacker then knows the person is one of those records.
    """
    keys = _column_list(on, "on")
    _check_frame(released, "released", keys)
    _check_frame(public, "public", keys)
    candidates = public[public[keys].notna().all(axis=1)]
    one_person = candidates[~candidates.duplicated(subset=keys, keep=False)]
    try:
        linked = released.merge(one_person, on=keys, how="inner", suffixes=("", "_public"), validate="many_to_one")
    except ValueError as exc:  # e.g. dates in one frame, strings in the other
        kinds = {c: (str(released[c].dtype), str(public[c].dtype)) for c in keys}
        raise ValueError(f"cannot join released and public on {keys}: column types (released, public) are {kinds}: {exc}") from exc
    return linked.reset_index(drop=True)
