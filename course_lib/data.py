"""Loaders for the shipped datasets: checksum and schema verified on every load.

The files live in ``datasets/`` at the repository root (override with the environment
variable ``COURSE_DATA_DIR`` or the ``data_dir`` argument). ``datasets/SHA256SUMS`` pins
their contents and ``datasets/DATASHEET.md`` documents every column. A loader refuses a
missing, changed or malformed file with a :class:`DatasetError` that names the file and
says what is wrong, rather than letting a lesson run on silently different data. Values are
checked against :data:`VALUE_RULES` (ranges, categories, uniqueness) on every load, also
with ``verify=False``.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pandas as pd

from course_lib import _checks

__all__ = [
    "DatasetError",
    "SCHEMAS",
    "VALUE_RULES",
    "COLUMN_ROLES",
    "data_dir",
    "load_patients",
    "load_public_roll",
    "load_credit",
    "column_roles",
]

#: Expected columns and pandas dtypes of each file, in file order.
SCHEMAS: dict[str, dict[str, str]] = {
    "patients.csv": {
        "patient_id": "object",
        "hospital": "object",
        "name": "object",
        "email": "object",
        "phone": "object",
        "ssn": "object",
        "card_number": "object",
        "date_of_birth": "datetime64[ns]",
        "sex": "object",
        "zip": "object",
        "admission_date": "datetime64[ns]",
        "research_consent": "int64",
        "age": "int64",
        "bmi": "float64",
        "systolic_bp": "int64",
        "glucose": "int64",
        "hba1c": "float64",
        "smoker": "int64",
        "prior_admissions": "int64",
        "length_of_stay": "int64",
        "diagnosis": "object",
        "readmitted_30d": "int64",
        "clinical_note": "object",
    },
    "public_roll.csv": {
        "roll_id": "object",
        "name": "object",
        "date_of_birth": "datetime64[ns]",
        "sex": "object",
        "zip": "object",
    },
    "credit.csv": {
        "applicant_id": "object",
        "sex": "object",
        "age": "int64",
        "group": "object",
        "zip_area": "object",
        "income": "int64",
        "debt_ratio": "float64",
        "credit_history_years": "int64",
        "late_payments": "int64",
        "employment_years": "float64",
        "loan_amount": "int64",
        "repaid": "int64",
        "approved": "int64",
    },
}

#: Role of every column (the DATASHEET explains each): direct identifier, quasi-identifier,
#: sensitive, target, or other (a feature that is none of those).
COLUMN_ROLES: dict[str, dict[str, str]] = {
    "patients.csv": {
        "patient_id": "direct identifier",
        "hospital": "other",
        "name": "direct identifier",
        "email": "direct identifier",
        "phone": "direct identifier",
        "ssn": "direct identifier",
        "card_number": "direct identifier",
        "date_of_birth": "quasi-identifier",
        "sex": "quasi-identifier",
        "zip": "quasi-identifier",
        "admission_date": "quasi-identifier",
        "research_consent": "other",
        "age": "quasi-identifier",
        "bmi": "sensitive",
        "systolic_bp": "sensitive",
        "glucose": "sensitive",
        "hba1c": "sensitive",
        "smoker": "sensitive",
        "prior_admissions": "sensitive",
        "length_of_stay": "sensitive",
        "diagnosis": "sensitive",
        "readmitted_30d": "target",
        "clinical_note": "sensitive",
    },
    "public_roll.csv": {
        "roll_id": "direct identifier",
        "name": "direct identifier",
        "date_of_birth": "quasi-identifier",
        "sex": "quasi-identifier",
        "zip": "quasi-identifier",
    },
    "credit.csv": {
        "applicant_id": "direct identifier",
        "sex": "sensitive",
        "age": "sensitive",
        "group": "sensitive",
        "zip_area": "quasi-identifier",
        "income": "other",
        "debt_ratio": "other",
        "credit_history_years": "other",
        "late_payments": "other",
        "employment_years": "other",
        "loan_amount": "other",
        "repaid": "target",
        "approved": "target",
    },
}

_DATE_COLUMNS = {"date_of_birth", "admission_date"}

_HOSPITALS = ("Ashford", "Brookside", "Cedar Vale", "Dunmore", "Elmwood")
_DIAGNOSES = ("heart failure", "COPD", "diabetes", "pneumonia", "hip fracture", "other")
_BINARY = (0, 1)

#: The value checks every loader applies, from ``datasets/DATASHEET.md`` (the ranges and
#: categories of its column tables), plus physically plausible bounds for the clinical
#: and financial measurements. Each entry is ``(column, check, argument)`` with check one of
#: ``"unique"``, ``"in"`` (a tuple of allowed values), ``"range"`` (inclusive ``(low,
#: high)``) or ``"pattern"`` (a regular expression the whole value must match). Every
#: column except ``clinical_note`` must also be present in every row. They run even with
#: ``verify=False``, so an edited file cannot bring negative ages or consent 7 into a lesson.
VALUE_RULES: dict[str, list[tuple[str, str, object]]] = {
    "patients.csv": [
        ("patient_id", "unique", None),
        ("patient_id", "pattern", r"P\d{5}"),
        ("hospital", "in", _HOSPITALS),
        ("phone", "pattern", r"555-\d{3}-\d{4}"),
        ("ssn", "pattern", r"9\d{2}-\d{2}-\d{4}"),
        ("ssn", "unique", None),
        ("card_number", "pattern", r"\d{4}-\d{4}-\d{4}-\d{4}"),
        ("date_of_birth", "range", (pd.Timestamp("1900-01-01"), pd.Timestamp("2025-12-31"))),
        ("sex", "in", ("F", "M")),
        ("zip", "pattern", r"\d{5}"),
        ("admission_date", "range", (pd.Timestamp("2016-01-01"), pd.Timestamp("2025-12-31"))),
        ("research_consent", "in", _BINARY),
        ("age", "range", (18, 95)),
        ("bmi", "range", (10.0, 80.0)),
        ("systolic_bp", "range", (50, 260)),
        ("glucose", "range", (20, 700)),
        ("hba1c", "range", (3.0, 20.0)),
        ("smoker", "in", _BINARY),
        ("prior_admissions", "range", (0, 50)),
        ("length_of_stay", "range", (1, 365)),
        ("diagnosis", "in", _DIAGNOSES),
        ("readmitted_30d", "in", _BINARY),
    ],
    "public_roll.csv": [
        ("roll_id", "unique", None),
        ("roll_id", "pattern", r"R\d{5}"),
        ("date_of_birth", "range", (pd.Timestamp("1900-01-01"), pd.Timestamp("2025-12-31"))),
        ("sex", "in", ("F", "M")),
        ("zip", "pattern", r"\d{5}"),
    ],
    "credit.csv": [
        ("applicant_id", "unique", None),
        ("applicant_id", "pattern", r"A\d{5}"),
        ("sex", "in", ("F", "M")),
        ("age", "range", (21, 75)),
        ("group", "in", ("A", "B")),
        ("zip_area", "in", tuple(f"Z{i:02d}" for i in range(1, 11))),
        ("income", "range", (1, 10**8)),
        ("debt_ratio", "range", (0.0, 0.95)),
        ("credit_history_years", "range", (0, 80)),
        ("late_payments", "range", (0, 100)),
        ("employment_years", "range", (0.0, 80.0)),
        ("loan_amount", "range", (1, 10**8)),
        ("repaid", "in", _BINARY),
        ("approved", "in", _BINARY),
    ],
}

_MAY_BE_MISSING = {"clinical_note"}


class DatasetError(RuntimeError):
    """A shipped dataset is missing, changed or does not match its schema."""


def data_dir() -> Path:
    """The folder holding the datasets: ``$COURSE_DATA_DIR`` or ``<repo>/datasets``."""
    override = os.environ.get("COURSE_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "datasets"


_SUMS_LINE = re.compile(r"(?P<digest>[0-9A-Fa-f]{64}) [ *](?P<name>[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*)")


def _expected_sums(folder: Path) -> dict[str, str]:
    """``{file name: lower-case hex digest}`` from ``SHA256SUMS`` (``sha256sum`` format).

    Each non-blank line is ``<64 hex digits><space><space or *><file name>``; lines that
    start with ``#`` are comments. Digests are compared in lower case, so a file written by a
    tool that prints upper case still verifies. Anything else is a :class:`DatasetError`
    naming the file and the line.
    """
    sums_file = folder / "SHA256SUMS"
    if not sums_file.is_file():
        raise DatasetError(f"{sums_file} is missing: it pins the datasets' contents")
    try:
        text = sums_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{sums_file} is not UTF-8 text: {exc.reason}") from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _SUMS_LINE.fullmatch(stripped)
        if match is None:
            raise DatasetError(
                f"{sums_file}, line {number}: expected '<64 hex digits>  <file name>' (sha256sum format), "
                f"got {stripped[:80]!r}"
            )
        name, digest = match["name"].strip(), match["digest"].lower()
        if sums.get(name, digest) != digest:
            raise DatasetError(f"{sums_file}, line {number}: {name} is listed twice with different digests")
        sums[name] = digest
    return sums


def _not_matching(values: pd.Series, pattern: str) -> pd.Series:
    """True where a value does not fully match ``pattern``.

    One regular-expression pass over all values joined by newlines (fast: the common case is
    that every value matches); only when that fails is each value tested on its own.
    """
    text = values.astype(str)
    joined = re.compile(rf"(?:{pattern})(?:\n(?:{pattern}))*")
    if joined.fullmatch("\n".join(text)):
        return pd.Series(False, index=values.index)
    single = re.compile(pattern)
    return text.map(lambda v: single.fullmatch(v) is None)


def _check_values(frame: pd.DataFrame, name: str, path: Path) -> None:
    """Apply :data:`VALUE_RULES` and the no-missing-values rule; name the failing check."""
    for column in frame.columns:
        if column in _MAY_BE_MISSING:
            continue
        missing = frame[column].isna()
        if missing.any():
            row = int(missing.to_numpy().nonzero()[0][0])
            raise DatasetError(
                f"{path}: check 'not missing' failed for column {column!r}: {int(missing.sum())} rows are empty "
                f"(first at data row {row + 1})"
            )
    for column, check, argument in VALUE_RULES[name]:
        values = frame[column]
        if check == "unique":
            bad = values.duplicated(keep=False)
            rule = "unique"
        elif check == "in":
            bad = ~values.isin(argument)
            rule = f"in {list(argument)}"
        elif check == "range":
            low, high = argument
            bad = ~values.between(low, high)
            shown = [v.date() if isinstance(v, pd.Timestamp) else v for v in (low, high)]
            rule = f"from {shown[0]} to {shown[1]}"
        else:  # pattern
            bad = _not_matching(values, str(argument))
            rule = f"matches {argument}"
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            example = values.iloc[row]
            example = example.date() if isinstance(example, pd.Timestamp) else example
            raise DatasetError(
                f"{path}: check '{column} {rule}' failed: {int(bad.sum())} rows, first at data row {row + 1} "
                f"with value {example!r}; see datasets/DATASHEET.md"
            )


def _load(name: str, folder: Path | str | None, verify: bool) -> pd.DataFrame:
    verify = _checks.flag("verify", verify)
    folder = _checks.path("data_dir", folder, kind="dir", must_exist=True) if folder is not None else data_dir()
    path = folder / name
    fix = f"restore it with `git checkout -- datasets/{name}` or regenerate with `python datasets/generate.py`"
    if not path.is_file():
        raise DatasetError(f"{path} is missing; {fix}")
    if verify:
        expected = _expected_sums(folder).get(name)
        if expected is None:
            raise DatasetError(f"{name} has no entry in {folder / 'SHA256SUMS'}")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected:
            raise DatasetError(
                f"{path} has changed: its SHA-256 is {actual[:12]}..., SHA256SUMS expects "
                f"{expected[:12]}...; {fix}"
            )
    schema = SCHEMAS[name]
    string_cols = {c: str for c, t in schema.items() if t == "object"}
    try:
        frame = pd.read_csv(path, dtype=string_cols, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path} is not a readable CSV file: {exc}") from exc
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise DatasetError(f"{path} does not match its schema: missing columns {missing}, unexpected columns {extra}")
    for col in _DATE_COLUMNS & set(schema):
        try:
            frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
        except (ValueError, TypeError) as exc:
            raise DatasetError(f"{path}: column {col!r} holds values that are not YYYY-MM-DD dates") from exc
    wrong = {c: str(frame[c].dtype) for c, t in schema.items() if str(frame[c].dtype) != t}
    if wrong:
        raise DatasetError(f"{path}: columns with unexpected types {wrong}; expected {[schema[c] for c in wrong]}")
    frame = frame[list(schema)]
    _check_values(frame, name, path)
    return frame


def load_patients(data_dir: Path | str | None = None, *, verify: bool = True) -> pd.DataFrame:
    """The 6,000 synthetic hospital admissions (identifiers, quasi-identifiers, outcome).

    ``date_of_birth`` and ``admission_date`` are parsed as dates; ``zip`` stays a string so
    leading zeros survive. See ``datasets/DATASHEET.md``.
    """
    return _load("patients.csv", data_dir, verify)


def load_public_roll(data_dir: Path | str | None = None, *, verify: bool = True) -> pd.DataFrame:
    """The synthetic public register (name, date of birth, sex, ZIP) used for linkage."""
    return _load("public_roll.csv", data_dir, verify)


def load_credit(data_dir: Path | str | None = None, *, verify: bool = True) -> pd.DataFrame:
    """The 5,000 synthetic credit applications with a documented bias in ``approved``."""
    return _load("credit.csv", data_dir, verify)


def column_roles(name: str) -> pd.DataFrame:
    """A table of each column of dataset ``name`` (e.g. ``"patients"``) and its privacy role."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a dataset name (str) such as 'patients', got {type(name).__name__} {name!r}")
    key = name if name.endswith(".csv") else f"{name}.csv"
    if key not in COLUMN_ROLES:
        raise ValueError(f"name must be one of {sorted(k[:-4] for k in COLUMN_ROLES)}, got {name!r}")
    return pd.DataFrame(
        {"column": list(COLUMN_ROLES[key]), "role": list(COLUMN_ROLES[key].values())}
    ).set_index("column")
