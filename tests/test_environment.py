"""Pinned dependencies: requirements.txt (the lessons), requirements-dev.txt (tests, browser
checks, website) and environment.yml (Binder: the lessons) agree, every pin is exact, and each
file pins what the code that needs it imports."""
import functools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _requirements(name: str = "requirements.txt") -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line == "-r requirements.txt" and name != "requirements.txt":
            continue
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
    req = _requirements() | _requirements("requirements-dev.txt")
    for name in ["numpy", "pandas", "scikit-learn", "diffprivlib", "fairlearn", "shap", "cryptography", "nbval", "jupyterlab", "matplotlib"]:
        assert name in req, f"{name} is not pinned in requirements.txt or requirements-dev.txt"


def test_binder_postbuild_installs_course_lib():
    text = (ROOT / "postBuild").read_text()
    assert "set -e" in text and "pip install --no-deps -e ." in text


# --- the student install and the development install ---------------------------------------

def test_dev_requirements_add_to_the_course_and_repeat_nothing():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    assert lines[0] == "-r requirements.txt", "requirements-dev.txt must start from the course's pins"
    dev, course = _requirements("requirements-dev.txt"), _requirements()
    assert dev, "requirements-dev.txt pins nothing"
    both = sorted(set(dev) & set(course))
    assert not both, f"pinned in both files (one place per pin): {both}"


def test_binder_gets_the_lessons_not_the_tools():
    env, _ = _environment()
    dev = _requirements("requirements-dev.txt")
    assert not set(env) & set(dev), f"environment.yml carries development tools: {sorted(set(env) & set(dev))}"


def _third_party_imports(paths: list[Path]) -> dict[str, set[str]]:
    """Top-level modules imported by the given .py files and notebooks' code cells -> files."""
    import ast
    import json

    found: dict[str, set[str]] = {}
    for path in paths:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        else:
            text = path.read_text(encoding="utf-8")
        modules = set()
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
        for module in modules:
            found.setdefault(module, set()).add(path.relative_to(ROOT).as_posix())
    # the repository's own modules: course_lib, the federation app, tools/ and tests/ imported by path
    local = {"course_lib", "hospital_fl", "conftest", "__future__", "tests", "tools", "generate", "submission"}
    local |= {p.stem for folder in ("tools", "tests") for p in (ROOT / folder).glob("*.py")}
    return {m: f for m, f in found.items() if m not in sys.stdlib_module_names and m not in local}


@functools.cache
def _module_owners() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return packages_distributions()


def _distributions(module: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in _module_owners().get(module, [])}


def test_the_course_install_pins_every_library_the_lessons_import():
    """What a student runs (notebooks, course_lib, the federation) needs only requirements.txt."""
    files = [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("course_lib/**/*.py"),
             *ROOT.glob("tools/federation/**/*.py"), ROOT / "tools" / "run_federation.py",
             ROOT / "tools" / "lab_settings.py"]
    course = set(_requirements())
    missing = {m: sorted(f)[:3] for m, f in _third_party_imports(files).items()
               if not _distributions(m) & course}
    assert not missing, f"imported by the lessons but not pinned in requirements.txt: {missing}"


def test_the_dev_install_pins_every_library_the_tests_and_tools_import():
    files = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("tools/*.py"), *ROOT.glob("datasets/*.py"),
             *ROOT.glob("instructors/**/*.py"), ROOT / "conftest.py"]
    pinned = set(_requirements()) | set(_requirements("requirements-dev.txt"))
    # playwright is imported by the browser test; _pytest/pluggy come with pytest
    allowed = {"_pytest", "pluggy"}
    missing = {m: sorted(f)[:3] for m, f in _third_party_imports(files).items()
               if m not in allowed and not _distributions(m) & pinned}
    assert not missing, f"imported by tests/tools but pinned in neither requirements file: {missing}"
