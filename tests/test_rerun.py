"""Every notebook survives what an instructor does in class: re-running a cell right after
itself (Shift-Enter twice), and re-running the whole notebook in the same kernel.

One kernel per notebook: every code cell runs twice in a row, top to bottom, then every
code cell once more. Any error fails the test, naming the cell and the pass. Notebooks are
discovered, so a lesson added to ``notebooks/`` is covered without editing this file.
Deselect with ``-m "not rerun"`` (the test executes each notebook three times).

A cell that cannot repeat by nature (it spends a budget, stops a server) must detect that
it already ran and print a clear sentence instead of raising; a cell tagged
``raises-exception`` (an error shown on purpose) may raise.

A fast static test checks the other half of re-running in class: an exercise's starter cell
never assigns a name that the lecture assigns, so re-running a lecture cell after the
exercises still finds the lecture's values.
"""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _top_level_names(source: str) -> set[str]:
    """Names a cell binds in the notebook's namespace (not the locals of functions it defines)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics; the course's notebooks have none
        return set()
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return  # their bodies bind locals
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _is_starter(source: str) -> bool:
    return "____" in source or ".check(" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercise_starters_never_overwrite_lecture_variables(path: Path) -> None:
    cells = nbformat.read(path, as_version=4).cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises")]
    assert starts, f"{path.name} has no '## Exercises' section"
    lecture = set().union(*(_top_level_names(c.source) for c in cells[: starts[0]] if c.cell_type == "code"))
    lecture -= {"____", "_"}  # "_" is a throwaway, never a lecture variable
    for cell in cells[starts[0]:]:
        if cell.cell_type == "code" and _is_starter(cell.source):
            clash = sorted(_top_level_names(cell.source) & lecture)
            assert not clash, (
                f"{path.name}: the exercise cell starting {cell.source.strip().splitlines()[0]!r} assigns {clash}, "
                "which the lecture also uses: give the exercise its own names"
            )


def test_top_level_names_skip_function_locals() -> None:
    source = "import numpy as np\nx, y = 1, 2\ndef f(a):\n    local = a\n    return local\nfor i in range(2):\n    z = i\n"
    assert _top_level_names(source) == {"np", "x", "y", "f", "i", "z"}


def _run(client: NotebookClient, cell: nbformat.NotebookNode, index: int, what: str) -> None:
    try:
        client.execute_cell(cell, index)
    except CellExecutionError as exc:
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        pytest.fail(f"cell {index} ({first_line!r}) failed on {what}: {exc.ename}: {exc.evalue}", pytrace=False)


@pytest.mark.rerun
@pytest.mark.timeout(3600)  # three runs of a notebook; the suite's 600 s is for one test of ordinary size
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_cells_rerun_twice_then_whole_notebook_again(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    client = NotebookClient(
        nb,
        timeout=600,  # per cell; a loaded classroom server is slow
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
        record_timing=False,
    )
    with client.setup_kernel():  # nbclient lets cells tagged raises-exception raise
        for index, cell in cells:
            _run(client, cell, index, "its first run")
            _run(client, cell, index, "its immediate re-run (Shift-Enter twice)")
        for index, cell in cells:
            _run(client, cell, index, "the re-run of the whole notebook in the same kernel")
