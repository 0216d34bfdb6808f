"""Instructor tests for assignment 07 (fairness): run them on one student's submission.

    SUBMISSION_DIR=path/to/student PYTHONPATH=. python -m pytest -o addopts="" -p no:cacheprovider -q \
        instructors/assignments/07_fairness/test_submission.py

The constraint is checked with fairlearn on held-out applicants of two seeded splits (the
course's split and a second one, so a policy tuned to one test set does not pass by luck), and
the reported accuracies are recomputed from the student's own decisions and from the lender
model the assignment describes. No network; nothing is written anywhere.
"""
from __future__ import annotations

import numpy as np
import pytest
from fairlearn.metrics import demographic_parity_difference
from sklearn.metrics import accuracy_score

from course_lib import data, fairness, models

BOUND = 0.05            # the stated constraint: demographic parity difference by group
MIN_ACCURACY = 0.80     # against `approved`; approving everyone scores about 0.72
KEYS = [f"{kind}_{label}" for label in ("approved", "repaid")
        for kind in ("unmitigated_accuracy", "mitigated_accuracy", "accuracy_cost")]


def _function(submission, name):
    value = getattr(submission, name, None)
    if not callable(value):
        pytest.fail(f"submission.py must define a function {name}(train, test)", pytrace=False)
    return value


@pytest.fixture(scope="module", params=[0, 1], ids=["course-split", "second-split"])
def split(request):
    return models.holdout_split(data.load_credit(), stratify=("group", "approved"), random_state=request.param)


@pytest.fixture(scope="module")
def decisions(submission, split):
    train, test = split
    return np.asarray(_function(submission, "mitigated_decisions")(train.copy(), test.copy()))


@pytest.fixture(scope="module")
def report(submission, split):
    train, test = split
    result = _function(submission, "accuracy_report")(train.copy(), test.copy())
    if not isinstance(result, dict):
        pytest.fail(f"accuracy_report must return a dict, got {type(result).__name__}", pytrace=False)
    return result


def test_decisions_are_zero_or_one_per_applicant(decisions, split):
    _, test = split
    assert decisions.shape == (len(test),), f"one decision per test applicant expected, got shape {decisions.shape}"
    assert np.isin(decisions, (0, 1)).all(), "decisions must be 0 (refuse) or 1 (approve)"


def test_demographic_parity_within_bound(decisions, split):
    _, test = split
    gap = demographic_parity_difference(test["approved"], decisions, sensitive_features=test["group"])
    assert gap <= BOUND, f"demographic parity difference by group is {gap:.3f} on held-out applicants, above {BOUND}"


def test_not_a_trivial_policy(decisions, split):
    _, test = split
    accuracy = accuracy_score(test["approved"], decisions)
    rates = {g: decisions[(test["group"] == g).to_numpy()].mean() for g in ("A", "B")}
    assert accuracy >= MIN_ACCURACY, f"accuracy against approved {accuracy:.3f} < {MIN_ACCURACY}: a near-constant policy?"
    assert all(0.05 < r < 0.95 for r in rates.values()), f"selection rates {rates}: approving (or refusing) nearly everyone"


def test_decisions_are_reproducible(submission, split, decisions):
    train, test = split
    again = np.asarray(_function(submission, "mitigated_decisions")(train.copy(), test.copy()))
    assert np.array_equal(again, decisions), "two calls gave different decisions: pass random_state to the randomised predict"


def test_inputs_are_not_changed(submission, split):
    train, test = split
    train_copy, test_copy = train.copy(), test.copy()
    _function(submission, "mitigated_decisions")(train_copy, test_copy)
    assert train_copy.equals(train) and test_copy.equals(test), "mitigated_decisions changed the frames it was given"


def test_report_has_every_number(report):
    missing = [key for key in KEYS if key not in report]
    assert not missing, f"accuracy_report lacks {missing}"
    assert all(np.isfinite(float(report[key])) for key in KEYS)


def test_report_unmitigated_is_the_lender(report, split):
    train, test = split
    features = fairness.FINANCE_FEATURES + ["zip_area"]
    lender = models.readmission_model(["zip_area"], fairness.FINANCE_FEATURES).fit(train[features], train["approved"])
    before = lender.predict(test[features])
    for label in ("approved", "repaid"):
        expected = accuracy_score(test[label], before)
        assert float(report[f"unmitigated_accuracy_{label}"]) == pytest.approx(expected, abs=1e-9), (
            f"unmitigated accuracy against {label} is not that of the lender model the assignment describes")


def test_report_mitigated_matches_the_decisions(report, decisions, split):
    _, test = split
    for label in ("approved", "repaid"):
        expected = accuracy_score(test[label], decisions)
        assert float(report[f"mitigated_accuracy_{label}"]) == pytest.approx(expected, abs=1e-9), (
            f"mitigated accuracy against {label} does not match mitigated_decisions' own decisions")


def test_report_cost_is_the_difference(report):
    for label in ("approved", "repaid"):
        cost = float(report[f"unmitigated_accuracy_{label}"]) - float(report[f"mitigated_accuracy_{label}"])
        assert float(report[f"accuracy_cost_{label}"]) == pytest.approx(cost, abs=1e-9), (
            f"accuracy_cost_{label} must be unmitigated minus mitigated accuracy (positive = accuracy lost)")
