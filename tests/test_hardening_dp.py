"""Issue 18, classes 3, 5 and 6 for lesson 04 (dp) and the shared statistics: no silently
infinite or NaN results, bounded workloads, and errors that name the argument."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import dp, models

TINY = 5e-324  # the smallest positive float64 (subnormal)


def rng():
    return np.random.default_rng(0)


# ---------------------------------------------------------------- 3. non-finite results


@pytest.mark.parametrize("call, match", [
    (lambda: dp.laplace_mechanism(0, 1, TINY, rng()), "Laplace scale sensitivity / epsilon is not finite"),
    (lambda: dp.laplace_mechanism(0, 1e308, 1e-10, rng()), "Laplace scale"),
    (lambda: dp.laplace_mechanism(1e308, 1e308, 0.01, rng()), "noisy release overflowed|Laplace scale"),
    (lambda: dp.laplace_mechanism([1.79e308] * 50, 1e307, 1.0, rng()), "noisy release overflowed"),
    (lambda: dp.bounded_sum([1.0], -1e308, 1e308, 1.0, rng()), "sensitivity .* is not finite"),
    (lambda: dp.bounded_sum([1e308] * 10, 0, 1.7e308, 1.0, rng()), "sum of the clipped values is not finite"),
    (lambda: dp.bounded_mean([1.0], -1e308, 1e308, 1.0, rng()), "width upper - lower is not finite"),
    (lambda: dp.bounded_mean([1.0, 2.0], 0, 1, TINY, rng()), "Laplace scale"),
    (lambda: dp.data_dependent_sensitivity([-1e308, 1e308]), "largest gap is not finite"),
    (lambda: dp.mean_with_data_dependent_sensitivity([1e308, 1e308], 1.0, rng()), "mean of values is not finite"),
    (lambda: dp.gaussian_sigma(1, TINY, 1e-5), "Gaussian sigma is not finite"),
    (lambda: dp.gaussian_sigma(1e308, 0.5, 1e-5), "Gaussian sigma is not finite"),
    (lambda: dp.gaussian_sigma(1, 0.5, TINY), "Gaussian sigma is not finite"),
    (lambda: dp.gaussian_mechanism(0, 1, TINY, 1e-5, rng()), "Gaussian sigma"),
    (lambda: dp.randomized_response_estimate([0, 1, 1], TINY), "epsilon=5e-324 is too small to invert"),
    (lambda: dp.randomized_response_estimate([0, 1, 1], 1e-17), "too small to invert"),
])
def test_mechanisms_refuse_non_finite_scales_and_results(call, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning about overflow may leak either
        with pytest.raises(ValueError, match=match):
            call()


@pytest.mark.parametrize("epsilon", [709.0, 710.0, 1e4, 1e300, 1.7e308])
def test_randomized_response_survives_a_huge_epsilon(epsilon):
    answers = np.array([0, 1, 1, 0, 1])
    assert dp.randomized_response(answers, epsilon, rng()).tolist() == answers.tolist()  # was OverflowError
    assert dp.randomized_response_estimate(answers, epsilon) == pytest.approx(0.6)


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False, width=64),
       sensitivity=st.floats(min_value=0, allow_nan=False, allow_infinity=False),
       epsilon=st.floats(min_value=0, exclude_min=True, allow_nan=False, allow_infinity=False))
def test_laplace_is_finite_or_refused(value, sensitivity, epsilon):
    """Property: for every finite input the release is finite, or a ValueError says why."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = dp.laplace_mechanism(value, sensitivity, epsilon, rng())
        except ValueError as exc:
            assert "not finite" in str(exc) or "overflow" in str(exc)
        else:
            assert math.isfinite(out)


@settings(max_examples=150, deadline=None)
@given(epsilon=st.floats(min_value=0, exclude_min=True, allow_nan=False, allow_infinity=False),
       responses=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=20))
def test_randomized_response_estimate_is_finite_or_refused(epsilon, responses):
    try:
        out = dp.randomized_response_estimate(responses, epsilon)
    except ValueError as exc:
        assert "epsilon" in str(exc)
    else:
        assert math.isfinite(out)


@settings(max_examples=150, deadline=None)
@given(sensitivity=st.floats(min_value=0, allow_nan=False, allow_infinity=False),
       epsilon=st.floats(min_value=0, max_value=1, exclude_min=True, exclude_max=True),
       delta=st.floats(min_value=0, max_value=1, exclude_min=True, exclude_max=True))
def test_gaussian_sigma_is_finite_or_refused(sensitivity, epsilon, delta):
    try:
        sigma = dp.gaussian_sigma(sensitivity, epsilon, delta)
    except ValueError as exc:
        assert "not finite" in str(exc)
    else:
        assert math.isfinite(sigma) and sigma >= 0


@pytest.mark.parametrize("bad", [[1.0, float("nan")], [float("inf")], [-float("inf"), 1.0]])
def test_statistics_refuse_nan_and_infinity(bad):
    for call, name in (
        (lambda: dp.bounded_mean(bad, 0, 1, 1.0, rng()), "values"),
        (lambda: dp.bounded_sum(bad, 0, 1, 1.0, rng()), "values"),
        (lambda: dp.clip(bad, 0, 1), "values"),
        (lambda: dp.laplace_mechanism(bad, 1, 1, rng()), "value"),
        (lambda: dp.randomized_response_estimate(bad, 1.0), "responses"),
        (lambda: models.paired_difference_interval(bad + [0.5, 0.5], [0.5] * (len(bad) + 2), test_fraction=0.2), "a"),
        (lambda: models.accuracy_interval(bad, [1] * len(bad)), "y_true"),
    ):
        with pytest.raises(ValueError, match=f"{name} must be finite"):
            call()


@pytest.mark.parametrize("bad", [["1", "0"], np.array(["2020-01-01"], dtype="datetime64[D]"), ["a"],
                                 np.array([1, 2], dtype="timedelta64[s]")])
def test_text_dates_and_durations_are_not_reinterpreted_as_numbers(bad):
    with pytest.raises(TypeError, match="values must be numeric"):
        dp.clip(bad, 0, 1)
    with pytest.raises(TypeError, match="answers must be numeric"):
        dp.randomized_response(bad, 1.0, rng())


# ---------------------------------------------------------------- 5. bounded workloads


def test_estimate_epsilon_workload_is_bounded():
    def mech(data, r):  # pragma: no cover - never called: the arguments are refused first
        return 0.0
    with pytest.raises(ValueError, match="n_samples must be an int from 100 to 2000000, got 10000000000"):
        dp.estimate_epsilon(mech, 0, 1, n_samples=10**10, rng=rng())
    with pytest.raises(ValueError, match="n_thresholds must be an int from 1 to 4096, got 1000000"):
        dp.estimate_epsilon(mech, 0, 1, n_samples=200, n_thresholds=10**6, rng=rng())
    with pytest.raises(TypeError, match="n_samples must be an int, got float"):
        dp.estimate_epsilon(mech, 0, 1, n_samples=1e4, rng=rng())
    with pytest.raises(TypeError, match="confidence must be a number"):
        dp.estimate_epsilon(mech, 0, 1, n_samples=200, confidence="high", rng=rng())


def test_threshold_counts_match_the_quadratic_definition():
    """The O(n log n) counts equal the broadcast comparison they replaced."""
    g = rng()
    for outputs in (g.laplace(size=501), g.integers(0, 5, size=400).astype(float), np.zeros(100)):
        thresholds = np.unique(np.quantile(outputs, (np.arange(64) + 0.5) / 64))
        assert np.array_equal(dp._count_at_most(outputs, thresholds), (outputs[:, None] <= thresholds).sum(0))
        assert np.array_equal(dp._count_at_least(outputs, thresholds), (outputs[:, None] >= thresholds).sum(0))


def test_private_logistic_accuracy_workload_and_arguments():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="epsilons x seeds must be at most 1000 fits"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0] * 100, list(range(100)), data_norm=1.0)
    with pytest.raises(TypeError, match="seeds must be a sequence"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0], 0, data_norm=1.0)
    with pytest.raises(TypeError, match="epsilons must be a sequence"):
        dp.private_logistic_accuracy(X, y, X, y, 1.0, [0], data_norm=1.0)
    with pytest.raises(TypeError, match=r"seeds\[0\] must be an int"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0], [None], data_norm=1.0)
    with pytest.raises(ValueError, match=r"seeds\[0\] must be an int from 0"):
        dp.private_logistic_accuracy(X, y, X, y, [1.0], [-1], data_norm=1.0)
    with pytest.raises(ValueError, match="X_train and y_train must have the same"):
        dp.private_logistic_accuracy(X, y[:3], X, y, [1.0], [0], data_norm=1.0)
    with pytest.raises(ValueError, match="X_train must be 2-D"):
        dp.private_logistic_accuracy(y, y, X, y, [1.0], [0], data_norm=1.0)
    with pytest.raises(ValueError, match="y_train must hold at least two classes"):
        dp.private_logistic_accuracy(X, np.zeros(4), X, y, [1.0], [0], data_norm=1.0)
    with pytest.raises(ValueError, match="X_train must be finite"):
        dp.private_logistic_accuracy(np.full((4, 2), np.nan), y, X, y, [1.0], [0], data_norm=1.0)


def test_negative_zero_sensitivity_is_zero_not_an_error():
    """Found by the property test: numpy refuses a Laplace scale of -0.0 with 'scale < 0'."""
    assert dp.laplace_mechanism(1.0, -0.0, 1.0, rng()) == 1.0
    assert dp.gaussian_mechanism(1.0, np.float32(-0.0), 0.5, 1e-5, rng()) == 1.0
