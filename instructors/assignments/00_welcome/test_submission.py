"""Tests for assignment 00 (know your data): run on a student's folder with SUBMISSION_DIR=<folder>.

The expected values are computed here, independently of the submission, from the shipped data
and from a sample the tests draw, so a hard-coded table cannot pass.
"""
from __future__ import annotations

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


# --------------------------------------------------------------------------------------
# The expected summary, computed the plain way
# --------------------------------------------------------------------------------------

COLUMNS = ["patients", "mean_age", "share_female", "consent_rate", "readmission_rate"]


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return load_patients()


def expected_summary(df: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    for name in sorted(df["hospital"].unique()):
        part = df[df["hospital"] == name]
        rows[name] = {
            "patients": len(part),
            "mean_age": part["age"].to_numpy(dtype=float).mean(),
            "share_female": float((part["sex"] == "F").mean()),
            "consent_rate": float((part["research_consent"] == 1).mean()),
            "readmission_rate": float((part["readmitted_30d"] == 1).mean()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")[COLUMNS]


def check_summary(got: object, want: pd.DataFrame) -> None:
    assert isinstance(got, pd.DataFrame), f"hospital_summary must return a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == COLUMNS, f"columns must be exactly {COLUMNS} in this order, got {list(got.columns)}"
    assert list(got.index) == list(want.index), f"index must be the hospitals sorted, {list(want.index)}; got {list(got.index)}"
    assert got.index.name == "hospital", f"the index must be named 'hospital', got {got.index.name!r}"
    assert (got["patients"].to_numpy() == want["patients"].to_numpy()).all(), (
        f"patients per hospital: expected {want['patients'].tolist()}, got {got['patients'].tolist()}"
    )
    for column in COLUMNS[1:]:
        values = got[column].to_numpy(dtype=float)
        if column != "mean_age":
            assert ((values >= 0) & (values <= 1)).all(), f"{column} must be a share between 0 and 1, got {values}"
        np.testing.assert_allclose(values, want[column].to_numpy(), rtol=0, atol=1e-9, err_msg=f"column {column}")


# --------------------------------------------------------------------------------------
# hospital_summary
# --------------------------------------------------------------------------------------


def test_summary_on_the_shipped_data(sub, patients):
    check_summary(_get(sub, "hospital_summary")(patients.copy()), expected_summary(patients))


def test_summary_on_a_sample_with_other_hospitals(sub, patients):
    rng = np.random.default_rng(2026)
    sample = patients.sample(n=700, random_state=rng).reset_index(drop=True)
    # two hospitals renamed and merged: a network the shipped file does not have
    sample["hospital"] = sample["hospital"].replace({"Ashford": "Zephyr", "Brookside": "Zephyr", "Elmwood": "Aldgate"})
    check_summary(_get(sub, "hospital_summary")(sample.copy()), expected_summary(sample))


def test_summary_leaves_its_input_unchanged(sub, patients):
    frame = patients.head(500).copy()
    before = frame.copy()
    _get(sub, "hospital_summary")(frame)
    pd.testing.assert_frame_equal(frame, before, obj="the patients frame after hospital_summary")


# --------------------------------------------------------------------------------------
# luhn_valid
# --------------------------------------------------------------------------------------


def test_luhn_accepts_every_card_in_the_data(sub, patients):
    luhn_valid = _get(sub, "luhn_valid")
    rejected = [card for card in patients["card_number"] if luhn_valid(card) is not True]
    assert not rejected, f"{len(rejected)} valid card numbers rejected, e.g. {rejected[:3]}"


def test_luhn_rejects_altered_cards(sub, patients):
    luhn_valid = _get(sub, "luhn_valid")
    accepted = []
    for card in patients["card_number"].head(300):
        last = int(card[-1])
        altered = card[:-1] + str((last + 3) % 10)  # a single changed digit is always caught
        if luhn_valid(altered) is not False:
            accepted.append(altered)
    assert not accepted, f"altered (invalid) card numbers accepted, e.g. {accepted[:3]}"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("79927398713", True),  # 11 digits: the doubling must start at the second digit from the right
        ("79927398710", False),
        ("378282246310005", True),  # 15 digits
        ("378282246310006", False),
        ("59", True),  # 9 + (10 - 9)
        ("91", True),  # 1 + (18 - 9): forgetting to subtract 9 rejects it
        ("18", True),  # 8 + 2
        ("19", False),
    ],
)
def test_luhn_odd_lengths(sub, number, valid):
    assert _get(sub, "luhn_valid")(number) is valid, f"luhn_valid({number!r}) should be {valid}"


def test_luhn_ignores_separators(sub):
    luhn_valid = _get(sub, "luhn_valid")
    assert luhn_valid("7992 7398 713") is True
    assert luhn_valid("7992-7398-710") is False


@pytest.mark.parametrize("bad", ["", "7", "4386-9081-1186-692x", "12.34", "4386/9081"])
def test_luhn_rejects_malformed_text(sub, bad):
    with pytest.raises(ValueError):
        _get(sub, "luhn_valid")(bad)


@pytest.mark.parametrize("bad", [4386908111866927, None, b"4386908111866927"])
def test_luhn_rejects_non_strings(sub, bad):
    with pytest.raises(TypeError):
        _get(sub, "luhn_valid")(bad)
