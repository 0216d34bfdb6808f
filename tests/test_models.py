"""The shared models and comparisons (course_lib.models)."""
import numpy as np
import pandas as pd
import pytest

from course_lib import models
from course_lib.data import load_patients


@pytest.fixture(scope="module")
def patients():
    return load_patients()


def test_clinical_matrix_uses_declared_scaling(patients):
    X, y = models.clinical_matrix(patients)
    assert X.shape == (len(patients), len(models.CLINICAL_FEATURES)) and y.shape == (len(patients),)
    assert set(np.unique(y)) == {0, 1}
    age_centre, age_scale = models.CLINICAL_FEATURES["age"]
    np.testing.assert_allclose(X[:, 0], (patients["age"] - age_centre) / age_scale)
    hf = list(models.CLINICAL_FEATURES).index("heart_failure")
    np.testing.assert_array_equal(X[:, hf], (patients["diagnosis"] == "heart failure").astype(float))
    # one hospital's matrix equals the rows of the whole: scaling does not depend on the data
    one = patients[patients["hospital"] == "Elmwood"]
    np.testing.assert_allclose(models.clinical_matrix(one)[0], X[one.index])
    # scaled values are of order one, so plain gradient descent behaves
    assert np.abs(X.mean(axis=0)).max() < 1.5 and X.std(axis=0).max() < 2.5


def test_clinical_matrix_without_target_and_bad_input(patients):
    X, y = models.clinical_matrix(patients.drop(columns=[models.TARGET]).head(3), target=None)
    assert y is None and X.shape == (3, 10)
    with pytest.raises(ValueError, match=r"no column\(s\) \['bmi'\]"):
        models.clinical_matrix(patients.drop(columns=["bmi"]))
    bad = patients.head(5).copy()
    bad.loc[0, "bmi"] = np.nan
    with pytest.raises(ValueError, match="df\\['bmi'\\] must be finite"):
        models.clinical_matrix(bad)
    bad = patients.head(5).copy()
    bad[models.TARGET] = [0, 1, 2, 0, 1]
    with pytest.raises(ValueError, match="must hold only 0 and 1"):
        models.clinical_matrix(bad)
    bad = patients.head(5).copy()
    bad["age"] = bad["age"].astype(str)
    with pytest.raises(TypeError, match="df\\['age'\\] must be numeric"):
        models.clinical_matrix(bad)
    with pytest.raises(TypeError, match="DataFrame"):
        models.clinical_matrix(np.zeros((3, 10)))


def test_holdout_split_is_seeded_and_stratified(patients):
    train, test = models.holdout_split(patients, test_size=0.25, random_state=0, stratify=("hospital", models.TARGET))
    again, _ = models.holdout_split(patients, test_size=0.25, random_state=0, stratify=("hospital", models.TARGET))
    assert len(test) == 1500 and len(train) == 4500
    assert train["patient_id"].tolist() == again["patient_id"].tolist()
    share = test["hospital"].value_counts(normalize=True) - patients["hospital"].value_counts(normalize=True)
    assert share.abs().max() < 0.005
    assert not set(train["patient_id"]) & set(test["patient_id"])
    with pytest.raises(ValueError, match="test_size must be strictly between 0 and 1"):
        models.holdout_split(patients, test_size=1.5)
    with pytest.raises(ValueError, match="single row"):
        models.holdout_split(patients, stratify=["patient_id"])
    with pytest.raises(TypeError, match="random_state must be an int"):
        models.holdout_split(patients, random_state="0")


@pytest.fixture
def learnable():
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    return pd.DataFrame({"x": x, "noise": rng.normal(size=400), "y": (x + rng.normal(scale=0.5, size=400) > 0).astype(int)})


def test_readmission_model_is_seeded(learnable):
    model = models.readmission_model([], ["x"], random_state=3)
    assert model[-1].random_state == 3
    with pytest.raises(TypeError, match="random_state must be an int"):
        models.readmission_model([], ["x"], random_state=None)


def test_compare_feature_sets_pairs_splits_and_refuses_workloads(learnable):
    scores = models.compare_feature_sets(learnable, "y", {"x": ["x"], "noise": ["noise"]}, n_splits=4, n_repeats=2)
    by = scores.pivot(index="split", columns="feature_set", values="test_accuracy")
    assert (by["x"] > by["noise"]).all()
    with pytest.raises(ValueError, match="n_splits must be an int from 2 to 50"):
        models.compare_feature_sets(learnable, "y", {"x": ["x"]}, n_splits=10_000)
    with pytest.raises(ValueError, match="n_repeats must be an int from 1 to 100"):
        models.compare_feature_sets(learnable, "y", {"x": ["x"]}, n_repeats=0)
    with pytest.raises(TypeError, match="feature_sets must be a mapping"):
        models.compare_feature_sets(learnable, "y", ["x"])


def test_paired_difference_interval_refuses_non_finite():
    with pytest.raises(ValueError, match="a must be finite"):
        models.paired_difference_interval([1, np.nan], [1, 2], test_fraction=0.2)


def test_accuracy_interval_wilson():
    out = models.accuracy_interval([1, 0, 1, 1] * 25, [1, 0, 0, 1] * 25)
    assert out["accuracy"] == 0.75 and out["n"] == 100
    # Wilson 95 % interval for 75/100 (hand-computed): 0.6569 to 0.8245
    assert out["low"] == pytest.approx(0.6569, abs=1e-3) and out["high"] == pytest.approx(0.8245, abs=1e-3)
    perfect = models.accuracy_interval([1, 0], [1, 0])
    assert perfect["high"] == 1.0 and perfect["low"] < 1.0
    with pytest.raises(ValueError, match="same length"):
        models.accuracy_interval([1, 0], [1])
    with pytest.raises(ValueError, match="at least one"):
        models.accuracy_interval([], [])
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        models.accuracy_interval([1], [1], confidence=95)
