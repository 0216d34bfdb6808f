"""Instructor tests for assignment 09 (attacks and defences): run them on one student's submission.

    SUBMISSION_DIR=path/to/student PYTHONPATH=. python -m pytest -o addopts="" -p no:cacheprovider -q \
        instructors/assignments/09_attacks_and_defences/test_submission.py

The audit is compared with ``course_lib.attacks.membership_inference_auc`` on the course's
common split; the defence is attacked the same way; model files are written only to pytest's
``tmp_path``, and the "malicious" files can do no more than create an empty marker folder there.
No network.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from course_lib import attacks, data, models

MAX_AUC = 0.56          # the defended model's attack AUC (0.5 = a coin toss)
MIN_ACCURACY = 0.66     # its held-out accuracy (majority class: about 0.60; logistic regression 0.69)
N_MEMBERS = 1500


def _function(submission, name):
    value = getattr(submission, name, None)
    if not callable(value):
        pytest.fail(f"submission.py must define a function {name}(...)", pytrace=False)
    return value


@pytest.fixture(scope="module")
def split():
    train, test = models.holdout_split(data.load_patients())
    X_train, y_train = models.clinical_matrix(train)
    X_test, y_test = models.clinical_matrix(test)
    return X_train, y_train, X_test, y_test


@pytest.fixture(scope="module")
def overfit(split):
    X_train, y_train, _, _ = split
    return RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=1).fit(X_train, y_train)


@pytest.fixture(scope="module")
def linear(split):
    X_train, y_train, _, _ = split
    return LogisticRegression(random_state=0).fit(X_train, y_train)


def _audit(model, split):
    X_train, y_train, X_test, y_test = split
    return (model, X_train[:N_MEMBERS], y_train[:N_MEMBERS], X_test, y_test)


# --------------------------------------------------------------------------------------
# Part 1: the audit
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["overfit", "linear"])
def test_attack_auc_matches_the_loss_threshold_attack(submission, split, which, request):
    model = request.getfixturevalue(which)
    expected = attacks.membership_inference_auc(*_audit(model, split))
    assert _function(submission, "attack_auc")(*_audit(model, split)) == pytest.approx(expected, abs=1e-9)


def test_attack_auc_swaps_to_one_minus(submission, overfit, split):
    model, X_m, y_m, X_n, y_n = _audit(overfit, split)
    auc = _function(submission, "attack_auc")
    assert auc(model, X_n, y_n, X_m, y_m) == pytest.approx(1 - auc(model, X_m, y_m, X_n, y_n), abs=1e-9)


# --------------------------------------------------------------------------------------
# Part 2: the defence
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def defended(submission, split):
    X_train, y_train, _, _ = split
    model = _function(submission, "defended_model")(X_train.copy(), y_train.copy())
    if not hasattr(model, "predict_proba"):
        pytest.fail(f"defended_model must return a fitted classifier with predict_proba, got {type(model).__name__}",
                    pytrace=False)
    return model


def test_defence_lowers_the_attack_auc(defended, overfit, split):
    undefended = attacks.membership_inference_auc(*_audit(overfit, split))
    auc = attacks.membership_inference_auc(*_audit(defended, split))
    assert undefended > 0.75, f"sanity: the fully grown forest should leak (AUC {undefended:.3f})"
    assert auc <= MAX_AUC, f"the defended model's attack AUC is {auc:.3f}, above {MAX_AUC}"


def test_defence_keeps_accuracy(defended, split):
    _, _, X_test, y_test = split
    accuracy = float(np.mean(defended.predict(X_test) == y_test))
    assert accuracy >= MIN_ACCURACY, f"held-out accuracy {accuracy:.3f} < {MIN_ACCURACY}: the defence costs too much"


# --------------------------------------------------------------------------------------
# Part 3: signed model files
# --------------------------------------------------------------------------------------


class _Payload:
    """Unpickling this creates a folder: a harmless stand-in for 'runs any code on load'."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


@pytest.fixture(scope="module")
def signer():
    key = Ed25519PrivateKey.generate()
    return key, key.public_key()


def test_signed_model_round_trip_predicts_the_same(submission, linear, split, signer, tmp_path):
    private_key, public_key = signer
    path = tmp_path / "model.bin"
    signature = _function(submission, "save_model_signed")(linear, path, private_key)
    loaded = _function(submission, "load_model_verified")(path, signature, public_key)
    _, _, X_test, _ = split
    assert np.allclose(loaded.predict_proba(X_test), linear.predict_proba(X_test), atol=1e-12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bin"], "write only the file you were given"


def test_substituted_file_is_rejected(submission, linear, split, signer, tmp_path):
    private_key, public_key = signer
    X_train, y_train, _, _ = split
    path = tmp_path / "model.bin"
    signature = _function(submission, "save_model_signed")(linear, path, private_key)
    other = LogisticRegression(C=0.01, random_state=0).fit(X_train, y_train)
    _function(submission, "save_model_signed")(other, path, Ed25519PrivateKey.generate())   # an attacker's file
    with pytest.raises(InvalidSignature):
        _function(submission, "load_model_verified")(path, signature, public_key)


def test_wrong_public_key_is_rejected(submission, linear, signer, tmp_path):
    private_key, _ = signer
    path = tmp_path / "model.bin"
    signature = _function(submission, "save_model_signed")(linear, path, private_key)
    with pytest.raises(InvalidSignature):
        _function(submission, "load_model_verified")(path, signature, Ed25519PrivateKey.generate().public_key())


def test_malicious_file_never_runs(submission, signer, tmp_path):
    _, public_key = signer
    marker = tmp_path / "code_ran"
    path = tmp_path / "model.bin"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(InvalidSignature):
        _function(submission, "load_model_verified")(path, bytes(64), public_key)
    assert not marker.exists(), "the file's code ran before the signature was checked"


def test_signed_pickle_is_not_unpickled(submission, signer, tmp_path):
    private_key, public_key = signer
    marker = tmp_path / "code_ran"
    path = tmp_path / "model.bin"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    signature = private_key.sign(path.read_bytes())          # a signer tricked into signing a pickle
    try:
        _function(submission, "load_model_verified")(path, signature, public_key)
    except Exception:  # refusing the file is the right outcome; running it is not
        pass
    assert not marker.exists(), "a pickle was unpickled: a safe format holds arrays only (allow_pickle=False)"
