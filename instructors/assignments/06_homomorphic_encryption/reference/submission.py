"""Assignment 06, reference submission: an encrypted weighted mean and encrypted scoring of a scaled pipeline.

The server-side functions receive ciphertexts and public material only. They use the two
operations Paillier supports: adding ciphertexts, and multiplying a ciphertext by a plain number.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from phe import paillier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from course_lib import he


def encrypted_weighted_mean(encrypted_values: Sequence[paillier.EncryptedNumber],
                            weights: Sequence[float]) -> paillier.EncryptedNumber:
    """E(sum w_i x_i / sum w_i) from the hospitals' E(x_i) and their public, plain weights (e.g. sizes).

    Dividing by the plain total is a multiplication by the plain number 1 / total, which Paillier allows.
    """
    values = list(encrypted_values)
    w = np.asarray(weights, dtype=float).ravel()
    if len(values) == 0:
        raise ValueError("encrypted_values must hold at least one ciphertext, got none")
    if w.size != len(values):
        raise ValueError(f"weights must have one weight per value, got {w.size} weights for {len(values)} values")
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise ValueError(f"weights must be finite and >= 0, got {w.tolist()}")
    total = float(w.sum())
    if total <= 0:
        raise ValueError(f"weights must not all be zero, got {w.tolist()}")
    for i, value in enumerate(values):
        if not isinstance(value, paillier.EncryptedNumber):
            raise TypeError(f"encrypted_values[{i}] must be a phe EncryptedNumber, got {type(value).__name__}")
    weighted = values[0] * float(w[0])
    for value, weight in zip(values[1:], w[1:], strict=True):
        weighted = weighted + value * float(weight)
    return weighted * (1.0 / total)


def encrypted_pipeline_score(public_key: paillier.PaillierPublicKey, pipeline: Pipeline,
                             encrypted_features: Sequence[paillier.EncryptedNumber]) -> paillier.EncryptedNumber:
    """E(decision_function(x)) of a StandardScaler + LogisticRegression pipeline, from the raw features E(x_i).

    The scaling is linear, so the server folds it into the weights:
    w . ((x - m) / s) + b = sum (w_i / s_i) x_i + (b - sum w_i m_i / s_i).
    """
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        raise TypeError(f"pipeline must be a fitted Pipeline(StandardScaler, LogisticRegression), got {type(pipeline).__name__}")
    scaler, model = pipeline[0], pipeline[-1]
    if not isinstance(scaler, StandardScaler) or not isinstance(model, LogisticRegression):
        raise TypeError("pipeline must be StandardScaler then LogisticRegression, got "
                        f"{type(scaler).__name__} then {type(model).__name__}")
    w = model.coef_[0]
    mean = scaler.mean_ if scaler.with_mean else np.zeros_like(w)
    scale = scaler.scale_ if scaler.with_std else np.ones_like(w)
    folded = w / scale
    bias = float(model.intercept_[0] - np.sum(w * mean / scale))
    if not math.isfinite(bias):
        raise ValueError("the pipeline's parameters are not finite")
    # course_lib checks lengths and keys, and uses only ciphertext * plain and ciphertext + ciphertext
    return he.encrypted_linear_score(public_key, folded, bias, list(encrypted_features))
