"""Assignment 09, reference submission: a membership-inference audit, a defence, and signed model files.

1. The loss-threshold attack (Yeom et al., CSF 2018): members tend to have a lower loss.
2. The defence: a forest whose leaves hold at least 25 patients cannot memorise single records.
3. Model files hold arrays only (``.npz``, loaded with ``allow_pickle=False``) and carry an
   Ed25519 signature over their exact bytes, verified before anything is parsed.
"""
from __future__ import annotations

import io
import os

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


def _loss(model, X, y) -> np.ndarray:
    """Cross-entropy of each record's TRUE label: -log p(y_i | x_i)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X must be 2-D with one row per label, got X {X.shape} and y {y.shape}")
    proba = model.predict_proba(X)
    column = np.searchsorted(model.classes_, y)
    return -np.log(np.clip(proba[np.arange(y.size), column], 1e-12, 1.0))


def attack_auc(model, X_members, y_members, X_non_members, y_non_members) -> float:
    """AUC of guessing "member" when the loss is low: 0.5 means the attack learns nothing."""
    scores = -np.concatenate([_loss(model, X_members, y_members), _loss(model, X_non_members, y_non_members)])
    truth = np.concatenate([np.ones(len(y_members)), np.zeros(len(y_non_members))])
    return float(roc_auc_score(truth, scores))


def defended_model(X_train, y_train) -> RandomForestClassifier:
    """A forest that cannot memorise: every leaf holds at least 25 training patients."""
    return RandomForestClassifier(n_estimators=30, min_samples_leaf=25, random_state=0, n_jobs=1).fit(X_train, y_train)


def save_model_signed(model: LogisticRegression, path: str | os.PathLike, private_key: Ed25519PrivateKey) -> bytes:
    """Write the model's arrays (no code, no pickle) to ``path``; return the Ed25519 signature of the file's bytes."""
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(f"private_key must be an Ed25519PrivateKey, got {type(private_key).__name__}")
    buffer = io.BytesIO()
    np.savez(buffer, coef=np.asarray(model.coef_, dtype=float), intercept=np.asarray(model.intercept_, dtype=float),
             classes=np.asarray(model.classes_))
    content = buffer.getvalue()
    with open(path, "wb") as handle:
        handle.write(content)
    return private_key.sign(content)


def load_model_verified(path: str | os.PathLike, signature: bytes, public_key: Ed25519PublicKey) -> LogisticRegression:
    """Read the file ONCE, verify the signature on those bytes (``InvalidSignature`` otherwise), then parse arrays only."""
    if not isinstance(public_key, Ed25519PublicKey):
        raise TypeError(f"public_key must be an Ed25519PublicKey, got {type(public_key).__name__}")
    with open(path, "rb") as handle:
        content = handle.read()
    public_key.verify(bytes(signature), content)          # raises cryptography.exceptions.InvalidSignature
    with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
        coef, intercept, classes = arrays["coef"], arrays["intercept"], arrays["classes"]
    model = LogisticRegression()
    model.coef_, model.intercept_, model.classes_ = coef, intercept, classes
    model.n_features_in_ = coef.shape[1]
    return model
