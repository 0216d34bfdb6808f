"""Instructor tests for assignment 08 (explainability): run them on one student's submission.

    SUBMISSION_DIR=path/to/student PYTHONPATH=. python -m pytest -o addopts="" -p no:cacheprovider -q \
        instructors/assignments/08_explainability/test_submission.py

The tests train lesson 08's kind of models on the course's common split (smaller, for speed),
call the student's functions, and check the explanations against the models' own outputs
(``course_lib.explain.additivity_error``) and against NumPy. No network; nothing is written.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

from course_lib import data, explain, models

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)   # shap 0.51's colour maps, not the student's code
    import shap

FEATURES = ["age", "bmi", "systolic_bp", "glucose", "hba1c", "smoker", "prior_admissions", "length_of_stay"]
DIAGNOSES = {"heart_failure": "heart failure", "copd": "COPD", "diabetes": "diabetes"}
N_ROWS = 200


def _function(submission, name):
    value = getattr(submission, name, None)
    if not callable(value):
        pytest.fail(f"submission.py must define a function {name}(...)", pytrace=False)
    return value


def _clinical_frame(df: pd.DataFrame) -> pd.DataFrame:
    X = df[FEATURES].astype(float)
    for column, diagnosis in DIAGNOSES.items():
        X[column] = (df["diagnosis"] == diagnosis).astype(float)
    return X


@pytest.fixture(scope="module")
def frames():
    train, test = models.holdout_split(data.load_patients())
    return _clinical_frame(train), train[models.TARGET], _clinical_frame(test).iloc[:N_ROWS]


@pytest.fixture(scope="module")
def boosting(frames):
    X_train, y_train, _ = frames
    return GradientBoostingClassifier(n_estimators=60, max_depth=2, random_state=0).fit(X_train, y_train)


@pytest.fixture(scope="module")
def forest(frames):
    X_train, y_train, _ = frames
    return RandomForestClassifier(n_estimators=25, max_depth=6, random_state=0, n_jobs=1).fit(X_train, y_train)


@pytest.fixture(scope="module")
def log_odds(submission, boosting, frames):
    return _function(submission, "explain_log_odds")(boosting, frames[2])


@pytest.fixture(scope="module")
def positive(submission, forest, frames):
    return _function(submission, "explain_positive_class")(forest, frames[2])


def _assert_explanation(explanation, X):
    assert isinstance(explanation, shap.Explanation), f"expected a shap.Explanation, got {type(explanation).__name__}"
    assert np.shape(explanation.values) == X.shape, (
        f"values must be (rows, features) = {X.shape} for one output, got {np.shape(explanation.values)}")
    assert list(explanation.feature_names) == list(X.columns), "feature_names must be X's column names"


def test_log_odds_explanation_is_two_dimensional_and_named(log_odds, frames):
    _assert_explanation(log_odds, frames[2])


def test_log_odds_explanation_adds_up_to_the_decision_function(log_odds, boosting, frames):
    X = frames[2]
    error = explain.additivity_error(log_odds, explain.model_output(boosting, X, "log-odds"))
    assert error < 1e-6, f"base value + contributions differ from decision_function by up to {error:.3g}"


def test_positive_class_is_two_dimensional_and_named(positive, frames):
    _assert_explanation(positive, frames[2])


def test_positive_class_adds_up_to_the_probability(positive, forest, frames):
    X = frames[2]
    error = explain.additivity_error(positive, forest.predict_proba(X)[:, 1])
    assert error < 1e-6, (f"base value + contributions differ from predict_proba[:, 1] (readmitted) by up to "
                          f"{error:.3g}: is this the explanation of class 1?")


def test_explanations_follow_the_rows_given(submission, boosting, frames):
    X = frames[2].iloc[:20]
    forward = _function(submission, "explain_log_odds")(boosting, X)
    backward = _function(submission, "explain_log_odds")(boosting, X.iloc[::-1])
    assert np.allclose(np.asarray(backward.values)[::-1], np.asarray(forward.values), atol=1e-12)


def test_additivity_gap_agrees_with_course_lib(submission, log_odds, positive, boosting, forest, frames):
    X = frames[2]
    gap = _function(submission, "additivity_gap")
    for explanation, output in ((log_odds, explain.model_output(boosting, X, "log-odds")),
                                (positive, forest.predict_proba(X)[:, 1])):
        assert gap(explanation, output) == pytest.approx(explain.additivity_error(explanation, output), abs=1e-9)


def test_additivity_gap_catches_a_tampered_explanation(submission, log_odds, boosting, frames):
    X = frames[2]
    values = np.array(log_odds.values, dtype=float)
    values[7, 3] += 0.25
    tampered = shap.Explanation(values=values, base_values=np.asarray(log_odds.base_values),
                                data=np.asarray(log_odds.data), feature_names=list(log_odds.feature_names))
    got = _function(submission, "additivity_gap")(tampered, explain.model_output(boosting, X, "log-odds"))
    assert got == pytest.approx(0.25, abs=1e-6)


def test_additivity_gap_catches_the_wrong_output_space(submission, log_odds, boosting, frames):
    X = frames[2]
    got = _function(submission, "additivity_gap")(log_odds, boosting.predict_proba(X)[:, 1])
    assert got > 0.1, "a log-odds explanation compared with probabilities must show a large gap"


@pytest.mark.parametrize("k", [1, 3, 5])
def test_top_features_rank_by_mean_absolute_shap(submission, log_odds, k):
    mean_abs = pd.Series(np.abs(np.asarray(log_odds.values)).mean(axis=0), index=list(log_odds.feature_names))
    expected = mean_abs.sort_values(ascending=False, kind="stable").index[:k].tolist()
    assert list(_function(submission, "top_features")(log_odds, k)) == expected
