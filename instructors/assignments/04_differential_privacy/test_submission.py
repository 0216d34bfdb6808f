"""Tests for assignment 04 (private histogram): run with SUBMISSION_DIR=<student folder>.

The noise is checked statistically (means and spreads over thousands of runs, with tolerances
many standard errors wide) and by course_lib's empirical audit; all randomness is seeded.
"""
from __future__ import annotations

import math
from types import ModuleType

import numpy as np
import pytest

from course_lib.data import load_patients
from course_lib.dp import estimate_epsilon

# --------------------------------------------------------------------------------------
# The submission: `sub` comes from ../conftest.py (SUBMISSION_DIR names the folder)
# --------------------------------------------------------------------------------------


def _get(module: ModuleType, name: str) -> object:
    if not hasattr(module, name):
        pytest.fail(f"submission.py must define {name!r} (see ASSIGNMENT.md)", pytrace=False)
    return getattr(module, name)


EDGES = [18, 30, 40, 50, 60, 70, 80, 96]


def true_counts(values: np.ndarray, edges: list[float]) -> np.ndarray:
    clipped = np.clip(values, edges[0], edges[-1])
    return np.array([
        np.sum((clipped >= lo) & ((clipped < hi) if i < len(edges) - 2 else (clipped <= hi)))
        for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True))
    ], dtype=float)


def runs(sub: ModuleType, values: np.ndarray, epsilon: float, n: int, seed: int) -> np.ndarray:
    histogram = _get(sub, "private_histogram")
    rng = np.random.default_rng(seed)
    out = np.array([histogram(values, EDGES, epsilon, rng) for _ in range(n)], dtype=float)
    assert out.shape == (n, len(EDGES) - 1), f"expected one noisy count per bin ({len(EDGES) - 1}), got shape {out.shape[1:]}"
    return out


@pytest.fixture(scope="module")
def ages() -> np.ndarray:
    rng = np.random.default_rng(4)
    inside = rng.integers(18, 96, size=300).astype(float)
    return np.concatenate([inside, [5.0, 12.0, 17.9, 96.0, 101.0, 130.0]])  # outside the declared bounds


def test_counts_are_unbiased_and_clipped(sub, ages):
    out = runs(sub, ages, epsilon=1.0, n=3000, seed=11)
    want = true_counts(ages, EDGES)
    # the standard error of each mean is about 0.05; out-of-range values moved in or dropped change a count by >= 1
    np.testing.assert_allclose(out.mean(axis=0), want, atol=0.3, err_msg="mean of the noisy counts against the true (clipped) counts")


@pytest.mark.parametrize("epsilon", [0.5, 2.0])
def test_noise_matches_the_replace_one_sensitivity(sub, ages, epsilon):
    out = runs(sub, ages, epsilon=epsilon, n=4000, seed=12)
    noise = out - true_counts(ages, EDGES)
    spread = float(noise.std())
    want = math.sqrt(2) * 2 / epsilon  # Laplace(b) has sd sqrt(2) b; b = sensitivity / epsilon, sensitivity 2
    assert abs(spread - want) / want < 0.08, (
        f"at epsilon={epsilon} the noise has standard deviation {spread:.3f}; Laplace noise for the histogram's "
        f"sensitivity under replace-one neighbours has {want:.3f} (scale sensitivity / epsilon)"
    )


def test_audit_does_not_refute_the_claimed_epsilon(sub):
    histogram = _get(sub, "private_histogram")
    edges = [0, 50, 100]
    dataset = np.array([20.0] * 6 + [70.0] * 6)
    neighbour = dataset.copy()
    neighbour[0] = 70.0  # one patient replaced: moves from the first bin to the second

    def statistic(data: np.ndarray, rng: np.random.Generator) -> float:
        noisy = histogram(data, edges, 1.0, rng)
        return float(noisy[0] - noisy[1])

    found = estimate_epsilon(statistic, dataset, neighbour, n_samples=10_000, rng=np.random.default_rng(0))
    assert found <= 1.0, (
        f"the audit proves (95 % confidence) that the histogram claimed at epsilon=1 is at least {found:.2f}-DP "
        "for replace-one neighbours"
    )


def test_same_seed_same_output(sub, ages):
    histogram = _get(sub, "private_histogram")
    first = histogram(ages, EDGES, 1.0, np.random.default_rng(99))
    again = histogram(ages, EDGES, 1.0, np.random.default_rng(99))
    other = histogram(ages, EDGES, 1.0, np.random.default_rng(100))
    np.testing.assert_array_equal(first, again, err_msg="the same rng seed must give the same output: draw noise from rng")
    assert not np.array_equal(first, other), "another seed gave the same output: is any noise added?"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"epsilon": 0.0}, ValueError),
        ({"epsilon": -1.0}, ValueError),
        ({"epsilon": float("inf")}, ValueError),
        ({"edges": [18]}, ValueError),
        ({"edges": [18, 40, 30]}, ValueError),
        ({"edges": [18, 18, 30]}, ValueError),
        ({"rng": 42}, TypeError),
    ],
)
def test_bad_arguments(sub, ages, kwargs, error):
    arguments = {"values": ages, "edges": EDGES, "epsilon": 1.0, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error):
        _get(sub, "private_histogram")(**arguments)


def test_epsilon_meets_the_utility_rule(sub):
    assert list(_get(sub, "AGE_EDGES")) == EDGES, f"AGE_EDGES must be {EDGES}"
    epsilon = float(_get(sub, "EPSILON"))
    assert 0 < epsilon <= 2, f"EPSILON must be in (0, 2], got {epsilon}"
    smallest = true_counts(load_patients()["age"].to_numpy(dtype=float), EDGES).min()
    sd = math.sqrt(2) * 2 / epsilon
    assert sd <= 0.05 * smallest, (
        f"at EPSILON={epsilon} the noise sd per bin is {sd:.1f}, more than 5 % of the smallest bin ({smallest:.0f})"
    )


def test_own_audit_is_sound_and_meaningful(sub):
    found = float(_get(sub, "audit_histogram")(2.0, 4000, np.random.default_rng(1)))
    assert found <= 2.0, f"your audit reports {found:.2f} for a histogram claimed at epsilon=2"
    assert found >= 0.4, (
        f"your audit finds only {found:.2f} of epsilon=2: choose neighbours and a statistic that show the change "
        "(a record moving between two bins changes both counts)"
    )
