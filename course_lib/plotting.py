"""The course's one plot style and the plot helpers that several lessons share.

Colours come from the Okabe-Ito palette (Okabe & Ito, *Color Universal Design*, 2008),
which stays distinguishable under the common forms of colour-vision deficiency. The style is
set through ``matplotlib.rcParams`` directly, never through a library-named style sheet.
Helpers return the ``Axes`` they drew on and never call ``plt.show()``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from course_lib import _checks

#: Okabe-Ito colours, in the order plots use them.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS: list[str] = list(PALETTE.values())

STYLE: dict[str, object] = {
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.autolayout": True,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "font.size": 10,
    "image.cmap": "viridis",
}


def apply_style() -> None:
    """Apply the course style to matplotlib's global ``rcParams``."""
    mpl.rcParams.update(STYLE)


def get_ax(ax: Axes | None = None, **subplot_kw: object) -> Axes:
    """Return ``ax`` or, when it is None, the axes of a new figure."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
        return ax
    _, new = plt.subplots(**subplot_kw)
    return new


def bar(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    ax: Axes | None = None,
    fmt: str = "{:.2f}",
    color: str | Sequence[str] | None = None,
    title: str = "",
    ylabel: str = "",
) -> Axes:
    """Bar chart with each bar's value written above it (values must be finite numbers)."""
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
        raise TypeError(f"labels must be a sequence of labels, got {type(labels).__name__} {_checks.short_repr(labels)}")
    labels = [str(x) for x in labels]
    values = _checks.finite_array("values", values, ndim=1)
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format string such as '{{:.2f}}', got {type(fmt).__name__}")
    try:
        [fmt.format(v) for v in values[:1]]
    except (ValueError, IndexError, KeyError) as exc:
        raise ValueError(f"fmt must format one number, such as '{{:.2f}}', got {fmt!r}: {exc}") from None
    for name, text in (("title", title), ("ylabel", ylabel)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    if len(labels) != len(values):
        raise ValueError(f"labels and values must have the same length, got {len(labels)} and {len(values)}")
    ax = get_ax(ax)
    bars = ax.bar(labels, values, color=color if color is not None else COLORS[0])
    ax.bar_label(bars, labels=[fmt.format(v) for v in values], padding=2)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    return ax


def line_with_band(
    x: Sequence[float],
    mean: Sequence[float],
    spread: Sequence[float] | None = None,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    color: str | None = None,
    baseline: float | None = None,
    baseline_label: str = "baseline",
    logx: bool = False,
) -> Axes:
    """A line of means with a shaded band of +/- ``spread`` and an optional baseline.

    The shape of every trade-off plot in the course: privacy-utility curves (accuracy
    against epsilon), accuracy by federated round, fairness against accuracy.
    """
    logx = _checks.flag("logx", logx)
    x = _checks.finite_array("x", x)
    mean = _checks.finite_array("mean", mean)
    if baseline is not None:
        baseline = _checks.number("baseline", baseline)
    if logx and np.any(x <= 0):
        raise ValueError(f"x must be > 0 for a logarithmic axis (logx=True), got {x.min()}")
    if x.shape != mean.shape or x.ndim != 1:
        raise ValueError(f"x and mean must be 1-D of equal length, got shapes {x.shape} and {mean.shape}")
    ax = get_ax(ax)
    (line,) = ax.plot(x, mean, marker="o", label=label, color=color)
    if spread is not None:
        spread = _checks.finite_array("spread", spread)
        if spread.shape != mean.shape:
            raise ValueError(f"spread must have the shape of mean {mean.shape}, got {spread.shape}")
        ax.fill_between(x, mean - spread, mean + spread, alpha=0.2, color=line.get_color())
    if baseline is not None:
        ax.axhline(baseline, color=PALETTE["black"], linestyle="--", linewidth=1, label=baseline_label)
    if logx:
        ax.set_xscale("log")
    if label is not None or baseline is not None:
        ax.legend()
    return ax
