"""Unit tests of course_lib.federated (lesson 05): FedAvg's algebra, leakage, masks, DP accounting, robustness."""
import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from course_lib import data, dp, models
from course_lib import federated as fl


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def hospitals():
    train, test = models.holdout_split(data.load_patients())
    X, y = models.clinical_matrix(train)
    X_test, y_test = models.clinical_matrix(test)
    return X, y, train["hospital"].to_numpy(), (X_test, y_test)


def toy(n=40, d=3, seed=0):
    g = rng(seed)
    X = g.normal(size=(n, d))
    y = (X @ np.arange(1, d + 1) + g.normal(size=n) > 0).astype(int)
    return X, y


# --- partition ----------------------------------------------------------------------------


def test_partition_by_hospital_keeps_every_row_once_in_sorted_group_order(hospitals):
    X, y, groups, _ = hospitals
    clients = fl.partition(X, y, groups)
    names = sorted(set(groups))
    assert [len(c[1]) for c in clients] == [int((groups == n).sum()) for n in names]
    assert np.array_equal(clients[0][0], X[groups == names[0]])
    assert sum(len(c[1]) for c in clients) == len(y)
    rates = [c[1].mean() for c in clients]
    assert max(rates) - min(rates) > 0.2, "the hospitals are non-IID: their readmission rates differ"


def test_partition_iid_gives_equal_shuffled_clients_reproducibly(hospitals):
    X, y, groups, _ = hospitals
    clients = fl.partition(X, y, groups, iid=True, rng=rng(1))
    sizes = [len(c[1]) for c in clients]
    assert len(clients) == 5 and max(sizes) - min(sizes) <= 1 and sum(sizes) == len(y)
    again = fl.partition(X, y, groups, iid=True, rng=rng(1))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(clients, again))
    assert np.ptp([c[1].mean() for c in clients]) < 0.1, "IID clients share the outcome rate"
    assert sorted(map(tuple, np.vstack([c[0] for c in clients]))) == sorted(map(tuple, X))
    assert len(fl.partition(X, y, groups, iid=True, n_clients=3, rng=rng(0))) == 3


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"X": np.zeros(4)}, ValueError, "X must be 2-D"),
        ({"X": np.full((4, 2), np.nan)}, ValueError, "X must be finite"),
        ({"y": [0, 1, 2, 0]}, ValueError, "y must hold only 0 and 1"),
        ({"y": [0, 1]}, ValueError, "one label per row"),
        ({"groups": ["a"]}, ValueError, "groups must give one group per row"),
        ({"iid": "yes"}, TypeError, "iid must be True or False"),
        ({"n_clients": 2}, ValueError, "n_clients applies only to iid=True"),
        ({"iid": True, "n_clients": 0}, ValueError, "n_clients must be an int >= 1"),
        ({"iid": True, "n_clients": 9}, ValueError, "n_clients must be <= the number of rows"),
        ({"iid": True, "rng": 3}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_partition_rejects_bad_input(kwargs, error, text):
    args = {"X": np.zeros((4, 2)), "y": [0, 1, 0, 1], "groups": ["a", "a", "b", "b"]} | kwargs
    with pytest.raises(error, match=text):
        fl.partition(**args)


# --- the model ----------------------------------------------------------------------------


def test_gradient_matches_finite_differences_of_the_loss():
    X, y = toy()
    params = rng(2).normal(size=4)
    grad = fl.logistic_gradient(params, X, y)
    h = 1e-6
    numeric = [(fl.log_loss(params + h * e, X, y) - fl.log_loss(params - h * e, X, y)) / (2 * h) for e in np.eye(4)]
    assert np.allclose(grad, numeric, atol=1e-7)


def test_model_helpers_agree_with_scikit_learn_conventions():
    X, y = toy()
    params = np.array([1.0, 2.0, 3.0, 0.5])
    p = fl.predict_proba(params, X)
    assert np.allclose(p, 1 / (1 + np.exp(-(X @ params[:3] + 0.5))))
    assert fl.accuracy(params, X, y) == pytest.approx(np.mean((p >= 0.5) == y))
    assert fl.log_loss(np.zeros(4), X, y) == pytest.approx(math.log(2))


def test_local_train_descends_and_leaves_its_input_alone():
    X, y = toy()
    start = np.zeros(4)
    trained = fl.local_train(start, X, y, epochs=50, learning_rate=1.0)
    assert np.all(start == 0)
    assert fl.log_loss(trained, X, y) < fl.log_loss(start, X, y) - 0.2
    two = fl.local_train(fl.local_train(start, X, y, epochs=1), X, y, epochs=1)
    assert np.allclose(two, fl.local_train(start, X, y, epochs=2))


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda X, y: fl.local_train(np.zeros(3), X, y), ValueError, "params must hold 4 values"),
        (lambda X, y: fl.local_train(np.zeros(4), X, y, epochs=0), ValueError, "epochs must be an int from 1 to 10000"),
        (lambda X, y: fl.local_train(np.zeros(4), X, y, learning_rate=0), ValueError, "learning_rate must be > 0"),
        (lambda X, y: fl.local_train(np.zeros(4), X, y, epochs=1.5), TypeError, "epochs must be an int"),
        (lambda X, y: fl.predict_proba(np.zeros(4), X[:, :2]), ValueError, "params must hold 3 values"),
        (lambda X, y: fl.accuracy(np.zeros(4), X, y[:3]), ValueError, "one label per row"),
        (lambda X, y: fl.log_loss(np.zeros(4), "X", y), TypeError, "X must be numeric"),
        (lambda X, y: fl.logistic_gradient([np.nan] * 4, X, y), ValueError, "params must be finite"),
    ],
)
def test_model_helpers_reject_bad_input(call, error, text):
    X, y = toy()
    with pytest.raises(error, match=text):
        call(X, y)


# --- weighted_average and fedavg --------------------------------------------------------


def test_weighted_average_by_hand():
    got = fl.weighted_average([np.array([1.0, 0.0]), np.array([0.0, 4.0])], [3, 1])
    assert np.allclose(got, [0.75, 1.0])
    assert np.allclose(fl.unweighted_average([np.array([1.0, 0.0]), np.array([0.0, 4.0])], [3, 1]), [0.5, 2.0])
    assert np.allclose(fl.weighted_average([np.ones(2), 5 * np.ones(2)], [0, 2]), [5, 5]), "a size of 0 counts nothing"


@settings(max_examples=50, deadline=None)
@given(
    arrays(float, (4, 3), elements=st.floats(-100, 100)),
    st.lists(st.integers(1, 1000), min_size=4, max_size=4),
)
def test_weighted_average_is_a_convex_combination_invariant_to_scaling_sizes(updates, sizes):
    got = fl.weighted_average(list(updates), sizes)
    assert np.all(got >= updates.min(axis=0) - 1e-9) and np.all(got <= updates.max(axis=0) + 1e-9)
    assert np.allclose(got, fl.weighted_average(list(updates), [7 * s for s in sizes]))
    equal = fl.weighted_average(list(updates), [5] * 4)
    assert np.allclose(equal, updates.mean(axis=0))


@pytest.mark.parametrize(
    "updates, sizes, error, text",
    [
        ([np.ones(2), np.ones(2)], [1], ValueError, "one size per update"),
        ([np.ones(2), np.ones(2)], [1, -1], ValueError, "sizes must be >= 0"),
        ([np.ones(2), np.ones(2)], [0, 0], ValueError, "must not all be 0"),
        ([np.ones(2), np.ones(3)], [1, 1], ValueError, "same shape"),
        ([], [], ValueError, "at least one client"),
        ([np.ones(2)], "1", TypeError, "sizes must be a sequence"),
        (np.ones(2), [1, 1], TypeError, "updates must be a sequence of arrays"),
        ([np.array([np.inf, 0])], [1], ValueError, r"updates\[0\] must be finite"),
    ],
)
def test_weighted_average_rejects_bad_input(updates, sizes, error, text):
    with pytest.raises(error, match=text):
        fl.weighted_average(updates, sizes)


def test_fedavg_with_one_local_step_is_pooled_gradient_descent(hospitals):
    X, y, groups, test = hospitals
    clients = fl.partition(X, y, groups)
    params, history = fl.fedavg(clients, test=test, rounds=15, local_epochs=1, learning_rate=0.8)
    pooled = fl.local_train(np.zeros(X.shape[1] + 1), X, y, epochs=15, learning_rate=0.8)
    assert np.allclose(params, pooled, atol=1e-12, rtol=0)
    wrong, _ = fl.fedavg(clients, test=test, rounds=15, local_epochs=1, learning_rate=0.8,
                         aggregate=fl.unweighted_average)
    assert np.abs(wrong - pooled).max() > 1e-3, "the unweighted mean is NOT pooled gradient descent"


def test_fedavg_history_counts_rounds_and_bytes_and_reaches_pooled_accuracy(hospitals):
    X, y, groups, test = hospitals
    clients = fl.partition(X, y, groups)
    params, history = fl.fedavg(clients, test=test, rounds=20)
    assert list(history.columns) == ["round", "accuracy", "loss", "bytes_sent", "cumulative_bytes"]
    assert history["round"].tolist() == list(range(21))
    assert history["bytes_sent"].iloc[1] == 5 * 2 * 11 * 8 and history["cumulative_bytes"].iloc[-1] == 20 * 880
    assert history["accuracy"].iloc[-1] == pytest.approx(fl.accuracy(params, *test))
    pooled = fl.local_train(np.zeros(11), X, y, epochs=500)
    assert history["accuracy"].iloc[-1] >= fl.accuracy(pooled, *test) - 0.01
    assert history["loss"].iloc[-1] < history["loss"].iloc[0]


def test_fedavg_is_deterministic_and_secure_aggregation_changes_nothing(hospitals):
    X, y, groups, test = hospitals
    clients = fl.partition(X, y, groups)
    plain, h1 = fl.fedavg(clients, test=test, rounds=5)
    again, h2 = fl.fedavg(clients, test=test, rounds=5)
    assert np.array_equal(plain, again) and h1.equals(h2)
    masked, _ = fl.fedavg(clients, test=test, rounds=5, secure_aggregation=True, rng=rng(3))
    assert np.allclose(masked, plain, atol=1e-9)


def test_fedavg_attack_hook_and_robust_aggregation(hospitals):
    X, y, groups, test = hospitals
    clients = fl.partition(X, y, groups)
    flip = {0: lambda u: -10 * u}
    _, honest = fl.fedavg(clients, test=test, rounds=10)
    _, attacked = fl.fedavg(clients, test=test, rounds=10, attack=flip)
    _, robust = fl.fedavg(clients, test=test, rounds=10, attack=flip, aggregate=fl.coordinate_median)
    assert attacked["accuracy"].iloc[-1] < honest["accuracy"].iloc[-1] - 0.2
    assert robust["accuracy"].iloc[-1] > honest["accuracy"].iloc[-1] - 0.02


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"rounds": 0}, ValueError, "rounds must be an int from 1 to 10000"),
        ({"local_epochs": -1}, ValueError, "local_epochs must be an int from 1 to 10000"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be > 0"),
        ({"aggregate": "mean"}, TypeError, "aggregate must be a function"),
        ({"test": (np.zeros((2, 2)), [0, 1])}, ValueError, "test X must have the clients' 3 features"),
        ({"test": np.zeros(3)}, TypeError, "test must be an"),
        ({"initial": np.zeros(3)}, ValueError, "initial must hold 4 values"),
        ({"attack": {7: lambda u: u}}, ValueError, "attack key"),
        ({"attack": {0: 1.0}}, TypeError, r"attack\[0\] must be a function"),
        ({"attack": {0: lambda u: u[:2]}}, ValueError, r"attack\[0\] must return an update of shape"),
        ({"secure_aggregation": True, "aggregate": fl.coordinate_median}, ValueError, "reveals only the sum"),
        ({"secure_aggregation": 1}, TypeError, "secure_aggregation must be True or False"),
        ({"aggregate": lambda u, s: np.zeros(2)}, ValueError, "aggregate must return an update of shape"),
    ],
)
def test_fedavg_rejects_bad_input(kwargs, error, text):
    X, y = toy()
    args = {"clients": [(X[:20], y[:20]), (X[20:], y[20:])], "test": (X, y), "rounds": 2} | kwargs
    with pytest.raises(error, match=text):
        fl.fedavg(**args)


@pytest.mark.parametrize(
    "clients, error, text",
    [
        ([], ValueError, "at least one"),
        ("abc", TypeError, "clients must be a sequence"),
        ([(np.zeros((2, 2)),)], TypeError, r"clients\[0\] must be an \(X, y\) pair"),
        ([(np.zeros((2, 2)), [0, 1]), (np.zeros((2, 3)), [0, 1])], ValueError, "same number of features"),
    ],
)
def test_fedavg_rejects_bad_clients(clients, error, text):
    with pytest.raises(error, match=text):
        fl.fedavg(clients, test=(np.zeros((2, 2)), [0, 1]))


# --- what an update leaks ---------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(arrays(float, 4, elements=st.floats(-3, 3)), st.integers(0, 1), arrays(float, 5, elements=st.floats(-1, 1)))
def test_one_record_gradient_and_update_reveal_the_record_exactly(x, label, params):
    X, y = x.reshape(1, -1), np.array([label])
    features, got = fl.reconstruct_record(fl.logistic_gradient(params, X, y))
    assert np.allclose(features, x, atol=1e-9) and got == label
    update = fl.local_train(params, X, y, epochs=3, learning_rate=0.5) - params
    features, got = fl.reconstruct_record(update, kind="update")
    assert np.allclose(features, x, atol=1e-6) and got == label


def test_a_batch_gradient_gives_only_a_signed_combination_of_records():
    X, y = toy(n=30)
    params = np.array([0.3, -0.2, 0.1, 0.05])
    features, _ = fl.reconstruct_record(fl.logistic_gradient(params, X, y))
    assert not np.any(np.all(np.isclose(X, features), axis=1)), "no single record is returned for a batch"
    residual = fl.predict_proba(params, X) - y
    assert (residual > 0).any() and (residual < 0).any(), "the weights p_i - y_i have both signs"
    assert np.allclose(features, residual @ X / residual.sum()), "sum((p - y) x) / sum(p - y), not a mean"


def test_one_patient_moves_a_clipped_update_by_up_to_twice_the_clip_norm():
    # the reason dp_epsilon(neighbouring="replace client") covers one patient: sensitivity 2 S, not S
    # a hospital holding one record, whose outcome is changed: the clipped updates point opposite ways
    X, start = np.array([[1.0, -2.0]]), np.zeros(3)
    readmitted = fl.clip_update(fl.local_train(start, X, np.array([1.0])) - start, 0.5)
    not_readmitted = fl.clip_update(fl.local_train(start, X, np.array([0.0])) - start, 0.5)
    assert np.linalg.norm(readmitted - not_readmitted) == pytest.approx(1.0), "2 S apart, so sensitivity 2 S"


@pytest.mark.parametrize(
    "vector, kwargs, error, text",
    [
        ([1.0, 0.0], {}, ValueError, "intercept"),
        ([1.0], {}, ValueError, "at least 2 values"),
        ([1.0, 2.0], {"kind": "weights"}, ValueError, "kind must be"),
        ([[1.0, 2.0]], {}, ValueError, "vector must be 1-D"),
    ],
)
def test_reconstruct_record_rejects_bad_input(vector, kwargs, error, text):
    with pytest.raises(error, match=text):
        fl.reconstruct_record(vector, **kwargs)


# --- secure aggregation -----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 7), st.integers(0, 10_000))
def test_masks_cancel_in_the_sum(n_clients, seed):
    updates = list(rng(seed).normal(size=(n_clients, 6)))
    masked = fl.mask_updates(updates, rng(seed + 1))
    assert np.allclose(np.sum(masked, axis=0), np.sum(updates, axis=0), atol=1e-7, rtol=0)  # masks are ~1e6
    assert all(np.abs(m - u).max() > 1.0 for m, u in zip(masked, updates))


def test_one_masked_update_is_uncorrelated_with_the_raw_one():
    updates = list(rng(0).normal(size=(5, 20_000)))
    masked = fl.mask_updates(updates, rng(1))
    r = np.corrcoef(updates[0], masked[0])[0, 1]
    assert abs(r) < 4 / np.sqrt(20_000), r  # within sampling noise of 0 (the true correlation is about 0.001)
    dropped = np.sum(masked[1:], axis=0)
    assert np.abs(dropped - np.sum(updates[1:], axis=0)).max() > 100, "a dropout leaves its masks uncancelled"


@pytest.mark.parametrize(
    "updates, kwargs, error, text",
    [
        ([np.ones(3)], {}, ValueError, "at least 2 clients"),
        ([np.ones(3), np.ones(2)], {}, ValueError, "same shape"),
        ([np.ones(3), np.ones(3)], {"mask_scale": 0}, ValueError, "mask_scale must be > 0"),
        ([np.ones(3), np.ones(3)], {"rng": 1}, TypeError, "rng must be"),
    ],
)
def test_mask_updates_rejects_bad_input(updates, kwargs, error, text):
    with pytest.raises(error, match=text):
        fl.mask_updates(updates, **kwargs)


# --- DP-FedAvg ----------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(arrays(float, 5, elements=st.floats(-50, 50)), st.floats(0.01, 100))
def test_clip_update_bounds_the_norm_and_keeps_the_direction(update, max_norm):
    clipped = fl.clip_update(update, max_norm)
    norm = np.linalg.norm(update)
    assert np.linalg.norm(clipped) <= max_norm * (1 + 1e-9)
    if norm <= max_norm:
        assert np.array_equal(clipped, update)
    else:
        assert np.allclose(clipped * norm / max_norm, update)


@pytest.mark.parametrize("max_norm, error", [(0, ValueError), (-1, ValueError), (float("inf"), ValueError), ("1", TypeError)])
def test_clip_update_rejects_bad_max_norm(max_norm, error):
    with pytest.raises(error, match="max_norm"):
        fl.clip_update(np.ones(3), max_norm)


def test_dp_aggregate_noise_has_the_stated_standard_deviation():
    updates = [np.full(20_000, 10.0), np.zeros(20_000)]
    out = fl.dp_aggregate(updates, clip_norm=1.0, noise_multiplier=2.0, rng=rng(0))
    clipped_mean = fl.clip_update(updates[0], 1.0) / 2
    noise = out - clipped_mean
    assert abs(noise.std() - 2.0 * 1.0 / 2) < 0.02 and abs(noise.mean()) < 0.02
    exact = fl.dp_aggregate(updates, [3, 4], clip_norm=1.0, noise_multiplier=0.0, rng=rng(0))
    assert np.allclose(exact, clipped_mean), "sizes are ignored; no noise means the clipped mean"


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"clip_norm": 0}, ValueError, "clip_norm must be > 0"),
        ({"noise_multiplier": -1}, ValueError, "noise_multiplier must be >= 0"),
        ({"sizes": [1]}, ValueError, "one size per update"),
        ({"rng": "x"}, TypeError, "rng must be"),
    ],
)
def test_dp_aggregate_rejects_bad_input(kwargs, error, text):
    args = {"updates": [np.ones(2), np.ones(2)], "clip_norm": 1.0, "noise_multiplier": 1.0, "rng": rng()} | kwargs
    with pytest.raises(error, match=text):
        fl.dp_aggregate(**args)


def test_dp_epsilon_is_the_exact_gaussian_curve():
    # mu = 1 (z = 1, one round): delta(0) = Phi(1/2) - Phi(-1/2)
    assert fl.dp_epsilon(1.0, 1, 0.5) == 0.0
    eps = fl.dp_epsilon(1.0, 1, 1e-5)
    delta_back = stats.norm.cdf(-eps + 0.5) - math.exp(eps) * stats.norm.cdf(-eps - 0.5)
    assert delta_back == pytest.approx(1e-5, rel=1e-6)
    # T rounds at z equal one round at z / sqrt(T); replacing a client doubles mu
    assert fl.dp_epsilon(2.0, 16, 1e-5) == pytest.approx(fl.dp_epsilon(0.5, 1, 1e-5))
    assert fl.dp_epsilon(4.0, 5, 1e-5, neighbouring="replace client") == pytest.approx(fl.dp_epsilon(4.0, 20, 1e-5))


@pytest.mark.parametrize("z", [0.5, 1.0, 3.0])
def test_one_round_agrees_with_diffprivlibs_analytic_gaussian_mechanism(z):
    from diffprivlib.mechanisms import GaussianAnalytic

    eps = fl.dp_epsilon(z, 1, 1e-6)
    assert GaussianAnalytic(epsilon=eps, delta=1e-6, sensitivity=1.0)._scale == pytest.approx(z, rel=1e-4)


@pytest.mark.parametrize("z", [0.8, 2.0, 5.0])
def test_dp_epsilon_is_tighter_than_the_classical_bound_and_naive_composition(z):
    # classical Gaussian mechanism (lesson 04): sigma = sqrt(2 ln(1.25/delta)) / epsilon for sensitivity 1, epsilon < 1
    delta = 1e-5
    one = fl.dp_epsilon(z, 1, delta)
    classical = math.sqrt(2 * math.log(1.25 / delta)) / z
    if classical < 1:
        assert one <= classical
        assert dp.gaussian_sigma(1.0, classical, delta) == pytest.approx(z)
    assert fl.dp_epsilon(z, 10, 10 * delta) < 10 * one, "exact accounting beats adding up epsilons"
    assert fl.dp_epsilon(z, 10, delta) > fl.dp_epsilon(z, 5, delta) > one


@pytest.mark.parametrize(
    "args, kwargs, error, text",
    [
        ((0, 1, 1e-5), {}, ValueError, "noise_multiplier must be > 0"),
        ((1, 0, 1e-5), {}, ValueError, "rounds must be an int >= 1"),
        ((1, 1, 0), {}, ValueError, "delta must be strictly between 0 and 1"),
        ((1, 1, 1e-5), {"neighbouring": "record"}, ValueError, "neighbouring must be"),
    ],
)
def test_dp_epsilon_rejects_bad_input(args, kwargs, error, text):
    with pytest.raises(error, match=text):
        fl.dp_epsilon(*args, **kwargs)


# --- robust aggregation ---------------------------------------------------------------


def test_median_and_trimmed_mean_by_hand_and_against_one_outlier():
    updates = [np.array([1.0, 2.0]), np.array([2.0, 3.0]), np.array([3.0, 4.0]), np.array([1e6, -1e6])]
    assert np.allclose(fl.coordinate_median(updates), [2.5, 2.5])
    assert np.allclose(fl.trimmed_mean(updates, trim=1), [2.5, 2.5])
    assert np.allclose(fl.trimmed_mean(updates, [1, 1, 1, 1], trim=0), np.mean(updates, axis=0))
    assert np.abs(fl.weighted_average(updates, [1, 1, 1, 1])).max() > 1e5


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda u: fl.trimmed_mean(u, trim=2), ValueError, "trim must leave at least one update"),
        (lambda u: fl.trimmed_mean(u, trim=-1), ValueError, "trim must be an int >= 0"),
        (lambda u: fl.coordinate_median(u, [1]), ValueError, "one size per update"),
        (lambda u: fl.coordinate_median([]), ValueError, "at least one client"),
        (lambda u: fl.unweighted_average(u, [1, 2, -3]), ValueError, "sizes must be >= 0"),
    ],
)
def test_robust_aggregates_reject_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call([np.ones(2), np.zeros(2), np.ones(2)])


def test_dp_aggregate_plugs_into_fedavg(hospitals):
    X, y, groups, test = hospitals
    clients = fl.partition(X, y, groups)
    aggregate = functools.partial(fl.dp_aggregate, clip_norm=0.5, noise_multiplier=1.0, rng=rng(0))
    _, history = fl.fedavg(clients, test=test, rounds=5, local_epochs=20, aggregate=aggregate)
    assert 0.55 < history["accuracy"].iloc[-1] < 0.72


# ---- found by the bad-input battery (tests/test_bad_input_battery.py) --------------------------


@pytest.mark.parametrize(
    "call, error, text",
    [
        # unbounded counts used to run for ever (epochs=10**30)
        (lambda X, y: fl.local_train(np.zeros(4), X, y, epochs=10**30), ValueError, "epochs must be an int from 1 to 10000"),
        (lambda X, y: fl.fedavg([(X, y)], test=(X, y), rounds=10**9), ValueError, "rounds must be an int from 1 to 10000"),
        (lambda X, y: fl.fedavg([(X, y)], test=(X, y), local_epochs=10**9), ValueError, "local_epochs must be an int"),
        # fedavg checked neither show_progress nor that attack is a mapping
        (lambda X, y: fl.fedavg([(X, y)], test=(X, y), rounds=1, show_progress="no"), TypeError,
         "show_progress must be True or False"),
        (lambda X, y: fl.fedavg([(X, y)], test=(X, y), rounds=1, attack=5), TypeError, "attack must be a mapping"),
        (lambda X, y: fl.fedavg([(X, y)], test=(X, y), rounds=1, attack="0"), TypeError, "attack must be a mapping"),
        # a scalar, boolean or empty update is not a parameter vector
        (lambda X, y: fl.clip_update(True, 1.0), TypeError, "update must be numeric"),
        (lambda X, y: fl.clip_update(3.0, 1.0), ValueError, "update must be a non-empty vector"),
        (lambda X, y: fl.clip_update([], 1.0), ValueError, "update must be a non-empty vector"),
        (lambda X, y: fl.weighted_average([0.0, 1.0], [1, 1]), ValueError, r"updates\[0\] must be a non-empty vector"),
        (lambda X, y: fl.dp_aggregate([[]], clip_norm=1.0, noise_multiplier=1.0), ValueError, r"updates\[0\] must be"),
        # choices compared with `in`: a DataFrame raised pandas' "truth value is ambiguous"
        (lambda X, y: fl.dp_epsilon(1.0, 1, 1e-5, neighbouring=pd.DataFrame()), ValueError, "neighbouring must be"),
        (lambda X, y: fl.reconstruct_record([1.0, 2.0], kind=["update"]), ValueError, "kind must be"),
        # a vanishing noise multiplier overflowed (OverflowError) or handed NaN to scipy's brentq
        (lambda X, y: fl.dp_epsilon(1e-12, 1, 1e-5), ValueError, r"noise_multiplier=1e-12 over rounds=1 gives mu"),
        (lambda X, y: fl.dp_epsilon(5e-324, 2, 1e-5), ValueError, "noise_multiplier"),
        (lambda X, y: fl.dp_epsilon(1.0, 10**30, 1e-5), ValueError, "rounds=1000000000000000000000000000000"),
    ],
)
def test_battery_findings_are_refused_by_name(call, error, text):
    X, y = toy()
    with pytest.raises(error, match=text):
        call(X, y)


def test_dp_epsilon_still_converts_large_but_finite_mu():
    # mu = 1e5 is below MAX_MU: a number, monotone in the noise, not an error
    assert fl.dp_epsilon(1e-5, 1, 1e-5) > fl.dp_epsilon(1e-4, 1, 1e-5) > fl.dp_epsilon(1e-3, 1, 1e-5) > 0
