"""Exercises of lesson 10 (capstone: a private, fair, explainable pipeline with a report card).

q1 a custom check (the smallest noise multiplier that keeps three retrainings within a total epsilon, composed by the accountant), q2 a custom
check (knobs that meet every target of a report card at once; the check re-runs the
pipeline), q3 a value (how much more noise local DP puts on the averaged gradient than central
DP), q4 a custom check (the mitigation knob: the fairlearn constraint that closes the age-band
gap at the smallest accuracy cost), q5 a reflection (the fairness-accuracy trade-off by age
band that no knob removes).
"""
from __future__ import annotations

import math
import numbers
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from course_lib.attacks import membership_inference_auc
from course_lib.basics import Purpose, select_for_purpose
from course_lib.data import load_patients
from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem, ValueProblem
from course_lib.federated import dp_epsilon, partition
from course_lib.models import CLINICAL_FEATURES, TARGET, clinical_matrix, holdout_split
from course_lib.report import Targets, calibrate_noise, dp_federated_sgd, report_card

DELTA = 1e-5
_COLUMNS = ("patient_id", "hospital", "admission_date", "sex", "age", "bmi", "systolic_bp", "hba1c", "smoker",
            "prior_admissions", "length_of_stay", "diagnosis", TARGET)

_SETUP = """
import numpy as np
import pandas as pd
from course_lib import report
from course_lib.federated import dp_epsilon, partition
from course_lib.attacks import membership_inference_auc
from course_lib.basics import Purpose, select_for_purpose
from course_lib.data import load_patients
from course_lib.models import TARGET, clinical_matrix, holdout_split
DELTA = 1e-5
EPSILON, ROUNDS, CLIP = 1.0, 50, 1.0
z = report.calibrate_noise(EPSILON, rounds=ROUNDS, delta=DELTA)
"""

_SETUP_DATA = _SETUP + """
purpose = Purpose("30-day readmission model", columns=(
    "patient_id", "hospital", "admission_date", "sex", "age", "bmi", "systolic_bp", "hba1c", "smoker",
    "prior_admissions", "length_of_stay", "diagnosis", TARGET))
records = select_for_purpose(load_patients(), purpose)
train, test = holdout_split(records, stratify=("hospital", TARGET))
train, audit = holdout_split(train, test_size=0.2, stratify=("hospital", TARGET))
X_train, y_train = clinical_matrix(train)
"""


# --------------------------------------------------------------------------------------
# q1: a noise level for three retrainings
# --------------------------------------------------------------------------------------

Q1_TOTAL, Q1_TRAININGS, Q1_ROUNDS = 1.5, 3, 50


def _z() -> float:
    """Section 3's noise multiplier: epsilon = 1 for ONE training of 50 rounds."""
    return calibrate_noise(1.0, rounds=Q1_ROUNDS, delta=DELTA)


def _z_three() -> float:
    """The smallest noise multiplier that keeps three trainings of 50 rounds within epsilon 1.5 in total."""
    return calibrate_noise(Q1_TOTAL, rounds=Q1_TRAININGS * Q1_ROUNDS, delta=DELTA)


def _total(z: float) -> float:
    return dp_epsilon(z, Q1_TRAININGS * Q1_ROUNDS, DELTA)


def _q1_mistakes() -> list[tuple[float, str]]:
    best = _z_three()
    split = calibrate_noise(Q1_TOTAL / Q1_TRAININGS, rounds=Q1_ROUNDS, delta=DELTA)
    one = calibrate_noise(Q1_TOTAL, rounds=Q1_ROUNDS, delta=DELTA)
    return [
        (split, f"you split the budget into 1.5 / 3 = 0.5 per training, i.e. summed epsilons (basic composition). "
                f"That is safe but loose: three trainings at this noise spend only ε = {_total(split):.2f} in "
                f"total, and the noise is {split / best:.1f} times what the budget needs. Ask the accountant about "
                "every round at once."),
        (one, f"that noise spends 1.5 in ONE training; a patient in all three trainings spends ε = {_total(one):.2f}."),
        (_z(), f"that is section 3's noise (ε = 1 per training); three trainings at it spend ε = {_total(_z()):.2f}, "
               "over 1.5."),
        (calibrate_noise(Q1_TOTAL, rounds=Q1_TRAININGS, delta=DELTA),
         "you gave the accountant 3 rounds: it counts rounds, and each training has 50."),
        (calibrate_noise(Q1_TOTAL / Q1_TRAININGS, rounds=Q1_TRAININGS * Q1_ROUNDS, delta=DELTA),
         "you divided the budget by three AND counted all 150 rounds: the rounds already account for the three "
         "trainings, so that is far more noise than needed."),
        (_z() * math.sqrt(Q1_TRAININGS), f"scaling section 3's z by sqrt(3) keeps the total at ε = "
                                         f"{_total(_z() * math.sqrt(3)):.2f}: safe, but more noise than 1.5 needs."),
    ]


def _check_noise(answer: Any) -> str:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Incorrect(f"`z_per_training` should be one number (a noise multiplier), got {type(answer).__name__}.")
    z = float(answer)
    if math.isnan(z) or z <= 0:
        raise Incorrect(f"`z_per_training` must be a positive noise multiplier, got {answer!r}.")
    if math.isinf(z):
        raise Incorrect("infinite noise meets any budget and teaches the model nothing: the question asks for the "
                        "SMALLEST noise that keeps the total within 1.5.")
    best = _z_three()
    if math.isclose(z, best, rel_tol=1e-3):
        split = calibrate_noise(Q1_TOTAL / Q1_TRAININGS, rounds=Q1_ROUNDS, delta=DELTA)
        return (f"z = {z:.2f}: each training alone spends ε = {dp_epsilon(z, Q1_ROUNDS, DELTA):.2f}, three of them "
                f"{_total(z):.2f}. Splitting the budget as 0.5 per training would need z = {split:.1f}, "
                f"{split / z:.1f} times the noise: Gaussian mechanisms compose sub-additively (mu grows as the "
                "square root of the number of rounds).")
    for value, message in _q1_mistakes():
        if math.isclose(z, value, rel_tol=1e-3):
            raise Incorrect(message)
    total = _total(z)
    if total > Q1_TOTAL:
        raise Incorrect(f"three trainings of 50 rounds at z = {z:.3g} spend ε = {total:.2f} in total, over the "
                        "target of 1.5: more noise is needed.")
    raise Incorrect(f"three trainings at z = {z:.3g} spend ε = {total:.2f}, within 1.5, but with more noise than "
                    "needed (noise costs accuracy): find the smallest z that still meets 1.5.")


q1 = CustomProblem(
    title="Q1 a noise level for three retrainings",
    answer_name="z_per_training",
    setup=_SETUP,
    checker=_check_noise,
    hints=[
        "The target ε ≤ 1.5 is the TOTAL for a patient in all three trainings. Every round of every training is "
        "one Gaussian mechanism for that patient, and the accountant composes them exactly; summing per-training "
        "epsilons is only an upper bound.",
        "calibrate_noise(epsilon, rounds=..., delta=DELTA) inverts the accountant: give it the total budget and "
        "the number of rounds the patient takes part in over all trainings.",
    ],
    reference="z_per_training = report.calibrate_noise(1.5, rounds=3 * ROUNDS, delta=DELTA)",
    mistakes=[
        "z_per_training = report.calibrate_noise(1.5 / 3, rounds=ROUNDS, delta=DELTA)",
        "z_per_training = report.calibrate_noise(1.5, rounds=ROUNDS, delta=DELTA)",
        "z_per_training = z",
        "z_per_training = report.calibrate_noise(1.5, rounds=3, delta=DELTA)",
        "z_per_training = z * np.sqrt(3)",
        "z_per_training = float('inf')",
        "z_per_training = 25",
        "z_per_training = 40",
    ],
    alternatives=[
        "from scipy.optimize import brentq\n"
        "z_per_training = brentq(lambda s: dp_epsilon(s, 150, DELTA) - 1.5, 1, 1000)",
        "z_per_training = report.calibrate_noise(1.5, rounds=50 + 50 + 50, delta=1e-5)",
    ],
    explanation="about 31.6: one training alone then spends about 0.82, three 1.50. Splitting the budget as 0.5 per "
                "training would need about 49.7, 1.6 times the noise, for a total of only 0.91.",
)


# --------------------------------------------------------------------------------------
# q2: knobs that meet every target at once
# --------------------------------------------------------------------------------------

Q2_TARGETS = Targets(max_epsilon=0.5, max_delta=DELTA, max_accuracy_drop=0.01, max_mia_auc=0.55,
                     max_fairness_gap=0.06, forbidden_features=("sex", "zip", "patient_id"))


def _age_band(ages: pd.Series) -> np.ndarray:
    """The notebook's four age bands."""
    return pd.cut(ages, [0, 49, 64, 79, 120], labels=["<50", "50-64", "65-79", "80+"]).astype(str).to_numpy()


@cache
def _pipeline_data() -> dict[str, Any]:
    records = select_for_purpose(load_patients(), Purpose("30-day readmission model", columns=_COLUMNS))
    train, test = holdout_split(records, stratify=("hospital", TARGET))
    train, audit = holdout_split(train, test_size=0.2, stratify=("hospital", TARGET))
    X_train, y_train = clinical_matrix(train)
    X_audit, y_audit = clinical_matrix(audit)
    X_test, y_test = clinical_matrix(test)
    baseline = LogisticRegression(max_iter=1000, random_state=0).fit(X_train, y_train)
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test,
            "sex": test["sex"].to_numpy(), "baseline": baseline.predict(X_test),
            "X_audit": X_audit, "y_audit": y_audit, "audit_band": _age_band(audit["age"]),
            "test_band": _age_band(test["age"]),
            "hospitals": partition(X_train, y_train, train["hospital"].to_numpy())}


def _equalized_odds_gap(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    rates = []
    for g in np.unique(groups):
        t, p = y_true[groups == g], y_pred[groups == g]
        rates.append((p[t == 1].mean(), p[t == 0].mean()))
    tpr, fpr = zip(*rates)
    return float(max(max(tpr) - min(tpr), max(fpr) - min(fpr)))


def _as_estimator(params: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(random_state=0)
    model.coef_, model.intercept_ = params[None, :-1], params[-1:]
    model.classes_, model.n_features_in_ = np.array([0, 1]), len(params) - 1
    return model


def pipeline_card(epsilon: float, rounds: int, clip_norm: float, targets: Targets = Q2_TARGETS):
    """The capstone pipeline (section 3, 5, 6 of the notebook) with these knobs, as a report card.

    Same data, splits and seed as the notebook's ``run_pipeline``; fairness by sex only, top
    features by mean |SHAP| of the linear model (``|w_j| * mean |x_j - mean_j|``).
    """
    d = _pipeline_data()
    noise = calibrate_noise(epsilon, rounds=rounds, delta=DELTA)
    params = dp_federated_sgd(d["hospitals"], rounds=rounds, clip_norm=clip_norm, noise_multiplier=noise,
                              rng=np.random.default_rng(1))
    y_pred = ((d["X_test"] @ params[:-1] + params[-1]) >= 0).astype(int)
    centred = np.abs(d["X_test"] - d["X_train"].mean(axis=0)).mean(axis=0)
    return report_card(
        epsilon=dp_epsilon(noise, rounds, DELTA), delta=DELTA, rounds=rounds, y_true=d["y_test"], y_pred=y_pred,
        y_pred_baseline=d["baseline"],
        mia_auc=membership_inference_auc(_as_estimator(params), d["X_train"], d["y_train"], d["X_test"], d["y_test"]),
        fairness_gaps={"sex": _equalized_odds_gap(d["y_test"], y_pred, d["sex"])},
        top_features=dict(zip(CLINICAL_FEATURES, np.abs(params[:-1]) * centred)), targets=targets,
        title=f"epsilon={epsilon:g}, {rounds} rounds, clip {clip_norm:g}")


_KNOBS = {"epsilon": (0.01, 10.0), "rounds": (1, 300), "clip_norm": (0.01, 100.0)}


def _check_knobs(answer: Any) -> str:
    if not isinstance(answer, dict):
        raise Incorrect(f"`knobs` should be a dict like {{'epsilon': ..., 'rounds': ..., 'clip_norm': ...}}, "
                        f"got {type(answer).__name__}.")
    missing = [k for k in _KNOBS if k not in answer]
    extra = [k for k in answer if k not in _KNOBS]
    if missing or extra:
        raise Incorrect(f"`knobs` needs exactly the keys {list(_KNOBS)}; missing {missing}, unexpected {extra} "
                        "(the age-band mitigation belongs to Q4).")
    for key, (low, high) in _KNOBS.items():
        value = answer[key]
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= float(value) <= high:
            raise Incorrect(f"knobs[{key!r}] must be a number from {low:g} to {high:g}, got {value!r}.")
    if not isinstance(answer["rounds"], numbers.Integral):
        raise Incorrect(f"knobs['rounds'] must be a whole number of rounds, got {answer['rounds']!r}.")
    card = pipeline_card(float(answer["epsilon"]), int(answer["rounds"]), float(answer["clip_norm"]))
    if card.passed:
        return (f"all {len(card.table)} checks pass: ε = {card.epsilon:.2f}, accuracy drop "
                f"{card.accuracy_drop['drop'] * 100:.1f} points, attack AUC {card.mia_auc:.3f}, gap by sex "
                f"{card.fairness_gaps['sex']:.3f}. Note the drop's interval: on about 1,200 test patients a "
                "one-point difference is within noise.")
    problems = []
    t = card.table
    if t.loc["epsilon", "status"] == "fail":
        problems.append(f"ε = {card.epsilon:.2f} is over the target of 0.5: the epsilon knob is the total budget, "
                        "lower it")
    if t.loc["accuracy", "status"] == "fail":
        epsilon, rounds, clip = float(answer["epsilon"]), int(answer["rounds"]), float(answer["clip_norm"])
        if not 0.3 <= clip <= 10:
            advice = ("a clipping norm far below a typical patient's gradient (about 1) cuts every gradient and "
                      "biases the model" if clip < 0.3 else "a huge clipping norm needs huge noise")
        elif rounds < 20:
            advice = "with so few rounds gradient descent has not reached a good model yet"
        elif epsilon < 0.3:
            advice = "this ε is far below the target: the smaller ε, the more noise; the target allows 0.5"
        elif not 0.7 <= clip <= 1.5:
            advice = ("the clipping norm sets both the bias (gradients longer than it are cut) and the noise "
                      "(proportional to it): compare with section 3's clipping norm")
        else:
            advice = "this is one seeded run, close to the line: try the target's ε with the section's other knobs"
        problems.append(f"the accuracy drop is {card.accuracy_drop['drop'] * 100:.1f} points, over 1: {advice}")
    for key in ("mia", "fairness:sex"):
        if t.loc[key, "status"] == "fail":
            problems.append(f"{t.loc[key, 'check']} is {t.loc[key, 'value']}, over its target {t.loc[key, 'target']}")
    raise Incorrect("; ".join(problems) + ".")


q2 = CustomProblem(
    title="Q2 meet every target at once",
    answer_name="knobs",
    setup=_SETUP,
    checker=_check_knobs,
    hints=[
        "Start from the target the section 3 pipeline misses: its ε of 1.0 is over 0.5. The epsilon knob sets the "
        "total budget directly.",
        "Lowering ε adds noise to every round, and accuracy is a target too: check that the accuracy drop stays "
        "under one point (run_pipeline(epsilon=..., rounds=..., clip_norm=...) in the notebook shows the card). "
        "Far below 0.5, or with a clipping norm far from a typical gradient's size (about 1), it does not.",
        "Changing one knob is enough: knobs = {'epsilon': <the target's total>, 'rounds': ROUNDS, 'clip_norm': CLIP}.",
    ],
    reference='knobs = {"epsilon": 0.5, "rounds": 50, "clip_norm": 1.0}',
    mistakes=[
        'knobs = {"epsilon": 0.5, "round": 50, "clip_norm": 1.0}',
        'knobs = {"epsilon": 1.0, "rounds": 50, "clip_norm": 1.0}',
        'knobs = {"epsilon": 0.1, "rounds": 50, "clip_norm": 1.0}',
        'knobs = {"epsilon": 0.5, "rounds": 50, "clip_norm": 0.05}',
        'knobs = {"epsilon": 0.5, "rounds": 10, "clip_norm": 1.0}',
        'knobs = {"epsilon": 0.5, "rounds": 50, "clip_norm": 0.3}',
        'knobs = {"epsilon": float("inf"), "rounds": 50, "clip_norm": 1.0}',
        'knobs = {"epsilon": 0.5, "rounds": 50}',
        'knobs = {"epsilon": 0.5, "rounds": 50, "clip_norm": 1.0, "mitigation": "equalized_odds"}',
        'knobs = {"epsilon": 0.5, "rounds": 50.5, "clip_norm": 1.0}',
        'knobs = [0.5, 50, 1.0]',
    ],
    alternatives=[
        'knobs = {"epsilon": 0.3, "rounds": 50, "clip_norm": 1.0}',
        'knobs = dict(epsilon=0.5, rounds=200, clip_norm=1.0)',
        'knobs = {"epsilon": 0.5, "rounds": 50, "clip_norm": 5}',
    ],
    explanation="every number meets its target: privacy costs under a point of accuracy here. One caveat: each "
                "setting you tried trained on the same patients and was scored on the same test set. Released, every "
                "run would compose; and picking the best of many private runs leaks too (Papernot & Steinke, ICLR "
                "2022). In practice the knobs are chosen on public or synthetic data, or the search is accounted.",
)


# --------------------------------------------------------------------------------------
# q3: local against central noise
# --------------------------------------------------------------------------------------


def _n_train() -> int:
    return len(_pipeline_data()["y_train"])


def _n_audit() -> int:
    return len(_pipeline_data()["y_audit"])


def _q3_mistakes() -> list[tuple[float, str]]:
    n = _n_train()
    mistakes = [
        (float(n), "N would be right if the N noises added up in standard deviation; independent noises add in "
                   "VARIANCE, so their sum has standard deviation z*C*sqrt(N): the ratio is sqrt(N)."),
        (1.0, "the per-patient noise is the same, but in the local version every patient adds one: N of them."),
        (1 / math.sqrt(n), "upside down: local DP gives MORE noise, the ratio is above 1."),
        (1 / n, "upside down, and the noises add in variance: the ratio is sqrt(N), above 1."),
        (math.sqrt(n) * 26.4, "the ratio does not depend on z or C: both versions scale with z * C."),
        (2 * math.sqrt(n), "the factor 2 is real for an honest local-DP guarantee (a record may change to any other, "
                           "so the sensitivity is 2C), but the question fixes the same noise std z*C in both versions."),
    ]
    # the square root of a wrong N: say which count it is, not the right one
    for count, what in ((6000, "all 6,000 patients"), (4826, "all consented records"),
                        (n + _n_audit(), "the training AND audit patients"), (4500, "lesson 09's pooled training set"),
                        (n / 5, "an average hospital's patients")):
        mistakes.append((math.sqrt(count), f"that is sqrt({count:g}), the square root of {what}: N counts the patients "
                                           "whose clipped gradients the server sums in training, no more, no fewer."))
    return mistakes


q3 = ValueProblem(
    title="Q3 how much more noise local DP adds",
    answer_name="noise_ratio",
    setup=_SETUP_DATA,
    expected=lambda: math.sqrt(_n_train()),
    rtol=1e-3,
    known_mistakes=_q3_mistakes,
    hints=[
        "Central: one noise of std z*C on the sum, then divided by N. Local: N independent noises of std z*C "
        "each, summed, then divided by N.",
        "Independent noises add in variance: the sum of N of them has standard deviation z*C*sqrt(N). Divide "
        "each version by N and take the ratio.",
    ],
    reference="noise_ratio = np.sqrt(len(y_train))",
    mistakes=[
        "noise_ratio = len(y_train)",
        "noise_ratio = 1 / np.sqrt(len(y_train))",
        "noise_ratio = 1.0",
        "noise_ratio = np.sqrt(len(records))",
        "noise_ratio = np.sqrt(len(train) + len(audit))",
        "noise_ratio = np.sqrt(len(y_train) / 5)",
    ],
    alternatives=[
        "N = len(y_train)\nnoise_ratio = (z * CLIP * np.sqrt(N) / N) / (z * CLIP / N)",
        "noise_ratio = len(train) ** 0.5",
    ],
    explanation="sqrt(N), about 54 here: local noise averages away only as 1/sqrt(N), central noise as 1/N. An "
                "honest local guarantee needs even more: a patient's record may change to any other, a change of up "
                "to 2C in their gradient, so local noise of std 2zC gives the same epsilon: 2 sqrt(N), about 108. "
                "Duchi, Jordan & Wainwright (2013) prove this loss is unavoidable for local DP, not a weak design.",
)


# --------------------------------------------------------------------------------------
# q4: the mitigation knob
# --------------------------------------------------------------------------------------

CONSTRAINTS = ("demographic_parity", "equalized_odds", "true_positive_rate_parity", "false_negative_rate_parity",
               "false_positive_rate_parity", "true_negative_rate_parity")
Q4_MAX_GAP = 0.20


@cache
def _mitigations() -> dict[str, tuple[float, float]]:
    """``{constraint: (accuracy drop, age-band equalised-odds gap)}`` for the section 3 pipeline."""
    from fairlearn.postprocessing import ThresholdOptimizer  # imported here: only Q4's check needs it

    d = _pipeline_data()
    noise = calibrate_noise(1.0, rounds=50, delta=DELTA)
    model = _as_estimator(dp_federated_sgd(d["hospitals"], rounds=50, clip_norm=1.0, noise_multiplier=noise,
                                           rng=np.random.default_rng(1)))
    baseline = float(np.mean(d["baseline"] == d["y_test"]))
    plain = model.predict(d["X_test"])
    results = {"None": (baseline - float(np.mean(plain == d["y_test"])),
                        _equalized_odds_gap(d["y_test"], plain, d["test_band"]))}
    for constraint in CONSTRAINTS:
        post = ThresholdOptimizer(estimator=model, constraints=constraint, prefit=True,
                                  predict_method="decision_function")
        post.fit(d["X_audit"], d["y_audit"], sensitive_features=d["audit_band"])
        pred = post.predict(d["X_test"], sensitive_features=d["test_band"], random_state=0)
        results[constraint] = (baseline - float(np.mean(pred == d["y_test"])),
                               _equalized_odds_gap(d["y_test"], pred, d["test_band"]))
    return results


def _check_mitigation(answer: Any) -> str:
    results = _mitigations()
    if answer is None:
        drop, gap = results["None"]
        raise Incorrect(f"without mitigation the age-band gap is {gap:.2f}, far over {Q4_MAX_GAP}: pick a constraint.")
    if not isinstance(answer, str) or answer not in CONSTRAINTS:
        raise Incorrect(f"`mitigation` must be one of fairlearn's constraint names {list(CONSTRAINTS)}, got {answer!r}.")
    meets = {c: r for c, r in results.items() if c != "None" and r[1] <= Q4_MAX_GAP}
    best = min(meets, key=lambda c: meets[c][0])
    drop, gap = results[answer]
    if gap > Q4_MAX_GAP:
        one_rate = {"true_positive_rate_parity": "true-positive", "false_negative_rate_parity": "true-positive",
                    "false_positive_rate_parity": "false-positive", "true_negative_rate_parity": "false-positive"}
        why = (f" It equalises only the {one_rate[answer]} rate; the equalised-odds gap is the larger of the "
               "true- and false-positive rate gaps, and the other one stays wide." if answer in one_rate else "")
        raise Incorrect(f"{answer} leaves the age-band gap at {gap:.3f}, over {Q4_MAX_GAP} (accuracy drop "
                        f"{drop * 100:.1f} points).{why}")
    if answer != best:
        raise Incorrect(f"{answer} meets the gap ({gap:.3f}) but costs {drop * 100:.1f} accuracy points; another "
                        "constraint meets it for less. Try each one with run_pipeline(mitigation=...).")
    cheapest = min(r[0] for c, r in results.items() if c != "None")
    return (f"{answer}: age-band gap {gap:.3f} for {drop * 100:.1f} accuracy points. Every constraint costs at "
            f"least {cheapest * 100:.1f} points, and the section 1 target (0.10 with at most a 2-point drop) is out "
            "of reach: that is Q5's trade-off.")


q4 = CustomProblem(
    title="Q4 the mitigation knob",
    answer_name="mitigation",
    setup=_SETUP,
    checker=_check_mitigation,
    hints=[
        "The equalised-odds gap is the LARGER of two gaps between age bands: true-positive rates and false-positive "
        "rates. A constraint on one rate alone leaves the other.",
        "Run run_pipeline(mitigation=c) for each c in " + ", ".join(CONSTRAINTS) + ", and compare the age-band gap "
        "and the accuracy drop on each card.",
        "Two constraints meet the 0.20 gap; pick the one with the smaller accuracy drop.",
    ],
    reference='mitigation = "demographic_parity"',
    mistakes=[
        'mitigation = "equalized_odds"',
        'mitigation = "true_positive_rate_parity"',
        'mitigation = "false_positive_rate_parity"',
        "mitigation = None",
        'mitigation = "equal_opportunity"',
    ],
    alternatives=['mitigation = "Demographic_Parity".lower()'],
    explanation="equal selection rates across age bands happen to bring both error rates closest here, at the "
                "smallest accuracy cost.",
)


# --------------------------------------------------------------------------------------
# q5: the trade-off you could not escape
# --------------------------------------------------------------------------------------

q5 = ReflectionProblem(
    title="Q5 reflection: the trade-off no knob removes",
    answer_name="my_answer",
    hints=[
        "Compare the readmission rate of each age band (the MetricFrame of section 5).",
        "If base rates differ between groups, can a useful risk score have equal true- AND false-positive rates "
        "without giving up accuracy?",
    ],
    reference="",
    discussion=(
        "No setting meets both. Readmission rates differ a lot by age band and age is one of the strongest "
        "predictors, so an accurate model flags older patients far more often; its true- and false-positive "
        "rates then differ by band. With base rates this different, no imperfect classifier can have equal "
        "error rates AND equal precision (or calibration) in every band (Chouldechova 2017; Kleinberg, "
        "Mullainathan & Raghavan 2017): equalised odds by post-processing (Hardt, Price & Srebro 2016) makes a "
        "flagged patient's actual risk depend on their band, and here costs about 9 accuracy points while "
        "still missing 0.10. DP knobs do not help: ε, rounds and clipping move accuracy a little and the "
        "age-band gap hardly at all. What to bring to the ethics board: both cards side by side, the readmission rates by band, and "
        "the question that is not technical: is age a legitimate risk factor for THIS decision? If the prediction "
        "decides who gets a follow-up call, flagging more older patients may be the point, and a target on "
        "calibration within each band, or on missed readmissions (false-negative rate) only, may be the right "
        "fairness target. If it decided who is denied something, equalised odds might be required and its "
        "accuracy cost accepted. Either way the choice, its reason and its cost go on the card."
    ),
)
