"""Reference submission for assignment 01 (instructor material): a research extract and uniqueness."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from course_lib.data import column_roles

_ROLES = column_roles("patients")["role"]
DIRECT_IDENTIFIERS = frozenset(_ROLES[_ROLES == "direct identifier"].index)


def _consent(column: pd.Series) -> pd.Series:
    """True where consent is 1; missing is no consent; any value but 0, 1 or missing is an error."""
    values = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & ~values.isin([0, 1])
    if bad.any():
        raise ValueError(f"research_consent must be 0, 1 or missing, got {sorted(map(repr, column[bad].unique()))[:5]}")
    return values.eq(1)


def research_extract(
    patients: pd.DataFrame,
    columns: Sequence[str],
    *,
    retention_years: int,
    reference_date: str | pd.Timestamp = "2025-12-31",
) -> pd.DataFrame:
    """Rows with research consent admitted within the retention period, only ``columns``."""
    if isinstance(columns, str):
        raise TypeError(f"columns must be a list of column names, got the string {columns!r}")
    columns = list(columns)
    forbidden = [c for c in columns if c in DIRECT_IDENTIFIERS]
    if forbidden:
        raise PermissionError(f"columns {forbidden} are direct identifiers and are outside the research purpose")
    missing = [c for c in [*columns, "research_consent", "admission_date"] if c not in patients.columns]
    if missing:
        raise KeyError(f"patients lacks the columns {missing}")
    if isinstance(retention_years, bool) or not isinstance(retention_years, int) or retention_years < 0:
        raise ValueError(f"retention_years must be an int >= 0, got {retention_years!r}")
    reference = pd.Timestamp(reference_date)
    dates = pd.to_datetime(patients["admission_date"])
    if (dates > reference).any():
        raise ValueError(f"{int((dates > reference).sum())} admission dates lie after reference_date {reference.date()}")
    cutoff = reference - pd.DateOffset(years=retention_years)
    keep = _consent(patients["research_consent"]) & (dates >= cutoff)
    return patients.loc[keep, columns].reset_index(drop=True)


def unique_share(df: pd.DataFrame, columns: Sequence[str]) -> float:
    """Share of rows whose combination of ``columns`` occurs exactly once (missing is a value)."""
    counts = df.groupby(list(columns), dropna=False, sort=False)[list(columns)[0]].transform("size")
    return float((counts == 1).mean()) if len(df) else 0.0


def unique_share_by_hospital(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """:func:`unique_share` inside each hospital, indexed by hospital name (sorted)."""
    return pd.Series(
        {name: unique_share(part, columns) for name, part in df.groupby("hospital", sort=True)},
        name="unique_share",
        dtype=float,
    ).rename_axis("hospital")
