"""Exercises of lesson 02 (encryption and secure data handling).

q1 a custom check (encrypt one column of a DataFrame with Fernet), q2 a custom check (a JWT
verifier that rejects expired, tampered, unsigned and never-expiring tokens), q3 a custom
check (fix an injectable SQLite query), q4 a reflection (where the key lives).
"""
from __future__ import annotations

import base64
import datetime as dt
import secrets
import sqlite3
from typing import Any

import jwt
import pandas as pd
from cryptography.fernet import Fernet, InvalidToken

from course_lib.crypto import tamper_jwt_claims
from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem

# --------------------------------------------------------------------------------------
# Q1 encrypt a column
# --------------------------------------------------------------------------------------

_SETUP_Q1 = """
import pandas as pd
from cryptography.fernet import Fernet
"""


def _check_encrypt_column(encrypt_column: Any) -> str:
    if not callable(encrypt_column):
        raise Incorrect(f"`encrypt_column` should be a function, got {type(encrypt_column).__name__}.")
    frame = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P3", "P4"],
            "ssn": ["900-11-2222", "955-33-4444", "900-11-2222", "987-65-4321"],
            "age": [34, 71, 34, 58],
        }
    )
    original = frame.copy()
    fernet = Fernet(Fernet.generate_key())
    try:
        out = encrypt_column(frame, "ssn", fernet)
    except TypeError as exc:
        if "bytes" in str(exc):
            raise Incorrect(
                f"Fernet raised TypeError ({exc}): it encrypts bytes, not text. Encrypt `value.encode()`."
            ) from exc
        raise
    if out is None:
        raise Incorrect("`encrypt_column` returned None: return the new DataFrame.")
    if not isinstance(out, pd.DataFrame):
        raise Incorrect(f"`encrypt_column` should return a DataFrame, got {type(out).__name__}.")
    if not frame.equals(original):
        raise Incorrect("the caller's DataFrame was changed: work on a copy (frame.copy()) and return it.")
    if list(out.columns) != list(frame.columns) or len(out) != len(frame):
        raise Incorrect("the result should have the same columns and rows as the input.")
    if not out[["patient_id", "age"]].equals(frame[["patient_id", "age"]]):
        raise Incorrect("only the named column may change; the other columns must stay as they were.")
    values = out["ssn"].tolist()
    if any(v in frame["ssn"].tolist() for v in values):
        raise Incorrect("some SSNs are still in plain text in the result.")
    if not all(isinstance(v, str) for v in values):
        kinds = sorted({type(v).__name__ for v in values})
        raise Incorrect(f"encrypted cells should be text (token.decode()), got {kinds}: bytes do not store well in CSV.")
    if any(v.startswith(("b'", 'b"')) for v in values):
        raise Incorrect(
            "the cells look like \"b'gAAAA...'\": str(token) writes the Python repr of the bytes, which no longer "
            "decrypts. Use token.decode() to turn the token into text."
        )
    for value in values:
        try:
            decoded = base64.urlsafe_b64decode(value.encode())
        except (ValueError, TypeError):
            decoded = b""
        if decoded in {s.encode() for s in frame["ssn"]}:
            raise Incorrect("that is base64, an encoding: anyone can decode it without a key. Use fernet.encrypt.")
    try:
        back = [fernet.decrypt(v.encode()).decode() for v in values]
    except InvalidToken as exc:
        if all(v.startswith("gAAAAA") for v in values):
            raise Incorrect(
                "the cells are Fernet tokens, but not under the key you were given: a new key made inside "
                "the function is lost when it returns. Use the `fernet` argument's encrypt."
            ) from exc
        raise Incorrect(
            "the cells do not decrypt with the key: a hash (e.g. SHA-256) cannot be reversed, so it is not "
            "encryption. Use the `fernet` argument's encrypt."
        ) from exc
    if back != frame["ssn"].tolist():
        raise Incorrect("the cells decrypt, but not to the original SSNs in the original order.")
    if values[0] == values[2]:
        raise Incorrect(
            "the two equal SSNs (rows 1 and 3) got the same token, so the column still shows which patients "
            "share a value. Encrypt every cell separately: Fernet draws a fresh IV on each call."
        )
    return (
        "every SSN decrypts to its original, the other columns are untouched and the caller's frame is not "
        "modified. The two equal SSNs got different tokens (Fernet draws a fresh IV each time), so the "
        "ciphertext does not reveal which patients share a value."
    )


q1 = CustomProblem(
    title="Q1 encrypt one column with Fernet",
    answer_name="encrypt_column",
    setup=_SETUP_Q1,
    checker=_check_encrypt_column,
    hints=[
        "Work on `out = frame.copy()` so the caller's data is left alone, and return `out`.",
        "Fernet encrypts bytes: `value.encode()` in, a token (bytes) out; `.decode()` the token to store text.",
        "`out[column] = frame[column].map(lambda value: fernet.encrypt(str(value).encode()).decode())`",
    ],
    reference="""
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: fernet.encrypt(str(value).encode()).decode())
    return out
""",
    mistakes=[
        """
def encrypt_column(frame, column, fernet):
    frame[column] = frame[column].map(lambda value: fernet.encrypt(str(value).encode()).decode())
    return frame
""",
        """
import hashlib
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: hashlib.sha256(value.encode()).hexdigest())
    return out
""",
        """
import base64
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: base64.urlsafe_b64encode(value.encode()).decode())
    return out
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: str(fernet.encrypt(value.encode())))
    return out
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    tokens = {value: fernet.encrypt(value.encode()).decode() for value in frame[column].unique()}
    out[column] = frame[column].map(tokens)
    return out
""",
    ],
    explanation="Fernet is authenticated encryption: the column can be decrypted with the key and nothing else.",
)

# --------------------------------------------------------------------------------------
# Q2 a JWT verifier
# --------------------------------------------------------------------------------------

_SETUP_Q2 = """
import jwt
"""


def _check_verify_token(verify_token: Any) -> str:
    if not callable(verify_token):
        raise Incorrect(f"`verify_token` should be a function, got {type(verify_token).__name__}.")
    secret = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": "P00042", "role": "nurse", "iat": now, "exp": now + dt.timedelta(minutes=15)}
    good = jwt.encode(claims, secret, algorithm="HS256")
    try:
        got = verify_token(good, secret)
    except jwt.PyJWTError as exc:
        raise Incorrect(
            f"a valid HS256 token with `exp` and `iat` was refused ({type(exc).__name__}: {exc}). Pass lists: "
            "algorithms=['HS256'] and options={'require': ['exp', 'iat']} (claim names, not one string)."
        ) from exc
    if not isinstance(got, dict) or got.get("sub") != "P00042":
        raise Incorrect(f"a valid token should give back its claims as a dict, got {got!r}.")

    bad_tokens = {
        "a token whose payload was edited (role changed to admin)": tamper_jwt_claims(good, role="admin"),
        "an expired token": jwt.encode(
            {**claims, "iat": now - dt.timedelta(hours=2), "exp": now - dt.timedelta(hours=1)}, secret,
            algorithm="HS256",
        ),
        "an unsigned token with alg 'none'": jwt.encode({**claims, "role": "admin"}, None, algorithm="none"),
        "a token signed with another secret": jwt.encode(claims, secrets.token_urlsafe(32), algorithm="HS256"),
        "a token without an `exp` claim (it would be valid forever)": jwt.encode(
            {"sub": "P00042", "role": "nurse", "iat": now}, secret, algorithm="HS256"
        ),
        "a token without an `iat` claim": jwt.encode(
            {"sub": "P00042", "role": "nurse", "exp": now + dt.timedelta(minutes=15)}, secret, algorithm="HS256"
        ),
    }
    for what, token in bad_tokens.items():
        try:
            result = verify_token(token, secret)
        except jwt.InvalidTokenError:
            continue
        except jwt.PyJWTError as exc:
            raise Incorrect(
                f"{what} raised {type(exc).__name__} ({exc}) instead of an InvalidTokenError: the allowed "
                "algorithms must be a fixed list you choose, algorithms=['HS256'], never read from the "
                "token's own header and never including 'none'."
            ) from exc
        if not result:
            raise Incorrect(
                f"for {what} your verifier returned {result!r} instead of raising: a caller that forgets to test "
                "the result would carry on. Let jwt.decode's InvalidTokenError propagate."
            )
        fixes = {
            "a token whose payload was edited (role changed to admin)": "the signature is not verified",
            "an expired token": "`exp` is not checked: do not turn verify_exp off",
            "an unsigned token with alg 'none'": "unsigned tokens are accepted: pin algorithms=['HS256']",
            "a token signed with another secret": "the signature is not verified against your secret",
            "a token without an `exp` claim (it would be valid forever)": (
                "tokens without `exp` pass: add options={'require': ['exp', 'iat']}"
            ),
            "a token without an `iat` claim": "tokens without `iat` pass: require both, options={'require': ['exp', 'iat']}",
        }
        raise Incorrect(f"your verifier accepted {what}; {fixes[what]}.")
    return (
        "valid tokens pass; edited, expired, unsigned, foreign, never-expiring and undated tokens are all refused."
    )


q2 = CustomProblem(
    title="Q2 a JWT verifier that cannot be fooled",
    answer_name="verify_token",
    setup=_SETUP_Q2,
    checker=_check_verify_token,
    hints=[
        "`jwt.decode(token, secret, algorithms=[...])` verifies the signature and `exp`; the list pins what you accept.",
        "Accept exactly the algorithm you sign with: `algorithms=['HS256']`. Never 'none'.",
        "A token without `exp` would never expire: `options={'require': ['exp', 'iat']}` refuses it.",
    ],
    reference="""
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]})
""",
    mistakes=[
        """
def verify_token(token, secret):
    return jwt.decode(token, options={"verify_signature": False})
""",
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False, "require": ["exp"]})
""",
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"])
""",
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"]})
""",
        """
def verify_token(token, secret):
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]})
    except jwt.InvalidTokenError:
        return None
""",
        """
def verify_token(token, secret):
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, secret, algorithms=[header["alg"]], options={"require": ["exp", "iat"]})
""",
    ],
    explanation=(
        "pinning the algorithm list stops 'alg: none' and algorithm-confusion tricks; requiring `exp` and `iat` "
        "makes every accepted token expire."
    ),
)

# --------------------------------------------------------------------------------------
# Q3 fix an injectable query
# --------------------------------------------------------------------------------------

_SETUP_Q3 = """
import sqlite3
"""

_PEOPLE = [
    ("P1", "Ada Lovelace", "COPD"),
    ("P2", "Siobhan O'Brien", "heart failure"),
    ("P3", "Alan Turing", "diabetes"),
    ("P4", "Grace Hopper", "pneumonia"),
]


class _RecordingCursor(sqlite3.Cursor):
    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self.connection.statements.append(sql)  # type: ignore[attr-defined]
        return super().execute(sql, *args)


class _RecordingConnection(sqlite3.Connection):
    """A real SQLite connection that also records the SQL text it is given (never the bound values)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self.statements.append(sql)
        return super().execute(sql, *args)

    def executescript(self, sql: str) -> sqlite3.Cursor:  # type: ignore[override]
        self.statements.append(sql)
        return super().executescript(sql)

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _RecordingCursor)


def _q3_database() -> _RecordingConnection:
    conn = sqlite3.connect(":memory:", factory=_RecordingConnection)
    conn.execute("CREATE TABLE patients (patient_id TEXT, name TEXT, diagnosis TEXT)")
    conn.executemany("INSERT INTO patients VALUES (?, ?, ?)", _PEOPLE)
    conn.statements.clear()
    return conn


def _check_find_patient(find_patient: Any) -> str:
    if not callable(find_patient):
        raise Incorrect(f"`find_patient` should be a function, got {type(find_patient).__name__}.")
    conn = _q3_database()
    try:
        try:
            rows = find_patient(conn, "Alan Turing")
        except sqlite3.ProgrammingError as exc:
            if "bindings" in str(exc):
                raise Incorrect(
                    f"SQLite says: {str(exc).rstrip('.')}. Parameters go in a tuple, and a one-element tuple needs a comma: "
                    "`(name,)`. `(name)` is just the string, which counts as one parameter per character. "
                    "And do not put quotes around the placeholder: `= ?`, not `= '?'`."
                ) from exc
            raise
        if isinstance(rows, tuple) and rows and not isinstance(rows[0], (tuple, list, sqlite3.Row)):
            raise Incorrect(f"return a list of rows (`.fetchall()`), not one row (`.fetchone()`): got {rows!r}.")
        rows = list(rows) if rows is not None else None
        if rows is None or len(rows) != 1 or tuple(rows[0]) != ("P3", "Alan Turing", "diabetes"):
            raise Incorrect(
                "find_patient(conn, 'Alan Turing') should return one row, (patient_id, name, diagnosis) = "
                f"('P3', 'Alan Turing', 'diabetes'), got {rows!r}."
            )
        attacks = [
            "' OR '1'='1",
            "x' OR 1=1 --",
            "' UNION SELECT patient_id, name, diagnosis FROM patients --",
            'x" OR "1"="1',
        ]
        for attack in attacks:
            try:
                leaked = list(find_patient(conn, attack))
            except sqlite3.Error as exc:
                raise Incorrect(
                    f"the input {attack!r} made SQLite fail ({exc}): it was spliced into the SQL text. "
                    "Pass it as a parameter."
                ) from exc
            if leaked:
                raise Incorrect(
                    f"the input {attack!r} returned {len(leaked)} rows: the input became SQL. Use a `?` "
                    "placeholder and pass the value separately."
                )
        obrien = list(find_patient(conn, "Siobhan O'Brien"))
        if len(obrien) != 1:
            raise Incorrect(
                f"'Siobhan O'Brien' should be found (1 row), got {len(obrien)}: removing or escaping quotes by "
                "hand breaks real names and is not a defence. Let the driver bind the value."
            )
        inputs = ["Alan Turing", *attacks, "Siobhan O'Brien"]
        variants = {v for x in inputs for v in (x, x.replace("'", "''"), x.replace('"', '""'))}
        spliced = [sql for sql in conn.statements if any(v in sql for v in variants)]
        if spliced:
            raise Incorrect(
                f"the name ended up inside the SQL text ({spliced[0]!r}). Escaping quotes by hand can happen to "
                "work for one column type and one database, but it is not the fix: pass the value as a bound "
                "parameter (`?`) so it never becomes SQL."
            )
        count = conn.execute("SELECT COUNT(*) FROM patients").fetchone()[0]
        if count != len(_PEOPLE):
            raise Incorrect("the table changed while searching: a query must never modify data.")
    finally:
        conn.close()
    return "names with quotes work and every injection attempt is just a name that matches nobody."


q3 = CustomProblem(
    title="Q3 fix an injectable query",
    answer_name="find_patient",
    setup=_SETUP_Q3,
    checker=_check_find_patient,
    hints=[
        "Never build SQL text from input (no f-strings, no +, no .format, no %).",
        "sqlite3 uses `?` as the placeholder: `conn.execute(sql, (value,))`, with a one-element tuple.",
        "`conn.execute('SELECT patient_id, name, diagnosis FROM patients WHERE name = ?', (name,)).fetchall()`",
    ],
    reference="""
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = ?"
    return conn.execute(query, (name,)).fetchall()
""",
    mistakes=[
        """
def find_patient(conn, name):
    query = f"SELECT patient_id, name, diagnosis FROM patients WHERE name = '{name}'"
    return conn.execute(query).fetchall()
""",
        """
def find_patient(conn, name):
    cleaned = name.replace("'", "")
    query = f"SELECT patient_id, name, diagnosis FROM patients WHERE name = '{cleaned}'"
    return conn.execute(query).fetchall()
""",
        """
def find_patient(conn, name):
    escaped = name.replace("'", "''")
    query = f"SELECT patient_id, name, diagnosis FROM patients WHERE name = '{escaped}'"
    return conn.execute(query).fetchall()
""",
        """
def find_patient(conn, name):
    query = f'SELECT patient_id, name, diagnosis FROM patients WHERE name = "{name}"'
    return conn.execute(query).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = ?"
    return conn.execute(query, (name)).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id FROM patients WHERE name = ?"
    return conn.execute(query, (name,)).fetchall()
""",
    ],
    explanation="with a bound parameter the value never becomes SQL, whatever characters it contains.",
)

# --------------------------------------------------------------------------------------
# Q4 reflection
# --------------------------------------------------------------------------------------

q4 = ReflectionProblem(
    title="Q4 reflection: where does the key live?",
    answer_name="my_answer",
    hints=[
        "Who can read the encrypted file today, and who could if the key sat in the same folder, backup or repository?",
        "How would the research partner get the data key without anyone else seeing it?",
    ],
    reference="",
    discussion=(
        "Encryption moves the problem from protecting data to protecting a key, so the key must live "
        "somewhere the data does not go: a key-management service or hardware module, or at least a secret "
        "store injected as an environment variable at run time, never the data folder, its backups or the "
        "Git repository. Access to the key should be narrower than access to the data, logged, and "
        "revocable; keys should be rotated (MultiFernet) so a leaked old key has a bounded blast radius. "
        "For the partner, do not e-mail the key: encrypt the data key to the partner's public key (hybrid "
        "encryption), verify that public key through a separate channel (a fingerprint read over the phone, "
        "or a certificate from a CA both trust), and send the data over TLS that verifies the certificate "
        "and hostname. A data-sharing agreement and purpose limitation still apply: encryption protects "
        "data in transit and at rest, not from the partner who can decrypt it."
    ),
)
