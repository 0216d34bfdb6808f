"""Tests for assignment 01 (research extract, uniqueness): run with SUBMISSION_DIR=<student folder>.

Every expected value is computed here with plain pandas, on the shipped patients and on frames
the tests alter (missing consent, boundary dates), so a hard-coded answer cannot pass.
"""
from __future__ import annotations

from collections import Counter
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from course_lib.data import load_patients

# --------------------------------------------------------------------------------------
# The submission: `sub` comes from ../conftest.py (SUBMISSION_DIR names the folder)
# --------------------------------------------------------------------------------------


def _get(module: ModuleType, name: str) -> object:
    if not hasattr(module, name):
        pytest.fail(f"submission.py must define {name!r} (see ASSIGNMENT.md)", pytrace=False)
    return getattr(module, name)


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return load_patients()


def expected_extract(df: pd.DataFrame, columns: list[str], years: int, reference: str) -> pd.DataFrame:
    cutoff = pd.Timestamp(reference) - pd.DateOffset(years=years)
    keep = (df["research_consent"] == 1).fillna(False).astype(bool) & (df["admission_date"] >= cutoff)
    return df.loc[keep, columns].reset_index(drop=True)


def check_frame(got: object, want: pd.DataFrame) -> None:
    assert isinstance(got, pd.DataFrame), f"research_extract must return a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == list(want.columns), f"columns must be {list(want.columns)}, got {list(got.columns)}"
    n_got, n_want = len(got), len(want)
    assert n_got == n_want, f"expected {n_want} rows, got {n_got}"
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False, obj="the extract")
    assert list(got.index) == list(range(len(got))), "the extract's index must be reset to 0, 1, ..."


# --------------------------------------------------------------------------------------
# research_extract
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "columns", "reference"),
    [
        (3, ["age", "sex", "diagnosis", "readmitted_30d"], "2025-12-31"),
        (5, ["zip", "hba1c", "hospital"], "2025-12-31"),
        (2, ["readmitted_30d", "bmi"], "2025-06-30"),
    ],
)
def test_extract_on_the_shipped_data(sub, patients, years, columns, reference):
    sample = patients[patients["admission_date"] <= pd.Timestamp(reference)]
    got = _get(sub, "research_extract")(sample.copy(), columns, retention_years=years, reference_date=reference)
    check_frame(got, expected_extract(sample, columns, years, reference))


def test_missing_consent_is_no_consent(sub, patients):
    frame = patients.head(600).copy()
    frame["research_consent"] = frame["research_consent"].astype(float)
    frame.loc[frame.index[::7], "research_consent"] = np.nan  # patients who never answered
    got = _get(sub, "research_extract")(frame, ["age", "diagnosis"], retention_years=10)
    want = expected_extract(frame, ["age", "diagnosis"], 10, "2025-12-31")
    n_got, n_want = len(got), len(want)
    assert n_got == n_want, (
        f"expected {n_want} rows, got {n_got}: a missing consent must count as no consent (GDPR Art. 4(11), 7)"
    )
    check_frame(got, want)


def test_missing_consent_as_pandas_na(sub, patients):
    frame = patients.head(300).copy()
    frame["research_consent"] = frame["research_consent"].astype("Int64")
    frame.loc[frame.index[::5], "research_consent"] = pd.NA
    got = _get(sub, "research_extract")(frame, ["sex"], retention_years=10)
    check_frame(got, expected_extract(frame, ["sex"], 10, "2025-12-31"))


@pytest.mark.parametrize("bad", [2, "yes"])
def test_invalid_consent_values_are_refused(sub, patients, bad):
    frame = patients.head(50).copy()
    frame["research_consent"] = frame["research_consent"].astype(object)
    frame.loc[frame.index[3], "research_consent"] = bad
    with pytest.raises(ValueError):
        _get(sub, "research_extract")(frame, ["age"], retention_years=10)


@pytest.mark.parametrize(
    ("reference", "years", "kept", "dropped"),
    [
        ("2025-12-31", 3, "2022-12-31", "2022-12-30"),
        ("2024-02-29", 1, "2023-02-28", "2023-02-27"),  # a leap day: the calendar, not 365 days
        ("2021-07-15", 4, "2017-07-15", "2017-07-14"),
    ],
)
def test_retention_boundary(sub, patients, reference, years, kept, dropped):
    frame = patients.head(4).copy()
    frame["research_consent"] = 1
    frame["admission_date"] = pd.to_datetime([kept, dropped, reference, kept])
    got = _get(sub, "research_extract")(frame, ["age"], retention_years=years, reference_date=reference)
    want = expected_extract(frame, ["age"], years, reference)
    n_got = len(got)
    assert n_got == 3, (
        f"with reference {reference} and {years} years, {kept} must be kept and {dropped} dropped; got {n_got} of 4 rows"
    )
    check_frame(got, want)


def test_dates_after_the_reference_are_refused(sub, patients):
    frame = patients.head(20).copy()
    frame.loc[frame.index[0], "admission_date"] = pd.Timestamp("2026-01-05")
    with pytest.raises(ValueError):
        _get(sub, "research_extract")(frame, ["age"], retention_years=5)


@pytest.mark.parametrize("identifier", ["name", "email", "ssn", "card_number", "patient_id"])
def test_direct_identifiers_are_refused(sub, patients, identifier):
    with pytest.raises(PermissionError) as caught:
        _get(sub, "research_extract")(patients.head(50).copy(), ["age", identifier], retention_years=5)
    assert identifier in str(caught.value), f"the PermissionError should name {identifier!r}, got: {caught.value}"


def test_extract_leaves_its_input_unchanged(sub, patients):
    frame = patients.head(400).copy()
    before = frame.copy()
    _get(sub, "research_extract")(frame, ["age", "sex"], retention_years=3)
    pd.testing.assert_frame_equal(frame, before, obj="the patients frame after research_extract")


# --------------------------------------------------------------------------------------
# unique_share and unique_share_by_hospital
# --------------------------------------------------------------------------------------


def expected_unique_share(df: pd.DataFrame, columns: list[str]) -> float:
    keys = [tuple("<missing>" if pd.isna(v) else v for v in row) for row in df[columns].itertuples(index=False)]
    counts = Counter(keys)
    return sum(counts[k] == 1 for k in keys) / len(keys)


@pytest.mark.parametrize(
    "columns",
    [["date_of_birth", "sex", "zip"], ["date_of_birth"], ["sex", "zip"], ["age", "sex", "zip"], ["zip"]],
)
def test_unique_share(sub, patients, columns):
    got = _get(sub, "unique_share")(patients, columns)
    want = expected_unique_share(patients, columns)
    assert isinstance(got, float | np.floating), f"unique_share must return a float, got {type(got).__name__}"
    assert got == pytest.approx(want, abs=1e-12), f"unique_share on {columns}: expected {want:.4f}, got {got}"


def test_unique_share_counts_missing_values_as_a_value(sub):
    frame = pd.DataFrame({
        "sex": ["F", "F", "M", "M", "F", "M"],
        "zip": ["02110", None, None, "02110", None, "02111"],
    })
    got = _get(sub, "unique_share")(frame, ["sex", "zip"])
    # (F, 02110), (M, None), (M, 02110), (M, 02111) are unique; the two (F, None) are not
    assert got == pytest.approx(4 / 6), f"expected 4/6 (missing ZIPs shared by two F rows form one class), got {got}"


def test_unique_share_by_hospital(sub, patients):
    columns = ["date_of_birth", "sex", "zip"]
    got = _get(sub, "unique_share_by_hospital")(patients, columns)
    assert isinstance(got, pd.Series), f"unique_share_by_hospital must return a Series, got {type(got).__name__}"
    hospitals = sorted(patients["hospital"].unique())
    assert list(got.index) == hospitals, f"index must be the hospitals sorted, {hospitals}; got {list(got.index)}"
    want = [expected_unique_share(patients[patients["hospital"] == h], columns) for h in hospitals]
    np.testing.assert_allclose(got.to_numpy(dtype=float), want, atol=1e-12)
