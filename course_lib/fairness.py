"""Lesson 07 (fairness): measure who a credit model harms, against the biased history AND the truth.

``datasets/credit.csv`` carries a documented, injected bias: historical ``approved``
decisions took 1.2 logits off group B's score, while ``repaid`` (the ground truth, knowable
because the data is synthetic) depends on finances only. fairlearn computes group metrics
(``MetricFrame``), disparities and mitigations; this module holds only what the lesson needs
on top of it, read top to bottom:

1. **A model judged against two labels** (:func:`compare_with_truth`,
   :func:`disparity_summary`): the same predictions scored by group against the historical
   decisions and against who really repaid. Accuracy against biased labels rewards learning
   the bias; error rates against the truth say who is wrongly refused.
2. **The trade-off sweep** (:func:`constraint_sweep`, :func:`plot_tradeoff`): fit a
   mitigation at several constraint levels (fairlearn's ``ThresholdOptimizer(tol=...)`` or
   ``ExponentiatedGradient(eps=...)``) and record accuracy and disparity at each.
3. **Who flips** (:func:`flips`): which applicants a mitigation moves from refused to approved
   (and back), by group, and whether they would have repaid.
4. **The impossibility result in numbers** (:func:`chouldechova_fpr`,
   :func:`impossibility_table`): Chouldechova's identity
   ``FPR = p / (1 - p) * (1 - PPV) / PPV * (1 - FNR)`` (Chouldechova, *Fair prediction with
   disparate impact*, Big Data 2017; Kleinberg, Mullainathan & Raghavan, *Inherent
   Trade-Offs in the Fair Determination of Risk Scores*, ITCS 2017): with different base
   rates ``p``, equal PPV and equal FNR force unequal FPR.
5. **Privacy and fairness together** (:data:`DECLARED_BOUNDS`, :data:`AREAS`, :func:`credit_matrix`,
   :func:`underrepresent`, :func:`private_group_errors`, :func:`plot_group_errors`):
   diffprivlib's ``LogisticRegression`` at several epsilons and seeds, error rates by group.
   Differential privacy's noise costs an under-represented group more (Bagdasaryan,
   Poursaeed & Shmatikov, *Differential Privacy Has Disparate Impact on Model Accuracy*,
   NeurIPS 2019).

Predictions, labels and sensitive features are 1-D sequences of equal length; labels and
predictions hold only 0 and 1 (1 = approved / repaid). Helpers return frames and axes and
never print.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import NullFormatter

from course_lib import _checks, plotting

__all__ = [
    "FINANCE_FEATURES",
    "compare_with_truth",
    "disparity_summary",
    "constraint_sweep",
    "plot_tradeoff",
    "flips",
    "chouldechova_fpr",
    "impossibility_table",
    "DECLARED_BOUNDS",
    "AREAS",
    "credit_matrix",
    "underrepresent",
    "private_group_errors",
    "plot_group_errors",
]

#: The six finance columns of ``credit.csv`` (the only inputs of the true repayment model).
FINANCE_FEATURES: list[str] = [
    "income", "debt_ratio", "credit_history_years", "late_payments", "employment_years", "loan_amount",
]


# --------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------


def _binary(name: str, values: Any) -> np.ndarray:
    """``values`` as a 1-D int array of 0s and 1s."""
    array = _checks.finite_array(name, values, ndim=1)
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one value, got none")
    bad = sorted(set(np.unique(array)) - {0.0, 1.0})
    if bad:
        raise ValueError(f"{name} must hold only 0 and 1, got {[float(b) for b in bad[:5]]}")
    return array.astype(int)


def _groups(name: str, values: Any, length: int, of: str = "y_pred") -> np.ndarray:
    """Sensitive feature values as a 1-D object array of ``length`` with no missing value."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of group labels, got {type(values).__name__}")
    array = np.asarray(values, dtype=object)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size != length:
        raise ValueError(f"{name} must have one label per prediction of {of} ({length}), got {array.size}")
    if pd.isna(pd.Series(array)).any():
        raise ValueError(f"{name} must not hold missing values")
    if len(set(array)) < 2:
        raise ValueError(f"{name} must hold at least two groups to compare, got {sorted(set(map(str, array)))}")
    return array


def _truths(truths: Any, length: int) -> dict[str, np.ndarray]:
    if not isinstance(truths, Mapping):
        raise TypeError(f"truths must be a mapping of label name to 0/1 labels, got {type(truths).__name__}")
    if not truths:
        raise ValueError("truths must hold at least one labelling, got an empty mapping")
    out = {}
    for key, values in truths.items():
        labels = _binary(f"truths[{key!r}]", values)
        if labels.size != length:
            raise ValueError(f"truths[{key!r}] must have one label per prediction of y_pred ({length}), got {labels.size}")
        out[str(key)] = labels
    return out


# --------------------------------------------------------------------------------------
# 1. A model judged against two labels
# --------------------------------------------------------------------------------------


def _rates(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    positives, negatives = truth == 1, truth == 0
    return {
        "accuracy": float(np.mean(truth == pred)),
        "selection_rate": float(np.mean(pred)),
        "false_positive_rate": float(np.mean(pred[negatives])) if negatives.any() else float("nan"),
        "false_negative_rate": float(np.mean(1 - pred[positives])) if positives.any() else float("nan"),
    }


def compare_with_truth(y_pred: Sequence[int], truths: Mapping[str, Sequence[int]], sensitive: Sequence[Any]) -> pd.DataFrame:
    """Group metrics of ``y_pred`` against each labelling in ``truths`` (e.g. approved and repaid).

    Computed with fairlearn's ``MetricFrame``. Returns one row per (labelling, group) with
    ``count``, ``accuracy``, ``selection_rate``, ``false_positive_rate`` (refused by the label
    but approved by the model) and ``false_negative_rate`` (approved or repaid by the label
    but refused by the model), plus a row ``(labelling, "difference")`` with the largest gap
    between groups. The selection rate does not depend on the labelling.
    """
    from fairlearn.metrics import MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate
    from sklearn.metrics import accuracy_score

    pred = _binary("y_pred", y_pred)
    labels = _truths(truths, pred.size)
    groups = _groups("sensitive", sensitive, pred.size)
    metrics = {"count": count, "accuracy": accuracy_score, "selection_rate": selection_rate,
               "false_positive_rate": false_positive_rate, "false_negative_rate": false_negative_rate}
    frames = {}
    for name, truth in labels.items():
        frame = MetricFrame(metrics=metrics, y_true=truth, y_pred=pred, sensitive_features=pd.Series(groups, name="group"))
        table = frame.by_group.copy()
        difference = frame.difference().rename("difference")
        difference["count"] = np.nan
        frames[name] = pd.concat([table, difference.to_frame().T])
    result = pd.concat(frames, names=["truth", "group"])
    result["count"] = result["count"].astype("Int64")
    return result


def disparity_summary(y_pred: Sequence[int], truths: Mapping[str, Sequence[int]], sensitive: Sequence[Any]) -> dict[str, float]:
    """One line per model: accuracy against each labelling, and the disparities.

    Keys: ``accuracy_<label>`` for each labelling, ``dp_difference`` (demographic parity
    difference: the largest gap in approval rate between groups, which needs no label) and
    ``eo_difference_<label>`` (equalised odds difference: the larger of the gaps in true
    positive and in false positive rate, Hardt, Price & Srebro, NeurIPS 2016), from fairlearn.
    """
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    pred = _binary("y_pred", y_pred)
    labels = _truths(truths, pred.size)
    groups = _groups("sensitive", sensitive, pred.size)
    out = {f"accuracy_{name}": float(np.mean(truth == pred)) for name, truth in labels.items()}
    first = next(iter(labels.values()))
    out["dp_difference"] = float(demographic_parity_difference(first, pred, sensitive_features=groups))
    for name, truth in labels.items():
        out[f"eo_difference_{name}"] = float(equalized_odds_difference(truth, pred, sensitive_features=groups))
    return out


# --------------------------------------------------------------------------------------
# 2. The trade-off sweep
# --------------------------------------------------------------------------------------


def constraint_sweep(
    fit_predict: Callable[[float], Sequence[int]],
    levels: Sequence[float],
    truths: Mapping[str, Sequence[int]],
    sensitive: Sequence[Any],
) -> pd.DataFrame:
    """Call ``fit_predict(level)`` for each constraint level; score each with :func:`disparity_summary`.

    ``fit_predict`` fits a mitigation at one level (for example
    ``ThresholdOptimizer(..., tol=level)`` or ``ExponentiatedGradient(..., eps=level)``) and
    returns its 0/1 predictions on the rows of ``truths`` and ``sensitive``; seed it. Returns
    one row per level, in the order given, with a ``level`` column.
    """
    if not callable(fit_predict):
        raise TypeError(f"fit_predict must be a function of the constraint level, got {type(fit_predict).__name__}")
    grid = _checks.non_empty("levels", levels)
    if np.any(grid < 0):
        raise ValueError(f"levels must be >= 0 (a tolerance), got {grid.tolist()}")
    rows = []
    for level in grid:
        predictions = _binary(f"fit_predict({float(level)}) output", fit_predict(float(level)))
        rows.append({"level": float(level), **disparity_summary(predictions, truths, sensitive)})
    return pd.DataFrame(rows)


def plot_tradeoff(
    sweep: pd.DataFrame,
    accuracy_columns: Sequence[str],
    *,
    disparity_column: str = "dp_difference",
    points: Mapping[str, Mapping[str, float]] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Accuracy (y) against disparity (x) for each row of ``sweep``, one line per accuracy column.

    ``points`` adds single models (for example the unmitigated one), each a mapping holding
    the same columns, drawn as labelled markers on every line.
    """
    columns = _checks.column_list(accuracy_columns, "accuracy_columns")
    if not isinstance(disparity_column, str):
        raise TypeError(f"disparity_column must be a column name (str), got {type(disparity_column).__name__} "
                        f"{_checks.short_repr(disparity_column)}")
    _checks.check_frame(sweep, "sweep", [disparity_column], named_by="disparity_column")
    _checks.check_frame(sweep, "sweep", columns, named_by="accuracy_columns")
    if points is not None and not isinstance(points, Mapping):
        raise TypeError(f"points must be a mapping of label to a mapping of column values, or None, "
                        f"got {type(points).__name__} {_checks.short_repr(points)}")
    ax = plotting.get_ax(ax)
    order = sweep.sort_values(disparity_column)
    markers = ["o", "s", "^", "D", "v", "P"]
    for i, column in enumerate(columns):
        color = plotting.COLORS[i % len(plotting.COLORS)]
        ax.plot(order[disparity_column], order[column], marker="o", color=color, label=column.replace("_", " "))
        for j, (name, point) in enumerate((points or {}).items()):
            if not isinstance(point, (Mapping, pd.Series)):
                raise TypeError(f"points[{name!r}] must be a mapping (or Series) of column to value, got {type(point).__name__}")
            if column not in point or disparity_column not in point:
                raise ValueError(f"points[{name!r}] needs the columns {disparity_column!r} and {column!r}")
            ax.scatter(point[disparity_column], point[column], s=80, color=color, edgecolor="black", zorder=3,
                       marker=markers[(j + 1) % len(markers)], label=name if i == 0 else None)
    ax.set(xlabel=disparity_column.replace("_", " "), ylabel="accuracy")
    ax.legend(fontsize=8)
    return ax


# --------------------------------------------------------------------------------------
# 3. Who flips
# --------------------------------------------------------------------------------------


def flips(before: Sequence[int], after: Sequence[int], sensitive: Sequence[Any], truth: Sequence[int]) -> pd.DataFrame:
    """Applicants whose decision a mitigation changed, by group.

    Columns: ``applicants``, ``refused_to_approved`` and ``approved_to_refused`` (counts),
    ``flipped_share`` (share of the group whose decision changed), and
    ``repaid_among_newly_approved`` / ``repaid_among_newly_refused`` (share of each flipped
    set that ``truth`` says repaid; NaN when the set is empty). A last row ``all`` sums the groups.
    """
    old = _binary("before", before)
    new = _binary("after", after)
    if new.size != old.size:
        raise ValueError(f"after must have one decision per applicant of before ({old.size}), got {new.size}")
    repaid = _binary("truth", truth)
    if repaid.size != old.size:
        raise ValueError(f"truth must have one label per applicant ({old.size}), got {repaid.size}")
    groups = _groups("sensitive", sensitive, old.size, "before")
    rows = {}
    for name in [*sorted(set(groups), key=str), "all"]:
        mask = np.ones(old.size, bool) if name == "all" else groups == name
        up = mask & (old == 0) & (new == 1)
        down = mask & (old == 1) & (new == 0)
        rows[name] = {
            "applicants": int(mask.sum()),
            "refused_to_approved": int(up.sum()),
            "approved_to_refused": int(down.sum()),
            "flipped_share": float((up.sum() + down.sum()) / mask.sum()),
            "repaid_among_newly_approved": float(repaid[up].mean()) if up.any() else float("nan"),
            "repaid_among_newly_refused": float(repaid[down].mean()) if down.any() else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")


# --------------------------------------------------------------------------------------
# 4. The impossibility result in numbers
# --------------------------------------------------------------------------------------


def chouldechova_fpr(prevalence: Any, ppv: Any, fnr: Any) -> np.ndarray | float:
    """The false positive rate that base rate, PPV and FNR force: ``p/(1-p) * (1-PPV)/PPV * (1-FNR)``.

    An identity of the confusion matrix (Chouldechova 2017): it holds for any
    classifier and any group. So if two groups have different prevalences ``p`` (base rates
    of the positive label), a classifier with equal PPV (predictive parity) and equal FNR in
    both must have unequal FPR: equalised odds and predictive parity cannot both hold
    (Kleinberg et al. 2017 prove the analogous result for calibrated scores). Arrays broadcast.
    """
    p, v, f = (_checks.finite_array(name, values, allow_bool=False) for name, values in
               (("prevalence", prevalence), ("ppv", ppv), ("fnr", fnr)))
    for name, array in (("prevalence", p), ("ppv", v), ("fnr", f)):
        if array.size == 0:
            raise ValueError(f"{name} must hold at least one value, got none")
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError(f"prevalence must be strictly between 0 and 1, got {p.tolist()}")
    if np.any((v <= 0) | (v > 1)):
        raise ValueError(f"ppv must be in (0, 1], got {v.tolist()}")
    if np.any((f < 0) | (f > 1)):
        raise ValueError(f"fnr must be from 0 to 1, got {f.tolist()}")
    with np.errstate(over="ignore", divide="ignore"):
        result = p / (1 - p) * (1 - v) / v * (1 - f)
    if not np.all(np.isfinite(result)):
        raise ValueError(f"ppv is so close to 0 that the forced FPR overflows (no classifier has these rates), "
                         f"got ppv={v.tolist()}")
    return float(result) if np.ndim(result) == 0 else result


def impossibility_table(y_true: Sequence[int], y_pred: Sequence[int], sensitive: Sequence[Any]) -> pd.DataFrame:
    """Per group: prevalence, PPV, FNR, the observed FPR and the FPR :func:`chouldechova_fpr` predicts.

    The two FPR columns agree (it is an identity); the table shows which rates differ
    between groups and why they must. A group whose model approves nobody has no PPV: NaN.
    """
    truth = _binary("y_true", y_true)
    pred = _binary("y_pred", y_pred)
    if pred.size != truth.size:
        raise ValueError(f"y_pred must have one prediction per label of y_true ({truth.size}), got {pred.size}")
    groups = _groups("sensitive", sensitive, truth.size, "y_true")
    rows = {}
    for name in sorted(set(groups), key=str):
        t, p = truth[groups == name], pred[groups == name]
        prevalence = float(t.mean())
        ppv = float(t[p == 1].mean()) if p.any() else float("nan")
        fnr = float(1 - p[t == 1].mean()) if t.any() else float("nan")
        fpr = float(p[t == 0].mean()) if (t == 0).any() else float("nan")
        identity = (chouldechova_fpr(prevalence, ppv, fnr)
                    if 0 < prevalence < 1 and np.isfinite(ppv) and ppv > 0 else float("nan"))
        rows[name] = {"prevalence": prevalence, "ppv": ppv, "fnr": fnr, "fpr": fpr, "fpr_from_identity": identity}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")


# --------------------------------------------------------------------------------------
# 5. Privacy and fairness together
# --------------------------------------------------------------------------------------


#: Bounds of each finance feature, declared from domain knowledge before looking at the data
#: (lesson 04: never from the data's own minimum and maximum). Income enters as its logarithm
#: (the true model is linear in ln income), the loan as a share of income.
DECLARED_BOUNDS: dict[str, tuple[float, float]] = {
    "log_income": (float(np.log(5_000)), float(np.log(500_000))),
    "debt_ratio": (0.0, 1.0),
    "credit_history_years": (0.0, 60.0),
    "late_payments": (0.0, 10.0),
    "employment_years": (0.0, 55.0),
    "loan_to_income": (0.0, 1.0),
}


#: The areas of ``credit.csv`` (DATASHEET.md), declared so that a one-hot encoding does not
#: depend on which areas happen to appear in the data.
AREAS: list[str] = [f"Z{i:02d}" for i in range(1, 11)]


def credit_matrix(df: pd.DataFrame, *, areas: bool = False) -> tuple[np.ndarray, list[str]]:
    """``(X, names)``: the finance features of ``df`` clipped to :data:`DECLARED_BOUNDS`, scaled to [0, 1].

    With ``areas=True`` one indicator column per declared area in :data:`AREAS` follows
    (exactly one is 1 in each row). Every row's L2 norm is at most ``sqrt(len(names))`` (for the
    finance columns) plus the one indicator: ``sqrt(6)`` without areas, ``sqrt(7)`` with them.
    That is the ``data_norm`` a differentially private model can declare without reading it
    off the data.
    """
    if not isinstance(areas, bool):
        raise TypeError(f"areas must be True or False, got {type(areas).__name__}")
    _checks.check_frame(df, "df", FINANCE_FEATURES + (["zip_area"] if areas else []))
    for column in FINANCE_FEATURES:
        if not pd.api.types.is_numeric_dtype(df[column]) or pd.api.types.is_bool_dtype(df[column]):
            raise TypeError(f"df[{column!r}] must be numeric, got dtype {df[column].dtype}")
        if not np.all(np.isfinite(df[column].to_numpy(dtype=float))):
            raise ValueError(f"df[{column!r}] must be finite (no missing values)")
    if (df["income"] <= 0).any():
        raise ValueError(f"df['income'] must be > 0, got minimum {df['income'].min()}")
    raw = {
        "log_income": np.log(df["income"].to_numpy(dtype=float)),
        "debt_ratio": df["debt_ratio"].to_numpy(dtype=float),
        "credit_history_years": df["credit_history_years"].to_numpy(dtype=float),
        "late_payments": df["late_payments"].to_numpy(dtype=float),
        "employment_years": df["employment_years"].to_numpy(dtype=float),
        "loan_to_income": (df["loan_amount"] / df["income"]).to_numpy(dtype=float),
    }
    columns = [(np.clip(raw[name], lo, hi) - lo) / (hi - lo) for name, (lo, hi) in DECLARED_BOUNDS.items()]
    names = list(DECLARED_BOUNDS)
    if areas:
        unknown = sorted(set(map(str, df["zip_area"])) - set(AREAS))
        if unknown:
            raise ValueError(f"df['zip_area'] holds areas outside the declared {AREAS[0]}-{AREAS[-1]}: {unknown[:5]}")
        columns += [(df["zip_area"] == area).to_numpy(dtype=float) for area in AREAS]
        names += [f"zip_area_{area}" for area in AREAS]
    return np.column_stack(columns), names


def underrepresent(
    df: pd.DataFrame, column: str, value: Any, keep: float, rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """``df`` with only a random share ``keep`` of the rows where ``df[column] == value`` (index reset).

    Simulates a training history in which one group is under-represented (for example a
    lender with few past customers from group B). Other rows are all kept.
    """
    _checks.column_list([column], "column")
    _checks.check_frame(df, "df", [column], named_by="column")
    if not pd.api.types.is_scalar(value):
        raise TypeError(f"value must be a single value of df[{column!r}], got {type(value).__name__} {_checks.short_repr(value)}")
    keep = _checks.probability("keep", keep)
    generator = _checks.rng(rng)
    target = (df[column] == value).to_numpy()
    if not target.any():
        raise ValueError(f"df[{column!r}] has no row equal to {value!r}; its values are {sorted(map(str, df[column].unique()))[:10]}")
    kept = ~target | (generator.random(len(df)) < keep)
    return df.loc[kept].reset_index(drop=True)


def private_group_errors(
    X_train: np.ndarray,
    y_train: Sequence[int],
    X_test: np.ndarray,
    y_test: Sequence[int],
    sensitive: Sequence[Any],
    epsilons: Sequence[float],
    seeds: Sequence[int],
    data_norm: float,
) -> pd.DataFrame:
    """Accuracy and error rates by group of diffprivlib's ``LogisticRegression``, per epsilon and seed.

    Objective perturbation (Chaudhuri, Monteleoni & Sarwate, JMLR 2011) as implemented by
    diffprivlib; rows of ``X_train`` must have L2 norm at most ``data_norm`` (declared, e.g.
    from :func:`credit_matrix`). Epsilon ``inf`` is allowed and means the non-private
    scikit-learn model with the same regularisation, as a reference. Returns a long frame:
    ``epsilon``, ``seed``, ``group``, ``accuracy``, ``false_negative_rate``,
    ``false_positive_rate``, ``selection_rate``.

    BLAS is limited to one thread while fitting: the optimiser's many small matrix products
    run about ten times slower with two OpenBLAS threads on a busy two-core machine.
    """
    from diffprivlib.models import LogisticRegression as PrivateLogisticRegression
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    X_tr = _checks.finite_array("X_train", X_train, ndim=2)
    X_te = _checks.finite_array("X_test", X_test, ndim=2)
    if X_tr.shape[1] != X_te.shape[1]:
        raise ValueError(f"X_train and X_test must have the same columns, got {X_tr.shape[1]} and {X_te.shape[1]}")
    y_tr = _binary("y_train", y_train)
    y_te = _binary("y_test", y_test)
    if y_tr.size != X_tr.shape[0] or y_te.size != X_te.shape[0]:
        raise ValueError(f"y_train and y_test must have one label per row of X_train ({X_tr.shape[0]}) and "
                         f"X_test ({X_te.shape[0]}), got {y_tr.size} and {y_te.size}")
    groups = _groups("sensitive", sensitive, X_te.shape[0], "X_test")
    data_norm = _checks.positive("data_norm", data_norm)
    norms = np.linalg.norm(X_tr, axis=1)
    if norms.max() > data_norm * (1 + 1e-9):
        raise ValueError(f"data_norm must bound every row of X_train; a row has norm {norms.max():.3f} > {data_norm}")
    for name, values in (("epsilons", epsilons), ("seeds", seeds)):
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__} {_checks.short_repr(values)}")
    grid = []
    for i, e in enumerate(epsilons):
        if isinstance(e, (int, float, np.floating)) and not isinstance(e, bool) and e == float("inf"):
            grid.append(float("inf"))
        else:
            grid.append(_checks.epsilon(e, f"epsilons[{i}]"))
    seed_list = [_checks.integer(f"seeds[{i}]", s, minimum=0) for i, s in enumerate(seeds)]
    if not grid or not seed_list:
        raise ValueError("epsilons and seeds must each hold at least one value")
    rows = []
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        # diffprivlib 0.6.6 passes L-BFGS-B options that scipy 1.17 deprecates: harmless with
        # the pinned scipy<1.18 (DEPENDENCY_NOTES.md); nothing else is silenced.
        warnings.filterwarnings("ignore", message=r"scipy\.optimize: The `disp` and `iprint`", category=DeprecationWarning)
        for epsilon in grid:
            for seed in seed_list:
                if epsilon == float("inf"):
                    model = LogisticRegression(C=1.0, max_iter=1000, random_state=0)
                else:
                    model = PrivateLogisticRegression(epsilon=epsilon, data_norm=data_norm, random_state=seed)
                pred = model.fit(X_tr, y_tr).predict(X_te).astype(int)
                for name in sorted(set(groups), key=str):
                    mask = groups == name
                    rates = _rates(y_te[mask], pred[mask])
                    rows.append({"epsilon": epsilon, "seed": seed, "group": name, "accuracy": rates["accuracy"],
                                 "false_negative_rate": rates["false_negative_rate"],
                                 "false_positive_rate": rates["false_positive_rate"],
                                 "selection_rate": rates["selection_rate"]})
                if epsilon == float("inf"):
                    break  # the non-private model is deterministic: one seed is enough
    return pd.DataFrame(rows)


def plot_group_errors(errors: pd.DataFrame, metric: str = "accuracy", *, ax: Axes | None = None) -> Axes:
    """Mean ``metric`` (with a band of one standard deviation over seeds) against epsilon, one line per group.

    ``errors`` is the frame of :func:`private_group_errors`; finite epsilons only are drawn,
    on a log axis; a non-private row (epsilon ``inf``) becomes a dashed line per group.
    """
    allowed = ["accuracy", "false_negative_rate", "false_positive_rate", "selection_rate"]
    if not isinstance(metric, str) or metric not in allowed:
        raise ValueError(f"metric must be one of {allowed}, got {metric!r}")
    _checks.check_frame(errors, "errors", ["epsilon", "seed", "group", metric])
    ax = plotting.get_ax(ax)
    finite = errors[np.isfinite(errors["epsilon"])]
    if finite.empty:
        raise ValueError("errors must hold at least one finite epsilon to plot")
    for i, (name, part) in enumerate(finite.groupby("group", sort=True)):
        color = plotting.COLORS[i % len(plotting.COLORS)]
        summary = part.groupby("epsilon")[metric].agg(["mean", "std"]).fillna(0.0)
        plotting.line_with_band(summary.index, summary["mean"], summary["std"], ax=ax, color=color,
                                label=f"group {name} (mean ± sd)", logx=True)
        reference = errors[(errors["group"] == name) & ~np.isfinite(errors["epsilon"])]
        if not reference.empty:
            ax.axhline(reference[metric].mean(), color=color, linestyle="--", linewidth=1,
                       label=f"group {name}, non-private")
    ticks = np.sort(finite["epsilon"].unique())
    ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(xlabel="ε", ylabel=metric.replace("_", " "))
    ax.legend(fontsize=8)
    return ax
