"""Lesson 02 (encryption and secure data handling): the glue around real cryptography.

What this module teaches, read top to bottom:

1. **Keys from passwords.** :func:`derive_argon2id_key` (Argon2id, RFC 9106) and
   :func:`derive_fernet_key` (Scrypt, RFC 7914) stretch a password with a salted, memory-hard
   KDF at the OWASP Password Storage Cheat Sheet's minimum cost (Argon2id m=19 MiB, t=2, p=1;
   scrypt N=2**17, r=8, p=1); :func:`password_encrypt` uses Argon2id and stores the salt
   beside the ciphertext.
2. **Password storage.** :func:`hash_password` / :func:`verify_password` keep a slow, salted
   Argon2id hash in the standard PHC string format (or a Scrypt hash) instead of a fast
   SHA-256 digest; stored strings are parsed strictly and their cost is bounded both ways.
3. **Data at rest.** :func:`encrypt_file` / :func:`decrypt_file` encrypt a whole file with
   Fernet; the notebook encrypts one column with the same primitive.
4. **Sharing with a partner.** :func:`hybrid_encrypt` / :func:`hybrid_decrypt` wrap data for
   a recipient's X25519 public key (ephemeral X25519 + HKDF-SHA256 + AES-GCM). This is a
   *teaching construction* that shows the moving parts of RFC 9180 (HPKE); it is not HPKE
   and no other program reads its format. For real exchanges use the standard, which
   ``cryptography`` implements in ``cryptography.hazmat.primitives.hpke`` (present in
   the pinned 50.0.2; the lesson uses it).
5. **TLS for real.** :func:`create_test_pki` writes a CA and a ``localhost`` server
   certificate made with ``cryptography.x509``; :class:`TLSServer` serves TLS on 127.0.0.1
   from a background thread and shuts down cleanly.
6. **Authentication and queries.** :func:`tamper_jwt_claims` is the attacker's edit of a
   JWT payload (the notebook shows PyJWT rejecting it); :func:`patients_database` loads
   patients into a real SQLite database for the SQL-injection demonstration.

Every primitive comes from the maintained ``cryptography`` package; nothing here invents a
cipher, and the one composed scheme (item 4) is labelled as a teaching construction. Secret material (salts, nonces, keys) comes from the operating system's CSPRNG
(``os.urandom`` / ``secrets``), deliberately *not* from a ``numpy.random.Generator``:
NumPy's generators are reproducible by design and therefore unfit for secrets.
"""
from __future__ import annotations

import base64
import datetime as dt
import hmac
import ipaddress
import json
import os
import re
import socketserver
import sqlite3
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from cryptography import x509
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from course_lib import _checks

__all__ = [
    "SALT_BYTES",
    "DIGEST_BYTES",
    "ARGON2ID_MEMORY_KIB",
    "ARGON2ID_ITERATIONS",
    "ARGON2ID_LANES",
    "PBKDF2_SHA256_ITERATIONS",
    "derive_argon2id_key",
    "derive_fernet_key",
    "password_encrypt",
    "password_decrypt",
    "hash_password",
    "verify_password",
    "encrypt_file",
    "decrypt_file",
    "hybrid_encrypt",
    "hybrid_decrypt",
    "TLSFiles",
    "create_test_pki",
    "TLSServer",
    "tamper_jwt_claims",
    "patients_database",
]

#: Bytes of random salt per password (NIST SP 800-132 asks for at least 128 bits).
SALT_BYTES = 16

# Costs from the OWASP Password Storage Cheat Sheet (the minimums it recommends):
# Argon2id m=19 MiB (19456 KiB), t=2, p=1 (its first choice); scrypt N=2**17, r=8, p=1
# (128 MiB per guess); PBKDF2-HMAC-SHA256 600,000 iterations.
# https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**17, 8, 1
#: Argon2id cost (RFC 9106) used by :func:`derive_argon2id_key`, :func:`password_encrypt` and
#: :func:`hash_password`: memory in KiB, passes, lanes (OWASP's minimum).
ARGON2ID_MEMORY_KIB, ARGON2ID_ITERATIONS, ARGON2ID_LANES = 19 * 1024, 2, 1
#: PBKDF2-HMAC-SHA256 iterations OWASP asks for (the lesson compares it; not used here).
PBKDF2_SHA256_ITERATIONS = 600_000
_ARGON2_MAX_MEMORY_KIB, _ARGON2_MAX_ITERATIONS, _ARGON2_MAX_LANES = 2**20, 16, 16
#: OWASP's weakest Argon2id row is m=7 MiB with t=5; every row has m*t >= 19 MiB * 2 (roughly).
_ARGON2_MIN_MEMORY_KIB = 7 * 1024
_ARGON2_MIN_WORK = 7 * 1024 * 5

#: Upper bounds on any Scrypt cost, whether the caller passes it or it is read from a stored
#: hash: memory is ``128 * n * r`` bytes and time grows with ``n * r * p``, so an unbounded
#: cost in a stored string is a denial of service (``n=2**30`` asks for 1 TiB).
_SCRYPT_MAX_N, _SCRYPT_MAX_R, _SCRYPT_MAX_P = 2**20, 32, 16
_SCRYPT_MAX_MEMORY = 2**30  # bytes: 128 * n * r
#: Lower bound on the memory of a Scrypt *password hash* (:func:`hash_password`,
#: :func:`verify_password`): OWASP's minimum N=2**17, r=8, 128 MiB. A stored hash that
#: claims less was weakened (or made by older code) and is refused, not verified.
_SCRYPT_MIN_HASH_MEMORY = 128 * _SCRYPT_N * _SCRYPT_R
#: Bytes of the digest :func:`hash_password` stores; :func:`verify_password` accepts no other
#: length (an empty or 1-byte digest would match almost any password).
DIGEST_BYTES = 32
_MAX_SALT_BYTES = 64
_MAX_PASSWORD_BYTES = 4096  # a password longer than this is a mistake or an attack on the KDF


def _as_bytes(value: str | bytes, name: str, *, max_bytes: int | None = None) -> bytes:
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes):
        raise TypeError(f"{name} must be str or bytes, got {type(value).__name__}")
    if max_bytes is not None and len(value) > max_bytes:
        raise ValueError(f"{name} must be at most {max_bytes} bytes long, got {len(value)} bytes")
    return value


def _check_scrypt_cost(n: int, r: int, p: int, *, min_memory: int = 0, source: str = "") -> None:
    """Refuse a Scrypt cost outside the bounded range (``source`` says where it came from)."""
    where = f" in {source}" if source else ""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n{where} must be an int, got {type(n).__name__} {n!r}")
    if n < 2 or n & (n - 1) or n > _SCRYPT_MAX_N:
        raise ValueError(f"n{where} must be a power of 2 from 2 to 2**20, got {n!r}")
    for name, value, top in (("r", r, _SCRYPT_MAX_R), ("p", p, _SCRYPT_MAX_P)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name}{where} must be an int, got {type(value).__name__} {value!r}")
        if not 1 <= value <= top:
            raise ValueError(f"{name}{where} must be an int from 1 to {top}, got {value!r}")
    memory = 128 * n * r
    if memory > _SCRYPT_MAX_MEMORY:
        raise ValueError(f"n and r{where} ask for 128*n*r = {memory} bytes of memory, more than the limit of 1 GiB (n={n}, r={r})")
    if memory < min_memory:
        raise ValueError(
            f"n and r{where} give 128*n*r = {memory} bytes of memory, below the minimum of {min_memory} "
            f"(n={n}, r={r}; OWASP's minimum is n=2**17, r=8): too weak for a password hash"
        )


# --------------------------------------------------------------------------------------
# 1. Keys from passwords
# --------------------------------------------------------------------------------------


def derive_fernet_key(
    password: str | bytes, salt: bytes, *, n: int = _SCRYPT_N, r: int = 8, p: int = 1
) -> bytes:
    """Derive a Fernet key (32 bytes, URL-safe base64) from ``password`` and ``salt``.

    Uses Scrypt (Percival, *Stronger key derivation via sequential memory-hard functions*,
    2009; RFC 7914); the default cost is OWASP's minimum, N=2**17, r=8, p=1 (128 MiB).
    :func:`derive_argon2id_key` is the first choice; this one suits systems that have scrypt. The same password and salt always give the same key; a different salt
    gives an unrelated key, so equal passwords do not share keys and precomputed tables fail.
    """
    password = _as_bytes(password, "password", max_bytes=_MAX_PASSWORD_BYTES)
    if not password:
        raise ValueError("password must not be empty")
    if not isinstance(salt, bytes):
        raise TypeError(f"salt must be bytes (e.g. os.urandom({SALT_BYTES})), got {type(salt).__name__}")
    if not SALT_BYTES <= len(salt) <= _MAX_SALT_BYTES:
        raise ValueError(f"salt must be {SALT_BYTES} to {_MAX_SALT_BYTES} random bytes, got {len(salt)} bytes")
    _check_scrypt_cost(n, r, p)
    raw = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password)
    return base64.urlsafe_b64encode(raw)


def _check_argon2_cost(memory_kib: int, iterations: int, lanes: int, *, minimum: bool, source: str = "") -> None:
    """Refuse an Argon2id cost outside the bounded range (``minimum``: also refuse a weak one)."""
    where = f" in {source}" if source else ""
    for name, value, top in (("memory_kib", memory_kib, _ARGON2_MAX_MEMORY_KIB),
                             ("iterations", iterations, _ARGON2_MAX_ITERATIONS), ("lanes", lanes, _ARGON2_MAX_LANES)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name}{where} must be an int, got {type(value).__name__} {value!r}")
        if not 1 <= value <= top:
            raise ValueError(f"{name}{where} must be an int from 1 to {top}, got {value!r}")
    if memory_kib < 8 * lanes:
        raise ValueError(f"memory_kib{where} must be at least 8 * lanes = {8 * lanes} (RFC 9106), got {memory_kib}")
    if minimum and (memory_kib < _ARGON2_MIN_MEMORY_KIB or memory_kib * iterations < _ARGON2_MIN_WORK):
        raise ValueError(
            f"memory_kib and iterations{where} (m={memory_kib} KiB, t={iterations}) are below OWASP's minimum "
            f"(m=19456 KiB with t=2, or m=7168 KiB with t=5): too weak for a password"
        )


def derive_argon2id_key(
    password: str | bytes,
    salt: bytes,
    *,
    memory_kib: int = ARGON2ID_MEMORY_KIB,
    iterations: int = ARGON2ID_ITERATIONS,
    lanes: int = ARGON2ID_LANES,
) -> bytes:
    """Derive a Fernet key (32 bytes, URL-safe base64) from ``password`` and ``salt`` with Argon2id.

    Argon2id (Biryukov, Dinu, Khovratovich; RFC 9106) is memory-hard and OWASP's first choice;
    the defaults are the OWASP Password Storage Cheat Sheet's minimum (m=19 MiB, t=2, p=1), and
    a weaker cost is refused. Same password and salt give the same key; another salt another.
    """
    password = _as_bytes(password, "password", max_bytes=_MAX_PASSWORD_BYTES)
    if not password:
        raise ValueError("password must not be empty")
    if not isinstance(salt, bytes):
        raise TypeError(f"salt must be bytes (e.g. os.urandom({SALT_BYTES})), got {type(salt).__name__}")
    if not SALT_BYTES <= len(salt) <= _MAX_SALT_BYTES:
        raise ValueError(f"salt must be {SALT_BYTES} to {_MAX_SALT_BYTES} random bytes, got {len(salt)} bytes")
    _check_argon2_cost(memory_kib, iterations, lanes, minimum=True)
    raw = Argon2id(salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory_kib).derive(password)
    return base64.urlsafe_b64encode(raw)


def password_encrypt(data: bytes, password: str | bytes) -> bytes:
    """Encrypt ``data`` under an Argon2id key derived from ``password``; returns ``salt || token``.

    A fresh random salt is drawn for every call and stored in the clear in front of the
    Fernet token: the salt is not secret, it only has to be unique.
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    salt = os.urandom(SALT_BYTES)
    return salt + Fernet(derive_argon2id_key(password, salt)).encrypt(data)


def password_decrypt(blob: bytes, password: str | bytes) -> bytes:
    """Reverse :func:`password_encrypt`. A wrong password raises ``InvalidToken``."""
    if not isinstance(blob, bytes):
        raise TypeError(f"blob must be bytes (from password_encrypt), got {type(blob).__name__}")
    if len(blob) <= SALT_BYTES:
        raise ValueError(f"blob must be bytes longer than the {SALT_BYTES}-byte salt, got {len(blob)} bytes")
    salt, token = blob[:SALT_BYTES], blob[SALT_BYTES:]
    return Fernet(derive_argon2id_key(password, salt)).decrypt(token)


# --------------------------------------------------------------------------------------
# 2. Password storage: slow and salted
# --------------------------------------------------------------------------------------


def hash_password(
    password: str | bytes, *, scheme: str = "argon2id", n: int = _SCRYPT_N, r: int = 8, p: int = 1
) -> str:
    """A storable, salted, slow password hash.

    ``scheme="argon2id"`` (default, OWASP's first choice): the standard PHC string
    ``$argon2id$v=19$m=19456,t=2,p=1$salt$digest`` that ``argon2-cffi`` and other libraries
    read. ``scheme="scrypt"``: ``scrypt$n$r$p$salt$digest`` (URL-safe base64) with the cost
    ``n``, ``r``, ``p`` (default OWASP's minimum N=2**17, r=8, p=1; ``128*n*r`` must be at
    least 128 MiB and at most 1 GiB). ``n``, ``r``, ``p`` apply to scrypt only. The cost is
    stored with the hash so it can be raised later while old hashes still verify.
    """
    password = _as_bytes(password, "password", max_bytes=_MAX_PASSWORD_BYTES)
    if not password:
        raise ValueError("password must not be empty")
    if not isinstance(scheme, str):
        raise TypeError(f"scheme must be a str ('argon2id' or 'scrypt'), got {type(scheme).__name__}")
    if scheme not in ("argon2id", "scrypt"):
        raise ValueError(f"scheme must be 'argon2id' or 'scrypt', got {scheme!r}")
    _check_scrypt_cost(n, r, p, min_memory=_SCRYPT_MIN_HASH_MEMORY)
    salt = os.urandom(SALT_BYTES)
    if scheme == "argon2id":
        kdf = Argon2id(salt=salt, length=DIGEST_BYTES, iterations=ARGON2ID_ITERATIONS, lanes=ARGON2ID_LANES,
                       memory_cost=ARGON2ID_MEMORY_KIB)
        return kdf.derive_phc_encoded(password)
    digest = Scrypt(salt=salt, length=DIGEST_BYTES, n=n, r=r, p=p).derive(password)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str | bytes, stored: str) -> bool:
    """True if ``password`` matches ``stored`` (from :func:`hash_password`).

    ``stored`` is parsed strictly, and anything else is a ``ValueError``, never a verdict.
    An Argon2id hash must be exactly ``$argon2id$v=19$m=M,t=T,p=P$salt$digest`` with plain
    decimal costs within bounds (at least OWASP's minimum, at most 1 GiB, 16 passes, 16 lanes),
    a salt of 16 to 64 bytes and a digest of exactly 32 bytes in canonical unpadded standard
    base64. A Scrypt hash must be exactly six ``$``-separated fields ``scrypt$n$r$p$salt$digest``;
    ``n``, ``r``, ``p`` plain decimal numbers within the range :func:`hash_password` accepts
    (so a stored string can neither weaken the hash nor ask for unbounded memory); a salt of
    16 to 64 bytes and a digest of exactly 32 bytes, each in URL-safe base64 that decodes
    exactly (re-encoding gives the same text). A hash with an empty or short digest would
    otherwise match almost every password. The comparison is constant-time.
    """
    password = _as_bytes(password, "password", max_bytes=_MAX_PASSWORD_BYTES)
    if isinstance(stored, str) and stored.startswith("$argon2id$"):
        m, t, lanes, salt, expected = _parse_argon2_hash(stored)
        kdf = Argon2id(salt=salt, length=DIGEST_BYTES, iterations=t, lanes=lanes, memory_cost=m)
        candidate = kdf.derive(password)
        return hmac.compare_digest(candidate, expected)
    n, r, p, salt, expected = _parse_stored_hash(stored)
    candidate = Scrypt(salt=salt, length=DIGEST_BYTES, n=n, r=r, p=p).derive(password)
    return hmac.compare_digest(candidate, expected)


_ARGON2_PHC = re.compile(
    r"\$argon2id\$v=19\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})"
    r"\$([A-Za-z0-9+/]{1,100})\$([A-Za-z0-9+/]{1,100})"
)


def _decoded_length(raw: bytes, what: str, low: int, high: int) -> bytes:
    """``raw`` if its length lies in ``[low, high]`` (both stored-hash formats share this rule)."""
    if not low <= len(raw) <= high:
        rule = f"exactly {low}" if low == high else f"{low} to {high}"
        raise ValueError(f"stored {what} must decode to {rule} bytes, got {len(raw)} bytes")
    return raw


def _phc_b64(field: str, what: str, low: int, high: int) -> bytes:
    try:
        raw = base64.b64decode(field + "=" * (-len(field) % 4), validate=True)
    except ValueError:
        raise ValueError(f"stored {what} must be unpadded standard base64, got {field[:24]!r}") from None
    if base64.b64encode(raw).decode("ascii").rstrip("=") != field:
        raise ValueError(f"stored {what} must be canonical base64 (re-encoding must give the same text), got {field[:24]!r}")
    return _decoded_length(raw, what, low, high)


def _parse_argon2_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    if len(stored) > 512:
        raise ValueError(f"stored must be a hash from hash_password (under 512 characters), got {len(stored)} characters")
    match = _ARGON2_PHC.fullmatch(stored)
    if match is None:
        raise ValueError(f"stored must look like '$argon2id$v=19$m=M,t=T,p=P$salt$digest', got {stored[:48]!r}")
    m, t, lanes = (int(g) for g in match.groups()[:3])
    _check_argon2_cost(m, t, lanes, minimum=True, source="stored")
    salt = _phc_b64(match.group(4), "salt", SALT_BYTES, _MAX_SALT_BYTES)
    digest = _phc_b64(match.group(5), "digest", DIGEST_BYTES, DIGEST_BYTES)
    return m, t, lanes, salt, digest


_COST_FIELD = re.compile(r"[1-9][0-9]{0,9}")
_B64_FIELD = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _exact_b64(field: str, what: str, low: int, high: int) -> bytes:
    if not _B64_FIELD.fullmatch(field) or len(field) % 4:
        raise ValueError(f"stored {what} must be URL-safe base64 (A-Z a-z 0-9 - _, padded with =), got {field[:24]!r}")
    raw = base64.urlsafe_b64decode(field)
    if base64.urlsafe_b64encode(raw).decode("ascii") != field:
        raise ValueError(f"stored {what} must be canonical base64 (re-encoding must give the same text), got {field[:24]!r}")
    return _decoded_length(raw, what, low, high)


def _parse_stored_hash(stored: object) -> tuple[int, int, int, bytes, bytes]:
    if not isinstance(stored, str):
        raise TypeError(f"stored must be a str from hash_password, got {type(stored).__name__}")
    if len(stored) > 512:
        raise ValueError(f"stored must be a hash from hash_password (under 512 characters), got {len(stored)} characters")
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError(f"stored must look like '$argon2id$v=19$m=M,t=T,p=P$salt$digest' or 'scrypt$n$r$p$salt$digest', got {stored[:40]!r}")
    costs = []
    for name, field in zip("nrp", parts[1:4]):
        if not _COST_FIELD.fullmatch(field):
            raise ValueError(f"stored cost {name} must be a positive decimal number without sign, spaces or leading zeros, got {field[:24]!r}")
        costs.append(int(field))
    n, r, p = costs
    _check_scrypt_cost(n, r, p, min_memory=_SCRYPT_MIN_HASH_MEMORY, source="stored")
    salt = _exact_b64(parts[4], "salt", SALT_BYTES, _MAX_SALT_BYTES)
    digest = _exact_b64(parts[5], "digest", DIGEST_BYTES, DIGEST_BYTES)
    return n, r, p, salt, digest


# --------------------------------------------------------------------------------------
# 3. Files at rest
# --------------------------------------------------------------------------------------


def _fernet(key: bytes | Fernet | MultiFernet) -> Fernet | MultiFernet:
    if isinstance(key, (Fernet, MultiFernet)):
        return key
    if not isinstance(key, (bytes, str)):
        raise TypeError(f"key must be a Fernet key (bytes from Fernet.generate_key()) or a (Multi)Fernet, got {type(key).__name__}")
    try:
        return Fernet(key)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"key must be a Fernet key (32 bytes, URL-safe base64) or a (Multi)Fernet, got {type(key).__name__} of length {len(key) if hasattr(key, '__len__') else '?'}") from exc


_MAX_FILE_BYTES = 256 * 2**20  # Fernet is not a streaming format: the whole file is in memory


def _source_and_target(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Paths of an existing ``source`` file and a different ``target`` (not a directory)."""
    source = _checks.path("source", source, kind="file", must_exist=True)
    target = _checks.path("target", target, kind="file")
    if not source.is_file():
        raise ValueError(f"source must be a regular file, got {str(source)!r}")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"target's folder does not exist: {str(target.parent)!r}")
    if source.stat().st_size > _MAX_FILE_BYTES:
        raise ValueError(f"source must be at most {_MAX_FILE_BYTES} bytes (Fernet reads it whole), got {source.stat().st_size}")
    if source.resolve() == target.resolve():
        raise ValueError("target must differ from source: never overwrite the only copy before it decrypts")
    return source, target


def encrypt_file(source: str | os.PathLike[str], target: str | os.PathLike[str], key: bytes | Fernet | MultiFernet) -> Path:
    """Encrypt the file ``source`` into ``target`` with Fernet (AES-128-CBC + HMAC-SHA256).

    ``key`` may also be a ``MultiFernet``. The whole file is read into memory, which suits
    the course's small files (Fernet is not a streaming format). Returns ``target``.
    """
    source, target = _source_and_target(source, target)
    fernet = _fernet(key)
    target.write_bytes(fernet.encrypt(source.read_bytes()))
    return target


def decrypt_file(source: str | os.PathLike[str], target: str | os.PathLike[str], key: bytes | Fernet | MultiFernet) -> Path:
    """Decrypt a file written by :func:`encrypt_file`; a wrong key raises ``InvalidToken``."""
    source, target = _source_and_target(source, target)
    fernet = _fernet(key)
    target.write_bytes(fernet.decrypt(source.read_bytes()))
    return target


# --------------------------------------------------------------------------------------
# 4. Hybrid encryption for a partner
# --------------------------------------------------------------------------------------

_HYBRID_INFO = b"course_lib hybrid v1: X25519-HKDF-SHA256-AES256GCM"


def _hybrid_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_HYBRID_INFO).derive(shared)


def _associated(associated_data: object) -> None:
    if not isinstance(associated_data, bytes):
        raise TypeError(f"associated_data must be bytes, got {type(associated_data).__name__}")


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def hybrid_encrypt(data: bytes, recipient: X25519PublicKey, *, associated_data: bytes = b"") -> bytes:
    """Encrypt ``data`` so that only the holder of ``recipient``'s private key can read it.

    A teaching construction, ECIES-style: the steps of RFC 9180 (HPKE, base mode) written out
    by hand, but not HPKE and not interoperable with it (use
    ``cryptography.hazmat.primitives.hpke`` to exchange data with others). A fresh
    ephemeral X25519 key agrees a secret with the recipient (RFC 7748), HKDF-SHA256
    (RFC 5869) turns it into an AES-256-GCM key. Output: ``ephemeral public key (32) ||
    nonce (12) || ciphertext+tag``.
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    if not isinstance(recipient, X25519PublicKey):
        raise TypeError(f"recipient must be an X25519PublicKey, got {type(recipient).__name__}")
    _associated(associated_data)
    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw(ephemeral.public_key())
    key = _hybrid_key(ephemeral.exchange(recipient), eph_pub, _raw(recipient))
    nonce = os.urandom(12)
    return eph_pub + nonce + AESGCM(key).encrypt(nonce, data, associated_data)


def hybrid_decrypt(blob: bytes, private_key: X25519PrivateKey, *, associated_data: bytes = b"") -> bytes:
    """Reverse :func:`hybrid_encrypt`; the wrong private key or any change raises ``InvalidTag``."""
    if not isinstance(private_key, X25519PrivateKey):
        raise TypeError(f"private_key must be an X25519PrivateKey, got {type(private_key).__name__}")
    if not isinstance(blob, bytes):
        raise TypeError(f"blob must be bytes (from hybrid_encrypt), got {type(blob).__name__}")
    if len(blob) < 32 + 12 + 16:
        raise ValueError(f"blob must be at least 60 bytes (key, nonce, tag), got {len(blob)} bytes")
    _associated(associated_data)
    eph_pub, nonce, body = blob[:32], blob[32:44], blob[44:]
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError as exc:  # a low-order point gives an all-zero secret (RFC 7748, 6.1)
        raise ValueError(f"blob's ephemeral public key is invalid: {exc}") from None
    key = _hybrid_key(shared, eph_pub, _raw(private_key.public_key()))
    return AESGCM(key).decrypt(nonce, body, associated_data)


# --------------------------------------------------------------------------------------
# 5. TLS: a test PKI and a server in a thread
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TLSFiles:
    """Paths written by :func:`create_test_pki` (all PEM)."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Course hospital network (test)"),
         x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


#: Longest validity :func:`create_test_pki` issues: 398 days, the CA/Browser Forum's limit for
#: server certificates; a throw-away test PKI needs far less (the default is one day).
_MAX_CERT_DAYS = 398
_HOSTNAME = re.compile(r"[A-Za-z0-9.:-]+")


def create_test_pki(
    directory: str | os.PathLike[str],
    *,
    hostname: str = "localhost",
    ca_name: str = "Course Test CA",
    days: int = 1,
) -> TLSFiles:
    """Write a throw-away CA and a server certificate for ``hostname`` into ``directory``.

    Follows the cryptography documentation's X.509 tutorial: an ECDSA P-256 CA
    (``BasicConstraints(ca=True)``, ``KeyUsage(key_cert_sign)``) signs a server certificate
    whose Subject Alternative Name holds ``hostname`` and 127.0.0.1 (browsers and Python's
    ``ssl`` match the SAN, not the common name; RFC 6125). Validity starts an hour in the
    past (timezone-aware) to tolerate clock skew. For tests and teaching only.
    """
    directory = _checks.path("directory", directory, kind="dir")
    if not directory.is_dir():
        raise ValueError(f"directory must be an existing folder, got {str(directory)!r}")
    _checks.text("hostname", hostname, max_length=253)
    if not _HOSTNAME.fullmatch(hostname):
        raise ValueError(f"hostname must be a DNS name or IP address (letters, digits, '-', '.', ':'), got {hostname!r}")
    _checks.text("ca_name", ca_name, max_length=64)
    days = _checks.integer("days", days, minimum=1, maximum=_MAX_CERT_DAYS)
    now = dt.datetime.now(dt.UTC)  # dt.UTC is dt.timezone.utc
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(days=days)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    alt_names: list[x509.GeneralName] = [x509.DNSName(hostname)]
    try:
        alt_names.append(x509.IPAddress(ipaddress.ip_address(hostname)))
    except ValueError:
        alt_names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hostname))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    files = TLSFiles(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    files.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.server_cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    files.server_key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    os.chmod(files.server_key, 0o600)  # a private key is readable by its owner only
    return files


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: _ThreadedTLS = self.server  # type: ignore[assignment]
        self.request.settimeout(server.io_timeout)
        with server.context.wrap_socket(self.request, server_side=True) as tls:
            data = tls.recv(65536)
            server.received.append(data)
            tls.sendall(server.reply(data))


class _ThreadedTLS(socketserver.TCPServer):
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext, reply: Callable[[bytes], bytes],
                 io_timeout: float) -> None:
        self.context = context
        self.reply = reply
        self.io_timeout = io_timeout
        self.errors: list[str] = []
        self.received: list[bytes] = []
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:  # noqa: ARG002
        # Record, never print: a refused handshake is an expected event in the lesson, and a
        # traceback printed from this thread would land in whichever notebook cell is running.
        import sys

        exc = sys.exc_info()[1]
        self.errors.append(f"{type(exc).__name__}: {getattr(exc, 'reason', None) or exc}")


def _default_reply(data: bytes) -> bytes:
    return b"received " + str(len(data)).encode() + b" bytes"


class TLSServer:
    """A one-connection-at-a-time TLS server on ``host`` (default 127.0.0.1) in a thread.

    It binds port 0, so the operating system picks a free port (read :attr:`port`). Each
    connection sends one message and gets ``reply(message)`` back. Use it as a context
    manager, or call :meth:`start` and :meth:`stop`; :meth:`stop` shuts the loop down,
    closes the socket and joins the thread. Failed handshakes are recorded in
    :attr:`errors` instead of printed. The server context requires TLS 1.2 or newer.
    """

    def __init__(
        self,
        certfile: str | os.PathLike[str],
        keyfile: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        reply: Callable[[bytes], bytes] | None = None,
        io_timeout: float = 5.0,
    ) -> None:
        if not isinstance(host, str):
            raise TypeError(f"host must be a str such as '127.0.0.1', got {type(host).__name__}")
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"host must be a loopback IP address such as 127.0.0.1 (the course makes no network calls), got {host!r}")
        for name, path in (("certfile", certfile), ("keyfile", keyfile)):
            _checks.path(name, path, kind="file", must_exist=True)
        if reply is not None and not callable(reply):
            raise TypeError(f"reply must be callable, got {type(reply).__name__}")
        io_timeout = _checks.positive("io_timeout", io_timeout)
        if io_timeout > 300:
            raise ValueError(f"io_timeout must be at most 300 seconds, got {io_timeout}")
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            self.context.load_cert_chain(certfile, keyfile)
        except ssl.SSLError as exc:
            raise ValueError(f"certfile and keyfile must be a PEM certificate and its private key: {exc}") from None
        self._host = host
        self._reply = reply or _default_reply
        self._io_timeout = io_timeout
        self._server: _ThreadedTLS | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> TLSServer:
        """Bind and start serving in a daemon thread; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("server already started")
        self._server = _ThreadedTLS((self._host, 0), self.context, self._reply, self._io_timeout)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="course-tls-server", daemon=True
        )
        self._thread.start()
        return self

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` the server listens on."""
        if self._server is None:
            raise RuntimeError("server not started: call start() first")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def port(self) -> int:
        """The port the operating system chose."""
        return self.address[1]

    @property
    def errors(self) -> list[str]:
        """Failed connections, e.g. ``'SSLError: TLSV1_ALERT_UNKNOWN_CA'``."""
        return list(self._server.errors) if self._server else []

    @property
    def received(self) -> list[bytes]:
        """Messages the server received, in order."""
        return list(self._server.received) if self._server else []

    @property
    def thread(self) -> threading.Thread | None:
        """The serving thread (``None`` before :meth:`start`)."""
        return self._thread

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close the listening socket and join the thread."""
        timeout = _checks.positive("timeout", timeout)
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"server thread still alive after {timeout} s")

    def __enter__(self) -> TLSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------
# 6. JWT tampering and a real SQLite database
# --------------------------------------------------------------------------------------


_MAX_TOKEN_CHARS = 8192


def _b64url_decode(part: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", part):
        raise ValueError("not base64url (A-Z a-z 0-9 - _ without padding)")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def tamper_jwt_claims(token: str, **changes: object) -> str:
    """The attacker's edit: change claims in a JWT's payload, keep header and signature.

    A JWT is ``base64url(header).base64url(payload).signature`` (RFC 7519); the payload is
    only encoded, not encrypted, so anyone can read and rewrite it. A verifier that checks
    the signature rejects the result.
    """
    if not isinstance(token, str):
        raise TypeError(f"token must be a str (a compact JWT), got {type(token).__name__}")
    if token.count(".") != 2 or len(token) > _MAX_TOKEN_CHARS:
        raise ValueError(f"token must be a compact JWT 'header.payload.signature' under {_MAX_TOKEN_CHARS} characters, got {token[:40]!r}")
    if not changes:
        raise ValueError("changes must name at least one claim to change")
    header, payload, signature = token.split(".")
    try:
        claims = json.loads(_b64url_decode(payload))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"token's payload must be base64url-encoded JSON, got {payload[:24]!r}: {exc}") from None
    if not isinstance(claims, dict):
        raise ValueError(f"token's payload must be a JSON object of claims, got {type(claims).__name__}")
    claims.update(changes)
    try:
        encoded = json.dumps(claims, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise TypeError(f"changes must be JSON values (str, number, bool, None, list, dict), got {changes!r}: {exc}") from None
    body = base64.urlsafe_b64encode(encoded).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def patients_database(
    patients: pd.DataFrame,
    path: str | os.PathLike[str] = ":memory:",
    *,
    columns: tuple[str, ...] = ("patient_id", "name", "ssn", "hospital", "diagnosis"),
) -> sqlite3.Connection:
    """Load ``columns`` of ``patients`` into table ``patients`` of a SQLite database.

    ``path`` is ``":memory:"`` (default) or a file, for example in a temporary directory;
    ``None``, an empty path, a number or a directory are refused, and so is a database that
    already has a ``patients`` table (it is created, never appended to). Returns the open connection; the caller closes it.
    """
    if not isinstance(patients, pd.DataFrame):
        raise TypeError(f"patients must be a DataFrame, got {type(patients).__name__}")
    names = _checks.column_list(columns, "columns")
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise TypeError(f"columns must be column names (str), got {bad[0]!r}")
    missing = [c for c in names if c not in patients.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in patients; its columns are {list(patients.columns)}")
    if not (isinstance(path, str) and path == ":memory:"):
        target = _checks.path("path", path, kind="file")
        if not target.parent.is_dir():
            raise FileNotFoundError(f"path's folder does not exist: {str(target.parent)!r}")
        path = str(target)
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise ValueError(f"path {path!r} cannot be opened as a SQLite database: {exc}") from None
    try:
        patients.loc[:, names].to_sql("patients", conn, index=False, if_exists="fail")
    except (sqlite3.Error, pd.errors.DatabaseError, ValueError) as exc:
        conn.close()
        raise ValueError(f"cannot load patients into {path!r}: {exc}") from None
    except Exception:
        conn.close()
        raise
    return conn

