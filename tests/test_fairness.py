"""Unit tests of course_lib.fairness (lesson 07): hand-computed cases, the identity, the credit data, bad input."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_lib import data, fairness, models  # noqa: E402

# A tiny hand-checkable case: 4 applicants per group.
PRED = [1, 1, 0, 0, 1, 0, 0, 0]
HISTORY = [1, 1, 0, 0, 1, 0, 0, 0]          # the model copies the history exactly
TRUTH = [1, 0, 1, 0, 1, 1, 1, 0]
GROUPS = ["A"] * 4 + ["B"] * 4


@pytest.fixture(scope="module")
def credit_split():
    credit = data.load_credit()
    return models.holdout_split(credit, stratify=("group", "approved"), random_state=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- 1. compare_with_truth, disparity_summary -------------------------------------------


def test_compare_with_truth_matches_hand_counts():
    table = fairness.compare_with_truth(PRED, {"approved": HISTORY, "repaid": TRUTH}, GROUPS)
    assert table.loc[("approved", "A"), "accuracy"] == 1.0
    assert table.loc[("repaid", "A"), "false_positive_rate"] == 0.5        # A: truth 0 at rows 1, 3; row 1 approved
    assert table.loc[("repaid", "A"), "false_negative_rate"] == 0.5        # A: truth 1 at rows 0, 2; row 2 refused
    assert table.loc[("repaid", "B"), "false_negative_rate"] == pytest.approx(2 / 3)
    assert table.loc[("repaid", "B"), "selection_rate"] == 0.25
    assert table.loc[("repaid", "difference"), "selection_rate"] == 0.25
    assert table.loc[("repaid", "A"), "count"] == 4 and pd.isna(table.loc[("repaid", "difference"), "count"])


def test_disparity_summary_matches_fairlearn_and_hand_values():
    summary = fairness.disparity_summary(PRED, {"approved": HISTORY, "repaid": TRUTH}, GROUPS)
    assert summary["accuracy_approved"] == 1.0
    assert summary["accuracy_repaid"] == pytest.approx(4 / 8)
    assert summary["dp_difference"] == pytest.approx(0.25)
    assert summary["eo_difference_approved"] == 0.0
    # TPR A 0.5, B 1/3 (gap 1/6); FPR A 0.5, B 0 (gap 0.5)
    assert summary["eo_difference_repaid"] == pytest.approx(0.5)


def test_the_credit_model_reproduces_the_documented_bias(credit_split):
    train, test = credit_split
    features = fairness.FINANCE_FEATURES + ["zip_area"]
    model = models.readmission_model(["zip_area"], fairness.FINANCE_FEATURES).fit(train[features], train["approved"])
    pred = model.predict(test[features])
    table = fairness.compare_with_truth(pred, {"repaid": test["repaid"]}, test["group"])
    assert table.loc[("repaid", "B"), "false_negative_rate"] > 2 * table.loc[("repaid", "A"), "false_negative_rate"]
    summary = fairness.disparity_summary(pred, {"repaid": test["repaid"]}, test["group"])
    assert 0.08 < summary["dp_difference"] < 0.25


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"y_pred": [1, 2, 0, 0, 1, 0, 0, 0]}, ValueError, "y_pred must hold only 0 and 1"),
        ({"y_pred": [1, 0]}, ValueError, "one label per prediction"),
        ({"y_pred": "1100"}, TypeError, "y_pred must be numeric"),
        ({"y_pred": [1.0, np.nan, 0, 0, 1, 0, 0, 0]}, ValueError, "y_pred must be finite"),
        ({"truths": [1, 0]}, TypeError, "truths must be a mapping"),
        ({"truths": {}}, ValueError, "at least one labelling"),
        ({"truths": {"repaid": [0, 1]}}, ValueError, r"truths\['repaid'\] must have one label per prediction"),
        ({"sensitive": ["A"] * 8}, ValueError, "at least two groups"),
        ({"sensitive": ["A", None, "A", "A", "B", "B", "B", "B"]}, ValueError, "missing"),
        ({"sensitive": "AB"}, TypeError, "sensitive must be a sequence"),
        ({"sensitive": ["A", "B"]}, ValueError, "one label per prediction"),
    ],
)
def test_group_functions_reject_bad_input(kwargs, error, text):
    args = {"y_pred": PRED, "truths": {"repaid": TRUTH}, "sensitive": GROUPS} | kwargs
    with pytest.raises(error, match=text):
        fairness.compare_with_truth(**args)
    with pytest.raises(error, match=text):
        fairness.disparity_summary(**args)


# --- 2. constraint_sweep, plot_tradeoff -------------------------------------------------


def test_constraint_sweep_calls_each_level_in_order():
    seen = []

    def fit_predict(level):
        seen.append(level)
        return [1, 1, 1, 1, 1, 1, 0, 0] if level > 0 else [1, 1, 0, 0, 1, 1, 0, 0]

    sweep = fairness.constraint_sweep(fit_predict, [0.0, 0.2], {"repaid": TRUTH}, GROUPS)
    assert seen == [0.0, 0.2]
    assert sweep["level"].tolist() == [0.0, 0.2]
    assert sweep["dp_difference"].tolist() == pytest.approx([0.0, 0.5])


@pytest.mark.parametrize(
    "fit_predict, levels, error, text",
    [
        ("not a function", [0.1], TypeError, "fit_predict must be a function"),
        (lambda level: PRED, [], ValueError, "levels must be a non-empty"),
        (lambda level: PRED, [-0.1], ValueError, "levels must be >= 0"),
        (lambda level: PRED, [np.nan], ValueError, "levels must be finite"),
        (lambda level: [3] * 8, [0.1], ValueError, r"fit_predict\(0.1\) output must hold only 0 and 1"),
    ],
)
def test_constraint_sweep_rejects_bad_input(fit_predict, levels, error, text):
    with pytest.raises(error, match=text):
        fairness.constraint_sweep(fit_predict, levels, {"repaid": TRUTH}, GROUPS)


def test_plot_tradeoff_draws_a_line_per_accuracy_and_markers():
    sweep = pd.DataFrame({"level": [0, 0.1], "dp_difference": [0.05, 0.15], "accuracy_approved": [0.8, 0.85],
                          "accuracy_repaid": [0.8, 0.78]})
    point = {"dp_difference": 0.14, "accuracy_approved": 0.85, "accuracy_repaid": 0.79}
    ax = fairness.plot_tradeoff(sweep, ["accuracy_approved", "accuracy_repaid"], points={"unmitigated": point})
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    _, given_ax = plt.subplots()
    assert fairness.plot_tradeoff(sweep, ["accuracy_repaid"], ax=given_ax) is given_ax


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"accuracy_columns": "accuracy_repaid"}, TypeError, "single string"),
        ({"accuracy_columns": ["accuracy_nothing"]}, ValueError, "no column"),
        ({"sweep": [1, 2]}, TypeError, "sweep must be a pandas DataFrame"),
        ({"points": {"x": {"dp_difference": 0.1}}}, ValueError, r"points\['x'\] needs the columns"),
        ({"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_plot_tradeoff_rejects_bad_input(kwargs, error, text):
    sweep = pd.DataFrame({"dp_difference": [0.05], "accuracy_repaid": [0.8]})
    args = {"sweep": sweep, "accuracy_columns": ["accuracy_repaid"]} | kwargs
    with pytest.raises(error, match=text):
        fairness.plot_tradeoff(**args)


# --- 3. flips ---------------------------------------------------------------------------


def test_flips_counts_by_group():
    before = [0, 1, 0, 1, 0, 0, 1, 1]
    after = [1, 0, 0, 1, 1, 1, 1, 1]
    truth = [1, 1, 0, 0, 0, 1, 0, 0]
    table = fairness.flips(before, after, GROUPS, truth)
    assert table.loc["A", "refused_to_approved"] == 1 and table.loc["A", "approved_to_refused"] == 1
    assert table.loc["B", "refused_to_approved"] == 2 and table.loc["B", "approved_to_refused"] == 0
    assert table.loc["B", "repaid_among_newly_approved"] == 0.5
    assert np.isnan(table.loc["B", "repaid_among_newly_refused"])
    assert table.loc["all", "refused_to_approved"] == 3 and table.loc["all", "flipped_share"] == 0.5


def test_flips_of_identical_decisions_is_zero():
    table = fairness.flips(PRED, PRED, GROUPS, TRUTH)
    assert (table["flipped_share"] == 0).all()


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"after": [1, 0]}, ValueError, "after must have one decision per applicant"),
        ({"truth": [1, 0]}, ValueError, "truth must have one label per applicant"),
        ({"before": [0.5] * 8}, ValueError, "before must hold only 0 and 1"),
        ({"sensitive": GROUPS[:4]}, ValueError, "sensitive must have one label per prediction"),
    ],
)
def test_flips_rejects_bad_input(kwargs, error, text):
    args = {"before": PRED, "after": PRED, "sensitive": GROUPS, "truth": TRUTH} | kwargs
    with pytest.raises(error, match=text):
        fairness.flips(**args)


# --- 4. the impossibility identity ------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=4, max_size=60))
def test_chouldechova_identity_holds_for_any_confusion_matrix(pairs):
    truth = np.array([t for t, _ in pairs])
    pred = np.array([p for _, p in pairs])
    if truth.min() == truth.max() or not pred.any() or not (pred[truth == 1]).any() and not (pred[truth == 0]).any():
        return
    prevalence = truth.mean()
    ppv = truth[pred == 1].mean()
    if ppv == 0:
        return
    fnr = 1 - pred[truth == 1].mean()
    fpr = pred[truth == 0].mean()
    assert fairness.chouldechova_fpr(prevalence, ppv, fnr) == pytest.approx(fpr, abs=1e-12)


def test_chouldechova_fpr_broadcasts_and_grows_with_prevalence():
    fpr = fairness.chouldechova_fpr([0.5, 0.8], 0.8, 0.1)
    assert fpr.shape == (2,) and fpr[1] > fpr[0]
    assert fairness.chouldechova_fpr(0.5, 0.8, 0.1) == pytest.approx(0.25 * 0.9)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"prevalence": 0.0}, ValueError, "prevalence must be strictly between 0 and 1"),
        ({"prevalence": 1.0}, ValueError, "prevalence must be strictly between 0 and 1"),
        ({"ppv": 0.0}, ValueError, r"ppv must be in \(0, 1\]"),
        ({"fnr": 1.5}, ValueError, "fnr must be from 0 to 1"),
        ({"fnr": "low"}, TypeError, "fnr must be numeric"),
        ({"ppv": np.nan}, ValueError, "ppv must be finite"),
        ({"ppv": 5e-324, "prevalence": 0.9}, ValueError, "ppv is so close to 0 that the forced FPR overflows"),
    ],
)
def test_chouldechova_fpr_rejects_bad_input(kwargs, error, text):
    args = {"prevalence": 0.5, "ppv": 0.8, "fnr": 0.1} | kwargs
    with pytest.raises(error, match=text):
        fairness.chouldechova_fpr(**args)


def test_impossibility_table_identity_column_equals_the_observed_fpr():
    table = fairness.impossibility_table(TRUTH, PRED, GROUPS)
    assert table.loc["A", "prevalence"] == 0.5 and table.loc["B", "prevalence"] == 0.75
    assert np.allclose(table["fpr"], table["fpr_from_identity"])


def test_impossibility_table_gives_nan_ppv_when_a_group_is_never_approved():
    table = fairness.impossibility_table(TRUTH, [1, 0, 1, 0, 0, 0, 0, 0], GROUPS)
    assert np.isnan(table.loc["B", "ppv"]) and np.isnan(table.loc["B", "fpr_from_identity"])


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"y_pred": [1, 0]}, ValueError, "y_pred must have one prediction per label"),
        ({"y_true": [2] * 8}, ValueError, "y_true must hold only 0 and 1"),
        ({"sensitive": ["A"] * 8}, ValueError, "at least two groups"),
    ],
)
def test_impossibility_table_rejects_bad_input(kwargs, error, text):
    args = {"y_true": TRUTH, "y_pred": PRED, "sensitive": GROUPS} | kwargs
    with pytest.raises(error, match=text):
        fairness.impossibility_table(**args)


# --- 5. privacy and fairness ------------------------------------------------------------


def test_credit_matrix_is_scaled_by_declared_bounds(credit_split):
    train, _ = credit_split
    X, names = fairness.credit_matrix(train)
    assert X.shape == (len(train), 6) and names[0] == "log_income"
    assert X.min() >= 0 and X.max() <= 1
    assert np.linalg.norm(X, axis=1).max() <= np.sqrt(6)
    X_areas, names_areas = fairness.credit_matrix(train, areas=True)
    assert X_areas.shape == (len(train), 16) and names_areas[-1] == "zip_area_Z10"
    assert (X_areas[:, 6:].sum(axis=1) == 1).all()
    assert np.linalg.norm(X_areas, axis=1).max() <= np.sqrt(7)


def test_credit_matrix_does_not_depend_on_other_rows(credit_split):
    train, _ = credit_split
    alone, _ = fairness.credit_matrix(train.iloc[[5]], areas=True)
    together, _ = fairness.credit_matrix(train, areas=True)
    assert np.array_equal(alone[0], together[5])


@pytest.mark.parametrize(
    "change, kwargs, error, text",
    [
        (lambda d: d.drop(columns="income"), {}, ValueError, r"no column\(s\) \['income'\]"),
        (lambda d: d.assign(income=0), {}, ValueError, "income'\\] must be > 0"),
        (lambda d: d.assign(debt_ratio=np.nan), {}, ValueError, "must be finite"),
        (lambda d: d.assign(late_payments="many"), {}, TypeError, "must be numeric"),
        (lambda d: d.assign(zip_area="Z99"), {"areas": True}, ValueError, "outside the declared"),
        (lambda d: d, {"areas": 1}, TypeError, "areas must be True or False"),
        (lambda d: d.iloc[:0], {}, ValueError, "at least one row"),
    ],
)
def test_credit_matrix_rejects_bad_input(credit_split, change, kwargs, error, text):
    train, _ = credit_split
    with pytest.raises(error, match=text):
        fairness.credit_matrix(change(train.head(20)), **kwargs)


def test_underrepresent_keeps_other_rows_and_a_share_of_the_target(credit_split):
    train, _ = credit_split
    thin = fairness.underrepresent(train, "group", "B", keep=0.2, rng=np.random.default_rng(0))
    assert (thin["group"] == "A").sum() == (train["group"] == "A").sum()
    share = (thin["group"] == "B").sum() / (train["group"] == "B").sum()
    assert 0.15 < share < 0.25
    again = fairness.underrepresent(train, "group", "B", keep=0.2, rng=np.random.default_rng(0))
    assert thin.equals(again)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"keep": 0.0}, ValueError, "keep must be strictly between 0 and 1"),
        ({"keep": 1.5}, ValueError, "keep must be strictly between 0 and 1"),
        ({"value": "C"}, ValueError, "has no row equal to 'C'"),
        ({"column": "colour"}, ValueError, r"no column\(s\) \['colour'\]"),
        ({"rng": 3}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_underrepresent_rejects_bad_input(credit_split, kwargs, error, text):
    train, _ = credit_split
    args = {"df": train, "column": "group", "value": "B", "keep": 0.5, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=text):
        fairness.underrepresent(**args)


@pytest.fixture(scope="module")
def small_private_setting(credit_split):
    train, test = credit_split
    X_train, _ = fairness.credit_matrix(train)
    X_test, _ = fairness.credit_matrix(test)
    return X_train, train["repaid"].to_numpy(), X_test, test["repaid"].to_numpy(), test["group"].to_numpy()


def test_private_group_errors_shape_reproducibility_and_noise(small_private_setting):
    X_train, y_train, X_test, y_test, groups = small_private_setting
    frame = fairness.private_group_errors(X_train, y_train, X_test, y_test, groups, [0.01, np.inf], seeds=[0, 1],
                                          data_norm=np.sqrt(6))
    assert list(frame.columns) == ["epsilon", "seed", "group", "accuracy", "false_negative_rate",
                                   "false_positive_rate", "selection_rate"]
    assert len(frame) == 2 * 2 + 1 * 2        # inf: one seed only (deterministic)
    again = fairness.private_group_errors(X_train, y_train, X_test, y_test, groups, [0.01, np.inf], seeds=[0, 1],
                                          data_norm=np.sqrt(6))
    pd.testing.assert_frame_equal(frame, again)
    noisy = frame[frame["epsilon"] == 0.01]["accuracy"].mean()
    exact = frame[np.isinf(frame["epsilon"])]["accuracy"].mean()
    assert exact > noisy + 0.05


@pytest.mark.parametrize(
    "change, error, text",
    [
        ({"epsilons": [0]}, ValueError, r"epsilons\[0\] must be > 0"),
        ({"epsilons": [-np.inf]}, ValueError, r"epsilons\[0\] must be > 0"),
        ({"epsilons": []}, ValueError, "at least one value"),
        ({"seeds": [-1]}, ValueError, "seeds"),
        ({"seeds": [0.5]}, TypeError, "seeds"),
        ({"data_norm": 0.1}, ValueError, "data_norm must bound every row"),
        ({"data_norm": -1}, ValueError, "data_norm must be > 0"),
        ({"y_train": "labels"}, TypeError, "y_train must be numeric"),
        ({"X_test": np.zeros((3, 5))}, ValueError, "the same columns"),
        ({"sensitive": ["A", "B"]}, ValueError, "one label per prediction"),
        ({"X_train": [[np.nan] * 6]}, ValueError, "X_train must be finite"),
    ],
)
def test_private_group_errors_rejects_bad_input(small_private_setting, change, error, text):
    X_train, y_train, X_test, y_test, groups = small_private_setting
    args = {"X_train": X_train[:50], "y_train": y_train[:50], "X_test": X_test[:20], "y_test": y_test[:20],
            "sensitive": groups[:20], "epsilons": [1.0], "seeds": [0], "data_norm": np.sqrt(6)} | change
    with pytest.raises(error, match=text):
        fairness.private_group_errors(**args)


def test_plot_group_errors_draws_one_band_and_reference_per_group():
    frame = pd.DataFrame({
        "epsilon": [1.0, 1.0, 1.0, 1.0, 10.0, 10.0, np.inf, np.inf],
        "seed": [0, 0, 1, 1, 0, 0, 0, 0],
        "group": ["A", "B"] * 4,
        "accuracy": [0.7, 0.6, 0.72, 0.58, 0.8, 0.79, 0.81, 0.8],
    })
    ax = fairness.plot_group_errors(frame)
    assert len(ax.lines) == 4          # one mean line and one non-private line per group
    assert ax.get_xscale() == "log"


@pytest.mark.parametrize(
    "frame, metric, error, text",
    [
        (pd.DataFrame({"epsilon": [1.0], "seed": [0], "group": ["A"], "accuracy": [0.5]}), "auc", ValueError,
         "metric must be one of"),
        (pd.DataFrame({"epsilon": [1.0], "group": ["A"], "accuracy": [0.5]}), "accuracy", ValueError,
         r"no column\(s\) \['seed'\]"),
        (pd.DataFrame({"epsilon": [np.inf], "seed": [0], "group": ["A"], "accuracy": [0.5]}), "accuracy",
         ValueError, "at least one finite epsilon"),
    ],
)
def test_plot_group_errors_rejects_bad_input(frame, metric, error, text):
    with pytest.raises(error, match=text):
        fairness.plot_group_errors(frame, metric)


# --- found by the bad-input battery (tests/test_bad_input_battery.py) ---------------------------


def _sweep_table():
    return fairness.constraint_sweep(lambda level: PRED, [0.0, 0.1], {"repaid": TRUTH}, GROUPS)


@pytest.mark.parametrize(
    "call, error, text",
    [
        # points that are not a mapping raised AttributeError ('float' object has no attribute 'items')
        (lambda: fairness.plot_tradeoff(_sweep_table(), ["accuracy_repaid"], points=1.5), TypeError,
         "points must be a mapping"),
        (lambda: fairness.plot_tradeoff(_sweep_table(), ["accuracy_repaid"], points={"m": 0}), TypeError,
         r"points\[.m.\] must be a mapping"),
        # a wrong disparity_column or accuracy column was reported against sweep, or as "unhashable type"
        (lambda: fairness.plot_tradeoff(_sweep_table(), ["accuracy_repaid"], disparity_column=["x"]), TypeError,
         "disparity_column must be a column name"),
        (lambda: fairness.plot_tradeoff(_sweep_table(), ["accuracy_repaid"], disparity_column="gap"), ValueError,
         r"named in disparity_column"),
        (lambda: fairness.plot_tradeoff(_sweep_table(), [None]), ValueError, "named in accuracy_columns"),
        # column / value of underrepresent: "unhashable type" and "Lengths must match to compare"
        (lambda: fairness.underrepresent(pd.DataFrame({"g": ["A", "B"]}), ["g"], "A", 0.5), TypeError,
         "column must hold column names"),
        (lambda: fairness.underrepresent(pd.DataFrame({"g": ["A", "B"]}), "g", ["A"], 0.5), TypeError,
         "value must be a single value"),
        # epsilons / seeds that are not sequences: "'int' object is not iterable"; bytes seeds were accepted
        (lambda: fairness.private_group_errors(np.zeros((4, 1)), [0, 1, 0, 1], np.zeros((4, 1)), [0, 1, 0, 1],
                                               ["A", "A", "B", "B"], 1.0, [0], 1.0), TypeError, "epsilons must be a sequence"),
        (lambda: fairness.private_group_errors(np.zeros((4, 1)), [0, 1, 0, 1], np.zeros((4, 1)), [0, 1, 0, 1],
                                               ["A", "A", "B", "B"], [1.0], b"\x01", 1.0), TypeError,
         "seeds must be a sequence"),
        # chouldechova_fpr accepted an empty input (returned an empty array) and booleans
        (lambda: fairness.chouldechova_fpr([], 0.7, 0.2), ValueError, "prevalence must hold at least one value"),
        (lambda: fairness.chouldechova_fpr(0.3, True, 0.2), TypeError, "ppv must be numeric"),
        # choices compared with `in`: a DataFrame raised pandas' "truth value is ambiguous"
        (lambda: fairness.plot_group_errors(pd.DataFrame({"epsilon": [1.0]}), metric=pd.DataFrame()), ValueError,
         "metric must be one of"),
        # a length mismatch in y_true was reported only against y_pred
        (lambda: fairness.impossibility_table([0], PRED, GROUPS), ValueError, "per label of y_true"),
        (lambda: fairness.disparity_summary([0], {"repaid": TRUTH}, GROUPS), ValueError, "per prediction of y_pred"),
    ],
)
def test_battery_findings_are_refused_by_name(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_plot_tradeoff_takes_points_given_as_series():
    # lesson 07 passes rows of a results table (Series) as points: the mapping check must keep accepting them
    point = pd.Series({"accuracy_repaid": 0.6, "dp_difference": 0.2})
    ax = fairness.plot_tradeoff(_sweep_table(), ["accuracy_repaid"], points={"unmitigated": point})
    assert any(text.get_text() == "unmitigated" for text in ax.get_legend().get_texts())
