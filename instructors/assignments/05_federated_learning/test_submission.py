"""Tests for assignment 05 (FedAvg for linear regression): run with SUBMISSION_DIR=<student folder>.

Pooled gradient descent and the least-squares solution are computed here with NumPy; with one
local step, FedAvg weighted by client size must reproduce pooled gradient descent exactly.
"""
from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from course_lib.data import load_patients
from course_lib.models import clinical_matrix, holdout_split

# --------------------------------------------------------------------------------------
# The submission: `sub` comes from ../conftest.py (SUBMISSION_DIR names the folder)
# --------------------------------------------------------------------------------------


def _get(module: ModuleType, name: str) -> object:
    if not hasattr(module, name):
        pytest.fail(f"submission.py must define {name!r} (see ASSIGNMENT.md)", pytrace=False)
    return getattr(module, name)


@pytest.fixture(scope="module")
def split():
    train, test = holdout_split(load_patients(), stratify=("hospital", "readmitted_30d"))
    return train, test


def expected_design(df):
    X, _ = clinical_matrix(df, target=None)
    return np.delete(X, 6, axis=1), df["length_of_stay"].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def hospitals(split):
    train, _ = split
    X, y = expected_design(train)
    names = train["hospital"].to_numpy()
    return [(X[names == h], y[names == h]) for h in sorted(set(names))]


def pooled_gradient_descent(clients, steps: int, learning_rate: float) -> np.ndarray:
    X = np.vstack([c[0] for c in clients])
    y = np.concatenate([c[1] for c in clients])
    A = np.column_stack([X, np.ones(len(X))])
    params = np.zeros(A.shape[1])
    for _ in range(steps):
        params = params - learning_rate * A.T @ (A @ params - y) / len(y)
    return params


def least_squares(clients) -> np.ndarray:
    X = np.vstack([c[0] for c in clients])
    y = np.concatenate([c[1] for c in clients])
    return np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)[0]


def made_up_clients(seed: int = 5):
    """Three clients of very different sizes and distributions (the weighting matters)."""
    rng = np.random.default_rng(seed)
    truth = np.array([1.5, -2.0, 0.5])
    clients = []
    for n, shift in ((400, 0.0), (60, 2.0), (15, -3.0)):
        X = rng.normal(shift, 1.0, size=(n, 3))
        clients.append((X, X @ truth + 0.7 * shift + rng.normal(0, 0.5, size=n)))
    return clients


# --------------------------------------------------------------------------------------
# design, local_update, mse
# --------------------------------------------------------------------------------------


def test_design(sub, split):
    train, _ = split
    X, y = _get(sub, "design")(train.copy())
    want_X, want_y = expected_design(train)
    assert np.shape(X) == want_X.shape, f"X must have shape {want_X.shape}, got {np.shape(X)}"
    np.testing.assert_allclose(X, want_X, atol=1e-12, err_msg="X: clinical_matrix without length_of_stay")
    np.testing.assert_allclose(y, want_y, atol=1e-12, err_msg="y: length_of_stay")


def test_local_update_one_step(sub):
    X, y = made_up_clients()[1]
    params = np.array([0.3, -0.1, 0.2, 1.0])
    before = params.copy()
    got = _get(sub, "local_update")(params, X, y, epochs=1, learning_rate=0.1)
    residual = X @ params[:-1] + params[-1] - y
    want = params - 0.1 * np.append(X.T @ residual, residual.sum()) / len(y)
    np.testing.assert_allclose(got, want, atol=1e-12, err_msg="one gradient step on mean((Xw + b - y)^2) / 2")
    np.testing.assert_array_equal(params, before, err_msg="local_update modified its params argument")


def test_local_update_many_steps(sub):
    X, y = made_up_clients()[0]
    got = _get(sub, "local_update")(np.zeros(4), X, y, epochs=25, learning_rate=0.2)
    want = pooled_gradient_descent([(X, y)], steps=25, learning_rate=0.2)
    np.testing.assert_allclose(got, want, atol=1e-10)


def test_mse(sub):
    X, y = made_up_clients()[2]
    params = np.array([1.0, -1.0, 0.0, 0.5])
    want = float(np.mean((X @ params[:-1] + params[-1] - y) ** 2))
    assert _get(sub, "mse")(params, X, y) == pytest.approx(want, rel=1e-12)


# --------------------------------------------------------------------------------------
# FedAvg
# --------------------------------------------------------------------------------------


def test_fedavg_with_one_local_step_is_pooled_gradient_descent(sub, hospitals):
    got = _get(sub, "fedavg")(hospitals, rounds=30, local_epochs=1, learning_rate=0.5)
    want = pooled_gradient_descent(hospitals, steps=30, learning_rate=0.5)
    gap = float(np.abs(np.asarray(got) - want).max())
    assert gap < 1e-9, (
        f"FedAvg with one local step differs from pooled gradient descent by {gap:.2e}: "
        "average the clients weighted by their numbers of records (n_k / n), not with a plain mean"
    )


def test_fedavg_on_made_up_clients(sub):
    clients = made_up_clients()
    got = _get(sub, "fedavg")(clients, rounds=40, local_epochs=1, learning_rate=0.1)
    want = pooled_gradient_descent(clients, steps=40, learning_rate=0.1)
    gap = float(np.abs(np.asarray(got) - want).max())
    assert gap < 1e-9, f"FedAvg (one local step) is {gap:.3f} away from pooled gradient descent on unequal clients"


def test_fedavg_ends_near_the_pooled_solution(sub, hospitals, split):
    params = _get(sub, "fedavg")(hospitals, rounds=60, local_epochs=10, learning_rate=0.5)
    solution = least_squares(hospitals)
    gap = float(np.abs(np.asarray(params) - solution).max())
    assert gap < 0.03, f"after 60 rounds of 10 local steps FedAvg is {gap:.3f} from the pooled least-squares solution"
    _, test = split
    X, y = expected_design(test)
    pooled = float(np.mean((X @ solution[:-1] + solution[-1] - y) ** 2))
    assert _get(sub, "mse")(params, X, y) < pooled * 1.005, "FedAvg's held-out error is far above the pooled model's"


def test_fedavg_starts_from_initial(sub):
    clients = made_up_clients()
    start = np.array([1.5, -2.0, 0.5, 0.0])
    before = start.copy()
    got = _get(sub, "fedavg")(clients, rounds=1, local_epochs=1, learning_rate=0.1, initial=start)
    X = np.vstack([c[0] for c in clients])
    y = np.concatenate([c[1] for c in clients])
    residual = X @ start[:-1] + start[-1] - y
    want = start - 0.1 * np.append(X.T @ residual, residual.sum()) / len(y)
    np.testing.assert_allclose(got, want, atol=1e-12)
    np.testing.assert_array_equal(start, before, err_msg="fedavg modified its initial argument")


@pytest.mark.parametrize(
    "case",
    ["no clients", "empty client", "different widths", "zero rounds"],
)
def test_fedavg_rejects_bad_input(sub, case):
    clients = made_up_clients()
    kwargs = {"rounds": 2, "local_epochs": 1, "learning_rate": 0.1}
    if case == "no clients":
        clients = []
    elif case == "empty client":
        clients = [*clients, (np.empty((0, 3)), np.empty(0))]
    elif case == "different widths":
        clients = [*clients, (np.ones((5, 4)), np.ones(5))]
    else:
        kwargs["rounds"] = 0
    with pytest.raises(ValueError):
        _get(sub, "fedavg")(clients, **kwargs)
