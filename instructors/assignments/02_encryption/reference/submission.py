"""Reference submission for assignment 02 (instructor material): a signed AES-GCM package.

Package format (all lengths in bytes)::

    magic  b"PKG1"           4   format and version, public
    nonce  random            12  AES-GCM nonce, public, fresh for every package
    body   ciphertext + tag  n+16  AES-GCM(data_key, nonce, payload, associated_data=context)
    sig    Ed25519           64  signature over magic + nonce + body + context

Only the payload is secret. The context is not stored: both sides must agree on it, and it is
bound twice (AES-GCM associated data and the signed bytes).
"""
from __future__ import annotations

import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"PKG1"
NONCE_BYTES = 12
TAG_BYTES = 16
SIGNATURE_BYTES = 64
KEY_BYTES = 32
MIN_SALT_BYTES = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # OWASP: n=2**17 (128 MiB), r=8, p=1


def _check_key(name: str, key: object) -> bytes:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError(f"{name} must be {KEY_BYTES} bytes, got {type(key).__name__} of length {len(key) if isinstance(key, bytes) else '-'}")
    return key


def _check_bytes(name: str, value: object) -> bytes:
    if not isinstance(value, bytes):
        raise TypeError(f"{name} must be bytes, got {type(value).__name__}")
    return value


def seal_package(payload: bytes, *, data_key: bytes, signing_key: Ed25519PrivateKey, context: bytes) -> bytes:
    """Encrypt ``payload`` with AES-GCM (fresh nonce, ``context`` as associated data) and sign the package."""
    payload, context = _check_bytes("payload", payload), _check_bytes("context", context)
    _check_key("data_key", data_key)
    if not isinstance(signing_key, Ed25519PrivateKey):
        raise TypeError(f"signing_key must be an Ed25519PrivateKey, got {type(signing_key).__name__}")
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(data_key).encrypt(nonce, payload, context)
    unsigned = MAGIC + nonce + body
    return unsigned + signing_key.sign(unsigned + context)


def open_package(package: bytes, *, data_key: bytes, verify_key: Ed25519PublicKey, context: bytes) -> bytes:
    """Verify the signature, then decrypt; raise on any change, other signer, key or context."""
    package, context = _check_bytes("package", package), _check_bytes("context", context)
    _check_key("data_key", data_key)
    if not isinstance(verify_key, Ed25519PublicKey):
        raise TypeError(f"verify_key must be an Ed25519PublicKey, got {type(verify_key).__name__}")
    if len(package) < len(MAGIC) + NONCE_BYTES + TAG_BYTES + SIGNATURE_BYTES or not package.startswith(MAGIC):
        raise ValueError("package is malformed: too short or not in format PKG1")
    unsigned, signature = package[:-SIGNATURE_BYTES], package[-SIGNATURE_BYTES:]
    verify_key.verify(signature, unsigned + context)  # raises InvalidSignature
    nonce = unsigned[len(MAGIC):len(MAGIC) + NONCE_BYTES]
    body = unsigned[len(MAGIC) + NONCE_BYTES:]
    return AESGCM(data_key).decrypt(nonce, body, context)  # raises InvalidTag


def rotate_package(
    package: bytes,
    *,
    old_key: bytes,
    new_key: bytes,
    signing_key: Ed25519PrivateKey,
    verify_key: Ed25519PublicKey,
    context: bytes,
) -> bytes:
    """Open ``package`` with ``old_key`` and seal it again under ``new_key``."""
    if _check_key("new_key", new_key) == _check_key("old_key", old_key):
        raise ValueError("new_key must differ from old_key")
    payload = open_package(package, data_key=old_key, verify_key=verify_key, context=context)
    return seal_package(payload, data_key=new_key, signing_key=signing_key, context=context)


def derive_data_key(passphrase: str, salt: bytes) -> bytes:
    """A 32-byte key from ``passphrase`` with Scrypt (n=2**17, r=8, p=1) and a salt of >= 16 bytes."""
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("passphrase must be a non-empty str")
    if not isinstance(salt, bytes) or len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"salt must be at least {MIN_SALT_BYTES} random bytes, got {salt!r}")
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


__all__ = ["seal_package", "open_package", "rotate_package", "derive_data_key", "InvalidSignature"]
