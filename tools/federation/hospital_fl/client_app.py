"""The ClientApp: one hospital. It receives the global parameters, runs local gradient descent
on its own patients (course_lib.federated.local_train, as in the notebook) and replies with
the new parameters and its number of records, FedAvg's weight. Records never leave it.
"""
from __future__ import annotations

from flwr.app import Array, ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from course_lib import federated as fl
from hospital_fl.task import load_records

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    X, y = load_records(str(context.node_config["data-path"]))
    params = msg.content["arrays"]["params"].numpy()
    config = msg.content["config"]
    trained = fl.local_train(params, X, y, epochs=int(config["local-epochs"]),
                             learning_rate=float(config["learning-rate"]))
    reply = RecordDict({
        "arrays": ArrayRecord({"params": Array(trained)}),
        "metrics": MetricRecord({"num-examples": int(len(y))}),
    })
    return Message(content=reply, reply_to=msg)
