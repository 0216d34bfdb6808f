"""Exercises of lesson 08 (explainability).

q1 a value (a patient's predicted probability from their SHAP explanation alone: additivity
in log-odds, then the sigmoid), q2 a custom check (select the positive class of a random
forest's Explanation for one patient), q3 a value (read a partial-dependence curve: the
average change in predicted probability when age goes from 50 to 80 for the same patients),
q4 a reflection (what to tell a refused applicant, and what to log).
"""
from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from sklearn.inspection import partial_dependence

from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem, ValueProblem

#: What the notebook has run before the exercises: the same data, split, model and explainers.
NOTEBOOK_CODE = """
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

from course_lib import data, models

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    import shap

patients = data.load_patients()
train, test = models.holdout_split(patients)
FEATURES = ["age", "bmi", "systolic_bp", "glucose", "hba1c", "smoker", "prior_admissions", "length_of_stay"]
DIAGNOSES = {"heart_failure": "heart failure", "copd": "COPD", "diabetes": "diabetes"}


def clinical_frame(df):
    X = df[FEATURES].astype(float)
    for column, diagnosis in DIAGNOSES.items():
        X[column] = (df["diagnosis"] == diagnosis).astype(float)
    return X


X_train, X_test = clinical_frame(train), clinical_frame(test)
y_train, y_test = train["readmitted_30d"], test["readmitted_30d"]
model = GradientBoostingClassifier(n_estimators=100, max_depth=2, learning_rate=0.1, random_state=0)
model.fit(X_train, y_train)
explainer = shap.TreeExplainer(model)
shap_test = explainer(X_test)
forest = RandomForestClassifier(n_estimators=50, max_depth=6, random_state=0, n_jobs=1).fit(X_train, y_train)
forest_explanation = shap.TreeExplainer(forest)(X_test.iloc[:200])
"""

#: The context of every problem: the notebook's objects, built once (training takes seconds).
_SETUP = """
import numpy as np
from course_lib.exercises.lesson08 import notebook_objects
model, X_train, X_test, shap_test, forest, forest_explanation = notebook_objects(
    "model", "X_train", "X_test", "shap_test", "forest", "forest_explanation")
"""

#: The patient of Q1 and Q2 (a row of the held-out set, not the lecture's patient).
PATIENT = 7


@functools.lru_cache(maxsize=1)
def _context() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(NOTEBOOK_CODE, namespace)  # noqa: S102 - our own code, the same the notebook runs
    return namespace


def notebook_objects(*names: str) -> tuple[Any, ...]:
    """The objects the notebook built before its exercises (``"model"``, ``"X_test"``, ...).

    Built once per process by running :data:`NOTEBOOK_CODE`, the notebook's own recipe, so
    that checks and tests compare with exactly what the student has.
    """
    ctx = _context()
    missing = [n for n in names if n not in ctx]
    if missing:
        raise ValueError(f"names must be objects of the notebook, got unknown {missing}")
    return tuple(ctx[n] for n in names)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# --------------------------------------------------------------------------------------
# Q1 additivity: from an explanation back to the prediction
# --------------------------------------------------------------------------------------


def _q1_expected() -> float:
    ctx = _context()
    return float(ctx["model"].predict_proba(ctx["X_test"].iloc[[PATIENT]])[0, 1])


def _q1_mistakes() -> list[tuple[float, str]]:
    ctx = _context()
    one = ctx["shap_test"][PATIENT]
    base, values = float(one.base_values), np.asarray(one.values, dtype=float)
    log_odds = base + values.sum()
    return [
        (log_odds, "that is base value + contributions, the model's output in LOG-ODDS (the space TreeExplainer "
                   "works in for gradient boosting). Turn it into a probability with the sigmoid, 1 / (1 + exp(-z))."),
        (_sigmoid(values.sum()), "you left out the base value: the contributions explain the difference from "
                                 "the base value (the average log-odds), so add it before the sigmoid."),
        (values.sum(), "that is the sum of the contributions alone: add the base value, then apply the sigmoid."),
        (_sigmoid(base) + values.sum(), "contributions are in log-odds; they do not add to a probability. Add them "
                                        "to the base value in log-odds first, then apply the sigmoid once."),
        (_sigmoid(base + np.abs(values).sum()), "you summed absolute values: a negative contribution lowers the "
                                                "risk, keep its sign."),
        (1 - _sigmoid(log_odds), "that is the probability of NOT being readmitted: the log-odds are of class 1."),
        (_sigmoid(base), "that is the base value as a probability (an average patient), not this patient."),
        (math.exp(log_odds), "that is exp(log-odds), the ODDS p / (1 - p), not the probability: the sigmoid divides "
                             "by one more term."),
    ] + _q1_other_rows(log_odds)


def _q1_other_rows(log_odds: float) -> list[tuple[float, str]]:
    """Wrong-row and wrong-model answers: the right computation applied to the wrong explanation."""
    ctx = _context()
    totals = np.asarray(ctx["shap_test"].base_values, dtype=float) + ctx["shap_test"].values.sum(axis=1)
    wrong: list[tuple[float, str]] = []
    # A number typed from a printout: right to a few decimals, not computed.
    probability = _sigmoid(log_odds)
    for digits in (2, 3, 4):
        wrong.append((round(probability, digits), f"that is the right probability rounded to {digits} decimals: "
                                                  "compute it from patient_explanation instead of typing a number."))
    forest = ctx["forest_explanation"][PATIENT, :, 1]
    wrong.append((float(forest.base_values) + float(forest.values.sum()),
                  "that is the random FOREST's probability (forest_explanation, explained in probability); Q1 is "
                  "about the gradient-boosting explanation, shap_test, which is in log-odds."))
    wrong.append((_sigmoid(float(totals[0])), "that is patient 0's probability (the old [0] indexing): use "
                                              "patient_explanation, patient 7's explanation."))
    wrong += [(_sigmoid(float(t)), f"that is the probability of held-out patient {row}, not of patient {PATIENT}: "
                                   "use patient_explanation.")
              for row, t in enumerate(totals) if row not in (0, PATIENT)]
    return wrong


q1 = ValueProblem(
    title="Q1 from a SHAP explanation back to the prediction",
    answer_name="probability_7",
    setup=_SETUP + f"patient_explanation = shap_test[{PATIENT}]\n",
    expected=_q1_expected,
    rtol=1e-6,
    known_mistakes=_q1_mistakes,
    hints=[
        "Additivity: base value + sum of the contributions = the model's output, in the space the explainer "
        "works in. For gradient boosting that space is log-odds.",
        "z = patient_explanation.base_values + patient_explanation.values.sum(); then a probability is "
        "1 / (1 + exp(-z)).",
    ],
    reference="""
z = patient_explanation.base_values + patient_explanation.values.sum()   # log-odds
probability_7 = 1 / (1 + np.exp(-z))
""",
    mistakes=[
        "probability_7 = patient_explanation.base_values + patient_explanation.values.sum()",
        "probability_7 = 1 / (1 + np.exp(-patient_explanation.values.sum()))",
        "z = patient_explanation.base_values + np.abs(patient_explanation.values).sum()\n"
        "probability_7 = 1 / (1 + np.exp(-z))",
        "probability_7 = 1 / (1 + np.exp(-patient_explanation.base_values)) + patient_explanation.values.sum()",
        "probability_7 = np.exp(patient_explanation.base_values + patient_explanation.values.sum())",
        "z = shap_test[0].base_values + shap_test[0].values.sum()\nprobability_7 = 1 / (1 + np.exp(-z))",
        "z = shap_test[7].base_values + shap_test[7].values.sum()\nprobability_7 = round(float(1 / (1 + np.exp(-z))), 3)",
        "one = forest_explanation[7, :, 1]\nprobability_7 = one.base_values + one.values.sum()",
    ],
    alternatives=[
        "from scipy.special import expit\n"
        "probability_7 = float(expit(patient_explanation.base_values + patient_explanation.values.sum()))",
        "z = float(patient_explanation.base_values) + float(np.sum(patient_explanation.values))\n"
        "probability_7 = np.exp(z) / (1 + np.exp(z))",
    ],
    explanation="base value + contributions gives the log-odds exactly (additivity); the sigmoid turns them into "
                "the probability that predict_proba reports.",
)


# --------------------------------------------------------------------------------------
# Q2 pick the positive class in a multi-output Explanation
# --------------------------------------------------------------------------------------


def _check_positive_class(answer: Any) -> str:
    ctx = _context()
    full = ctx["forest_explanation"]
    want_values = np.asarray(full.values[PATIENT, :, 1], dtype=float)
    want_base = float(np.asarray(full.base_values)[PATIENT, 1])
    values = getattr(answer, "values", None)
    base = getattr(answer, "base_values", None)
    if values is None or base is None:
        if isinstance(answer, np.ndarray):
            raise Incorrect("that is a NumPy array (as the old shap_values(X) returned); index the Explanation itself "
                            "so that the base value and the feature names come along.")
        raise Incorrect(f"`positive_7` should be a shap.Explanation (index `forest_explanation`), got {type(answer).__name__}.")
    values = np.asarray(values, dtype=float)
    n_rows, n_features = full.values.shape[0], full.values.shape[1]
    if values.shape == (n_features, 2):
        raise Incorrect("this explanation still has both classes (shape (features, 2)): select the class too, "
                        "with a third index.")
    if values.shape == (n_rows, n_features):
        raise Incorrect("this is the positive class for EVERY held-out patient; select one patient (the first index).")
    if values.shape == (n_rows, 2):
        raise Incorrect("this is one feature for every patient (the old shap_values[:, 0] confusion): the first "
                        "index selects the patient, the second the feature, the third the class.")
    if values.shape == (2,):
        raise Incorrect("these are two numbers, one feature for both classes: the old idiom shap_values[0][0] "
                        "selects patient 0, feature 0. Use [patient, :, class].")
    if values.shape != (n_features,):
        raise Incorrect(f"expected one value per feature ({n_features}), got shape {values.shape}.")
    if np.allclose(values, -want_values) and not np.allclose(values, want_values):
        raise Incorrect("these contributions are the mirror image of the right ones: you selected class 0 "
                        "(not readmitted). For a binary forest the two classes' SHAP values are opposite; "
                        "the positive class is index 1.")
    boosting = ctx["shap_test"]
    if not np.allclose(values, want_values) and values.shape == boosting.values.shape[1:] and any(
        np.allclose(values, boosting.values[row]) for row in range(boosting.values.shape[0])
    ):
        raise Incorrect("this is the gradient-boosting model's explanation (shap_test: one output, in log-odds); "
                        "Q2 asks for the random forest's, forest_explanation, which has one output per class.")
    if not np.allclose(values, want_values):
        for row in range(n_rows):
            if np.allclose(values, full.values[row, :, 1]):
                raise Incorrect(f"this is the positive class of patient {row}, not of patient {PATIENT}.")
        raise Incorrect("these are not the positive-class contributions of this patient.")
    if not math.isclose(float(np.asarray(base).reshape(-1)[0]), want_base, rel_tol=1e-9):
        raise Incorrect("the contributions are right but the base value is not that of class 1.")
    total = want_base + float(want_values.sum())
    proba = float(ctx["forest"].predict_proba(ctx["X_test"].iloc[[PATIENT]])[0, 1])
    return (f"patient {PATIENT}, class 1 (readmitted): base {want_base:.3f} + contributions {want_values.sum():+.3f} "
            f"= {total:.3f}, the forest's predict_proba {proba:.3f} (a forest is explained in probability space).")


q2 = CustomProblem(
    title="Q2 select the positive class for one patient",
    answer_name="positive_7",
    setup=_SETUP,
    checker=_check_positive_class,
    hints=[
        "For a random forest SHAP 0.51 explains both classes: forest_explanation has shape "
        "(patients, features, 2). You need one patient, all features and class 1 (readmitted), and the result "
        "must still be an Explanation (not its .values), so that the base value comes along.",
        "An Explanation is indexed like a NumPy array, one index per axis: [patient, feature, class]; a colon "
        "keeps every feature.",
        "For example forest_explanation[0, :, 0] is patient 0, every feature, class 0 (not readmitted). Change "
        "the patient and the class.",
    ],
    reference="positive_7 = forest_explanation[7, :, 1]",
    mistakes=[
        "positive_7 = forest_explanation[7]",
        "positive_7 = forest_explanation[7, :, 0]",
        "positive_7 = forest_explanation[:, :, 1]",
        "positive_7 = forest_explanation[7][0]",
        "positive_7 = forest_explanation.values[7, :, 1]",
        "positive_7 = forest_explanation[0, :, 1]",
        "positive_7 = shap_test[7]",
        "positive_7 = forest_explanation[[7], :, 1]",
    ],
    alternatives=[
        "positive_7 = forest_explanation[:, :, 1][7]",
        "positive_7 = forest_explanation[7, ..., 1]",
        "positive_7 = forest_explanation[7][:, 1]",
    ],
    explanation="Index the Explanation [patient, :, class]: the base value and feature names follow, and "
                "shap.plots.waterfall(positive_7) now works.",
)


# --------------------------------------------------------------------------------------
# Q3 read a partial-dependence curve (compute two of its points)
# --------------------------------------------------------------------------------------


def _average_at(model: Any, X: Any, feature: str, value: float, method: str = "predict_proba") -> float:
    changed = X.copy()
    changed[feature] = value
    if method == "predict_proba":
        return float(model.predict_proba(changed)[:, 1].mean())
    return float(model.decision_function(changed).mean())


def _q3_expected() -> float:
    ctx = _context()
    model, X = ctx["model"], ctx["X_test"]
    return _average_at(model, X, "age", 80.0) - _average_at(model, X, "age", 50.0)


def _q3_mistakes() -> list[tuple[float, str]]:
    ctx = _context()
    model, X = ctx["model"], ctx["X_test"]
    proba = model.predict_proba(X)[:, 1]
    observed = float(proba[X["age"] == 80].mean() - proba[X["age"] == 50].mean())
    log_odds = _average_at(model, X, "age", 80.0, "decision") - _average_at(model, X, "age", 50.0, "decision")
    recursion = partial_dependence(model, X, ["age"], custom_values={"age": [50.0, 80.0]}, method="recursion")
    recursion_effect = float(recursion["average"][0][1] - recursion["average"][0][0])
    patient0 = _average_at(model, X.iloc[[0]], "age", 80.0) - _average_at(model, X.iloc[[0]], "age", 50.0)
    train = ctx["X_train"]
    on_train = _average_at(model, train, "age", 80.0) - _average_at(model, train, "age", 50.0)
    plotted = X.sample(200, random_state=0)          # the 200 patients of the notebook's PDP/ICE figure
    on_plotted = _average_at(model, plotted, "age", 80.0) - _average_at(model, plotted, "age", 50.0)
    sigmoid_of_mean = (_sigmoid(_average_at(model, X, "age", 80.0, "decision"))
                       - _sigmoid(_average_at(model, X, "age", 50.0, "decision")))
    at_80, at_50 = _average_at(model, X, "age", 80.0), _average_at(model, X, "age", 50.0)
    changed_80, changed_50 = X.assign(age=80.0), X.assign(age=50.0)
    decisions = float(model.predict(changed_80).mean() - model.predict(changed_50).mean())
    return [
        (on_train, "that averages over the TRAINING patients (X_train); the question asks for the held-out "
                   "patients, X_test."),
        (on_plotted, "that averages over the 200 patients of the PDP/ICE figure; the question asks for all "
                     "held-out patients, X_test."),
        (sigmoid_of_mean, "you averaged log-odds and then applied the sigmoid: the probability of the average "
                          "log-odds is not the average probability. Average the probabilities themselves."),
        (100 * _q3_expected(), "that is in percentage points; give the change in probability (between 0 and 1)."),
        (at_80 / at_50, "that is a ratio (a relative risk); the rise of a curve is a difference of its two points."),
        (at_80, "that is the curve's value at 80 alone; the question asks for its rise from 50 to 80."),
        (decisions, "that averages the 0/1 decisions of predict(), not predicted probabilities: use "
                    "predict_proba(...)[:, 1]."),
        (observed, "you compared the patients who ARE 80 with those who ARE 50: different people, with different "
                   "diagnoses and admissions (a conditional comparison). Partial dependence gives the SAME patients "
                   "age 80, then age 50, and compares the averages."),
        (log_odds, "that is the change in average log-odds (decision_function); the curve is in probability: "
                   "use predict_proba(...)[:, 1]."),
        (recursion_effect, "scikit-learn's default for gradient boosting is method='recursion', which averages "
                           "the log-odds (decision_function) over the TRAINING distribution of the trees, not "
                           "probabilities over these patients: pass method='brute', response_method='predict_proba'."),
        (-_q3_expected(), "right size, wrong sign: compute (average at 80) - (average at 50)."),
        (patient0, "that is one ICE line (patient 0 only); partial dependence averages over all held-out patients."),
    ]


q3 = ValueProblem(
    title="Q3 read a partial-dependence curve",
    answer_name="age_effect",
    setup=_SETUP,
    expected=_q3_expected,
    rtol=1e-6,
    known_mistakes=_q3_mistakes,
    hints=[
        "A point of the partial-dependence curve at age a is the average predicted probability over the held-out "
        "patients, each with their age set to a and everything else unchanged.",
        "at_80 = X_test.copy(); at_80['age'] = 80; then model.predict_proba(at_80)[:, 1].mean(); the same at 50; "
        "subtract.",
    ],
    reference="""
at_80, at_50 = X_test.copy(), X_test.copy()
at_80["age"], at_50["age"] = 80.0, 50.0
age_effect = model.predict_proba(at_80)[:, 1].mean() - model.predict_proba(at_50)[:, 1].mean()
""",
    mistakes=[
        """
proba = model.predict_proba(X_test)[:, 1]
age_effect = proba[X_test["age"] == 80].mean() - proba[X_test["age"] == 50].mean()
""",
        """
at_80, at_50 = X_test.copy(), X_test.copy()
at_80["age"], at_50["age"] = 80.0, 50.0
age_effect = model.decision_function(at_80).mean() - model.decision_function(at_50).mean()
""",
        """
at_80, at_50 = X_test.copy(), X_test.copy()
at_80["age"], at_50["age"] = 80.0, 50.0
age_effect = model.predict_proba(at_50)[:, 1].mean() - model.predict_proba(at_80)[:, 1].mean()
""",
        """
from sklearn.inspection import partial_dependence
result = partial_dependence(model, X_test, ["age"], custom_values={"age": [50.0, 80.0]})
age_effect = result["average"][0][1] - result["average"][0][0]
""",
        """
age_effect = model.predict_proba(X_train.assign(age=80.0))[:, 1].mean() - model.predict_proba(X_train.assign(age=50.0))[:, 1].mean()
""",
        """
at_80, at_50 = X_test.copy(), X_test.copy()
at_80["age"], at_50["age"] = 80.0, 50.0
age_effect = 1 / (1 + np.exp(-model.decision_function(at_80).mean())) - 1 / (1 + np.exp(-model.decision_function(at_50).mean()))
""",
        "age_effect = (model.predict(X_test.assign(age=80.0)).mean() - model.predict(X_test.assign(age=50.0)).mean())",
    ],
    alternatives=[
        """
from sklearn.inspection import partial_dependence
result = partial_dependence(model, X_test, ["age"], custom_values={"age": [50.0, 80.0]},
                            method="brute", response_method="predict_proba")
age_effect = result["average"][0][1] - result["average"][0][0]
""",
        """
def average_risk(age):
    return model.predict_proba(X_test.assign(age=float(age)))[:, 1].mean()
age_effect = average_risk(80) - average_risk(50)
""",
        """
ice_80 = model.predict_proba(X_test.assign(age=80))[:, 1]     # one ICE point per patient
ice_50 = model.predict_proba(X_test.assign(age=50))[:, 1]
age_effect = float(np.mean(ice_80 - ice_50))                 # the mean of the ICE rises is the PD rise
""",
    ],
    explanation="The same patients, aged 80 instead of 50, have on average this much higher predicted risk: a "
                "statement about the model, averaged, that hides how much it varies from patient to patient (ICE).",
)


# --------------------------------------------------------------------------------------
# Q4 reflection
# --------------------------------------------------------------------------------------


q4 = ReflectionProblem(
    title="Q4 reflection: an explanation for a refused applicant",
    answer_name="my_answer",
    hints=[
        "What does GDPR Article 22 give an applicant refused by a fully automated decision, and what does "
        "Recital 71 add?",
        "A SHAP explanation shows what the model relied on. Does it show that the decision was fair? Who else "
        "could read the explanation, and for how long is it kept?",
    ],
    reference="",
    discussion=(
        "A refusal decided solely by the model, with a legal or similarly significant effect, falls under Art. 22: "
        "the lender may rely on it only under an exception of Art. 22(2) (necessary for the contract, authorised by "
        "law, or explicit consent); under the contract and consent exceptions it must at least let the applicant "
        "obtain human intervention, express their point of view and contest the decision (Art. 22(3)), and under "
        "the law exception the law itself must lay down suitable safeguards. Arts. 13(2)(f), 14(2)(g) and 15(1)(h) "
        "require meaningful information about the logic involved and the significance and envisaged consequences, "
        "which the CJEU reads as the procedure and principles actually applied, so that the applicant can see which "
        "of their data were used and how (C-203/22 Dun & Bradstreet Austria, 2025); "
        "Recital 71 adds, as non-binding guidance, the right to obtain an explanation of the decision reached after "
        "such assessment. If the lender relies strongly on a score bought from a credit agency, the scoring itself "
        "can be the automated decision (CJEU, C-634/21 SCHUFA, 2023). A useful answer to the applicant is a short, "
        "truthful list of the factors that weighed most, in words (high debt ratio, recent late payments), with "
        "what could change the outcome, plus the route to a human reviewer. Read the explanation critically before "
        "sending it: if zip_area appears, the model is using a proxy for group and the decision may be "
        "discriminatory, which the explanation reveals but does not excuse; if it does not appear, that does not "
        "prove fairness (measure group outcomes, lesson 07), and explanations can be manipulated (Slack et al. "
        "2020). Finally, the stored explanation is the applicant's personal data (it reveals their finances and "
        "area): log it only for the purpose (answering and auditing the decision), restrict access, keep it no "
        "longer than the contest period requires, and monitor the model with aggregated importances instead of "
        "per-person logs."
    ),
)
