"""Unit tests of course_lib.basics (lesson 01): hand-computed cases and bad input."""
import numpy as np
import pandas as pd
import pytest

from course_lib.basics import linkage_attack, uniqueness

# --------------------------------------------------------------------------------------
# uniqueness
# --------------------------------------------------------------------------------------


@pytest.fixture
def people() -> pd.DataFrame:
    # rows 0 and 1 share (1990, F, 02139); rows 2, 3, 4 are unique on all three columns
    return pd.DataFrame(
        {
            "year": [1990, 1990, 1990, 1985, 1985],
            "sex": ["F", "F", "M", "F", "M"],
            "zip": ["02139", "02139", "02139", "02139", "02139"],
            "name": ["Ann", "Bea", "Carl", "Dora", "Ed"],
        }
    )


def test_uniqueness_hand_computed(people):
    assert uniqueness(people, ["year", "sex", "zip"]) == pytest.approx(3 / 5)
    assert uniqueness(people, ["zip"]) == 0.0  # everyone shares the ZIP
    assert uniqueness(people, ["name"]) == 1.0  # a direct identifier is unique
    assert uniqueness(people, ["year"]) == 0.0  # 3 x 1990, 2 x 1985
    assert uniqueness(people, ["sex", "year"]) == pytest.approx(3 / 5)


def test_uniqueness_accepts_tuple_and_index(people):
    assert uniqueness(people, ("year", "sex")) == uniqueness(people, pd.Index(["year", "sex"]))


def test_uniqueness_returns_python_float(people):
    assert type(uniqueness(people, ["year"])) is float


def test_uniqueness_single_row_is_unique():
    assert uniqueness(pd.DataFrame({"a": [1]}), ["a"]) == 1.0


def test_uniqueness_missing_values_are_a_value():
    df = pd.DataFrame({"a": [1.0, np.nan, np.nan, 2.0]})
    assert uniqueness(df, ["a"]) == pytest.approx(2 / 4)


def test_uniqueness_grows_with_columns(people):
    assert uniqueness(people, ["sex"]) <= uniqueness(people, ["sex", "year"]) <= uniqueness(people, ["sex", "year", "name"])


def test_uniqueness_bad_input(people):
    with pytest.raises(ValueError, match=r"df has no column\(s\) \['dob'\]"):
        uniqueness(people, ["dob", "sex"])
    with pytest.raises(ValueError, match="df must have at least one row"):
        uniqueness(people.iloc[:0], ["sex"])
    with pytest.raises(ValueError, match="columns must name at least one column"):
        uniqueness(people, [])
    with pytest.raises(TypeError, match="df must be a pandas DataFrame, got list"):
        uniqueness([1, 2], ["sex"])
    with pytest.raises(TypeError, match="single string 'sex'"):
        uniqueness(people, "sex")
    with pytest.raises(ValueError, match="must not repeat a column"):
        uniqueness(people, ["sex", "sex"])


# --------------------------------------------------------------------------------------
# linkage_attack
# --------------------------------------------------------------------------------------


@pytest.fixture
def released() -> pd.DataFrame:
    # names overwritten with a constant: the "de-identified" release
    return pd.DataFrame(
        {
            "name": ["REDACTED"] * 4,
            "dob": ["1990-01-01", "1985-05-05", "1970-07-07", "1999-09-09"],
            "sex": ["F", "M", "F", "M"],
            "zip": ["02139", "02140", "02141", "02142"],
            "diagnosis": ["COPD", "asthma", "diabetes", "flu"],
        },
        index=[10, 11, 12, 13],
    )


@pytest.fixture
def roll() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "roll_id": ["R1", "R2", "R3", "R4", "R5"],
            "name": ["Ann", "Bob", "Cat", "Cara", "Zed"],
            "dob": ["1990-01-01", "1985-05-05", "1970-07-07", "1970-07-07", "2000-01-01"],
            "sex": ["F", "M", "F", "F", "M"],
            "zip": ["02139", "02140", "02141", "02141", "02142"],
        }
    )


def test_linkage_hand_computed(released, roll):
    # record 10 -> Ann, 11 -> Bob; 12 has two candidates (Cat, Cara); 13 is not on the roll
    out = linkage_attack(released, roll, ["dob", "sex", "zip"])
    assert list(out["name_public"]) == ["Ann", "Bob"]
    assert list(out["roll_id"]) == ["R1", "R2"]
    assert list(out["diagnosis"]) == ["COPD", "asthma"]
    assert list(out.index) == [0, 1]
    assert list(out.columns) == ["name", "dob", "sex", "zip", "diagnosis", "roll_id", "name_public"]
    assert (out["name"] == "REDACTED").all()


def test_linkage_without_clash_keeps_public_names(released, roll):
    out = linkage_attack(released.drop(columns="name"), roll, ["dob", "sex", "zip"])
    assert list(out["name"]) == ["Ann", "Bob"]
    assert "name_public" not in out.columns


def test_linkage_duplicate_released_records_both_returned(released, roll):
    twice = pd.concat([released.iloc[[0]], released.iloc[[0]]])
    out = linkage_attack(twice, roll, ["dob", "sex", "zip"])
    assert len(out) == 2 and set(out["roll_id"]) == {"R1"}


def test_linkage_fewer_keys_fewer_matches(released, roll):
    # on sex alone every candidate set is large: nobody is re-identified
    assert linkage_attack(released, roll, ["sex"]).empty
    # on dob alone: 1990 and 1985 have one candidate each, 1970 two, 1999 none
    assert list(linkage_attack(released, roll, ["dob"])["roll_id"]) == ["R1", "R2"]


def test_linkage_public_missing_key_never_matches(released, roll):
    roll = roll.copy()
    roll.loc[0, "zip"] = None
    released = released.copy()
    released.loc[10, "zip"] = None
    out = linkage_attack(released, roll, ["dob", "sex", "zip"])
    assert list(out["roll_id"]) == ["R2"]


def test_linkage_no_match_returns_empty_frame_with_columns(released, roll):
    out = linkage_attack(released.iloc[[3]], roll, ["dob", "sex", "zip"])
    assert out.empty and "roll_id" in out.columns


def test_linkage_bad_input(released, roll):
    with pytest.raises(ValueError, match=r"public has no column\(s\) \['diagnosis'\]"):
        linkage_attack(released, roll, ["dob", "diagnosis"])
    with pytest.raises(ValueError, match=r"released has no column\(s\) \['roll_id'\]"):
        linkage_attack(released, roll, ["roll_id"])
    with pytest.raises(ValueError, match="released must have at least one row"):
        linkage_attack(released.iloc[:0], roll, ["dob"])
    with pytest.raises(ValueError, match="public must have at least one row"):
        linkage_attack(released, roll.iloc[:0], ["dob"])
    with pytest.raises(ValueError, match="on must name at least one column"):
        linkage_attack(released, roll, [])
    with pytest.raises(TypeError, match="public must be a pandas DataFrame, got dict"):
        linkage_attack(released, {"dob": []}, ["dob"])
    with pytest.raises(TypeError, match="single string"):
        linkage_attack(released, roll, "dob")


def test_linkage_incompatible_key_types(released, roll):
    roll = roll.assign(dob=pd.to_datetime(roll["dob"]))
    with pytest.raises(ValueError, match="cannot join released and public"):
        linkage_attack(released, roll, ["dob", "sex", "zip"])


def test_linkage_on_shipped_data():
    from course_lib.data import load_patients, load_public_roll

    patients, roll = load_patients(), load_public_roll()
    released = patients.assign(name="REDACTED", email="REDACTED")
    out = linkage_attack(released, roll, ["date_of_birth", "sex", "zip"])
    assert 0.6 < len(out) / len(patients) < 0.75  # about 70 % are on the roll, 5 % moved
    truth = patients.set_index("patient_id").loc[out["patient_id"], "name"].to_numpy()
    assert (out["name_public"].to_numpy() == truth).mean() > 0.99
