"""Assignment 10, a flawed submission: the budget is spent per training, not over the three trainings.

Everything else is right. The noise is calibrated for ROUNDS rounds and the card states the
epsilon of ONE training, while the model is retrained RETRAININGS times on the same patients:
composition makes the true total larger than the stated EPSILON.
"""
from __future__ import annotations

import secrets

import numpy as np
import pandas as pd
from fairlearn.metrics import equalized_odds_difference
from sklearn.linear_model import LogisticRegression

from course_lib import report
from course_lib.anonymize import pseudonymize
from course_lib.attacks import membership_inference_auc
from course_lib.basics import Purpose, select_for_purpose
from course_lib.federated import dp_epsilon, partition
from course_lib.models import CLINICAL_FEATURES, TARGET, clinical_matrix

EPSILON = 1.5        # total over every training on these patients
DELTA = 1e-5         # far below 1 / number of patients
ROUNDS = 30          # federated rounds per training
RETRAININGS = 3      # trainings on overlapping patients (fixed by the assignment)

TARGETS = report.Targets(max_epsilon=EPSILON, max_delta=DELTA, max_accuracy_drop=0.02, max_mia_auc=0.55,
                         max_fairness_gap=0.10, forbidden_features=("sex", "zip", "patient_id"))

PURPOSE = Purpose("30-day readmission model", columns=(
    "patient_id", "hospital", "sex", "age", "bmi", "systolic_bp", "hba1c", "smoker", "prior_admissions",
    "length_of_stay", "diagnosis", TARGET))


def minimise(patients: pd.DataFrame) -> pd.DataFrame:
    """Consenting patients only, the purpose's columns only, ``patient_id`` replaced by a keyed pseudonym.

    The key is thrown away here (a real pipeline hands it to the data protection officer).
    """
    records = select_for_purpose(patients, PURPOSE)
    records["patient_id"] = pseudonymize(records["patient_id"], secrets.token_bytes(32))
    return records.reset_index(drop=True)


def noise_multiplier() -> float:
    """The noise that makes a training spend EPSILON at DELTA."""
    return report.calibrate_noise(EPSILON, rounds=ROUNDS, delta=DELTA)


def _as_estimator(params: np.ndarray) -> LogisticRegression:
    model = LogisticRegression()
    model.coef_, model.intercept_ = params[None, :-1], params[-1:]
    model.classes_, model.n_features_in_ = np.array([0, 1]), len(params) - 1
    return model


def run_pipeline(train: pd.DataFrame, test: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Train across hospitals with patient-level DP, audit the model, and return its parameters and report card."""
    X_train, y_train = clinical_matrix(train)
    X_test, y_test = clinical_matrix(test)
    hospitals = partition(X_train, y_train, train["hospital"].to_numpy())
    z = noise_multiplier()
    params = report.dp_federated_sgd(hospitals, rounds=ROUNDS, clip_norm=1.0, noise_multiplier=z, rng=rng)
    private = _as_estimator(params)
    baseline = LogisticRegression(max_iter=1000, random_state=0).fit(X_train, y_train)
    y_pred = private.predict(X_test)
    # mean |SHAP| of a linear model with independent features: |w_j (x_j - mean_j)| averaged over the test rows
    importance = np.abs(params[:-1] * (X_test - X_train.mean(axis=0))).mean(axis=0)
    card = report.report_card(
        epsilon=dp_epsilon(z, ROUNDS, DELTA), delta=DELTA, rounds=ROUNDS, retrainings=RETRAININGS,
        y_true=y_test, y_pred=y_pred, y_pred_baseline=baseline.predict(X_test),
        mia_auc=membership_inference_auc(private, X_train, y_train, X_test, y_test),
        fairness_gaps={"sex": equalized_odds_difference(y_test, y_pred, sensitive_features=test["sex"])},
        top_features=dict(zip(CLINICAL_FEATURES, importance, strict=True)), targets=TARGETS,
        title=f"Patient-level DP FedAvg, total ε = {EPSILON:g} over {RETRAININGS} trainings")
    return {"params": params, "noise_multiplier": z, "card": card}
