"""The shipped datasets: reproducible from the seeded generator, small, documented, valid."""
import hashlib
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from course_lib import data

DATASETS = Path(__file__).resolve().parent.parent / "datasets"


def _generator():
    spec = importlib.util.spec_from_file_location("generate", DATASETS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _committed_sums() -> dict[str, str]:
    return {name: digest for digest, name in (line.split() for line in (DATASETS / "SHA256SUMS").read_text().splitlines())}


def test_generator_reproduces_committed_files(tmp_path):
    sums = _generator().generate(tmp_path)
    assert sums == _committed_sums()


def test_committed_files_match_sums():
    for name, digest in _committed_sums().items():
        assert hashlib.sha256((DATASETS / name).read_bytes()).hexdigest() == digest, name


def test_datasets_folder_under_5_mb():
    total = sum(p.stat().st_size for p in DATASETS.iterdir() if p.is_file())
    assert total < 5 * 1024 * 1024, f"datasets/ is {total / 1e6:.1f} MB"


def test_datasheet_documents_every_column():
    sheet = (DATASETS / "DATASHEET.md").read_text()
    for name, schema in data.SCHEMAS.items():
        assert name in sheet
        for column in schema:
            assert f"`{column}`" in sheet, f"DATASHEET.md does not document {name}:{column}"
    assert "License" in sheet and str(_generator().SEED) in sheet


def _luhn(number: str) -> bool:
    digits = [int(c) for c in number.replace("-", "")][::-1]
    return sum(d if i % 2 == 0 else (2 * d - 9 if 2 * d > 9 else 2 * d) for i, d in enumerate(digits)) % 10 == 0


def test_card_numbers_pass_luhn_and_identifiers_are_fake():
    patients = data.load_patients()
    assert patients["card_number"].map(_luhn).all()
    assert patients["ssn"].str.fullmatch(r"9\d\d-\d\d-\d{4}").all()  # 9xx is never issued
    assert patients["email"].str.endswith("@example.org").all()


def test_public_roll_overlaps_part_of_the_patients():
    patients, roll = data.load_patients(), data.load_public_roll()
    keys = ["name", "date_of_birth", "sex", "zip"]
    overlap = patients[keys].merge(roll[keys].drop_duplicates(), on=keys).shape[0] / len(patients)
    assert 0.55 < overlap < 0.75


def test_hospitals_are_non_iid():
    patients = data.load_patients()
    by = patients.groupby("hospital").agg(age=("age", "mean"), rate=("readmitted_30d", "mean"), n=("age", "size"))
    assert by["age"].max() - by["age"].min() > 15
    assert by["rate"].max() - by["rate"].min() > 0.25
    assert by["n"].max() > 4 * by["n"].min()


def test_credit_bias_is_injected_as_documented():
    credit = data.load_credit()
    rates = credit.groupby("group")[["repaid", "approved"]].mean()
    # ground truth nearly equal across groups, historical approvals far apart
    assert abs(rates.loc["A", "repaid"] - rates.loc["B", "repaid"]) < 0.05
    assert rates.loc["A", "approved"] - rates.loc["B", "approved"] > 0.2
    share_b = pd.crosstab(credit["zip_area"], credit["group"], normalize="index")["B"]
    assert share_b.max() - share_b.min() > 0.6  # zip_area is a proxy for group


@pytest.mark.parametrize("name", ["patients.csv", "public_roll.csv", "credit.csv"])
def test_files_use_unix_newlines(name):
    assert b"\r\n" not in (DATASETS / name).read_bytes()[:10000]
