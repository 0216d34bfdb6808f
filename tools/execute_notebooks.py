"""Re-execute notebooks in place so their committed outputs are what a fresh run produces.

Usage: ``make outputs`` (all notebooks) or ``make outputs NB=notebooks/01_privacy_basics.ipynb``.
Runs each notebook top to bottom in a fresh kernel from ``notebooks/`` with progress bars off
(``COURSE_QUIET=1``), keeps execution counts, records no timings, and stops at the first
error unless the cell is tagged ``raises-exception``.

Cells without slide metadata get the course default first (see :func:`default_slide_type`),
so a lesson written in JupyterLab presents as a deck without setting every cell by hand;
cells that already carry ``slideshow.slide_type`` keep it.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def default_slide_type(cell: nbformat.NotebookNode) -> str:
    """``#``/``##`` headings start a slide, ``###`` a sub-slide, everything else continues."""
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.setdefault("slideshow", {"slide_type": default_slide_type(cell)})
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> int:
    os.environ.setdefault("COURSE_QUIET", "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    for name in paths:
        path = Path(name)
        print(f"executing {path} ...", flush=True)
        print(f"  done in {execute(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sorted(str(p) for p in Path("notebooks").glob("*.ipynb"))))
