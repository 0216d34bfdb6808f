"""The shared argument checks (course_lib._checks): right values through, wrong ones named."""
import numpy as np
import pandas as pd
import pytest

from course_lib import _checks


def test_column_list_and_frame():
    assert _checks.column_list(("a", "b"), "cols") == ["a", "b"]
    with pytest.raises(TypeError, match="single string 'a'"):
        _checks.column_list("a", "cols")
    with pytest.raises(ValueError, match="at least one"):
        _checks.column_list([], "cols")
    with pytest.raises(ValueError, match="repeat"):
        _checks.column_list(["a", "a"], "cols")
    with pytest.raises(TypeError, match="cols must be a sequence"):
        _checks.column_list(3, "cols")
    df = pd.DataFrame({"a": [1]})
    assert _checks.check_frame(df, "df", ["a"]) is df
    with pytest.raises(TypeError, match="df must be a pandas DataFrame, got list"):
        _checks.check_frame([1], "df", [])
    with pytest.raises(ValueError, match="empty"):
        _checks.check_frame(df.iloc[:0], "df", [])
    with pytest.raises(ValueError, match=r"no column\(s\) \['b'\]"):
        _checks.check_frame(df, "df", ["b"])


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf")])
def test_positive_refuses(value):
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        _checks.epsilon(value)


@pytest.mark.parametrize("value", [True, "1", None, [1]])
def test_numbers_refuse_non_numbers(value):
    for check in (_checks.positive, _checks.number, _checks.non_negative):
        with pytest.raises(TypeError, match="x must be a number"):
            check("x", value)


def test_numbers_accept_numpy_scalars():
    assert _checks.positive("x", np.float32(2.5)) == 2.5
    assert _checks.number("x", np.int64(-3)) == -3.0
    assert _checks.non_negative("x", 0) == 0.0
    with pytest.raises(ValueError, match="x must be >= 0, got -1"):
        _checks.non_negative("x", -1)


def test_probability_bounds_and_integer():
    assert _checks.probability("p", 0.5) == 0.5
    assert _checks.probability("p", 1, closed=True) == 1.0
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="p must be strictly between 0 and 1"):
            _checks.probability("p", bad)
    assert _checks.bounds(0, 1) == (0.0, 1.0)
    with pytest.raises(ValueError, match="lower must be < upper"):
        _checks.bounds(1, 1)
    assert _checks.integer("k", np.int64(3), minimum=1) == 3
    with pytest.raises(TypeError, match="k must be an int, got bool"):
        _checks.integer("k", True)
    with pytest.raises(TypeError, match="k must be an int, got float"):
        _checks.integer("k", 3.0)
    with pytest.raises(ValueError, match="k must be an int from 1 to 5, got 6"):
        _checks.integer("k", 6, minimum=1, maximum=5)
    with pytest.raises(ValueError, match="k must be an int <= 5"):
        _checks.integer("k", 6, maximum=5)


def test_rng_and_arrays():
    g = np.random.default_rng(0)
    assert _checks.rng(g) is g
    assert isinstance(_checks.rng(None), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator or None, got int"):
        _checks.rng(0)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator or None, got RandomState"):
        _checks.rng(np.random.RandomState(0))
    assert _checks.finite_array("v", [1, 2]).dtype == float
    with pytest.raises(ValueError, match="v must be finite"):
        _checks.finite_array("v", [1, np.nan])
    with pytest.raises(TypeError, match="v must be numeric"):
        _checks.finite_array("v", "12")
    with pytest.raises(TypeError, match="v must be numeric"):
        _checks.finite_array("v", None)
    with pytest.raises(ValueError, match="v must be 2-D"):
        _checks.finite_array("v", [1, 2], ndim=2)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        _checks.non_empty("v", [])


def test_short_repr_cuts_long_values():
    assert _checks.short_repr("x" * 500).endswith("...")
    assert len(_checks.short_repr(list(range(1000)), 50)) == 50
