"""Unit tests of course_lib.dp (lesson 04): hand-computed cases, distributions, the audit, bad input."""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from course_lib import dp


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- Laplace mechanism ------------------------------------------------------------------


def test_laplace_output_follows_the_laplace_distribution():
    draws = dp.laplace_mechanism(np.full(20_000, 3.0), sensitivity=2.0, epsilon=0.5, rng=rng(1))
    # noise scale b = sensitivity / epsilon = 4
    result = stats.kstest(draws, stats.laplace(loc=3.0, scale=4.0).cdf)
    assert result.pvalue > 0.01
    wrong = stats.kstest(draws, stats.laplace(loc=3.0, scale=2.0).cdf)
    assert wrong.pvalue < 1e-6


def test_laplace_scalar_returns_float_and_array_keeps_shape():
    out = dp.laplace_mechanism(10, 1.0, 1.0, rng())
    assert isinstance(out, float)
    assert dp.laplace_mechanism(np.zeros((2, 3)), 1.0, 1.0, rng()).shape == (2, 3)


def test_laplace_is_reproducible_with_the_same_rng_and_exact_with_zero_sensitivity():
    assert dp.laplace_mechanism(1.0, 1.0, 1.0, rng(5)) == dp.laplace_mechanism(1.0, 1.0, 1.0, rng(5))
    assert dp.laplace_mechanism(7.5, 0.0, 1.0, rng()) == 7.5


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"epsilon": 0}, ValueError, "epsilon must be > 0"),
        ({"epsilon": -1}, ValueError, "epsilon must be > 0"),
        ({"epsilon": float("nan")}, ValueError, "epsilon"),
        ({"epsilon": "1"}, TypeError, "epsilon must be a number"),
        ({"sensitivity": -0.1}, ValueError, "sensitivity must be >= 0"),
        ({"sensitivity": float("inf")}, ValueError, "sensitivity"),
        ({"value": float("nan")}, ValueError, "value must be finite"),
        ({"value": [1.0, float("inf")]}, ValueError, "value must be finite"),
        ({"value": "abc"}, TypeError, "value must be numeric"),
        ({"rng": 42}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_laplace_rejects_bad_input(kwargs, error, text):
    args = {"value": 1.0, "sensitivity": 1.0, "epsilon": 1.0, "rng": rng()} | kwargs
    with pytest.raises(error, match=text):
        dp.laplace_mechanism(**args)


# --- bounds, clipping, bounded queries ---------------------------------------------------


def test_clip_hand_computed():
    assert np.array_equal(dp.clip([-5, 0.5, 3, 20], 0, 10), [0, 0.5, 3, 10])


@pytest.mark.parametrize("lower, upper", [(1, 1), (2, 1), (0, float("inf")), (float("nan"), 1)])
def test_clip_rejects_bad_bounds(lower, upper):
    with pytest.raises(ValueError, match="lower|upper"):
        dp.clip([1, 2], lower, upper)


def test_bounded_mean_noise_scale_comes_from_bounds_not_data():
    values = np.array([5.0, 5.0, 5.0, 5.0])  # no spread at all in the data
    draws = np.array([dp.bounded_mean(values, 0, 10, 1.0, rng(s)) for s in range(4000)])
    # sensitivity (10 - 0) / 4 = 2.5, Laplace std = sqrt(2) * 2.5
    assert abs(draws.mean() - 5.0) < 0.2
    assert abs(draws.std() - math.sqrt(2) * 2.5) < 0.2


def test_bounded_mean_clips_outliers_before_averaging():
    generator = rng(3)
    big = np.full(100_000, 1.0)
    big[0] = 1e9
    assert abs(dp.bounded_mean(big, 0, 2, 10.0, generator) - 1.00001) < 0.01


def test_bounded_sum_sensitivity_covers_replace_and_add_remove():
    draws = np.array([dp.bounded_sum([1.0, 2.0], -1, 3, 1.0, rng(s)) for s in range(4000)])
    # clipped sum 3, sensitivity max(3 - (-1), 1, 3) = 4: std sqrt(2) * 4
    assert abs(draws.mean() - 3.0) < 0.4
    assert abs(draws.std() - math.sqrt(2) * 4) < 0.4


@pytest.mark.parametrize("func", [dp.bounded_mean, dp.bounded_sum])
def test_bounded_queries_reject_bad_input(func):
    with pytest.raises(ValueError, match="non-empty"):
        func([], 0, 1, 1.0, rng())
    with pytest.raises(ValueError, match="epsilon"):
        func([0.5], 0, 1, 0, rng())
    with pytest.raises(ValueError, match="lower must be < upper"):
        func([0.5], 1, 0, 1.0, rng())
    with pytest.raises(ValueError, match="finite"):
        func([0.5, float("nan")], 0, 1, 1.0, rng())


def test_data_dependent_sensitivity_is_the_largest_sorted_gap():
    assert dp.data_dependent_sensitivity([5.0, 1.0, 2.0, 2.5]) == pytest.approx(2.5)  # sorted gaps 1, 0.5, 2.5
    with pytest.raises(ValueError, match="at least 2"):
        dp.data_dependent_sensitivity([1.0])
    with pytest.raises(ValueError, match="non-empty"):
        dp.data_dependent_sensitivity([])


def test_mean_with_data_dependent_sensitivity_has_no_noise_when_values_are_equal():
    assert dp.mean_with_data_dependent_sensitivity([4.0, 4.0, 4.0], 1.0, rng()) == 4.0
    with pytest.raises(ValueError, match="epsilon"):
        dp.mean_with_data_dependent_sensitivity([1.0, 2.0], -1, rng())


# --- randomised response ----------------------------------------------------------------


def test_randomized_response_keeps_answers_with_the_right_probability():
    answers = np.ones(40_000, dtype=int)
    reports = dp.randomized_response(answers, math.log(3), rng(2))  # p = 3 / 4
    assert set(np.unique(reports)) <= {0, 1}
    assert abs(reports.mean() - 0.75) < 0.01


def test_randomized_response_estimate_is_unbiased_and_hand_computed():
    # epsilon = ln 3: p = 0.75; a report share of 0.5 means pi = (0.5 - 0.25) / 0.5 = 0.5
    assert dp.randomized_response_estimate([0, 1, 0, 1], math.log(3)) == pytest.approx(0.5)
    truth = (rng(4).random(50_000) < 0.3).astype(int)
    estimate = dp.randomized_response_estimate(dp.randomized_response(truth, 1.0, rng(5)), 1.0)
    assert abs(estimate - truth.mean()) < 0.02


def test_randomized_response_rejects_bad_input():
    with pytest.raises(ValueError, match="0/1"):
        dp.randomized_response([0, 2], 1.0, rng())
    with pytest.raises(ValueError, match="epsilon"):
        dp.randomized_response([0, 1], 0, rng())
    with pytest.raises(ValueError, match="1-D"):
        dp.randomized_response([[0, 1]], 1.0, rng())
    with pytest.raises(ValueError, match="0/1"):
        dp.randomized_response_estimate([0.5], 1.0)
    with pytest.raises(ValueError, match="non-empty"):
        dp.randomized_response_estimate([], 1.0)


# --- Gaussian mechanism -----------------------------------------------------------------


def test_gaussian_sigma_hand_computed_and_mechanism_distribution():
    sigma = dp.gaussian_sigma(1.0, 0.5, 1e-5)
    assert sigma == pytest.approx(math.sqrt(2 * math.log(1.25e5)) / 0.5)
    draws = dp.gaussian_mechanism(np.zeros(20_000), 1.0, 0.5, 1e-5, rng(6))
    assert stats.kstest(draws, stats.norm(0, sigma).cdf).pvalue > 0.01
    assert isinstance(dp.gaussian_mechanism(1.0, 1.0, 0.5, 1e-5, rng()), float)


@pytest.mark.parametrize(
    "args, text",
    [((1.0, 0.0, 1e-5), "epsilon must be > 0"), ((1.0, 1.0, 1e-5), "epsilon must be < 1"),
     ((1.0, 0.5, 0.0), "delta must be in"), ((1.0, 0.5, 1.0), "delta must be in"),
     ((-1.0, 0.5, 1e-5), "sensitivity must be >= 0")],
)
def test_gaussian_rejects_bad_parameters(args, text):
    with pytest.raises(ValueError, match=text):
        dp.gaussian_sigma(*args)
    with pytest.raises(ValueError, match=text):
        dp.gaussian_mechanism(0.0, *args, rng=rng())


# --- the audit --------------------------------------------------------------------------


def _laplace_count(epsilon):
    return lambda data, r: dp.laplace_mechanism(float(np.sum(data)), 1.0, epsilon, r)


def test_estimate_epsilon_passes_a_correct_mechanism_and_is_fairly_tight():
    estimate = dp.estimate_epsilon(_laplace_count(1.0), [1, 0, 1], [1, 1, 1], n_samples=20_000, rng=rng(7))
    assert 0.6 < estimate <= 1.0


def test_estimate_epsilon_is_a_lower_bound_across_seeds():
    # The pair differs by exactly the sensitivity, so the true epsilon is 1.0: a sound 95 %
    # lower bound must stay at or below it for (almost) every seed, and not be trivially 0.
    estimates = np.array([
        dp.estimate_epsilon(_laplace_count(1.0), [0], [1], n_samples=4_000, rng=rng(100 + s)) for s in range(30)
    ])
    assert np.mean(estimates <= 1.0) >= 0.95
    assert estimates.mean() > 0.5


def test_estimate_epsilon_is_zero_without_evidence():
    assert dp.estimate_epsilon(_laplace_count(1.0), [1, 1], [1, 1], n_samples=5_000, rng=rng(8)) == 0.0


def test_estimate_epsilon_flags_data_dependent_sensitivity():
    values = np.linspace(5.0, 6.0, 101)  # clustered: largest gap 0.01
    neighbour = values.copy()
    neighbour[0] = 14.0                  # one record replaced by an outlier
    claimed = 1.0
    leaky = dp.estimate_epsilon(
        lambda d, r: dp.mean_with_data_dependent_sensitivity(d, claimed, r), values, neighbour, 20_000, rng(9)
    )
    bounded = dp.estimate_epsilon(lambda d, r: dp.bounded_mean(d, 4, 14, claimed, r), values, neighbour, 20_000, rng(9))
    assert leaky > 5 * claimed
    assert bounded <= claimed


def test_estimate_epsilon_randomized_response_within_claim():
    estimate = dp.estimate_epsilon(lambda d, r: dp.randomized_response([d], 1.0, r)[0], 0, 1, 20_000, rng(10))
    assert 0.5 < estimate <= 1.0


def test_estimate_epsilon_rejects_bad_input():
    mech = _laplace_count(1.0)
    with pytest.raises(TypeError, match="mechanism must be callable"):
        dp.estimate_epsilon(42, [0], [1])
    with pytest.raises(ValueError, match="n_samples must be an int from 100 to 2000000"):
        dp.estimate_epsilon(mech, [0], [1], n_samples=10)
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        dp.estimate_epsilon(mech, [0], [1], n_samples=200, confidence=1.0)
    with pytest.raises(ValueError, match="n_thresholds"):
        dp.estimate_epsilon(mech, [0], [1], n_samples=200, n_thresholds=0)
    with pytest.raises(TypeError, match="rng must be"):
        dp.estimate_epsilon(mech, [0], [1], n_samples=200, rng=1)
    with pytest.raises(TypeError, match="mechanism must return one number"):
        dp.estimate_epsilon(lambda d, r: "x", [0], [1], n_samples=200, rng=rng())
    with pytest.raises(ValueError, match="non-finite"):
        dp.estimate_epsilon(lambda d, r: float("nan"), [0], [1], n_samples=200, rng=rng())


# --- private models ---------------------------------------------------------------------


def test_private_logistic_accuracy_improves_with_epsilon():
    generator = rng(11)
    X = generator.random((600, 3))
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=UserWarning)  # no PrivacyLeakWarning with data_norm
        frame = dp.private_logistic_accuracy(X[:400], y[:400], X[400:], y[400:], [0.01, 100.0], [0, 1, 2],
                                             data_norm=math.sqrt(3))
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["epsilon", "seed", "accuracy"]
    means = frame.groupby("epsilon")["accuracy"].mean()
    assert means[100.0] > 0.85 and means[100.0] > means[0.01]


def test_private_logistic_accuracy_rejects_bad_input():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="data_norm must be > 0"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0], [0], data_norm=0)
    with pytest.raises(ValueError, match=r"epsilons\[0\] must be > 0"):
        dp.private_logistic_accuracy(X, y, X, y, [0.0], [0], data_norm=1.0)
    with pytest.raises(ValueError, match="at least one"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0], [], data_norm=1.0)


# --- Report noisy max -------------------------------------------------------------------


def test_report_noisy_max_returns_the_series_label_and_the_position_for_a_list():
    assert dp.report_noisy_max(pd.Series({"flu": 1000.0, "cold": 0.0}), 1.0, 1.0, rng()) == "flu"
    assert dp.report_noisy_max([0.0, 0.0, 1000.0], 1.0, 1.0, rng()) == 2


def test_report_noisy_max_uses_scale_two_sensitivity_over_epsilon():
    # two candidates: P[second wins] = P[L2 - L1 > gap], L1, L2 ~ Lap(b) with b = 2 * 1 / 1 = 2
    gap, b = 2.0, 2.0
    generator = rng(3)
    wins = np.mean([dp.report_noisy_max([gap, 0.0], 1.0, 1.0, generator) == 1 for _ in range(20_000)])
    # difference of two Lap(b): P[D > t] = exp(-t/b) (2 + t/b) / 4
    expected = math.exp(-gap / b) * (2 + gap / b) / 4
    assert abs(wins - expected) < 0.01


def test_report_noisy_max_probability_ratio_is_within_e_epsilon():
    # neighbours (replace-one): one record moves from candidate 0 to candidate 1
    d, d_prime = [10.0, 9.0, 5.0], [9.0, 10.0, 5.0]
    generator = rng(4)
    p = np.mean([dp.report_noisy_max(d, 1.0, 1.0, generator) == 0 for _ in range(20_000)])
    q = np.mean([dp.report_noisy_max(d_prime, 1.0, 1.0, generator) == 0 for _ in range(20_000)])
    assert p / q <= math.e * 1.1


@pytest.mark.parametrize(("scores", "sensitivity", "epsilon", "error", "words"), [
    ("ab", 1.0, 1.0, TypeError, "scores must be a sequence"),
    (5, 1.0, 1.0, TypeError, "scores must be a sequence"),
    ([], 1.0, 1.0, ValueError, "at least one candidate"),
    ([1.0, float("nan")], 1.0, 1.0, ValueError, "finite"),
    ([1.0, 2.0], -1.0, 1.0, ValueError, "sensitivity"),
    ([1.0, 2.0], 1.0, 0.0, ValueError, "epsilon"),
])
def test_report_noisy_max_rejects_bad_input(scores, sensitivity, epsilon, error, words):
    with pytest.raises(error, match=words):
        dp.report_noisy_max(scores, sensitivity, epsilon, rng())
