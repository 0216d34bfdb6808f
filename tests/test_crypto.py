"""course_lib.crypto (lesson 02): every public function, success and failure paths."""
import base64
import datetime as dt
import json
import os
import socket
import ssl
import stat
import threading

import jwt
import pandas as pd
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from course_lib import crypto

SALT = b"0123456789abcdef"
FAST = {"n": 2**4}  # a tiny Scrypt cost keeps the tests quick; the defaults are tested once


# ---------------------------------------------------------------- keys from passwords


def test_derive_fernet_key_is_deterministic_and_salted():
    k1 = crypto.derive_fernet_key("pw", SALT, **FAST)
    assert k1 == crypto.derive_fernet_key(b"pw", SALT, **FAST)
    assert k1 != crypto.derive_fernet_key("pw", SALT[::-1], **FAST)
    assert k1 != crypto.derive_fernet_key("pw2", SALT, **FAST)
    assert len(base64.urlsafe_b64decode(k1)) == 32
    Fernet(k1)  # a valid Fernet key


def test_derive_fernet_key_matches_rfc7914_vector():
    # RFC 7914 section 12, second vector: P="password", S="NaCl", N=1024, r=8, p=16 (first 32 bytes)
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    expected = Scrypt(salt=b"NaCl", length=64, n=1024, r=8, p=16).derive(b"password")
    assert expected.hex().startswith("fdbabe1c9d3472007856e7190d01e9fe")
    salt = b"NaCl" * 4  # our helper insists on 16-byte salts; compare with the library directly
    raw = Scrypt(salt=salt, length=32, n=1024, r=8, p=16).derive(b"password")
    assert crypto.derive_fernet_key("password", salt, n=1024, r=8, p=16) == base64.urlsafe_b64encode(raw)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"password": "", "salt": SALT}, "password must not be empty"),
        ({"password": "pw", "salt": b"short"}, "salt must be 16 to 64 random bytes, got 5"),
        ({"password": "pw", "salt": SALT, "n": 1000}, "n must be a power of 2"),
        ({"password": "pw", "salt": SALT, "n": 2**21}, "n must be a power of 2 from 2 to 2\\*\\*20"),
        ({"password": "pw", "salt": SALT, "r": 0}, "r must be an int from 1 to 32"),
        ({"password": "pw", "salt": SALT, "p": -1}, "p must be an int from 1 to 16"),
        ({"password": "pw", "salt": SALT, "n": 2**20, "r": 16}, "more than the limit of 1 GiB"),
    ],
)
def test_derive_fernet_key_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        crypto.derive_fernet_key(**kwargs)


def test_derive_fernet_key_rejects_wrong_type():
    with pytest.raises(TypeError, match="password must be str or bytes"):
        crypto.derive_fernet_key(123, SALT)
    with pytest.raises(TypeError, match="salt must be bytes"):
        crypto.derive_fernet_key("pw", "0123456789abcdef")


def test_password_roundtrip_salt_in_front_and_wrong_password():
    blob = crypto.password_encrypt(b"record", "s3cret")
    assert crypto.password_decrypt(blob, "s3cret") == b"record"
    salt = blob[: crypto.SALT_BYTES]
    assert Fernet(crypto.derive_argon2id_key("s3cret", salt)).decrypt(blob[crypto.SALT_BYTES:]) == b"record"
    assert crypto.password_encrypt(b"record", "s3cret")[:16] != salt  # fresh salt each call
    with pytest.raises(InvalidToken):
        crypto.password_decrypt(blob, "wrong")


def test_password_encrypt_decrypt_bad_input():
    with pytest.raises(TypeError, match="data must be bytes"):
        crypto.password_encrypt("text", "pw")
    with pytest.raises(ValueError, match="blob must be bytes longer"):
        crypto.password_decrypt(b"x" * 16, "pw")


# ---------------------------------------------------------------- password storage


def test_hash_and_verify_password():
    stored = crypto.hash_password("hunter2")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's minimum Argon2id cost
    assert crypto.verify_password("hunter2", stored)
    assert not crypto.verify_password("hunter3", stored)
    assert crypto.hash_password("hunter2") != stored  # salted


def test_hash_password_default_cost_is_recorded():
    stored = crypto.hash_password("pw", scheme="scrypt")
    assert stored.split("$")[1:4] == ["131072", "8", "1"]  # OWASP's minimum scrypt cost
    assert crypto.verify_password(b"pw", stored)
    assert not crypto.verify_password(b"px", stored)


def test_argon2id_hash_is_the_standard_phc_string():
    """The library's own PHC verifier accepts our hash: the format is the standard one."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    stored = crypto.hash_password("hunter2")
    Argon2id.verify_phc_encoded(b"hunter2", stored)
    assert crypto.verify_password("hunter2", stored) and not crypto.verify_password("hunter3", stored)


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda h: h.replace("m=19456", "m=1024"), "below OWASP's minimum"),  # downgraded cost
        (lambda h: h.replace("t=2", "t=1"), "below OWASP's minimum"),
        (lambda h: h.replace("m=19456", "m=4194304"), "memory_kib in stored must be an int from 1 to"),
        (lambda h: h.replace("p=1", "p=17"), "lanes in stored must be an int from 1 to 16"),
        (lambda h: h.replace("t=2", "t=02"), "stored must look like"),
        (lambda h: h.replace("v=19", "v=16"), "stored must look like"),
        (lambda h: h.replace("$argon2id$", "$argon2i$"), "stored must look like"),
        (lambda h: h + "=", "stored must look like"),
        (lambda h: h[: h.rindex("$")], "stored must look like"),
        (lambda h: h[: h.rindex("$") + 1] + "AAAA", "digest must decode to exactly 32 bytes, got 3"),
        (lambda h: h[: h.rindex("$") + 1] + "A" * 44, "digest must decode to exactly 32 bytes, got 33"),
    ],
)
def test_verify_password_refuses_malformed_argon2id_hashes(edit, match):
    good = crypto.hash_password("pw")
    with pytest.raises(ValueError, match=match):
        crypto.verify_password("pw", edit(good))


def test_derive_argon2id_key():
    k1 = crypto.derive_argon2id_key("pw", SALT)
    assert k1 == crypto.derive_argon2id_key(b"pw", SALT) != crypto.derive_argon2id_key("pw", SALT[::-1])
    Fernet(k1)
    with pytest.raises(ValueError, match="below OWASP's minimum"):
        crypto.derive_argon2id_key("pw", SALT, memory_kib=1024)
    with pytest.raises(ValueError, match="salt must be 16 to 64 random bytes"):
        crypto.derive_argon2id_key("pw", b"short")
    with pytest.raises(ValueError, match="password must not be empty"):
        crypto.derive_argon2id_key("", SALT)
    with pytest.raises(TypeError, match="iterations must be an int"):
        crypto.derive_argon2id_key("pw", SALT, iterations=2.0)
    with pytest.raises(ValueError, match="at least 8 \\* lanes"):
        crypto.derive_argon2id_key("pw", SALT, memory_kib=64, lanes=16)


def test_hash_and_verify_password_bad_input():
    with pytest.raises(ValueError, match="password must not be empty"):
        crypto.hash_password("")
    with pytest.raises(ValueError, match="n must be a power of 2"):
        crypto.hash_password("pw", n=3)
    with pytest.raises(ValueError, match="too weak for a password hash"):
        crypto.hash_password("pw", **FAST)
    with pytest.raises(ValueError, match="stored must look like"):
        crypto.verify_password("pw", "sha256$abc")
    with pytest.raises(ValueError, match="scheme must be 'argon2id' or 'scrypt'"):
        crypto.hash_password("pw", scheme="bcrypt")
    with pytest.raises(TypeError, match="stored must be a str"):
        crypto.verify_password("pw", None)


# ---------------------------------------------------------------- files at rest


def test_encrypt_decrypt_file_roundtrip(tmp_path):
    src = tmp_path / "data.csv"
    src.write_bytes(b"name,ssn\nAda,900-11-2222\n")
    key = Fernet.generate_key()
    enc = crypto.encrypt_file(src, tmp_path / "data.enc", key)
    assert b"900-11-2222" not in base64.urlsafe_b64decode(enc.read_bytes())
    out = crypto.decrypt_file(enc, tmp_path / "back.csv", key)
    assert out.read_bytes() == src.read_bytes()


def test_file_functions_accept_multifernet_and_refuse_wrong_key(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(b"secret")
    old, new = Fernet.generate_key(), Fernet.generate_key()
    enc = crypto.encrypt_file(src, tmp_path / "a.enc", Fernet(old))
    assert crypto.decrypt_file(enc, tmp_path / "b.txt", MultiFernet([Fernet(new), Fernet(old)])).read_bytes() == b"secret"
    with pytest.raises(InvalidToken):
        crypto.decrypt_file(enc, tmp_path / "c.txt", new)


def test_file_functions_bad_input(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(b"x")
    key = Fernet.generate_key()
    with pytest.raises(FileNotFoundError, match="source does not exist"):
        crypto.encrypt_file(tmp_path / "missing", tmp_path / "o", key)
    with pytest.raises(FileNotFoundError, match="source does not exist"):
        crypto.decrypt_file(tmp_path / "missing", tmp_path / "o", key)
    with pytest.raises(ValueError, match="target must differ"):
        crypto.encrypt_file(src, src, key)
    with pytest.raises(ValueError, match="target must differ"):
        crypto.decrypt_file(src, src, key)
    with pytest.raises(ValueError, match="key must be a Fernet key") as info:
        crypto.encrypt_file(src, tmp_path / "o", b"not a key")
    assert "not a key" not in str(info.value)  # errors never echo key material


# ---------------------------------------------------------------- hybrid encryption


def test_hybrid_roundtrip_and_layout():
    partner = X25519PrivateKey.generate()
    blob = crypto.hybrid_encrypt(b"data key", partner.public_key(), associated_data=b"v1")
    assert len(blob) == 32 + 12 + len(b"data key") + 16
    assert crypto.hybrid_decrypt(blob, partner, associated_data=b"v1") == b"data key"
    assert crypto.hybrid_encrypt(b"data key", partner.public_key()) != crypto.hybrid_encrypt(
        b"data key", partner.public_key()
    )


def test_hybrid_failures():
    partner = X25519PrivateKey.generate()
    blob = crypto.hybrid_encrypt(b"k", partner.public_key(), associated_data=b"v1")
    with pytest.raises(InvalidTag):
        crypto.hybrid_decrypt(blob, X25519PrivateKey.generate(), associated_data=b"v1")
    with pytest.raises(InvalidTag):
        crypto.hybrid_decrypt(blob, partner, associated_data=b"v2")
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(InvalidTag):
        crypto.hybrid_decrypt(flipped, partner, associated_data=b"v1")
    with pytest.raises(TypeError, match="recipient must be an X25519PublicKey"):
        crypto.hybrid_encrypt(b"k", partner)
    with pytest.raises(TypeError, match="data must be bytes"):
        crypto.hybrid_encrypt("k", partner.public_key())
    with pytest.raises(TypeError, match="private_key must be an X25519PrivateKey"):
        crypto.hybrid_decrypt(blob, partner.public_key())
    with pytest.raises(ValueError, match="blob must be at least 60 bytes"):
        crypto.hybrid_decrypt(b"short", partner)


# ---------------------------------------------------------------- TLS


@pytest.fixture()
def pki(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "rogue").mkdir()
    return crypto.create_test_pki(tmp_path / "good"), crypto.create_test_pki(tmp_path / "rogue", ca_name="Rogue CA")


def _send(context, address, message, hostname="localhost"):
    with socket.create_connection(address, timeout=5) as raw, context.wrap_socket(raw, server_hostname=hostname) as tls:
        tls.sendall(message)
        return tls.recv(1024)


def test_create_test_pki_certificates(pki):
    files, _ = pki
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    server = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    assert server.issuer == ca.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    now = dt.datetime.now(dt.UTC)
    assert server.not_valid_before_utc < now < server.not_valid_after_utc
    assert stat.S_IMODE(files.server_key.stat().st_mode) == 0o600


def test_create_test_pki_bad_input(tmp_path):
    with pytest.raises(ValueError, match="directory must be an existing folder"):
        crypto.create_test_pki(tmp_path / "nope")
    with pytest.raises(ValueError, match="hostname must be a DNS name or IP address"):
        crypto.create_test_pki(tmp_path, hostname="two words")
    with pytest.raises(ValueError, match="days must be an int from 1 to 398, got 0"):
        crypto.create_test_pki(tmp_path, days=0)


def test_tls_server_verified_client_exchanges_data_and_shuts_down(pki):
    files, _ = pki
    before = threading.active_count()
    server = crypto.TLSServer(files.server_cert, files.server_key, reply=lambda data: data.upper())
    with server:
        host, port = server.address
        assert host == "127.0.0.1" and port == server.port > 0
        client = ssl.create_default_context(cafile=str(files.ca_cert))
        assert _send(client, server.address, b"hello") == b"HELLO"
        assert server.received == [b"hello"]
    assert not server.thread.is_alive()
    assert threading.active_count() == before
    with pytest.raises(OSError):  # nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_tls_untrusted_certificate_and_wrong_hostname_are_refused(pki):
    files, rogue = pki
    client = ssl.create_default_context(cafile=str(files.ca_cert))
    with crypto.TLSServer(rogue.server_cert, rogue.server_key) as impostor, crypto.TLSServer(
        files.server_cert, files.server_key
    ) as genuine:
        with pytest.raises(ssl.SSLCertVerificationError):
            _send(client, impostor.address, b"x")
        with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
            _send(client, genuine.address, b"x", hostname="other.example")
        with pytest.raises(ssl.SSLCertVerificationError):
            _send(ssl.create_default_context(), genuine.address, b"x")
        careless = ssl.create_default_context()
        careless.check_hostname = False
        careless.verify_mode = ssl.CERT_NONE
        assert _send(careless, impostor.address, b"leak") == b"received 4 bytes"
    assert len(genuine.errors) == 2 and all(e.startswith("SSLError") for e in genuine.errors)
    assert impostor.received == [b"leak"]


def test_tls_server_bad_input_and_lifecycle(pki):
    files, _ = pki
    with pytest.raises(ValueError, match="host must be a loopback IP"):
        crypto.TLSServer(files.server_cert, files.server_key, host="0.0.0.0")
    with pytest.raises(ValueError, match="host must be a loopback IP"):
        crypto.TLSServer(files.server_cert, files.server_key, host="localhost")
    with pytest.raises(FileNotFoundError, match="certfile does not exist"):
        crypto.TLSServer(files.server_cert.with_name("missing.pem"), files.server_key)
    with pytest.raises(TypeError, match="reply must be callable"):
        crypto.TLSServer(files.server_cert, files.server_key, reply="hi")
    with pytest.raises(ValueError, match="io_timeout must be > 0"):
        crypto.TLSServer(files.server_cert, files.server_key, io_timeout=0)
    server = crypto.TLSServer(files.server_cert, files.server_key)
    with pytest.raises(RuntimeError, match="server not started"):
        server.port  # noqa: B018
    assert server.errors == [] and server.received == [] and server.thread is None
    server.stop()  # stopping a server that never started is a no-op
    server.start()
    with pytest.raises(RuntimeError, match="already started"):
        server.start()
    server.stop()
    assert not server.thread.is_alive()


def test_server_context_requires_tls_1_2(pki):
    files, _ = pki
    server = crypto.TLSServer(files.server_cert, files.server_key)
    assert server.context.minimum_version == ssl.TLSVersion.TLSv1_2


# ---------------------------------------------------------------- JWT and SQLite


def test_tamper_jwt_claims_changes_payload_and_breaks_signature():
    secret = "k" * 32
    now = dt.datetime.now(dt.UTC)
    token = jwt.encode({"sub": "P1", "role": "nurse", "exp": now + dt.timedelta(minutes=5)}, secret, algorithm="HS256")
    forged = crypto.tamper_jwt_claims(token, role="admin")
    assert forged.split(".")[0] == token.split(".")[0] and forged.split(".")[2] == token.split(".")[2]
    assert jwt.decode(forged, options={"verify_signature": False})["role"] == "admin"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, secret, algorithms=["HS256"])
    payload = forged.split(".")[1]
    assert json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"] == "P1"


def test_tamper_jwt_claims_bad_input():
    with pytest.raises(ValueError, match="compact JWT"):
        crypto.tamper_jwt_claims("not-a-token", role="x")
    with pytest.raises(ValueError, match="at least one claim"):
        crypto.tamper_jwt_claims("a.b.c")


def test_patients_database_loads_and_binds(tmp_path):
    frame = pd.DataFrame(
        {"patient_id": ["P1", "P2"], "name": ["Ada", "O'Brien"], "ssn": ["900-00-0001", "900-00-0002"],
         "hospital": ["A", "B"], "diagnosis": ["COPD", "asthma"], "extra": [1, 2]}
    )
    conn = crypto.patients_database(frame, tmp_path / "h.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM patients").fetchone()[0] == 2
        cols = [r[1] for r in conn.execute("PRAGMA table_info(patients)")]
        assert cols == ["patient_id", "name", "ssn", "hospital", "diagnosis"]
        assert conn.execute("SELECT patient_id FROM patients WHERE name = ?", ("O'Brien",)).fetchall() == [("P2",)]
        attack = "x' OR '1'='1"
        assert len(conn.execute(f"SELECT * FROM patients WHERE name = '{attack}'").fetchall()) == 2
        assert conn.execute("SELECT * FROM patients WHERE name = ?", (attack,)).fetchall() == []
    finally:
        conn.close()
    assert os.path.exists(tmp_path / "h.db")
    mem = crypto.patients_database(frame, columns=("patient_id",))
    assert mem.execute("SELECT * FROM patients").fetchall() == [("P1",), ("P2",)]
    mem.close()


def test_patients_database_bad_input(tmp_path):
    with pytest.raises(TypeError, match="patients must be a DataFrame"):
        crypto.patients_database([1, 2])
    with pytest.raises(ValueError, match=r"columns \['ssn'\] are not in patients"):
        crypto.patients_database(pd.DataFrame({"patient_id": ["P1"]}), columns=("patient_id", "ssn"))
    frame = pd.DataFrame({"patient_id": ["P1"], "name": ["A"], "ssn": ["9"], "hospital": ["H"], "diagnosis": ["d"]})
    crypto.patients_database(frame, tmp_path / "x.db").close()
    with pytest.raises(ValueError, match="already exists"):  # never silently overwrite a table
        crypto.patients_database(frame, tmp_path / "x.db")
