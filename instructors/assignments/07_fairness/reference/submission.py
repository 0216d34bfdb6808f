"""Assignment 07, reference submission: meet a demographic-parity bound on the credit data and report its cost.

The lender's model (lesson 07: the finance features and ``zip_area``, trained on the historical
``approved``) is post-processed with fairlearn's ``ThresholdOptimizer`` under demographic parity.
Its randomised predictions are made reproducible with ``random_state``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from fairlearn.postprocessing import ThresholdOptimizer
from sklearn.metrics import accuracy_score

from course_lib import fairness, models

FEATURES = fairness.FINANCE_FEATURES + ["zip_area"]
LABEL, SENSITIVE = "approved", "group"
SEED = 0


def _lender(train: pd.DataFrame):
    return models.readmission_model(["zip_area"], fairness.FINANCE_FEATURES).fit(train[FEATURES], train[LABEL])


def _check(frame: pd.DataFrame, name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a DataFrame of credit applications, got {type(frame).__name__}")
    missing = sorted(set(FEATURES + [LABEL, "repaid", SENSITIVE]) - set(frame.columns))
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}")


def mitigated_decisions(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    """0/1 decisions for ``test``: the lender post-processed to equal approval rates by group (fitted on ``train``)."""
    _check(train, "train")
    _check(test, "test")
    post = ThresholdOptimizer(estimator=_lender(train), constraints="demographic_parity", objective="accuracy_score",
                              predict_method="predict_proba", prefit=True)
    post.fit(train[FEATURES], train[LABEL], sensitive_features=train[SENSITIVE])
    decisions = post.predict(test[FEATURES], sensitive_features=test[SENSITIVE], random_state=SEED)
    return np.asarray(decisions, dtype=int)


def accuracy_report(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """Accuracy of the unmitigated and the mitigated lender on ``test``, against both labels, and the cost."""
    _check(train, "train")
    _check(test, "test")
    before = _lender(train).predict(test[FEATURES])
    after = mitigated_decisions(train, test)
    report = {}
    for label in ("approved", "repaid"):
        report[f"unmitigated_accuracy_{label}"] = float(accuracy_score(test[label], before))
        report[f"mitigated_accuracy_{label}"] = float(accuracy_score(test[label], after))
        report[f"accuracy_cost_{label}"] = report[f"unmitigated_accuracy_{label}"] - report[f"mitigated_accuracy_{label}"]
    return report
