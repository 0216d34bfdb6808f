"""course_lib.data: loaders verify checksum and schema and fail with clear errors."""
import shutil

import pandas as pd
import pytest

from course_lib import data

LOADERS = {"patients.csv": data.load_patients, "public_roll.csv": data.load_public_roll, "credit.csv": data.load_credit}


@pytest.fixture
def copy_of_datasets(tmp_path):
    for name in [*LOADERS, "SHA256SUMS"]:
        shutil.copy(data.data_dir() / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("name", LOADERS)
def test_loaders_return_the_schema(name):
    frame = LOADERS[name]()
    assert list(frame.columns) == list(data.SCHEMAS[name])
    assert {c: str(t) for c, t in frame.dtypes.items()} == data.SCHEMAS[name]
    assert len(frame) > 1000
    assert not frame.drop(columns=[c for c in frame if c == "clinical_note"]).isna().any().any()


def test_sizes_and_key_facts():
    patients = data.load_patients()
    assert len(patients) == 6000 and patients["hospital"].nunique() == 5
    assert patients["zip"].str.fullmatch(r"\d{5}").all()  # leading zeros kept
    assert patients["patient_id"].is_unique
    assert len(data.load_credit()) == 5000


def test_missing_file_names_it(copy_of_datasets):
    (copy_of_datasets / "credit.csv").unlink()
    with pytest.raises(data.DatasetError, match=r"credit\.csv is missing"):
        data.load_credit(copy_of_datasets)


def test_changed_file_fails_checksum(copy_of_datasets):
    path = copy_of_datasets / "patients.csv"
    path.write_text(path.read_text().replace("Ashford", "Ashferd", 1))
    with pytest.raises(data.DatasetError, match=r"patients\.csv has changed"):
        data.load_patients(copy_of_datasets)


def test_missing_sums_file(copy_of_datasets):
    (copy_of_datasets / "SHA256SUMS").unlink()
    with pytest.raises(data.DatasetError, match="SHA256SUMS is missing"):
        data.load_public_roll(copy_of_datasets)


def test_schema_mismatch_names_the_columns(copy_of_datasets):
    path = copy_of_datasets / "public_roll.csv"
    frame = pd.read_csv(path, dtype=str).rename(columns={"zip": "postcode"})
    frame.to_csv(path, index=False)
    with pytest.raises(data.DatasetError, match=r"missing columns \['zip'\].*unexpected columns \['postcode'\]"):
        data.load_public_roll(copy_of_datasets, verify=False)


def test_bad_dates_are_reported(copy_of_datasets):
    path = copy_of_datasets / "public_roll.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "date_of_birth"] = "31/12/1970"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DatasetError, match="date_of_birth"):
        data.load_public_roll(copy_of_datasets, verify=False)


def test_wrong_type_is_reported(copy_of_datasets):
    path = copy_of_datasets / "credit.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "age"] = "forty"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DatasetError, match="unexpected types.*age"):
        data.load_credit(copy_of_datasets, verify=False)


def test_data_dir_override(monkeypatch, copy_of_datasets):
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy_of_datasets))
    assert data.data_dir() == copy_of_datasets
    assert len(data.load_credit()) == 5000


def test_column_roles():
    roles = data.column_roles("patients")
    assert roles.loc["ssn", "role"] == "direct identifier"
    assert roles.loc["zip", "role"] == "quasi-identifier"
    assert roles.loc["readmitted_30d", "role"] == "target"
    assert set(roles.index) == set(data.SCHEMAS["patients.csv"])
    with pytest.raises(ValueError, match="name must be one of"):
        data.column_roles("nope")
