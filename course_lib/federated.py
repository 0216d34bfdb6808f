"""Lesson 05 (federated learning): one model trained across hospitals that never pool records.

What this module teaches, read top to bottom:

1. **Clients** (:func:`partition`): the patients split by hospital (non-IID, as real
   hospitals are) or shuffled into equal IID clients, each client an ``(X, y)`` pair.
2. **The model** (:func:`predict_proba`, :func:`accuracy`, :func:`log_loss`,
   :func:`logistic_gradient`, :func:`local_train`): logistic regression as one parameter
   vector (the weights, then the intercept last), trained by full-batch gradient descent
   on the mean logistic loss, in NumPy so that every number sent is visible.
3. **FedAvg** (:func:`weighted_average`, :func:`fedavg`): each round every client trains
   the global model locally and sends its *update* (new minus old parameters); the server
   averages the updates weighted by the clients' numbers of records (McMahan, Moore,
   Ramage, Hampson & Agüera y Arcas, *Communication-Efficient Learning of Deep Networks
   from Decentralized Data*, AISTATS 2017). With one local step per round this is exactly
   gradient descent on the pooled data. :func:`unweighted_average` is the widely copied
   mistake (a plain mean that ignores client sizes), kept so the lesson can measure it.
4. **What an update leaks** (:func:`reconstruct_record`): for logistic regression the
   update of a client holding one record is a multiple of ``(x, 1)``, so dividing by its
   last entry returns the record's features exactly and its sign returns the label
   (the linear case of Zhu, Liu & Han, *Deep Leakage from Gradients*, NeurIPS 2019).
5. **Secure aggregation** (:func:`mask_updates`): pairwise additive masks that cancel in
   the sum, so the server learns only the sum (the masking idea of Bonawitz et al.,
   *Practical Secure Aggregation for Privacy-Preserving Machine Learning*, CCS 2017,
   without its key agreement, secret sharing and dropout recovery).
6. **DP-FedAvg** (:func:`clip_update`, :func:`dp_aggregate`, :func:`dp_epsilon`): clip
   each client's update to L2 norm ``S``, sum, add Gaussian noise of standard deviation
   ``z * S`` (McMahan, Ramage, Talwar & Zhang, *Learning Differentially Private Recurrent
   Language Models*, ICLR 2018). The privacy is accounted exactly with Gaussian
   differential privacy (Dong, Roth & Su, *Gaussian Differential Privacy*, JRSS B 2022):
   ``T`` rounds with every client taking part compose to ``mu``-GDP with
   ``mu = sqrt(T) / z``, converted to (epsilon, delta) with the exact formula of Balle &
   Wang (*Improving the Gaussian Mechanism for Differential Privacy*, ICML 2018).
7. **Robust aggregation** (:func:`coordinate_median`, :func:`trimmed_mean`): per
   coordinate, the median or the mean without the extremes, which one malicious client
   cannot drag arbitrarily far (Yin, Chen, Ramchandran & Bartlett, *Byzantine-Robust
   Distributed Learning*, ICML 2018).

Every aggregator has the signature ``aggregate(updates, sizes) -> update`` so that
:func:`fedavg` can swap one for another. Every random function takes ``rng`` (a
``numpy.random.Generator``) and never touches global random state. These are teaching
implementations; lesson 05 runs the same federation on Flower (``federation/``), the
framework used when clients are real machines.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy import special

from course_lib import _checks

if TYPE_CHECKING:  # pandas and scipy.optimize are imported where used: a Flower ClientApp process
    import pandas as pd  # imports this module for local_train alone, once per message

__all__ = [
    "Client",
    "Aggregator",
    "partition",
    "predict_proba",
    "accuracy",
    "log_loss",
    "logistic_gradient",
    "local_train",
    "weighted_average",
    "unweighted_average",
    "fedavg",
    "reconstruct_record",
    "mask_updates",
    "clip_update",
    "dp_aggregate",
    "dp_epsilon",
    "coordinate_median",
    "trimmed_mean",
]

#: One client's data: a design matrix and its 0/1 labels.
Client = tuple[np.ndarray, np.ndarray]
#: ``aggregate(updates, sizes) -> update``: how the server combines the clients' updates.
Aggregator = Callable[[Sequence[np.ndarray], Sequence[float]], np.ndarray]


# --------------------------------------------------------------------------------------
# Argument checks (one place, so every message names the argument, the rule and the value)
# --------------------------------------------------------------------------------------


#: The most gradient steps, epochs or rounds one call accepts: far above any lesson (300 rounds),
#: low enough that a mistyped count (1e9) is refused instead of running for hours.
MAX_STEPS = 10_000

#: The largest Gaussian-DP mu :func:`dp_epsilon` converts: beyond it epsilon exceeds 5e11 (no
#: privacy at all) and the conversion overflows floating point.
MAX_MU = 1e6


def _design(X: object, name: str = "X") -> np.ndarray:
    array = _checks.finite_array(name, X, ndim=2)
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} must have at least one row and one column, got shape {array.shape}")
    return array


def _labels(y: object, n_rows: int, name: str = "y") -> np.ndarray:
    array = _checks.finite_array(name, y, ndim=1)
    if array.shape[0] != n_rows:
        raise ValueError(f"{name} must have one label per row of X ({n_rows}), got {array.shape[0]}")
    if not np.isin(array, (0.0, 1.0)).all():
        bad = sorted(set(array[~np.isin(array, (0.0, 1.0))].tolist()))[:5]
        raise ValueError(f"{name} must hold only 0 and 1, got {bad}")
    return array


def _params(params: object, n_features: int, name: str = "params") -> np.ndarray:
    array = _checks.finite_array(name, params, ndim=1)
    if array.shape[0] != n_features + 1:
        raise ValueError(
            f"{name} must hold {n_features + 1} values ({n_features} weights, then the intercept), got {array.shape[0]}"
        )
    return array


def _updates(updates: object, *, minimum: int = 1, name: str = "updates") -> list[np.ndarray]:
    if isinstance(updates, np.ndarray) and updates.ndim >= 2:
        items = list(updates)
    elif isinstance(updates, (str, bytes)) or not isinstance(updates, Sequence):
        raise TypeError(f"{name} must be a sequence of arrays (one per client), got {type(updates).__name__}")
    else:
        items = list(updates)
    if len(items) < minimum:
        rule = "at least one client" if minimum == 1 else f"at least {minimum} clients"
        raise ValueError(f"{name} must hold {rule}, got {len(items)}")
    arrays = [_checks.finite_array(f"{name}[{i}]", u) for i, u in enumerate(items)]
    for i, array in enumerate(arrays):
        if array.ndim == 0 or array.size == 0:
            raise ValueError(f"{name}[{i}] must be a non-empty vector of parameters, got shape {array.shape}")
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"{name} must all have the same shape, got shapes {[a.shape for a in arrays]}")
    return arrays


def _sizes(sizes: object, n_updates: int) -> np.ndarray:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)):
        raise TypeError(f"sizes must be a sequence of numbers (records per client), got {type(sizes).__name__}")
    array = _checks.finite_array("sizes", sizes, ndim=1)
    if array.shape[0] != n_updates:
        raise ValueError(f"sizes must give one size per update ({n_updates}), got {array.shape[0]}")
    if np.any(array < 0):
        raise ValueError(f"sizes must be >= 0, got {array.tolist()}")
    if array.sum() == 0:
        raise ValueError(f"sizes must not all be 0 (nothing to weight by), got {array.tolist()}")
    return array


def _clients(clients: object) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(clients, (str, bytes)) or not isinstance(clients, Sequence):
        raise TypeError(f"clients must be a sequence of (X, y) pairs, got {type(clients).__name__}")
    if len(clients) == 0:
        raise ValueError("clients must hold at least one (X, y) pair, got none")
    checked = []
    for i, pair in enumerate(clients):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"clients[{i}] must be an (X, y) pair, got {type(pair).__name__}")
        X = _design(pair[0], f"clients[{i}] X")
        checked.append((X, _labels(pair[1], X.shape[0], f"clients[{i}] y")))
    widths = {X.shape[1] for X, _ in checked}
    if len(widths) > 1:
        raise ValueError(f"clients must all have the same number of features, got {sorted(widths)}")
    return checked


# --------------------------------------------------------------------------------------
# 1. Clients
# --------------------------------------------------------------------------------------


def partition(
    X: np.ndarray,
    y: np.ndarray,
    groups: Sequence[object] | np.ndarray,
    *,
    iid: bool = False,
    n_clients: int | None = None,
    rng: np.random.Generator | None = None,
) -> list[Client]:
    """Split ``(X, y)`` into clients, each an ``(X, y)`` pair.

    ``iid=False`` (the default): one client per distinct value of ``groups`` (the
    hospital), in sorted order of the group labels: sizes and outcome rates differ, as
    real hospitals do (non-IID). ``iid=True``: the rows shuffled with ``rng`` and cut into
    ``n_clients`` clients of equal size (within one row); ``n_clients`` defaults to the
    number of groups, so the two partitions have the same number of clients.
    """
    X = _design(X)
    y = _labels(y, X.shape[0])
    labels = np.asarray(groups, dtype=object)
    if labels.ndim != 1 or labels.shape[0] != X.shape[0]:
        raise ValueError(f"groups must give one group per row of X ({X.shape[0]}), got shape {labels.shape}")
    if not isinstance(iid, bool):
        raise TypeError(f"iid must be True or False, got {type(iid).__name__}")
    names = sorted(set(labels.tolist()), key=str)
    if not iid:
        if n_clients is not None:
            raise ValueError(f"n_clients applies only to iid=True (the hospitals fix the clients), got {n_clients}")
        return [(X[labels == name], y[labels == name]) for name in names]
    n_clients = len(names) if n_clients is None else _checks.integer("n_clients", n_clients, minimum=1)
    if n_clients > X.shape[0]:
        raise ValueError(f"n_clients must be <= the number of rows ({X.shape[0]}), got {n_clients}")
    order = _checks.rng(rng).permutation(X.shape[0])
    return [(X[part], y[part]) for part in np.array_split(order, n_clients)]


# --------------------------------------------------------------------------------------
# 2. The model: logistic regression as one parameter vector
# --------------------------------------------------------------------------------------


def _logits(params: np.ndarray, X: np.ndarray) -> np.ndarray:
    return X @ params[:-1] + params[-1]


def predict_proba(params: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Probability of the positive class, ``sigmoid(X @ w + b)`` with ``params = (w, b)``."""
    X = _design(X)
    params = _params(params, X.shape[1])
    return special.expit(_logits(params, X))


def accuracy(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose label the model predicts (probability >= 0.5 means 1)."""
    X = _design(X)
    y = _labels(y, X.shape[0])
    params = _params(params, X.shape[1])
    return float(np.mean((_logits(params, X) >= 0) == (y == 1)))


def log_loss(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean logistic loss (cross-entropy), computed stably as ``log(1 + e^z) - y z``."""
    X = _design(X)
    y = _labels(y, X.shape[0])
    params = _params(params, X.shape[1])
    z = _logits(params, X)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _gradient(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    residual = special.expit(_logits(params, X)) - y
    return np.append(X.T @ residual, residual.sum()) / X.shape[0]


def logistic_gradient(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of :func:`log_loss` with respect to ``params``: ``mean((p - y) * (x, 1))``.

    For a single record it is ``(p - y) * (x, 1)``: the record itself, scaled.
    """
    X = _design(X)
    y = _labels(y, X.shape[0])
    return _gradient(_params(params, X.shape[1]), X, y)


def _train(params: np.ndarray, X: np.ndarray, y: np.ndarray, epochs: int, learning_rate: float) -> np.ndarray:
    current = params.copy()
    for _ in range(epochs):
        current -= learning_rate * _gradient(current, X, y)
    return current


def local_train(
    params: np.ndarray, X: np.ndarray, y: np.ndarray, *, epochs: int = 5, learning_rate: float = 1.0
) -> np.ndarray:
    """``epochs`` steps of full-batch gradient descent on :func:`log_loss`, from ``params``.

    Deterministic (no sampling), so FedAvg's rounds are reproducible without a seed.
    Returns new parameters; ``params`` is not modified.
    """
    X = _design(X)
    y = _labels(y, X.shape[0])
    params = _params(params, X.shape[1])
    epochs = _checks.integer("epochs", epochs, minimum=1, maximum=MAX_STEPS)
    learning_rate = _checks.positive("learning_rate", learning_rate)
    return _train(params, X, y, epochs, learning_rate)


# --------------------------------------------------------------------------------------
# 3. FedAvg
# --------------------------------------------------------------------------------------


def weighted_average(updates: Sequence[np.ndarray], sizes: Sequence[float]) -> np.ndarray:
    """FedAvg's aggregate: ``sum(n_k * u_k) / sum(n_k)``, each update weighted by its client's size.

    Weighted this way, the average of the clients' mean gradients is the mean gradient of
    the pooled data, which is why FedAvg with one local step is pooled gradient descent.
    ``ValueError`` for sizes of another length than ``updates``, negative sizes, or all zero.
    """
    arrays = _updates(updates)
    weights = _sizes(sizes, len(arrays))
    return np.tensordot(weights / weights.sum(), np.stack(arrays), axes=1)


def unweighted_average(updates: Sequence[np.ndarray], sizes: Sequence[float] | None = None) -> np.ndarray:
    """The widely copied mistake: a plain mean of the updates that ignores ``sizes``.

    Each client counts the same, so a patient of a 300-record hospital weighs five times a
    patient of a 1,600-record one, and the model optimises a different objective than
    pooled training. Kept so the lesson can measure the error; do not use it.
    """
    arrays = _updates(updates)
    if sizes is not None:
        _sizes(sizes, len(arrays))
    return np.mean(np.stack(arrays), axis=0)


def fedavg(
    clients: Sequence[Client],
    *,
    test: Client,
    rounds: int = 20,
    local_epochs: int = 5,
    learning_rate: float = 1.0,
    aggregate: Aggregator = weighted_average,
    initial: np.ndarray | None = None,
    attack: Mapping[int, Callable[[np.ndarray], np.ndarray]] | None = None,
    secure_aggregation: bool = False,
    rng: np.random.Generator | None = None,
    show_progress: bool = False,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Federated averaging: ``rounds`` rounds of local training and aggregation.

    Each round the server sends the global parameters to every client; each client runs
    :func:`local_train` for ``local_epochs`` full-batch steps and sends back its update
    (local minus global parameters); the server adds ``aggregate(updates, sizes)`` to the
    global parameters. ``attack`` maps a client's index to a function applied to its honest
    update before sending (a malicious client). ``secure_aggregation=True`` has each client
    send ``n_k * u_k`` masked by :func:`mask_updates` (seeded by ``rng``), so the server sees
    only masked vectors and divides their sum by the public total of records: the result
    equals weighted FedAvg to rounding, and works only with :func:`weighted_average`
    (a median needs the individual updates the masks hide).

    Starts from ``initial`` (zeros by default). Returns the final parameters and a
    history with one row per round (round 0 is the initial model): ``accuracy`` and
    ``loss`` on the common held-out ``test`` set, ``bytes_sent`` (the model down to every
    client plus every update up, as float64) and ``cumulative_bytes``.
    ``show_progress=True`` wraps the rounds in ``course_lib.progress`` (silent under tests).
    """
    pairs = _clients(clients)
    n_features = pairs[0][0].shape[1]
    if not isinstance(test, (tuple, list)) or len(test) != 2:
        raise TypeError(f"test must be an (X, y) pair, got {type(test).__name__}")
    X_test = _design(test[0], "test X")
    y_test = _labels(test[1], X_test.shape[0], "test y")
    if X_test.shape[1] != n_features:
        raise ValueError(f"test X must have the clients' {n_features} features, got {X_test.shape[1]}")
    rounds = _checks.integer("rounds", rounds, minimum=1, maximum=MAX_STEPS)
    local_epochs = _checks.integer("local_epochs", local_epochs, minimum=1, maximum=MAX_STEPS)
    learning_rate = _checks.positive("learning_rate", learning_rate)
    if not callable(aggregate):
        raise TypeError(f"aggregate must be a function (updates, sizes) -> update, got {type(aggregate).__name__}")
    params = np.zeros(n_features + 1) if initial is None else _params(initial, n_features, "initial").copy()
    if attack is not None and not isinstance(attack, Mapping):
        raise TypeError(f"attack must be a mapping of client index to a function of its update, or None, "
                        f"got {type(attack).__name__} {_checks.short_repr(attack)}")
    attack = {} if attack is None else dict(attack)
    for index, corrupt in attack.items():
        _checks.integer("attack key (a client index)", index, minimum=0, maximum=len(pairs) - 1)
        if not callable(corrupt):
            raise TypeError(f"attack[{index}] must be a function of the honest update, got {type(corrupt).__name__}")
    if not isinstance(secure_aggregation, bool):
        raise TypeError(f"secure_aggregation must be True or False, got {type(secure_aggregation).__name__}")
    if secure_aggregation and aggregate is not weighted_average:
        raise ValueError("secure_aggregation=True reveals only the sum of the updates, so it works with "
                         f"aggregate=weighted_average only, got {getattr(aggregate, '__name__', aggregate)!r}")
    if secure_aggregation and len(pairs) < 2:
        raise ValueError(f"secure_aggregation needs at least 2 clients, got {len(pairs)}")
    show_progress = _checks.flag("show_progress", show_progress)
    generator = _checks.rng(rng) if (secure_aggregation or rng is not None) else None
    sizes = [float(len(y)) for _, y in pairs]
    bytes_per_round = len(pairs) * 2 * params.nbytes

    rows = [{"round": 0, "accuracy": accuracy(params, X_test, y_test), "loss": log_loss(params, X_test, y_test),
             "bytes_sent": 0, "cumulative_bytes": 0}]
    steps = range(1, rounds + 1)
    if show_progress:
        from course_lib import progress

        steps = progress(steps, desc="FedAvg rounds", total=rounds)
    for round_number in steps:
        updates = []
        for index, (X, y) in enumerate(pairs):
            update = _train(params, X, y, local_epochs, learning_rate) - params
            if index in attack:
                update = _checks.finite_array(f"attack[{index}] output", attack[index](update.copy()))
                if update.shape != params.shape:
                    raise ValueError(f"attack[{index}] must return an update of shape {params.shape}, got {update.shape}")
            updates.append(update)
        if secure_aggregation:
            masked = mask_updates([n * u for n, u in zip(sizes, updates)], rng=generator)
            step = np.sum(masked, axis=0) / sum(sizes)
        else:
            step = _checks.finite_array("aggregate output", aggregate(updates, sizes))
            if step.shape != params.shape:
                raise ValueError(f"aggregate must return an update of shape {params.shape}, got {step.shape}")
        params = params + step
        rows.append({"round": round_number, "accuracy": accuracy(params, X_test, y_test),
                     "loss": log_loss(params, X_test, y_test), "bytes_sent": bytes_per_round,
                     "cumulative_bytes": bytes_per_round * round_number})
    import pandas as pd

    return params, pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# 4. What an update leaks
# --------------------------------------------------------------------------------------


def reconstruct_record(
    vector: np.ndarray, *, kind: Literal["gradient", "update"] = "gradient"
) -> tuple[np.ndarray, int]:
    """The record ``(x, y)`` behind a logistic-regression gradient or update of ONE record.

    The gradient of one record is ``(p - y) * (x, 1)``: its last entry is ``p - y`` and
    the others are ``(p - y) * x``, so ``x = g[:-1] / g[-1]`` exactly, and since
    ``0 < p < 1`` the label is 1 when ``p - y < 0``. Local training on one record sums such
    gradients (all with the same sign), so the same holds for an update
    (``kind="update"``), whose sign is opposite (``update = -learning_rate * sum of
    gradients``). Without an intercept ``x`` would come back only up to scale. For a batch,
    the same division returns ``sum((p_i - y_i) x_i) / sum(p_i - y_i)``: a combination of its
    records with weights of both signs, not a single record (and not a mean).
    """
    array = _checks.finite_array("vector", vector, ndim=1)
    if array.shape[0] < 2:
        raise ValueError(f"vector must hold the weights and the intercept (at least 2 values), got {array.shape[0]}")
    if not isinstance(kind, str) or kind not in ("gradient", "update"):
        raise ValueError(f"kind must be 'gradient' or 'update', got {kind!r}")
    if array[-1] == 0:
        raise ValueError("vector's last (intercept) entry is 0: it carries no record to divide out")
    residual = array[-1] if kind == "gradient" else -array[-1]
    return array[:-1] / array[-1], int(residual < 0)


# --------------------------------------------------------------------------------------
# 5. Secure aggregation: pairwise additive masks
# --------------------------------------------------------------------------------------


def mask_updates(
    updates: Sequence[np.ndarray], rng: np.random.Generator | None = None, *, mask_scale: float = 1e6
) -> list[np.ndarray]:
    """Masked copies of ``updates`` whose sum equals the sum of ``updates``.

    For every pair of clients ``i < j`` a mask ``r_ij`` (uniform in
    ``[-mask_scale, mask_scale]`` per entry, drawn afresh for every pair) is added to client ``i``'s update and
    subtracted from client ``j``'s: every mask cancels in the sum, and each masked update
    alone is the update plus a large random vector. In the real protocol (Bonawitz et al.,
    CCS 2017) each pair expands ``r_ij`` from a key-agreement secret, each client adds a
    self-mask too, and every client Shamir-shares its key and its self-mask seed, so the
    pair masks of a client that drops out can be removed without ever unmasking a client
    that sent; it works in integers modulo ``R``, where cancellation is exact bit for bit
    and a uniform mask hides an update perfectly. Here the masks come from ``rng`` and
    the arithmetic is floating point, so the sum is exact up to rounding (about
    ``mask_scale * 1e-15`` per entry) and the masks hide an update only if ``mask_scale``
    is far above its entries (the default, a million, is for updates up to a few
    thousand). ``ValueError`` for fewer than two clients or updates of different shapes.
    """
    arrays = _updates(updates, minimum=2)
    mask_scale = _checks.positive("mask_scale", mask_scale)
    generator = _checks.rng(rng)
    masked = [a.copy() for a in arrays]
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            mask = generator.uniform(-mask_scale, mask_scale, size=arrays[0].shape)
            masked[i] += mask
            masked[j] -= mask
    return masked


# --------------------------------------------------------------------------------------
# 6. DP-FedAvg: clipping, Gaussian noise, exact accounting
# --------------------------------------------------------------------------------------


def clip_update(update: np.ndarray, max_norm: float) -> np.ndarray:
    """``update`` scaled down to L2 norm at most ``max_norm``; unchanged (a copy) when within.

    ``update * min(1, max_norm / ||update||)``: the direction is kept, only the length is
    bounded, which bounds how much one client can move the sum (its sensitivity).
    ``ValueError`` for ``max_norm <= 0``.
    """
    array = _checks.finite_array("update", update, allow_bool=False)
    if array.ndim == 0 or array.size == 0:
        raise ValueError(f"update must be a non-empty vector of parameters, got shape {array.shape}")
    max_norm = _checks.positive("max_norm", max_norm)
    norm = float(np.linalg.norm(array))
    return array * (max_norm / norm) if norm > max_norm else array.copy()


def dp_aggregate(
    updates: Sequence[np.ndarray],
    sizes: Sequence[float] | None = None,
    *,
    clip_norm: float,
    noise_multiplier: float,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """DP-FedAvg's aggregate: ``(sum of clipped updates + N(0, (z S)^2 I)) / n_clients``.

    Each update is clipped to L2 norm ``S = clip_norm``, so adding or removing one client
    moves the sum by at most ``S`` (its L2 sensitivity); Gaussian noise of standard
    deviation ``z * S`` (``z = noise_multiplier``) makes one round a Gaussian mechanism
    with ``mu = 1 / z`` in Gaussian DP (:func:`dp_epsilon` converts it). The sum is divided
    by the number of clients, not weighted by ``sizes`` (which are accepted and ignored):
    weighting by size would let a large client move the sum by more than ``S``. The
    division is post-processing only if the divisor does not depend on the data: under
    add/remove neighbouring it must be a constant fixed in advance (McMahan et al.'s
    fixed-denominator estimator), as it is when, as in lesson 05, the same clients take
    part in every round. The noise is added by the server, which must be trusted with the
    un-noised sum (or combine this with secure aggregation and noise added by the clients).
    """
    arrays = _updates(updates)
    if sizes is not None:
        _sizes(sizes, len(arrays))
    clip_norm = _checks.positive("clip_norm", clip_norm)
    noise_multiplier = _checks.non_negative("noise_multiplier", noise_multiplier)
    total = np.sum([clip_update(a, clip_norm) for a in arrays], axis=0)
    noise = _checks.rng(rng).normal(0.0, noise_multiplier * clip_norm, size=total.shape)
    return (total + noise) / len(arrays)


def _gdp_delta(epsilon: float, mu: float) -> float:
    """delta(epsilon) of mu-GDP (Dong, Roth & Su 2022, Corollary 2.13), computed in log space."""
    first = special.ndtr(-epsilon / mu + mu / 2)
    second = math.exp(epsilon + special.log_ndtr(-epsilon / mu - mu / 2))
    return float(first - second)


def dp_epsilon(
    noise_multiplier: float,
    rounds: int,
    delta: float,
    *,
    neighbouring: Literal["add/remove client", "replace client"] = "add/remove client",
) -> float:
    """The smallest epsilon such that DP-FedAvg is (epsilon, delta)-DP: exact, not a bound.

    Every round every client takes part (no sampling), so each round is a Gaussian
    mechanism with sensitivity ``S`` and noise ``z * S``: ``mu = 1 / z`` Gaussian DP, and
    ``rounds = T`` of them compose exactly to ``mu = sqrt(T) / z`` (Dong, Roth & Su 2022,
    Corollary 3.3). A mu-GDP mechanism is (epsilon, delta)-DP exactly when
    ``delta >= Phi(-epsilon/mu + mu/2) - e^epsilon Phi(-epsilon/mu - mu/2)``
    (Balle & Wang 2018, Theorem 8; Dong et al., Corollary 2.13); this returns the epsilon
    that makes it an equality (0 if delta already holds at epsilon 0). "Exactly": the
    Gaussian mechanism is (epsilon, delta)-DP for no smaller delta.

    ``neighbouring="add/remove client"``: datasets differ by one client's whole update
    added or removed (client-level DP, McMahan et al. 2018), sensitivity ``S``.
    ``"replace client"``: one client's update replaced by any other, sensitivity ``2 S``,
    so ``mu`` doubles; this bound also covers one patient's record added, removed or
    changed, since that changes only its hospital's clipped update, to any other vector in
    the ball of radius ``S`` around the origin, hence by up to ``2 S``.
    """
    z = _checks.positive("noise_multiplier", noise_multiplier)
    rounds = _checks.integer("rounds", rounds, minimum=1)
    delta = _checks.probability("delta", delta)
    if not isinstance(neighbouring, str) or neighbouring not in ("add/remove client", "replace client"):
        raise ValueError(f"neighbouring must be 'add/remove client' or 'replace client', got {neighbouring!r}")
    from scipy import optimize

    mu = math.sqrt(rounds) / z * (2.0 if neighbouring == "replace client" else 1.0)
    if not mu <= MAX_MU:
        raise ValueError(
            f"noise_multiplier={noise_multiplier} over rounds={rounds} gives mu = sqrt(rounds) / noise_multiplier = "
            f"{mu:.3g} Gaussian DP, beyond {MAX_MU:g}: epsilon would exceed {MAX_MU**2 / 2:.0e}, no privacy at all"
        )
    if _gdp_delta(0.0, mu) <= delta:
        return 0.0
    upper = 1.0
    while _gdp_delta(upper, mu) > delta:
        upper *= 2.0
    return float(optimize.brentq(lambda e: _gdp_delta(e, mu) - delta, 0.0, upper, xtol=1e-12, rtol=1e-12))


# --------------------------------------------------------------------------------------
# 7. Robust aggregation
# --------------------------------------------------------------------------------------


def coordinate_median(updates: Sequence[np.ndarray], sizes: Sequence[float] | None = None) -> np.ndarray:
    """The median of the updates, coordinate by coordinate (``sizes`` accepted and ignored).

    With ``n`` clients, fewer than ``n / 2`` malicious ones cannot move any coordinate
    outside the range of the honest clients' values (Yin et al., ICML 2018). The cost: it
    ignores client sizes and, with non-IID clients, lands away from the weighted average.
    """
    arrays = _updates(updates)
    if sizes is not None:
        _sizes(sizes, len(arrays))
    return np.median(np.stack(arrays), axis=0)


def trimmed_mean(
    updates: Sequence[np.ndarray], sizes: Sequence[float] | None = None, *, trim: int = 1
) -> np.ndarray:
    """Per coordinate, drop the ``trim`` largest and ``trim`` smallest values and average the rest.

    Resists up to ``trim`` malicious clients (Yin et al., ICML 2018). ``sizes`` is accepted
    and ignored. ``ValueError`` unless ``2 * trim < len(updates)``.
    """
    arrays = _updates(updates)
    if sizes is not None:
        _sizes(sizes, len(arrays))
    trim = _checks.integer("trim", trim, minimum=0)
    if 2 * trim >= len(arrays):
        raise ValueError(f"trim must leave at least one update: 2 * trim < {len(arrays)} updates, got trim={trim}")
    ordered = np.sort(np.stack(arrays), axis=0)
    return ordered[trim: len(arrays) - trim].mean(axis=0)
