"""Unit tests of course_lib.basics (lesson 01): hand-computed cases and bad input."""
import os
import stat

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from course_lib import basics
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


# --------------------------------------------------------------------------------------
# profile_columns, uniqueness_by_columns, reidentification_by_columns
# --------------------------------------------------------------------------------------


def test_profile_columns_hand_computed(people):
    profile = basics.profile_columns(people, {"name": "direct identifier", "zip": "quasi-identifier"})
    assert list(profile.index) == ["year", "sex", "zip", "name"]
    assert profile.loc["name", "role"] == "direct identifier"
    assert profile.loc["year", "role"] == "unknown"
    assert profile.loc["name", "unique_alone"] == 1.0 and profile.loc["zip", "distinct"] == 1
    assert profile.loc["sex", "distinct"] == 2


def test_profile_columns_bad_input(people):
    with pytest.raises(TypeError, match="roles must be a mapping"):
        basics.profile_columns(people, ["name"])
    with pytest.raises(ValueError, match="at least one row"):
        basics.profile_columns(people.iloc[:0])


def test_uniqueness_by_columns_keeps_order(people):
    out = basics.uniqueness_by_columns(people, {"zip": ["zip"], "all": ["year", "sex", "zip"]})
    assert list(out.index) == ["zip", "all"]
    assert out.tolist() == pytest.approx([0.0, 0.6])
    with pytest.raises(ValueError, match="at least one column set"):
        basics.uniqueness_by_columns(people, {})
    with pytest.raises(TypeError, match="column_sets must be a mapping"):
        basics.uniqueness_by_columns(people, [["zip"]])
    with pytest.raises(ValueError, match=r"column_sets\['x'\] must name at least one column"):
        basics.uniqueness_by_columns(people, {"x": []})


def test_reidentification_by_columns(released, roll):
    out = basics.reidentification_by_columns(released, roll, {"sex": ["sex"], "trio": ["dob", "sex", "zip"]})
    assert out.tolist() == pytest.approx([0.0, 0.5])  # 2 of 4 records named on the trio
    with pytest.raises(ValueError, match=r"public has no column\(s\) \['sex'\]"):
        basics.reidentification_by_columns(released, roll.drop(columns="sex").assign(age=1), {"a": ["sex"]})


# --------------------------------------------------------------------------------------
# readmission_model, compare_feature_sets, paired_difference_interval
# --------------------------------------------------------------------------------------


@pytest.fixture
def learnable() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 400
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "colour": rng.choice(["red", "blue"], size=n),
            "record": [f"R{i:04d}" for i in range(n)],  # an identifier: unique per row
            "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, size=n), unit="D"),
            "y": (x + rng.normal(size=n) > 0).astype(int),
        }
    )


def test_readmission_model_fits_and_ignores_unseen_categories(learnable):
    model = basics.readmission_model(["colour", "record"], ["x"]).fit(learnable.iloc[:300], learnable["y"].iloc[:300])
    assert model.score(learnable.iloc[300:], learnable["y"].iloc[300:]) > 0.65  # unseen records are ignored
    with pytest.raises(ValueError, match="at least one categorical or numeric column"):
        basics.readmission_model([], [])


def test_compare_feature_sets_pairs_splits(learnable):
    scores = basics.compare_feature_sets(
        learnable, "y", {"all": ["x", "colour", "record", "when"], "x": ["x"]}, n_splits=4, n_repeats=2
    )
    assert list(scores.columns) == ["feature_set", "split", "train_accuracy", "test_accuracy"]
    assert scores.groupby("feature_set").size().tolist() == [8, 8]
    means = scores.groupby("feature_set")[["train_accuracy", "test_accuracy"]].mean()
    # the identifier lets the model memorise its training rows
    assert means.loc["all", "train_accuracy"] > means.loc["x", "train_accuracy"] + 0.05
    assert means.loc["x", "test_accuracy"] > 0.65
    again = basics.compare_feature_sets(learnable, "y", {"x": ["x"]}, n_splits=4, n_repeats=2)
    assert again["test_accuracy"].tolist() == scores.query("feature_set == 'x'")["test_accuracy"].tolist()


def test_compare_feature_sets_bad_input(learnable):
    with pytest.raises(ValueError, match="contains the target 'y'"):
        basics.compare_feature_sets(learnable, "y", {"leak": ["x", "y"]})
    with pytest.raises(ValueError, match=r"df has no column\(s\) \['nope'\]"):
        basics.compare_feature_sets(learnable, "y", {"a": ["nope"]})
    with pytest.raises(ValueError, match="n_splits must be an int from 2 to 50, got 1"):
        basics.compare_feature_sets(learnable, "y", {"a": ["x"]}, n_splits=1)
    with pytest.raises(ValueError, match="n_repeats must be an int from 1 to 100, got 0"):
        basics.compare_feature_sets(learnable, "y", {"a": ["x"]}, n_repeats=0)
    with pytest.raises(TypeError, match="target must be a column name"):
        basics.compare_feature_sets(learnable, ["y"], {"a": ["x"]})


def test_paired_difference_interval_hand_computed():
    a, b = [0.8, 0.7, 0.9], [0.7, 0.7, 0.7]
    # differences 0.1, 0.0, 0.2: mean 0.1, sample variance 0.01; corrected by 1/3 + 0.25/0.75 = 2/3
    out = basics.paired_difference_interval(a, b, test_fraction=0.25, confidence=0.95)
    half = stats.t.ppf(0.975, 2) * np.sqrt(0.01 * 2 / 3)
    assert out["mean"] == pytest.approx(0.1)
    assert out["low"] == pytest.approx(0.1 - half) and out["high"] == pytest.approx(0.1 + half)


def test_paired_difference_interval_wider_than_naive():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.7, 0.01, 25), rng.normal(0.7, 0.01, 25)
    out = basics.paired_difference_interval(a, b, test_fraction=0.2)
    naive = stats.t.ppf(0.975, 24) * np.std(a - b, ddof=1) / 5
    assert out["high"] - out["mean"] > 2 * naive


def test_paired_difference_interval_bad_input():
    with pytest.raises(ValueError, match="paired"):
        basics.paired_difference_interval([1, 2], [1, 2, 3], test_fraction=0.2)
    with pytest.raises(ValueError, match="at least 2 paired scores"):
        basics.paired_difference_interval([1], [1], test_fraction=0.2)
    with pytest.raises(ValueError, match="test_fraction must be strictly between 0 and 1, got 1.5"):
        basics.paired_difference_interval([1, 2], [1, 2], test_fraction=1.5)
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1, got 95"):
        basics.paired_difference_interval([1, 2], [1, 2], test_fraction=0.2, confidence=95)


# --------------------------------------------------------------------------------------
# Purpose, select_for_purpose, apply_retention
# --------------------------------------------------------------------------------------


@pytest.fixture
def records() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Ann", "Bob", "Cat", "Dan"],
            "age": [30, 40, 50, 60],
            "consent": [1, 0, np.nan, 1],
            "seen": pd.to_datetime(["2025-12-31", "2020-12-31", "2020-12-30", "2023-06-01"]),
        }
    )


def test_select_for_purpose_consent_and_columns(records):
    purpose = basics.Purpose("study", ("age",), consent_column="consent")
    out = basics.select_for_purpose(records, purpose)
    assert out["age"].tolist() == [30, 60]  # 0 and missing consent are both "no"
    assert list(out.columns) == ["age"] and list(out.index) == [0, 1]
    everyone = basics.select_for_purpose(records, basics.Purpose("audit", ("name", "age"), consent_column=None))
    assert len(everyone) == 4


def test_select_for_purpose_refuses_columns_outside(records):
    purpose = basics.Purpose("study", ("age",), consent_column="consent")
    with pytest.raises(PermissionError, match=r"columns \['name'\] are outside the purpose 'study'"):
        basics.select_for_purpose(records, purpose, columns=["age", "name"])
    with pytest.raises(ValueError, match=r"df has no column\(s\) \['research_consent'\]"):
        basics.select_for_purpose(records, basics.Purpose("study", ("age",)))
    with pytest.raises(TypeError, match="purpose must be a Purpose"):
        basics.select_for_purpose(records, "study")


def test_purpose_validation():
    assert basics.Purpose("p", ["a", "b"]).columns == ("a", "b")
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        basics.Purpose(" ", ("a",))
    with pytest.raises(ValueError, match="columns must name at least one column"):
        basics.Purpose("p", ())


def test_apply_retention_boundary_and_reference(records):
    out = basics.apply_retention(records, "seen", max_age_years=5)  # reference 2025-12-31: cutoff 2020-12-31
    assert out["name"].tolist() == ["Ann", "Bob", "Dan"]  # the boundary day is kept
    assert basics.apply_retention(records, "seen", 3)["name"].tolist() == ["Ann", "Dan"]
    assert basics.apply_retention(records, "seen", 0)["name"].tolist() == ["Ann"]
    later = basics.apply_retention(records, "seen", 1, reference_date="2026-12-31")
    assert later["name"].tolist() == ["Ann"]
    assert basics.REFERENCE_DATE == pd.Timestamp("2025-12-31")


def test_apply_retention_missing_date_dropped(records):
    records.loc[0, "seen"] = pd.NaT
    assert "Ann" not in basics.apply_retention(records, "seen", 5)["name"].tolist()


def test_apply_retention_bad_input(records):
    with pytest.raises(ValueError, match="max_age_years must be an int from 0 to 150, got -1"):
        basics.apply_retention(records, "seen", -1)
    with pytest.raises(TypeError, match=r"df\['age'\] must hold dates"):
        basics.apply_retention(records, "age", 1)
    with pytest.raises(ValueError, match="2 rows of 'seen' lie after reference_date 2022-12-31"):
        basics.apply_retention(records, "seen", 1, reference_date="2022-12-31")
    with pytest.raises(ValueError, match=r"df has no column\(s\) \['when'\]"):
        basics.apply_retention(records, "when", 1)


# --------------------------------------------------------------------------------------
# principles_table, file permissions
# --------------------------------------------------------------------------------------


def test_principles_table_maps_every_principle_to_a_lesson():
    table = basics.principles_table()
    assert list(table.columns) == ["GDPR", "CCPA", "engineering practice", "lessons"]
    assert {"Data minimisation", "Purpose limitation", "Storage limitation"} <= set(table.index)
    for cell in table["lessons"]:
        assert {int(n) for n in cell.split(", ")} <= set(range(11))
    assert table.notna().all().all()
    assert "§1798.100(a)(3)" in table.loc["Storage limitation", "CCPA"]  # CCPA retention rule


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_restrict_permissions_and_file_mode(tmp_path):
    target = tmp_path / "extract.csv"
    target.write_text("a,b\n1,2\n")
    assert basics.restrict_permissions(target, 0o600) == 0o600
    assert basics.file_mode(target) == stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert basics.restrict_permissions(target) == 0o600
    assert basics.restrict_permissions(target, 0o000) == 0
    readable = os.access(target, os.R_OK)
    assert readable == (os.geteuid() == 0)  # only root ignores the bits
    os.chmod(target, 0o600)


def test_restrict_permissions_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist: 'missing.csv'"):
        basics.restrict_permissions(tmp_path / "missing.csv")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        basics.file_mode(tmp_path / "missing.csv")
    target = tmp_path / "f"
    target.write_text("x")
    with pytest.raises(ValueError, match="mode must be an int from 0o000 to 0o777, got 4096"):
        basics.restrict_permissions(target, 0o10000)
    with pytest.raises(TypeError, match="mode must be an int"):
        basics.restrict_permissions(target, "600")


# --------------------------------------------------------------------------------------
# lesson 01 exercises: correct answers written differently are accepted
# --------------------------------------------------------------------------------------


def test_lesson01_q3_accepts_any_column_order_and_plain_pandas():
    from course_lib.exercises.lesson01 import q3

    order = ["sex", "age", "glucose", "hba1c", "diagnosis", "readmitted_30d"]

    def reordered(patients):
        rows = (patients["admission_date"] >= "2022-12-31") & (patients["research_consent"] == 1)
        return patients.loc[rows, order]

    assert q3.check(reordered).status == "correct"


def test_lesson01_feedback_names_the_mistake():
    from course_lib.exercises.lesson01 import q3

    def misaligned(patients):
        recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
        with pytest.warns(UserWarning, match="reindexed"):
            consenting = recent[patients["research_consent"] == 1]
        return consenting[["age", "sex", "glucose", "hba1c", "diagnosis", "readmitted_30d"]]

    feedback = q3.check(misaligned)
    assert feedback.status == "incorrect" and "full `patients` frame" in feedback.message
