"""Unit tests for course_lib.explain (lesson 08): output spaces, additivity, rankings,
grouped permutation importance; bad input included."""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression

from course_lib import explain

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)  # shap 0.51's colour maps on matplotlib 3.11
    import shap


@pytest.fixture(scope="module")
def toy():
    """Two correlated informative features (a, b), one noise feature (c), a binary target."""
    rng = np.random.default_rng(0)
    n = 600
    a = rng.normal(size=n)
    b = a + 0.3 * rng.normal(size=n)
    c = rng.normal(size=n)
    y = (a + 0.5 * rng.normal(size=n) > 0).astype(int)
    X = pd.DataFrame({"a": a, "b": b, "c": c})
    return X, y


@pytest.fixture(scope="module")
def boosted(toy):
    X, y = toy
    return GradientBoostingClassifier(n_estimators=30, max_depth=2, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def forest(toy):
    X, y = toy
    return RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(X, y)


# --- model_output ---------------------------------------------------------------------


def test_model_output_names_the_space(boosted, toy):
    X, _ = toy
    proba = explain.model_output(boosted, X, "probability")
    log_odds = explain.model_output(boosted, X, "log-odds")
    np.testing.assert_allclose(proba, boosted.predict_proba(X)[:, 1])
    np.testing.assert_allclose(log_odds, boosted.decision_function(X))
    np.testing.assert_allclose(1 / (1 + np.exp(-log_odds)), proba, atol=1e-12)


def test_model_output_logit_without_decision_function(forest, toy):
    X, _ = toy
    p = np.clip(forest.predict_proba(X)[:, 1], 1e-12, 1 - 1e-12)
    np.testing.assert_allclose(explain.model_output(forest, X, "log-odds"), np.log(p / (1 - p)))
    assert np.all(np.isfinite(explain.model_output(forest, X, "log-odds")))


@pytest.mark.parametrize("space", ["logodds", "proba", "", None, 1])
def test_model_output_refuses_unknown_space(boosted, toy, space):
    with pytest.raises(ValueError, match="space must be one of"):
        explain.model_output(boosted, toy[0], space)


def test_model_output_refuses_non_classifiers(toy):
    X, y = toy
    with pytest.raises(TypeError, match="predict_proba"):
        explain.model_output(LinearRegression().fit(X, y), X, "probability")


def test_model_output_refuses_multiclass(toy):
    X, _ = toy
    three = LogisticRegression().fit(X, np.arange(len(X)) % 3)
    with pytest.raises(ValueError, match="binary classifier"):
        explain.model_output(three, X, "probability")


# --- additivity_error ------------------------------------------------------------------


def test_treeshap_is_additive_in_log_odds_for_boosting(boosted, toy):
    X, _ = toy
    explanation = shap.TreeExplainer(boosted)(X)
    assert explain.additivity_error(explanation, explain.model_output(boosted, X, "log-odds")) < 1e-9
    assert explain.additivity_error(explanation[3], explain.model_output(boosted, X.iloc[[3]], "log-odds")) < 1e-9
    # the same values against probabilities are far off: the space matters
    assert explain.additivity_error(explanation, explain.model_output(boosted, X, "probability")) > 0.1


def test_forest_needs_its_positive_class_in_probability(forest, toy):
    X, _ = toy
    explanation = shap.TreeExplainer(forest)(X)
    proba = explain.model_output(forest, X, "probability")
    assert explain.additivity_error(explanation[:, :, 1], proba) < 1e-9
    assert explain.additivity_error(explanation[:, :, 0], proba) > 0.1      # the negative class
    with pytest.raises(ValueError, match=r"select the positive class first, explanation\[\.\.\., 1\]"):
        explain.additivity_error(explanation, proba)
    with pytest.raises(ValueError, match="one base value|select one class"):
        explain.additivity_error(explanation[0], proba[:1])                   # one row, both classes


def test_additivity_on_a_hand_made_explanation():
    e = shap.Explanation(values=np.array([[0.5, -0.25], [1.0, 0.0]]), base_values=np.array([1.0, 1.0]))
    assert explain.additivity_error(e, [1.25, 2.0]) == 0.0
    assert explain.additivity_error(e, [1.25, 2.5]) == pytest.approx(0.5)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=6), st.floats(-3, 3))
def test_additivity_error_is_zero_exactly_when_it_adds_up(values, base):
    e = shap.Explanation(values=np.array(values), base_values=base)
    total = base + sum(values)
    assert explain.additivity_error(e, [total]) < 1e-9
    assert explain.additivity_error(e, [total + 1.0]) == pytest.approx(1.0)


def test_additivity_error_bad_input():
    e = shap.Explanation(values=np.zeros((2, 3)), base_values=np.zeros(2))
    with pytest.raises(TypeError, match="shap.Explanation"):
        explain.additivity_error(np.zeros((2, 3)), [0, 0])
    with pytest.raises(ValueError, match="one value per explained row"):
        explain.additivity_error(e, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="finite"):
        explain.additivity_error(e, [0.0, np.nan])
    with pytest.raises(TypeError, match="numeric"):
        explain.additivity_error(e, "0, 0")
    bad_base = shap.Explanation(values=np.zeros((2, 3)), base_values=np.zeros(3))
    with pytest.raises(ValueError, match="one value per row"):
        explain.additivity_error(bad_base, [0.0, 0.0])


# --- compare_rankings -------------------------------------------------------------------


def test_compare_rankings_ranks_and_shifts():
    first = pd.Series({"a": 0.9, "b": 0.5, "c": -0.1})
    second = pd.Series({"c": 0.2, "a": 3.0, "b": 0.1})
    table = explain.compare_rankings(first, second, labels=("perm", "shap"))
    assert list(table.index) == ["a", "b", "c"]
    assert table["perm_rank"].tolist() == [1, 2, 3]
    assert table["shap_rank"].tolist() == [1, 3, 2]
    assert table["rank_shift"].tolist() == [0, 1, -1]
    assert table.loc["c", "shap"] == 0.2


def test_compare_rankings_ties_share_the_lower_rank():
    table = explain.compare_rankings(pd.Series({"a": 1.0, "b": 1.0, "c": 0.0}), pd.Series({"a": 0.0, "b": 1.0, "c": 2.0}))
    assert table["first_rank"].tolist() == [1, 1, 3]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=8, unique=True))
def test_a_ranking_compared_with_itself_has_no_shift(scores):
    s = pd.Series(scores, index=[f"f{i}" for i in range(len(scores))])
    table = explain.compare_rankings(s, s)
    assert (table["rank_shift"] == 0).all()
    assert table["first_rank"].tolist() == list(range(1, len(scores) + 1))


def test_compare_rankings_bad_input():
    s = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(TypeError, match="pandas Series"):
        explain.compare_rankings([1.0, 2.0], s)
    with pytest.raises(ValueError, match="same features"):
        explain.compare_rankings(s, pd.Series({"a": 1.0, "z": 2.0}))
    with pytest.raises(ValueError, match="empty"):
        explain.compare_rankings(pd.Series(dtype=float), s)
    with pytest.raises(ValueError, match="each feature once"):
        explain.compare_rankings(pd.Series([1.0, 2.0], index=["a", "a"]), s)
    with pytest.raises(ValueError, match="finite"):
        explain.compare_rankings(pd.Series({"a": np.nan, "b": 2.0}), s)
    with pytest.raises(ValueError, match="labels must differ"):
        explain.compare_rankings(s, s, labels=("x", "x"))
    with pytest.raises(ValueError, match="two non-empty strings"):
        explain.compare_rankings(s, s, labels=("x",))


# --- grouped_permutation_importance --------------------------------------------------------


def test_grouped_permutation_shows_what_correlated_features_are_worth(boosted, toy):
    X, y = toy
    groups = {"a": ["a"], "b": ["b"], "a+b": ["a", "b"], "c": ["c"]}
    result = explain.grouped_permutation_importance(boosted, X, y, groups, scoring="roc_auc", n_repeats=5,
                                                    rng=np.random.default_rng(0))
    assert list(result.index) == ["a", "b", "a+b", "c"]
    assert list(result.columns) == ["importance_mean", "importance_std"]
    assert result.loc["a+b", "importance_mean"] > result.loc["a", "importance_mean"] + result.loc["b", "importance_mean"]
    assert abs(result.loc["c", "importance_mean"]) < 0.02


def test_grouped_permutation_is_seeded_and_leaves_x_unchanged(boosted, toy):
    X, y = toy
    before = X.copy()
    one = explain.grouped_permutation_importance(boosted, X, y, {"a": ["a"]}, n_repeats=3, rng=np.random.default_rng(1))
    two = explain.grouped_permutation_importance(boosted, X, y, {"a": ["a"]}, n_repeats=3, rng=np.random.default_rng(1))
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(X, before)


def test_grouped_permutation_bad_input(boosted, toy):
    X, y = toy
    with pytest.raises(ValueError, match="non-empty mapping"):
        explain.grouped_permutation_importance(boosted, X, y, {})
    with pytest.raises(TypeError, match="single string"):
        explain.grouped_permutation_importance(boosted, X, y, {"a": "a"})
    with pytest.raises(ValueError, match="no column"):
        explain.grouped_permutation_importance(boosted, X, y, {"z": ["z"]})
    with pytest.raises(ValueError, match="one label per row"):
        explain.grouped_permutation_importance(boosted, X, y[:10], {"a": ["a"]})
    with pytest.raises(ValueError, match="n_repeats must be an int from 1"):
        explain.grouped_permutation_importance(boosted, X, y, {"a": ["a"]}, n_repeats=0)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        explain.grouped_permutation_importance(boosted, X, y, {"a": ["a"]}, rng=0)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        explain.grouped_permutation_importance(boosted, X.to_numpy(), y, {"a": ["a"]})


# --- found by the bad-input battery (tests/test_bad_input_battery.py) ---------------------------


@pytest.mark.parametrize(
    "X, error, text",
    [
        (None, TypeError, "X must be numeric"),          # scikit-learn: "Expected 2D array, got scalar array"
        ([1.0, 2.0, 3.0], ValueError, "X must be 2-D"),
        (np.array([[np.nan, 0.0, 0.0]]), ValueError, "X must be finite"),
        (pd.DataFrame(), ValueError, "X must have at least one row"),
        (np.zeros((0, 3)), ValueError, "X must have at least one row"),
    ],
)
def test_model_output_names_a_bad_X(boosted, X, error, text):
    with pytest.raises(error, match=text):
        explain.model_output(boosted, X, "probability")


def test_model_output_takes_a_plain_array_like_a_frame(toy):
    X, y = toy
    plain = LogisticRegression().fit(X.to_numpy(), y)
    assert np.allclose(explain.model_output(plain, X.to_numpy()[:5].tolist(), "log-odds"),
                       plain.decision_function(X.to_numpy()[:5]))


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"space": pd.DataFrame()}, ValueError, "space must be one of"),
    ],
)
def test_model_output_space_of_the_wrong_kind(boosted, toy, kwargs, error, text):
    with pytest.raises(error, match=text):
        explain.model_output(boosted, toy[0], **kwargs)


@pytest.mark.parametrize(
    "changes, error, text",
    [
        ({"model": None}, TypeError, "model must be a fitted estimator"),      # was scikit-learn's check_scoring text
        ({"model": 0}, TypeError, "model must be a fitted estimator"),
        ({"scoring": ["roc_auc"]}, TypeError, "scoring must be a scorer name"),
        ({"scoring": {}}, TypeError, "scoring must be a scorer name"),
        ({"scoring": "not_a_scorer"}, ValueError, "scoring='not_a_scorer' cannot score model"),
        ({"scoring": lambda model, X, y: None}, TypeError, "scoring's result must be a number"),  # was a bare '-' TypeError
    ],
)
def test_grouped_permutation_importance_names_model_and_scoring(boosted, toy, changes, error, text):
    X, y = toy
    args = {"model": boosted, "X": X, "y": y, "groups": {"ab": ["a", "b"]}, "n_repeats": 1} | changes
    with pytest.raises(error, match=text):
        explain.grouped_permutation_importance(**args)
