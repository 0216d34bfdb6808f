"""Reference submission for assignment 04 (instructor material): a private histogram and its audit.

Sensitivity: replacing one record moves it from one bin to another, so one count goes down by
1 and another up by 1: the L1 sensitivity of the whole histogram is 2 (under add/remove
neighbours it would be 1). Laplace noise of scale 2/epsilon on every bin then makes the
histogram epsilon-DP (Dwork & Roth, 2014, Theorem 3.6).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from course_lib.dp import estimate_epsilon

AGE_EDGES = [18, 30, 40, 50, 60, 70, 80, 96]
SENSITIVITY = 2.0  # replace-one neighbours: one count -1, another +1
# smallest bin (18-29) holds 196 patients; noise sd = sqrt(2) * 2 / eps <= 9.8 needs eps >= 0.29
EPSILON = 0.5


def _edges(edges: Sequence[float]) -> np.ndarray:
    array = np.asarray(edges, dtype=float)
    if array.ndim != 1 or array.size < 2:
        raise ValueError(f"edges must hold at least two numbers, got {edges!r}")
    if not np.all(np.isfinite(array)) or not np.all(np.diff(array) > 0):
        raise ValueError(f"edges must be finite and strictly increasing, got {edges!r}")
    return array


def private_histogram(
    values: Sequence[float] | np.ndarray, edges: Sequence[float], epsilon: float, rng: np.random.Generator
) -> np.ndarray:
    """Counts of ``values`` in the bins of ``edges`` (clipped into the outer bins) plus Laplace(2/epsilon) noise."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError(f"epsilon must be a finite number > 0, got {epsilon!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    bins = _edges(edges)
    data = np.clip(np.asarray(values, dtype=float), bins[0], bins[-1])
    counts, _ = np.histogram(data, bins=bins)
    return counts + rng.laplace(0.0, SENSITIVITY / epsilon, size=counts.size)


def audit_histogram(epsilon: float, n_samples: int, rng: np.random.Generator) -> float:
    """Lower bound on the epsilon of :func:`private_histogram` from ``course_lib.dp.estimate_epsilon``.

    Neighbours: ten records, one moved from the first to the last bin. Statistic: the first
    count minus the last, which moves by 2 (both changes add up), the most visible one-number
    view of the change.
    """
    edges = [0.0, 50.0, 100.0]
    dataset = np.array([10.0] * 5 + [90.0] * 5)
    neighbour = dataset.copy()
    neighbour[0] = 90.0

    def statistic(data: np.ndarray, generator: np.random.Generator) -> float:
        noisy = private_histogram(data, edges, epsilon, generator)
        return float(noisy[0] - noisy[-1])

    return estimate_epsilon(statistic, dataset, neighbour, n_samples=n_samples, rng=rng)
