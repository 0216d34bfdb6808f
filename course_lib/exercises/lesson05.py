"""Exercises of lesson 05 (federated learning).

q1 a function (FedAvg's weighted average), q2 a value (what a skewed hospital gains by
joining the federation: the non-IID effect), q3 a custom check (pairwise masks for secure
aggregation), q4 a function (clip an update by its L2 norm), q5 a reflection (secure
aggregation, DP, or both?).
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from course_lib import data, models
from course_lib import federated as fl
from course_lib.exercises import Case, CustomProblem, FunctionProblem, Incorrect, ReflectionProblem, ValueProblem

_SETUP = """
import numpy as np
from course_lib import data, models
from course_lib import federated as fl
patients = data.load_patients()
train, test = models.holdout_split(patients)
X, y = models.clinical_matrix(train)
X_test, y_test = models.clinical_matrix(test)
hospitals = train["hospital"].to_numpy()
"""

# --------------------------------------------------------------------------------------
# q1 the weighted average
# --------------------------------------------------------------------------------------

_U = [np.array([1.0, 0.0, 2.0]), np.array([0.0, 4.0, 2.0]), np.array([3.0, 3.0, -1.0])]

q1 = FunctionProblem(
    title="Q1 FedAvg's weighted average",
    answer_name="my_weighted_average",
    setup=_SETUP,
    cases=[
        Case((_U, [2, 2, 2]), expected=np.mean(_U, axis=0),
             why="equal sizes must give the plain mean: divide the weighted sum by the total number of records (6), "
                 "not by the number of clients."),
        Case((_U[:2], [3, 1]), expected=np.array([0.75, 1.0, 2.0]),
             why="3 records against 1: the first client's update should count three times as much."),
        Case((_U, [10, 20, 70]), expected=np.array([2.2, 2.9, -0.1]),
             why="divide the weighted sum by the total number of records (100), not by the number of clients."),
        Case((_U, [0, 0, 5]), expected=_U[2], why="a client with 0 records counts nothing."),
        Case((_U, [1, 2]), raises=ValueError, why="one size per update: refuse sizes of another length."),
        Case((_U, [1, -2, 3]), raises=ValueError, why="a negative number of records is impossible: raise ValueError."),
        Case((_U, [0, 0, 0]), raises=ValueError, why="all sizes 0 leaves nothing to weight by (0 / 0)."),
    ],
    hints=[
        "Each update counts in proportion to its client's number of records: n_k / (n_1 + ... + n_K).",
        "Check the lengths and signs first, then: total = sum(sizes); sum(n * u for n, u in zip(sizes, updates)) / total.",
        "np.average(np.stack(updates), axis=0, weights=sizes) computes the same average once the checks are done.",
    ],
    reference="""
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates):
        raise ValueError(f"sizes must give one size per update ({len(updates)}), got {len(sizes)}")
    if any(n < 0 for n in sizes):
        raise ValueError(f"sizes must be >= 0, got {sizes}")
    total = sum(sizes)
    if total == 0:
        raise ValueError("sizes must not all be 0")
    return sum(n * np.asarray(u, dtype=float) for n, u in zip(sizes, updates)) / total
""",
    alternatives=[
        """
def my_weighted_average(updates, sizes):
    sizes = np.asarray(sizes, dtype=float)
    if sizes.shape != (len(updates),) or (sizes < 0).any() or sizes.sum() == 0:
        raise ValueError(f"bad sizes {sizes} for {len(updates)} updates")
    return np.average(np.stack(updates), axis=0, weights=sizes)
""",
        """
def my_weighted_average(updates, sizes):
    return fl.weighted_average(updates, sizes)
""",
    ],
    mistakes=[
        """
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates) or min(sizes) < 0 or sum(sizes) == 0:
        raise ValueError("bad sizes")
    return np.mean(updates, axis=0)          # the widely copied unweighted mean
""",
        """
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates) or min(sizes) < 0 or sum(sizes) == 0:
        raise ValueError("bad sizes")
    return sum(n * u for n, u in zip(sizes, updates)) / len(updates)    # divides by the number of clients
""",
        """
def my_weighted_average(updates, sizes):
    return np.average(np.stack(updates), axis=0, weights=sizes)        # no checks of its own
""",
        """
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates) or sum(sizes) == 0:
        raise ValueError("bad sizes")
    return sum(n * u for n, u in zip(sizes, updates)) / sum(sizes)     # accepts negative sizes
""",
    ],
    known_errors=[("ZeroDivisionError", "all sizes were 0: raise ValueError before dividing."),
                  ("operands could not be broadcast", "the updates and the sizes were paired wrongly: zip(sizes, updates).")],
    explanation="Weighted by records, the average of the clients' mean gradients is the pooled mean gradient: "
                "FedAvg with one local step is gradient descent on the pooled data.",
)

# --------------------------------------------------------------------------------------
# q2 the non-IID effect: what the most skewed hospital gains by joining
# --------------------------------------------------------------------------------------


@functools.cache
def _gain_values() -> dict[str, float]:
    train, test = models.holdout_split(data.load_patients())
    X, y = models.clinical_matrix(train)
    X_test, y_test = models.clinical_matrix(test)
    clients = fl.partition(X, y, train["hospital"].to_numpy())
    _, history = fl.fedavg(clients, test=(X_test, y_test))
    federated = float(history["accuracy"].iloc[-1])
    start = np.zeros(X.shape[1] + 1)
    local = [fl.local_train(start, Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
    held_out = [fl.accuracy(p, X_test, y_test) for p in local]
    own = [fl.accuracy(p, Xk, yk) for p, (Xk, yk) in zip(local, clients)]
    worst = int(np.argmin(held_out))
    return {"gain": federated - held_out[worst], "best": federated - max(held_out),
            "own": federated - own[worst], "mean": federated - float(np.mean(held_out))}


def _gain_mistakes() -> list[tuple[float, str]]:
    v = _gain_values()
    return [
        (-v["gain"], "the sign is reversed: the gain is FedAvg's accuracy MINUS the worst local model's."),
        (100 * v["gain"], "give the gain as a fraction of patients (0.01 is one percentage point), not in percent."),
        (v["best"], "that is the gain over the BEST local model (the largest hospital); the question asks about "
                    "the worst one (min of the local accuracies)."),
        (v["own"], "you scored the local model on its own hospital's training patients: score every model on the "
                   "common held-out set (X_test, y_test), or the comparison is not fair."),
        (v["mean"], "that is the gain over the average local model; take the worst one (min)."),
    ]


q2 = ValueProblem(
    title="Q2 what the most skewed hospital gains by joining",
    answer_name="gain",
    setup=_SETUP,
    expected=lambda: _gain_values()["gain"],
    rtol=1e-6,
    atol=1e-9,
    known_mistakes=_gain_mistakes,
    hints=[
        "Train one local model per hospital (fl.partition by hospital, then fl.local_train for 200 epochs at "
        "learning rate 1.0 from zeros), score each on the common held-out set, and take the worst.",
        "Then run fl.fedavg(clients, test=(X_test, y_test)) with its defaults and read the last accuracy "
        "of its history.",
        "gain = history['accuracy'].iloc[-1] - min(fl.accuracy(p, X_test, y_test) for p in local_models)",
    ],
    reference="""
clients = fl.partition(X, y, hospitals)
start = np.zeros(X.shape[1] + 1)
local_models = [fl.local_train(start, Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
worst = min(fl.accuracy(p, X_test, y_test) for p in local_models)
_, history = fl.fedavg(clients, test=(X_test, y_test))
gain = history["accuracy"].iloc[-1] - worst
""",
    alternatives=[
        """
clients = fl.partition(X, y, hospitals)
params, _ = fl.fedavg(clients, test=(X_test, y_test), rounds=20, local_epochs=5, learning_rate=1.0)
scores = []
for Xk, yk in clients:
    local = fl.local_train(np.zeros(11), Xk, yk, epochs=200, learning_rate=1.0)
    scores.append(np.mean((fl.predict_proba(local, X_test) >= 0.5) == y_test))
gain = fl.accuracy(params, X_test, y_test) - np.min(scores)
""",
    ],
    mistakes=[
        """
clients = fl.partition(X, y, hospitals)
local_models = [fl.local_train(np.zeros(11), Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
best = max(fl.accuracy(p, X_test, y_test) for p in local_models)
_, history = fl.fedavg(clients, test=(X_test, y_test))
gain = history["accuracy"].iloc[-1] - best
""",
        """
clients = fl.partition(X, y, hospitals)
local_models = [fl.local_train(np.zeros(11), Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
own = [fl.accuracy(p, Xk, yk) for p, (Xk, yk) in zip(local_models, clients)]
worst = int(np.argmin([fl.accuracy(p, X_test, y_test) for p in local_models]))
_, history = fl.fedavg(clients, test=(X_test, y_test))
gain = history["accuracy"].iloc[-1] - own[worst]
""",
        """
clients = fl.partition(X, y, hospitals)
local_models = [fl.local_train(np.zeros(11), Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
worst = min(fl.accuracy(p, X_test, y_test) for p in local_models)
_, history = fl.fedavg(clients, test=(X_test, y_test))
gain = 100 * (history["accuracy"].iloc[-1] - worst)
""",
    ],
    known_errors=[("must hold 11 values", "the parameters are 10 weights plus the intercept: np.zeros(X.shape[1] + 1).")],
    explanation="A model trained on one skewed hospital transfers badly to the others' patients; the federation "
                "gives that hospital a model as good as pooled training without receiving a single record.",
)

# --------------------------------------------------------------------------------------
# q3 pairwise masks
# --------------------------------------------------------------------------------------


def _check_masks(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`my_mask_updates` should be a function, got {type(answer).__name__}.")
    generator = np.random.default_rng(11)
    for n_clients in (2, 3, 5):
        updates = [u for u in generator.normal(0.0, 0.1, size=(n_clients, 11))]
        originals = [u.copy() for u in updates]
        masked = answer(updates, np.random.default_rng(n_clients))
        if masked is None:
            raise Incorrect("the function returned None: return the list of masked updates.")
        masked = [np.asarray(m, dtype=float) for m in masked]
        if len(masked) != n_clients:
            raise Incorrect(f"{n_clients} updates gave {len(masked)} masked updates: return one per client.")
        if any(not np.array_equal(a, b) for a, b in zip(updates, originals)):
            raise Incorrect("the function changed the updates it was given in place: mask copies (u + mask creates one).")
        if any(m.shape != (11,) for m in masked):
            raise Incorrect("each masked update must have the shape of the update it hides.")
        error = float(np.abs(np.sum(masked, axis=0) - np.sum(updates, axis=0)).max())
        if error > 1e-6:
            raise Incorrect(f"with {n_clients} clients the masked updates sum to something else than the updates "
                            f"(off by up to {error:.3g}): every mask added to one client must be subtracted from "
                            "another, so that the masks cancel in the sum.")
        for i, (m, u) in enumerate(zip(masked, updates)):
            if np.abs(m - u).max() < 1.0:
                raise Incorrect(f"client {i}'s masked update differs from its raw update by less than 1 (updates are "
                                "about 0.1): the server could read it. Use masks much larger than the updates.")
        again = answer([u.copy() for u in updates], np.random.default_rng(n_clients))
        if any(not np.allclose(a, b) for a, b in zip(masked, again)):
            raise Incorrect("two calls with generators seeded alike gave different masks: draw them from the `rng` "
                            "argument, not np.random.")
    try:
        answer([np.ones(11)], np.random.default_rng(0))
    except ValueError:
        pass
    except Exception as exc:
        raise Incorrect(f"one client raised {type(exc).__name__}; raise ValueError: masking needs at least two "
                        "clients (one client's masked 'sum' is its own update).") from exc
    else:
        raise Incorrect("one client was accepted: with a single client the sum IS its update, so raise ValueError.")
    return "the masks cancel in the sum and hide every single update."


q3 = CustomProblem(
    title="Q3 pairwise masks for secure aggregation",
    answer_name="my_mask_updates",
    setup=_SETUP,
    checker=_check_masks,
    hints=[
        "For every pair of clients i < j draw one random mask: client i adds it, client j subtracts it. In the sum "
        "each mask appears once with + and once with -.",
        "masked = [u.copy() for u in updates]; for i in range(n): for j in range(i + 1, n): "
        "r = rng.uniform(-1000, 1000, size=updates[0].shape); masked[i] += r; masked[j] -= r",
        "Raise ValueError when len(updates) < 2.",
    ],
    reference="""
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError(f"masking needs at least 2 clients, got {len(updates)}")
    masked = [np.array(u, dtype=float) for u in updates]
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = rng.uniform(-1000, 1000, size=masked[0].shape)
            masked[i] += r
            masked[j] -= r
    return masked
""",
    alternatives=[
        """
def my_mask_updates(updates, rng):
    return fl.mask_updates(updates, rng)
""",
        """
def my_mask_updates(updates, rng):
    # a ring: client i adds r_i and subtracts r_(i-1); every mask still cancels in the sum
    n = len(updates)
    if n < 2:
        raise ValueError("need two clients")
    masks = [rng.normal(0, 1000, size=np.shape(updates[0])) for _ in range(n)]
    return [np.asarray(u, dtype=float) + masks[i] - masks[i - 1] for i, u in enumerate(updates)]
""",
    ],
    mistakes=[
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    return [u + rng.uniform(-1000, 1000, size=u.shape) for u in updates]     # masks never cancel
""",
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    masked = [u.copy() for u in updates]
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = rng.uniform(-1e-3, 1e-3, size=u.shape if False else updates[0].shape)   # masks far too small
            masked[i] += r
            masked[j] -= r
    return masked
""",
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    masked = [u.copy() for u in updates]
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = np.random.uniform(-1000, 1000, size=updates[0].shape)        # ignores rng
            masked[i] += r
            masked[j] -= r
    return masked
""",
        """
def my_mask_updates(updates, rng):
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = rng.uniform(-1000, 1000, size=updates[0].shape)
            updates[i] += r                                                   # masks the caller's arrays in place
            updates[j] -= r
    return updates
""",
        """
def my_mask_updates(updates, rng):
    masked = [u.copy() for u in updates]                                      # accepts a single client
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = rng.uniform(-1000, 1000, size=updates[0].shape)
            masked[i] += r
            masked[j] -= r
    return masked
""",
    ],
    explanation="Each mask is added once and subtracted once, so the server's sum is exact while each masked "
                "update on its own is indistinguishable from noise.",
)

# --------------------------------------------------------------------------------------
# q4 clipping by the L2 norm
# --------------------------------------------------------------------------------------

q4 = FunctionProblem(
    title="Q4 clip an update by its L2 norm",
    answer_name="my_clip",
    setup=_SETUP,
    cases=[
        Case((np.array([3.0, 4.0]), 1.0), expected=np.array([0.6, 0.8]),
             why="norm 5 scaled down to 1 keeps the direction: (3, 4) / 5."),
        Case((np.array([0.3, 0.4]), 1.0), expected=np.array([0.3, 0.4]),
             why="norm 0.5 is already within 1: leave the update unchanged (do not stretch it)."),
        Case((np.array([2.0, 0.5, 0.5]), 1.0), expected=np.array([2.0, 0.5, 0.5]) / np.linalg.norm([2.0, 0.5, 0.5]),
             why="clip the vector's L2 norm, not each coordinate: np.clip(u, -1, 1) changes the direction."),
        Case((np.array([0.9, 0.9]), 1.0), expected=np.array([0.9, 0.9]) / np.linalg.norm([0.9, 0.9]),
             why="every coordinate is within 1 but the L2 norm is 1.27: scale the whole vector."),
        Case((np.zeros(3), 1.0), expected=np.zeros(3), why="the zero update stays zero (no division by its norm 0)."),
        Case((np.array([3.0, 4.0]), 0.0), raises=ValueError, why="max_norm must be > 0."),
        Case((np.array([3.0, 4.0]), -1.0), raises=ValueError, why="max_norm must be > 0."),
    ],
    hints=[
        "Scale the whole vector by one factor, so its direction is kept: min(1, max_norm / norm).",
        "norm = np.linalg.norm(update); return update * min(1.0, max_norm / norm) when norm > 0, after raising "
        "ValueError for max_norm <= 0.",
    ],
    reference="""
def my_clip(update, max_norm):
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    norm = np.linalg.norm(update)
    if norm <= max_norm:
        return np.array(update, dtype=float)
    return update * (max_norm / norm)
""",
    alternatives=[
        """
def my_clip(update, max_norm):
    return fl.clip_update(update, max_norm)
""",
        """
def my_clip(update, max_norm):
    if not max_norm > 0:
        raise ValueError("max_norm must be > 0")
    return update / max(1.0, np.linalg.norm(update) / max_norm)
""",
    ],
    mistakes=[
        """
def my_clip(update, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    return np.clip(update, -max_norm, max_norm)                     # per coordinate, not the norm
""",
        """
def my_clip(update, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    norm = np.linalg.norm(update)
    return update * max_norm / norm if norm > 0 else update          # stretches small updates
""",
        """
def my_clip(update, max_norm):
    norm = np.linalg.norm(update)
    return update * min(1.0, max_norm / norm) if norm > 0 else update   # no check of max_norm
""",
        """
def my_clip(update, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    norm = np.abs(update).sum()                                        # L1 norm
    return update * min(1.0, max_norm / norm) if norm > 0 else update
""",
    ],
    known_errors=[("RuntimeWarning", "the zero update has norm 0: return it unchanged instead of dividing."),
                  ("invalid value encountered", "the zero update has norm 0: return it unchanged instead of dividing.")],
    explanation="Scaling by min(1, S / ||u||) bounds every client's influence on the sum by S (its sensitivity) "
                "while keeping the direction of its update.",
)

# --------------------------------------------------------------------------------------
# q5 reflection
# --------------------------------------------------------------------------------------

q5 = ReflectionProblem(
    title="Q5 reflection: secure aggregation, differential privacy, or both?",
    answer_name="my_answer",
    hints=[
        "Who sees what? Secure aggregation hides each hospital's update from the server; what does the published "
        "model (the sum) still reveal?",
        "With five hospitals, what epsilon does client-level DP give at an accuracy you would accept?",
    ],
    reference="",
    discussion=(
        "They protect against different things. Secure aggregation (pairwise masks) stops the server, or anyone "
        "listening, from seeing a single hospital's update, so the exact single-record reconstruction of section 3 "
        "becomes impossible; but the sum, and the model built from it, are released exactly, and a model can still "
        "memorise patients (membership inference, lesson 09), and a server that can drop all hospitals but one, "
        "or a round with few patients, can isolate a contribution. Differential privacy bounds what any output "
        "reveals about one patient or one hospital, whoever looks, including the final model; but the server that "
        "adds the noise sees the raw sum unless the two are combined (distributed DP: each client adds a share of "
        "the noise under secure aggregation). Both cost something: secure aggregation rules out robust "
        "aggregation (the server no longer sees the updates a median needs) and needs dropout recovery; DP costs "
        "accuracy, and with only five clients client-level DP gives either a weak epsilon or a poor model, so "
        "record-level DP inside each hospital (DP-SGD) is often the more useful unit. The hospitals' data "
        "protection officers should decide the threat model (curious server? malicious hospital? published "
        "model?) before the technique; most deployments (e.g. Google's Gboard) use both, plus a minimum number "
        "of clients per round."
    ),
)
