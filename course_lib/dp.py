"""Lesson 04 (differential privacy): noise calibrated to sensitivity, and an audit that checks it.

What this module teaches, read top to bottom:

1. **The Laplace mechanism** (:func:`laplace_mechanism`): add Laplace noise of scale
   ``sensitivity / epsilon`` to a numeric answer and the answer is epsilon-differentially
   private (Dwork, McSherry, Nissim & Smith, *Calibrating Noise to Sensitivity in Private
   Data Analysis*, TCC 2006).
2. **Sensitivity from declared bounds**: :func:`clip` forces every record into bounds fixed
   *before* looking at the data, so :func:`bounded_sum` and :func:`bounded_mean` know their
   sensitivity without reading it off the data. :func:`data_dependent_sensitivity` and
   :func:`mean_with_data_dependent_sensitivity` are the widely copied mistake (sensitivity
   computed from gaps between the data's own values): kept here so the lesson can audit it.
3. **Randomised response** (:func:`randomized_response`, :func:`randomized_response_estimate`):
   local differential privacy for a yes/no answer (Warner, 1965; Dwork & Roth, 2014, 3.2).
4. **The Gaussian mechanism** (:func:`gaussian_sigma`, :func:`gaussian_mechanism`):
   (epsilon, delta)-differential privacy with L2 sensitivity (Dwork & Roth, 2014, Theorem A.1).
   **Report noisy max** (:func:`report_noisy_max`): a private choice among candidates, such
   as the most common diagnosis, where the answer is a label, not a number.
5. **An empirical audit** (:func:`estimate_epsilon`): run a mechanism many times on two
   neighbouring datasets and return a statistically sound *lower* bound on the epsilon it
   really gives (Ding et al., *Detecting Violations of Differential Privacy*, CCS 2018;
   Jagielski, Ullman & Oprea, *Auditing Differentially Private Machine Learning*, NeurIPS 2020).
6. **Private models**: :func:`private_logistic_accuracy` trains diffprivlib's
   ``LogisticRegression`` over a grid of epsilons and seeds for the privacy-utility curve.

Neighbouring datasets here differ in **one record replaced** (the size ``n`` is public),
unless a docstring says otherwise (:func:`bounded_sum` also covers one record added or
removed). A replacement is one removal plus one addition, so epsilon-DP under add/remove
gives 2 epsilon-DP under replace-one; sensitivities must be computed for the notion used. Every random function takes ``rng`` (a
``numpy.random.Generator``) and never touches global random state. These from-scratch
versions are for learning: NumPy's floating-point Laplace sampler has known weaknesses
(Mironov, CCS 2012); production code uses a maintained library such as diffprivlib or
Google's differential-privacy library (PyDP), which the lesson also shows.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from course_lib import _checks

__all__ = [
    "laplace_mechanism",
    "clip",
    "bounded_sum",
    "bounded_mean",
    "data_dependent_sensitivity",
    "mean_with_data_dependent_sensitivity",
    "randomized_response",
    "randomized_response_estimate",
    "gaussian_sigma",
    "gaussian_mechanism",
    "estimate_epsilon",
    "private_logistic_accuracy",
]


# --------------------------------------------------------------------------------------
# Argument checks (one place, so every message names the argument, the rule and the value)
# --------------------------------------------------------------------------------------


_positive = _checks.positive
_finite_array = _checks.finite_array
_bounds = _checks.bounds
_rng = _checks.rng
_non_empty = _checks.non_empty


def _epsilon(epsilon: float, name: str = "epsilon") -> float:
    return _checks.epsilon(epsilon, name)


def _sequence(name: str, values: Any) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, pd.Series)):
        raise TypeError(f"{name} must be a sequence (list, tuple or array), got {type(values).__name__} {_checks.short_repr(values)}")
    return list(values)


def _sensitivity(sensitivity: float) -> float:
    return _checks.non_negative("sensitivity", sensitivity)


def _finite_scale(scale: float, what: str, **inputs: float) -> float:
    """``scale`` if finite; otherwise a ValueError naming the inputs that overflowed it."""
    described = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
    return _checks.finite_result(what, scale, f"{described} overflow it; use a larger epsilon or a smaller sensitivity")


def _finite_release(noisy: np.ndarray, scale: float) -> np.ndarray:
    if not np.all(np.isfinite(noisy)):
        raise ValueError(
            f"the noisy release overflowed to infinity (noise scale {scale:.3g} is too large for float64); "
            "use a larger epsilon, a smaller sensitivity or values of smaller magnitude"
        )
    return noisy


# --------------------------------------------------------------------------------------
# 1. The Laplace mechanism
# --------------------------------------------------------------------------------------


def laplace_mechanism(
    value: float | Sequence[float] | np.ndarray,
    sensitivity: float,
    epsilon: float,
    rng: np.random.Generator | None = None,
) -> float | np.ndarray:
    """Release ``value`` plus Laplace noise of scale ``sensitivity / epsilon``.

    If changing one record moves ``value`` by at most ``sensitivity`` (L1 norm, for an
    array), the release is epsilon-differentially private (Dwork et al., TCC 2006;
    Dwork & Roth, *The Algorithmic Foundations of Differential Privacy*, 2014, Theorem 3.6).
    Returns a float for a scalar, an array of the same shape for an array.
    """
    sensitivity = _sensitivity(sensitivity)
    epsilon = _epsilon(epsilon)
    array = _finite_array("value", value, allow_bool=False)
    scale = _finite_scale(sensitivity / epsilon, "the Laplace scale sensitivity / epsilon", sensitivity=sensitivity, epsilon=epsilon)
    generator = _rng(rng)
    with np.errstate(over="ignore", invalid="ignore"):
        noisy = _finite_release(array + generator.laplace(0.0, scale, size=array.shape), scale)
    return float(noisy) if noisy.ndim == 0 else noisy


# --------------------------------------------------------------------------------------
# 2. Sensitivity from declared bounds, and the common mistake
# --------------------------------------------------------------------------------------


def clip(values: Sequence[float] | np.ndarray, lower: float, upper: float) -> np.ndarray:
    """Force every value into ``[lower, upper]``: bounds declared *before* seeing the data.

    After clipping, one record can contribute at most ``upper - lower`` to a sum whatever
    the data holds, which is what makes the sensitivity of a bounded query known.
    """
    lower, upper = _bounds(lower, upper)
    return np.clip(_finite_array("values", values, allow_bool=False), lower, upper)


def bounded_sum(
    values: Sequence[float] | np.ndarray,
    lower: float,
    upper: float,
    epsilon: float,
    rng: np.random.Generator | None = None,
) -> float:
    """Epsilon-DP sum of ``values`` clipped to the declared ``[lower, upper]``.

    Sensitivity ``max(upper - lower, |lower|, |upper|)``: it covers a record replaced
    (``upper - lower``) and a record added or removed (``max(|lower|, |upper|)``), so the
    sum is safe under both notions of neighbouring datasets. It never depends on the data.
    """
    lower, upper = _bounds(lower, upper)
    clipped = clip(_non_empty("values", values), lower, upper)
    sensitivity = _finite_scale(max(upper - lower, abs(lower), abs(upper)), "the sensitivity max(upper - lower, |lower|, |upper|)",
                                lower=lower, upper=upper)
    with np.errstate(over="ignore"):
        total = _checks.finite_result("the sum of the clipped values", float(clipped.sum()), "values times the bounds overflow float64")
    return float(laplace_mechanism(total, sensitivity, epsilon, rng))


def bounded_mean(
    values: Sequence[float] | np.ndarray,
    lower: float,
    upper: float,
    epsilon: float,
    rng: np.random.Generator | None = None,
) -> float:
    """Epsilon-DP mean of ``values`` clipped to the declared ``[lower, upper]``.

    The number of records ``n`` is public and one record is replaced between neighbours, so
    the mean moves by at most ``(upper - lower) / n``: that is the sensitivity (Dwork &
    Roth, 2014, 3.3). The noisy mean may fall outside the bounds; it is not clamped, so it
    stays unbiased.
    """
    lower, upper = _bounds(lower, upper)
    clipped = clip(_non_empty("values", values), lower, upper)
    width = _finite_scale(upper - lower, "the width upper - lower", lower=lower, upper=upper)
    with np.errstate(over="ignore"):
        mean = _checks.finite_result("the mean of the clipped values", float(clipped.mean()), "the values overflow float64")
    return float(laplace_mechanism(mean, width / clipped.size, epsilon, rng))


def data_dependent_sensitivity(values: Sequence[float] | np.ndarray) -> float:
    """THE COMMON MISTAKE: "sensitivity" as the largest gap between neighbouring sorted values.

    Widely copied snippets compute this from the data itself. It describes *this* dataset,
    not the most one record could change the answer, and it is itself a function of private
    data. Kept only so the lesson can show, with :func:`estimate_epsilon`, that it breaks
    the guarantee. Do not use it.
    """
    array = _non_empty("values", values)
    if array.size < 2:
        raise ValueError(f"values must hold at least 2 values to have a gap, got {array.size}")
    with np.errstate(over="ignore"):
        gap = float(np.max(np.diff(np.sort(array))))
    return _checks.finite_result("the largest gap", gap, "values span more than float64 can hold")


def mean_with_data_dependent_sensitivity(
    values: Sequence[float] | np.ndarray, epsilon: float, rng: np.random.Generator | None = None
) -> float:
    """THE COMMON MISTAKE: a "DP" mean whose noise scale comes from the data's own gaps.

    Claims epsilon-DP with sensitivity ``data_dependent_sensitivity(values) / n``. It is not
    differentially private: two neighbouring datasets get different noise scales, and the
    mean can move much further than the claimed sensitivity. Use :func:`bounded_mean`.
    """
    array = _non_empty("values", values)
    with np.errstate(over="ignore"):
        mean = _checks.finite_result("the mean of values", float(array.mean()), "the values overflow float64")
    return float(laplace_mechanism(mean, data_dependent_sensitivity(array) / array.size, epsilon, rng))


# --------------------------------------------------------------------------------------
# 3. Randomised response (local differential privacy)
# --------------------------------------------------------------------------------------


def _truth_probability(epsilon: float) -> float:
    """``e^eps / (1 + e^eps)``, without overflow for a large epsilon (it is then 1.0)."""
    if epsilon > 700:  # math.exp overflows past ~709.78; the probability is 1.0 long before
        return 1.0
    return math.exp(epsilon) / (1.0 + math.exp(epsilon))


def randomized_response(
    answers: Sequence[int | bool] | np.ndarray, epsilon: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Each person reports their true 0/1 answer with probability ``e^eps / (1 + e^eps)``,
    and the opposite answer otherwise.

    The ratio of the chances of any report given either true answer is at most ``e^eps``,
    so every single report is epsilon-DP *before* it leaves the person (local DP; Warner,
    *Randomized Response*, JASA 1965; Dwork & Roth, 2014, 3.2). Returns an int array of 0/1.
    """
    epsilon = _epsilon(epsilon)
    array = _finite_array("answers", answers)
    if array.ndim != 1:
        raise ValueError(f"answers must be 1-D, got shape {array.shape}")
    if not np.all((array == 0) | (array == 1)):
        raise ValueError("answers must hold only 0/1 (or False/True) values")
    keep = _rng(rng).random(array.shape) < _truth_probability(epsilon)
    return np.where(keep, array, 1 - array).astype(int)


def randomized_response_estimate(responses: Sequence[int | bool] | np.ndarray, epsilon: float) -> float:
    """Unbiased estimate of the true share of 1s from randomised ``responses``.

    With ``p = e^eps / (1 + e^eps)``, the expected share of reported 1s is
    ``p * pi + (1 - p) * (1 - pi)``; solving for ``pi`` gives
    ``(mean - (1 - p)) / (2p - 1)``. Not clamped to [0, 1], so it stays unbiased.
    """
    epsilon = _epsilon(epsilon)
    array = _non_empty("responses", responses)
    if not np.all((array == 0) | (array == 1)):
        raise ValueError("responses must hold only 0/1 (or False/True) values")
    p = _truth_probability(epsilon)
    if not 2.0 * p - 1.0 > 0:
        raise ValueError(
            f"epsilon={epsilon!r} is too small to invert: e^eps / (1 + e^eps) rounds to 1/2 in float64, "
            "so the responses carry no information the estimate could divide out"
        )
    estimate = float((array.mean() - (1.0 - p)) / (2.0 * p - 1.0))
    return _checks.finite_result("the estimate", estimate, f"epsilon={epsilon!r} is too small")


# --------------------------------------------------------------------------------------
# 4. The Gaussian mechanism and (epsilon, delta)
# --------------------------------------------------------------------------------------


def gaussian_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    """Standard deviation of the classic Gaussian mechanism:
    ``sigma = sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon``, where ``sensitivity`` is
    the L2 sensitivity. Valid for ``0 < epsilon < 1`` (Dwork & Roth, 2014, Theorem A.1);
    for larger epsilon use the analytic Gaussian mechanism (Balle & Wang, ICML 2018),
    e.g. diffprivlib's ``GaussianAnalytic``.
    """
    sensitivity = _sensitivity(sensitivity)
    epsilon = _epsilon(epsilon)
    if epsilon >= 1:
        raise ValueError(f"epsilon must be < 1 for the classic Gaussian mechanism, got {epsilon}")
    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.integer, np.floating)):
        raise TypeError(f"delta must be a number, got {type(delta).__name__}")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    sigma = sensitivity * math.sqrt(2.0 * math.log(1.25 / delta)) / epsilon if 1.25 / delta < math.inf else math.inf
    return _finite_scale(sigma, "the Gaussian sigma", sensitivity=sensitivity, epsilon=epsilon, delta=delta)


def gaussian_mechanism(
    value: float | Sequence[float] | np.ndarray,
    sensitivity: float,
    epsilon: float,
    delta: float,
    rng: np.random.Generator | None = None,
) -> float | np.ndarray:
    """Release ``value`` plus Gaussian noise of standard deviation :func:`gaussian_sigma`.

    (epsilon, delta)-DP: for neighbours D, D' and every set of outputs S,
    ``P[M(D) in S] <= e^epsilon P[M(D') in S] + delta``. delta is an additive slack, so it
    must be far smaller than 1/n (a mechanism that publishes one random record in full is
    (0, 1/n)-DP). Its advantage is calibration to the L2 sensitivity: for a vector of k
    answers that grows like sqrt(k), not k as the L1 sensitivity of Laplace does.
    """
    sigma = gaussian_sigma(sensitivity, epsilon, delta)
    array = _finite_array("value", value, allow_bool=False)
    generator = _rng(rng)
    with np.errstate(over="ignore", invalid="ignore"):
        noisy = _finite_release(array + generator.normal(0.0, sigma, size=array.shape), sigma)
    return float(noisy) if noisy.ndim == 0 else noisy


def report_noisy_max(
    scores: Sequence[float] | np.ndarray | pd.Series,
    sensitivity: float,
    epsilon: float,
    rng: np.random.Generator | None = None,
) -> Any:
    """Epsilon-DP choice of the best of several candidates: **report noisy max**.

    Adds independent Laplace noise of scale ``2 * sensitivity / epsilon`` to every score and
    returns the *label* (the index for a ``pandas.Series``, the position otherwise) of the
    largest noisy score; the noisy scores themselves are not released. ``sensitivity`` bounds
    how much one record can move any single score (1 for counts). The scale ``2 Delta / eps``
    is epsilon-DP whatever the direction in which the scores move, so it holds for add/remove
    and for replace-one neighbours (Dwork & Roth, 2014, section 3.3: Claim 3.9, whose
    ``Delta / eps`` needs counts that can only all rise or all fall together, i.e. add/remove;
    McSherry & Talwar, FOCS 2007, for the exponential mechanism it mirrors).
    """
    labels: list[Any]
    if isinstance(scores, pd.Series):
        labels = list(scores.index)
    else:
        labels = list(range(len(_sequence("scores", scores))))
    array = _finite_array("scores", scores, ndim=1, allow_bool=False)
    if array.size == 0:
        raise ValueError("scores must hold at least one candidate, got an empty sequence")
    sensitivity = _sensitivity(sensitivity)
    epsilon = _epsilon(epsilon)
    scale = _finite_scale(2.0 * sensitivity / epsilon, "the noise scale 2 * sensitivity / epsilon",
                          sensitivity=sensitivity, epsilon=epsilon)
    noisy = array + _rng(rng).laplace(0.0, scale, size=array.shape)
    return labels[int(np.argmax(noisy))]


# --------------------------------------------------------------------------------------
# 5. An empirical audit: a lower bound on the epsilon a mechanism really gives
# --------------------------------------------------------------------------------------


def _cp_lower(k: np.ndarray, n: int, alpha: float) -> np.ndarray:
    """One-sided Clopper-Pearson lower bound on a binomial proportion (level 1 - alpha)."""
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        bound = stats.beta.ppf(alpha, k, n - k + 1)
    return np.where(k == 0, 0.0, bound)


def _cp_upper(k: np.ndarray, n: int, alpha: float) -> np.ndarray:
    """One-sided Clopper-Pearson upper bound on a binomial proportion (level 1 - alpha)."""
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        bound = stats.beta.ppf(1 - alpha, k + 1, n - k)
    return np.where(k == n, 1.0, bound)


def _log_ratio(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(lo > 0, np.log(np.maximum(lo, 1e-300)) - np.log(hi), -np.inf)


def _samples(mechanism: Callable[[Any, np.random.Generator], float], data: Any, n: int,
             rng: np.random.Generator, which: str) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        try:
            value = mechanism(data, rng)
        except (TypeError, ValueError) as exc:
            # name the argument the mechanism choked on, keep the kind of error
            raise type(exc)(f"mechanism({which}, rng) raised {type(exc).__name__}: {exc}") from exc
        try:
            out[i] = float(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"mechanism must return one number, got {type(value).__name__}") from exc
    if not np.all(np.isfinite(out)):
        raise ValueError("mechanism returned a non-finite output (NaN or infinity)")
    return out


#: Upper limits on the audit's workload: each sample is one call of the mechanism.
_MAX_AUDIT_SAMPLES = 2_000_000
_MAX_AUDIT_THRESHOLDS = 4096


def _count_at_most(outputs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For every threshold t, how many outputs are <= t."""
    return np.searchsorted(np.sort(outputs), thresholds, side="right")


def _count_at_least(outputs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For every threshold t, how many outputs are >= t."""
    return outputs.size - np.searchsorted(np.sort(outputs), thresholds, side="left")


def estimate_epsilon(
    mechanism: Callable[[Any, np.random.Generator], float],
    dataset: Any,
    neighbour: Any,
    n_samples: int = 20_000,
    rng: np.random.Generator | None = None,
    *,
    confidence: float = 0.95,
    n_thresholds: int = 64,
) -> float:
    """A statistically sound LOWER bound on the epsilon that ``mechanism`` gives on this pair.

    ``mechanism(data, rng)`` must return one number. Method (in the manner of Ding et al.,
    CCS 2018, with the Clopper-Pearson bounds of Jagielski et al., NeurIPS 2020):

    1. Run the mechanism ``n_samples`` times on ``dataset`` and on ``neighbour``.
    2. On the first half of the outputs, choose an output event ``S`` (a threshold set
       ``{x <= t}`` or ``{x >= t}``, ``t`` among ``n_thresholds`` quantiles) and a
       direction that look most distinguishing.
    3. On the held-out second half, bound ``P[M(D) in S]`` from below and
       ``P[M(D') in S]`` from above with one-sided Clopper-Pearson intervals.
    4. Return ``log(lower / upper)``, the larger of the two directions, or 0 when there is
       no evidence.

    Because ``S`` is chosen before the held-out outputs are seen, and the four one-sided
    intervals (two directions) share the error ``1 - confidence`` (a union bound), the
    returned value is at most the mechanism's true epsilon with probability at least
    ``confidence``. A value above the claimed epsilon refutes the claim (with that
    confidence); a value below it proves nothing (other datasets or events might do worse):
    an audit can refute a privacy claim, never prove one. The largest value it can certify
    grows like ``log(n_samples)``. The workload is bounded: ``n_samples`` at most 2,000,000
    and ``n_thresholds`` at most 4,096.
    """
    if not callable(mechanism):
        raise TypeError(f"mechanism must be callable as mechanism(data, rng), got {type(mechanism).__name__}")
    n_samples = _checks.integer("n_samples", n_samples, minimum=100, maximum=_MAX_AUDIT_SAMPLES)
    confidence = _checks.probability("confidence", confidence)
    n_thresholds = _checks.integer("n_thresholds", n_thresholds, minimum=1, maximum=_MAX_AUDIT_THRESHOLDS)
    rng = _rng(rng)
    out_d = _samples(mechanism, dataset, int(n_samples), rng, "dataset")
    out_n = _samples(mechanism, neighbour, int(n_samples), rng, "neighbour")
    half = int(n_samples) // 2
    sel_d, test_d = out_d[:half], out_d[half:]
    sel_n, test_n = out_n[:half], out_n[half:]
    alpha = (1.0 - confidence) / 4.0

    levels = (np.arange(n_thresholds) + 0.5) / n_thresholds
    thresholds = np.unique(np.quantile(np.concatenate([sel_d, sel_n]), levels))
    best = 0.0
    for first, second, first_test, second_test in ((sel_d, sel_n, test_d, test_n), (sel_n, sel_d, test_n, test_d)):
        # events {x <= t} and {x >= t} for every candidate t, scored on the selection half
        # counted by binary search on sorted outputs: O(n log n) time and O(n) memory, where
        # comparing every output with every threshold took n * n_thresholds of both
        below = _count_at_most(first, thresholds), _count_at_most(second, thresholds)
        above = _count_at_least(first, thresholds), _count_at_least(second, thresholds)
        scores = np.concatenate([
            _log_ratio(_cp_lower(below[0], half, alpha), _cp_upper(below[1], half, alpha)),
            _log_ratio(_cp_lower(above[0], half, alpha), _cp_upper(above[1], half, alpha)),
        ])
        choice = int(np.argmax(scores))
        t = thresholds[choice % thresholds.size]
        if choice < thresholds.size:
            k_first, k_second = (first_test <= t).sum(), (second_test <= t).sum()
        else:
            k_first, k_second = (first_test >= t).sum(), (second_test >= t).sum()
        n_test = first_test.size
        lower = _cp_lower(np.array(k_first), n_test, alpha)
        upper = _cp_upper(np.array(k_second), n_test, alpha)
        best = max(best, float(_log_ratio(lower, upper)))
    return best


# --------------------------------------------------------------------------------------
# 6. Private models: the privacy-utility curve
# --------------------------------------------------------------------------------------


def private_logistic_accuracy(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    epsilons: Sequence[float],
    seeds: Sequence[int],
    data_norm: float,
) -> pd.DataFrame:
    """Test accuracy of diffprivlib's ``LogisticRegression`` for every epsilon and seed.

    Rows of ``X_train`` must have L2 norm at most ``data_norm`` (declare it from the
    feature bounds, never from the data; diffprivlib clips rows to it). Uses objective
    perturbation (Chaudhuri, Monteleoni & Sarwate, JMLR 2011) as implemented by diffprivlib.
    Returns a frame with columns ``epsilon``, ``seed``, ``accuracy``.
    """
    from diffprivlib.models import LogisticRegression

    data_norm = _positive("data_norm", data_norm)
    epsilons = [_epsilon(e, f"epsilons[{i}]") for i, e in enumerate(_sequence("epsilons", epsilons))]
    seeds = [_checks.integer(f"seeds[{i}]", s, minimum=0, maximum=2**32 - 1) for i, s in enumerate(_sequence("seeds", seeds))]
    if not epsilons or not seeds:
        raise ValueError("epsilons and seeds must each hold at least one value")
    if len(epsilons) * len(seeds) > 1000:
        raise ValueError(f"epsilons x seeds must be at most 1000 fits, got {len(epsilons)} x {len(seeds)}")
    X_train = _finite_array("X_train", X_train, ndim=2)
    X_test = _finite_array("X_test", X_test, ndim=2)
    y_train = _finite_array("y_train", y_train, ndim=1)
    y_test = _finite_array("y_test", y_test, ndim=1)
    for name, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        if X.shape[0] != y.shape[0] or X.shape[0] == 0:
            raise ValueError(f"X_{name} and y_{name} must have the same, non-zero number of rows, got {X.shape[0]} and {y.shape[0]}")
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_train and X_test must have the same columns, got {X_train.shape[1]} and {X_test.shape[1]}")
    if np.unique(y_train).size < 2:
        raise ValueError(f"y_train must hold at least two classes, got {np.unique(y_train).tolist()}")
    rows = []
    for epsilon in epsilons:
        for seed in seeds:
            model = LogisticRegression(epsilon=epsilon, data_norm=data_norm, random_state=int(seed))
            with warnings.catch_warnings():
                # diffprivlib 0.6.6 passes L-BFGS-B options that scipy 1.17 deprecates: harmless
                # with the pinned scipy<1.18 (DEPENDENCY_NOTES.md); nothing else is silenced.
                warnings.filterwarnings("ignore", message=r"scipy\.optimize: The `disp` and `iprint`",
                                        category=DeprecationWarning)
                model.fit(X_train, y_train)
            rows.append({"epsilon": epsilon, "seed": int(seed), "accuracy": float(model.score(X_test, y_test))})
    return pd.DataFrame(rows)
