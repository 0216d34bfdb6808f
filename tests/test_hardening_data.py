"""Issue 18, class 8: malformed SHA256SUMS lines, upper-case digests, and impossible values
refused by a named schema check even with verify=False."""
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import data

FILES = ["patients.csv", "public_roll.csv", "credit.csv", "SHA256SUMS"]


@pytest.fixture
def folder(tmp_path):
    for name in FILES:
        shutil.copy(data.data_dir() / name, tmp_path / name)
    return tmp_path


def _sums(folder):
    return (folder / "SHA256SUMS").read_text()


@pytest.mark.parametrize("line", [
    "garbage",
    "abc123  credit.csv",  # digest too short
    "z" * 64 + "  credit.csv",  # not hex
    "a" * 64,  # no file name
    "a" * 64 + "  credit.csv  extra  words\tand" + "\x00",
    "a" * 64 + "credit.csv",  # no separator
])
def test_malformed_sums_line_names_file_and_line(folder, line):
    (folder / "SHA256SUMS").write_text(_sums(folder) + line + "\n")
    for loader in (data.load_patients, data.load_public_roll, data.load_credit):
        with pytest.raises(data.DatasetError, match=r"SHA256SUMS, line 4: expected '<64 hex digits>  <file name>'"):
            loader(folder)  # was: ValueError: too many/not enough values to unpack


def test_upper_case_digests_and_comments_are_accepted(folder):
    lines = [line.split(" ", 1) for line in _sums(folder).splitlines()]
    (folder / "SHA256SUMS").write_text("# pinned by datasets/generate.py\n\n" + "\n".join(d.upper() + " " + n for d, n in lines) + "\n")
    assert len(data.load_credit(folder)) == 5000  # was: "credit.csv has changed"


def test_conflicting_duplicate_entries_are_an_error(folder):
    digest, name = _sums(folder).splitlines()[0].split("  ")
    (folder / "SHA256SUMS").write_text(_sums(folder) + "0" * 64 + "  " + name + "\n")
    with pytest.raises(data.DatasetError, match="listed twice with different digests"):
        data.load_credit(folder)


def test_binary_sums_file(folder):
    (folder / "SHA256SUMS").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(data.DatasetError, match="SHA256SUMS is not UTF-8 text"):
        data.load_credit(folder)


CORRUPTIONS = [
    ("patients.csv", "age", -4, "check 'age from 18 to 95' failed"),
    ("patients.csv", "age", 240, "check 'age from 18 to 95' failed"),
    ("patients.csv", "research_consent", 7, r"check 'research_consent in \[0, 1\]' failed"),
    ("patients.csv", "sex", "Q", r"check 'sex in \['F', 'M'\]' failed"),
    ("patients.csv", "patient_id", "P00002", "check 'patient_id unique' failed: 2 rows"),
    ("patients.csv", "patient_id", "X1", r"check 'patient_id matches P\\d\{5\}' failed"),
    ("patients.csv", "hospital", "Atlantis", "check 'hospital in"),
    ("patients.csv", "diagnosis", "flu", "check 'diagnosis in"),
    ("patients.csv", "zip", "2110", r"check 'zip matches \\d\{5\}' failed"),
    ("patients.csv", "bmi", -1.0, "check 'bmi from 10.0 to 80.0' failed"),
    ("patients.csv", "readmitted_30d", 2, "check 'readmitted_30d in"),
    ("patients.csv", "admission_date", "2031-01-01", "check 'admission_date from 2016-01-01 to 2025-12-31' failed"),
    ("patients.csv", "name", "", "check 'not missing' failed for column 'name'"),
    ("public_roll.csv", "roll_id", "R00002", "check 'roll_id unique' failed"),
    ("public_roll.csv", "sex", "f", "check 'sex in"),
    ("credit.csv", "group", "C", r"check 'group in \['A', 'B'\]' failed"),
    ("credit.csv", "debt_ratio", 1.5, "check 'debt_ratio from 0.0 to 0.95' failed"),
    ("credit.csv", "approved", -1, "check 'approved in"),
    ("credit.csv", "zip_area", "Z11", "check 'zip_area in"),
    ("credit.csv", "age", 12, "check 'age from 21 to 75' failed"),
]
LOADERS = {"patients.csv": data.load_patients, "public_roll.csv": data.load_public_roll, "credit.csv": data.load_credit}


@pytest.mark.parametrize("name, column, value, match", CORRUPTIONS)
def test_impossible_values_are_refused_even_without_verification(folder, name, column, value, match):
    path = folder / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, column] = str(value)
    frame.to_csv(path, index=False)
    with pytest.raises(data.DatasetError, match=match) as info:
        LOADERS[name](folder, verify=False)
    assert name in str(info.value) and "data row 1" in str(info.value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(age=st.integers(-10**6, 10**6))
def test_any_age_outside_the_datasheet_is_refused(folder, age):
    """Property: credit ages load if and only if they lie in the datasheet's 21-75."""
    path = folder / "credit.csv"
    original = (data.data_dir() / "credit.csv").read_text().splitlines()
    header, first = original[0], original[1].split(",")
    first[header.split(",").index("age")] = str(age)
    path.write_text("\n".join([header, ",".join(first), *original[2:]]) + "\n")
    if 21 <= age <= 75:
        assert data.load_credit(folder, verify=False)["age"].iloc[0] == age
    else:
        with pytest.raises(data.DatasetError, match="check 'age from 21 to 75' failed"):
            data.load_credit(folder, verify=False)


def test_value_rules_name_real_columns_and_hold_on_the_shipped_data():
    for name, rules in data.VALUE_RULES.items():
        assert {column for column, _, _ in rules} <= set(data.SCHEMAS[name])
    for loader in LOADERS.values():
        loader()  # the shipped files pass every check


@pytest.mark.parametrize("bad, error, match", [
    (5, TypeError, "data_dir must be a path"), ("", ValueError, "data_dir must be a non-empty path"),
    (b"datasets", TypeError, "data_dir must be a path"),
])
def test_loader_arguments_are_checked(bad, error, match):
    with pytest.raises(error, match=match):
        data.load_credit(bad)


def test_verify_must_be_a_bool_and_data_dir_a_folder(folder):
    with pytest.raises(TypeError, match="verify must be True or False"):
        data.load_credit(folder, verify="no")  # a non-empty string would have meant True
    with pytest.raises(ValueError, match="data_dir must be a directory, got the file"):
        data.load_credit(folder / "credit.csv")
    with pytest.raises(TypeError, match="name must be a dataset name"):
        data.column_roles(None)
