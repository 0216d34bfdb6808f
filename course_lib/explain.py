"""Lesson 08 (explainability): the glue that scikit-learn and SHAP leave to you.

The lesson explains models with the maintained libraries: scikit-learn's
``permutation_importance`` and ``PartialDependenceDisplay``, and SHAP's ``TreeExplainer``
and plots. This module holds only the few checks those libraries do not make for you,
read top to bottom:

1. **Name the output space** (:func:`model_output`): a SHAP explanation adds up to the
   model's output *in the space the explainer works in*: log-odds (``decision_function``)
   for gradient boosting, probability for a random forest. Asking for the space by name
   makes the choice visible.
2. **Check additivity** (:func:`additivity_error`): base value plus contributions equals the
   model's output (the "local accuracy" property of Lundberg & Lee, *A Unified Approach to
   Interpreting Model Predictions*, NeurIPS 2017). A multi-output explanation is refused
   with the fix (select the class first), which is the lesson's common mistake.
3. **Compare two rankings** (:func:`compare_rankings`): permutation importance against mean
   absolute SHAP value, feature by feature, with each feature's rank under both.
4. **Permute correlated features together** (:func:`grouped_permutation_importance`):
   scikit-learn permutes one column at a time, so two features that carry the same
   information (glucose tracks HbA1c) each look unimportant; permuting them as one group
   shows what the pair is worth (Molnar, *Interpretable Machine Learning*, 2nd ed., 2022,
   chapter "Permutation Feature Importance"; Hooker, Mentch & Zhou, *Unrestricted
   permutation forces extrapolation*, Statistics and Computing 31, 2021).

LIME (Ribeiro, Singh & Guestrin, *"Why Should I Trust You?"*, KDD 2016) comes from the
``lime`` package; the lesson measures how its answer moves with its seed and kernel width.

Every function validates its arguments and raises ``ValueError``/``TypeError`` naming the
argument, the rule and the value. Nothing here prints or plots.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.metrics import check_scoring

from course_lib import _checks

__all__ = [
    "OUTPUT_SPACES",
    "model_output",
    "additivity_error",
    "compare_rankings",
    "grouped_permutation_importance",
]

#: The output spaces :func:`model_output` knows: log-odds (``decision_function`` of a binary
#: classifier, what SHAP's ``TreeExplainer`` explains for gradient boosting) and the
#: probability of the positive class (``predict_proba[:, 1]``, what it explains for a forest).
OUTPUT_SPACES = ("log-odds", "probability")


# --------------------------------------------------------------------------------------
# 1-2. The output space, and additivity checked in it
# --------------------------------------------------------------------------------------


def _space(space: object) -> str:
    if not isinstance(space, str) or space not in OUTPUT_SPACES:
        raise ValueError(f"space must be one of {OUTPUT_SPACES}, got {space!r}")
    return str(space)


def _rows(X: Any) -> Any:
    """``X`` if it is a table of at least one row and one column: a DataFrame (kept, with its
    column names) or anything numeric and 2-D (as a float array)."""
    if isinstance(X, pd.DataFrame):
        table = X
    else:
        table = _checks.finite_array("X", X, ndim=2)
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {table.shape}")
    return table


def model_output(model: Any, X: Any, space: Literal["log-odds", "probability"]) -> np.ndarray:
    """The binary classifier ``model``'s output for each row of ``X`` in the named ``space``.

    ``"probability"``: ``predict_proba(X)[:, 1]``, the positive class. ``"log-odds"``:
    ``decision_function(X)`` when the model has one (gradient boosting, logistic
    regression), else the logit of that probability (clipped to 1e-12 from 0 and 1, because
    a forest's probability can be exactly 0 or 1).
    """
    space = _space(space)
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"model must be a fitted binary classifier with predict_proba, got {type(model).__name__}")
    X = _rows(X)
    proba = np.asarray(model.predict_proba(X), dtype=float)
    if proba.ndim != 2 or proba.shape[1] != 2:
        raise ValueError(f"model must be a binary classifier (2 columns of predict_proba), got shape {proba.shape}")
    if space == "probability":
        return proba[:, 1]
    if hasattr(model, "decision_function"):
        scores = np.asarray(model.decision_function(X), dtype=float)
        if scores.ndim == 1:
            return scores
    p = np.clip(proba[:, 1], 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def additivity_error(explanation: Any, output: Any) -> float:
    """Largest ``|base value + sum of contributions - output|`` over the explained rows.

    ``explanation`` is a ``shap.Explanation`` for one row (1-D ``values``) or many (2-D), of
    one output; ``output`` is the model's output for the same rows in the space the explainer
    worked in (:func:`model_output`). A correct explanation gives an error at floating-point
    level (about 1e-12); a large one means the wrong space, the wrong class or the wrong rows.
    A multi-output explanation (a random forest's ``(n, features, 2)``) is refused: select
    the positive class first, ``explanation[..., 1]``.
    """
    values = getattr(explanation, "values", None)
    base = getattr(explanation, "base_values", None)
    if values is None or base is None:
        raise TypeError(
            f"explanation must be a shap.Explanation (with values and base_values), got {type(explanation).__name__}"
        )
    values = _checks.finite_array("explanation.values", values)
    base = _checks.finite_array("explanation.base_values", base)
    if values.ndim == 1:
        if base.size != 1:
            raise ValueError(f"a one-row explanation needs one base value, got shape {base.shape}")
        values, base = values[None, :], base.reshape(1)
    elif values.ndim == 2:
        if base.shape != (values.shape[0],):
            raise ValueError(
                f"explanation.base_values must hold one value per row, shape ({values.shape[0]},), got {base.shape}: "
                "a multi-output explanation? select one class first, explanation[..., 1]"
            )
    else:
        raise ValueError(
            f"explanation must explain one output, got values of shape {values.shape} (one column per class): "
            "select the positive class first, explanation[..., 1]"
        )
    out = _checks.finite_array("output", output).reshape(-1)
    if out.shape[0] != values.shape[0]:
        raise ValueError(f"output must hold one value per explained row ({values.shape[0]}), got {out.shape[0]}")
    return float(np.max(np.abs(base + values.sum(axis=1) - out)))


# --------------------------------------------------------------------------------------
# 3-4. Comparing global importances; correlated features permuted together
# --------------------------------------------------------------------------------------


def _importance(name: str, values: object) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by feature name, got {type(values).__name__}")
    if values.empty:
        raise ValueError(f"{name} must hold at least one feature, got an empty Series")
    if not values.index.is_unique:
        raise ValueError(f"{name} must name each feature once, got repeated {sorted(set(values.index[values.index.duplicated()]))}")
    _checks.finite_array(name, values.to_numpy())
    return values.astype(float)


def compare_rankings(first: pd.Series, second: pd.Series, *, labels: tuple[str, str] = ("first", "second")) -> pd.DataFrame:
    """Two importance scores of the same features side by side, with each feature's rank.

    Returns one row per feature (sorted by ``first``, largest first) with columns
    ``<label>``, ``<label>_rank`` for both, and ``rank_shift`` (rank under ``second`` minus
    rank under ``first``: positive means ``second`` puts the feature lower). Rank 1 is the
    most important; ties share the lower rank. Both Series must name the same features.
    """
    a, b = _importance("first", first), _importance("second", second)
    if set(a.index) != set(b.index):
        raise ValueError(
            f"first and second must name the same features; only in first: {sorted(set(a.index) - set(b.index))}, "
            f"only in second: {sorted(set(b.index) - set(a.index))}"
        )
    if not (isinstance(labels, tuple) and len(labels) == 2 and all(isinstance(x, str) and x for x in labels)):
        raise ValueError(f"labels must be a tuple of two non-empty strings, got {labels!r}")
    if labels[0] == labels[1]:
        raise ValueError(f"labels must differ, got {labels!r}")
    b = b.reindex(a.index)
    table = pd.DataFrame({
        labels[0]: a,
        f"{labels[0]}_rank": a.rank(ascending=False, method="min").astype(int),
        labels[1]: b,
        f"{labels[1]}_rank": b.rank(ascending=False, method="min").astype(int),
    })
    table["rank_shift"] = table[f"{labels[1]}_rank"] - table[f"{labels[0]}_rank"]
    return table.sort_values(f"{labels[0]}_rank", kind="stable")


def grouped_permutation_importance(
    model: Any,
    X: pd.DataFrame,
    y: Any,
    groups: Mapping[str, Sequence[str]],
    *,
    scoring: str | Callable[..., float] | None = None,
    n_repeats: int = 10,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Drop in score when the columns of each group are shuffled **together** (same row order).

    scikit-learn's ``permutation_importance`` shuffles one column at a time; for a group of
    one column this is the same measure. Shuffling a group's columns with one permutation
    keeps their relation to each other and breaks only their relation to the target and to
    the other features, so correlated features cannot stand in for each other.
    ``scoring`` is any scikit-learn scorer name or callable (default: the model's ``score``).
    Returns one row per group: ``importance_mean``, ``importance_std`` (over the repeats).
    """
    if not isinstance(groups, Mapping) or not groups:
        raise ValueError(f"groups must be a non-empty mapping of group name to column list, got {_checks.short_repr(groups)}")
    column_sets = {str(name): _checks.column_list(cols, f"groups[{name!r}]") for name, cols in groups.items()}
    _checks.check_frame(X, "X", [c for cols in column_sets.values() for c in cols])
    target = np.asarray(y)
    if target.ndim != 1 or target.shape[0] != len(X):
        raise ValueError(f"y must be 1-D with one label per row of X ({len(X)}), got shape {target.shape}")
    n_repeats = _checks.integer("n_repeats", n_repeats, minimum=1, maximum=1000)
    generator = _checks.rng(rng)
    if not hasattr(model, "predict"):
        raise TypeError(f"model must be a fitted estimator with predict, got {type(model).__name__}")
    if scoring is not None and not isinstance(scoring, str) and not callable(scoring):
        raise TypeError(f"scoring must be a scorer name, a scorer function or None, got {type(scoring).__name__} "
                        f"{_checks.short_repr(scoring)}")
    try:
        scorer = check_scoring(model, scoring=scoring)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"scoring={_checks.short_repr(scoring)} cannot score model: {exc}") from exc

    def score(table: pd.DataFrame) -> float:
        return _checks.number("scoring's result", scorer(model, table, target))

    baseline = score(X)
    rows = []
    for name, cols in column_sets.items():
        drops = []
        for _ in range(n_repeats):
            shuffled = X.copy()
            order = generator.permutation(len(X))
            shuffled[cols] = X[cols].to_numpy()[order]
            drops.append(baseline - score(shuffled))
        rows.append({"group": name, "importance_mean": float(np.mean(drops)), "importance_std": float(np.std(drops))})
    return pd.DataFrame(rows).set_index("group")
