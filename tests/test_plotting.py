"""course_lib.plotting: one style, colour-blind-safe palette, shared helpers."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plotting  # noqa: E402


def teardown_function():
    plt.close("all")


def test_palette_is_okabe_ito_and_distinct():
    assert len(set(plotting.COLORS)) == len(plotting.COLORS) == 8
    assert plotting.PALETTE["blue"] == "#0072B2"


def test_apply_style_sets_rcparams():
    plotting.apply_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == plotting.COLORS


def test_get_ax_new_and_given():
    ax = plotting.get_ax()
    assert plotting.get_ax(ax) is ax
    with pytest.raises(TypeError, match="ax must be"):
        plotting.get_ax("not axes")


def test_bar_labels_each_bar():
    ax = plotting.bar(["a", "b"], [0.25, 0.5], title="t")
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["0.25", "0.50"]
    assert ax.get_title() == "t"


def test_bar_rejects_length_mismatch():
    with pytest.raises(ValueError, match="same length"):
        plotting.bar(["a"], [1, 2])


def test_line_with_band_draws_line_band_and_baseline():
    ax = plotting.line_with_band([0.1, 1, 10], [0.5, 0.7, 0.9], [0.05, 0.03, 0.01], baseline=0.95, logx=True, label="dp")
    assert len(ax.lines) == 2  # the curve and the baseline
    assert len(ax.collections) == 1  # the band
    assert ax.get_xscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 0.7, 0.9])


@pytest.mark.parametrize("x, mean, spread", [([1, 2], [1], None), ([1, 2], [1, 2], [1])])
def test_line_with_band_rejects_bad_shapes(x, mean, spread):
    with pytest.raises(ValueError):
        plotting.line_with_band(x, mean, spread)
