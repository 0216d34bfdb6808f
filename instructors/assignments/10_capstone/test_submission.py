"""Instructor tests for assignment 10 (capstone): run them on one student's submission.

    SUBMISSION_DIR=path/to/student PYTHONPATH=. python -m pytest -o addopts="" -p no:cacheprovider -q \
        instructors/assignments/10_capstone/test_submission.py

The tests minimise the patients with the student's ``minimise``, split the result with the
course's seeded split, run the student's pipeline, and check the report card against the
accountant (``course_lib.federated.dp_epsilon``) and against numbers recomputed from the
returned parameters. No network; nothing is written anywhere.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from fairlearn.metrics import equalized_odds_difference
from sklearn.linear_model import LogisticRegression

from course_lib import data, report
from course_lib.attacks import membership_inference_auc
from course_lib.federated import dp_epsilon
from course_lib.models import CLINICAL_FEATURES, TARGET, clinical_matrix, holdout_split

IDENTIFIERS = {"name", "email", "phone", "ssn", "card_number", "date_of_birth", "zip", "clinical_note"}


def _get(submission, name, kind=None):
    if not hasattr(submission, name):
        pytest.fail(f"submission.py must define {name}", pytrace=False)
    value = getattr(submission, name)
    if kind == "callable" and not callable(value):
        pytest.fail(f"{name} must be a function", pytrace=False)
    return value


@pytest.fixture(scope="module")
def patients():
    return data.load_patients()


@pytest.fixture(scope="module")
def records(submission, patients):
    return _get(submission, "minimise", "callable")(patients.copy())


@pytest.fixture(scope="module")
def split(records):
    return holdout_split(records, stratify=("hospital", TARGET))


@pytest.fixture(scope="module")
def result(submission, split):
    train, test = split
    out = _get(submission, "run_pipeline", "callable")(train.copy(), test.copy(), np.random.default_rng(7))
    if not isinstance(out, dict) or not {"params", "noise_multiplier", "card"} <= set(out):
        pytest.fail("run_pipeline must return a dict with params, noise_multiplier and card", pytrace=False)
    if not isinstance(out["card"], report.ReportCard):
        pytest.fail(f"card must be a course_lib.report.ReportCard, got {type(out['card']).__name__}", pytrace=False)
    return out


def _total_rounds(submission):
    return int(_get(submission, "ROUNDS")) * int(_get(submission, "RETRAININGS"))


def _as_estimator(params):
    params = np.asarray(params, dtype=float)
    model = LogisticRegression()
    model.coef_, model.intercept_ = params[None, :-1], params[-1:]
    model.classes_, model.n_features_in_ = np.array([0, 1]), len(params) - 1
    return model


def test_budget_is_stated(submission):
    epsilon, delta = float(_get(submission, "EPSILON")), float(_get(submission, "DELTA"))
    rounds, retrainings = _get(submission, "ROUNDS"), _get(submission, "RETRAININGS")
    assert 0 < epsilon <= 3, f"EPSILON must be a total budget in (0, 3], got {epsilon}"
    assert 0 < delta <= 1e-5, f"DELTA must be in (0, 1e-5], got {delta}"
    assert isinstance(rounds, int) and rounds >= 1, f"ROUNDS must be a positive int, got {rounds!r}"
    assert retrainings == 3, f"RETRAININGS is fixed at 3 by the assignment, got {retrainings!r}"


def test_minimise_keeps_consenting_patients_without_identifiers(records, patients):
    assert IDENTIFIERS.isdisjoint(records.columns), f"identifiers kept: {sorted(IDENTIFIERS & set(records.columns))}"
    assert len(records) == int(patients["research_consent"].sum()), "only (and all) consenting patients"
    if "research_consent" in records:
        assert (records["research_consent"] == 1).all()
    assert set(CLINICAL_FEATURES) - {"heart_failure", "copd", "diabetes"} <= set(records.columns)
    assert {"hospital", "sex", "diagnosis", TARGET} <= set(records.columns)


def test_minimise_pseudonymises_the_patient_id(records, patients):
    if "patient_id" not in records:
        return   # dropping it is also acceptable
    ids = records["patient_id"].astype(str)
    assert ids.is_unique, "pseudonyms must stay unique (records can still be joined)"
    assert not ids.isin(patients["patient_id"].astype(str)).any(), "patient_id kept in clear"


def test_minimise_does_not_change_its_input(submission, patients):
    before = patients.copy()
    _get(submission, "minimise", "callable")(before)
    assert before.equals(patients), "minimise changed the frame it was given"


def test_noise_spends_at_most_the_stated_budget(submission):
    z = float(_get(submission, "noise_multiplier", "callable")())
    epsilon, delta = float(submission.EPSILON), float(submission.DELTA)
    total = dp_epsilon(z, _total_rounds(submission), delta)
    assert total <= epsilon + 1e-9, (f"{submission.RETRAININGS} trainings of {submission.ROUNDS} rounds with noise {z:.2f} "
                                     f"spend ε = {total:.3f}, above the stated {epsilon}")
    assert total >= epsilon - 0.01, f"ε = {total:.3f} wastes the budget of {epsilon}: calibrate the noise to it"


def test_card_states_the_composed_epsilon(submission, result):
    card, z = result["card"], float(result["noise_multiplier"])
    total = dp_epsilon(z, _total_rounds(submission), float(submission.DELTA))
    assert math.isclose(card.epsilon, total, abs_tol=1e-6), (
        f"the card states ε = {card.epsilon:.3f}; the accountant gives {total:.3f} over all trainings")
    assert card.epsilon <= float(submission.EPSILON) + 1e-9
    assert card.rounds == submission.ROUNDS and card.retrainings == submission.RETRAININGS
    assert card.delta == pytest.approx(float(submission.DELTA))


def test_card_numbers_are_those_of_the_returned_model(result, split):
    train, test = split
    card = result["card"]
    X_train, y_train = clinical_matrix(train)
    X_test, y_test = clinical_matrix(test)
    model = _as_estimator(result["params"])
    y_pred = model.predict(X_test)
    assert card.accuracy["accuracy"] == pytest.approx(float(np.mean(y_pred == y_test)), abs=1e-9)
    assert card.mia_auc == pytest.approx(membership_inference_auc(model, X_train, y_train, X_test, y_test), abs=1e-9)
    expected_gap = equalized_odds_difference(y_test, y_pred, sensitive_features=test["sex"])
    assert card.fairness_gaps.get("sex") == pytest.approx(expected_gap, abs=1e-9)
    baseline = LogisticRegression(max_iter=1000, random_state=0).fit(X_train, y_train).score(X_test, y_test)
    assert card.baseline_accuracy["accuracy"] == pytest.approx(baseline, abs=0.01), (
        "the baseline must be the non-private model trained on the pooled training patients")


def test_top_features_are_clinical(result):
    names = set(result["card"].top_features)
    assert names <= set(CLINICAL_FEATURES), f"unexpected features on the card: {sorted(names - set(CLINICAL_FEATURES))}"


def test_private_model_is_useful_and_does_not_leak(result):
    card = result["card"]
    assert card.accuracy_drop["drop"] <= 0.03, f"accuracy drop {card.accuracy_drop['drop']:.3f} above 3 points"
    assert card.mia_auc <= 0.55, f"membership-inference AUC {card.mia_auc:.3f} above 0.55"


def test_training_is_noisy_and_seeded(submission, split):
    train, test = split
    run = _get(submission, "run_pipeline", "callable")
    first = np.asarray(run(train.copy(), test.copy(), np.random.default_rng(3))["params"], dtype=float)
    again = np.asarray(run(train.copy(), test.copy(), np.random.default_rng(3))["params"], dtype=float)
    other = np.asarray(run(train.copy(), test.copy(), np.random.default_rng(4))["params"], dtype=float)
    assert np.array_equal(first, again), "the same rng seed must give the same model"
    assert not np.allclose(first, other), "different seeds gave the same model: is noise added from rng?"
