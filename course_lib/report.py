"""Lesson 10 (capstone): patient-level privacy across hospitals, and one report card for every claim.

Lessons 01-09 each fix one problem and measure one cost. A system that claims to be
private, accurate, fair and explainable at once must show all those numbers together,
against targets fixed *before* the results are seen, so that a trade-off cannot hide
behind a success elsewhere. What this module teaches, read top to bottom:

1. **Patient-level DP across hospitals** (:func:`dp_federated_sgd`,
   :func:`calibrate_noise`): lesson 05's DP-FedAvg clips each *hospital's* update, which
   protects a whole hospital and, with only five of them, drowns the model in noise. Here
   each hospital clips each *patient's* gradient, adds its share of Gaussian noise, and
   sends the sum under lesson 05's secure-aggregation masks, so one patient moves what the
   server sees by at most the clipping norm (DP-SGD of Abadi et al., *Deep Learning with
   Differential Privacy*, CCS 2016, full batch, with the noise split among the hospitals
   as in distributed DP, Kairouz, Liu & Steinke, ICML 2021). Epsilon is accounted with
   lesson 05's exact Gaussian-DP accountant; the noise is derived from the epsilon the
   student sets, not the other way round.
2. **Targets first** (:class:`Targets`): the largest epsilon and delta, the largest
   accuracy drop against the non-private pooled model, the largest membership-inference
   AUC, the largest fairness gap, and the features that must not drive the model, all
   written down before training. Choosing targets after seeing the numbers is the same
   mistake as tuning epsilon on the private data (lesson 04).
3. **The card** (:func:`report_card`): epsilon and delta spent (and over how many federated
   rounds and retrainings), accuracy against the pooled baseline on the same test rows with
   a paired interval (:func:`accuracy_difference_interval`), the membership-inference AUC
   (lesson 09), fairness gaps by group (lesson 07, fairlearn), the top features (lesson 08,
   SHAP); each with one line on what the number means and pass or fail.
4. **Showing it** (:class:`ReportCard`): a table (a pandas ``Styler`` in notebooks), a
   figure sized for one 1280x720 slide (:meth:`ReportCard.plot`), and a standalone HTML or
   Markdown page written only to a directory the caller names (:func:`save_report_card`).
5. **Watching it change** (:func:`compare_report_cards`): the key numbers of several cards
   side by side, e.g. over retrainings, where the privacy budget composes.

A card reports numbers; it does not prove them. Each number is only as good as the
measurement behind it: an epsilon from a correct accountant, an attack AUC from a strong
attack, a fairness gap on enough people per group. The card's value is that it refuses to
report one without the others (Mitchell et al., *Model Cards for Model Reporting*,
FAT* 2019, proposed the same discipline for model documentation).
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import os
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import optimize, special, stats

from course_lib import _checks
from course_lib.federated import MAX_STEPS, dp_epsilon, mask_updates
from course_lib.models import accuracy_interval
from course_lib.plotting import PALETTE

__all__ = [
    "dp_federated_sgd",
    "calibrate_noise",
    "FAIRNESS_METRICS",
    "Targets",
    "ReportCard",
    "accuracy_difference_interval",
    "report_card",
    "save_report_card",
    "compare_report_cards",
    "SLIDE_FIGSIZE",
]

#: The card's figure size in inches at 100 dpi: 1,120 x 560 pixels, inside a 1280x720 slide
#: with room for the slide's title line.
SLIDE_FIGSIZE: tuple[float, float] = (11.2, 5.6)

#: Fairness metrics the card can name, with the one line that says what a gap means.
#: The keys are the names of the fairlearn functions that compute them.
FAIRNESS_METRICS: dict[str, str] = {
    "equalized_odds_difference": "largest gap between groups in true- or false-positive rate; 0 means equal error rates",
    "demographic_parity_difference": "gap between groups in the share predicted positive; 0 means equal selection rates",
    "false_negative_rate_difference": "gap between groups in missed readmissions; 0 means equally often missed",
    "true_positive_rate_difference": "gap between groups in readmissions caught; 0 means equally often caught",
}

_PASS, _FAIL = "pass", "fail"


# --------------------------------------------------------------------------------------
# 1. Patient-level differential privacy across hospitals
# --------------------------------------------------------------------------------------


def _client_list(clients: object) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(clients, (str, bytes)) or not isinstance(clients, Sequence):
        raise TypeError(f"clients must be a sequence of (X, y) pairs, one per hospital, got {type(clients).__name__}")
    if len(clients) < 2:
        raise ValueError(f"clients must hold at least 2 hospitals (secure aggregation needs two), got {len(clients)}")
    pairs = []
    for i, pair in enumerate(clients):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"clients[{i}] must be an (X, y) pair, got {type(pair).__name__}")
        X = _checks.finite_array(f"clients[{i}] X", pair[0], ndim=2)
        y = _checks.finite_array(f"clients[{i}] y", pair[1], ndim=1)
        if X.shape[0] != y.shape[0] or X.shape[0] == 0:
            raise ValueError(f"clients[{i}] must have one label per row and at least one row, "
                             f"got X with {X.shape[0]} rows and y with {y.shape[0]} labels")
        if not np.isin(y, (0, 1)).all():
            raise ValueError(f"clients[{i}] y must hold only 0/1 labels")
        if pairs and X.shape[1] != pairs[0][0].shape[1]:
            raise ValueError(f"clients[{i}] X has {X.shape[1]} features, clients[0] has {pairs[0][0].shape[1]}")
        pairs.append((X, y))
    return pairs


def dp_federated_sgd(
    clients: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    rounds: int,
    clip_norm: float,
    noise_multiplier: float,
    learning_rate: float = 1.0,
    secure_aggregation: bool = True,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Logistic regression trained across hospitals with patient-level differential privacy.

    Each round, every hospital computes each of its patients' logistic-loss gradients at
    the current parameters, clips each to L2 norm ``clip_norm`` (lesson 05's
    ``clip_update``, applied per patient), sums them and adds Gaussian noise of standard
    deviation ``noise_multiplier * clip_norm / sqrt(K)`` (``K`` hospitals). With
    ``secure_aggregation`` the sums travel under lesson 05's pairwise masks
    (``mask_updates``), so the server learns only the total: the clipped sum plus noise of
    standard deviation ``noise_multiplier * clip_norm``. It divides by ``N``, the number of
    patients in ``clients``, and takes one gradient step.

    Guarantee: neighbouring datasets differ by one patient added or removed; that moves the
    total by at most ``clip_norm``, so each round is a Gaussian mechanism (``mu = 1 /
    noise_multiplier`` in Gaussian DP) and ``rounds`` of them are exactly what
    ``course_lib.federated.dp_epsilon(noise_multiplier, rounds, delta)`` accounts. This
    treats ``N`` as public: dividing by it is post-processing only if the divisor does not
    change when one patient is added or removed (a count published before training). Here
    it is counted from the data, so, strictly, the exact statement without that assumption
    is for one patient *replaced* by another (``N`` fixed, sensitivity ``2 * clip_norm``:
    ``dp_epsilon(noise_multiplier / 2, rounds, delta)``). Against a hospital that sees the
    model and subtracts its own noise share, the noise left is ``sqrt((K-1)/K)`` of it
    (``dp_epsilon(noise_multiplier * sqrt((K-1)/K), rounds, delta)`` for the other
    hospitals' patients). Returns the parameters: the weights, then the
    intercept (the convention of ``course_lib.federated``). Starts from zeros; full batch,
    so the only randomness is the noise and the masks, drawn from ``rng``.
    """
    pairs = _client_list(clients)
    rounds = _checks.integer("rounds", rounds, minimum=1, maximum=MAX_STEPS)
    clip_norm = _checks.positive("clip_norm", clip_norm)
    noise_multiplier = _checks.non_negative("noise_multiplier", noise_multiplier)
    learning_rate = _checks.positive("learning_rate", learning_rate)
    if not isinstance(secure_aggregation, bool):
        raise TypeError(f"secure_aggregation must be True or False, got {type(secure_aggregation).__name__}")
    generator = _checks.rng(rng)
    n_total = sum(len(y) for _, y in pairs)
    share = noise_multiplier * clip_norm / math.sqrt(len(pairs))
    params = np.zeros(pairs[0][0].shape[1] + 1)
    for _ in range(rounds):
        sums = []
        for X, y in pairs:
            residual = special.expit(X @ params[:-1] + params[-1]) - y
            gradients = np.column_stack([X * residual[:, None], residual])      # one row per patient
            norms = np.linalg.norm(gradients, axis=1)
            gradients *= np.minimum(1.0, clip_norm / np.maximum(norms, 1e-300))[:, None]
            sums.append(gradients.sum(axis=0) + generator.normal(0.0, share, size=params.shape))
        sent = mask_updates(sums, rng=generator) if secure_aggregation else sums
        params = params - learning_rate * np.sum(sent, axis=0) / n_total
    return params


def calibrate_noise(epsilon: float, *, rounds: int, delta: float) -> float:
    """The noise multiplier that makes ``rounds`` rounds of :func:`dp_federated_sgd` exactly (epsilon, delta)-DP.

    Inverts ``course_lib.federated.dp_epsilon`` (Gaussian-DP composition, Dong, Roth & Su
    2022, converted exactly to (epsilon, delta)), which decreases as the noise grows:
    set the budget first, derive the noise from it.
    """
    epsilon = _checks.epsilon(epsilon)
    rounds = _checks.integer("rounds", rounds, minimum=1, maximum=MAX_STEPS)
    delta = _checks.probability("delta", delta)
    low, high = 1e-3, 1.0
    while dp_epsilon(high, rounds, delta) > epsilon:
        high *= 2.0
        if high > 1e9:
            raise ValueError(f"epsilon={epsilon} is too small to reach with {rounds} rounds and delta={delta}")
    if dp_epsilon(low, rounds, delta) <= epsilon:
        return low
    z = float(optimize.brentq(lambda z: dp_epsilon(z, rounds, delta) - epsilon, low, high, xtol=1e-10))
    while dp_epsilon(z, rounds, delta) > epsilon:     # the root's side with epsilon <= the budget
        z *= 1 + 1e-12
    return z


# --------------------------------------------------------------------------------------
# 2. Targets, fixed before the results are seen
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The student's promises, written down before training: every number must meet its target.

    ``max_accuracy_drop`` is in accuracy units (0.02 = two percentage points below the
    non-private pooled model). ``forbidden_features`` must not appear among the card's top
    features (e.g. a protected attribute or a pseudonym that should carry no signal).
    """

    max_epsilon: float = 3.0
    max_delta: float = 1e-5
    max_accuracy_drop: float = 0.02
    max_mia_auc: float = 0.55
    max_fairness_gap: float = 0.10
    forbidden_features: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _checks.epsilon(self.max_epsilon, "max_epsilon")
        _checks.probability("max_delta", self.max_delta, closed=True)
        _checks.probability("max_accuracy_drop", self.max_accuracy_drop, closed=True)
        auc = _checks.number("max_mia_auc", self.max_mia_auc)
        if not 0.5 <= auc <= 1.0:
            raise ValueError(f"max_mia_auc must be from 0.5 (a coin toss) to 1, got {self.max_mia_auc}")
        _checks.probability("max_fairness_gap", self.max_fairness_gap, closed=True)
        forbidden = self.forbidden_features
        if isinstance(forbidden, str):
            raise TypeError(f"forbidden_features must be a sequence of names, got the single string {forbidden!r}; "
                            f"write ({forbidden!r},)")
        if not isinstance(forbidden, (Sequence, AbstractSet, np.ndarray, pd.Index)):
            raise TypeError(f"forbidden_features must be a sequence of feature names, got {type(forbidden).__name__} "
                            f"{_checks.short_repr(forbidden)}")
        if not all(isinstance(name, str) for name in forbidden):
            raise TypeError(f"forbidden_features must hold feature names (str), got {_checks.short_repr(forbidden)}")
        object.__setattr__(self, "forbidden_features", tuple(forbidden))


# --------------------------------------------------------------------------------------
# 3. The card
# --------------------------------------------------------------------------------------


def accuracy_difference_interval(
    y_true: Sequence[int], y_pred: Sequence[int], y_pred_baseline: Sequence[int], *, confidence: float = 0.95
) -> dict[str, float]:
    """Accuracy of ``y_pred_baseline`` minus that of ``y_pred`` on the SAME rows, with an interval.

    The two models are scored on the same test rows, so their errors are paired: the
    difference is the mean of ``d_i = correct_baseline_i - correct_i`` (each -1, 0 or 1),
    and its standard error is ``sd(d) / sqrt(n)`` (the paired, or matched-pairs, interval for
    a difference of proportions; Agresti, *Categorical Data Analysis*, 3rd ed., 10.1). An
    unpaired interval would be far wider, because most rows are right (or wrong) for both
    models. Returns ``drop``, ``low``, ``high``, ``n``; a positive drop means the baseline
    is more accurate.
    """
    truth = _checks.finite_array("y_true", y_true, ndim=1)
    pred = _checks.finite_array("y_pred", y_pred, ndim=1)
    base = _checks.finite_array("y_pred_baseline", y_pred_baseline, ndim=1)
    if not truth.shape == pred.shape == base.shape:
        raise ValueError(f"y_true, y_pred and y_pred_baseline must have the same length, "
                         f"got {truth.size}, {pred.size} and {base.size}")
    if truth.size < 2:
        raise ValueError(f"y_true must hold at least 2 labels for an interval, got {truth.size}")
    confidence = _checks.probability("confidence", confidence)
    d = (base == truth).astype(float) - (pred == truth).astype(float)
    n = d.size
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * d.std(ddof=1) / math.sqrt(n))
    drop = float(d.mean())
    return {"drop": drop, "low": drop - half, "high": drop + half, "n": n}


@dataclass(frozen=True)
class ReportCard:
    """A pipeline's numbers, their targets, pass or fail, and one line on each number's meaning.

    Made by :func:`report_card`. ``table`` has one row per check, indexed by a stable key
    (``epsilon``, ``delta``, ``accuracy``, ``mia``, ``fairness:<attribute>``, ``features``),
    with columns ``check``, ``value``, ``target``, ``status``, ``meaning``; ``passed`` is True only when every
    check passes. In a notebook the card displays as a coloured table; :meth:`plot` draws
    the slide figure; :func:`save_report_card` writes it as a page.
    """

    title: str
    epsilon: float
    delta: float
    rounds: int
    retrainings: int
    accuracy: dict[str, float]
    baseline_accuracy: dict[str, float]
    accuracy_drop: dict[str, float]
    mia_auc: float
    fairness_metric: str
    fairness_gaps: dict[str, float]
    top_features: dict[str, float]
    n_top: int
    targets: Targets
    table: pd.DataFrame = field(repr=False, compare=False)

    @property
    def passed(self) -> bool:
        """True when every check meets its target."""
        return bool((self.table["status"] == _PASS).all())

    @property
    def failures(self) -> list[str]:
        """The names of the checks that miss their target."""
        return self.table.loc[self.table["status"] == _FAIL, "check"].tolist()

    def summary(self) -> str:
        """One line: how many checks pass, and which fail."""
        n_pass = int((self.table["status"] == _PASS).sum())
        line = f"{self.title}: {n_pass} of {len(self.table)} checks pass"
        return line + (f"; failing: {', '.join(self.failures)}" if self.failures else "")

    def style(self) -> pd.io.formats.style.Styler:
        """The table as a pandas ``Styler``: failing rows tinted, HTML-escaped, a fixed id.

        The id (``set_uuid``) is a digest of the card's content, not pandas' random one: the
        HTML is identical from run to run (notebooks pass strict output comparison), and two
        different cards on one page do not restyle each other's rows.
        """
        def tint(row: pd.Series) -> list[str]:
            colour = "#fde0d5" if row["status"] == _FAIL else "#dff3ea"
            return [f"background-color: {colour}"] * len(row)

        return (
            self.table.style.apply(tint, axis=1)
            .format(escape="html")
            .hide(axis="index")
            .set_uuid("report_card_" + hashlib.sha256(self.table.to_json().encode("utf-8")).hexdigest()[:10])
            .set_caption(html.escape(self.summary()))
            .set_table_styles([
                {"selector": "td, th", "props": "text-align: left; padding: 3px 8px; font-size: 11pt;"},
                {"selector": "caption", "props": "font-weight: bold; text-align: left; padding-bottom: 4px;"},
            ])
        )

    def _repr_html_(self) -> str:
        return self.style().to_html()

    def __repr__(self) -> str:
        text = self.table[["check", "value", "target", "status"]].to_string(index=False)
        return f"{self.summary()}\n{text}"

    def plot(self, fig: Figure | None = None) -> Figure:
        """Draw the card on ``fig`` (a new figure of :data:`SLIDE_FIGSIZE` when None).

        Five panels (privacy, accuracy, membership inference, fairness, top features) show
        each number against its target line, green when it passes and vermillion when it
        fails; a sixth lists the checks. Returns the figure; the caller shows or saves it.
        """
        if fig is None:
            fig = plt.figure(figsize=SLIDE_FIGSIZE, layout="constrained")
        elif not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure or None, got {type(fig).__name__}")
        axes = fig.subplots(2, 3).ravel()
        status = self.table["status"].to_dict()
        colour = {_PASS: PALETTE["green"], _FAIL: PALETTE["vermillion"]}
        t = self.targets

        ax = axes[0]
        shown = self.epsilon if math.isfinite(self.epsilon) else 2 * t.max_epsilon
        ax.bar(["ε spent"], [shown], color=colour[status["epsilon"]], width=0.5)
        ax.axhline(t.max_epsilon, color="black", linestyle="--", linewidth=1, label=f"target ≤ {t.max_epsilon:g}")
        ax.set_ylim(0, max(shown, t.max_epsilon) * 1.3)
        ax.set_title("Privacy budget")
        ax.text(0, shown, f"{self.epsilon:.2f}" if math.isfinite(self.epsilon) else "∞ (no DP)", ha="center", va="bottom")
        ax.set_xlabel(f"δ = {self.delta:.0e}; {self.rounds} rounds × {self.retrainings} training(s)")
        ax.legend(loc="upper right", fontsize=8)

        ax = axes[1]
        acc, base = self.accuracy, self.baseline_accuracy
        names = ["private", "pooled baseline"]
        values = [acc["accuracy"], base["accuracy"]]
        errors = [[acc["accuracy"] - acc["low"], base["accuracy"] - base["low"]],
                  [acc["high"] - acc["accuracy"], base["high"] - base["accuracy"]]]
        ax.errorbar(names, values, yerr=errors, fmt="o", capsize=6, color="black")
        ax.scatter(names[:1], values[:1], s=80, color=colour[status["accuracy"]], zorder=3)
        floor = base["accuracy"] - t.max_accuracy_drop
        ax.axhline(floor, color="black", linestyle="--", linewidth=1, label=f"target ≥ baseline − {t.max_accuracy_drop:g}")
        low = min(acc["low"], base["low"], floor)
        high = max(acc["high"], base["high"])
        ax.set_ylim(low - 0.02, high + 0.03)
        ax.set_xlim(-0.5, 1.5)
        ax.set_title("Accuracy (95 % interval)" if math.isclose(acc.get("confidence", 0.95), 0.95) else "Accuracy")
        ax.legend(loc="upper right", fontsize=8)

        ax = axes[2]
        ax.bar(["attack AUC"], [self.mia_auc], color=colour[status["mia"]], width=0.5)
        ax.axhline(0.5, color="grey", linewidth=1, label="0.5 = coin toss")
        ax.axhline(t.max_mia_auc, color="black", linestyle="--", linewidth=1, label=f"target ≤ {t.max_mia_auc:g}")
        ax.text(0, self.mia_auc, f"{self.mia_auc:.3f}", ha="center", va="bottom")
        ax.set_ylim(0.4, max(self.mia_auc, t.max_mia_auc) + 0.1)
        ax.set_title("Membership inference")
        ax.legend(loc="upper right", fontsize=8)

        ax = axes[3]
        groups = list(self.fairness_gaps)
        gaps = [self.fairness_gaps[g] for g in groups]
        ax.bar(groups, gaps, color=[colour[status[f"fairness:{g}"]] for g in groups], width=0.5)
        ax.axhline(t.max_fairness_gap, color="black", linestyle="--", linewidth=1, label=f"target ≤ {t.max_fairness_gap:g}")
        for i, gap in enumerate(gaps):
            ax.text(i, gap, f"{gap:.3f}", ha="center", va="bottom")
        ax.set_ylim(0, max(max(gaps), t.max_fairness_gap) * 1.35)
        ax.set_title(f"Fairness gap ({self.fairness_metric.replace('_', ' ').replace(' difference', '')})", fontsize=10)
        ax.legend(loc="upper right", fontsize=8)

        ax = axes[4]
        ranked = list(self.top_features.items())[: max(self.n_top, 5)][::-1]
        forbidden = set(t.forbidden_features)
        ax.barh([name for name, _ in ranked], [abs(v) for _, v in ranked],
                color=[PALETTE["vermillion"] if name in forbidden else PALETTE["blue"] for name, _ in ranked])
        ax.set_title(f"Top features (top {self.n_top} checked)")
        ax.set_xlabel("importance (e.g. mean |SHAP|)")
        ax.grid(axis="y", visible=False)

        ax = axes[5]
        ax.axis("off")
        ax.set_title("Checks")
        for i, (check, state) in enumerate(zip(self.table["check"], self.table["status"])):
            mark = "✓" if state == _PASS else "✗"
            ax.text(0.0, 0.95 - i * 0.12, f"{mark} {check}", color=colour[state], fontsize=10,
                    transform=ax.transAxes, va="top")
        fig.suptitle(self.summary(), fontsize=12, fontweight="bold")
        return fig


def _odds_factor(epsilon: float) -> str:
    """``e^epsilon`` for the card's text, without overflowing for an absurd epsilon (> 709)."""
    return f"{math.exp(epsilon):.3g}" if epsilon < 700 else f"10^{epsilon / math.log(10):.0f}"


def _gaps(fairness_gaps: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(fairness_gaps, Mapping):
        raise TypeError(f"fairness_gaps must be a mapping of group attribute to gap, e.g. {{'sex': 0.03}}, "
                        f"got {type(fairness_gaps).__name__}")
    if not fairness_gaps:
        raise ValueError("fairness_gaps must hold at least one attribute, got an empty mapping")
    gaps = {}
    for name, gap in fairness_gaps.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"fairness_gaps keys must be attribute names (non-empty str), got {name!r}")
        gaps[name] = _checks.probability(f"fairness_gaps[{name!r}]", gap, closed=True)
    return gaps


def _features(top_features: Mapping[str, float]) -> dict[str, float]:
    if isinstance(top_features, pd.Series):
        top_features = top_features.to_dict()
    if not isinstance(top_features, Mapping):
        raise TypeError(f"top_features must be a mapping (or Series) of feature name to importance, "
                        f"got {type(top_features).__name__}")
    if not top_features:
        raise ValueError("top_features must hold at least one feature, got an empty mapping")
    checked = {}
    for name, value in top_features.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"top_features keys must be feature names (non-empty str), got {name!r}")
        checked[name] = _checks.number(f"top_features[{name!r}]", value)
    return dict(sorted(checked.items(), key=lambda item: -abs(item[1])))


def report_card(
    *,
    epsilon: float,
    delta: float,
    rounds: int,
    y_true: Sequence[int],
    y_pred: Sequence[int],
    y_pred_baseline: Sequence[int],
    mia_auc: float,
    fairness_gaps: Mapping[str, float],
    top_features: Mapping[str, float],
    targets: Targets,
    retrainings: int = 1,
    fairness_metric: str = "equalized_odds_difference",
    n_top: int = 3,
    confidence: float = 0.95,
    title: str = "Report card",
    unit: str = "patient",
) -> ReportCard:
    """Every number of a private, fair, explainable pipeline against its target, in one card.

    - ``epsilon``, ``delta``: the TOTAL privacy loss spent on the training patients, as the
      accountant composed it over ``rounds`` federated rounds per training and
      ``retrainings`` trainings on overlapping patients (Dwork & Roth, 2014, section 3.5).
      ``epsilon=math.inf`` reports a pipeline without differential privacy (it fails).
    - ``y_true``, ``y_pred``, ``y_pred_baseline``: labels and the 0/1 predictions of the
      private model and of the non-private model trained on the pooled data, on the SAME
      held-out rows; the card reports both accuracies (Wilson intervals) and the drop with
      a paired interval (:func:`accuracy_difference_interval`). Pass: drop <= target.
    - ``mia_auc``: the membership-inference attack's AUC (lesson 09); 0.5 is guessing.
    - ``fairness_gaps``: ``{attribute: gap}`` of ``fairness_metric`` (a key of
      :data:`FAIRNESS_METRICS`, computed with fairlearn, lesson 07), e.g. by sex and age band.
    - ``top_features``: ``{feature: importance}`` (e.g. mean |SHAP|, lesson 08); the card
      ranks them by absolute value and fails if a forbidden feature is in the top ``n_top``.

    - ``unit``: what one neighbouring dataset adds or removes, i.e. whom ε protects: what was
      clipped (``"patient"`` for per-patient clipping, ``"hospital"`` for lesson 05's
      DP-FedAvg). The ε row's meaning names it.

    Pass/fail compares point estimates with ``targets``; the intervals say how sure that is.
    Keyword-only, because eleven numbers in a row are easy to swap.
    """
    if not isinstance(targets, Targets):
        raise TypeError(f"targets must be a Targets (course_lib.report.Targets(...)), got {type(targets).__name__}")
    if not (isinstance(epsilon, (int, float, np.integer, np.floating)) and epsilon == math.inf):
        epsilon = _checks.epsilon(epsilon)     # math.inf is allowed: a pipeline without DP
    epsilon = float(epsilon)
    delta = _checks.probability("delta", delta, closed=True)
    if delta == 1:
        raise ValueError(f"delta must be < 1 (delta = 1 promises nothing), got {delta}")
    rounds = _checks.integer("rounds", rounds, minimum=1)
    retrainings = _checks.integer("retrainings", retrainings, minimum=1)
    mia_auc = _checks.probability("mia_auc", mia_auc, closed=True)
    if not isinstance(fairness_metric, str) or fairness_metric not in FAIRNESS_METRICS:
        raise ValueError(f"fairness_metric must be one of {sorted(FAIRNESS_METRICS)}, got {fairness_metric!r}")
    gaps = _gaps(fairness_gaps)
    features = _features(top_features)
    n_top = _checks.integer("n_top", n_top, minimum=1)
    confidence = _checks.probability("confidence", confidence)
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title must be a non-empty string, got {title!r}")
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must name what epsilon protects (e.g. 'patient'), got {unit!r}")
    for name, labels in (("y_true", y_true), ("y_pred", y_pred), ("y_pred_baseline", y_pred_baseline)):
        values = _checks.finite_array(name, labels, ndim=1)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(f"{name} must hold 0/1 labels (predictions, not probabilities), "
                             f"got values {sorted(set(values[~np.isin(values, (0, 1))].tolist()))[:5]}")
    drop = accuracy_difference_interval(y_true, y_pred, y_pred_baseline, confidence=confidence)
    acc = accuracy_interval(y_true, y_pred, confidence=confidence) | {"confidence": confidence}
    base = accuracy_interval(y_true, y_pred_baseline, confidence=confidence) | {"confidence": confidence}

    t = targets
    ok = {True: _PASS, False: _FAIL}
    level = f"{confidence:.0%}"
    composed = f"{rounds} rounds" + (f" x {retrainings} trainings" if retrainings > 1 else "")
    if math.isinf(epsilon):
        epsilon_meaning = f"no differential privacy: nothing bounds what the model reveals about one {unit.strip()}"
    else:
        epsilon_meaning = (f"one {unit.strip()}'s data changes the odds of any conclusion about them by at most "
                           f"e^ε = {_odds_factor(epsilon)}x")
    rows = [
        ("epsilon", "privacy loss ε", (f"{epsilon:.2f} ({composed})" if math.isfinite(epsilon) else "∞ (no DP)"), f"≤ {t.max_epsilon:g}", ok[epsilon <= t.max_epsilon],
         epsilon_meaning),
        ("delta", "failure probability δ", f"{delta:.1e}", f"≤ {t.max_delta:.1e}", ok[delta <= t.max_delta],
         "the chance that the ε bound does not hold; keep it far below 1 / number of patients"),
        ("accuracy", "accuracy vs pooled baseline",
         f"{acc['accuracy']:.3f} vs {base['accuracy']:.3f}: drop {drop['drop'] * 100:.1f} pp "
         f"[{drop['low'] * 100:.1f}, {drop['high'] * 100:.1f}]",
         f"drop ≤ {t.max_accuracy_drop * 100:g} pp", ok[drop["drop"] <= t.max_accuracy_drop],
         f"what privacy costs in accuracy on the same {drop['n']} test patients ({level} paired interval)"),
        ("mia", "membership-inference AUC", f"{mia_auc:.3f}", f"≤ {t.max_mia_auc:g}", ok[mia_auc <= t.max_mia_auc],
         "how well this attack tells training patients from others (0.5 a coin toss, 1 names every one); "
         "a lower bound on leakage, not a proof of privacy"),
    ]
    for group, gap in gaps.items():
        rows.append((f"fairness:{group}", f"fairness gap by {group}", f"{gap:.3f}", f"≤ {t.max_fairness_gap:g}",
                     ok[gap <= t.max_fairness_gap], f"{fairness_metric.replace('_', ' ')}: {FAIRNESS_METRICS[fairness_metric]}"))
    top = list(features)[:n_top]
    bad = [name for name in top if name in t.forbidden_features]
    forbidden = ", ".join(t.forbidden_features) if t.forbidden_features else "nothing"
    rows.append(("features", f"top {len(top)} features", ", ".join(top), f"none of: {forbidden}", ok[not bad],
                 "what drives the predictions; a protected attribute or an identifier here is a warning sign"
                 + (f" (found: {', '.join(bad)})" if bad else "")))
    table = pd.DataFrame(rows, columns=["key", "check", "value", "target", "status", "meaning"]).set_index("key")
    return ReportCard(
        title=title.strip(), epsilon=epsilon, delta=delta, rounds=rounds, retrainings=retrainings, accuracy=acc,
        baseline_accuracy=base, accuracy_drop=drop, mia_auc=mia_auc, fairness_metric=fairness_metric,
        fairness_gaps=gaps, top_features=features, n_top=n_top, targets=t,
        table=table,
    )


# --------------------------------------------------------------------------------------
# 4. Showing it: a standalone page, written only where the caller says
# --------------------------------------------------------------------------------------

_FORMATS = {"html": ".html", "markdown": ".md"}


def _png(card: ReportCard, figure: Figure | None = None) -> bytes:
    fig = card.plot() if figure is None else figure
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        return buffer.getvalue()
    finally:
        if figure is None:
            plt.close(fig)


def _target_directory(directory: str | os.PathLike[str]) -> Path:
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a path (str or os.PathLike), got {type(directory).__name__}")
    if isinstance(directory, str) and not directory.strip():
        raise ValueError("directory must name a directory, got an empty string (the card is never written to the "
                         "current directory by default; pass e.g. tempfile.mkdtemp())")
    path = Path(directory)
    if not path.is_dir():
        raise ValueError(f"directory must be an existing directory, got {str(path)!r}")
    return path


def _markdown_cell(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def save_report_card(
    card: ReportCard,
    directory: str | os.PathLike[str],
    *,
    fmt: str = "html",
    name: str = "report_card",
    overwrite: bool = False,
    figure: Figure | None = None,
) -> list[Path]:
    """Write ``card`` as a standalone page into ``directory`` and return the files written.

    ``fmt="html"``: one self-contained ``name.html`` (the table and the figure embedded as a
    base64 PNG, no scripts, no external links), readable offline in any browser.
    ``fmt="markdown"``: ``name.md`` (a pipe table and the meanings) and the figure beside it
    as ``name.png``. ``directory`` is required and must exist: the card is never written to
    the current directory by default. ``name`` is a bare file name without extension or
    path separators. Existing files are refused unless ``overwrite=True``. ``figure``: the
    card's figure if already drawn (``card.plot()``), saved instead of drawing it again (it
    is not closed); None draws and closes a new one.
    """
    if not isinstance(card, ReportCard):
        raise TypeError(f"card must be a ReportCard (from report_card(...)), got {type(card).__name__}")
    folder = _target_directory(directory)
    if not isinstance(fmt, str) or fmt not in _FORMATS:
        raise ValueError(f"fmt must be one of {sorted(_FORMATS)}, got {fmt!r}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if (not name.strip() or name in (".", "..") or any(sep in name for sep in ("/", "\\", os.sep, "\0"))
            or Path(name).suffix.lower() in (".html", ".md", ".png")):
        raise ValueError(f"name must be a bare file name without extension or path separators, got {name!r}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be a bool, got {type(overwrite).__name__}")
    if figure is not None and not isinstance(figure, Figure):
        raise TypeError(f"figure must be the card's matplotlib Figure (card.plot()) or None, got {type(figure).__name__}")
    targets = [folder / f"{name}{_FORMATS[fmt]}"] + ([folder / f"{name}.png"] if fmt == "markdown" else [])
    existing = [str(p.name) for p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{existing} already exist in directory {str(folder)!r}; pass overwrite=True to replace")
    png = _png(card, figure)
    if fmt == "html":
        image = base64.b64encode(png).decode("ascii")
        page = (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(card.title)}</title>\n"
            "<style>body{font-family:sans-serif;max-width:1200px;margin:1em auto;} "
            "table{border-collapse:collapse;} td,th{border:1px solid #ccc;}</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(card.title)}</h1>\n{card.style().to_html()}\n"
            f"<p><img alt=\"{html.escape(card.summary())}\" src=\"data:image/png;base64,{image}\" "
            "style=\"max-width:100%\"></p>\n</body>\n</html>\n"
        )
        targets[0].write_text(page, encoding="utf-8")
    else:
        lines = [f"# {_markdown_cell(card.title)}", "", f"**{_markdown_cell(card.summary())}**", "",
                 "| check | value | target | status | meaning |", "|---|---|---|---|---|"]
        for _, row in card.table.iterrows():
            cells = [row["check"], row["value"], row["target"], row["status"].upper(), row["meaning"]]
            lines.append("| " + " | ".join(_markdown_cell(c) for c in cells) + " |")
        lines += ["", f"![{_markdown_cell(card.summary())}]({name}.png)", ""]
        targets[0].write_text("\n".join(lines), encoding="utf-8")
        targets[1].write_bytes(png)
    return targets


# --------------------------------------------------------------------------------------
# 5. Watching it change
# --------------------------------------------------------------------------------------


def compare_report_cards(cards: Sequence[ReportCard], labels: Sequence[str]) -> pd.DataFrame:
    """The key numbers of several cards side by side: one row per card, in the given order.

    Columns: ``epsilon``, ``delta``, ``accuracy``, ``accuracy_drop``, ``mia_auc``, one
    ``gap:<attribute>`` per fairness attribute, ``checks_passed`` and ``passed``. Use it to
    watch a pipeline over retrainings, where the privacy budget composes.
    """
    if isinstance(cards, (ReportCard, str)) or not isinstance(cards, Sequence):
        raise TypeError(f"cards must be a sequence of ReportCard, got {type(cards).__name__}")
    if not cards:
        raise ValueError("cards must hold at least one ReportCard, got none")
    bad = [type(c).__name__ for c in cards if not isinstance(c, ReportCard)]
    if bad:
        raise TypeError(f"cards must hold only ReportCard objects, got {bad}")
    names = _checks.column_list(labels, "labels")
    if not all(isinstance(label, str) and label.strip() for label in names):
        raise TypeError(f"labels must be non-empty strings, got {_checks.short_repr(names)}")
    if len(names) != len(cards):
        raise ValueError(f"labels must name each card once: got {len(names)} labels for {len(cards)} cards")
    rows = []
    for card in cards:
        row = {"epsilon": card.epsilon, "delta": card.delta, "accuracy": card.accuracy["accuracy"],
               "accuracy_drop": card.accuracy_drop["drop"], "mia_auc": card.mia_auc}
        row |= {f"gap:{g}": v for g, v in card.fairness_gaps.items()}
        row |= {"checks_passed": f"{int((card.table['status'] == _PASS).sum())}/{len(card.table)}",
                "passed": card.passed}
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index([str(n) for n in names], name="card"))
