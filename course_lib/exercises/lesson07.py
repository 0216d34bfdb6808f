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
    return {
        "B": _rate(repaid[b], decision[b], 1),
        "A": _rate(repaid[a], decision[a], 1),
        "B_approved": _rate(approved[b], decision[b], 1),
        "B_fpr": _rate(repaid[b], decision[b], 0),
        "overall": _rate(repaid, decision, 1),
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
        "MetricFrame(metrics=..., y_true=..., y_pred=..., sensitive_features=...) computes a metric for each "
        "group; .by_group is a Series indexed by group (a DataFrame if you pass a dict of metrics).",
        "The metric is fairlearn's false_negative_rate and the truth is test['repaid'], not the biased "
        "test['approved'].",
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
    ],
    known_errors=[
        ("TypeError: MetricFrame.__init__() takes 1 positional argument",
         "MetricFrame's arguments are keyword-only: write metrics=..., y_true=..., y_pred=..., "
         "sensitive_features=...."),
        ("KeyError", "by_group is indexed by the group labels 'A' and 'B' (and by metric name if you passed a dict)."),
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
    return {
        "right": _dp(pred, groups),
        "by_sex": _dp(pred, sexes),
        "with_group": _dp(pred_group, groups),
        "history": _dp(test["approved"].to_numpy(), groups),
        "ratio": min(rates) / max(rates),
        "train_rows": _dp(second.predict(train[columns]), train["group"].to_numpy()),
        "accuracy": float(accuracy_score(test["approved"], pred)),
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
        "Train on the columns categorical + numeric of the training applicants; predict the test applicants.",
        "demographic_parity_difference(y_true, y_pred, sensitive_features=...) ignores y_true (approval rates "
        "need no label) but requires it; the groups are test['group'].",
        "second.fit(train[categorical + numeric], ...); pred = second.predict(test[categorical + numeric]); "
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
    ],
    known_errors=[
        ("KeyError", "a column name is misspelt or missing: the columns are listed in datasets/DATASHEET.md."),
        ("could not convert string to float", "a text column went into `numeric`; zip_area and sex are categorical."),
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
    """Highest thresholds for two constraints students confuse with the one asked."""
    ctx = _context()
    scores, is_a, is_b, _ = _q3_data()
    approved = ctx["test"]["approved"].to_numpy() == 1
    grid = [float(t) for t in np.round(np.arange(0, 101) / 100, 2)]
    tpr_a_history = float(np.mean(scores[is_a & approved] >= 0.5))
    history = max(t for t in grid if np.mean(scores[is_b & approved] >= t) >= tpr_a_history)
    selection_a = float(np.mean(scores[is_a] >= 0.5))
    selection = max(t for t in grid if np.mean(scores[is_b] >= t) >= selection_a)
    return {
        round(history, 2): "that threshold equalises true positive rates against `approved`, the biased history; "
                           "the constraint is about who would REPAY: use test['repaid'] (the `repays` mask).",
        round(selection, 2): "that threshold equalises approval rates (demographic parity), over all applicants; "
                             "the constraint compares true positive rates among those who would repay "
                             "(scores[is_b & repays]).",
    }


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
        "(anti-discrimination and consumer-credit law, the EU AI Act lists credit scoring as high-risk), so it "
        "should not be left to the data scientist alone: compliance and legal teams, the people accountable for "
        "lending policy, and representatives of affected applicants should take part, the choice and its "
        "measured cost should be documented, and the model re-audited by group after deployment."
    ),
)
