"""Unit tests of course_lib.report (lesson 10): the card's numbers, pass/fail, rendering, export, bad input."""
import math
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_lib import report  # noqa: E402
from course_lib.federated import clip_update, dp_epsilon, local_train, logistic_gradient  # noqa: E402


def labels(n: int = 400, private_right: float = 0.70, baseline_right: float = 0.74, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.where(rng.random(n) < private_right, y, 1 - y)
    b = np.where(rng.random(n) < baseline_right, y, 1 - y)
    return y, p, b


TARGETS = report.Targets(max_epsilon=3.0, max_delta=1e-5, max_accuracy_drop=0.05, max_mia_auc=0.55,
                         max_fairness_gap=0.10, forbidden_features=("sex",))


def card_args(**changes):
    y, p, b = labels()
    args = dict(epsilon=2.0, delta=1e-5, rounds=20, y_true=y, y_pred=p, y_pred_baseline=b, mia_auc=0.52,
                fairness_gaps={"sex": 0.03, "age band": 0.06},
                top_features={"hba1c": 0.3, "age": -0.5, "sex": 0.01, "bmi": 0.1}, targets=TARGETS)
    return args | changes


# --- patient-level DP across hospitals -----------------------------------------------------


def hospitals(seed: int = 0, sizes=(60, 40, 25)):
    rng = np.random.default_rng(seed)
    w = np.array([1.0, -2.0, 0.5])
    clients = []
    for n in sizes:
        X = rng.normal(size=(n, 3))
        y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w)))).astype(int)
        clients.append((X, y))
    return clients


def test_without_noise_or_clipping_it_is_pooled_gradient_descent():
    clients = hospitals()
    X = np.vstack([c[0] for c in clients])
    y = np.concatenate([c[1] for c in clients])
    federated = report.dp_federated_sgd(clients, rounds=15, clip_norm=1e6, noise_multiplier=0.0,
                                        learning_rate=0.5, secure_aggregation=False)
    pooled = local_train(np.zeros(4), X, y, epochs=15, learning_rate=0.5)
    np.testing.assert_allclose(federated, pooled, atol=1e-12)


def test_one_round_is_lesson_05s_clip_update_applied_to_each_patient():
    clients = hospitals()
    step = report.dp_federated_sgd(clients, rounds=1, clip_norm=0.3, noise_multiplier=0.0, learning_rate=0.7,
                                   secure_aggregation=False)
    rows = [(x, t) for X, y in clients for x, t in zip(X, y)]
    clipped = [clip_update(logistic_gradient(np.zeros(4), x[None, :], np.array([t])), 0.3) for x, t in rows]
    np.testing.assert_allclose(step, -0.7 * np.sum(clipped, axis=0) / len(rows), atol=1e-12)


def test_secure_aggregation_masks_cancel():
    clients = hospitals()
    plain = report.dp_federated_sgd(clients, rounds=5, clip_norm=1.0, noise_multiplier=0.0, secure_aggregation=False)
    masked = report.dp_federated_sgd(clients, rounds=5, clip_norm=1.0, noise_multiplier=0.0,
                                     rng=np.random.default_rng(3))
    np.testing.assert_allclose(plain, masked, atol=1e-9)


def test_clipping_bounds_each_step_by_the_clip_norm():
    clients = hospitals()
    step = report.dp_federated_sgd(clients, rounds=1, clip_norm=0.01, noise_multiplier=0.0, learning_rate=1.0,
                                   secure_aggregation=False)
    # the sum of N gradients each clipped to 0.01, divided by N: at most 0.01 long
    assert np.linalg.norm(step) <= 0.01 + 1e-12
    # and one patient more or less moves the clipped sum by at most the clip norm
    fewer = [(clients[0][0][1:], clients[0][1][1:])] + clients[1:]
    n, m = sum(len(c[1]) for c in clients), sum(len(c[1]) for c in fewer)
    smaller = report.dp_federated_sgd(fewer, rounds=1, clip_norm=0.01, noise_multiplier=0.0, secure_aggregation=False)
    assert np.linalg.norm(step * n - smaller * m) <= 0.01 + 1e-12


def test_noise_has_the_stated_standard_deviation():
    clients = hospitals()
    n = sum(len(c[1]) for c in clients)
    clean = report.dp_federated_sgd(clients, rounds=1, clip_norm=2.0, noise_multiplier=0.0, secure_aggregation=False)
    noisy = np.array([report.dp_federated_sgd(clients, rounds=1, clip_norm=2.0, noise_multiplier=3.0,
                                              secure_aggregation=False, rng=np.random.default_rng(s))
                      for s in range(1500)])
    # the server's total carries N(0, (z C)^2) per coordinate; one step divides it by N
    assert np.std(noisy - clean, axis=0) == pytest.approx(np.full(4, 3.0 * 2.0 / n), rel=0.08)


def test_training_is_reproducible_with_a_seeded_generator():
    clients = hospitals()
    first = report.dp_federated_sgd(clients, rounds=3, clip_norm=1.0, noise_multiplier=1.0, rng=np.random.default_rng(7))
    again = report.dp_federated_sgd(clients, rounds=3, clip_norm=1.0, noise_multiplier=1.0, rng=np.random.default_rng(7))
    other = report.dp_federated_sgd(clients, rounds=3, clip_norm=1.0, noise_multiplier=1.0, rng=np.random.default_rng(8))
    assert np.array_equal(first, again) and not np.array_equal(first, other)


@pytest.mark.parametrize(
    "changes, error, text",
    [
        ({"clients": "abc"}, TypeError, "clients must be a sequence of \\(X, y\\) pairs"),
        ({"clients": [(np.zeros((2, 3)), np.array([0, 1]))]}, ValueError, "at least 2 hospitals"),
        ({"clients": [(np.zeros((2, 3)), np.array([0, 1])), "x"]}, TypeError, r"clients\[1\] must be an \(X, y\) pair"),
        ({"clients": [(np.zeros((2, 3)), np.array([0, 1])), (np.zeros((2, 2)), np.array([0, 1]))]}, ValueError,
         "has 2 features"),
        ({"clients": [(np.zeros((2, 3)), np.array([0, 2])), (np.zeros((2, 3)), np.array([0, 1]))]}, ValueError,
         "0/1 labels"),
        ({"clients": [(np.zeros((2, 3)), np.array([0])), (np.zeros((2, 3)), np.array([0, 1]))]}, ValueError,
         "one label per row"),
        ({"clients": [(np.full((2, 3), np.nan), np.array([0, 1])), (np.zeros((2, 3)), np.array([0, 1]))]}, ValueError,
         "must be finite"),
        ({"rounds": 0}, ValueError, "rounds must be an int from 1 to 10000"),
        ({"clip_norm": 0}, ValueError, "clip_norm must be > 0"),
        ({"noise_multiplier": -1}, ValueError, "noise_multiplier must be >= 0"),
        ({"learning_rate": "1"}, TypeError, "learning_rate must be a number"),
        ({"secure_aggregation": 1}, TypeError, "secure_aggregation must be True or False"),
        ({"rng": 0}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_dp_federated_sgd_rejects_bad_input(changes, error, text):
    args = {"clients": hospitals(), "rounds": 2, "clip_norm": 1.0, "noise_multiplier": 1.0} | changes
    with pytest.raises(error, match=text):
        report.dp_federated_sgd(**args)


@pytest.mark.parametrize("epsilon, rounds", [(0.1, 10), (1.0, 50), (3.0, 1), (8.0, 200)])
def test_calibrated_noise_spends_exactly_the_budget(epsilon, rounds):
    z = report.calibrate_noise(epsilon, rounds=rounds, delta=1e-5)
    spent = dp_epsilon(z, rounds, 1e-5)
    assert spent <= epsilon
    assert spent == pytest.approx(epsilon, rel=1e-6)


def test_less_budget_or_more_rounds_needs_more_noise():
    z = report.calibrate_noise(1.0, rounds=50, delta=1e-5)
    assert report.calibrate_noise(0.5, rounds=50, delta=1e-5) > z
    assert report.calibrate_noise(1.0, rounds=200, delta=1e-5) > z
    # Gaussian DP: mu = sqrt(rounds) / z, so four times the rounds need twice the noise
    assert report.calibrate_noise(1.0, rounds=200, delta=1e-5) == pytest.approx(2 * z, rel=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"epsilon": 0}, ValueError, "epsilon must be > 0"),
        ({"rounds": 0}, ValueError, "rounds must be an int from 1 to 10000"),
        ({"delta": 0}, ValueError, "delta must be strictly between 0 and 1"),
        ({"delta": "1e-5"}, TypeError, "delta must be a number"),
    ],
)
def test_calibrate_noise_rejects_bad_input(kwargs, error, text):
    args = {"epsilon": 1.0, "rounds": 10, "delta": 1e-5} | kwargs
    with pytest.raises(error, match=text):
        report.calibrate_noise(args.pop("epsilon"), **args)


# --- the paired accuracy interval ---------------------------------------------------------


def test_accuracy_difference_hand_computed():
    y = [1, 1, 0, 0, 1]
    base = [1, 1, 0, 0, 0]   # 4 right
    priv = [1, 0, 0, 1, 0]   # 2 right
    out = report.accuracy_difference_interval(y, priv, base)
    d = np.array([0, 1, 0, 1, 0], dtype=float)
    half = 2.7764451051977987 * d.std(ddof=1) / math.sqrt(5)   # t(0.975, 4)
    assert out["drop"] == pytest.approx(0.4)
    assert out["low"] == pytest.approx(0.4 - half)
    assert out["high"] == pytest.approx(0.4 + half)
    assert out["n"] == 5


def test_identical_models_have_zero_drop_and_zero_width():
    y, p, _ = labels()
    out = report.accuracy_difference_interval(y, p, p)
    assert out["drop"] == out["low"] == out["high"] == 0


def test_paired_interval_is_narrower_than_unpaired():
    # two models that agree on most rows: pairing removes the shared variance
    y, p, _ = labels(n=2000)
    b = p.copy()
    b[:60] = y[:60]
    out = report.accuracy_difference_interval(y, p, b)
    acc_p, acc_b = np.mean(p == y), np.mean(b == y)
    unpaired_half = 1.96 * math.sqrt(acc_p * (1 - acc_p) / 2000 + acc_b * (1 - acc_b) / 2000)
    assert (out["high"] - out["low"]) / 2 < unpaired_half / 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=60))
def test_difference_is_antisymmetric_and_covers_its_mean(rows):
    y, p, b = (np.array(col) for col in zip(*rows))
    forward = report.accuracy_difference_interval(y, p, b)
    backward = report.accuracy_difference_interval(y, b, p)
    assert forward["drop"] == pytest.approx(np.mean(b == y) - np.mean(p == y))
    assert backward["drop"] == pytest.approx(-forward["drop"])
    assert forward["low"] <= forward["drop"] <= forward["high"]


@pytest.mark.parametrize(
    "args, error, text",
    [
        (([1, 0], [1], [1, 0]), ValueError, "same length"),
        (([1], [1], [1]), ValueError, "at least 2"),
        (([1, 0], [1, np.nan], [1, 0]), ValueError, "y_pred must be finite"),
        (("10", [1, 0], [1, 0]), TypeError, "y_true must be numeric"),
        (([[1, 0]], [[1, 0]], [[1, 0]]), ValueError, "y_true must be 1-D"),
    ],
)
def test_accuracy_difference_rejects_bad_input(args, error, text):
    with pytest.raises(error, match=text):
        report.accuracy_difference_interval(*args)


def test_accuracy_difference_rejects_bad_confidence():
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        report.accuracy_difference_interval([1, 0], [1, 0], [1, 0], confidence=1.0)


# --- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"max_epsilon": 0}, ValueError, "max_epsilon must be > 0"),
        ({"max_epsilon": "3"}, TypeError, "max_epsilon must be a number"),
        ({"max_delta": 1.5}, ValueError, "max_delta must be from 0 to 1"),
        ({"max_accuracy_drop": -0.01}, ValueError, "max_accuracy_drop"),
        ({"max_accuracy_drop": 2}, ValueError, "max_accuracy_drop"),
        ({"max_mia_auc": 0.4}, ValueError, "max_mia_auc must be from 0.5"),
        ({"max_fairness_gap": float("nan")}, ValueError, "max_fairness_gap must be finite"),
        ({"forbidden_features": "sex"}, TypeError, "single string"),
        ({"forbidden_features": ("sex", 3)}, TypeError, "feature names"),
    ],
)
def test_targets_reject_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        report.Targets(**kwargs)


def test_targets_store_forbidden_features_as_tuple():
    assert report.Targets(forbidden_features=["sex", "age"]).forbidden_features == ("sex", "age")


# --- the card -----------------------------------------------------------------------------


def test_card_numbers_and_rows():
    args = card_args()
    card = report.report_card(**args)
    y, p, b = args["y_true"], args["y_pred"], args["y_pred_baseline"]
    assert card.accuracy["accuracy"] == pytest.approx(np.mean(p == y))
    assert card.baseline_accuracy["accuracy"] == pytest.approx(np.mean(b == y))
    assert card.accuracy_drop["drop"] == pytest.approx(np.mean(b == y) - np.mean(p == y))
    assert list(card.table.index) == ["epsilon", "delta", "accuracy", "mia", "fairness:sex", "fairness:age band",
                                      "features"]
    assert list(card.table.columns) == ["check", "value", "target", "status", "meaning"]
    assert card.table["meaning"].str.len().min() > 20          # every number says what it means
    assert list(card.top_features) == ["age", "hba1c", "bmi", "sex"]   # ranked by |importance|
    assert card.table.loc["features", "value"] == "age, hba1c, bmi"
    assert f"{math.exp(2.0):.3g}" in card.table.loc["epsilon", "meaning"]
    assert "20 rounds" in card.table.loc["epsilon", "value"]


def test_card_passes_when_every_target_is_met():
    card = report.report_card(**card_args())
    assert card.passed and card.failures == []
    assert card.summary() == "Report card: 7 of 7 checks pass"


@pytest.mark.parametrize(
    "changes, failing",
    [
        ({"epsilon": 3.5}, "epsilon"),
        ({"delta": 1e-4}, "delta"),
        ({"mia_auc": 0.6}, "mia"),
        ({"fairness_gaps": {"sex": 0.03, "age band": 0.2}}, "fairness:age band"),
        ({"top_features": {"sex": 0.9, "age": 0.5, "bmi": 0.1}}, "features"),
    ],
)
def test_each_missed_target_fails_only_its_own_row(changes, failing):
    card = report.report_card(**card_args(**changes))
    assert not card.passed
    assert list(card.table.index[card.table["status"] == "fail"]) == [failing]
    assert card.table.loc[failing, "check"] in card.summary()


def test_accuracy_fails_when_drop_exceeds_target_and_boundary_passes():
    y, p, b = labels(private_right=0.6, baseline_right=0.8)
    card = report.report_card(**card_args(y_pred=p, y_pred_baseline=b, y_true=y))
    assert card.table.loc["accuracy", "status"] == "fail"
    drop = card.accuracy_drop["drop"]
    exact = report.Targets(max_accuracy_drop=drop, max_delta=1e-5)
    assert report.report_card(**card_args(y_pred=p, y_pred_baseline=b, y_true=y, targets=exact)).table.loc[
        "accuracy", "status"] == "pass"


def test_forbidden_feature_below_the_top_n_passes():
    card = report.report_card(**card_args(top_features={"age": 0.5, "bmi": 0.4, "copd": 0.3, "sex": 0.2}, n_top=3))
    assert card.table.loc["features", "status"] == "pass"
    card = report.report_card(**card_args(top_features={"age": 0.5, "bmi": 0.4, "copd": 0.3, "sex": 0.2}, n_top=4))
    assert card.table.loc["features", "status"] == "fail"
    assert "found: sex" in card.table.loc["features", "meaning"]


def test_the_epsilon_row_names_the_protected_unit():
    assert "one patient's data" in report.report_card(**card_args()).table.loc["epsilon", "meaning"]
    card = report.report_card(**card_args(unit="hospital"))
    assert "one hospital's data" in card.table.loc["epsilon", "meaning"]


def test_a_pipeline_without_dp_reports_infinite_epsilon_and_fails():
    card = report.report_card(**card_args(epsilon=np.inf, delta=0.0))
    assert card.table.loc["epsilon", "value"] == "∞ (no DP)"
    assert card.failures == ["privacy loss ε"]
    assert "no differential privacy" in card.table.loc["epsilon", "meaning"]
    plt.close(card.plot())


def test_retrainings_are_reported_and_a_series_of_features_is_accepted():
    card = report.report_card(**card_args(retrainings=3, top_features=pd.Series({"age": 0.5, "bmi": 0.1})))
    assert "20 rounds x 3 trainings" in card.table.loc["epsilon", "value"]
    assert card.retrainings == 3


def test_rendering_is_deterministic_escaped_and_has_no_random_ids():
    card = report.report_card(**card_args(top_features={"<script>x</script>": 0.5, "age": 0.2}))
    page = card._repr_html_()
    assert page == card._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'id="T_report_card_' in page
    other = report.report_card(**card_args(epsilon=2.5))._repr_html_()
    ids = {text.split('"')[0] for text in page.split('id="T_')[1:2]}
    assert ids and not any(f'id="T_{i}' in other for i in ids)    # two cards on one page keep their own styles
    assert "7 checks" in repr(card) and "meaning" not in repr(card).splitlines()[1]


def test_plot_fits_one_slide_and_draws_on_a_given_figure():
    card = report.report_card(**card_args(epsilon=3.5))
    fig = card.plot()
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 1280 and height <= 720 * 0.85
    assert len(fig.axes) == 6
    titles = [ax.get_title() for ax in fig.axes]
    assert "Privacy budget" in titles and "Membership inference" in titles
    plt.close(fig)
    own = plt.figure(figsize=(8, 4))
    assert card.plot(own) is own
    plt.close(own)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        card.plot(fig=plt.gca())
    plt.close("all")


@pytest.mark.parametrize(
    "changes, error, text",
    [
        ({"targets": {"max_epsilon": 3}}, TypeError, "targets must be a Targets"),
        ({"epsilon": 0}, ValueError, "epsilon must be > 0"),
        ({"epsilon": float("nan")}, ValueError, "epsilon must be > 0 and finite"),
        ({"epsilon": -np.inf}, ValueError, "epsilon must be > 0 and finite"),
        ({"delta": 1}, ValueError, "delta must be < 1"),
        ({"delta": -1e-5}, ValueError, "delta must be from 0 to 1"),
        ({"rounds": 0}, ValueError, "rounds must be an int >= 1"),
        ({"rounds": 2.5}, TypeError, "rounds must be an int"),
        ({"retrainings": 0}, ValueError, "retrainings must be an int >= 1"),
        ({"mia_auc": 1.2}, ValueError, "mia_auc must be from 0 to 1"),
        ({"mia_auc": None}, TypeError, "mia_auc must be a number"),
        ({"fairness_metric": "group_summary"}, ValueError, "fairness_metric must be one of"),
        ({"fairness_gaps": {}}, ValueError, "fairness_gaps must hold at least one"),
        ({"fairness_gaps": [0.1]}, TypeError, "fairness_gaps must be a mapping"),
        ({"fairness_gaps": {"sex": 1.5}}, ValueError, r"fairness_gaps\['sex'\] must be from 0 to 1"),
        ({"fairness_gaps": {3: 0.1}}, TypeError, "fairness_gaps keys"),
        ({"top_features": {}}, ValueError, "top_features must hold at least one"),
        ({"top_features": ["age"]}, TypeError, "top_features must be a mapping"),
        ({"top_features": {"age": float("nan")}}, ValueError, r"top_features\['age'\] must be finite"),
        ({"n_top": 0}, ValueError, "n_top must be an int >= 1"),
        ({"confidence": 95}, ValueError, "confidence must be strictly between 0 and 1"),
        ({"title": " "}, ValueError, "title must be a non-empty string"),
        ({"unit": ""}, ValueError, "unit must name what epsilon protects"),
        ({"unit": None}, ValueError, "unit must name what epsilon protects"),
        ({"y_pred": np.full(400, 0.7)}, ValueError, "y_pred must hold 0/1 labels"),
        ({"y_pred_baseline": np.ones(10, dtype=int)}, ValueError, "same length"),
        ({"y_true": None}, TypeError, "y_true must be numeric"),
    ],
)
def test_card_rejects_bad_input(changes, error, text):
    with pytest.raises(error, match=text):
        report.report_card(**card_args(**changes))


def test_card_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        report.report_card(2.0, 1e-5, 20)  # type: ignore[misc]


# --- export -------------------------------------------------------------------------------


def test_html_export_is_standalone(tmp_path):
    card = report.report_card(**card_args())
    (path,) = report.save_report_card(card, tmp_path)
    assert path == tmp_path / "report_card.html"
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    assert "membership-inference AUC" in page
    assert sorted(os.listdir(tmp_path)) == ["report_card.html"]


def test_markdown_export_writes_table_and_figure(tmp_path):
    card = report.report_card(**card_args(top_features={"a|b": 0.5, "age": 0.1}))
    md, png = report.save_report_card(card, str(tmp_path), fmt="markdown", name="week1")
    assert (md.name, png.name) == ("week1.md", "week1.png")
    text = md.read_text(encoding="utf-8")
    assert "| check | value | target | status | meaning |" in text
    assert "a\\|b" in text and "](week1.png)" in text
    assert png.read_bytes().startswith(b"\x89PNG")


def test_export_refuses_to_overwrite_unless_asked(tmp_path):
    card = report.report_card(**card_args())
    report.save_report_card(card, tmp_path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        report.save_report_card(card, tmp_path)
    assert report.save_report_card(card, tmp_path, overwrite=True)[0].exists()


def test_export_writes_nothing_in_the_current_directory(tmp_path, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    card = report.report_card(**card_args())
    with pytest.raises(TypeError):
        report.save_report_card(card)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="empty string"):
        report.save_report_card(card, "")
    assert os.listdir(work) == []


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"directory": 3}, TypeError, "directory must be a path"),
        ({"directory": "/no/such/folder"}, ValueError, "directory must be an existing directory"),
        ({"fmt": "pdf"}, ValueError, "fmt must be one of"),
        ({"name": "../escape"}, ValueError, "bare file name"),
        ({"name": "card.html"}, ValueError, "bare file name"),
        ({"name": ".."}, ValueError, "bare file name"),
        ({"name": ""}, ValueError, "bare file name"),
        ({"name": 3}, TypeError, "name must be a str"),
        ({"overwrite": "yes"}, TypeError, "overwrite must be a bool"),
        ({"figure": "card.png"}, TypeError, "figure must be the card's matplotlib Figure"),
    ],
)
def test_export_rejects_bad_input(tmp_path, kwargs, error, text):
    card = report.report_card(**card_args())
    args = {"directory": tmp_path} | kwargs
    with pytest.raises(error, match=text):
        report.save_report_card(card, **args)
    assert list(Path(tmp_path).iterdir()) == []


def test_export_reuses_a_drawn_figure_and_leaves_it_open(tmp_path):
    import matplotlib.pyplot as plt

    card = report.report_card(**card_args())
    fig = card.plot()
    try:
        (reused,) = report.save_report_card(card, tmp_path, name="reused", figure=fig)
        (fresh,) = report.save_report_card(card, tmp_path, name="fresh")
        assert plt.fignum_exists(fig.number)
        assert reused.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")
    finally:
        plt.close(fig)


def test_export_rejects_a_non_card(tmp_path):
    with pytest.raises(TypeError, match="card must be a ReportCard"):
        report.save_report_card({"epsilon": 1}, tmp_path)


def test_export_rejects_a_file_as_directory(tmp_path):
    file = tmp_path / "f.txt"
    file.write_text("x")
    with pytest.raises(ValueError, match="existing directory"):
        report.save_report_card(report.report_card(**card_args()), file)


# --- comparing cards ----------------------------------------------------------------------


def test_compare_cards_over_retrainings():
    cards = [report.report_card(**card_args(epsilon=e, retrainings=i + 1)) for i, e in enumerate([1.5, 2.5, 3.5])]
    table = report.compare_report_cards(cards, ["first", "second", "third"])
    assert list(table.index) == ["first", "second", "third"]
    assert table["epsilon"].tolist() == [1.5, 2.5, 3.5]
    assert table["passed"].tolist() == [True, True, False]
    assert table["checks_passed"].tolist() == ["7/7", "7/7", "6/7"]
    assert {"gap:sex", "gap:age band", "accuracy_drop", "mia_auc"} <= set(table.columns)


@pytest.mark.parametrize(
    "cards, names, error, text",
    [
        ([], [], ValueError, "at least one ReportCard"),
        ("card", ["a"], TypeError, "cards must be a sequence"),
        ([{"epsilon": 1}], ["a"], TypeError, "only ReportCard"),
        (None, ["a"], TypeError, "cards must be a sequence"),
    ],
)
def test_compare_cards_rejects_bad_input(cards, names, error, text):
    with pytest.raises(error, match=text):
        report.compare_report_cards(cards, names)


def test_compare_cards_needs_one_label_per_card():
    card = report.report_card(**card_args())
    with pytest.raises(ValueError, match="labels must name each card once"):
        report.compare_report_cards([card, card], ["only one"])
    with pytest.raises(ValueError, match="must not repeat"):
        report.compare_report_cards([card, card], ["a", "a"])
    with pytest.raises(TypeError, match="single string"):
        report.compare_report_cards([card], "a")


# ---- found by the bad-input battery (tests/test_bad_input_battery.py) --------------------------


@pytest.mark.parametrize(
    "call, error, text",
    [
        # calibrate_noise / dp_federated_sgd: rounds=10**30 overflowed (OverflowError) or ran for ever
        (lambda: report.calibrate_noise(1.0, rounds=10**30, delta=1e-5), ValueError, "rounds must be an int from 1 to 10000"),
        (lambda: report.dp_federated_sgd(hospitals(), rounds=10**9, clip_norm=1.0, noise_multiplier=1.0), ValueError,
         "rounds must be an int from 1 to 10000"),
        # forbidden_features that is not a collection: "'int' object is not iterable"
        (lambda: report.Targets(forbidden_features=3), TypeError, "forbidden_features must be a sequence"),
        (lambda: report.Targets(forbidden_features=pd.DataFrame()), TypeError, "forbidden_features must be a sequence"),
        # choices compared with `in`: a list raised "unhashable type"
        (lambda: report.report_card(**card_args(fairness_metric=["equalized_odds_difference"])), ValueError,
         "fairness_metric must be one of"),
        (lambda: report.compare_report_cards([report.report_card(**card_args())], [None]), TypeError,
         "labels must be non-empty strings"),
    ],
)
def test_battery_findings_are_refused_by_name(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_save_report_card_refuses_a_blank_name_and_a_listed_fmt(tmp_path):
    card = report.report_card(**card_args())
    with pytest.raises(ValueError, match="name must be a bare file name"):
        report.save_report_card(card, tmp_path, name="   ")            # used to write '   .html'
    with pytest.raises(ValueError, match="fmt must be one of"):
        report.save_report_card(card, tmp_path, fmt=["html"])           # used to raise "unhashable type"
    assert list(tmp_path.iterdir()) == []


def test_an_absurd_epsilon_gives_a_failing_card_not_an_overflow():
    card = report.report_card(**card_args(epsilon=1e30))                # math.exp(1e30) overflowed in the text
    assert not card.passed and "e^ε = 10^" in card.table["meaning"].iloc[0]
