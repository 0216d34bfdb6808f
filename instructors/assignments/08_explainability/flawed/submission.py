"""Assignment 08, a flawed submission: the old tutorial idiom picks class 0 of the forest.

Everything is right except ``explain_positive_class``, copied from a pre-0.45 SHAP tutorial:
``shap_values[0]`` and ``expected_value[0]`` were "the first output", which is class 0 (not
readmitted), so the explanation adds up to the wrong probability.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)   # shap 0.51's colour maps, not our code
    import shap


def _frame(X: object) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame) or X.empty:
        raise TypeError(f"X must be a non-empty DataFrame of features, got {type(X).__name__}")
    return X


def explain_log_odds(model, X: pd.DataFrame) -> shap.Explanation:
    """A 2-D ``Explanation`` (rows, features) of a fitted gradient-boosting classifier, in log-odds."""
    X = _frame(X)
    explanation = shap.TreeExplainer(model)(X)
    if explanation.values.ndim != 2:
        raise ValueError(f"expected one output in log-odds, got values of shape {explanation.values.shape}")
    return explanation


def explain_positive_class(forest, X: pd.DataFrame) -> shap.Explanation:
    """A 2-D ``Explanation`` of a fitted random forest's probability of class 1, additive to ``predict_proba[:, 1]``."""
    X = _frame(X)
    explainer = shap.TreeExplainer(forest)
    shap_values = explainer.shap_values(X)
    values = shap_values[..., 0] if np.ndim(shap_values) == 3 else shap_values[0]   # "the first output"
    return shap.Explanation(values=values, base_values=np.full(len(X), explainer.expected_value[0]),
                            data=X.to_numpy(), feature_names=list(X.columns))


def additivity_gap(explanation: shap.Explanation, output: object) -> float:
    """Largest |base value + sum of contributions - output| over the explained rows (0 for a faithful explanation)."""
    values = np.asarray(getattr(explanation, "values", None), dtype=float)
    base = np.asarray(getattr(explanation, "base_values", None), dtype=float).reshape(-1)
    if values.ndim != 2:
        raise ValueError(f"explanation must be 2-D (rows, features) for one output, got shape {values.shape}")
    out = np.asarray(output, dtype=float).reshape(-1)
    if out.shape[0] != values.shape[0] or base.shape[0] not in (1, values.shape[0]):
        raise ValueError(f"output must hold one value per explained row ({values.shape[0]}), got {out.shape[0]}")
    return float(np.max(np.abs(base + values.sum(axis=1) - out)))


def top_features(explanation: shap.Explanation, k: int = 3) -> list[str]:
    """The ``k`` features with the largest mean |SHAP value|, largest first."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    values = np.asarray(explanation.values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"explanation must be 2-D (rows, features), got shape {values.shape}")
    importance = pd.Series(np.abs(values).mean(axis=0), index=list(explanation.feature_names))
    return importance.sort_values(ascending=False, kind="stable").index[:k].tolist()
