"""Tests for assignment 02 (signed, encrypted package): run with SUBMISSION_DIR=<student folder>.

The tests know nothing of the student's package format: they only seal, open, alter bytes and
compare, so any sound format passes.
"""
from __future__ import annotations

import hashlib
import time
from types import ModuleType

import numpy as np
import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# --------------------------------------------------------------------------------------
# The submission: `sub` comes from ../conftest.py (SUBMISSION_DIR names the folder)
# --------------------------------------------------------------------------------------


def _get(module: ModuleType, name: str) -> object:
    if not hasattr(module, name):
        pytest.fail(f"submission.py must define {name!r} (see ASSIGNMENT.md)", pytrace=False)
    return getattr(module, name)


REJECTED = (InvalidSignature, InvalidTag, ValueError)
CONTEXT = b"ashford->brookside/2026-W49"


@pytest.fixture(scope="module")
def keys() -> dict[str, object]:
    signer = Ed25519PrivateKey.generate()
    return {
        "data_key": AESGCM.generate_key(bit_length=256),
        "signing_key": signer,
        "verify_key": signer.public_key(),
    }


def seal(sub: ModuleType, keys: dict[str, object], payload: bytes, context: bytes = CONTEXT) -> bytes:
    package = _get(sub, "seal_package")(payload, data_key=keys["data_key"], signing_key=keys["signing_key"], context=context)
    assert isinstance(package, bytes), f"seal_package must return bytes, got {type(package).__name__}"
    return package


def open_(sub: ModuleType, keys: dict[str, object], package: bytes, context: bytes = CONTEXT, data_key: bytes | None = None) -> bytes:
    return _get(sub, "open_package")(
        package, data_key=data_key or keys["data_key"], verify_key=keys["verify_key"], context=context
    )


# --------------------------------------------------------------------------------------
# Confidentiality and the round trip
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 31, 4096, 200_000])
def test_round_trip(sub, keys, size):
    payload = np.random.default_rng(size).bytes(size)
    assert open_(sub, keys, seal(sub, keys, payload)) == payload


def test_the_payload_is_not_visible(sub, keys):
    payload = b"Robert Smith, 969-16-2462, HbA1c 5.7; " * 20
    package = seal(sub, keys, payload)
    assert b"Robert Smith" not in package and b"969-16-2462" not in package, "the package shows the plaintext"


def test_every_seal_uses_a_fresh_nonce(sub, keys):
    payload = b"readmissions, week 49: 412 rows"
    first, second = seal(sub, keys, payload), seal(sub, keys, payload)
    assert first != second, (
        "sealing the same payload twice gave the same package: the nonce is not fresh, so an observer sees "
        "that two exports are equal, and under AES-GCM a repeated nonce leaks the XOR of the plaintexts"
    )


def test_no_keystream_reuse(sub, keys):
    rng = np.random.default_rng(7)
    p1, p2 = rng.bytes(64), rng.bytes(64)
    s1, s2 = seal(sub, keys, p1), seal(sub, keys, p2)
    xor_packages = bytes(a ^ b for a, b in zip(s1, s2, strict=False))
    xor_payloads = bytes(a ^ b for a, b in zip(p1, p2, strict=True))
    assert xor_payloads not in xor_packages, (
        "the XOR of two packages contains the XOR of their payloads: both were encrypted with the same keystream "
        "(a nonce reused under one key)"
    )


# --------------------------------------------------------------------------------------
# Integrity and authenticity
# --------------------------------------------------------------------------------------


def test_every_flipped_bit_is_detected(sub, keys):
    package = seal(sub, keys, b"x" * 100)
    positions = sorted(set(np.linspace(0, len(package) - 1, 40).astype(int).tolist()))
    accepted = []
    for position in positions:
        altered = bytearray(package)
        altered[position] ^= 0x01
        try:
            open_(sub, keys, bytes(altered))
        except REJECTED:
            continue
        accepted.append(position)
    assert not accepted, f"packages with a bit flipped at byte positions {accepted} (of {len(package)}) were opened"


@pytest.mark.parametrize("cut", [1, 16, 64])
def test_truncated_packages_are_refused(sub, keys, cut):
    package = seal(sub, keys, b"y" * 100)
    with pytest.raises(REJECTED):
        open_(sub, keys, package[:-cut])
    with pytest.raises(REJECTED):
        open_(sub, keys, b"")


def test_wrong_context_is_refused(sub, keys):
    package = seal(sub, keys, b"week 49")
    with pytest.raises(REJECTED):
        open_(sub, keys, package, context=b"ashford->brookside/2026-W50")


def test_wrong_data_key_is_refused(sub, keys):
    package = seal(sub, keys, b"week 49")
    with pytest.raises(REJECTED):
        open_(sub, keys, package, data_key=AESGCM.generate_key(bit_length=256))


def test_another_signers_package_is_refused(sub, keys):
    # the attacker knows the data key (a leaked copy) but not Ashford's signing key
    forger = dict(keys, signing_key=Ed25519PrivateKey.generate())
    forged = seal(sub, forger, b"forged: discharge everyone")
    with pytest.raises(InvalidSignature):
        open_(sub, keys, forged)


# --------------------------------------------------------------------------------------
# Rotation and key derivation
# --------------------------------------------------------------------------------------


def test_rotation(sub, keys):
    new_key = AESGCM.generate_key(bit_length=256)
    package = seal(sub, keys, b"archive 2025")
    rotated = _get(sub, "rotate_package")(
        package, old_key=keys["data_key"], new_key=new_key,
        signing_key=keys["signing_key"], verify_key=keys["verify_key"], context=CONTEXT,
    )
    assert open_(sub, keys, rotated, data_key=new_key) == b"archive 2025"
    with pytest.raises(REJECTED):
        open_(sub, keys, rotated)  # the old key must not open the rotated package


def test_key_derivation(sub):
    derive = _get(sub, "derive_data_key")
    salt = bytes(range(16))
    start = time.perf_counter()
    key = derive("correct horse battery staple", salt)
    elapsed = time.perf_counter() - start
    assert isinstance(key, bytes) and len(key) == 32, f"derive_data_key must return 32 bytes, got {key!r}"
    assert derive("correct horse battery staple", salt) == key, "the same passphrase and salt must give the same key"
    assert derive("correct horse battery staple", bytes(range(1, 17))) != key, "another salt must give another key"
    fast = {
        hashlib.sha256(salt + b"correct horse battery staple").digest(),
        hashlib.sha256(b"correct horse battery staple" + salt).digest(),
        hashlib.pbkdf2_hmac("sha256", b"correct horse battery staple", salt, 1),
    }
    assert key not in fast, "the key is a fast hash of the passphrase: use Scrypt or Argon2id"
    # a single SHA-256 takes about a microsecond; scrypt at n=2**14 takes tens of milliseconds
    assert elapsed > 0.005, f"one derivation took {elapsed * 1000:.2f} ms: too cheap to slow down a guessing attack"


@pytest.mark.parametrize("salt", [b"", b"short salt", b"x" * 15])
def test_short_salts_are_refused(sub, salt):
    with pytest.raises(ValueError):
        _get(sub, "derive_data_key")("correct horse battery staple", salt)
