"""Lesson 05's Flower federation (`make federation`, tools/run_federation.py), run for real.

A SuperLink and five SuperNodes on 127.0.0.1 over TLS, offline (telemetry and update checks
off). The run writes to a temporary directory, never into the repository. Checked: it
finishes within its time limit; its accuracy after every round equals the notebook's FedAvg
(``course_lib.federated.fedavg`` with the same settings) within ``ACCURACY_TOLERANCE`` and its
final parameters within ``PARAMS_TOLERANCE``; the committed ``tools/federation/results.json``
(which the notebook reads) agrees with the fresh run; no process of the run is left behind,
after a normal end and after Ctrl-C; a port already taken gives a clear error and starts nothing.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from course_lib import data, models
from course_lib import federated as fl

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "run_federation.py"
COMMITTED = ROOT / "tools" / "federation" / "results.json"
#: Flower's FedAvg and course_lib's do the same float64 arithmetic (measured difference 1e-16);
#: the tolerances allow for a different BLAS summation order on another machine, and
#: 0.001 accuracy is less than two of the 1,500 held-out patients.
ACCURACY_TOLERANCE = 1e-3
PARAMS_TOLERANCE = 1e-9
#: `make federation` takes about 1 minute on an idle 2-core machine, 3 on a loaded one.
TIME_LIMIT = 360

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc to find processes")

sys.path.insert(0, str(ROOT / "tools"))
from run_federation import MARKER, processes_of_run  # noqa: E402


def _env(run_id: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({MARKER: run_id, "FLWR_TELEMETRY_ENABLED": "0", "FLWR_DISABLE_UPDATE_CHECK": "1",
                "PYTHONPATH": str(ROOT), "COURSE_QUIET": "1"})
    return env


def _wait_gone(run_id: str, seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_of_run(run_id)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def _notebook_fedavg(rounds: int):
    train, test = models.holdout_split(data.load_patients())
    X, y = models.clinical_matrix(train)
    clients = fl.partition(X, y, train["hospital"].to_numpy())
    return fl.fedavg(clients, test=models.clinical_matrix(test), rounds=rounds)


def _agree(results: dict, params: np.ndarray, history) -> None:
    assert [row["round"] for row in results["history"]] == history["round"].tolist()
    flower = np.array([row["accuracy"] for row in results["history"]])
    assert np.allclose(flower, history["accuracy"], atol=ACCURACY_TOLERANCE, rtol=0), (flower, history["accuracy"])
    assert np.allclose(results["params"], params, atol=PARAMS_TOLERANCE, rtol=0)


def test_committed_results_match_the_notebooks_fedavg():
    results = json.loads(COMMITTED.read_text(encoding="utf-8"))
    settings = results["settings"]
    assert settings == {"rounds": 3, "hospitals": 5, "local_epochs": 5, "learning_rate": 1.0}
    assert results["nodes"] == 5 and results["transport"].startswith("TLS")
    params, history = _notebook_fedavg(settings["rounds"])
    _agree(results, params, history)


@pytest.mark.timeout(TIME_LIMIT + 60)
def test_flower_federation_matches_fedavg_and_the_committed_json_and_leaves_no_process(tmp_path):
    run_id = uuid.uuid4().hex
    output = tmp_path / "results.json"
    before = COMMITTED.read_bytes()
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(LAUNCHER), "--output", str(output), "--port", "0",
                           "--timeout", str(TIME_LIMIT - 30)],
                          env=_env(run_id), capture_output=True, text=True, timeout=TIME_LIMIT, cwd=tmp_path)
    seconds = time.monotonic() - start
    left = _wait_gone(run_id)
    assert not left, f"processes left behind by the federation: {left}"
    assert done.returncode == 0, f"make federation failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert seconds < TIME_LIMIT
    progress = [line for line in done.stdout.splitlines() if "round " in line]
    assert len(progress) == 3, f"one progress line per round expected:\n{done.stdout}"
    fresh = json.loads(output.read_text(encoding="utf-8"))
    params, history = _notebook_fedavg(3)
    _agree(fresh, params, history)
    committed = json.loads(before)
    assert COMMITTED.read_bytes() == before, "the test run must not rewrite the committed results"
    assert committed.keys() == fresh.keys()
    for key in committed:
        if key in ("history", "params"):
            continue
        assert committed[key] == fresh[key], key
    _agree(committed, np.array(fresh["params"]), history)


@pytest.mark.timeout(TIME_LIMIT)
def test_ctrl_c_stops_every_process(tmp_path):
    run_id = uuid.uuid4().hex
    launcher = subprocess.Popen([sys.executable, str(LAUNCHER), "--output", str(tmp_path / "r.json"), "--port", "0"],
                                env=_env(run_id), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=tmp_path)
    lines = []
    try:
        for line in launcher.stdout:  # wait until the SuperLink, the SuperNodes and the ServerApp are all up
            lines.append(line)
            if "initial model" in line or "FAILED" in line:
                break
        assert any("initial model" in line for line in lines), "".join(lines)
        assert len(processes_of_run(run_id)) >= 7, "the SuperLink, five SuperNodes and the launcher should be running"
        launcher.send_signal(signal.SIGINT)
        rest, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == 130, "".join(lines) + rest
    assert "interrupted" in rest
    assert not _wait_gone(run_id), "processes left behind after Ctrl-C"
    assert not (tmp_path / "r.json").exists()


def test_a_port_already_taken_gives_a_clear_error_and_starts_nothing(tmp_path):
    run_id = uuid.uuid4().hex
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(LAUNCHER), "--output", str(tmp_path / "r.json"), "--port", str(port)],
                              env=_env(run_id), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"port {port} on 127.0.0.1" in done.stderr and "already taken" in done.stderr
    assert not (tmp_path / "r.json").exists() and not processes_of_run(run_id)


def test_make_federation_runs_the_launcher():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nfederation:", 1)[1].split("\n\n", 1)[0]
    assert "tools/run_federation.py" in target and ".PHONY: federation" in makefile
