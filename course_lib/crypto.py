"""Lesson 02 (encryption and secure data handling): the glue around real cryptography.

What this module teaches, read top to bottom:

1. **Keys from passwords.** :func:`derive_fernet_key` stretches a password with a salted,
   memory-hard KDF (Scrypt); :func:`password_encrypt` stores the salt beside the ciphertext.
2. **Password storage.** :func:`hash_password` / :func:`verify_password` keep a slow, salted
   Scrypt hash instead of a fast SHA-256 digest.
3. **Data at rest.** :func:`encrypt_file` / :func:`decrypt_file` encrypt a whole file with
   Fernet; the notebook encrypts one column with the same primitive.
4. **Sharing with a partner.** :func:`hybrid_encrypt` / :func:`hybrid_decrypt` wrap data for
   a recipient's X25519 public key (ephemeral X25519 + HKDF-SHA256 + AES-GCM).
5. **TLS for real.** :func:`create_test_pki` writes a CA and a ``localhost`` server
   certificate made with ``cryptography.x509``; :class:`TLSServer` serves TLS on 127.0.0.1
   from a background thread and shuts down cleanly.
6. **Authentication and queries.** :func:`tamper_jwt_claims` is the attacker's edit of a
   JWT payload (the notebook shows PyJWT rejecting it); :func:`patients_database` loads
   patients into a real SQLite database for the SQL-injection demonstration.

Every primitive comes from the maintained ``cryptography`` package; nothing here invents a
cipher. Secret material (salts, nonces, keys) comes from the operating system's CSPRNG
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
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "SALT_BYTES",
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

# Scrypt cost: n=2**14, r=8, p=1 are the interactive-login parameters of Percival's paper and
# the cryptography documentation; they use 16 MiB of memory per guess.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def _as_bytes(value: str | bytes, name: str) -> bytes:
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes):
        raise TypeError(f"{name} must be str or bytes, got {type(value).__name__}")
    return value


def _check_scrypt_cost(n: int, r: int, p: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n & (n - 1):
        raise ValueError(f"n must be a power of 2 greater than 1, got {n!r}")
    for name, value in (("r", r), ("p", p)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")


# --------------------------------------------------------------------------------------
# 1. Keys from passwords
# --------------------------------------------------------------------------------------


def derive_fernet_key(
    password: str | bytes, salt: bytes, *, n: int = _SCRYPT_N, r: int = 8, p: int = 1
) -> bytes:
    """Derive a Fernet key (32 bytes, URL-safe base64) from ``password`` and ``salt``.

    Uses Scrypt (Percival, *Stronger key derivation via sequential memory-hard functions*,
    2009; RFC 7914). The same password and salt always give the same key; a different salt
    gives an unrelated key, so equal passwords do not share keys and precomputed tables fail.
    """
    password = _as_bytes(password, "password")
    if not password:
        raise ValueError("password must not be empty")
    if not isinstance(salt, bytes) or len(salt) < SALT_BYTES:
        raise ValueError(f"salt must be at least {SALT_BYTES} random bytes, got {type(salt).__name__} of length {len(salt) if hasattr(salt, '__len__') else '?'}")
    _check_scrypt_cost(n, r, p)
    raw = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password)
    return base64.urlsafe_b64encode(raw)


def password_encrypt(data: bytes, password: str | bytes) -> bytes:
    """Encrypt ``data`` under a key derived from ``password``; returns ``salt || token``.

    A fresh random salt is drawn for every call and stored in the clear in front of the
    Fernet token: the salt is not secret, it only has to be unique.
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    salt = os.urandom(SALT_BYTES)
    return salt + Fernet(derive_fernet_key(password, salt)).encrypt(data)


def password_decrypt(blob: bytes, password: str | bytes) -> bytes:
    """Reverse :func:`password_encrypt`. A wrong password raises ``InvalidToken``."""
    if not isinstance(blob, bytes) or len(blob) <= SALT_BYTES:
        raise ValueError(f"blob must be bytes longer than the {SALT_BYTES}-byte salt")
    salt, token = blob[:SALT_BYTES], blob[SALT_BYTES:]
    return Fernet(derive_fernet_key(password, salt)).decrypt(token)


# --------------------------------------------------------------------------------------
# 2. Password storage: slow and salted
# --------------------------------------------------------------------------------------


def hash_password(password: str | bytes, *, n: int = _SCRYPT_N, r: int = 8, p: int = 1) -> str:
    """A storable Scrypt hash ``scrypt$n$r$p$salt$digest`` (salt and digest in base64).

    Parameters are stored with the hash so that they can be raised later (OWASP Password
    Storage Cheat Sheet) while old hashes still verify.
    """
    password = _as_bytes(password, "password")
    if not password:
        raise ValueError("password must not be empty")
    _check_scrypt_cost(n, r, p)
    salt = os.urandom(SALT_BYTES)
    digest = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str | bytes, stored: str) -> bool:
    """True if ``password`` matches ``stored`` (from :func:`hash_password`).

    The comparison is constant-time (``hmac.compare_digest``).
    """
    password = _as_bytes(password, "password")
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError(f"stored must look like 'scrypt$n$r$p$salt$digest', got {stored!r}")
    n, r, p = (int(x) for x in parts[1:4])
    _check_scrypt_cost(n, r, p)
    salt = base64.urlsafe_b64decode(parts[4])
    expected = base64.urlsafe_b64decode(parts[5])
    candidate = Scrypt(salt=salt, length=len(expected), n=n, r=r, p=p).derive(password)
    return hmac.compare_digest(candidate, expected)


# --------------------------------------------------------------------------------------
# 3. Files at rest
# --------------------------------------------------------------------------------------


def _fernet(key: bytes | Fernet | MultiFernet) -> Fernet | MultiFernet:
    if isinstance(key, (Fernet, MultiFernet)):
        return key
    try:
        return Fernet(key)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"key must be a Fernet key (32 bytes, URL-safe base64) or a (Multi)Fernet, got {type(key).__name__} of length {len(key) if hasattr(key, '__len__') else '?'}") from exc


def _source_and_target(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Paths of an existing ``source`` file and a different ``target``."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise FileNotFoundError(f"source file not found: {source}")
    if source.resolve() == target.resolve():
        raise ValueError("target must differ from source: never overwrite the only copy before it decrypts")
    return source, target


def encrypt_file(source: str | os.PathLike[str], target: str | os.PathLike[str], key: bytes | Fernet | MultiFernet) -> Path:
    """Encrypt the file ``source`` into ``target`` with Fernet (AES-128-CBC + HMAC-SHA256).

    ``key`` may also be a ``MultiFernet``. The whole file is read into memory, which suits
    the course's small files (Fernet is not a streaming format). Returns ``target``.
    """
    source, target = _source_and_target(source, target)
    target.write_bytes(_fernet(key).encrypt(source.read_bytes()))
    return target


def decrypt_file(source: str | os.PathLike[str], target: str | os.PathLike[str], key: bytes | Fernet | MultiFernet) -> Path:
    """Decrypt a file written by :func:`encrypt_file`; a wrong key raises ``InvalidToken``."""
    source, target = _source_and_target(source, target)
    target.write_bytes(_fernet(key).decrypt(source.read_bytes()))
    return target


# --------------------------------------------------------------------------------------
# 4. Hybrid encryption for a partner
# --------------------------------------------------------------------------------------

_HYBRID_INFO = b"course_lib hybrid v1: X25519-HKDF-SHA256-AES256GCM"


def _hybrid_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_HYBRID_INFO).derive(shared)


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def hybrid_encrypt(data: bytes, recipient: X25519PublicKey, *, associated_data: bytes = b"") -> bytes:
    """Encrypt ``data`` so that only the holder of ``recipient``'s private key can read it.

    An ECIES-style construction (as in RFC 9180, HPKE, base mode, simplified): a fresh
    ephemeral X25519 key agrees a secret with the recipient (RFC 7748), HKDF-SHA256
    (RFC 5869) turns it into an AES-256-GCM key. Output: ``ephemeral public key (32) ||
    nonce (12) || ciphertext+tag``.
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    if not isinstance(recipient, X25519PublicKey):
        raise TypeError(f"recipient must be an X25519PublicKey, got {type(recipient).__name__}")
    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw(ephemeral.public_key())
    key = _hybrid_key(ephemeral.exchange(recipient), eph_pub, _raw(recipient))
    nonce = os.urandom(12)
    return eph_pub + nonce + AESGCM(key).encrypt(nonce, data, associated_data)


def hybrid_decrypt(blob: bytes, private_key: X25519PrivateKey, *, associated_data: bytes = b"") -> bytes:
    """Reverse :func:`hybrid_encrypt`; the wrong private key or any change raises ``InvalidTag``."""
    if not isinstance(private_key, X25519PrivateKey):
        raise TypeError(f"private_key must be an X25519PrivateKey, got {type(private_key).__name__}")
    if not isinstance(blob, bytes) or len(blob) < 32 + 12 + 16:
        raise ValueError("blob must be bytes of at least 60 (key, nonce, tag)")
    eph_pub, nonce, body = blob[:32], blob[32:44], blob[44:]
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
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
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"directory must be an existing folder, got {str(directory)!r}")
    if not isinstance(hostname, str) or not hostname or any(c.isspace() for c in hostname):
        raise ValueError(f"hostname must be a non-empty name without spaces, got {hostname!r}")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be an int >= 1, got {days!r}")
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
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"host must be a loopback IP address such as 127.0.0.1 (the course makes no network calls), got {host!r}")
        for name, path in (("certfile", certfile), ("keyfile", keyfile)):
            if not Path(path).is_file():
                raise FileNotFoundError(f"{name} not found: {path}")
        if reply is not None and not callable(reply):
            raise TypeError(f"reply must be callable, got {type(reply).__name__}")
        if not io_timeout > 0:
            raise ValueError(f"io_timeout must be > 0, got {io_timeout}")
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.context.load_cert_chain(certfile, keyfile)
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


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def tamper_jwt_claims(token: str, **changes: object) -> str:
    """The attacker's edit: change claims in a JWT's payload, keep header and signature.

    A JWT is ``base64url(header).base64url(payload).signature`` (RFC 7519); the payload is
    only encoded, not encrypted, so anyone can read and rewrite it. A verifier that checks
    the signature rejects the result.
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise ValueError("token must be a compact JWT 'header.payload.signature'")
    if not changes:
        raise ValueError("changes must name at least one claim to change")
    header, payload, signature = token.split(".")
    claims = json.loads(_b64url_decode(payload))
    claims.update(changes)
    body = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def patients_database(
    patients: pd.DataFrame,
    path: str | os.PathLike[str] = ":memory:",
    *,
    columns: tuple[str, ...] = ("patient_id", "name", "ssn", "hospital", "diagnosis"),
) -> sqlite3.Connection:
    """Load ``columns`` of ``patients`` into table ``patients`` of a SQLite database.

    ``path`` is ``":memory:"`` (default) or a file, for example in a temporary directory.
    Returns the open connection; the caller closes it.
    """
    if not isinstance(patients, pd.DataFrame):
        raise TypeError(f"patients must be a DataFrame, got {type(patients).__name__}")
    missing = [c for c in columns if c not in patients.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in patients")
    conn = sqlite3.connect(str(path))
    try:
        patients.loc[:, list(columns)].to_sql("patients", conn, index=False, if_exists="fail")
    except Exception:
        conn.close()
        raise
    return conn

