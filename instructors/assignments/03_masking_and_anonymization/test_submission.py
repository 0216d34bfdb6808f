"""Tests for assignment 03 (masking, k-anonymous release): run with SUBMISSION_DIR=<student folder>.

k, l and the linkage attack are measured with course_lib; the masking reference below is an
independent implementation written for the tests.
"""
from __future__ import annotations

from types import ModuleType

import pandas as pd
import pytest

from course_lib.anonymize import k_anonymity, l_diversity, year_bounds
from course_lib.basics import linkage_attack
from course_lib.data import load_patients, load_public_roll

# --------------------------------------------------------------------------------------
# The submission: `sub` comes from ../conftest.py (SUBMISSION_DIR names the folder)
# --------------------------------------------------------------------------------------


def _get(module: ModuleType, name: str) -> object:
    if not hasattr(module, name):
        pytest.fail(f"submission.py must define {name!r} (see ASSIGNMENT.md)", pytrace=False)
    return getattr(module, name)


QIS = ["date_of_birth", "sex", "zip"]
REQUIRED = {"date_of_birth", "sex", "zip", "diagnosis", "readmitted_30d"}
OPTIONAL = {"bmi", "systolic_bp", "glucose", "hba1c", "smoker", "prior_admissions", "length_of_stay"}


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return load_patients()


@pytest.fixture(scope="module")
def release(sub, patients) -> pd.DataFrame:
    frame = patients.copy()
    result = _get(sub, "anonymize")(frame)
    assert isinstance(result, pd.DataFrame), f"anonymize must return a DataFrame, got {type(result).__name__}"
    pd.testing.assert_frame_equal(frame, patients, obj="the patients frame after anonymize (it must not change)")
    return result


# --------------------------------------------------------------------------------------
# mask_identifier
# --------------------------------------------------------------------------------------


def expected_mask(value: str | None, keep_first: int = 0, keep_last: int = 4, mask_char: str = "*") -> str | None:
    if value is None:
        return None
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    if keep_first + keep_last >= len(positions):
        hidden = set(positions)
    else:
        hidden = set(positions[keep_first:len(positions) - keep_last])
    return "".join(mask_char if i in hidden else ch for i, ch in enumerate(value))


@pytest.mark.parametrize("column", ["card_number", "ssn", "phone", "email"])
def test_mask_keeps_separators_on_the_data(sub, patients, column):
    mask = _get(sub, "mask_identifier")
    wrong = []
    for value in patients[column].head(200):
        for keep_first, keep_last in ((0, 4), (6, 4), (0, 2)):
            got, want = mask(value, keep_first=keep_first, keep_last=keep_last), expected_mask(value, keep_first, keep_last)
            if got != want:
                wrong.append((value, keep_first, keep_last, got, want))
    assert not wrong, "mask_identifier(value, keep_first, keep_last) -> got, expected: " + "; ".join(map(str, wrong[:3]))


@pytest.mark.parametrize(
    ("value", "kwargs", "want"),
    [
        ("4386-9081-1186-6927", {"keep_first": 6}, "4386-90**-****-6927"),
        ("1234-5678-9012-3456", {}, "****-****-****-3456"),
        ("555-0199", {}, "***-0199"),
        ("0199", {}, "****"),  # showing four of four digits would show the whole value
        ("abc", {}, "***"),
        ("12-34", {}, "**-**"),
        ("", {}, ""),
        ("969-16-2462", {"keep_last": 0}, "***-**-****"),
        ("969-16-2462", {"keep_first": 3, "keep_last": 4}, "969-**-2462"),
        ("969-16-2462", {"keep_first": 5, "keep_last": 4}, "***-**-****"),
        ("jane.doe@example.org", {"keep_last": 3}, "****.***@*******.org"),
        ("4386 9081", {"mask_char": "#"}, "#### 9081"),
        ("4386 9081", {"mask_char": "#", "keep_last": 8}, "#### ####"),
    ],
)
def test_mask_edge_cases(sub, value, kwargs, want):
    got = _get(sub, "mask_identifier")(value, **kwargs)
    assert got == want, f"mask_identifier({value!r}, {kwargs}) should be {want!r}, got {got!r}"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_mask_missing_values(sub, missing):
    assert _get(sub, "mask_identifier")(missing) is None


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((4386908111866927,), {}, TypeError),
        (("969-16-2462",), {"keep_last": -1}, ValueError),
        (("969-16-2462",), {"keep_first": -2}, ValueError),
        (("969-16-2462",), {"mask_char": "x"}, ValueError),
        (("969-16-2462",), {"mask_char": "**"}, ValueError),
        (("969-16-2462",), {"mask_char": "7"}, ValueError),
    ],
)
def test_mask_rejects_bad_arguments(sub, args, kwargs, error):
    with pytest.raises(error):
        _get(sub, "mask_identifier")(*args, **kwargs)


# --------------------------------------------------------------------------------------
# The release
# --------------------------------------------------------------------------------------


def test_release_has_only_allowed_columns(release):
    columns = set(release.columns)
    assert REQUIRED <= columns, f"the release lacks {sorted(REQUIRED - columns)}"
    extra = columns - REQUIRED - OPTIONAL
    assert not extra, f"the release may not contain {sorted(extra)} (identifiers or extra quasi-identifiers)"


def test_release_is_10_anonymous(release):
    k = k_anonymity(release, QIS)
    assert k >= 10, f"k-anonymity on {QIS} is {k}, required >= 10"


def test_release_is_4_diverse(release):
    ell = l_diversity(release, QIS, "diagnosis")
    assert ell >= 4, f"l-diversity of diagnosis is {ell}, required >= 4 distinct diagnoses in every class"


def test_release_suppresses_at_most_200_records(release, patients):
    assert release.index.isin(patients.index).all(), "keep the original index of every released row"
    assert not release.index.duplicated().any(), "a released row appears twice"
    suppressed = len(patients) - len(release)
    assert suppressed <= 200, f"{suppressed} records suppressed, at most 200 allowed"


def test_birth_years_are_truthful_and_fine(release, patients):
    labels = release["date_of_birth"]
    assert labels.map(lambda v: isinstance(v, str)).all(), "date_of_birth must be a text label such as '1940-1949'"
    bounds = year_bounds(labels)
    true_years = patients.loc[release.index, "date_of_birth"].dt.year
    outside = int(((true_years < bounds["low"]) | (true_years > bounds["high"])).sum())
    assert outside == 0, f"{outside} birth-year labels do not contain the true birth year"
    widest = int((bounds["high"] - bounds["low"] + 1).max())
    assert widest <= 10, f"birth-year bands may span at most 10 years, got one of {widest}"


def test_zip_codes_are_truthful_and_fine(release, patients):
    zips = release["zip"].astype(str)
    true = patients.loc[release.index, "zip"]
    well_formed = zips.str.fullmatch(r"\d{3,5}\**") & (zips.str.len() == 5)
    assert well_formed.all(), f"zip must keep >= 3 digits and star the rest, got e.g. {zips[~well_formed].head(3).tolist()}"
    prefix = zips.str.rstrip("*")
    mismatched = int((~pd.Series([t.startswith(p) for t, p in zip(true, prefix, strict=True)], index=zips.index)).sum())
    assert mismatched == 0, f"{mismatched} generalised ZIPs are not a prefix of the true ZIP"


def test_sensitive_values_and_sex_are_unchanged(release, patients):
    for column in ["sex", "diagnosis", "readmitted_30d", *sorted(OPTIONAL & set(release.columns))]:
        original = patients.loc[release.index, column]
        same = (release[column].to_numpy() == original.to_numpy())
        assert same.all(), f"{int((~same).sum())} values of {column!r} differ from the source record"


def test_linkage_attack_is_defeated(sub, release):
    roll = load_public_roll()
    generalised = _get(sub, "generalize_roll")(roll.copy())
    assert len(generalised) == len(roll), "generalize_roll must keep every roll entry"
    linked = linkage_attack(release, generalised, QIS)
    share = len(linked) / 6000
    assert share <= 0.01, f"the linkage attack still names {share:.1%} of the patients (at most 1% allowed)"


def test_release_on_a_smaller_network(sub, patients):
    # a network of three hospitals: the same rules must still give k >= 10 and l >= 4
    part = patients[patients["hospital"].isin(["Ashford", "Brookside", "Cedar Vale"])].copy()
    result = _get(sub, "anonymize")(part)
    assert k_anonymity(result, QIS) >= 10 and l_diversity(result, QIS, "diagnosis") >= 4
    assert result.index.isin(part.index).all()
