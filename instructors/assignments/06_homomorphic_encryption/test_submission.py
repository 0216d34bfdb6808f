"""Instructor tests for assignment 06 (homomorphic encryption): run them on one student's submission.

    SUBMISSION_DIR=path/to/student PYTHONPATH=. python -m pytest -o addopts="" -p no:cacheprovider -q \
        instructors/assignments/06_homomorphic_encryption/test_submission.py

Every test encrypts with its own phe key pair (512 bits: fast, and insecure; fine for checking
arithmetic), calls the student's server-side functions with ciphertexts and public material
only, decrypts the result itself and compares it with the plaintext computation. No network;
nothing is written anywhere.
"""
from __future__ import annotations

import numpy as np
import pytest
from phe import paillier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from course_lib import data, models

#: The raw clinical columns the partner's pipeline is trained on (the assignment names them).
RAW_FEATURES = ["age", "bmi", "systolic_bp", "hba1c", "smoker", "prior_admissions", "length_of_stay"]


def _function(submission, name):
    value = getattr(submission, name, None)
    if not callable(value):
        pytest.fail(f"submission.py must define a function {name}(...)", pytrace=False)
    return value


@pytest.fixture(scope="module")
def keys():
    return paillier.generate_paillier_keypair(n_length=512)


@pytest.fixture(scope="module")
def partner():
    """The partner's pipeline, on the course's common split, and five new patients' raw features."""
    train, test = models.holdout_split(data.load_patients())
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(random_state=0))
    pipeline.fit(train[RAW_FEATURES].to_numpy(dtype=float), train[models.TARGET].to_numpy())
    return pipeline, test[RAW_FEATURES].to_numpy(dtype=float)[:5]


@pytest.fixture()
def no_decryption(monkeypatch):
    """Any attempt to decrypt while the server runs fails the test: the server holds no private key."""
    def refuse(*args, **kwargs):
        raise AssertionError("the server decrypted a value: only the key holder may decrypt, and only the result")

    monkeypatch.setattr(paillier.PaillierPrivateKey, "decrypt", refuse)
    monkeypatch.setattr(paillier.PaillierPrivateKey, "raw_decrypt", refuse)


# --------------------------------------------------------------------------------------
# Part 1: the encrypted weighted mean
# --------------------------------------------------------------------------------------

CASES = [
    ([0.31, 0.42, 0.27, 0.35, 0.5], [1200, 800, 650, 900, 450]),   # readmission rates of five hospitals
    ([59.2, 61.8], [3, 1]),
    ([-1.5, 2.25, 0.0], [0.5, 0.25, 0.25]),                       # negative values, fractional weights
    ([12.0], [7]),
]


@pytest.mark.parametrize(("values", "weights"), CASES)
def test_weighted_mean_decrypts_to_the_plaintext_mean(submission, keys, values, weights):
    public_key, private_key = keys
    encrypted = [public_key.encrypt(v) for v in values]
    result = _function(submission, "encrypted_weighted_mean")(encrypted, weights)
    assert isinstance(result, paillier.EncryptedNumber), (
        f"encrypted_weighted_mean must return a phe EncryptedNumber (the server cannot decrypt), got {type(result).__name__}")
    assert private_key.decrypt(result) == pytest.approx(np.average(values, weights=weights), abs=1e-9)


def test_weighted_mean_uses_the_weights(submission, keys):
    public_key, private_key = keys
    values, weights = [0.2, 0.6], [900, 100]
    result = _function(submission, "encrypted_weighted_mean")([public_key.encrypt(v) for v in values], weights)
    got = private_key.decrypt(result)
    assert got != pytest.approx(np.mean(values), abs=1e-6), "the result is the unweighted mean: weight by the sizes"
    assert got == pytest.approx(0.24, abs=1e-9)


def test_weighted_mean_server_never_decrypts(submission, keys, no_decryption):
    public_key, _ = keys
    result = _function(submission, "encrypted_weighted_mean")([public_key.encrypt(1.0), public_key.encrypt(3.0)], [1, 1])
    assert isinstance(result, paillier.EncryptedNumber)


@pytest.mark.parametrize(
    ("values", "weights"),
    [([1.0, 2.0], [1]), ([], []), ([1.0, 2.0], [1, -1]), ([1.0, 2.0], [0, 0])],
    ids=["length-mismatch", "empty", "negative-weight", "zero-total"],
)
def test_weighted_mean_rejects_bad_weights(submission, keys, values, weights):
    public_key, _ = keys
    with pytest.raises(ValueError):
        _function(submission, "encrypted_weighted_mean")([public_key.encrypt(v) for v in values], weights)


def test_weighted_mean_does_not_change_its_inputs(submission, keys):
    public_key, private_key = keys
    encrypted = [public_key.encrypt(v) for v in (4.0, 8.0)]
    weights = [1, 3]
    before = [c.ciphertext(be_secure=False) for c in encrypted]
    _function(submission, "encrypted_weighted_mean")(encrypted, weights)
    assert weights == [1, 3] and [c.ciphertext(be_secure=False) for c in encrypted] == before


# --------------------------------------------------------------------------------------
# Part 2: encrypted scoring of a pipeline with a scaler
# --------------------------------------------------------------------------------------


def test_pipeline_score_matches_the_plaintext_model(submission, keys, partner):
    public_key, private_key = keys
    pipeline, rows = partner
    score = _function(submission, "encrypted_pipeline_score")
    for row in rows:
        result = score(public_key, pipeline, [public_key.encrypt(float(v)) for v in row])
        assert isinstance(result, paillier.EncryptedNumber), (
            f"encrypted_pipeline_score must return a phe EncryptedNumber, got {type(result).__name__}")
        expected = pipeline.decision_function(row[None, :])[0]
        assert private_key.decrypt(result) == pytest.approx(expected, abs=1e-6)


def test_pipeline_score_gives_the_risk_after_the_client_sigmoid(submission, keys, partner):
    public_key, private_key = keys
    pipeline, rows = partner
    row = rows[1]
    result = _function(submission, "encrypted_pipeline_score")(public_key, pipeline,
                                                               [public_key.encrypt(float(v)) for v in row])
    risk = 1 / (1 + np.exp(-private_key.decrypt(result)))
    assert risk == pytest.approx(pipeline.predict_proba(row[None, :])[0, 1], abs=1e-7)


def test_pipeline_score_server_never_decrypts(submission, keys, partner, no_decryption):
    public_key, _ = keys
    pipeline, rows = partner
    result = _function(submission, "encrypted_pipeline_score")(public_key, pipeline,
                                                               [public_key.encrypt(float(v)) for v in rows[0]])
    assert isinstance(result, paillier.EncryptedNumber)


def test_pipeline_score_rejects_a_missing_feature(submission, keys, partner):
    public_key, _ = keys
    pipeline, rows = partner
    with pytest.raises(ValueError):
        _function(submission, "encrypted_pipeline_score")(public_key, pipeline,
                                                          [public_key.encrypt(float(v)) for v in rows[0][:-1]])


def test_pipeline_score_rejects_features_under_another_key(submission, keys, partner):
    public_key, _ = keys
    other_public, _ = paillier.generate_paillier_keypair(n_length=512)
    pipeline, rows = partner
    with pytest.raises(ValueError):
        _function(submission, "encrypted_pipeline_score")(public_key, pipeline,
                                                          [other_public.encrypt(float(v)) for v in rows[0]])
