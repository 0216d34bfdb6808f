"""Lesson 01 (privacy basics): why removing names is not anonymisation, and what to do instead.

What this module teaches, read top to bottom:

1. **Uniqueness** (:func:`uniqueness`): the share of records that no other record shares on a
   set of columns. Sweeney (2000) estimated from the 1990 US census that 87 % of the US
   population was unique on 5-digit ZIP, sex and date of birth; Golle (2006), with the 2000
   census, found 63 %. Unique records are the ones a linkage attack can name.
2. **The linkage attack** (:func:`linkage_attack`): join a "de-identified" release with a
   public register on the quasi-identifiers and keep the released records that match exactly
   one registered person (Sweeney, 2002, *k-anonymity: a model for protecting privacy*).
   :func:`profile_columns`, :func:`uniqueness_by_columns` and
   :func:`reidentification_by_columns` measure how identifying each column set is.
3. **Data minimisation, measured** (:func:`course_lib.models.compare_feature_sets`,
   :func:`course_lib.models.paired_difference_interval`, re-exported here): the same model
   with and without identifiers and unneeded columns, over repeated cross-validation
   splits, with a confidence interval for the accuracy difference.
4. **Consent, purpose limitation and retention as code** (:class:`Purpose`,
   :func:`select_for_purpose`, :func:`apply_retention`), relative to the data's fixed
   :data:`REFERENCE_DATE`.
5. **The law, mapped to engineering** (:func:`principles_table`): GDPR and CCPA principles,
   the practice that implements each, and the lesson that teaches it.
6. **Access control and its limits** (:func:`restrict_permissions`, :func:`file_mode`):
   ``os.chmod`` and ``os.stat`` on a file in a directory the caller gives.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib import _checks
from course_lib.models import compare_feature_sets, paired_difference_interval, readmission_model

__all__ = [
    "uniqueness",
    "linkage_attack",
    "profile_columns",
    "uniqueness_by_columns",
    "reidentification_by_columns",
    "readmission_model",
    "compare_feature_sets",
    "paired_difference_interval",
    "REFERENCE_DATE",
    "Purpose",
    "select_for_purpose",
    "apply_retention",
    "principles_table",
    "file_mode",
    "restrict_permissions",
]


_column_list = _checks.column_list
_check_frame = _checks.check_frame


# --------------------------------------------------------------------------------------
# 1-2. Uniqueness and the linkage attack
# --------------------------------------------------------------------------------------


def uniqueness(df: pd.DataFrame, columns: Sequence[str]) -> float:
    """Share of rows of ``df`` whose combination of values in ``columns`` occurs exactly once.

    A row that is unique on its quasi-identifiers can be singled out by anyone who knows
    those values about a person (Sweeney, 2000, *Simple demographics often identify people
    uniquely*). Missing values count as a value of their own. Returns a float in [0, 1].
    """
    names = _column_list(columns, "columns")
    _check_frame(df, "df", names, "columns")
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
    _check_frame(released, "released", keys, "on")
    _check_frame(public, "public", keys, "on")
    candidates = public[public[keys].notna().all(axis=1)]
    one_person = candidates[~candidates.duplicated(subset=keys, keep=False)]
    try:
        linked = released.merge(one_person, on=keys, how="inner", suffixes=("", "_public"), validate="many_to_one")
    except ValueError as exc:  # e.g. dates in one frame, strings in the other
        kinds = {c: (str(released[c].dtype), str(public[c].dtype)) for c in keys}
        raise ValueError(f"cannot join released and public on {keys}: column types (released, public) are {kinds}: {exc}") from exc
    return linked.reset_index(drop=True)


def profile_columns(df: pd.DataFrame, roles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Each column's distinct values and :func:`uniqueness` on its own, with its role if given.

    The measurement behind a classification: a direct identifier is (nearly) unique alone;
    a quasi-identifier is not, yet becomes unique in combination (see
    :func:`uniqueness_by_columns`). ``roles`` maps column names to roles (for the shipped
    data, :data:`course_lib.data.COLUMN_ROLES`); a column without one gets ``"unknown"``.
    """
    _check_frame(df, "df", [])
    if roles is not None and not isinstance(roles, Mapping):
        raise TypeError(f"roles must be a mapping of column name to role, got {type(roles).__name__}")
    bad = [(c, r) for c, r in (roles or {}).items() if not isinstance(r, str)]
    if bad:
        raise TypeError(f"roles must map column names to role names (str), got {bad[0][0]!r}: {bad[0][1]!r}")
    rows = {
        column: {
            "role": (roles or {}).get(column, "unknown"),
            "distinct": int(df[column].nunique(dropna=False)),
            "unique_alone": uniqueness(df, [column]),
        }
        for column in df.columns
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("column")


def uniqueness_by_columns(df: pd.DataFrame, column_sets: Mapping[str, Sequence[str]]) -> pd.Series:
    """:func:`uniqueness` for each named set of columns, in the order given (for a plot)."""
    sets = _column_sets(column_sets)
    return pd.Series({label: uniqueness(df, cols) for label, cols in sets.items()}, name="uniqueness", dtype=float)


def reidentification_by_columns(
    released: pd.DataFrame, public: pd.DataFrame, column_sets: Mapping[str, Sequence[str]]
) -> pd.Series:
    """Share of ``released`` that :func:`linkage_attack` re-identifies, for each named column set."""
    sets = _column_sets(column_sets)
    _check_frame(released, "released", [])
    return pd.Series(
        {label: len(linkage_attack(released, public, cols)) / len(released) for label, cols in sets.items()},
        name="reidentified",
        dtype=float,
    )


def _column_sets(column_sets: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if not isinstance(column_sets, Mapping):
        raise TypeError(f"column_sets must be a mapping of label to column list, got {type(column_sets).__name__}")
    if not column_sets:
        raise ValueError("column_sets must hold at least one column set, got an empty mapping")
    return {str(label): _column_list(cols, f"column_sets[{label!r}]") for label, cols in column_sets.items()}


# --------------------------------------------------------------------------------------
# 3. Data minimisation, measured: the model and the comparison live in course_lib.models
#    (lessons 03 and 05-10 train the same model); they are re-exported here for lesson 01.
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# 4. Consent, purpose limitation and retention, as code
# --------------------------------------------------------------------------------------

#: "Today" for the fictional hospitals (datasets/DATASHEET.md). Rules are applied relative to
#: this fixed date, never to ``datetime.now()``, so that results do not change from day to day.
REFERENCE_DATE = pd.Timestamp("2025-12-31")


@dataclass(frozen=True)
class Purpose:
    """A declared purpose of processing: the columns it needs and the consent it requires.

    GDPR Art. 5(1)(b) (purpose limitation) and 5(1)(c) (data minimisation): data is
    collected for a stated purpose and only what that purpose needs is used.
    """

    name: str
    columns: tuple[str, ...]
    consent_column: str | None = "research_consent"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        columns = tuple(_column_list(self.columns, "columns"))
        bad = [c for c in columns if not isinstance(c, str) or not c.strip()]
        if bad:
            raise TypeError(f"columns must be column names (non-empty str), got {bad[0]!r}")
        object.__setattr__(self, "columns", columns)
        # None is the one explicit way to declare a purpose that needs no consent (e.g. a
        # legal obligation, GDPR Art. 6(1)(c)); "", 0 or False must not switch consent off.
        consent = self.consent_column
        if consent is not None:
            if not isinstance(consent, str):
                raise TypeError(
                    f"consent_column must be a column name (str), or None for a purpose that needs no consent, "
                    f"got {type(consent).__name__} {consent!r}"
                )
            if not consent.strip():
                raise ValueError(f"consent_column must be a non-empty column name, or None for no consent, got {consent!r}")
            if consent in columns:
                raise ValueError(f"consent_column {consent!r} must not also be one of the purpose's columns")


def select_for_purpose(df: pd.DataFrame, purpose: Purpose, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows that consented to ``purpose`` and only the columns it allows.

    A row consents when its ``purpose.consent_column`` equals 1; a missing value is no
    consent (consent must be given, GDPR Art. 4(11) and 7). Any value other than 0, 1 or
    missing (``7``, ``"yes"``, ``True`` in a text column) is an error, not "no consent": a
    consent column that means something else must be fixed, not silently read. Asking for
    ``columns`` outside the purpose raises :class:`PermissionError` naming them. The index
    is reset.
    """
    if not isinstance(purpose, Purpose):
        raise TypeError(f"purpose must be a Purpose, got {type(purpose).__name__}")
    wanted = list(purpose.columns) if columns is None else _column_list(columns, "columns")
    outside = [c for c in wanted if c not in purpose.columns]
    if outside:
        raise PermissionError(f"columns {outside} are outside the purpose {purpose.name!r}, which allows {list(purpose.columns)}")
    _check_frame(df, "df", wanted, "columns" if columns is not None else "purpose.columns")
    if purpose.consent_column is not None:
        _check_frame(df, "df", [purpose.consent_column], "purpose.consent_column")
    if purpose.consent_column is None:
        rows = pd.Series(True, index=df.index)
    else:
        rows = _consent_given(df[purpose.consent_column], purpose.consent_column)
    return df.loc[rows, wanted].reset_index(drop=True)


def _consent_given(column: pd.Series | pd.DataFrame, name: str) -> pd.Series:
    """True where ``column`` is 1; missing is False; anything but 0, 1 or missing is an error."""
    if isinstance(column, pd.DataFrame):
        raise ValueError(f"df has {column.shape[1]} columns named {name!r}; the consent column must be unique")
    kind = column.dtype
    if pd.api.types.is_bool_dtype(kind):
        return column.fillna(False).astype(bool)
    if not pd.api.types.is_numeric_dtype(kind) and column.notna().any():
        present = column.dropna()
        if not present.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)).all():
            raise ValueError(
                f"df[{name!r}] must hold consent as 0/1 (or missing), got values of dtype {kind} such as {present.iloc[0]!r}"
            )
    values = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & ~values.isin([0, 1])
    if bad.any():
        examples = sorted({repr(v) for v in column[bad].head(20)})[:5]
        raise ValueError(
            f"df[{name!r}] must hold consent as 0 or 1 (missing means no consent), got {int(bad.sum())} other values: {examples}"
        )
    return values.eq(1)


def apply_retention(
    df: pd.DataFrame, date_column: str, max_age_years: int, reference_date: pd.Timestamp | str = REFERENCE_DATE
) -> pd.DataFrame:
    """Keep the rows whose ``date_column`` lies within ``max_age_years`` before ``reference_date``.

    Storage limitation (GDPR Art. 5(1)(e)): keep data no longer than the purpose needs. A
    row dated exactly ``max_age_years`` before the reference date is kept; a missing date
    is dropped (its age cannot be shown); a date after the reference date is an error.
    ``reference_date`` must be a date or an ISO date string: a missing or unparsable one
    is an error (never a cut-off that silently drops every row), and so is a number.
    """
    if not isinstance(date_column, str):
        raise TypeError(f"date_column must be one column name (str), got {type(date_column).__name__} {date_column!r}")
    _check_frame(df, "df", [date_column], "date_column")
    max_age_years = _checks.integer("max_age_years", max_age_years, minimum=0, maximum=150)
    if not pd.api.types.is_datetime64_any_dtype(df[date_column]):
        raise TypeError(f"df[{date_column!r}] must hold dates (datetime64), got {df[date_column].dtype}")
    reference = _checks.timestamp("reference_date", reference_date)
    column_tz = getattr(df[date_column].dt, "tz", None)
    if (column_tz is None) != (reference.tz is None):
        raise ValueError(
            f"reference_date and df[{date_column!r}] must both have a time zone or both have none, "
            f"got {reference.tz} and {column_tz}"
        )
    future = int((df[date_column] > reference).sum())
    if future:
        raise ValueError(f"{future} rows of {date_column!r} lie after reference_date {reference.date()}")
    cutoff = reference - pd.DateOffset(years=int(max_age_years))
    return df[df[date_column] >= cutoff].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# 5. Principles of GDPR and CCPA, mapped to engineering practice and to this course
# --------------------------------------------------------------------------------------

_PRINCIPLES = [
    ("Lawfulness, fairness, transparency", "Art. 5(1)(a), 13-14", "§1798.100(a) notice at collection",
     "record a legal basis (e.g. consent flag); tell people what is collected; audit models for bias", "01, 07"),
    ("Purpose limitation", "Art. 5(1)(b)", "§1798.100(c) purposes disclosed",
     "declare each purpose in code; refuse columns outside it", "01"),
    ("Data minimisation", "Art. 5(1)(c)", "§1798.100(c) reasonably necessary and proportionate",
     "drop identifiers and unneeded columns before training; measure that accuracy holds", "01, 03"),
    ("Accuracy", "Art. 5(1)(d), 16", "§1798.106 right to correct",
     "validate schemas and checksums on load; let records be corrected", "00"),
    ("Storage limitation", "Art. 5(1)(e), 17", "§1798.100(a)(3) retention period; §1798.105 right to delete",
     "retention rules applied by date; delete on request", "01"),
    ("Integrity and confidentiality", "Art. 5(1)(f), 32", "§1798.100(e), §1798.150 reasonable security",
     "least-privilege access, encryption at rest and in transit, authentication", "01, 02, 06"),
    ("Pseudonymisation and anonymisation", "Art. 4(5), 32(1)(a), Recital 26", "§1798.140 deidentified, pseudonymize",
     "keyed pseudonyms, generalisation, k-anonymity; test with a linkage attack", "03"),
    ("Data protection by design and by default", "Art. 25", "no direct equivalent (closest: §1798.100(c))",
     "differential privacy, federated learning, secure computation instead of pooling", "04, 05, 06"),
    ("Sensitive data", "Art. 9 (health data)", "§1798.121 limit use of sensitive personal information",
     "keep health columns out of any release; aggregate with noise", "03, 04"),
    ("Automated decisions and explanation", "Art. 13(2)(f), 22", "§1798.185 automated decision-making rules",
     "explain model decisions; check them for discrimination", "07, 08"),
    ("Accountability", "Art. 5(2), 30, 35", "§1798.185 risk assessments and audits",
     "tests, datasheets, privacy budgets and report cards kept with the code", "04, 09, 10"),
]


def principles_table() -> pd.DataFrame:
    """GDPR and CCPA principles, the engineering practice that implements each, and the lesson.

    GDPR is Regulation (EU) 2016/679; CCPA is California Civil Code §1798.100 ff. as amended
    by the CPRA. Note that the CCPA exempts medical information already governed by HIPAA
    or California's CMIA (§1798.146): a US hospital answers to those laws instead.
    """
    return pd.DataFrame(_PRINCIPLES, columns=["principle", "GDPR", "CCPA", "engineering practice", "lessons"]).set_index(
        "principle"
    )


# --------------------------------------------------------------------------------------
# 6. Access control with file permissions, and its limits
# --------------------------------------------------------------------------------------


def file_mode(path: str | os.PathLike[str]) -> int:
    """The permission bits of ``path`` (a file or a directory) read back with ``os.stat`` (e.g. ``0o600``)."""
    target = _checks.path("path", path)
    if not target.exists():
        raise FileNotFoundError(f"path does not exist: {target.name!r}")
    return stat.S_IMODE(os.stat(target).st_mode)


def restrict_permissions(path: str | os.PathLike[str], mode: int = 0o600) -> int:
    """Set ``path``'s permission bits to ``mode`` with ``os.chmod`` and return them read back.

    ``0o600`` lets only the owner read and write. POSIX permissions are enforced by the
    operating system for other users only, and only when a file is opened: processes of the
    same user, root, and handles opened before the change are not stopped; on Windows ``os.chmod`` can only set the read-only flag (Python documentation
    of ``os.chmod``). ``path`` must be an existing file: ``None``, an empty path (the
    current directory), a number (a file descriptor) and a directory are refused.
    """
    if isinstance(mode, bool) or not isinstance(mode, int):
        raise TypeError(f"mode must be an int such as 0o600, got {type(mode).__name__} {mode!r}")
    if not 0 <= mode <= 0o777:
        raise ValueError(f"mode must be an int from 0o000 to 0o777, got {mode!r}")
    target = _checks.path("path", path, kind="file")
    if not target.exists():
        raise FileNotFoundError(f"path does not exist: {target.name!r}")
    if not target.is_file():
        raise ValueError(f"path must be a regular file, got {target.name!r}")
    os.chmod(target, mode)
    return file_mode(target)
