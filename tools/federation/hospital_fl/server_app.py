"""The ServerApp: Flower's FedAvg over the hospitals' SuperNodes, evaluated on the common held-out set.

FedAvg (``flwr.serverapp.strategy.FedAvg``) weights each reply by its ``num-examples``,
exactly as ``course_lib.federated.weighted_average`` does. After the initial model and every
round the server evaluates the global model and rewrites ``results-path`` (JSON), which the
launcher (tools/run_federation.py) reads for its progress line and its final results.
"""
from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path

import numpy as np
from flwr.app import Array, ArrayRecord, ConfigRecord, Context, MetricRecord
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import FedAvg

from course_lib import federated as fl
from hospital_fl.task import load_records

app = ServerApp()


def _write(path: Path, results: dict) -> None:
    """Write atomically, so the launcher never reads half a file."""
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


@app.main()
def main(grid: Grid, context: Context) -> None:
    config = context.run_config
    rounds = int(config["num-server-rounds"])
    hospitals = int(config["num-hospitals"])
    path = Path(str(config["results-path"]))
    if not path.is_absolute():
        raise ValueError(f"results-path must be an absolute path outside the app, got {str(path)!r}")
    X_test, y_test = load_records(str(config["test-path"]))
    initial = np.zeros(X_test.shape[1] + 1)
    results = {
        "framework": f"flwr {metadata.version('flwr')}",
        "settings": {"rounds": rounds, "hospitals": hospitals, "local_epochs": int(config["local-epochs"]),
                     "learning_rate": float(config["learning-rate"])},
        "history": [],
        "complete": False,
    }

    def evaluate(server_round: int, arrays: ArrayRecord) -> MetricRecord:
        params = arrays["params"].numpy()
        row = {"round": server_round, "accuracy": fl.accuracy(params, X_test, y_test),
               "loss": fl.log_loss(params, X_test, y_test)}
        results["history"].append(row)
        results["params"] = [float(v) for v in params]
        _write(path, results)
        return MetricRecord({"accuracy": row["accuracy"], "loss": row["loss"]})

    strategy = FedAvg(fraction_train=1.0, fraction_evaluate=0.0, min_train_nodes=hospitals,
                      min_available_nodes=hospitals)
    strategy.start(
        grid=grid,
        initial_arrays=ArrayRecord({"params": Array(initial)}),
        num_rounds=rounds,
        train_config=ConfigRecord({"local-epochs": int(config["local-epochs"]),
                                   "learning-rate": float(config["learning-rate"])}),
        evaluate_fn=evaluate,
    )
    results["nodes"] = len(list(grid.get_node_ids()))
    results["complete"] = True
    _write(path, results)
