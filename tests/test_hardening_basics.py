"""Issue 18, classes 2, 4 and 6 for lesson 01 (basics) and course_lib.setup/check_environment:
no change where the caller did not ask, consent and retention that cannot be switched off by
accident, errors that name the argument."""
import datetime as dt
import os
import stat
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_lib
from course_lib import basics


@pytest.fixture
def records():
    return pd.DataFrame({
        "name": ["Ann", "Bob", "Cat", "Dan"],
        "age": [30, 40, 50, 60],
        "consent": [1, 0, np.nan, 1],
        "seen": pd.to_datetime(["2025-06-01", "2020-12-31", "2020-12-30", "2023-06-01"]),
    })


# ---------------------------------------------------------------- 2. paths


@pytest.mark.parametrize("bad, error", [(None, TypeError), ("", ValueError), (" ", ValueError), (0, TypeError),
                                        (1, TypeError), (2.0, TypeError), (False, TypeError), (b".", TypeError)])
def test_restrict_permissions_refuses_paths_that_change_something_else(bad, error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = stat.S_IMODE(os.stat(tmp_path).st_mode)
    with pytest.raises(error, match="path must be"):
        basics.restrict_permissions(bad)
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == before  # the current directory is untouched


def test_restrict_permissions_refuses_a_directory_but_file_mode_reads_one(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir(mode=0o755)
    with pytest.raises(ValueError, match="path must be a file, got the directory"):
        basics.restrict_permissions(folder)
    assert basics.file_mode(folder) == stat.S_IMODE(os.stat(folder).st_mode)
    for bad, error in ((None, TypeError), ("", ValueError), (0, TypeError)):
        with pytest.raises(error, match="path must be"):
            basics.file_mode(bad)


@pytest.mark.parametrize("bad, error", [(0, TypeError), (1, TypeError), (True, TypeError), ("", ValueError),
                                        (3.0, TypeError)])
def test_check_environment_never_opens_a_file_descriptor(bad, error, monkeypatch):
    class Trap:
        def read(self, *_):  # pragma: no cover - reached only by the bug this test guards
            raise AssertionError("check_environment read standard input")

        def __iter__(self):  # pragma: no cover
            raise AssertionError("check_environment read standard input")

    monkeypatch.setattr(sys, "stdin", Trap())
    with pytest.raises(error, match="requirements must be"):
        course_lib.check_environment(bad)


def test_check_environment_refuses_directories_and_binary_files(tmp_path):
    with pytest.raises(ValueError, match="requirements must be a file, got the directory"):
        course_lib.check_environment(tmp_path)
    binary = tmp_path / "req.txt"
    binary.write_bytes(b"\xff\xfe\x00numpy==1\n")
    with pytest.raises(ValueError, match="requirements must be a UTF-8 text file"):
        course_lib.check_environment(binary)


def test_setup_and_versions_name_their_arguments():
    with pytest.raises(ValueError, match=r"seed must be an int from 0 to 2\*\*32 - 1, got 4294967296"):
        course_lib.setup(2**32, show_versions=False)  # was numpy's unnamed ValueError
    with pytest.raises(TypeError, match="show_versions must be True or False"):
        course_lib.setup(0, show_versions="no")
    with pytest.raises(TypeError, match="libraries must be a collection of distribution names, got the single string"):
        course_lib.versions("numpy")  # was one version per letter
    with pytest.raises(TypeError, match="libraries must be a collection"):
        course_lib.versions(None)
    with pytest.raises(TypeError, match="libraries must hold non-empty names"):
        course_lib.versions([1])


# ---------------------------------------------------------------- 4. consent


@pytest.mark.parametrize("consent_column, error, match", [
    ("", ValueError, "consent_column must be a non-empty column name"),
    ("  ", ValueError, "consent_column must be a non-empty column name"),
    (0, TypeError, "consent_column must be a column name"),
    (False, TypeError, "consent_column must be a column name"),
    (["consent"], TypeError, "consent_column must be a column name"),
    ("age", ValueError, "must not also be one of the purpose's columns"),
])
def test_purpose_consent_cannot_be_switched_off_by_accident(consent_column, error, match):
    with pytest.raises(error, match=match):
        basics.Purpose("study", ("age",), consent_column=consent_column)


def test_purpose_columns_must_be_names():
    with pytest.raises(TypeError, match="columns must be column names"):
        basics.Purpose("study", ("age", 3))
    with pytest.raises(TypeError, match="columns must be a sequence of column names"):
        basics.Purpose("study", None)


@pytest.mark.parametrize("values", [
    [1, 7, 0, 1], [1, -1, 0, 1], [1, 0.5, 0, 1], ["1", "0", "1", "1"], ["yes", "no", "yes", "yes"],
    [1, "1", 0, 1], [1, 2, np.nan, 1], [True, "True", False, True],
])
def test_consent_values_other_than_0_1_are_an_error(records, values):
    frame = records.assign(consent=pd.Series(values, dtype=object if any(isinstance(v, str) for v in values) else None))
    with pytest.raises(ValueError, match=r"df\['consent'\] must hold consent as 0"):
        basics.select_for_purpose(frame, basics.Purpose("study", ("age",), consent_column="consent"))


def test_valid_consent_encodings_agree(records):
    purpose = basics.Purpose("study", ("age",), consent_column="consent")
    expected = [30, 60]
    for values in ([1, 0, np.nan, 1], [1.0, 0.0, None, 1.0], [True, False, False, True], pd.array([1, 0, None, 1], dtype="Int64"),
                   pd.array([True, False, None, True], dtype="boolean"), pd.Series([1, 0, None, 1], dtype=object)):
        assert basics.select_for_purpose(records.assign(consent=values), purpose)["age"].tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0, 1, None]), min_size=1, max_size=30))
def test_select_for_purpose_keeps_exactly_the_consenting_rows(consents):
    """Property: the rows kept are those whose consent is exactly 1; missing is no consent."""
    frame = pd.DataFrame({"age": range(len(consents)), "consent": pd.array(consents, dtype="Int64")})
    out = basics.select_for_purpose(frame, basics.Purpose("study", ("age",), consent_column="consent"))
    assert out["age"].tolist() == [i for i, c in enumerate(consents) if c == 1]


def test_duplicate_consent_columns_are_an_error(records):
    frame = pd.concat([records, records[["consent"]]], axis=1)
    with pytest.raises(ValueError, match="the consent column must be unique"):
        basics.select_for_purpose(frame, basics.Purpose("study", ("age",), consent_column="consent"))


# ---------------------------------------------------------------- 4. retention


@pytest.mark.parametrize("reference, error, match", [
    (None, TypeError, "reference_date must be a date"),  # was: NaT, a filter dropping every row
    ("", ValueError, "reference_date must be an ISO date"),
    ("not a date", ValueError, "reference_date must be an ISO date"),
    ("31/12/2025", ValueError, "reference_date must be an ISO date"),
    ("2025-02-30", ValueError, "reference_date is not a valid date"),
    (2025, TypeError, "reference_date must be a date"),  # was 2025 ns after 1970
    (1.7e18, TypeError, "reference_date must be a date"),
    (pd.NaT, TypeError, "reference_date must be a date"),
    (np.datetime64("NaT"), ValueError, "reference_date must be a date, got a missing value"),
    (True, TypeError, "reference_date must be a date"),
])
def test_retention_reference_date_must_be_a_real_date(records, reference, error, match):
    with pytest.raises(error, match=match):
        basics.apply_retention(records, "seen", 5, reference_date=reference)


def test_retention_accepts_dates_of_every_kind(records):
    expected = basics.apply_retention(records, "seen", 5)["name"].tolist()
    for reference in ("2025-12-31", dt.date(2025, 12, 31), dt.datetime(2025, 12, 31), np.datetime64("2025-12-31"),
                      pd.Timestamp("2025-12-31")):
        assert basics.apply_retention(records, "seen", 5, reference_date=reference)["name"].tolist() == expected


def test_retention_other_arguments(records):
    with pytest.raises(ValueError, match="max_age_years must be an int from 0 to 150, got 10000"):
        basics.apply_retention(records, "seen", 10_000)  # was OutOfBoundsDatetime
    with pytest.raises(TypeError, match="max_age_years must be an int, got float"):
        basics.apply_retention(records, "seen", 5.0)
    with pytest.raises(TypeError, match="date_column must be one column name"):
        basics.apply_retention(records, ["seen"], 5)
    aware = records.assign(seen=records["seen"].dt.tz_localize("UTC"))
    with pytest.raises(ValueError, match="must both have a time zone or both have none"):
        basics.apply_retention(aware, "seen", 5)  # was a raw pandas TypeError
    assert basics.apply_retention(aware, "seen", 5, reference_date=pd.Timestamp("2025-12-31", tz="UTC"))["name"].tolist() == \
        basics.apply_retention(records, "seen", 5)["name"].tolist()


def test_profile_columns_roles_must_be_names():
    with pytest.raises(TypeError, match="roles must map column names to role names"):
        basics.profile_columns(pd.DataFrame({"a": [1]}), {"a": 1})
