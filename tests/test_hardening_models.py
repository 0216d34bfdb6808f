"""Issue 18, classes 6 and 9 for the shared models and plots: every estimator is seeded by the
caller (never numpy's global state), and arguments are checked by name."""
import ast
import inspect
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import course_lib  # noqa: E402
from course_lib import dp, models, plotting  # noqa: E402

PACKAGE = pathlib.Path(course_lib.__file__).parent


def _estimator_calls_without_a_seed():
    """Calls, in course_lib's own code, of scikit-learn/diffprivlib callables that take
    ``random_state`` but are not given it."""
    missing = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        seeded_names = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("sklearn", "diffprivlib"):
                module = __import__(node.module, fromlist=[a.name for a in node.names])
                for alias in node.names:
                    target = getattr(module, alias.name)
                    try:
                        params = inspect.signature(target).parameters
                    except (TypeError, ValueError):
                        continue
                    if "random_state" in params:
                        seeded_names[alias.asname or alias.name] = target
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in seeded_names:
                if not any(k.arg == "random_state" for k in node.keywords):
                    missing.append(f"{path.name}:{node.lineno} {node.func.id}")
    return missing


def test_every_estimator_in_course_lib_is_given_a_seed():
    assert _estimator_calls_without_a_seed() == []


def _frame(n=120):
    g = np.random.default_rng(1)
    return pd.DataFrame({
        "age": g.integers(20, 90, n), "sex": g.choice(["F", "M"], n), "zip": g.choice(["02110", "02111", "02112"], n),
        "readmitted_30d": g.integers(0, 2, n),
    })


def test_results_do_not_depend_on_global_random_state():
    df = _frame()
    runs = []
    for global_seed in (0, 12345):
        np.random.seed(global_seed)  # noqa: NPY002 - the point: it must not matter
        runs.append((
            models.compare_feature_sets(df, "readmitted_30d", {"all": ["age", "sex", "zip"]}, n_splits=2, n_repeats=2),
            models.holdout_split(df)[1]["age"].tolist(),
            models.readmission_model(["sex", "zip"], ["age"]).fit(df, df["readmitted_30d"]).predict_proba(df)[:, 1],
        ))
    pd.testing.assert_frame_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]
    np.testing.assert_array_equal(runs[0][2], runs[1][2])


def test_private_models_are_reproducible_from_the_caller_seed():
    g = np.random.default_rng(0)
    X = g.normal(size=(60, 2)) / 4
    y = (X[:, 0] > 0).astype(int)
    np.random.seed(1)  # noqa: NPY002
    a = dp.private_logistic_accuracy(X, y, X, y, [1.0], [3], data_norm=1.0)
    np.random.seed(2)  # noqa: NPY002
    b = dp.private_logistic_accuracy(X, y, X, y, [1.0], [3], data_norm=1.0)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("call, error, match", [
    (lambda: models.readmission_model("age", []), TypeError, "categorical must be a sequence of column names, got the single string"),
    (lambda: models.readmission_model([], [1]), TypeError, "numeric must hold column names"),
    (lambda: models.readmission_model(["a"], ["a"]), ValueError, "must not share a column"),
    (lambda: models.readmission_model(["a"], [], random_state=None), TypeError, "random_state must be an int"),
    (lambda: models.readmission_model(["a"], [], random_state=2**40), ValueError, "random_state must be an int from 0 to 4294967295"),
    (lambda: models.holdout_split(_frame(), random_state=2**32), ValueError, "random_state must be an int from 0"),
    (lambda: models.holdout_split(_frame(4), test_size=0.99, stratify=()), ValueError, "test_size=0.99 leaves an empty"),
    (lambda: models.holdout_split(_frame(), stratify=5), TypeError, "stratify must be a sequence"),
    (lambda: models.clinical_matrix(pd.DataFrame({"a": [1]}), target=3), TypeError, "target must be a column name"),
    (lambda: models.compare_feature_sets(_frame().assign(readmitted_30d=np.nan), "readmitted_30d", {"a": ["age"]}),
     ValueError, "the target\\) must have no missing values"),
    (lambda: models.accuracy_interval([1, 0], [1, np.inf]), ValueError, "y_pred must be finite"),
    (lambda: models.paired_difference_interval(["a", "b"], [1, 2], test_fraction=0.2), TypeError, "a must be numeric"),
])
def test_models_name_their_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, error, match", [
    (lambda: plotting.bar(None, [1]), TypeError, "labels must be a sequence"),
    (lambda: plotting.bar("ab", [1, 2]), TypeError, "labels must be a sequence"),
    (lambda: plotting.bar(["a"], [np.nan]), ValueError, "values must be finite"),
    (lambda: plotting.bar(["a"], ["x"]), TypeError, "values must be numeric"),
    (lambda: plotting.bar(["a"], [1], fmt=3), TypeError, "fmt must be a format string"),
    (lambda: plotting.bar(["a"], [1], fmt="{:q}"), ValueError, "fmt must format one number"),
    (lambda: plotting.bar(["a"], [1], fmt="{1}"), ValueError, "fmt must format one number"),
    (lambda: plotting.bar(["a"], [1], title=None), TypeError, "title must be a str"),
    (lambda: plotting.line_with_band([1, 2], [np.inf, 1]), ValueError, "mean must be finite"),
    (lambda: plotting.line_with_band([0, 1], [1, 1], logx=True), ValueError, "x must be > 0 for a logarithmic axis"),
    (lambda: plotting.line_with_band([1, 2], [1, 1], baseline="0.5"), TypeError, "baseline must be a number"),
    (lambda: plotting.line_with_band([1, 2], [1, 1], spread=[np.nan, 0]), ValueError, "spread must be finite"),
    (lambda: plotting.get_ax("ax"), TypeError, "ax must be a matplotlib Axes"),
])
def test_plots_name_their_arguments(call, error, match):
    try:
        with pytest.raises(error, match=match):
            call()
    finally:
        plt.close("all")
