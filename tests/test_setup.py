"""course_lib.setup, progress, quiet and versions."""
import random
import warnings

import matplotlib as mpl
import numpy as np
import pytest

import course_lib
from course_lib.plotting import COLORS


def test_setup_returns_seeded_generator_and_seeds_globals(capsys):
    rng = course_lib.setup(seed=7)
    first = (rng.random(), random.random(), np.random.random())  # noqa: NPY002
    rng = course_lib.setup(seed=7)
    assert (rng.random(), random.random(), np.random.random()) == first  # noqa: NPY002
    assert isinstance(rng, np.random.Generator)


def test_setup_prints_one_line_of_versions(capsys):
    course_lib.setup(seed=3)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "seed 3" in out[0] and "numpy " in out[0] and "python 3.11" in out[0]


def test_setup_applies_course_style():
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=["#123456"])
    course_lib.setup(show_versions=False)
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == COLORS


def test_setup_silences_only_the_listed_warnings():
    course_lib.setup(show_versions=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        course_lib.setup(show_versions=False)  # re-installs the benign filters on top
        warnings.warn("FigureCanvasAgg is non-interactive, and thus cannot be shown", UserWarning, stacklevel=1)
        warnings.warn("something the lesson must see", UserWarning, stacklevel=1)
    messages = [str(w.message) for w in caught]
    assert messages == ["something the lesson must see"]


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("0", TypeError), (True, TypeError)])
def test_setup_rejects_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        course_lib.setup(seed=seed, show_versions=False)


def test_quiet_switch_and_progress(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_QUIET", "1")
    assert course_lib.quiet()
    assert list(course_lib.progress(range(3), desc="x")) == [0, 1, 2]
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("COURSE_QUIET", "0")
    assert not course_lib.quiet()
    assert list(course_lib.progress(range(3), desc="loop")) == [0, 1, 2]
    assert "loop" in capsys.readouterr().err


def test_versions_reports_missing_packages():
    found = course_lib.versions(["numpy", "surely-not-installed-package"])
    assert found["numpy"] == np.__version__
    assert found["surely-not-installed-package"] == "missing"
    assert found["python"].startswith("3.")


def test_check_environment_matches_pins():
    assert course_lib.check_environment() == {}


def test_check_environment_reports_differences(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text(f"numpy=={np.__version__}\nnumpy-not-here==1.0\npandas==0.0.1  # too old\n")
    found = course_lib.check_environment(req)
    assert found["numpy-not-here"] == ("1.0", "missing")
    assert found["pandas"][0] == "0.0.1" and "numpy" not in found


def test_check_environment_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="requirements file not found"):
        course_lib.check_environment(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ValueError, match="pins no package"):
        course_lib.check_environment(empty)
