"""The data both sides of the federation use: one file per hospital, one for the server's test set.

The launcher (tools/run_federation.py) cuts the course's training split by hospital with
``course_lib.federated.partition`` (exactly as the notebook does) and writes each hospital's
records to its own file in the run's temporary directory; each SuperNode is told the path
of its own file only (``--node-config data-path=...``), as a real hospital would read its own
records from its own systems. The server reads only the common held-out set
(``models.holdout_split``) it evaluates on. Processes here import NumPy and
``course_lib.federated`` only, because Flower starts one ClientApp process per message.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np


@cache
def load_records(path: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` from a ``.npz`` file written by the launcher."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no data file at {path!r}: start the federation with tools/run_federation.py")
    with np.load(file) as saved:
        return saved["X"], saved["y"]
