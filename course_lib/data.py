"""Loaders for the shipped datasets: checksum and schema verified on every load.

The files live in ``datasets/`` at the repository root (override with the environment
variable ``COURSE_DATA_DIR`` or the ``data_dir`` argument). ``datasets/SHA256SUMS`` pins
their contents and ``datasets/DATASHEET.md`` documents every column. A loader refuses a
missing, changed or malformed file with a :class:`DatasetError` that names the file and
says what is wrong, rather than letting a lesson run on silently different data.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

__all__ = [
    "DatasetError",
    "SCHEMAS",
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


class DatasetError(RuntimeError):
    """A shipped dataset is missing, changed or does not match its schema."""


def data_dir() -> Path:
    """The folder holding the datasets: ``$COURSE_DATA_DIR`` or ``<repo>/datasets``."""
    override = os.environ.get("COURSE_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "datasets"


def _expected_sums(folder: Path) -> dict[str, str]:
    sums_file = folder / "SHA256SUMS"
    if not sums_file.is_file():
        raise DatasetError(f"{sums_file} is missing: it pins the datasets' contents")
    sums = {}
    for line in sums_file.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name.lstrip("*")] = digest
    return sums


def _load(name: str, folder: Path | str | None, verify: bool) -> pd.DataFrame:
    folder = Path(folder) if folder is not None else data_dir()
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
    return frame[list(schema)]


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
    key = name if name.endswith(".csv") else f"{name}.csv"
    if key not in COLUMN_ROLES:
        raise ValueError(f"name must be one of {sorted(k[:-4] for k in COLUMN_ROLES)}, got {name!r}")
    return pd.DataFrame(
        {"column": list(COLUMN_ROLES[key]), "role": list(COLUMN_ROLES[key].values())}
    ).set_index("column")
