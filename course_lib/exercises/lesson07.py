"""Exercises of lesson 07 (fairness).

q1 a value (a group metric with ``MetricFrame``: group B's false negative rate against the
truth), q2 a value (the disparity that survives dropping the sensitive column), q3 a custom
check (the highest group-B threshold that meets an equal-opportunity constraint), q4 a
reflection (which fairness definition fits lending, and who decides).
"""
from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem, ValueProblem

_SETUP = """
import numpy as np
import pandas as pd
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, equalized_odds_difference,
                               false_negative_rate, false_positive_rate, selection_rate)
from course_lib import data, fairness, models
credit = data.load_credit()
FEATURES = fairness.FINANCE_FEATURES + ["zip_area"]
train, test = models.holdout_split(credit, stratify=("group", "approved"), random_state=0)
lender = models.readmission_model(["zip_area"], fairness.FINANCE_FEATURES).fit(train[FEATURES], train["approved"])
decision = lender.predict(test[FEATURES])
"""


@functools.lru_cache(maxsize=1)
def _context() -> dict[str, Any]:
    """The notebook's state before the exercises (the setup code above), computed once."""
    namespace: dict[str, Any] = {}
    exec(_SETUP, namespace)  # noqa: S102 - our own setup code
    return namespace


def _rate(truth: np.ndarray, pred: np.ndarray, label: int) -> float:
    """Share of rows with ``truth == label`` that ``pred`` gets wrong (FNR for 1, FPR for 0)."""
    mask = truth == label
    return float(np.mean(pred[mask] != label))


# --------------------------------------------------------------------------------------
# Q1 a group metric with MetricFrame
# --------------------------------------------------------------------------------------


def _q1_parts() -> dict[str, float]:
    ctx = _context()
    test, decision = ctx["test"], ctx["decision"]
    b, a = (test["group"] == "B").to_numpy(), (test["group"] == "A").to_numpy()
    repaid, approved = test["repaid"].to_numpy(), test["approved"].to_numpy()
    train, lender = ctx["train"], ctx["lender"]
    train_b = (train["group"] == "B").to_numpy()
    train_decision = lender.predict(train[ctx["FEATURES"]])
    return {
        "B": _rate(repaid[b], decision[b], 1),
        "A": _rate(repaid[a], decision[a], 1),
        "B_approved": _rate(approved[b], decision[b], 1),
        "B_fpr": _rate(repaid[b], decision[b], 0),
        "overall": _rate(repaid, decision, 1),
        # y_true and y_pred swapped: among B's approvals, the share who would not repay (1 - PPV)
        "B_swapped": _rate(decision[b], repaid[b], 1),
        "B_over_all": float(np.mean((decision[b] == 0) & (repaid[b] == 1))),
        "B_refused": float(np.mean(decision[b] == 0)),
        "B_repaid_among_refused": float(np.mean(repaid[b][decision[b] == 0] == 1)),
        "B_history": _rate(repaid[b], approved[b], 1),
        "B_train": _rate(train["repaid"].to_numpy()[train_b], train_decision[train_b], 1),
    }


def _q1_mistakes() -> list[tuple[float, str]]:
    p = _q1_parts()
    return [
        (1 - p["B"], "that is group B's TRUE positive rate (approved among those who repaid); the false negative "
                     "rate is its complement: the share of would-be repayers who are refused."),
        (p["B_approved"], "you measured against `approved`, the biased history. The question asks who would have "
                          "REPAID and was refused: y_true=test['repaid']."),
        (p["A"], "that is group A's false negative rate: pick the row 'B' of .by_group."),
        (p["B_fpr"], "that is group B's false POSITIVE rate (approved although they would not repay); use "
                     "false_negative_rate."),
        (p["overall"], "that is the overall false negative rate (.overall); the question asks for group B "
                       "(.by_group['B'])."),
        (p["B"] - p["A"], "that is the difference between the groups (.difference()); the question asks for "
                          "group B's own rate."),
        (p["B_swapped"], "y_true and y_pred are swapped: that is the share of group B's APPROVALS who would not "
                         "repay. y_true is the label (what really happened), y_pred the model's decision."),
        (p["B_over_all"], "you divided by all of group B's applicants; a false negative rate divides by the "
                          "applicants who would repay only (false negatives + true positives)."),
        (p["B_refused"], "that is the share of group B that is refused (1 - selection rate), whether or not they "
                         "would repay; the rate counts only the would-be repayers."),
        (p["B_repaid_among_refused"], "that is the share of B's REFUSALS who would have repaid: you conditioned on "
                                      "the decision. The false negative rate conditions on the truth: among B's "
                                      "would-be repayers, the share refused."),
        (p["B_history"], "that is the false negative rate of the historical decisions test['approved']; y_pred is "
                         "the model's `decision`."),
        (p["B_train"], "you measured on the training applicants; the question is about the test applicants."),
        (100 * p["B"], "that is a percentage; give the rate as a share between 0 and 1."),
        (round(p["B"], 3), "right rate, but rounded: assign the value your code computes, not a rounded or typed "
                           "copy of a printout."),
        (round(p["B"], 2), "right rate, but rounded: assign the value your code computes, not a rounded or typed "
                           "copy of a printout."),
    ]


q1 = ValueProblem(
    title="Q1 group B's false negative rate against the truth",
    answer_name="fnr_b",
    setup=_SETUP + "from sklearn.metrics import accuracy_score\n",
    expected=lambda: _q1_parts()["B"],
    rtol=1e-6,
    atol=1e-9,
    known_mistakes=_q1_mistakes,
    hints=[
        "Think of group B's applicants who WOULD repay (repaid == 1): the false negative rate is the share of them "
        "the model refuses, false negatives / (false negatives + true positives). The label is the truth, not the "
        "lender's history.",
        "MetricFrame(metrics=..., y_true=..., y_pred=..., sensitive_features=...) computes a metric for each "
        "group; .by_group is a Series indexed by group. The metric is fairlearn's false_negative_rate and the "
        "truth is test['repaid'], not the biased test['approved'].",
        "frame = MetricFrame(metrics=false_negative_rate, y_true=test['repaid'], y_pred=decision, "
        "sensitive_features=test['group']); then frame.by_group['B']",
    ],
    reference="""
frame = MetricFrame(metrics=false_negative_rate, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.by_group["B"]
""",
    alternatives=[
        """
frame = MetricFrame(metrics={"fnr": false_negative_rate}, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.by_group.loc["B", "fnr"]
""",
        """
b = (test["group"] == "B") & (test["repaid"] == 1)
fnr_b = (decision[b.to_numpy()] == 0).mean()
""",
        """
both = fairness.compare_with_truth(decision, {"repaid": test["repaid"]}, test["group"])
fnr_b = both.loc[("repaid", "B"), "false_negative_rate"]
""",
        """
from sklearn.metrics import confusion_matrix
b = (test["group"] == "B").to_numpy()
tn, fp, fn, tp = confusion_matrix(test["repaid"][b], decision[b]).ravel()
fnr_b = fn / (fn + tp)
""",
    ],
    mistakes=[
        """
frame = MetricFrame(metrics=false_negative_rate, y_true=test["approved"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.by_group["B"]
""",
        """
frame = MetricFrame(metrics=false_negative_rate, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.overall
""",
        """
frame = MetricFrame(metrics=false_positive_rate, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.by_group["B"]
""",
        """
frame = MetricFrame(metrics=false_negative_rate, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = frame.difference()
""",
        """
frame = MetricFrame(metrics=false_negative_rate, y_true=decision, y_pred=test["repaid"],
                    sensitive_features=test["group"])
fnr_b = frame.by_group["B"]
""",
        """
b = (test["group"] == "B").to_numpy()
fnr_b = ((decision == 0) & (test["repaid"].to_numpy() == 1))[b].mean()
""",
        """
b = (test["group"] == "B").to_numpy()
fnr_b = (test["repaid"].to_numpy()[b][decision[b] == 0] == 1).mean()
""",
        """
frame = MetricFrame(metrics=false_negative_rate, y_true=test["repaid"], y_pred=decision,
                    sensitive_features=test["group"])
fnr_b = round(frame.by_group["B"], 3)
""",
        "fnr_b = 0.22",
    ],
    explanation="About 0.22: more than one in five group B applicants who would have repaid is refused "
                "(group A: about 0.08).",
)


# --------------------------------------------------------------------------------------
# Q2 the disparity that survives dropping the sensitive column
# --------------------------------------------------------------------------------------

_Q2_NUMERIC = ["income", "debt_ratio", "credit_history_years", "late_payments", "employment_years", "loan_amount", "age"]
_Q2_CATEGORICAL = ["zip_area", "sex"]


def _dp(pred: np.ndarray, groups: np.ndarray) -> float:
    rates = [float(np.mean(pred[groups == g])) for g in np.unique(groups)]
    return max(rates) - min(rates)


@functools.lru_cache(maxsize=1)
def _q2_parts() -> dict[str, float]:
    from sklearn.metrics import accuracy_score

    from course_lib import models

    ctx = _context()
    train, test = ctx["train"], ctx["test"]
    columns = _Q2_CATEGORICAL + _Q2_NUMERIC
    second = models.readmission_model(_Q2_CATEGORICAL, _Q2_NUMERIC).fit(train[columns], train["approved"])
    pred = second.predict(test[columns])
    with_group = models.readmission_model(_Q2_CATEGORICAL + ["group"], _Q2_NUMERIC).fit(
        train[columns + ["group"]], train["approved"])
    pred_group = with_group.predict(test[columns + ["group"]])
    groups, sexes = test["group"].to_numpy(), test["sex"].to_numpy()
    rates = [float(np.mean(pred[groups == g])) for g in ("A", "B")]

    def gap_of(categorical: list[str], numeric: list[str], label: str = "approved", fit_on: Any = None) -> float:
        rows = train if fit_on is None else fit_on
        model = models.readmission_model(categorical, numeric).fit(rows[categorical + numeric], rows[label])
        return _dp(model.predict(test[categorical + numeric]), groups)

    scores = second.predict_proba(test[columns])[:, 1]
    score_means = [float(np.mean(scores[groups == g])) for g in ("A", "B")]
    return {
        "right": _dp(pred, groups),
        "by_sex": _dp(pred, sexes),
        "with_group": _dp(pred_group, groups),
        "history": _dp(test["approved"].to_numpy(), groups),
        "ratio": min(rates) / max(rates),
        "train_rows": _dp(second.predict(train[columns]), train["group"].to_numpy()),
        "accuracy": float(accuracy_score(test["approved"], pred)),
        "lender": _dp(ctx["decision"], groups),
        "on_repaid": gap_of(_Q2_CATEGORICAL, _Q2_NUMERIC, label="repaid"),
        "no_zip": gap_of(["sex"], _Q2_NUMERIC),
        "no_sex": gap_of(["zip_area"], _Q2_NUMERIC),
        "fit_on_all": gap_of(_Q2_CATEGORICAL, _Q2_NUMERIC, fit_on=ctx["credit"]),
        "scores": max(score_means) - min(score_means),
        "by_area": _dp(pred, test["zip_area"].to_numpy()),
    }


def _q2_mistakes() -> list[tuple[float, str]]:
    p = _q2_parts()
    return [
        (p["by_sex"], "that is the gap by SEX; the question asks about the protected group: "
                      "sensitive_features=test['group']."),
        (p["with_group"], "that model still uses `group`; drop it from the features (keep zip_area, sex, age)."),
        (p["history"], "that is the gap in the historical decisions test['approved']; pass the second model's "
                       "predictions as y_pred."),
        (p["ratio"], "that is the demographic parity RATIO (lowest approval rate / highest); the question asks "
                     "for the difference."),
        (p["train_rows"], "you measured on the training applicants; use the test applicants."),
        (p["accuracy"], "that is the model's accuracy, not a disparity."),
        (p["lender"], "that is the lender's model from the lecture (`decision`: finances and zip_area only); fit "
                      "the second lender's own model and use its predictions."),
        (p["on_repaid"], "that model learned from the truth `repaid`, which the second lender does not have: it "
                         "learns from its history, train['approved']."),
        (p["no_zip"], "you dropped zip_area too; the second lender drops only `group` and `applicant_id`."),
        (p["no_sex"], "a column is missing: the second lender uses the finances, zip_area, sex and age."),
        (-p["right"], "a negative gap: the demographic parity difference is the highest approval rate minus the "
                      "lowest, so it is never negative."),
        (p["fit_on_all"], "the model was fitted on all applicants, test applicants included; fit on `train` only."),
        (p["scores"], "that is the gap in mean predicted PROBABILITY; demographic parity compares approval rates of "
                      "the 0/1 decisions (predict, not predict_proba)."),
        (p["by_area"], "that is the gap between areas (zip_area); the question asks about the protected group."),
        (round(p["right"], 3), "right gap, but rounded: assign the value your code computes, not a rounded or "
                               "typed copy of a printout."),
        (round(p["right"], 2), "right gap, but rounded: assign the value your code computes, not a rounded or "
                               "typed copy of a printout."),
    ]


q2 = ValueProblem(
    title="Q2 the disparity that survives dropping the sensitive column",
    answer_name="dp_gap_second",
    setup=_SETUP,
    expected=lambda: _q2_parts()["right"],
    rtol=1e-6,
    atol=1e-9,
    known_mistakes=_q2_mistakes,
    hints=[
        "A model that never sees `group` can still learn it from a feature that correlates with it. Train the "
        "second lender's model on its history (train, label `approved`), then compare its approval rates between "
        "groups A and B on the test applicants.",
        "demographic_parity_difference(y_true, y_pred, sensitive_features=...) ignores y_true (approval rates "
        "need no label) but requires it; the groups are test['group'].",
        "second.fit(train[q2_categorical + q2_numeric], ...); pred = second.predict(test[q2_categorical + "
        "q2_numeric]); "
        "demographic_parity_difference(test['approved'], pred, sensitive_features=test['group'])",
    ],
    reference="""
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["approved"])
dp_gap_second = demographic_parity_difference(test["approved"], second.predict(test[categorical + numeric]),
                                              sensitive_features=test["group"])
""",
    alternatives=[
        """
columns = [c for c in credit.columns if c not in ("applicant_id", "group", "approved", "repaid")]
numeric = [c for c in columns if c not in ("zip_area", "sex")]
second = models.readmission_model(["zip_area", "sex"], numeric).fit(train[columns], train["approved"])
pred = second.predict(test[columns])
rates = pd.Series(pred).groupby(test["group"].to_numpy()).mean()
dp_gap_second = rates.max() - rates.min()
""",
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["approved"])
frame = MetricFrame(metrics=selection_rate, y_true=test["repaid"], y_pred=second.predict(test[categorical + numeric]),
                    sensitive_features=test["group"])
dp_gap_second = frame.difference()
""",
    ],
    mistakes=[
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["approved"])
dp_gap_second = demographic_parity_difference(test["approved"], second.predict(test[categorical + numeric]),
                                              sensitive_features=test["sex"])
""",
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex", "group"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["approved"])
dp_gap_second = demographic_parity_difference(test["approved"], second.predict(test[categorical + numeric]),
                                              sensitive_features=test["group"])
""",
        """
dp_gap_second = demographic_parity_difference(test["approved"], test["approved"], sensitive_features=test["group"])
""",
        """
dp_gap_second = demographic_parity_difference(test["approved"], decision, sensitive_features=test["group"])
""",
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["repaid"])
dp_gap_second = demographic_parity_difference(test["repaid"], second.predict(test[categorical + numeric]),
                                              sensitive_features=test["group"])
""",
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
second = models.readmission_model(["sex"], numeric).fit(train[["sex"] + numeric], train["approved"])
dp_gap_second = demographic_parity_difference(test["approved"], second.predict(test[["sex"] + numeric]),
                                              sensitive_features=test["group"])
""",
        """
numeric = fairness.FINANCE_FEATURES + ["age"]
categorical = ["zip_area", "sex"]
second = models.readmission_model(categorical, numeric).fit(train[categorical + numeric], train["approved"])
scores = pd.Series(second.predict_proba(test[categorical + numeric])[:, 1]).groupby(test["group"].to_numpy()).mean()
dp_gap_second = scores.max() - scores.min()
""",
    ],
    explanation="About 0.14, the same gap as the lender's model: dropping `group` removes the column, not the "
                "bias; zip_area carries it.",
)


# --------------------------------------------------------------------------------------
# Q3 choose a threshold that meets a stated constraint
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _q3_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ctx = _context()
    lender, test = ctx["lender"], ctx["test"]
    scores = lender.predict_proba(test[ctx["FEATURES"]])[:, 1]
    return (scores, (test["group"] == "A").to_numpy(), (test["group"] == "B").to_numpy(),
            test["repaid"].to_numpy() == 1)


def _tpr_b(threshold: float) -> float:
    scores, _, is_b, repays = _q3_data()
    return float(np.mean(scores[is_b & repays] >= threshold))


def _tpr_a() -> float:
    scores, is_a, _, repays = _q3_data()
    return float(np.mean(scores[is_a & repays] >= 0.5))


def _meets(threshold: float) -> bool:
    return _tpr_b(threshold) >= _tpr_a()


def _best_threshold() -> float:
    grid = np.round(np.arange(0, 101) / 100, 2)
    return float(max(t for t in grid if _meets(float(t))))


@functools.lru_cache(maxsize=1)
def _wrong_constraints() -> dict[float, str]:
    """Highest thresholds for constraints students confuse with the one asked, with what each one is.

    Two wrong constraints can give the same threshold: their explanations are then joined, so
    the feedback never names only one of two possible causes.
    """
    ctx = _context()
    scores, is_a, is_b, repays = _q3_data()
    approved = ctx["test"]["approved"].to_numpy() == 1
    grid = [float(t) for t in np.round(np.arange(0, 101) / 100, 2)]

    def highest(rows: np.ndarray, target: float) -> float:
        return round(max((t for t in grid if np.mean(scores[rows] >= t) >= target), default=0.0), 2)

    candidates = [
        (highest(is_b & approved, float(np.mean(scores[is_a & approved] >= 0.5))),
         "it equalises true positive rates against `approved`, the biased history; the constraint is about who "
         "would REPAY (the `repays` mask)"),
        (highest(is_a & repays, _tpr_a()),
         "it is computed on group A's scores; the threshold is for group B's would-be repayers"),
        (highest(is_b, float(np.mean(scores[is_a] >= 0.5))),
         "it equalises approval rates over all applicants (demographic parity); the constraint compares true "
         "positive rates among those who would repay"),
        (highest(is_b & ~repays, float(np.mean(scores[is_a & ~repays] >= 0.5))),
         "it equalises FALSE positive rates (applicants who would not repay); the constraint is on true positive "
         "rates"),
        (highest(is_b & repays, float(np.mean(scores[repays] >= 0.5))),
         "it reaches the OVERALL true positive rate; the target is group A's (tpr_a)"),
    ]
    out: dict[float, list[str]] = {}
    for threshold, reason in candidates:
        out.setdefault(threshold, []).append(reason)
    return {t: "that threshold answers a different constraint: " + "; or ".join(reasons) + "."
            for t, reasons in out.items()}


def _check_threshold(answer: Any) -> str:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        raise Incorrect(f"`threshold_b` should be one number between 0 and 1, got {type(answer).__name__}.")
    t = float(answer)
    if not math.isfinite(t) or not 0 <= t <= 1:
        raise Incorrect(f"a threshold on a probability lies between 0 and 1, got {t}.")
    if abs(t * 100 - round(t * 100)) > 1e-6:
        raise Incorrect(f"give a multiple of 0.01 (for example round(t, 2)), got {t}.")
    t = round(t, 2)
    tpr_a, tpr_b = _tpr_a(), _tpr_b(t)
    if t == 0.5:
        raise Incorrect(f"0.5 is group A's threshold: at 0.5 group B's true positive rate is {tpr_b:.3f}, below "
                        f"A's {tpr_a:.3f}. Lower B's threshold until B's rate reaches A's.")
    if not _meets(t) and t in _wrong_constraints():
        raise Incorrect(f"at {t:.2f} group B's true positive rate is {tpr_b:.3f}, below group A's {tpr_a:.3f}: "
                        + _wrong_constraints()[t])
    if not _meets(t):
        raise Incorrect(f"at {t:.2f} group B's true positive rate is {tpr_b:.3f}, below group A's {tpr_a:.3f}: "
                        "the constraint is not met. Lower the threshold (and check the rate against "
                        "test['repaid'], not test['approved']).")
    best = _best_threshold()
    if t < best:
        raise Incorrect(f"{t:.2f} meets the constraint, but so does a higher threshold: the question asks for "
                        "the HIGHEST one (the fewest extra approvals that reach A's true positive rate). Search "
                        "from the top of the grid down.")
    return (f"at {t:.2f} group B's true positive rate is {tpr_b:.3f}, at least group A's {tpr_a:.3f}, and "
            f"{t + 0.01:.2f} would not meet it. A lower threshold for B is exactly what ThresholdOptimizer "
            "computes, with a tie-breaking randomisation; note that it decides by group at prediction time.")


q3 = CustomProblem(
    title="Q3 the highest group-B threshold for equal opportunity",
    answer_name="threshold_b",
    setup=_SETUP + """
scores = lender.predict_proba(test[FEATURES])[:, 1]
is_a, is_b, repays = (test["group"] == "A").to_numpy(), (test["group"] == "B").to_numpy(), test["repaid"].to_numpy() == 1
tpr_a = (scores[is_a & repays] >= 0.5).mean()
""",
    checker=_check_threshold,
    hints=[
        "Equal opportunity compares true positive rates: among applicants who would repay, the share approved. "
        "Lowering B's threshold raises B's rate.",
        "Try every threshold t in np.round(np.arange(0, 1.01, 0.01), 2) and keep those where "
        "(scores[is_b & repays] >= t).mean() >= tpr_a.",
        "threshold_b = max(t for t in np.round(np.arange(0, 1.01, 0.01), 2) "
        "if (scores[is_b & repays] >= t).mean() >= tpr_a)",
    ],
    reference="""
grid = np.round(np.arange(0, 1.01, 0.01), 2)
meets = [t for t in grid if (scores[is_b & repays] >= t).mean() >= tpr_a]
threshold_b = max(meets)
""",
    alternatives=[
        """
threshold_b = None
for t in np.round(np.arange(1.0, -0.005, -0.01), 2):
    if (scores[is_b & repays] >= t).mean() >= tpr_a:
        threshold_b = float(t)
        break
""",
        """
b_scores = np.sort(scores[is_b & repays])
needed = int(np.ceil(tpr_a * len(b_scores) - 1e-9))        # B's repayers that must be approved
threshold_b = np.floor(b_scores[len(b_scores) - needed] * 100) / 100
""",
    ],
    mistakes=[
        "threshold_b = 0.5",
        "threshold_b = 0.0",
        """
grid = np.round(np.arange(0, 1.01, 0.01), 2)
repaid_b = (test["approved"].to_numpy() == 1)
tpr_a_hist = (scores[is_a & repaid_b] >= 0.5).mean()
threshold_b = max(t for t in grid if (scores[is_b & repaid_b] >= t).mean() >= tpr_a_hist)
""",
        """
grid = np.round(np.arange(0, 1.01, 0.01), 2)
sel_a = (scores[is_a] >= 0.5).mean()
threshold_b = max(t for t in grid if (scores[is_b] >= t).mean() >= sel_a)
""",
        """
grid = np.round(np.arange(0, 1.01, 0.01), 2)
threshold_b = min(t for t in grid if (scores[is_b & repays] >= t).mean() >= tpr_a)
""",
        """
grid = np.round(np.arange(0, 1.01, 0.01), 2)
fpr_a = (scores[is_a & ~repays] >= 0.5).mean()
threshold_b = max(t for t in grid if (scores[is_b & ~repays] >= t).mean() >= fpr_a)
""",
        """
grid = np.round(np.arange(0, 1.01, 0.01), 2)
threshold_b = max(t for t in grid if (scores[is_a & repays] >= t).mean() >= tpr_a)
""",
        """
threshold_b = round(float(np.quantile(scores[is_b & repays], 1 - tpr_a)), 2)   # rounds up past the answer
""",
    ],
    explanation="The highest threshold at which group B's true positive rate reaches group A's.",
)


# --------------------------------------------------------------------------------------
# Q4 reflection
# --------------------------------------------------------------------------------------


q4 = ReflectionProblem(
    title="Q4 reflection: which fairness definition fits lending, and who decides?",
    answer_name="my_answer",
    hints=[
        "Which label would each definition be measured on, and is that label itself fair?",
        "Who bears a false refusal, who bears a false approval, and who is accountable for the choice?",
    ],
    reference="",
    discussion=(
        "There is no definition that is right everywhere; section 4 showed they conflict whenever base rates "
        "differ. For credit, equal opportunity (equal true positive rates: applicants who would repay are "
        "approved alike) is a common choice because a wrongful refusal is the harm applicants feel, while "
        "predictive parity protects the lender and the approved borrowers (approval means the same risk in each "
        "group). Both need a label, and the only label a lender has is its own history, which here is biased and "
        "is observed only for past approvals: equal opportunity measured on `approved` preserves the bias "
        "(section 3). When the labels are suspect, demographic parity, or a bound on the approval gap, is a "
        "defensible interim goal, together with collecting better outcome data (for example approving a small "
        "random sample to learn who repays). The choice is a value judgement with legal constraints "
        "(anti-discrimination and consumer-credit law; the EU AI Act lists AI that evaluates the creditworthiness of "
        "natural persons or establishes their credit score as high-risk, Annex III point 5(b)), so it "
        "should not be left to the data scientist alone: compliance and legal teams, the people accountable for "
        "lending policy, and representatives of affected applicants should take part, the choice and its "
        "measured cost should be documented, and the model re-audited by group after deployment."
    ),
)
