"""Lesson 01 (privacy basics): why removing names is not anonymisation, and what to do instead.

What this module teaches, read top to bottom:

1. **Uniqueness** (:func:`uniqueness`): the share of records that no other record shares on a
   set of columns. Sweeney (2000) estimated that 87 % of the US population is unique on
   5-digit ZIP, sex and date of birth; unique records are the ones a linkage attack can name.
2. **The linkage attack** (:func:`linkage_attack`): join a "de-identified" release with a
   public register on the quasi-identifiers and keep the released records that match exactly
   one registered person (Sweeney, 2002, *k-anonymity: a model for protecting privacy*).
   :func:`profile_columns`, :func:`uniqueness_by_columns` and
   :func:`reidentification_by_columns` measure how identifying each column set is.
3. **Data minimisation, measured** (:func:`compare_feature_sets`,
   :func:`paired_difference_interval`): the same model with and without identifiers and
   unneeded columns, over repeated cross-validation splits, with a confidence interval for
   the accuracy difference.
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
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

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
# 1-2. Uniqueness and the linkage attack
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
# 3. Data minimisation, measured
# --------------------------------------------------------------------------------------


def readmission_model(categorical: Sequence[str], numeric: Sequence[str]) -> Pipeline:
    """The lesson's model: one-hot categorical columns, scaled numeric ones, logistic regression.

    ``liblinear`` fits the wide one-hot matrix that identifier columns create in well under
    a second (scikit-learn's ``LogisticRegression`` documentation recommends it for small
    data sets); unseen categories at test time are ignored, as they must be for identifiers.
    """
    categorical, numeric = list(categorical), list(numeric)
    if not categorical and not numeric:
        raise ValueError("readmission_model needs at least one categorical or numeric column, got none")
    steps = []
    if categorical:
        steps.append(("categorical", OneHotEncoder(handle_unknown="ignore"), categorical))
    if numeric:
        steps.append(("numeric", StandardScaler(), numeric))
    return make_pipeline(ColumnTransformer(steps), LogisticRegression(solver="liblinear", C=1.0))


def compare_feature_sets(
    df: pd.DataFrame,
    target: str,
    feature_sets: Mapping[str, Sequence[str]],
    *,
    n_splits: int = 5,
    n_repeats: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Train and test :func:`readmission_model` on each feature set over the SAME repeated splits.

    Uses scikit-learn's ``RepeatedStratifiedKFold`` (``n_repeats`` times ``n_splits``
    folds), so that the per-split accuracies of two feature sets are paired. Dates become
    days since 1970 (numeric); numbers and booleans are scaled; everything else is one-hot
    encoded. Returns one row per feature set and split: ``feature_set``, ``split``,
    ``train_accuracy``, ``test_accuracy``.
    """
    sets = _column_sets(feature_sets)
    if not isinstance(target, str):
        raise TypeError(f"target must be a column name, got {type(target).__name__}")
    _check_frame(df, "df", [target, *dict.fromkeys(c for cols in sets.values() for c in cols)])
    for label, cols in sets.items():
        if target in cols:
            raise ValueError(f"feature_sets[{label!r}] contains the target {target!r}: that would leak the answer")
    for name, value in (("n_splits", n_splits), ("n_repeats", n_repeats)):
        if isinstance(value, bool) or not isinstance(value, int) or value < (2 if name == "n_splits" else 1):
            raise ValueError(f"{name} must be an int >= {2 if name == 'n_splits' else 1}, got {value!r}")
    frame = df.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = (frame[column] - pd.Timestamp("1970-01-01")).dt.days
    splitter = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    rows = []
    for label, cols in sets.items():
        numeric = [c for c in cols if pd.api.types.is_numeric_dtype(frame[c])]
        categorical = [c for c in cols if c not in numeric]
        scores = cross_validate(
            readmission_model(categorical, numeric), frame[cols], frame[target],
            cv=splitter, scoring="accuracy", return_train_score=True,
        )
        rows += [
            {"feature_set": label, "split": i, "train_accuracy": tr, "test_accuracy": te}
            for i, (tr, te) in enumerate(zip(scores["train_score"], scores["test_score"]))
        ]
    return pd.DataFrame(rows)


def paired_difference_interval(
    a: Sequence[float], b: Sequence[float], *, test_fraction: float, confidence: float = 0.95
) -> dict[str, float]:
    """Mean of ``a - b`` over paired resampling splits, with a corrected t confidence interval.

    Splits of repeated cross-validation share training data, so the plain t interval is
    too narrow; Nadeau & Bengio (2003, *Inference for the generalization error*, Machine
    Learning 52) correct the variance by ``1/J + n_test/n_train``. ``test_fraction`` is the
    share of rows in each test fold (0.2 for 5 folds). Returns ``mean``, ``low``, ``high``.
    """
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a_arr.ndim != 1 or a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must be 1-D and paired (same length), got shapes {a_arr.shape} and {b_arr.shape}")
    if len(a_arr) < 2:
        raise ValueError(f"a and b need at least 2 paired scores, got {len(a_arr)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    diff = a_arr - b_arr
    k = len(diff)
    variance = diff.var(ddof=1) * (1 / k + test_fraction / (1 - test_fraction))
    half = float(stats.t.ppf(0.5 + confidence / 2, k - 1) * np.sqrt(variance))
    mean = float(diff.mean())
    return {"mean": mean, "low": mean - half, "high": mean + half}


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
        object.__setattr__(self, "columns", tuple(_column_list(self.columns, "columns")))


def select_for_purpose(df: pd.DataFrame, purpose: Purpose, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows that consented to ``purpose`` and only the columns it allows.

    A row consents when its ``purpose.consent_column`` equals 1; a missing value is no
    consent (consent must be given, GDPR Art. 4(11) and 7). Asking for ``columns`` outside
    the purpose raises :class:`PermissionError` naming them. The index is reset.
    """
    if not isinstance(purpose, Purpose):
        raise TypeError(f"purpose must be a Purpose, got {type(purpose).__name__}")
    wanted = list(purpose.columns) if columns is None else _column_list(columns, "columns")
    outside = [c for c in wanted if c not in purpose.columns]
    if outside:
        raise PermissionError(f"columns {outside} are outside the purpose {purpose.name!r}, which allows {list(purpose.columns)}")
    needed = wanted + ([purpose.consent_column] if purpose.consent_column else [])
    _check_frame(df, "df", needed)
    rows = df[purpose.consent_column].eq(1) if purpose.consent_column else pd.Series(True, index=df.index)
    return df.loc[rows, wanted].reset_index(drop=True)


def apply_retention(
    df: pd.DataFrame, date_column: str, max_age_years: int, reference_date: pd.Timestamp | str = REFERENCE_DATE
) -> pd.DataFrame:
    """Keep the rows whose ``date_column`` lies within ``max_age_years`` before ``reference_date``.

    Storage limitation (GDPR Art. 5(1)(e)): keep data no longer than the purpose needs. A
    row dated exactly ``max_age_years`` before the reference date is kept; a missing date
    is dropped (its age cannot be shown); a date after the reference date is an error.
    """
    _check_frame(df, "df", [date_column])
    if isinstance(max_age_years, bool) or not isinstance(max_age_years, (int, np.integer)) or max_age_years < 0:
        raise ValueError(f"max_age_years must be an int >= 0, got {max_age_years!r}")
    if not pd.api.types.is_datetime64_any_dtype(df[date_column]):
        raise TypeError(f"df[{date_column!r}] must hold dates (datetime64), got {df[date_column].dtype}")
    reference = pd.Timestamp(reference_date)
    future = int((df[date_column] > reference).sum())
    if future:
        raise ValueError(f"{future} rows of {date_column!r} lie after the reference date {reference.date()}")
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
    """The permission bits of ``path`` as read back with ``os.stat`` (e.g. ``0o600``)."""
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(f"path does not exist: {target.name!r}")
    return stat.S_IMODE(os.stat(target).st_mode)


def restrict_permissions(path: str | os.PathLike[str], mode: int = 0o600) -> int:
    """Set ``path``'s permission bits to ``mode`` with ``os.chmod`` and return them read back.

    ``0o600`` lets only the owner read and write. POSIX permissions are enforced by the
    operating system for other users only, and only when a file is opened: processes of the
    same user, root, and handles opened before the change are not stopped; on Windows ``os.chmod`` can only set the read-only flag (Python documentation
    of ``os.chmod``).
    """
    if isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 0o777:
        raise ValueError(f"mode must be an int from 0o000 to 0o777, got {mode!r}")
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(f"path does not exist: {target.name!r}")
    os.chmod(target, mode)
    return file_mode(target)
