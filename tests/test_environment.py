"""Pinned dependencies: requirements.txt and environment.yml agree, every pin is exact."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), f"not pinned with ==: {line!r}"
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def _environment() -> tuple[dict[str, str], list[str]]:
    pip_pins, conda = {}, []
    in_pip = False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        if line.strip() == "- pip:":
            in_pip = True
            continue
        if in_pip and raw.startswith("      - "):
            name, version = line.strip()[2:].split("==")
            pip_pins[name.lower().replace("_", "-")] = version
        elif line.startswith("  - "):
            in_pip = False
            conda.append(line.strip()[2:])
    return pip_pins, conda


def test_requirements_and_environment_agree():
    req = _requirements()
    env, _ = _environment()
    assert req, "requirements.txt is empty"
    only_req = {k: v for k, v in req.items() if env.get(k) != v}
    only_env = {k: v for k, v in env.items() if req.get(k) != v}
    assert not only_req and not only_env, f"requirements.txt has {only_req}, environment.yml has {only_env}"


def test_environment_pins_the_python_ci_uses():
    _, conda = _environment()
    pythons = [c for c in conda if c.startswith("python")]
    assert pythons == [f"python={sys.version_info.major}.{sys.version_info.minor}"], pythons


def test_key_libraries_are_pinned():
    req = _requirements()
    for name in ["numpy", "pandas", "scikit-learn", "diffprivlib", "fairlearn", "shap", "cryptography", "nbval", "jupyterlab", "matplotlib"]:
        assert name in req, f"{name} is not pinned in requirements.txt"


def test_binder_postbuild_installs_course_lib():
    text = (ROOT / "postBuild").read_text()
    assert "set -e" in text and "pip install --no-deps -e ." in text
