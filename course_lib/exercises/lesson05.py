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


def _copy_args(args: tuple) -> list:
    return [[np.array(a, copy=True) for a in arg] if isinstance(arg, list) else np.array(arg, copy=True)
            for arg in args]


def _same_args(args: tuple, copies: list) -> bool:
    return all(
        (len(arg) == len(copy) and all(np.array_equal(a, c) for a, c in zip(arg, copy)))
        if isinstance(arg, list) else np.array_equal(arg, copy)
        for arg, copy in zip(args, copies)
    )


class _PureFunctionProblem(FunctionProblem):
    """A :class:`FunctionProblem` whose answer must not modify its array arguments.

    ``cases`` is a function, so every check gets fresh arrays: an answer that scales the
    updates in place is told so, and cannot corrupt the cases for the next attempt.
    """

    def _check(self, answer: Any) -> str:
        if callable(answer):
            assert callable(self.cases)
            for index in range(len(self.cases())):
                case = self.cases()[index]
                if case.raises is not None:
                    continue
                copies = _copy_args(case.args)
                try:
                    answer(*case.args, **dict(case.kwargs))
                except Exception:  # noqa: BLE001 - the cases below report it with its context
                    break
                if not _same_args(case.args, copies):
                    raise Incorrect(f"`{self.answer_name}` changed the arrays it was given in place (they belong to "
                                    "the caller, who may still need them): compute the result in a new array.")
        return super()._check(answer)


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


def _q1_cases() -> list[Case]:
    _U = [np.array([1.0, 0.0, 2.0]), np.array([0.0, 4.0, 2.0]), np.array([3.0, 3.0, -1.0])]
    return [
        Case((_U, [2, 2, 2]), expected=np.array([4.0, 7.0, 3.0]) / 3,
             why="equal sizes must give the plain mean: the weights n_k / total must add up to 1, so divide the "
                 "weighted sum by the total number of records (6), not by the number of clients, and not leave it "
                 "undivided."),
        Case((_U[:2], [3, 1]), expected=np.array([0.75, 1.0, 2.0]),
             why="3 records against 1: the first client's update should count three times as much."),
        Case((_U, [10, 20, 70]), expected=np.array([2.2, 2.9, -0.1]),
             why="divide the weighted sum by the total number of records (100), not by the number of clients."),
        Case((_U, [0, 0, 5]), expected=_U[2].copy(), why="a client with 0 records counts nothing."),
        Case((_U, [1, 2]), raises=ValueError, why="one size per update: refuse sizes of another length."),
        Case((_U[:2], [1, 2, 3]), raises=ValueError,
             why="one size per update: 3 sizes for 2 updates must be refused, not silently cut short by zip."),
        Case((_U, [6]), raises=ValueError,
             why="one size per update: a single size for 3 updates must be refused (numpy broadcasting would "
                 "silently give it to every update); compare len(sizes) with len(updates)."),
        Case((_U, [1, -2, 3]), raises=ValueError, why="a negative number of records is impossible: raise ValueError."),
        Case((_U, [0, 0, 0]), raises=ValueError, why="all sizes 0 leaves nothing to weight by (0 / 0)."),
    ]


q1 = _PureFunctionProblem(
    title="Q1 FedAvg's weighted average",
    answer_name="my_weighted_average",
    setup=_SETUP,
    cases=_q1_cases,
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
        """
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates) or any(n < 0 for n in sizes) or sum(sizes) == 0:
        raise ValueError("sizes: one per update, >= 0, not all 0")
    total = sum(sizes)
    result = [0.0] * len(updates[0])
    for n, u in zip(sizes, updates):
        for i, value in enumerate(u):
            result[i] += n / total * value
    return result
""",
    ],
    mistakes=[
        """
import numpy as np
def my_weighted_average(updates, sizes):
    if len(updates) != len(sizes):
        raise ValueError("one size per update")
    sizes = np.asarray(sizes, dtype=float)
    if (sizes < 0).any() or sizes.sum() == 0:
        raise ValueError("sizes must be >= 0 and not all 0")
    return (sizes * np.stack(updates)).sum(axis=0) / sizes.sum()    # sizes not turned into a column
""",
        """
import numpy as np
def my_weighted_average(updates, sizes):
    if len(updates) != len(sizes):
        raise ValueError("one size per update")
    if any(s < 0 for s in sizes):
        raise ValueError("sizes must be >= 0")
    total = sum(sizes)
    weights = [s / total for s in sizes]                 # all-zero sizes: ZeroDivisionError
    return sum(w * np.asarray(u, dtype=float) for w, u in zip(weights, updates))
""",
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
        """
def my_weighted_average(updates, sizes):
    sizes = np.asarray(sizes, dtype=float)
    if (sizes < 0).any() or sizes.sum() == 0:
        raise ValueError("bad sizes")
    return (sizes[:, None] * np.stack(updates)).sum(axis=0) / sizes.sum()   # broadcasting accepts one size
""",
        """
def my_weighted_average(updates, sizes):
    if len(sizes) < len(updates) or min(sizes) < 0 or sum(sizes) == 0:
        raise ValueError("bad sizes")
    return sum(n * u for n, u in zip(sizes, updates)) / sum(sizes)     # zip drops the extra sizes
""",
        """
def my_weighted_average(updates, sizes):
    if len(sizes) != len(updates) or min(sizes) < 0 or sum(sizes) == 0:
        raise ValueError("bad sizes")
    for n, u in zip(sizes, updates):
        u *= n / sum(sizes)                                            # scales the caller's updates in place
    return sum(updates)
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
            "own": federated - own[worst], "mean": federated - float(np.mean(held_out)),
            "rounded": round(federated, 3) - round(held_out[worst], 3)}


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
    ] + [
        (rounded, "close: that is the gain from rounded accuracies (as printed, or rounded by hand). Compute it "
                  "from the unrounded values, e.g. history['accuracy'].iloc[-1] and fl.accuracy(...).")
        for rounded in (v["rounded"], round(v["gain"], 3), round(v["gain"], 4))
        if abs(rounded - v["gain"]) > 1e-9
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
        "The most skewed hospital is the one whose own model transfers worst to everyone's patients. Compare "
        "two models on the SAME held-out patients of all five hospitals: that hospital's local-only model, and "
        "the federated one; the gain is the difference of their accuracies, as a fraction.",
        "Train one local model per hospital (fl.partition by hospital, then fl.local_train for 200 epochs at "
        "learning rate 1.0 from zeros), score each with fl.accuracy on (X_test, y_test), and take the worst; then "
        "run fl.fedavg(clients, test=(X_test, y_test)) with its defaults and read the last accuracy of its history.",
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
        """
clients = fl.partition(X, y, hospitals)
local_models = [fl.local_train(np.zeros(11), Xk, yk, epochs=200, learning_rate=1.0) for Xk, yk in clients]
worst = min(fl.accuracy(p, X_test, y_test) for p in local_models)
_, history = fl.fedavg(clients, test=(X_test, y_test))
gain = round(history["accuracy"].iloc[-1], 3) - round(worst, 3)        # the printed, rounded accuracies
""",
    ],
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
                raise Incorrect(f"with {n_clients} clients, client {i}'s masked update differs from its raw update by "
                                "less than 1 (updates are about 0.1): the server could read it. Either the masks are "
                                "far smaller than the updates, or the masks this client adds and subtracts cancel "
                                "each other (one mask reused for several pairs): draw a new mask for every pair.")
        again = answer([u.copy() for u in updates], np.random.default_rng(n_clients))
        if any(not np.allclose(a, b) for a, b in zip(masked, again)):
            raise Incorrect("two calls with generators seeded alike gave different masks: draw them from the `rng` "
                            "argument, not np.random.")
        other = [np.asarray(m, dtype=float) for m in answer([u.copy() for u in updates],
                                                            np.random.default_rng(100 + n_clients))]
        if any(np.abs(a - b).max() < 1.0 for a, b in zip(masked, other)):
            raise Incorrect("two calls with differently seeded generators gave (nearly) the same masked updates: "
                            "masks fixed in advance are known to the server, which can subtract them. Draw every "
                            "mask at random from `rng`.")
    try:
        answer([np.ones(11)], np.random.default_rng(0))
    except ValueError:
        pass
    except Exception as exc:
        raise Incorrect(f"one client raised {type(exc).__name__}; raise ValueError: masking needs at least two "
                        "clients (one client's masked 'sum' is its own update).") from exc
    else:
        raise Incorrect("one client was accepted: with a single client the sum IS its update, so raise ValueError.")
    try:
        answer([np.zeros(11), np.zeros(1)], np.random.default_rng(0))
    except ValueError:
        pass
    except Exception as exc:
        raise Incorrect(f"updates of different shapes raised {type(exc).__name__}; raise ValueError.") from exc
    else:
        raise Incorrect("updates of shapes (11,) and (1,) were accepted (numpy broadcasting stretched one to fit "
                        "the other): raise ValueError unless every update has the same shape.")
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
        "Raise ValueError when len(updates) < 2, or when len({np.shape(u) for u in updates}) > 1.",
    ],
    reference="""
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError(f"masking needs at least 2 clients, got {len(updates)}")
    if len({np.shape(u) for u in updates}) > 1:
        raise ValueError(f"updates must all have one shape, got {[np.shape(u) for u in updates]}")
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
    if n < 2 or any(np.shape(u) != np.shape(updates[0]) for u in updates):
        raise ValueError("need two clients or more, with updates of one shape")
    masks = [rng.normal(0, 1000, size=np.shape(updates[0])) for _ in range(n)]
    return [np.asarray(u, dtype=float) + masks[i] - masks[i - 1] for i, u in enumerate(updates)]
""",
        """
def my_mask_updates(updates, rng):
    stacked = np.stack(updates).astype(float)         # np.stack refuses arrays of different shapes (ValueError)
    n = len(stacked)
    if n < 2:
        raise ValueError("need two clients")
    pair_masks = rng.uniform(-1000, 1000, size=(n, n) + stacked.shape[1:])
    upper = np.triu(np.ones((n, n)), k=1).reshape((n, n) + (1,) * (stacked.ndim - 1)) * pair_masks
    return list(stacked + upper.sum(axis=1) - upper.sum(axis=0))   # row i adds r_ij (j > i), column j subtracts
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
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    masked = [np.array(u, dtype=float) for u in updates]
    r = rng.uniform(-1000, 1000, size=masked[0].shape)                      # one mask reused for every pair
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            masked[i] += r
            masked[j] -= r
    return masked
""",
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    masked = [np.array(u, dtype=float) + 1000.0 for u in updates]          # fixed masks the server knows
    masked[-1] -= 1000.0 * len(updates)
    return masked
""",
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    masked = [np.array(u, dtype=float) for u in updates]
    for i in range(len(updates)):
        for j in range(i + 1, len(updates)):
            r = rng.uniform(-1000, 1000, size=masked[0].shape)
            masked[i] = masked[i] + r                                        # broadcasting hides a shape mismatch
            masked[j] = masked[j] - r
    return masked
""",
        """
def my_mask_updates(updates, rng):
    if len(updates) < 2:
        raise ValueError("need two clients")
    return [np.array(u, dtype=float) for u in updates]                      # raw updates sent as 'masked'
""",
    ],
    explanation="Each mask is added once and subtracted once, so the server's sum is exact while each masked "
                "update on its own is indistinguishable from noise.",
)

# --------------------------------------------------------------------------------------
# q4 clipping by the L2 norm
# --------------------------------------------------------------------------------------

def _q4_cases() -> list[Case]:
    return [
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
    ]


q4 = _PureFunctionProblem(
    title="Q4 clip an update by its L2 norm",
    answer_name="my_clip",
    setup=_SETUP,
    cases=_q4_cases,
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
        """
def my_clip(update, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    norm = sum(value ** 2 for value in update) ** 0.5
    factor = max_norm / norm if norm > max_norm else 1.0
    return [value * factor for value in update]
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
    if norm > max_norm:
        update *= max_norm / norm                                     # scales the caller's update in place
    return update
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
