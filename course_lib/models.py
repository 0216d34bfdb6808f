"""Shared models and comparisons: what lessons 01, 03 and 05-10 train on the same data.

Not a lesson of its own. Every lesson that trains a readmission model takes it from here,
so that a number in lesson 05 (federated) can be compared with one in lesson 01
(minimised) or lesson 09 (attacked): same features, same scaling, same held-out split.

1. **The readmission pipeline** (:func:`readmission_model`): one-hot categorical columns,
   scaled numeric ones, a seeded logistic regression (scikit-learn).
2. **A numeric design matrix with declared scaling** (:data:`CLINICAL_FEATURES`,
   :func:`clinical_matrix`): ten clinical features centred and scaled by constants fixed in
   advance, not estimated from the data. From-scratch code (FedAvg in NumPy, Paillier
   scoring, differential privacy) needs plain arrays, and a scaling that does not depend on
   the data is one less thing that leaks or differs between hospitals.
3. **A common held-out set** (:func:`holdout_split`): one seeded, stratified split.
4. **Honest comparisons** (:func:`compare_feature_sets`, :func:`paired_difference_interval`,
   :func:`accuracy_interval`): repeated cross-validation on paired splits with the
   Nadeau-Bengio corrected interval, and a Wilson interval for one accuracy.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from course_lib import _checks

__all__ = [
    "readmission_model",
    "CLINICAL_FEATURES",
    "TARGET",
    "clinical_matrix",
    "holdout_split",
    "compare_feature_sets",
    "paired_difference_interval",
    "accuracy_interval",
]

#: The outcome the hospital scenario predicts (datasets/DATASHEET.md).
TARGET = "readmitted_30d"

#: Ten clinical features of ``patients.csv`` and the declared (centre, scale) of each:
#: typical adult values, fixed before looking at the data. Indicators stay 0/1. The
#: diagnosis indicators are the three with the largest effects in the datasheet's outcome model.
CLINICAL_FEATURES: dict[str, tuple[float, float]] = {
    "age": (60.0, 15.0),
    "bmi": (27.0, 5.0),
    "systolic_bp": (130.0, 20.0),
    "hba1c": (6.0, 1.5),
    "smoker": (0.0, 1.0),
    "prior_admissions": (1.0, 1.5),
    "length_of_stay": (5.0, 4.0),
    "heart_failure": (0.0, 1.0),
    "copd": (0.0, 1.0),
    "diabetes": (0.0, 1.0),
}

_DIAGNOSIS_INDICATORS = {"heart_failure": "heart failure", "copd": "COPD", "diabetes": "diabetes"}


# --------------------------------------------------------------------------------------
# 1. The readmission pipeline
# --------------------------------------------------------------------------------------


def _names(columns: Sequence[str] | None, argument: str) -> list[str]:
    """Column names, possibly none: ``None`` or ``[]``; a bare string is refused (not split)."""
    if columns is None:
        return []
    if isinstance(columns, (list, tuple)) and not columns:
        return []
    names = _checks.column_list(columns, argument)
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise TypeError(f"{argument} must hold column names (str), got {bad[0]!r}")
    return names


def _seed(random_state: object) -> int:
    """A seed scikit-learn accepts: an int from 0 to 2**32 - 1 (never None: no global state)."""
    return _checks.integer("random_state", random_state, minimum=0, maximum=2**32 - 1)


def readmission_model(categorical: Sequence[str], numeric: Sequence[str], *, random_state: int = 0) -> Pipeline:
    """One-hot categorical columns, scaled numeric ones, logistic regression.

    ``liblinear`` fits the wide one-hot matrix that identifier columns create in well under
    a second (scikit-learn's ``LogisticRegression`` documentation recommends it for small
    data sets); unseen categories at test time are ignored, as they must be for identifiers.
    ``random_state`` seeds the solver (liblinear shuffles), so no global state is used.
    """
    categorical = _names(categorical, "categorical")
    numeric = _names(numeric, "numeric")
    if not categorical and not numeric:
        raise ValueError("readmission_model needs at least one categorical or numeric column, got none")
    overlap = sorted(set(categorical) & set(numeric))
    if overlap:
        raise ValueError(f"categorical and numeric must not share a column, got {overlap} in both")
    random_state = _seed(random_state)
    steps = []
    if categorical:
        steps.append(("categorical", OneHotEncoder(handle_unknown="ignore"), categorical))
    if numeric:
        steps.append(("numeric", StandardScaler(), numeric))
    return make_pipeline(ColumnTransformer(steps), LogisticRegression(solver="liblinear", C=1.0, random_state=random_state))


# --------------------------------------------------------------------------------------
# 2-3. A numeric design matrix with declared scaling, and a common held-out set
# --------------------------------------------------------------------------------------


def clinical_matrix(df: pd.DataFrame, *, target: str | None = TARGET) -> tuple[np.ndarray, np.ndarray | None]:
    """``(X, y)``: the :data:`CLINICAL_FEATURES` of ``df`` as floats, and its target as 0/1 ints.

    Each column is ``(value - centre) / scale`` with the declared constants, so the matrix of
    one hospital is scaled exactly like another's without either seeing the other's data.
    The diagnosis indicators come from ``df["diagnosis"]``. ``target=None`` returns
    ``y=None`` (for a new patient whose outcome is unknown). Missing or non-finite values
    are refused.
    """
    if target is not None and not isinstance(target, str):
        raise TypeError(f"target must be a column name (str) or None, got {type(target).__name__} {target!r}")
    raw = [c for c in CLINICAL_FEATURES if c not in _DIAGNOSIS_INDICATORS] + ["diagnosis"]
    _checks.check_frame(df, "df", raw)
    if target is not None:
        _checks.check_frame(df, "df", [target], "target")
    columns = []
    for name, (centre, scale) in CLINICAL_FEATURES.items():
        if name in _DIAGNOSIS_INDICATORS:
            values = (df["diagnosis"] == _DIAGNOSIS_INDICATORS[name]).to_numpy(dtype=float)
        else:
            if not pd.api.types.is_numeric_dtype(df[name]) or pd.api.types.is_bool_dtype(df[name]):
                raise TypeError(f"df[{name!r}] must be numeric, got dtype {df[name].dtype}")
            values = df[name].to_numpy(dtype=float)
            if not np.all(np.isfinite(values)):
                raise ValueError(f"df[{name!r}] must be finite; it holds {int((~np.isfinite(values)).sum())} missing or infinite values")
        columns.append((values - centre) / scale)
    X = np.column_stack(columns)
    if target is None:
        return X, None
    y_raw = df[target]
    if not y_raw.isin([0, 1]).all():
        bad = sorted(set(y_raw[~y_raw.isin([0, 1])].astype(str)))[:5]
        raise ValueError(f"df[{target!r}] must hold only 0 and 1, got {bad}")
    return X, y_raw.to_numpy(dtype=int)


def holdout_split(
    df: pd.DataFrame, *, test_size: float = 0.25, random_state: int = 0, stratify: Sequence[str] = (TARGET,)
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(train, test)``: one seeded split, stratified on the ``stratify`` columns, indexes reset.

    The course's common held-out set: pass the same ``random_state`` and every lesson tests
    on the same patients. Stratifying on ``("hospital", TARGET)`` keeps each hospital's
    share and readmission rate in both parts.
    """
    strata = _names(stratify, "stratify") if not isinstance(stratify, str) else [stratify]
    _checks.check_frame(df, "df", strata, "stratify")
    test_size = _checks.probability("test_size", test_size)
    random_state = _seed(random_state)
    n_test = int(np.ceil(test_size * len(df)))
    if n_test < 1 or n_test >= len(df):
        raise ValueError(f"test_size={test_size} leaves an empty train or test part of the {len(df)} rows of df")
    labels = df[strata].astype(str).agg("|".join, axis=1) if strata else None
    if labels is not None and labels.value_counts().min() < 2:
        raise ValueError(f"stratify={strata} leaves a stratum with a single row; stratify on fewer columns")
    train, test = train_test_split(df, test_size=test_size, random_state=random_state, stratify=labels)
    return train.reset_index(drop=True), test.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# 4. Honest comparisons
# --------------------------------------------------------------------------------------


def _column_sets(column_sets: Mapping[str, Sequence[str]], argument: str) -> dict[str, list[str]]:
    if not isinstance(column_sets, Mapping):
        raise TypeError(f"{argument} must be a mapping of label to column list, got {type(column_sets).__name__}")
    if not column_sets:
        raise ValueError(f"{argument} must hold at least one column set, got an empty mapping")
    return {str(label): _checks.column_list(cols, f"{argument}[{label!r}]") for label, cols in column_sets.items()}


def compare_feature_sets(
    df: pd.DataFrame,
    target: str,
    feature_sets: Mapping[str, Sequence[str]],
    *,
    n_splits: int = 5,
    n_repeats: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Train and test :func:`readmission_model` on each feature set over the SAME repeated splits.

    Uses scikit-learn's ``RepeatedStratifiedKFold`` (``n_repeats`` times ``n_splits``
    folds), so that the per-split accuracies of two feature sets are paired. Dates become
    days since 1970 (numeric); numbers and booleans are scaled; everything else is one-hot
    encoded. ``random_state`` seeds both the splits and the solver. Returns one row per
    feature set and split: ``feature_set``, ``split``, ``train_accuracy``, ``test_accuracy``.
    """
    sets = _column_sets(feature_sets, "feature_sets")
    if not isinstance(target, str):
        raise TypeError(f"target must be a column name, got {type(target).__name__}")
    _checks.check_frame(df, "df", [target], "target")
    _checks.check_frame(df, "df", list(dict.fromkeys(c for cols in sets.values() for c in cols)), "feature_sets")
    if df[target].isna().any():
        raise ValueError(f"df[{target!r}] (the target) must have no missing values, got {int(df[target].isna().sum())}")
    for label, cols in sets.items():
        if target in cols:
            raise ValueError(f"feature_sets[{label!r}] contains the target {target!r}: that would leak the answer")
    n_splits = _checks.integer("n_splits", n_splits, minimum=2, maximum=50)
    n_repeats = _checks.integer("n_repeats", n_repeats, minimum=1, maximum=100)
    random_state = _seed(random_state)
    frame = df.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = (frame[column] - pd.Timestamp("1970-01-01")).dt.days
    splitter = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    rows = []
    for label, cols in sets.items():
        numeric = [c for c in cols if pd.api.types.is_numeric_dtype(frame[c])]
        categorical = [c for c in cols if c not in numeric]
        # many small fits: one BLAS thread each is 4x less CPU than threads fighting for the cores
        with threadpool_limits(limits=1, user_api="blas"):
            scores = cross_validate(
                readmission_model(categorical, numeric, random_state=random_state), frame[cols], frame[target],
                cv=splitter, scoring="accuracy", return_train_score=True,
            )
        rows += [
            {"feature_set": label, "split": i, "train_accuracy": tr, "test_accuracy": te}
            for i, (tr, te) in enumerate(zip(scores["train_score"], scores["test_score"]))
        ]
    return pd.DataFrame(rows)


def paired_difference_interval(
    a: Sequence[float], b: Sequence[float], *, test_fraction: float, confidence: float = 0.95
) -> dict[str, float]:
    """Mean of ``a - b`` over paired resampling splits, with a corrected t confidence interval.

    Splits of repeated cross-validation share training data, so the plain t interval is
    too narrow; Nadeau & Bengio (2003, *Inference for the generalization error*, Machine
    Learning 52) correct the variance by ``1/J + n_test/n_train``. ``test_fraction`` is the
    share of rows in each test fold (0.2 for 5 folds). Returns ``mean``, ``low``, ``high``.
    """
    a_arr = _checks.finite_array("a", a)
    b_arr = _checks.finite_array("b", b)
    if a_arr.ndim != 1 or a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must be 1-D and paired (same length), got shapes {a_arr.shape} and {b_arr.shape}")
    if len(a_arr) < 2:
        raise ValueError(f"a and b need at least 2 paired scores, got {len(a_arr)}")
    test_fraction = _checks.probability("test_fraction", test_fraction)
    confidence = _checks.probability("confidence", confidence)
    diff = a_arr - b_arr
    k = len(diff)
    variance = diff.var(ddof=1) * (1 / k + test_fraction / (1 - test_fraction))
    half = float(stats.t.ppf(0.5 + confidence / 2, k - 1) * np.sqrt(variance))
    mean = float(diff.mean())
    return {"mean": mean, "low": mean - half, "high": mean + half}


def accuracy_interval(y_true: Sequence[int], y_pred: Sequence[int], *, confidence: float = 0.95) -> dict[str, float]:
    """Accuracy of ``y_pred`` against ``y_true`` with a Wilson score interval.

    The Wilson interval (Wilson, 1927; recommended over the normal approximation by Brown,
    Cai & DasGupta, 2001, *Interval Estimation for a Binomial Proportion*) treats each test
    row as an independent trial. Returns ``accuracy``, ``low``, ``high``, ``n``.
    """
    truth = _checks.finite_array("y_true", y_true, ndim=1)
    pred = _checks.finite_array("y_pred", y_pred, ndim=1)
    if truth.shape != pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {truth.size} and {pred.size}")
    if truth.size == 0:
        raise ValueError("y_true must hold at least one label, got none")
    confidence = _checks.probability("confidence", confidence)
    n = truth.size
    p = float(np.mean(truth == pred))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"accuracy": p, "low": float(max(0.0, centre - half)), "high": float(min(1.0, centre + half)), "n": n}
