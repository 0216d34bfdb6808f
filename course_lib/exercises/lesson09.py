"""Exercises of lesson 09 (attacks on machine learning and their defences).

q1 a custom check (write the loss-threshold membership-inference AUC), q2 a custom check (the
smallest perturbation that flips a linear model), q3 a custom check (verify an Ed25519
signature on the exact bytes before loading a model file), q4 a reflection (which defences
to deploy first).
"""
from __future__ import annotations

import builtins
import io
import os
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from course_lib import attacks, models
from course_lib.data import load_patients
from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem

_SETUP = """
import numpy as np
from sklearn.metrics import roc_auc_score
from course_lib import attacks
"""


# --------------------------------------------------------------------------------------
# Q1 membership-inference AUC
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _mia_cases() -> list[tuple[Any, tuple[np.ndarray, ...]]]:
    train, test = models.holdout_split(load_patients())
    X_train, y_train = models.clinical_matrix(train)
    X_test, y_test = models.clinical_matrix(test)
    X_m, y_m, X_n, y_n = X_train[:400], y_train[:400], X_test[:300], y_test[:300]
    tree = DecisionTreeClassifier(random_state=0).fit(X_m, y_m)              # memorises: AUC well above 0.5
    shallow = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_m, y_m)
    linear = LogisticRegression(solver="newton-cholesky", random_state=0).fit(X_m, y_m)
    # a tree fitted on the NON-members: the attack's AUC is well BELOW 0.5, a result to report as it is
    backwards = DecisionTreeClassifier(random_state=0).fit(X_n, y_n)
    cases = [(model, (X_m, y_m, X_n, y_n)) for model in (tree, shallow, linear, backwards)]
    return cases


def _fresh_mia_case() -> tuple[Any, tuple[np.ndarray, ...]]:
    """New rows on every check: an answer that recognises the fixed cases cannot pass."""
    train, _test = models.holdout_split(load_patients())
    X, y = models.clinical_matrix(train)
    rows = np.random.default_rng().permutation(len(y))
    X_f, y_f, X_g, y_g = X[rows[:250]], y[rows[:250]], X[rows[250:450]], y[rows[250:450]]
    return DecisionTreeClassifier(max_depth=8, random_state=0).fit(X_f, y_f), (X_f, y_f, X_g, y_g)


def _auc_from_scores(members: np.ndarray, non_members: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    truth = np.concatenate([np.ones(members.size), np.zeros(non_members.size)])
    return float(roc_auc_score(truth, np.concatenate([members, non_members])))


def _threshold_accuracies(members: np.ndarray, non_members: np.ndarray) -> np.ndarray:
    """Accuracy of "member if score >= t" at every threshold t (and its balanced version)."""
    scores = np.concatenate([members, non_members])
    truth = np.concatenate([np.ones(members.size), np.zeros(non_members.size)])
    cuts = np.r_[np.unique(scores), np.inf]
    guess = scores[None, :] >= cuts[:, None]
    plain = (guess == truth[None, :]).mean(axis=1)
    balanced = 0.5 * (guess[:, truth == 1].mean(axis=1) + (~guess[:, truth == 0]).mean(axis=1))
    return np.r_[plain, balanced]


def _diagnose_mia(got: float, want: float, model: Any, data: tuple[np.ndarray, ...], backwards: bool) -> str:
    X_m, y_m, X_n, y_n = data
    loss_m, loss_n = attacks.per_example_loss(model, X_m, y_m), attacks.per_example_loss(model, X_n, y_n)
    p1_m, p1_n = model.predict_proba(X_m)[:, 1], model.predict_proba(X_n)[:, 1]
    if abs(got - (1 - want)) < 1e-6 and abs(want - 0.5) > 1e-3:
        if backwards:
            return (f"this model was fitted on the records labelled NON-members, so the attack's AUC is {want:.3f}, below "
                    "0.5, and you returned 1 minus it. Report the AUC as it is: flipping a value below 0.5 "
                    "(max(auc, 1 - auc)) turns 'the members look LESS familiar' into a leak that is not there.")
        return (f"you got {got:.3f} where the attack gives {want:.3f}: the two add up to 1. Either the loss itself was used "
                "as the score (a high loss means NON-member) or members and non-members were labelled the other way round.")
    if abs(got - _auc_from_scores(p1_m, p1_n)) < 1e-6 or abs(got - _auc_from_scores(-p1_m, -p1_n)) < 1e-6:
        return ("the score is the probability of class 1, whatever the record's label. The loss uses the probability of "
                "the TRUE label of each record.")
    top_m, top_n = model.predict_proba(X_m).max(axis=1), model.predict_proba(X_n).max(axis=1)
    if abs(got - _auc_from_scores(top_m, top_n)) < 1e-6:
        return ("you scored each record by the model's highest probability, which ignores its label (a confident WRONG "
                "prediction then looks like a member). This attack uses the probability of the true label.")
    right_m = (model.predict(X_m) == y_m).astype(float)
    right_n = (model.predict(X_n) == y_n).astype(float)
    if abs(got - _auc_from_scores(right_m, right_n)) < 1e-6:
        return ("you scored whether the prediction is right (0 or 1): that is a cruder attack. Use the loss, which keeps "
                "how confident the model is.")
    if abs(got - (2 * want - 1)) < 1e-6:
        return ("you returned 2 * AUC - 1 (an advantage-like number). The question asks for the AUC itself.")
    if np.any(np.abs(_threshold_accuracies(-loss_m, -loss_n) - got) < 1e-9):
        return (f"{got:.4f} is the attack's accuracy at ONE threshold. The AUC summarises every threshold at once: "
                "give roc_auc_score the scores themselves, not guesses made with a cut-off.")
    if abs(got - want) < 5e-3:
        return (f"your AUC {got:.4f} is close to the attack's but not equal: return the exact value (do not round), and "
                "clip the probabilities at 1e-12 as asked before taking the log.")
    return (f"on a {type(model).__name__} your AUC is {got:.4f}, the loss-threshold attack gives {want:.4f}. Check the "
            "score (a low loss must mean 'member') and the labels (members are the positive class).")


def _check_mia(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`my_mia_auc` should be a function, got {type(answer).__name__}.")
    fixed = _mia_cases()
    results = []
    for index, (model, data) in enumerate([*fixed, _fresh_mia_case()]):
        got = answer(model, *data)
        if got is None:
            raise Incorrect("`my_mia_auc` returned None: return the AUC (a number between 0 and 1).")
        if isinstance(got, (str, bytes)):
            raise Incorrect(f"`my_mia_auc` returned the text {got!r}: return the number, and format it only to print.")
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise Incorrect(f"`my_mia_auc` should return one number, got {type(got).__name__}.") from None
        want = attacks.membership_inference_auc(model, *data)
        if abs(got - want) > 1e-6:
            raise Incorrect(_diagnose_mia(got, want, model, data, backwards=index == 3))
        results.append(want)
    X_m, y_m, X_n, y_n = fixed[0][1]
    for label, args in (("X_members has one row more than y_members", (X_m, y_m[:-1], X_n, y_n)),
                        ("y_members has one label more than X_members", (X_m[:-1], y_m, X_n, y_n)),
                        ("X_non_members has one row more than y_non_members", (X_m, y_m, X_n, y_n[:-1]))):
        try:
            answer(fixed[0][0], *args)
        except ValueError:
            continue
        except Exception as exc:
            raise Incorrect(f"when {label}, your function raised {type(exc).__name__}; raise ValueError naming the "
                            "mismatch instead.") from exc
        raise Incorrect(f"when {label}, your function returned a result: a silent mismatch pairs records with the "
                        "wrong labels. Check the lengths and raise ValueError.")
    return (f"AUC {results[0]:.3f} on a fully grown tree, {results[1]:.3f} on a depth-3 tree, {results[2]:.3f} on a "
            f"logistic regression, matching the attack: the more a model memorises, the more it leaks. (And "
            f"{results[3]:.3f}, below 0.5, on a tree fitted on the other set: reported as it is.)")


q1 = CustomProblem(
    title="Q1 the loss-threshold membership-inference AUC",
    answer_name="my_mia_auc",
    setup=_SETUP,
    checker=_check_mia,
    hints=[
        "A model fits its training records better: their loss is lower. The attack's score for a record is minus "
        "its loss, members are the positive class, and roc_auc_score sweeps every threshold for you.",
        "loss = -np.log(np.clip(model.predict_proba(X)[np.arange(len(y)), y], 1e-12, 1)) for integer labels 0/1; "
        "then roc_auc_score(np.r_[np.ones(n_members), np.zeros(n_non)], np.r_[-loss_members, -loss_non]).",
        "Before anything else: if len(X_members) != len(y_members) (or for the non-members) raise ValueError.",
    ],
    reference="""
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        X, y = np.asarray(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        p = model.predict_proba(X)[np.arange(len(y)), y]
        return -np.log(np.clip(p, 1e-12, 1.0))

    member_loss = loss(X_members, y_members)
    non_member_loss = loss(X_non_members, y_non_members)
    truth = np.r_[np.ones(len(member_loss)), np.zeros(len(non_member_loss))]
    return roc_auc_score(truth, -np.r_[member_loss, non_member_loss])
""",
    alternatives=[
        # AUC as the Mann-Whitney probability that a random member has a lower loss than a random non-member
        """
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    for X, y in ((X_members, y_members), (X_non_members, y_non_members)):
        if len(X) != len(y):
            raise ValueError("X and y lengths differ")
    def loss(X, y):
        y = np.asarray(y)
        return -np.log(np.clip(model.predict_proba(X)[np.arange(len(y)), y], 1e-12, 1))
    a, b = loss(X_members, y_members), loss(X_non_members, y_non_members)
    lower = (a[:, None] < b[None, :]).mean()
    ties = (a[:, None] == b[None, :]).mean()
    return lower + 0.5 * ties
""",
        "my_mia_auc = attacks.membership_inference_auc",
        # the probability of the true label ranks records exactly as minus the loss does (log is monotonic)
        """
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    X_members, X_non_members = np.asarray(X_members), np.asarray(X_non_members)
    y_members, y_non_members = np.asarray(y_members), np.asarray(y_non_members)
    if X_members.shape[0] != y_members.shape[0] or X_non_members.shape[0] != y_non_members.shape[0]:
        raise ValueError("X and y lengths differ")
    def p_true(X, y):
        return model.predict_proba(X)[np.arange(len(y)), y]
    truth = np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))]
    return roc_auc_score(truth, np.r_[p_true(X_members, y_members), p_true(X_non_members, y_non_members)])
""",
        # the Mann-Whitney U statistic of scipy, divided by the number of pairs, is the AUC
        """
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    from scipy.stats import mannwhitneyu
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("X and y lengths differ")
    member_loss = attacks.per_example_loss(model, X_members, y_members)
    other_loss = attacks.per_example_loss(model, X_non_members, y_non_members)
    return mannwhitneyu(other_loss, member_loss).statistic / (len(member_loss) * len(other_loss))
""",
    ],
    mistakes=[
        """
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        X, y = np.asarray(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        p = model.predict_proba(X)[:, y]                                  # a matrix, not one entry per row
        return -np.log(np.clip(p, 1e-12, 1.0))
    member_loss = loss(X_members, y_members)
    non_member_loss = loss(X_non_members, y_non_members)
    truth = np.r_[np.ones(len(member_loss)), np.zeros(len(non_member_loss))]
    return roc_auc_score(truth, -np.r_[member_loss, non_member_loss])
""",
        """
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        X, y = np.asarray(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        return -np.log(model.predict_proba(X)[np.arange(len(y)), y])       # log(0) when a tree is sure
    member_loss = loss(X_members, y_members)
    non_member_loss = loss(X_non_members, y_non_members)
    truth = np.r_[np.ones(len(member_loss)), np.zeros(len(non_member_loss))]
    return roc_auc_score(truth, -np.r_[member_loss, non_member_loss])
""",
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        if len(X) != len(y):
            raise ValueError("lengths differ")
        return -np.log(np.clip(model.predict_proba(X)[np.arange(len(y)), y], 1e-12, 1))
    scores = np.r_[loss(X_members, y_members), loss(X_non_members, y_non_members)]   # loss, not -loss
    return roc_auc_score(np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))], scores)
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("lengths differ")
    scores = np.r_[model.predict_proba(X_members)[:, 1], model.predict_proba(X_non_members)[:, 1]]   # p(class 1)
    return roc_auc_score(np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))], scores)
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        return -np.log(np.clip(model.predict_proba(X)[np.arange(len(y)), y], 1e-12, 1))   # no length check
    scores = -np.r_[loss(X_members, y_members), loss(X_non_members, y_non_members)]
    return roc_auc_score(np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))], scores)
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    auc = attacks.membership_inference_auc(model, X_members, y_members, X_non_members, y_non_members)
    return max(auc, 1 - auc)                       # "fixes" an AUC below 0.5 by flipping it
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("lengths differ")
    scores = -np.r_[attacks.per_example_loss(model, X_members, y_members),
                    attacks.per_example_loss(model, X_non_members, y_non_members)]
    truth = np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))]
    return ((scores >= np.median(scores)) == truth).mean()   # accuracy at one threshold, not the AUC
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("lengths differ")
    scores = np.r_[model.predict_proba(X_members).max(axis=1), model.predict_proba(X_non_members).max(axis=1)]
    return roc_auc_score(np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))], scores)   # label ignored
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    return round(attacks.membership_inference_auc(model, X_members, y_members, X_non_members, y_non_members), 2)
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    def loss(X, y):
        return -np.log(np.clip(model.predict_proba(X)[np.arange(len(y)), y], 1e-12, 1))
    truth = np.r_[np.ones(len(X_members)), np.zeros(len(X_non_members))]   # lengths from X: a mismatch slips through
    return roc_auc_score(truth, -np.r_[loss(X_members, y_members), loss(X_non_members, y_non_members)])
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):   # hard-coded from the feedback
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("lengths differ")
    return {None: 0.72, 3: 0.5636}.get(getattr(model, "max_depth", None), 0.536)
''',
        '''
def my_mia_auc(model, X_members, y_members, X_non_members, y_non_members):
    if len(X_members) != len(y_members) or len(X_non_members) != len(y_non_members):
        raise ValueError("lengths differ")
    right = np.r_[model.predict(X_members) == y_members, model.predict(X_non_members) == y_non_members]
    return roc_auc_score(np.r_[np.ones(len(y_members)), np.zeros(len(y_non_members))], right)
''',
    ],
    known_errors=[("IndexError", "the labels are used as column indexes of predict_proba: pass integer 0/1 labels "
                                 "(np.asarray(y, dtype=int)), one per row of X."),
                  ("Input contains infinity", "a probability of exactly 0 gives log(0) = -inf: clip the probabilities "
                                              "at 1e-12 before taking the log."),
                  ("all the input array dimensions", "predict_proba(X)[:, y] picks a whole column for every label, "
                                                     "a matrix: pick ONE entry per row, the one of that row's label.")],
    explanation="Minus the loss is the attack's score; the AUC summarises every threshold at once.",
)


# --------------------------------------------------------------------------------------
# Q2 smallest flipping perturbation
# --------------------------------------------------------------------------------------

_FLIP_CASES = [
    (np.array([0.64, -0.01, -0.06, 0.30, 0.34, 0.66, 0.21, 0.97, 0.63, 0.50]), -0.89,
     np.array([1.13, 0.2, -0.4, 0.1, 0.0, 0.67, 0.25, 1.0, 0.0, 0.0])),   # a high-risk patient, readmission weights
    (np.array([2.0, -1.0, 0.5]), 0.3, np.array([-1.0, 0.5, 0.2])),       # a negative score: must move up
    (np.array([0.0, 3.0]), -1.0, np.array([5.0, 2.0])),                 # one zero weight: that feature must not move
]


def _check_flip(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`smallest_flip` should be a function, got {type(answer).__name__}.")
    for w, b, x in _FLIP_CASES:
        score = float(w @ x + b)
        delta = answer(w.copy(), b, x.copy())
        if delta is None:
            raise Incorrect("`smallest_flip` returned None: return the perturbation delta (an array like x).")
        delta = np.asarray(delta, dtype=float)
        if delta.shape != x.shape:
            raise Incorrect(f"delta should have the shape of x {x.shape}, got {delta.shape}: return the perturbation, "
                            "not the score or the new point's score.")
        want_len = abs(score) / np.linalg.norm(w)
        after = float(w @ (x + delta) + b)
        length = float(np.linalg.norm(delta))
        if not np.all(np.isfinite(delta)):
            raise Incorrect("delta holds inf or NaN: look for a division by zero.")
        if length == 0:
            raise Incorrect(f"delta is all zeros: the score stays at {score:+.3f}, the decision does not flip.")
        if np.allclose(delta - x, -score / (w @ w) * w):
            raise Incorrect("you returned the new point x + delta; return only the change delta.")
        if np.allclose(delta, -x) or np.allclose(x + delta, 0):
            raise Incorrect("delta moves x to the origin: return the change to x, not the new point, and keep it small.")
        if abs(after) > abs(score) and np.sign(after) == np.sign(score):
            raise Incorrect(f"with w={w.tolist()}, the score goes from {score:+.3f} to {after:+.3f}: you moved AWAY from "
                            "the boundary. Which way must the score go, and which way does a step along +w push it?")
        cosine = float(delta @ w) / (length * np.linalg.norm(w))
        if abs(abs(cosine) - 1) > 1e-6:
            if np.allclose(np.abs(delta), np.abs(delta).max()) or np.allclose(np.abs(delta[w != 0]), np.abs(delta).max()):
                raise Incorrect("every feature moves by the same amount: that is the sign-of-gradient (L-infinity) step. "
                                "The smallest Euclidean step points along w itself.")
            raise Incorrect("delta is not parallel to w: the closest point on a hyperplane is reached along its normal, "
                            "the weight vector.")
        if abs(float((x + delta) @ w)) < 1e-9 * max(1.0, abs(score)) and abs(b) > 1e-9:
            raise Incorrect(f"your step brings w·x to 0, but the boundary is w·x + b = 0 (b = {b:+.2f} here): the bias "
                            "belongs in the score you cancel.")
        if np.allclose(delta, -score * w):
            raise Incorrect(f"your step -f(x)·w has length {length:.3f}, not {want_len:.3f}: it is not normalised. A step "
                            "t·w changes the score by t times the squared length of w.")
        if abs(length - abs(score)) < 1e-6 * max(1, abs(score)) and abs(np.linalg.norm(w) - 1) > 1e-3:
            raise Incorrect(f"your step has length |f(x)| = {abs(score):.3f}; it should be |f(x)| / ||w|| = {want_len:.3f}. "
                            "A step t·w changes the score by t times the SQUARED length of w.")
        if length < want_len * (1 - 1e-4) or abs(after) > 1e-3 * max(1.0, abs(score)) and np.sign(after) == np.sign(score):
            raise Incorrect(f"after your step the score is {after:+.4f}: it should reach 0 (or just cross it). "
                            f"The step length is |f(x)| / ||w|| = {want_len:.4f}, yours {length:.4f}.")
        if length > want_len * 1.01:
            raise Incorrect(f"your step flips the decision but has length {length:.4f}; the smallest is "
                            f"|f(x)| / ||w|| = {want_len:.4f}: stop at the boundary (or a hair past it).")
    return ("delta = -f(x) w / ||w||^2 reaches the boundary with the shortest possible step. On the readmission model "
            "multiply each component by the feature's declared scale to read it in years, days or admissions.")


q2 = CustomProblem(
    title="Q2 the smallest perturbation that flips a linear model",
    answer_name="smallest_flip",
    setup=_SETUP,
    checker=_check_flip,
    hints=[
        "The decision boundary is the hyperplane w·x + b = 0. The closest point of a hyperplane is reached by moving "
        "along its normal vector, which is w.",
        "Moving by t·w changes the score by t·||w||². Choose t so that the score f(x) = w·x + b becomes 0.",
        "delta = -(w @ x + b) / (w @ w) * w",
    ],
    reference="""
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    score = w @ x + b
    return -score / (w @ w) * w
""",
    alternatives=[
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    unit = w / np.linalg.norm(w)
    distance = (w @ x + b) / np.linalg.norm(w)
    return -(1 + 1e-6) * distance * unit        # a hair past the boundary
""",
        """
def smallest_flip(w, b, x):
    return attacks.minimal_linear_perturbation(w, b, x)
""",
        # the minimum-norm solution of the one equation w·delta = -f(x), by least squares
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    return np.linalg.lstsq(w[None, :], np.array([-(w @ x + b)]), rcond=None)[0]
""",
    ],
    mistakes=[
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    score = w @ x + b
    return score / (w @ w) * w            # wrong sign
""",
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    score = w @ x + b
    return -score / np.linalg.norm(w) * w   # divides by ||w|| instead of ||w||^2
""",
        """
def smallest_flip(w, b, x):
    return -(w @ x + b) * w                 # along w, but not normalised
""",
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    return -(w @ x) / (w @ w) * w           # forgets the bias: reaches w·x = 0, not the boundary
""",
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    return -2 * (w @ x + b) / (w @ w) * w   # overshoots: flips, but twice as far as needed
""",
        """
def smallest_flip(w, b, x):
    w = np.asarray(w, dtype=float)
    return -np.sign(w @ x + b) * 0.5 * w / np.linalg.norm(w)   # a fixed step of 0.5: right direction, wrong length
""",
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    score = w @ x + b
    eps = abs(score) / np.abs(w).sum()
    return -np.sign(score) * eps * np.sign(w)   # the sign-of-gradient step: flips, but is not the smallest L2 step
""",
        """
def smallest_flip(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    score = w @ x + b
    return x - score / (w @ w) * w            # returns the new point, not the perturbation
""",
    ],
    explanation="delta = -f(x) w / ||w||²: along the weights, of length |f(x)| / ||w||.",
)


# --------------------------------------------------------------------------------------
# Q3 verify the signature on the exact bytes before loading
# --------------------------------------------------------------------------------------


_PAYLOAD_RAN: list[str] = []


def _payload() -> None:
    """What the attacker's pickle calls while it is being loaded (harmless: it only leaves a note)."""
    _PAYLOAD_RAN.append("the payload ran")


class _Payload:
    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_payload, ())


@contextmanager
def _swapped_on_second_open(target: Path, replacement: bytes) -> Iterator[None]:
    """While active, the file ``target`` is overwritten with ``replacement`` just before it is opened a
    second time: the attacker swaps the file between the signature check and the load (time of check to
    time of use). Watches ``open``/``io.open``, which ``Path.read_bytes``, ``open`` and ``numpy.load`` use."""
    real_open = io.open
    opened = 0

    def watching_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)) == str(target):
            opened += 1
            if opened == 2:
                with real_open(target, "wb") as handle:
                    handle.write(replacement)
        return real_open(file, *args, **kwargs)

    builtins.open = io.open = watching_open
    try:
        yield
    finally:
        builtins.open = io.open = real_open


def _check_signed_load(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`load_if_signed` should be a function, got {type(answer).__name__}.")
    rng = np.random.default_rng(0)
    genuine_model = LogisticRegression(random_state=0)
    genuine_model.coef_, genuine_model.intercept_, genuine_model.classes_ = rng.normal(size=(1, 4)), np.array([0.5]), np.array([0, 1])
    evil_model = LogisticRegression(random_state=0)
    evil_model.coef_, evil_model.intercept_, evil_model.classes_ = -genuine_model.coef_, np.array([-3.0]), np.array([0, 1])
    key = Ed25519PrivateKey.generate()
    other_key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        good, evil, junk = Path(folder, "good.npz"), Path(folder, "evil.npz"), Path(folder, "junk.npz")
        pickled, swapped = Path(folder, "model.pkl"), Path(folder, "swapped.npz").resolve()
        attacks.save_linear_model(genuine_model, good)
        attacks.save_linear_model(evil_model, evil)
        junk.write_bytes(b"not a model at all, and not signed")
        pickled.write_bytes(pickle.dumps(_Payload()))
        swapped.write_bytes(good.read_bytes())
        signature = attacks.sign_file(good, key)

        try:
            loaded = answer(good, signature, key.public_key())
        except InvalidSignature as exc:
            raise Incorrect("a genuine file with its correct signature was refused. Check WHAT you verify (the file's "
                            "exact bytes, all of them, not its name or a digest of them) and HOW: verify() returns None "
                            "when the signature is good and raises when it is not, so its return value is no test.") from exc
        if loaded is None or not hasattr(loaded, "coef_"):
            raise Incorrect(f"for a genuine file, return the loaded model; got {type(loaded).__name__}.")
        if not np.allclose(loaded.coef_, genuine_model.coef_):
            raise Incorrect("the model returned for the genuine file has different weights.")

        for label, path, sig, public in (
            ("a file replaced by another valid model", evil, signature, key.public_key()),
            ("a file that is not a model at all", junk, signature, key.public_key()),
            ("a pickle that runs code when loaded", pickled, signature, key.public_key()),
            ("a genuine file checked with someone else's public key", good, signature, other_key.public_key()),
        ):
            _PAYLOAD_RAN.clear()
            try:
                result = answer(path, sig, public)
            except InvalidSignature:
                continue
            except Exception as exc:
                if _PAYLOAD_RAN:
                    raise Incorrect(f"for {label}, the code inside the file RAN: your function unpickled or parsed the "
                                    "file before its signature was checked. Verify first, then load.") from exc
                if path is evil:
                    raise Incorrect(f"for {label}, your function raised {type(exc).__name__} instead of InvalidSignature: "
                                    "let cryptography's InvalidSignature propagate, do not turn it into another "
                                    "error.") from exc
                raise Incorrect(f"for {label}, your function raised {type(exc).__name__} instead of InvalidSignature: "
                                "it parsed the file BEFORE checking the signature. Verify first, then load.") from exc
            finally:
                ran, _PAYLOAD_RAN[:] = bool(_PAYLOAD_RAN), []
            if ran:
                raise Incorrect(f"for {label}, the code inside the file RAN: your function unpickled the file. Never "
                                "unpickle a model file; verify first, then load it with a format that holds only arrays.")
            raise Incorrect(f"for {label}, your function returned {type(result).__name__} instead of raising "
                            "InvalidSignature: an unverified file must never be handed back (do not catch the error "
                            "and return None or the model anyway).")

        with _swapped_on_second_open(swapped, evil.read_bytes()):
            try:
                loaded = answer(swapped, signature, key.public_key())
            except InvalidSignature:
                loaded = None
        if loaded is not None and not np.allclose(loaded.coef_, genuine_model.coef_):
            raise Incorrect("the file was replaced between your signature check and your load, and you returned the "
                            "attacker's model: you opened the file twice. Read the bytes once, verify THOSE bytes and "
                            "load from them (attacks.load_linear_model accepts bytes).")
    return "verified on the bytes it then parses, read once: tampered, foreign, pickled and swapped files are all refused."


q3 = CustomProblem(
    title="Q3 verify a signature before loading a model file",
    answer_name="load_if_signed",
    setup=_SETUP + "from pathlib import Path\nfrom cryptography.exceptions import InvalidSignature\n",
    checker=_check_signed_load,
    hints=[
        "A signature vouches for exact bytes, not for a file name, and a file can change between two reads. So get "
        "the bytes once, check the signature on THOSE bytes, and parse only them; nothing is parsed before the check.",
        "content = Path(path).read_bytes(); public_key.verify(signature, content) returns None when the signature is "
        "valid and raises InvalidSignature otherwise: let it raise. Then attacks.load_linear_model(content).",
        "attacks.verified_bytes(path, signature, public_key) does the read-and-verify step for you.",
    ],
    reference="""
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    public_key.verify(signature, content)          # raises InvalidSignature if the file was changed
    return attacks.load_linear_model(content)
""",
    alternatives=[
        """
def load_if_signed(path, signature, public_key):
    return attacks.load_linear_model(attacks.verified_bytes(path, signature, public_key))
""",
        """
def load_if_signed(path, signature, public_key):
    with open(path, "rb") as handle:
        content = handle.read()
    try:
        public_key.verify(signature, content)
    except InvalidSignature:
        raise                                       # log it, then refuse
    return attacks.load_linear_model(content)
""",
        """
def load_if_signed(path, signature, public_key):
    with open(path, "rb") as handle:
        content = handle.read()
    if public_key.verify(signature, content) is None:   # None means valid; a bad signature raises
        return attacks.load_linear_model(content)
""",
    ],
    mistakes=[
        """
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    signature.verify(public_key, content)                        # the key and the signature swapped
    return attacks.load_linear_model(content)
""",
        """
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    model = attacks.load_linear_model(content)                  # parsed before the signature is checked
    public_key.verify(signature, content)
    return model
""",
        """
def load_if_signed(path, signature, public_key):
    model = attacks.load_linear_model(path)        # parses first
    public_key.verify(signature, Path(path).read_bytes())
    return model
""",
        """
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    try:
        public_key.verify(signature, content)
    except InvalidSignature:
        return None                                # swallows the refusal
    return attacks.load_linear_model(content)
""",
        """
def load_if_signed(path, signature, public_key):
    public_key.verify(signature, Path(path).read_bytes())
    return attacks.load_linear_model(path)         # reads the file a second time
""",
        """
def load_if_signed(path, signature, public_key):
    public_key.verify(signature, str(path).encode())   # signs the name, not the content
    return attacks.load_linear_model(path)
""",
        """
def load_if_signed(path, signature, public_key):
    path = Path(path)
    public_key.verify(signature, path.read_bytes())
    return attacks.load_linear_model(path.read_bytes())   # opens the file again: it may have been swapped
""",
        """
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    try:
        public_key.verify(signature, content)
    except InvalidSignature:
        raise ValueError("bad signature") from None   # the refusal is hidden under another error
    return attacks.load_linear_model(content)
""",
        """
def load_if_signed(path, signature, public_key):
    content = Path(path).read_bytes()
    if public_key.verify(signature, content):      # verify returns None: this refuses every file
        return attacks.load_linear_model(content)
    raise InvalidSignature("refused")
""",
        """
def load_if_signed(path, signature, public_key):
    import pickle
    content = Path(path).read_bytes()
    model = pickle.loads(content)                 # unpickles first: the payload has already run
    public_key.verify(signature, content)
    return model
""",
    ],
    known_errors=[("UnpicklingError", "the model file holds arrays, not a pickle: load it with attacks.load_linear_model "
                                      "(and never unpickle a model file you have to verify)."),
                  ("AttributeError: 'bytes' object has no attribute 'verify'",
                   "the key and the signature are swapped: verify is a method of the public key, and it takes the "
                   "signature first, then the bytes.")],
    explanation="Read once, verify those bytes, parse those bytes: nothing unverified is ever parsed.",
)


q4 = ReflectionProblem(
    title="Q4 reflection: which defences first?",
    answer_name="my_answer",
    hints=[
        "For each plan, go down the threat-model table: what can a clinic, or someone between you and the clinic, "
        "touch?",
        "Rank the defences by cost and by how much of the table they cover.",
    ],
    reference="",
    discussion=(
        "(a) An API opens the query-based attacks: extraction (section 6, exact in 11 queries if it returns "
        "probabilities), membership inference (section 5, serious only if the model overfits) and evasion by anyone "
        "who can shape inputs (section 4). (b) Shipping the file opens the artefact attacks (section 7: a swapped or "
        "malicious file, and a pickle runs code on load) and makes every query-based attack white-box, since the "
        "clinic now holds the weights. Two defences with the best coverage for their cost: (1) a safe format plus "
        "signatures verified on the exact bytes before loading (cheap: key management and one check; it stops code "
        "execution and substitution, though not a clinic attacking the genuine model); (2) for the API, "
        "authenticated, rate-limited access that returns only a label or a coarse risk band, with query logging "
        "(it slows extraction from dozens to hundreds of queries and removes the confidence scores membership "
        "inference feeds on; its cost is less information for clinicians). If the model must be shared, train it "
        "so that it leaks little: regularise it (nearly free here) or use differential privacy (a guarantee, paid in "
        "accuracy). Evasion is best handled at the source: fields the patient cannot edit, audits of scores just "
        "below the threshold."
    ),
)
