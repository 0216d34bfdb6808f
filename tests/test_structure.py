"""The package's structure: lesson modules share only the shared modules.

``course_lib`` has one module per lesson and a few shared modules (``data``, ``plotting``,
``models``, ``exercises`` and the private ``_checks``). A lesson module may use another
lesson module's *public* names (lesson 10 builds on all of them), never its private ones:
what another lesson keeps private can change without notice.
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "course_lib"
SHARED = {"__init__", "_checks", "data", "plotting", "models", "exercises"}
LESSON_MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.stem not in SHARED)


def _private_imports(path: Path) -> list[str]:
    """``module.name`` for every private name ``path`` takes from another lesson module."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lesson_names = {p.stem for p in LESSON_MODULES} - {path.stem}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "course_lib" and len(parts) > 1 and parts[1] in lesson_names:
                found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            if node.module == "course_lib":
                found += [f"course_lib.{a.name}" for a in node.names if a.name.startswith("_") and a.name != "_checks"]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in lesson_names and node.attr.startswith("_"):
                found.append(f"{node.value.id}.{node.attr}")
    return found


def test_lesson_modules_exist():
    assert {"basics", "crypto", "anonymize", "dp"} <= {p.stem for p in LESSON_MODULES}


@pytest.mark.parametrize("path", LESSON_MODULES, ids=[p.stem for p in LESSON_MODULES])
def test_no_lesson_module_imports_another_lessons_private_names(path):
    assert _private_imports(path) == [], (
        f"{path.name} uses private names of another lesson module; move what is shared into "
        "course_lib/_checks.py (validation) or course_lib/models.py (models), see CONTRIBUTING.md"
    )


def test_the_check_itself_catches_a_private_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from course_lib.dp import _rng, laplace_mechanism\nimport course_lib.dp as dp\nx = dp._positive\n")
    assert _private_imports(probe) == ["course_lib.dp._rng", "dp._positive"]


def test_every_module_opens_with_a_docstring_naming_its_role():
    for path in PACKAGE.glob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.name} has no module docstring"
        if path.stem not in SHARED:
            assert doc.startswith("Lesson "), f"{path.name}: a lesson module's docstring starts with 'Lesson NN'"
