"""Reference submission for assignment 05 (instructor material): FedAvg for linear regression.

The model predicts length of stay from nine clinical features with declared scaling. Each
client's gradient is a mean over its own records, so averaging the clients' results weighted by
their sizes n_k / n gives the pooled gradient: with one local step, FedAvg is pooled gradient
descent (McMahan et al., 2017).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from course_lib.models import clinical_matrix

TARGET_COLUMN = 6  # length_of_stay in course_lib.models.CLINICAL_FEATURES


def design(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: the clinical matrix without length of stay, and length of stay in days."""
    X, _ = clinical_matrix(df, target=None)
    return np.delete(X, TARGET_COLUMN, axis=1), df["length_of_stay"].to_numpy(dtype=float)


def _residual(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return X @ params[:-1] + params[-1] - y


def local_update(params: np.ndarray, X: np.ndarray, y: np.ndarray, *, epochs: int, learning_rate: float) -> np.ndarray:
    """``epochs`` full-batch gradient steps on ``mean((X w + b - y)^2) / 2`` from ``params`` (not modified)."""
    current = np.array(params, dtype=float, copy=True)
    for _ in range(epochs):
        residual = _residual(current, X, y)
        current -= learning_rate * np.append(X.T @ residual, residual.sum()) / len(y)
    return current


def _check_clients(clients: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[tuple[np.ndarray, np.ndarray]]:
    pairs = [(np.asarray(X, dtype=float), np.asarray(y, dtype=float)) for X, y in clients]
    if not pairs:
        raise ValueError("clients must hold at least one (X, y) pair, got none")
    widths = {X.shape[1] if X.ndim == 2 else -1 for X, _ in pairs}
    if len(widths) != 1 or -1 in widths:
        raise ValueError(f"every client's X must be 2-D with the same number of features, got {sorted(widths)}")
    for index, (X, y) in enumerate(pairs):
        if len(X) == 0 or len(X) != len(y):
            raise ValueError(f"client {index} must hold at least one record and one label per row, got {len(X)} rows, {len(y)} labels")
    return pairs


def fedavg(
    clients: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    rounds: int,
    local_epochs: int,
    learning_rate: float,
    initial: np.ndarray | None = None,
) -> np.ndarray:
    """FedAvg: each round, local updates from the global model, averaged with weights n_k / n."""
    pairs = _check_clients(clients)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ValueError(f"rounds must be an int >= 1, got {rounds!r}")
    if isinstance(local_epochs, bool) or not isinstance(local_epochs, int) or local_epochs < 1:
        raise ValueError(f"local_epochs must be an int >= 1, got {local_epochs!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
    n_params = pairs[0][0].shape[1] + 1
    params = np.zeros(n_params) if initial is None else np.array(initial, dtype=float, copy=True)
    if params.shape != (n_params,):
        raise ValueError(f"initial must have {n_params} values, got shape {params.shape}")
    weights = np.array([len(y) for _, y in pairs], dtype=float)
    weights /= weights.sum()
    for _ in range(rounds):
        local = np.stack([local_update(params, X, y, epochs=local_epochs, learning_rate=learning_rate) for X, y in pairs])
        params = weights @ local
    return params


def mse(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the linear model ``params`` on ``(X, y)``."""
    return float(np.mean(_residual(np.asarray(params, dtype=float), np.asarray(X, dtype=float), np.asarray(y, dtype=float)) ** 2))
