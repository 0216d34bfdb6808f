"""Assignment 06, a flawed submission (the lesson's common mistake): ciphertexts handed to the model object."""
from __future__ import annotations

import numpy as np


def encrypted_weighted_mean(encrypted_values, weights):
    """E(weighted mean) of the encrypted values."""
    values = list(encrypted_values)
    weights = [float(w) for w in weights]
    if not values or len(values) != len(weights):
        raise ValueError("need one weight per value")
    if min(weights) < 0 or sum(weights) == 0:
        raise ValueError("weights must be >= 0 and not all zero")
    total = values[0] * weights[0]
    for value, weight in zip(values[1:], weights[1:]):
        total = total + value * weight
    return total / sum(weights)


def encrypted_pipeline_score(public_key, pipeline, encrypted_features):
    """Score the encrypted patient: the pipeline scales the features and applies the model."""
    row = np.array([list(encrypted_features)], dtype=object)
    if row.shape[1] != pipeline.n_features_in_:
        raise ValueError("wrong number of features")
    return pipeline.decision_function(row)[0]
