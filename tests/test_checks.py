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


# ---------------------------------------------------------------- helpers added for issue 18


def test_path_refuses_what_would_touch_the_wrong_place(tmp_path):
    assert _checks.path("p", str(tmp_path)) == tmp_path
    for bad in (None, 0, 1.5, True, b"x", ["a"]):
        with pytest.raises(TypeError, match="p must be a path"):
            _checks.path("p", bad)
    for bad in ("", "   "):  # (Path("") is already Path("."): only the string can be caught)
        with pytest.raises(ValueError, match="p must be a non-empty path"):
            _checks.path("p", bad)
    with pytest.raises(ValueError, match="NUL"):
        _checks.path("p", "a\x00b")
    with pytest.raises(ValueError, match="p must be a file, got the directory"):
        _checks.path("p", tmp_path, kind="file")
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="p must be a directory, got the file"):
        _checks.path("p", tmp_path / "f", kind="dir")
    with pytest.raises(FileNotFoundError, match="p does not exist"):
        _checks.path("p", tmp_path / "missing", must_exist=True)
    with pytest.raises(ValueError, match="kind must be"):
        _checks.path("p", tmp_path, kind="socket")


def test_text_flag_one_of():
    assert _checks.text("s", "ok") == "ok"
    assert _checks.text("s", "", allow_empty=True) == ""
    with pytest.raises(TypeError, match="s must be a str, got NoneType"):
        _checks.text("s", None)
    with pytest.raises(ValueError, match="s must be a non-empty string"):
        _checks.text("s", "  ")
    with pytest.raises(ValueError, match="s must be at most 3 characters"):
        _checks.text("s", "abcd", max_length=3)
    assert _checks.flag("f", np.bool_(True)) is True
    for bad in ("no", 0, None):
        with pytest.raises(TypeError, match="f must be True or False"):
            _checks.flag("f", bad)
    assert _checks.one_of("u", "day", ["day", "year"]) == "day"
    for bad in ("week", ["day"], True, None):
        with pytest.raises(ValueError, match="u must be one of"):
            _checks.one_of("u", bad, ["day", "year"])


def test_timestamp_refuses_numbers_and_missing_dates():
    import datetime as dt

    assert _checks.timestamp("d", "2025-12-31") == pd.Timestamp("2025-12-31")
    assert _checks.timestamp("d", dt.date(2025, 1, 2)) == pd.Timestamp("2025-01-02")
    assert _checks.timestamp("d", np.datetime64("2025-01-02")) == pd.Timestamp("2025-01-02")
    for bad in (None, 2025, 5.0, True, pd.NaT, [2025]):
        with pytest.raises(TypeError, match="d must be a date"):
            _checks.timestamp("d", bad)
    for bad in ("", "yesterday", "31/12/2025", "2025-13-45"):
        with pytest.raises(ValueError, match="d "):
            _checks.timestamp("d", bad)
    with pytest.raises(ValueError, match="d must be a date, got a missing value"):
        _checks.timestamp("d", np.datetime64("NaT"))


def test_finite_result():
    assert _checks.finite_result("x", 1.0, "why") == 1.0
    with pytest.raises(ValueError, match="x is not finite \\(inf\\): epsilon too small"):
        _checks.finite_result("x", float("inf"), "epsilon too small")


def test_non_negative_turns_negative_zero_into_zero():
    assert str(_checks.non_negative("x", -0.0)) == "0.0"
    assert str(_checks.non_negative("x", np.float32(-0.0))) == "0.0"
