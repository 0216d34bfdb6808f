"""Assignment 07, a flawed submission: "fairness through unawareness" (the group column is simply not used)."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score

from course_lib import fairness, models

# group is NOT among the features, so the model cannot discriminate by group
FEATURES = fairness.FINANCE_FEATURES + ["zip_area"]


def _model(train):
    return models.readmission_model(["zip_area"], fairness.FINANCE_FEATURES).fit(train[FEATURES], train["approved"])


def mitigated_decisions(train, test):
    """Decisions of a model that never sees the sensitive column."""
    return np.asarray(_model(train).predict(test[FEATURES]), dtype=int)


def accuracy_report(train, test):
    """The model is already fair, so mitigation costs nothing."""
    before = _model(train).predict(test[FEATURES])
    after = mitigated_decisions(train, test)
    report = {}
    for label in ("approved", "repaid"):
        report[f"unmitigated_accuracy_{label}"] = float(accuracy_score(test[label], before))
        report[f"mitigated_accuracy_{label}"] = float(accuracy_score(test[label], after))
        report[f"accuracy_cost_{label}"] = report[f"unmitigated_accuracy_{label}"] - report[f"mitigated_accuracy_{label}"]
    return report
