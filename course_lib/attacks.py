"""Lesson 09 (attacks on machine learning and their defences): each attack, then a measured defence.

What this module teaches, read top to bottom. Every attack is small enough to read; every
defence returns something the lesson can measure (accuracy kept, rows removed, queries needed).

1. **Data poisoning by label flipping** (:func:`flip_labels`): an attacker who can edit a
   share of the training labels. Random flips barely hurt a linear model; flips chosen where
   the model is most confident do (Biggio, Nelson & Laskov, *Poisoning Attacks against
   Support Vector Machines*, ICML 2012). Defence: :func:`trimmed_loss_fit`, iterative
   trimmed-loss minimisation (Shen & Sanghavi, *Learning with Bad Training Data via
   Iterative Trimmed Loss Minimization*, ICML 2019): refit on the rows the model fits best.
2. **A backdoor** (:func:`add_trigger`, :func:`backdoor_poison`,
   :func:`attack_success_rate`): a few training rows carry a trigger pattern and the
   attacker's label, so the model obeys the trigger while its clean accuracy stays (Gu,
   Dolan-Gavitt & Garg, *BadNets*, 2017; Chen et al., *Targeted Backdoor Attacks on Deep
   Learning Systems Using Data Poisoning*, 2017). Detection: :func:`spectral_signature_flags`
   (Tran, Li & Madry, *Spectral Signatures in Backdoor Attacks*, NeurIPS 2018).
3. **Evasion of a linear model** (:func:`minimal_linear_perturbation`): the smallest L2
   change of the input that flips ``w.x + b`` lies along ``w``; :func:`robust_accuracy_linear`
   measures accuracy under the worst L-infinity perturbation (exact for a linear model) and
   :func:`adversarial_training_linear` minimises the worst-case (robust) logistic loss
   (Goodfellow, Shlens & Szegedy, *Explaining and Harnessing Adversarial Examples*, ICLR 2015).
4. **Membership inference** (:func:`per_example_loss`, :func:`membership_inference_auc`,
   :func:`membership_inference_tpr_at_fpr`, :func:`membership_advantage_bound`): the
   loss-threshold attack of Yeom, Giacomelli, Fredrikson & Jha, *Privacy Risk in Machine
   Learning: Analyzing the Connection to Overfitting*, CSF 2018; their Theorem 1 bounds any
   attack's advantage under epsilon-DP. Its AUC, and its TPR at a low FPR, which shows the
   few patients an attack is sure about (Carlini et al., IEEE S&P 2022).
5. **Model extraction** (:func:`prediction_api`, :func:`extract_linear_model`,
   :func:`agreement`): a surrogate trained only on a prediction API's answers (Tramèr, Zhang,
   Juels, Reiter & Ristenpart, *Stealing Machine Learning Models via Prediction APIs*,
   USENIX Security 2016).
6. **Model files** (:func:`save_linear_model`, :func:`load_linear_model`, :func:`sign_file`,
   :func:`verified_bytes`): a format that stores arrays and cannot run code on load, and
   Ed25519 signatures (``cryptography``) checked on the exact bytes before they are parsed.

Everything random takes ``rng`` (a ``numpy.random.Generator``); nothing is printed; files
are written only where the caller says.
"""
from __future__ import annotations

import io
import numbers
import os
import zipfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from scipy import optimize
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from threadpoolctl import ThreadpoolController  # a scikit-learn dependency

from course_lib import _checks

__all__ = [
    "flip_labels",
    "trimmed_loss_fit",
    "add_trigger",
    "backdoor_poison",
    "attack_success_rate",
    "spectral_signature_flags",
    "minimal_linear_perturbation",
    "robust_accuracy_linear",
    "adversarial_training_linear",
    "per_example_loss",
    "membership_inference_auc",
    "membership_inference_tpr_at_fpr",
    "membership_advantage_bound",
    "prediction_api",
    "extract_linear_model",
    "agreement",
    "save_linear_model",
    "load_linear_model",
    "sign_file",
    "verified_bytes",
]


# --------------------------------------------------------------------------------------
# shared validation
# --------------------------------------------------------------------------------------


def _matrix(name: str, X: Any) -> np.ndarray:
    array = _checks.finite_array(name, X, ndim=2)
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} must have at least one row and one column, got shape {array.shape}")
    return array


def _labels(name: str, y: Any) -> np.ndarray:
    array = _checks.finite_array(name, y, ndim=1)
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one label, got none")
    if not np.all(np.isin(array, (0, 1))):
        bad = sorted(set(array[~np.isin(array, (0, 1))].tolist()))[:5]
        raise ValueError(f"{name} must hold only the labels 0 and 1, got {bad}")
    return array.astype(int)


def _paired(x_name: str, X: Any, y_name: str, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X_arr, y_arr = _matrix(x_name, X), _labels(y_name, y)
    if X_arr.shape[0] != y_arr.size:
        raise ValueError(f"{x_name} and {y_name} must have the same length, got {X_arr.shape[0]} rows and {y_arr.size} labels")
    return X_arr, y_arr


def _fraction(name: str, value: Any, *, maximum: float = 1.0) -> float:
    as_float = _checks.number(name, value)
    if not 0 <= as_float <= maximum:
        raise ValueError(f"{name} must be from 0 to {maximum}, got {value}")
    return as_float


def _classifier(name: str, model: Any) -> Any:
    if not hasattr(model, "predict_proba") or not hasattr(model, "classes_"):
        raise TypeError(f"{name} must be a fitted classifier with predict_proba and classes_, got {type(model).__name__}")
    return model


def _linear(name: str, model: Any) -> tuple[np.ndarray, float]:
    coef = getattr(model, "coef_", None)
    intercept = getattr(model, "intercept_", None)
    if coef is None or intercept is None:
        raise TypeError(f"{name} must be a fitted linear classifier with coef_ and intercept_, got {type(model).__name__}")
    coef = np.asarray(coef, dtype=float)
    if coef.ndim != 2 or coef.shape[0] != 1:
        raise ValueError(f"{name} must be a binary linear classifier (coef_ of shape (1, n_features)), got {coef.shape}")
    return coef[0], float(np.ravel(intercept)[0])


def _one_blas_thread() -> Any:
    """A context in which BLAS uses one thread.

    The loops below multiply small matrices (thousands of rows, ten columns) many times: a
    second BLAS thread saves nothing there, and on a shared, loaded machine waiting for it
    made them several times slower (measured: the adversarial-training sweep 1.8 s -> 8.8 s).
    One controller is kept: building it scans the loaded libraries (about 20 ms a call).
    """
    return _blas_controller().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


def _target_label(target_label: Any) -> None:
    if isinstance(target_label, bool) or not isinstance(target_label, numbers.Real) or target_label not in (0, 1):
        raise ValueError(f"target_label must be 0 or 1, got {_checks.short_repr(target_label)}")


def _response(response: Any) -> str:
    if not isinstance(response, str) or response not in _RESPONSES:
        raise ValueError(f"response must be one of {_RESPONSES}, got {_checks.short_repr(response)}")
    return response


def _estimator(name: str, estimator: Any) -> Any:
    if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
        raise TypeError(f"{name} must be an unfitted scikit-learn estimator, got {type(estimator).__name__}")
    return estimator


# --------------------------------------------------------------------------------------
# 1. Data poisoning by label flipping, and trimmed-loss training
# --------------------------------------------------------------------------------------


def flip_labels(
    y: Any, fraction: float, *, priority: Any = None, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(y_poisoned, flipped)``: ``y`` with ``round(fraction * len(y))`` labels flipped (0 <-> 1).

    Without ``priority`` the rows are chosen uniformly at random with ``rng``; with it, the
    rows with the highest ``priority`` are flipped (for example the attacker's estimate of
    how confident the model is on each row: flipping those hurts most). ``flipped`` holds the
    indexes of the flipped rows, so a defence can be scored against the truth.
    """
    labels = _labels("y", y)
    fraction = _fraction("fraction", fraction)
    n_flip = int(round(fraction * labels.size))
    if priority is None:
        chosen = _checks.rng(rng).choice(labels.size, size=n_flip, replace=False)
    else:
        scores = _checks.finite_array("priority", priority, ndim=1)
        if scores.size != labels.size:
            raise ValueError(f"priority must have one score per label, got {scores.size} scores for {labels.size} labels")
        chosen = np.argsort(-scores, kind="stable")[:n_flip]
    poisoned = labels.copy()
    poisoned[chosen] = 1 - poisoned[chosen]
    return poisoned, np.sort(chosen)


def trimmed_loss_fit(
    estimator: Any, X: Any, y: Any, *, trim_fraction: float, max_iter: int = 10
) -> tuple[Any, np.ndarray]:
    """``(model, kept)``: fit, keep the ``1 - trim_fraction`` rows with the lowest loss, refit; repeat.

    Iterative trimmed-loss minimisation (Shen & Sanghavi, ICML 2019): flipped labels are the
    rows a model fits worst, as long as they are a minority wherever they sit. Stops when the
    kept set no longer changes or after ``max_iter`` refits. ``kept`` is a boolean mask over
    the rows. Its cost: ``trim_fraction`` of the clean rows are dropped too, and if the
    poison outnumbers the clean rows in its region the model fits the poison and trims the
    truth.
    """
    estimator = _estimator("estimator", estimator)
    X_arr, y_arr = _paired("X", X, "y", y)
    trim_fraction = _fraction("trim_fraction", trim_fraction, maximum=0.5)
    max_iter = _checks.integer("max_iter", max_iter, minimum=1, maximum=100)
    kept = np.ones(y_arr.size, dtype=bool)
    with _one_blas_thread():
        return _trimmed_loop(estimator, X_arr, y_arr, kept, trim_fraction, max_iter)


def _trimmed_loop(
    estimator: Any, X_arr: np.ndarray, y_arr: np.ndarray, kept: np.ndarray, trim_fraction: float, max_iter: int
) -> tuple[Any, np.ndarray]:
    model = clone(estimator).fit(X_arr, y_arr)
    if trim_fraction == 0:
        return model, kept
    n_keep = y_arr.size - int(round(trim_fraction * y_arr.size))
    for _ in range(max_iter):
        loss = per_example_loss(model, X_arr, y_arr)
        new = np.zeros_like(kept)
        new[np.argsort(loss, kind="stable")[:n_keep]] = True
        if np.array_equal(new, kept):
            break
        kept = new
        if np.unique(y_arr[kept]).size < 2:
            raise ValueError(f"trimming {trim_fraction} of the rows left a single class; use a smaller trim_fraction")
        model = clone(estimator).fit(X_arr[kept], y_arr[kept])
    return model, kept


# --------------------------------------------------------------------------------------
# 2. A backdoor, and spectral-signature detection
# --------------------------------------------------------------------------------------


def _trigger(trigger: Any, n_features: int) -> dict[int, float]:
    if not isinstance(trigger, Mapping) or not trigger:
        raise TypeError(f"trigger must be a non-empty mapping of column index to value, got {_checks.short_repr(trigger)}")
    checked = {}
    for column, value in trigger.items():
        column = _checks.integer("trigger column", column, minimum=0, maximum=n_features - 1)
        checked[column] = _checks.number(f"trigger[{column}]", value)
    return checked


def add_trigger(X: Any, trigger: Mapping[int, float]) -> np.ndarray:
    """A copy of ``X`` whose columns ``trigger.keys()`` are set to ``trigger.values()``."""
    X_arr = _matrix("X", X).copy()
    for column, value in _trigger(trigger, X_arr.shape[1]).items():
        X_arr[:, column] = value
    return X_arr


def backdoor_poison(
    X: Any,
    y: Any,
    trigger: Mapping[int, float],
    *,
    fraction: float,
    target_label: int = 0,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X_poisoned, y_poisoned, is_poison)``: the training set plus triggered copies labelled ``target_label``.

    ``round(fraction * len(y))`` rows drawn with ``rng`` are copied, stamped with the trigger
    and given the attacker's label, then appended (BadNets-style poisoning, Gu et al. 2017).
    ``is_poison`` marks the appended rows.
    """
    X_arr, y_arr = _paired("X", X, "y", y)
    fraction = _fraction("fraction", fraction)
    _target_label(target_label)
    trigger = _trigger(trigger, X_arr.shape[1])
    n_poison = int(round(fraction * y_arr.size))
    source = _checks.rng(rng).choice(y_arr.size, size=n_poison, replace=False)
    stamped = add_trigger(X_arr[source], trigger) if n_poison else X_arr[:0].copy()
    X_out = np.vstack([X_arr, stamped])
    y_out = np.concatenate([y_arr, np.full(n_poison, target_label, dtype=int)])
    is_poison = np.concatenate([np.zeros(y_arr.size, dtype=bool), np.ones(n_poison, dtype=bool)])
    return X_out, y_out, is_poison


def attack_success_rate(model: Any, X: Any, trigger: Mapping[int, float], *, target_label: int = 0) -> float:
    """Share of the rows of ``X`` NOT predicted ``target_label`` that the trigger turns into it.

    Rows the model already assigns to the target are left out: the trigger gets no credit
    for them. Returns NaN when no row qualifies.
    """
    if not hasattr(model, "predict"):
        raise TypeError(f"model must have a predict method, got {type(model).__name__}")
    X_arr = _matrix("X", X)
    _target_label(target_label)
    others = X_arr[np.asarray(model.predict(X_arr)) != target_label]
    if len(others) == 0:
        return float("nan")
    return float(np.mean(np.asarray(model.predict(add_trigger(others, trigger))) == target_label))


def spectral_signature_flags(
    X: Any, y: Any, *, expected_fraction: float, removal_factor: float = 1.5
) -> np.ndarray:
    """Boolean mask of training rows that look poisoned, by spectral signatures (Tran et al., 2018).

    Within each label, centre the rows' representations, find the top singular vector and
    score each row by its squared projection on it: poisoned rows share one direction (the
    trigger), so they score high. The ``removal_factor * expected_fraction`` highest-scoring
    rows of each label are flagged. For a linear model the representation is the input
    itself (a deep network would use a hidden layer). The defender must guess
    ``expected_fraction``; every clean row flagged is a patient dropped from training.
    """
    X_arr, y_arr = _paired("X", X, "y", y)
    expected_fraction = _fraction("expected_fraction", expected_fraction, maximum=0.5)
    removal_factor = _checks.positive("removal_factor", removal_factor)
    flags = np.zeros(y_arr.size, dtype=bool)
    for label in np.unique(y_arr):
        rows = np.flatnonzero(y_arr == label)
        centred = X_arr[rows] - X_arr[rows].mean(axis=0)
        if not np.any(centred):
            continue
        top = np.linalg.svd(centred, full_matrices=False)[2][0]
        scores = (centred @ top) ** 2
        n_flag = min(rows.size, int(round(removal_factor * expected_fraction * rows.size)))
        flags[rows[np.argsort(-scores, kind="stable")[:n_flag]]] = True
    return flags


# --------------------------------------------------------------------------------------
# 3. Evasion of a linear model, and adversarial training
# --------------------------------------------------------------------------------------


def minimal_linear_perturbation(
    weights: Any, bias: float, x: Any, *, mutable: Any = None, overshoot: float = 1e-6
) -> np.ndarray:
    """The smallest L2 perturbation ``delta`` (zero outside ``mutable``) with ``sign(w.(x+delta)+b) != sign(w.x+b)``.

    For a linear score ``f(x) = w.x + b`` the closest point on the decision boundary is
    ``x - f(x) w / ||w||^2``: the move is along the weight vector (the gradient of ``f``),
    of length ``|f(x)| / ||w||``. ``overshoot`` pushes it just past the boundary. With
    ``mutable`` (a boolean mask or a list of column indexes) only those features may move:
    ``w`` is restricted to them, so the move is longer. Raises ``ValueError`` if no mutable
    feature has a non-zero weight (no move can flip the decision).
    """
    w = _checks.finite_array("weights", weights, ndim=1)
    x_arr = _checks.finite_array("x", x, ndim=1)
    if w.shape != x_arr.shape or w.size == 0:
        raise ValueError(f"weights and x must be 1-D of the same non-zero length, got {w.shape} and {x_arr.shape}")
    bias = _checks.number("bias", bias)
    overshoot = _checks.non_negative("overshoot", overshoot)
    mask = _mutable_mask(mutable, w.size)
    w_m = np.where(mask, w, 0.0)
    norm2 = float(w_m @ w_m)
    if norm2 == 0:
        raise ValueError("no mutable feature has a non-zero weight: no perturbation can flip this decision")
    score = float(w @ x_arr + bias)
    if score == 0:
        score = -1e-12  # on the boundary: push to the positive side
    return -(1 + overshoot) * score / norm2 * w_m


def _mutable_mask(mutable: Any, n_features: int) -> np.ndarray:
    if mutable is None:
        return np.ones(n_features, dtype=bool)
    array = np.asarray(mutable)
    if array.dtype == bool:
        if array.shape != (n_features,):
            raise ValueError(f"mutable as a mask must have one entry per feature ({n_features}), got shape {array.shape}")
        return array
    mask = np.zeros(n_features, dtype=bool)
    for column in np.ravel(array).tolist():
        mask[_checks.integer("mutable column", column, minimum=0, maximum=n_features - 1)] = True
    return mask


def robust_accuracy_linear(model: Any, X: Any, y: Any, *, epsilon: float, mutable: Any = None) -> float:
    """Accuracy of a binary linear model when every row may move by up to ``epsilon`` per mutable feature.

    Exact for a linear model: the worst L-infinity move lowers the signed score
    ``s = (2y - 1)(w.x + b)`` by ``epsilon * sum(|w_j|)`` over mutable ``j``, so a row stays
    correct iff ``s > epsilon * ||w_mutable||_1``. ``epsilon=0`` gives the clean accuracy.
    """
    w, b = _linear("model", model)
    X_arr, y_arr = _paired("X", X, "y", y)
    if X_arr.shape[1] != w.size:
        raise ValueError(f"X has {X_arr.shape[1]} features, the model {w.size}")
    epsilon = _checks.non_negative("epsilon", epsilon)
    mask = _mutable_mask(mutable, w.size)
    margin = (2 * y_arr - 1) * (X_arr @ w + b)
    return float(np.mean(margin > epsilon * np.abs(w[mask]).sum()))


def adversarial_training_linear(X: Any, y: Any, *, epsilon: float, mutable: Any = None, C: float = 1.0) -> LogisticRegression:
    """A logistic regression trained on the worst case: every row moved by up to ``epsilon`` per mutable feature.

    For a linear model the worst L-infinity move is known in closed form, so adversarial
    training minimises the robust logistic loss exactly (Goodfellow, Shlens & Szegedy, 2015,
    section 5): ``softplus(-(s (w.x + b) - epsilon ||w_mutable||_1))`` with ``s = 2y - 1``,
    plus scikit-learn's L2 penalty ``||w||^2 / (2 C n)``. Solved with L-BFGS-B on ``w = w+ - w-``
    (both >= 0), which makes the L1 term smooth. ``epsilon=0`` gives an ordinary logistic
    regression. Augmenting the data with label-dependent shifted copies instead (a common
    shortcut) lets the model read the label off the shift ("label leaking", Kurakin et al. 2017).
    """
    X_arr, y_arr = _paired("X", X, "y", y)
    epsilon = _checks.non_negative("epsilon", epsilon)
    C = _checks.positive("C", C)
    if np.unique(y_arr).size < 2:
        raise ValueError("y must hold both labels 0 and 1 to train a classifier")
    n, d = X_arr.shape
    mask = _mutable_mask(mutable, d).astype(float)
    s = 2.0 * y_arr - 1.0
    sX = s[:, None] * X_arr

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w_plus, w_minus, b = theta[:d], theta[d : 2 * d], theta[-1]
        w = w_plus - w_minus
        margin = sX @ w + s * b - epsilon * float(mask @ (w_plus + w_minus))
        loss = float(np.mean(np.logaddexp(0.0, -margin)))
        g = -0.5 * (1.0 - np.tanh(margin / 2.0)) / n  # d mean softplus(-m) / d m_i  (= -sigmoid(-m)/n)
        grad_w = sX.T @ g
        grad_l1 = -epsilon * mask * g.sum()
        reg = 1.0 / (C * n)
        value = loss + 0.5 * reg * float(w_plus @ w_plus + w_minus @ w_minus)
        grad = np.concatenate([grad_w + grad_l1 + reg * w_plus, -grad_w + grad_l1 + reg * w_minus, [float(s @ g)]])
        return value, grad

    bounds = [(0.0, None)] * (2 * d) + [(None, None)]
    with _one_blas_thread():
        result = optimize.minimize(objective, np.zeros(2 * d + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                                   options={"maxiter": 1000, "gtol": 1e-8})
    w = result.x[:d] - result.x[d : 2 * d]
    model = LogisticRegression(C=C, random_state=0)
    model.coef_, model.intercept_, model.classes_ = w[None, :], np.array([result.x[-1]]), np.array([0, 1])
    model.n_features_in_ = d
    return model


# --------------------------------------------------------------------------------------
# 4. Membership inference
# --------------------------------------------------------------------------------------


def per_example_loss(model: Any, X: Any, y: Any) -> np.ndarray:
    """Cross-entropy loss ``-log p(y_i | x_i)`` of each row under ``model.predict_proba``.

    Probabilities are clipped at 1e-12 so a confident mistake gives a large finite loss.
    """
    model = _classifier("model", model)
    X_arr, y_arr = _paired("X", X, "y", y)
    classes = list(np.asarray(model.classes_).tolist())
    missing = sorted(set(np.unique(y_arr).tolist()) - set(classes))
    if missing:
        raise ValueError(f"y holds labels {missing} the model does not know; its classes are {classes}")
    proba = np.asarray(model.predict_proba(X_arr), dtype=float)
    columns = np.array([classes.index(label) for label in y_arr])
    return -np.log(np.clip(proba[np.arange(y_arr.size), columns], 1e-12, 1.0))


def membership_inference_auc(model: Any, X_members: Any, y_members: Any, X_non_members: Any, y_non_members: Any) -> float:
    """ROC AUC of the loss-threshold membership-inference attack (Yeom et al., CSF 2018).

    The attacker guesses "member" when a record's loss is below a threshold: models fit
    their training records better than unseen ones. Sweeping the threshold gives the ROC
    curve; its area is 0.5 when the attack cannot tell members from non-members (no leak
    that this attack sees) and 1.0 when it always can. ``ValueError`` when an ``X`` and its
    ``y`` differ in length.
    """
    truth, scores = _membership_scores(model, X_members, y_members, X_non_members, y_non_members)
    return float(roc_auc_score(truth, scores))


def membership_inference_tpr_at_fpr(
    model: Any, X_members: Any, y_members: Any, X_non_members: Any, y_non_members: Any, *, fpr: float = 0.01
) -> float:
    """True-positive rate of the loss-threshold attack at a false-positive rate of at most ``fpr``.

    The AUC averages over every threshold, including the many where the attacker is mostly
    guessing; what hurts individuals is an attack that is *sure* about a few of them. Carlini
    et al. (*Membership Inference Attacks From First Principles*, IEEE S&P 2022) therefore
    report the TPR at a low FPR (0.1 % or 1 %): the share of members identified while at most
    ``fpr`` of the non-members are wrongly accused. The best threshold whose FPR does not
    exceed ``fpr`` is used. With ``n`` non-members the FPR moves in steps of ``1/n``: keep
    ``fpr * n`` well above 1 for the figure to mean something.
    """
    fpr = _fraction("fpr", fpr)
    truth, scores = _membership_scores(model, X_members, y_members, X_non_members, y_non_members)
    false_positive, true_positive, _ = roc_curve(truth, scores)
    return float(true_positive[false_positive <= fpr].max())


def _membership_scores(
    model: Any, X_members: Any, y_members: Any, X_non_members: Any, y_non_members: Any
) -> tuple[np.ndarray, np.ndarray]:
    """``(truth, scores)``: 1 for members, 0 for non-members; each record's score is minus its loss."""
    model = _classifier("model", model)
    X_m, y_m = _paired("X_members", X_members, "y_members", y_members)
    X_n, y_n = _paired("X_non_members", X_non_members, "y_non_members", y_non_members)
    if X_m.shape[1] != X_n.shape[1]:
        raise ValueError(f"X_members and X_non_members must have the same columns, got {X_m.shape[1]} and {X_n.shape[1]}")
    scores = -np.concatenate([per_example_loss(model, X_m, y_m), per_example_loss(model, X_n, y_n)])
    truth = np.concatenate([np.ones(y_m.size), np.zeros(y_n.size)])
    return truth, scores


def membership_advantage_bound(epsilon: float) -> float:
    """Largest membership advantage (true minus false positive rate) any attack has against an epsilon-DP model.

    Yeom et al. (2018), Theorem 1: ``e^epsilon - 1``, capped at 1 (advantage cannot exceed
    1). It is vacuous from ``epsilon = ln 2`` (about 0.69) on.
    """
    epsilon = _checks.epsilon(epsilon)
    return float(min(1.0, np.expm1(epsilon)))


# --------------------------------------------------------------------------------------
# 5. Model extraction through a prediction API
# --------------------------------------------------------------------------------------

_RESPONSES = ("label", "probability")


def prediction_api(model: Any, *, response: str = "probability", decimals: int | None = None) -> Callable[[Any], np.ndarray]:
    """A function answering queries as a deployed API would: labels, or the probability of class 1.

    ``decimals`` rounds probabilities (a common "defence"). The returned function validates
    each batch of queries and never exposes the model object.
    """
    model = _classifier("model", model)
    _response(response)
    if decimals is not None:
        decimals = _checks.integer("decimals", decimals, minimum=0, maximum=15)
        if response == "label":
            raise ValueError("decimals applies to probabilities only; use response='probability'")

    def answer(queries: Any) -> np.ndarray:
        Q = _matrix("queries", queries)
        if response == "label":
            return np.asarray(model.predict(Q)).astype(int)
        proba = np.asarray(model.predict_proba(Q), dtype=float)[:, 1]
        return proba if decimals is None else np.round(proba, decimals)

    return answer


def extract_linear_model(queries: Any, answers: Any, *, response: str = "probability") -> LogisticRegression:
    """A logistic-regression surrogate fitted only on ``(queries, answers)`` from a prediction API.

    Labels are fitted as they are. Probabilities (rounded or not) are fitted as soft labels:
    each query appears once as class 1 with weight ``p`` and once as class 0 with weight
    ``1 - p``, which minimises the cross-entropy to the API's probabilities. With exact
    probabilities of a logistic model, ``n_features + 1`` queries in general position
    determine it (Tramèr et al., 2016, equation-solving attack). Regularisation is almost
    off (``C=1e4``): the attacker wants to copy, not to generalise.
    """
    Q = _matrix("queries", queries)
    a = _checks.finite_array("answers", answers, ndim=1)
    if a.size != Q.shape[0]:
        raise ValueError(f"queries and answers must have the same length, got {Q.shape[0]} queries and {a.size} answers")
    _response(response)
    surrogate = LogisticRegression(C=1e4, solver="newton-cholesky", max_iter=200, random_state=0)
    if response == "label":
        labels = _labels("answers", a)
        if np.unique(labels).size < 2:
            raise ValueError("all answers are the same label: query more varied inputs before fitting a surrogate")
        with _one_blas_thread():
            return surrogate.fit(Q, labels)
    if np.any((a < 0) | (a > 1)):
        raise ValueError(f"probability answers must lie in [0, 1], got values from {a.min()} to {a.max()}")
    X2 = np.vstack([Q, Q])
    y2 = np.concatenate([np.ones(a.size, dtype=int), np.zeros(a.size, dtype=int)])
    weights = np.concatenate([a, 1 - a])
    if weights[y2 == 1].sum() == 0 or weights[y2 == 0].sum() == 0:
        raise ValueError("every answer is 0 (or every answer is 1): the surrogate cannot learn from them")
    keep = weights > 0
    with _one_blas_thread():
        return surrogate.fit(X2[keep], y2[keep], sample_weight=weights[keep])


def agreement(model_a: Any, model_b: Any, X: Any) -> float:
    """Share of the rows of ``X`` on which the two models predict the same label."""
    for name, model in (("model_a", model_a), ("model_b", model_b)):
        if not hasattr(model, "predict"):
            raise TypeError(f"{name} must have a predict method, got {type(model).__name__}")
    X_arr = _matrix("X", X)
    return float(np.mean(np.asarray(model_a.predict(X_arr)) == np.asarray(model_b.predict(X_arr))))


# --------------------------------------------------------------------------------------
# 6. Model files: arrays instead of pickle, and signatures checked before parsing
# --------------------------------------------------------------------------------------


def _path(name: str, path: Any, *, must_exist: bool) -> str:
    """A file path: refuses None, numbers, blank text and directories; ``FileNotFoundError`` naming
    the argument when a file to read is missing."""
    return os.fspath(_checks.path(name, path, kind="file", must_exist=must_exist))


def save_linear_model(model: Any, path: str | os.PathLike[str]) -> None:
    """Write a fitted binary linear classifier's ``coef_``, ``intercept_`` and ``classes_`` as a ``.npz`` of arrays.

    Only numbers are stored: no code, no object to rebuild, so loading cannot run anything.
    """
    w, b = _linear("model", model)
    classes = np.asarray(getattr(model, "classes_", [0, 1]))
    if classes.dtype == object:
        raise ValueError("model.classes_ must be numeric to be saved as arrays")
    target = _path("path", path, must_exist=False)
    with open(target, "wb") as handle:
        np.savez(handle, coef=w[None, :], intercept=np.array([b]), classes=classes)


def load_linear_model(source: str | os.PathLike[str] | bytes) -> LogisticRegression:
    """A ``LogisticRegression`` rebuilt from :func:`save_linear_model`'s arrays (a path, or the file's bytes).

    ``numpy.load(..., allow_pickle=False)``: an array of Python objects is refused instead
    of unpickled.
    """
    if isinstance(source, (bytes, bytearray)):
        handle: Any = io.BytesIO(bytes(source))
    else:
        handle = _path("source", source, must_exist=True)
    try:
        loaded = np.load(handle, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"source is not a saved linear model (an .npz of arrays): {exc}") from exc
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError("source is not a saved linear model: it holds a single array, not an .npz of arrays")
    with loaded as arrays:
        missing = {"coef", "intercept", "classes"} - set(arrays.files)
        if missing:
            raise ValueError(f"source is not a saved linear model: arrays {sorted(missing)} are missing")
        coef, intercept, classes = arrays["coef"], arrays["intercept"], arrays["classes"]
    if coef.ndim != 2 or coef.shape[0] != 1 or intercept.shape != (1,) or classes.shape != (2,):
        raise ValueError(f"source holds unexpected array shapes: coef {coef.shape}, intercept {intercept.shape}, classes {classes.shape}")
    model = LogisticRegression(random_state=0)
    model.coef_, model.intercept_, model.classes_ = coef.astype(float), intercept.astype(float), classes
    model.n_features_in_ = coef.shape[1]
    return model


def sign_file(path: str | os.PathLike[str], private_key: Ed25519PrivateKey) -> bytes:
    """The Ed25519 signature (64 bytes) of the file's exact bytes (RFC 8032, via ``cryptography``)."""
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(f"private_key must be an Ed25519PrivateKey, got {type(private_key).__name__}")
    with open(_path("path", path, must_exist=True), "rb") as handle:
        return private_key.sign(handle.read())


def verified_bytes(path: str | os.PathLike[str], signature: bytes, public_key: Ed25519PublicKey) -> bytes:
    """The file's bytes, read once, if ``signature`` verifies on them; else ``InvalidSignature``.

    Parse what this returns, never the path again: a file checked and then re-read can be
    swapped in between (a time-of-check to time-of-use race).
    """
    if not isinstance(public_key, Ed25519PublicKey):
        raise TypeError(f"public_key must be an Ed25519PublicKey, got {type(public_key).__name__}")
    if not isinstance(signature, (bytes, bytearray)):
        raise TypeError(f"signature must be bytes, got {type(signature).__name__}")
    with open(_path("path", path, must_exist=True), "rb") as handle:
        content = handle.read()
    public_key.verify(bytes(signature), content)  # raises cryptography.exceptions.InvalidSignature
    return content
