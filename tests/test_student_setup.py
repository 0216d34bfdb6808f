"""The student set-up (issue 19, part 1): the Python check that runs before any download,
JupyterLab's course defaults (no news prompt), the setup page and the one-line check."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import course_lib

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")


def _fake_python(tmp_path: Path, version: str) -> Path:
    """An executable that answers like a Python of `version` to the Makefile's check."""
    fake = tmp_path / f"python{version}"
    fake.write_text(f"#!/bin/sh\necho {version}\n")
    fake.chmod(0o755)
    return fake


def _make(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    venv = tmp_path / "venv"  # never the repository's .venv
    return subprocess.run([MAKE, "-s", "-C", str(ROOT), *args, f"VENV={venv}"], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["lab", "test", "python-check"])
def test_make_stops_on_an_unsupported_python_before_installing_anything(tmp_path, target):
    fake = _fake_python(tmp_path, "3.10")
    start = time.monotonic()
    result = _make(tmp_path, target, f"PYTHON={fake}")
    assert result.returncode != 0
    assert "The course needs Python 3.11" in result.stderr and "is Python 3.10" in result.stderr, result.stderr
    assert "book/setup.md" in result.stderr, "the message points to the setup page"
    assert not (tmp_path / "venv").exists(), "no virtual environment may be created"
    assert "pip" not in result.stdout + result.stderr.split("The course needs")[0]
    assert time.monotonic() - start < 30


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_accepts_the_supported_python(tmp_path):
    result = _make(tmp_path, "python-check", f"PYTHON={sys.executable}")
    assert sys.version_info[:2] == (3, 11), "the suite itself runs on the supported Python"
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_reports_a_missing_python(tmp_path):
    result = _make(tmp_path, "python-check", f"PYTHON={tmp_path / 'no-such-python'}")
    assert result.returncode != 0 and "Python unknown" in result.stderr, result.stderr


def test_makefile_and_course_lib_name_the_same_python():
    makefile = (ROOT / "Makefile").read_text()
    assert f"SUPPORTED_PYTHON := {course_lib.SUPPORTED_PYTHON}" in makefile
    env = (ROOT / "environment.yml").read_text()
    assert f"python={course_lib.SUPPORTED_PYTHON}" in env


def test_check_environment_reports_the_python_version(monkeypatch):
    monkeypatch.setattr(course_lib, "_running_python", lambda: "3.12")
    assert course_lib.check_environment()["python"] == ("3.11", "3.12")


def test_check_environment_is_empty_here():
    assert course_lib.check_environment() == {}, "the test environment is exactly the course's pins"


# --- JupyterLab opens without the news prompt ------------------------------------------------

def _lab_settings():
    spec = importlib.util.spec_from_file_location("lab_settings", ROOT / "tools" / "lab_settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lab_settings_merge_into_an_existing_overrides_file(tmp_path):
    lab_settings = _lab_settings()
    path = lab_settings.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                "@jupyterlab/apputils-extension:notification": {"doNotDisturbMode": True}}))
    assert lab_settings.install(tmp_path) == path
    written = json.loads(path.read_text())
    assert written["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert written["@jupyterlab/apputils-extension:notification"] == {
        "doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False}
    lab_settings.install(tmp_path)  # twice in a row: same file
    assert json.loads(path.read_text()) == written


def test_lab_settings_refuse_a_missing_prefix_and_a_bad_file(tmp_path):
    lab_settings = _lab_settings()
    with pytest.raises(ValueError, match="prefix must be an existing environment directory"):
        lab_settings.install(tmp_path / "nowhere")
    path = lab_settings.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="must hold a JSON object"):
        lab_settings.install(tmp_path)


def test_the_settings_are_valid_for_this_jupyterlab():
    """Every overridden key exists in the installed JupyterLab's schema, with an allowed value."""
    lab_settings = _lab_settings()
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    for plugin, values in lab_settings.OVERRIDES.items():
        package, name = plugin.rsplit(":", 1)
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        for key, value in values.items():
            assert key in schema["properties"], f"{plugin} has no setting {key}"
            spec = schema["properties"][key]
            allowed = [option["const"] for option in spec.get("oneOf", [])]
            assert not allowed or value in allowed, f"{plugin}.{key}={value!r} not in {allowed}"


def test_make_and_binder_install_the_lab_settings():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/python tools/lab_settings.py" in makefile
    postbuild = (ROOT / "postBuild").read_text()
    assert "python tools/lab_settings.py" in postbuild
    installed = _lab_settings().overrides_path(sys.prefix)
    assert installed.exists(), f"{installed} is missing: run `make test`, which installs it"
    notification = json.loads(installed.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false"


# --- the setup page --------------------------------------------------------------------------

def test_setup_page_is_linked_first_from_the_readme_and_is_in_the_book():
    readme = (ROOT / "README.md").read_text()
    first_link = readme.index("](", readme.index("badge_logo.svg") + 20)
    assert readme[first_link:].startswith("](book/setup.md)"), "the first link after the badge is the setup page"
    assert "file: book/setup" in (ROOT / "book" / "_toc.yml").read_text()


def test_setup_page_covers_what_a_student_needs_on_the_day():
    page = (ROOT / "book" / "setup.md").read_text()
    for needle in ["git clone", "Download ZIP", "Python 3.11", "conda env create -f environment.yml",
                   "WSL 2", "course_lib.check_environment()", "git restore", "Binder", "Download",
                   "10 minutes", "make lab"]:
        assert needle in page, f"the setup page does not mention {needle!r}"
    # the plain commands for a machine without make are the Makefile's own steps
    makefile = (ROOT / "Makefile").read_text()
    for step in ["-r requirements.txt", "--no-deps -e .", "tools/lab_settings.py"]:
        assert step in makefile and step in page, step

