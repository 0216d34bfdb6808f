"""Issue 18, classes 1, 2, 5 and 6 for course_lib.crypto: stored hashes parsed strictly,
no file written where the caller did not ask, workloads bounded, errors that name the argument."""
import base64
import os

import pandas as pd
import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import crypto

GOOD = crypto.hash_password("correct horse", scheme="scrypt")  # default scrypt cost (OWASP's minimum)
_, N, R, P, SALT64, DIGEST64 = GOOD.split("$")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def stored(n=N, r=R, p=P, salt=SALT64, digest=DIGEST64, scheme="scrypt") -> str:
    return "$".join([scheme, str(n), str(r), str(p), salt, digest])


# ---------------------------------------------------------------- 1. strict parsing


def test_the_good_hash_still_verifies():
    assert crypto.verify_password("correct horse", GOOD)
    assert not crypto.verify_password("wrong horse", GOOD)


@pytest.mark.parametrize(
    "bad, match",
    [
        (stored(digest=""), "digest must be URL-safe base64"),  # was: True for every password
        (stored(digest=b64(b"\x00")), "digest must decode to exactly 32 bytes, got 1"),
        (stored(digest=b64(bytes(31))), "digest must decode to exactly 32 bytes, got 31"),
        (stored(digest=b64(bytes(64))), "digest must decode to exactly 32 bytes, got 64"),
        (stored(salt=""), "salt must be URL-safe base64"),
        (stored(salt=b64(bytes(8))), "salt must decode to 16 to 64 bytes, got 8"),
        (stored(salt=b64(bytes(65))), "salt must decode to 16 to 64 bytes, got 65"),
        (stored(digest=DIGEST64.rstrip("=")), "URL-safe base64"),  # padding removed
        (stored(digest=DIGEST64[:-2] + "!="), "URL-safe base64"),
        (stored(digest=DIGEST64.replace("=", "") + "===="), "URL-safe base64"),
        (stored(digest=" " + DIGEST64[1:]), "URL-safe base64"),
        (stored(digest=DIGEST64[:-2] + "B="), "canonical base64"),  # non-zero padding bits
        (stored(digest=b64(bytes(32)).replace("A", "+", 1)), "URL-safe base64"),  # standard alphabet
        (stored(n="2**14"), "cost n must be a positive decimal"),
        (stored(n="016384"), "cost n must be a positive decimal"),
        (stored(n="+16384"), "cost n must be a positive decimal"),
        (stored(n=" 16384"), "cost n must be a positive decimal"),
        (stored(n="１６３８４"), "cost n must be a positive decimal"),  # full-width digits int() accepts
        (stored(n="16_384"), "cost n must be a positive decimal"),
        (stored(n=2**30), "n in stored must be a power of 2 from 2 to 2\\*\\*20"),  # 1 TiB of memory
        (stored(n=2**20, r=16), "more than the limit of 1 GiB"),
        (stored(n=16), "too weak for a password hash"),  # downgraded cost
        (stored(n=2**14, r=1), "too weak for a password hash"),
        (stored(n=2**14), "too weak for a password hash"),  # the old default, below OWASP's N=2**17
        (stored(n=3), "power of 2"),
        (stored(r=0), "cost r must be a positive decimal"),
        (stored(r=33), "r in stored must be an int from 1 to 32"),
        (stored(p=17), "p in stored must be an int from 1 to 16"),
        (stored(p="9" * 40), "cost p must be a positive decimal"),
        (stored(scheme="bcrypt"), "stored must look like"),
        (GOOD + "$", "stored must look like"),
        (GOOD[: GOOD.rindex("$")], "stored must look like"),
        ("", "stored must look like"),
        ("scrypt$" + "A" * 600, "under 512 characters"),
    ],
)
def test_verify_password_refuses_malformed_stored_hashes(bad, match):
    with pytest.raises(ValueError, match=match):
        crypto.verify_password("correct horse", bad)


@pytest.mark.parametrize("bad", [None, 0, b"scrypt$16384$8$1$x$y", ["scrypt"], 3.5])
def test_verify_password_refuses_non_strings(bad):
    with pytest.raises(TypeError, match="stored must be a str"):
        crypto.verify_password("pw", bad)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digest=st.binary(max_size=48), password=st.text(min_size=1, max_size=12))
def test_only_a_32_byte_digest_is_ever_compared(digest, password):
    """Property: a digest of any other length is refused, never accepted (issue 18, class 1)."""
    candidate = stored(digest=b64(digest)) if digest else stored(digest="")
    if len(digest) == crypto.DIGEST_BYTES:
        assert isinstance(crypto.verify_password(password, candidate), bool)
    else:
        with pytest.raises(ValueError, match="digest"):
            crypto.verify_password(password, candidate)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_string_is_verified_or_refused_with_value_error(text):
    """Property: an arbitrary stored string never yields True and never escapes as another error."""
    try:
        result = crypto.verify_password("pw", text)
    except ValueError as exc:
        assert "stored" in str(exc) or "n " in str(exc) or "r " in str(exc)
    else:  # pragma: no cover - a random string is astronomically unlikely to parse
        assert result is False


def test_password_length_is_bounded():
    with pytest.raises(ValueError, match="password must be at most 4096 bytes"):
        crypto.verify_password("x" * 5000, GOOD)
    with pytest.raises(ValueError, match="password must be at most 4096 bytes"):
        crypto.hash_password("x" * 5000)


# ---------------------------------------------------------------- 2. no writes the caller did not ask for


def _frame():
    return pd.DataFrame({"patient_id": ["P1"], "name": ["A"], "ssn": ["9"], "hospital": ["H"], "diagnosis": ["d"]})


@pytest.mark.parametrize("path, error", [(None, TypeError), ("", ValueError), ("  ", ValueError), (0, TypeError),
                                          (3.5, TypeError), (True, TypeError), (b"x.db", TypeError)])
def test_patients_database_refuses_paths_that_write_elsewhere(path, error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match="path must be"):
        crypto.patients_database(_frame(), path)
    assert list(tmp_path.iterdir()) == []  # no file named 'None', '0' or '' appeared


def test_patients_database_refuses_a_directory_and_wraps_sqlite_errors(tmp_path):
    with pytest.raises(ValueError, match="path must be a file, got the directory"):
        crypto.patients_database(_frame(), tmp_path)
    with pytest.raises(FileNotFoundError, match="path's folder does not exist"):
        crypto.patients_database(_frame(), tmp_path / "missing" / "h.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 10)
    with pytest.raises(ValueError, match="cannot load patients into"):
        crypto.patients_database(_frame(), tmp_path / "junk.db")
    with pytest.raises(TypeError, match="columns must be a sequence of column names, got the single string"):
        crypto.patients_database(_frame(), columns="name")


@pytest.mark.parametrize("bad, error, match", [
    (None, TypeError, "source must be a path"), ("", ValueError, "source must be a non-empty path"),
    (7, TypeError, "source must be a path"),
])
def test_file_functions_refuse_bad_sources(bad, error, match, tmp_path):
    for function in (crypto.encrypt_file, crypto.decrypt_file):
        with pytest.raises(error, match=match):
            function(bad, tmp_path / "out", Fernet.generate_key())


def test_file_functions_refuse_bad_targets_before_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "a.txt"
    src.write_bytes(b"x")
    key = Fernet.generate_key()
    for bad, error in ((None, TypeError), ("", ValueError), (0, TypeError), (tmp_path, ValueError)):
        with pytest.raises(error, match="target must be"):
            crypto.encrypt_file(src, bad, key)
    with pytest.raises(ValueError, match="source must be a file, got the directory"):
        crypto.encrypt_file(tmp_path, tmp_path / "o", key)
    with pytest.raises(TypeError, match="key must be a Fernet key"):
        crypto.encrypt_file(src, tmp_path / "o", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # a bad key wrote nothing


def test_create_test_pki_refuses_bad_directories_and_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for bad, error in ((None, TypeError), ("", ValueError), (1, TypeError)):
        with pytest.raises(error, match="directory must be"):
            crypto.create_test_pki(bad)
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="directory must be a directory, got the file"):
        crypto.create_test_pki(tmp_path / "f")
    with pytest.raises(TypeError, match="hostname must be a str"):
        crypto.create_test_pki(tmp_path, hostname=None)
    with pytest.raises(ValueError, match="hostname must be a DNS name"):
        crypto.create_test_pki(tmp_path, hostname="a/b")
    with pytest.raises(TypeError, match="ca_name must be a str"):
        crypto.create_test_pki(tmp_path, ca_name=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


# ---------------------------------------------------------------- 5. workloads bounded


def test_certificate_lifetime_is_bounded(tmp_path):
    with pytest.raises(ValueError, match="days must be an int from 1 to 398, got 100000"):
        crypto.create_test_pki(tmp_path, days=100_000)
    with pytest.raises(ValueError, match="days must be an int from 1 to 398"):
        crypto.create_test_pki(tmp_path, days=10**30)  # was: OverflowError from timedelta
    with pytest.raises(TypeError, match="days must be an int, got float"):
        crypto.create_test_pki(tmp_path, days=1.5)


def test_tamper_jwt_claims_bounds_and_errors():
    with pytest.raises(TypeError, match="token must be a str"):
        crypto.tamper_jwt_claims(None, role="x")
    with pytest.raises(ValueError, match="compact JWT"):
        crypto.tamper_jwt_claims("a.b.c" + "x" * 10_000, role="x")
    with pytest.raises(ValueError, match="payload must be base64url-encoded JSON"):
        crypto.tamper_jwt_claims("a.!!!.c", role="x")  # was: binascii.Error
    with pytest.raises(ValueError, match="payload must be base64url-encoded JSON"):
        crypto.tamper_jwt_claims("a.bm90IGpzb24.c", role="x")  # 'not json'
    with pytest.raises(ValueError, match="payload must be a JSON object"):
        crypto.tamper_jwt_claims("a.WzFd.c", role="x")  # '[1]': was AttributeError
    token = "e30.eyJzdWIiOiJQMSJ9.sig"
    with pytest.raises(TypeError, match="changes must be JSON values"):
        crypto.tamper_jwt_claims(token, role=object())
    with pytest.raises(TypeError, match="changes must be JSON values"):
        crypto.tamper_jwt_claims(token, score=float("nan"))


def test_tls_server_bounds(tmp_path):
    files = crypto.create_test_pki(tmp_path)
    for bad, error in ((float("nan"), ValueError), (10_000, ValueError), ("5", TypeError)):
        with pytest.raises(error, match="io_timeout must be"):
            crypto.TLSServer(files.server_cert, files.server_key, io_timeout=bad)
    with pytest.raises(TypeError, match="host must be a str"):
        crypto.TLSServer(files.server_cert, files.server_key, host=None)
    with pytest.raises(ValueError, match="certfile and keyfile must be a PEM certificate"):
        crypto.TLSServer(files.ca_cert, files.ca_cert)  # a certificate is not a key
    with pytest.raises(ValueError, match="certfile must be a file, got the directory"):
        crypto.TLSServer(tmp_path, files.server_key)
    server = crypto.TLSServer(files.server_cert, files.server_key)
    with pytest.raises(ValueError, match="timeout must be > 0"):
        server.stop(timeout=-1)


# ---------------------------------------------------------------- 6. errors that name the argument


def test_other_crypto_errors_name_the_argument():
    with pytest.raises(TypeError, match="blob must be bytes"):
        crypto.password_decrypt("text", "pw")
    with pytest.raises(TypeError, match="blob must be bytes"):
        crypto.hybrid_decrypt(None, crypto.X25519PrivateKey.generate())
    with pytest.raises(TypeError, match="associated_data must be bytes"):
        crypto.hybrid_encrypt(b"x", crypto.X25519PrivateKey.generate().public_key(), associated_data="ad")
    with pytest.raises(TypeError, match="n must be an int"):
        crypto.derive_fernet_key("pw", os.urandom(16), n="16")


def test_hybrid_decrypt_refuses_a_low_order_ephemeral_key():
    with pytest.raises(ValueError, match="blob's ephemeral public key is invalid"):
        crypto.hybrid_decrypt(bytes(32) + bytes(12) + bytes(16), crypto.X25519PrivateKey.generate())
