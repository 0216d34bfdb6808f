"""Measure every notebook: wall time and peak memory of its kernel, against the budgets.

Usage: ``make bench`` (all notebooks) or ``make bench NB=notebooks/04_differential_privacy.ipynb``.

Each notebook runs in its own child process (a fresh kernel, outputs discarded, nothing
written); peak memory is the largest resident set of that process's children, i.e. the
kernel, read with ``resource.getrusage(RUSAGE_CHILDREN)``. This is a measurement, not a
test: it never fails on timing. Budgets come from COURSE_DESIGN.md.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

NOTEBOOK_BUDGET_S = 60.0
COURSE_BUDGET_S = 300.0
MEMORY_BUDGET_MB = 1024.0


def _run_one(path: str) -> None:
    """Child mode: execute one notebook, print JSON with seconds and kernel peak MB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(Path(path).parent)}}
    ).execute()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kilobytes
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))


def main(paths: list[str]) -> int:
    os.environ.setdefault("COURSE_QUIET", "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rows = []
    for path in paths:
        proc = subprocess.run([sys.executable, __file__, "--one", path], capture_output=True, text=True)
        if proc.returncode != 0:
            rows.append((path, float("nan"), float("nan"), "FAILED: " + proc.stderr.strip().splitlines()[-1]))
            continue
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        verdict = "ok"
        if result["seconds"] > NOTEBOOK_BUDGET_S or result["peak_mb"] > MEMORY_BUDGET_MB:
            verdict = "OVER BUDGET"
        rows.append((path, result["seconds"], result["peak_mb"], verdict))
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'notebook':<{width}}  {'wall s':>7}  {'peak MB':>8}  verdict")
    for path, seconds, mb, verdict in rows:
        print(f"{path:<{width}}  {seconds:7.1f}  {mb:8.0f}  {verdict}")
    total = sum(r[1] for r in rows if r[1] == r[1])
    verdict = "ok" if total <= COURSE_BUDGET_S else "OVER BUDGET"
    print(f"{'total':<{width}}  {total:7.1f}  {'':>8}  {verdict} (budgets: {NOTEBOOK_BUDGET_S:.0f} s a notebook, "
          f"{COURSE_BUDGET_S:.0f} s the course, {MEMORY_BUDGET_MB:.0f} MB a kernel)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _run_one(sys.argv[2])
    else:
        sys.exit(main(sys.argv[1:] or sorted(str(p) for p in Path("notebooks").glob("*.ipynb"))))
