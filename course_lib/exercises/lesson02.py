"""Exercises of lesson 02 (encryption and secure data handling).

q1 a custom check (encrypt one column of a DataFrame with Fernet), q2 a custom check (a JWT
verifier that rejects expired, tampered, unsigned and never-expiring tokens), q3 a custom
check (fix an injectable SQLite query), q4 a reflection (where the key lives).
"""
from __future__ import annotations

import base64
import datetime as dt
import inspect
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
    out = encrypt_column(frame, "ssn", fernet)
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
        # adversarial: a fresh key inside the function, bytes left in the cells, every column encrypted
        """
def encrypt_column(frame, column, fernet):
    own = Fernet(Fernet.generate_key())
    out = frame.copy()
    out[column] = frame[column].map(lambda value: own.encrypt(str(value).encode()).decode())
    return out
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: fernet.encrypt(str(value).encode()))
    return out
""",
        """
def encrypt_column(frame, column, fernet):
    return frame.map(lambda value: fernet.encrypt(str(value).encode()).decode())
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = frame[column].map(lambda value: fernet.encrypt(value))   # text, not bytes
    return out
""",
    ],
    alternatives=[
        """
def encrypt_column(frame, column, fernet):
    tokens = [fernet.encrypt(value.encode("utf-8")).decode("ascii") for value in frame[column]]
    return frame.assign(**{column: tokens})
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy(deep=True)
    for index in out.index:
        out.loc[index, column] = fernet.encrypt(str(frame.loc[index, column]).encode()).decode()
    return out
""",
        """
def encrypt_column(frame, column, fernet):
    out = frame.copy()
    out[column] = out[column].astype(str).str.encode("utf-8").apply(fernet.encrypt).str.decode("utf-8")
    return out
""",
    ],
    known_errors=[
        ("TypeError: data must be bytes", "Fernet encrypts bytes, not text: encode the value first (str.encode)."),
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
    seen_algorithms: list[Any] = []
    verify = jwt.api_jws.PyJWS._verify_signature

    def recording(self: Any, *args: Any, **kwargs: Any) -> Any:
        names = inspect.signature(verify).bind(self, *args, **kwargs).arguments
        seen_algorithms.append(names.get("algorithms"))
        return verify(self, *args, **kwargs)

    jwt.api_jws.PyJWS._verify_signature = recording  # sees the arguments however jwt is called
    try:
        return _verify_token_behaviour(verify_token, seen_algorithms)
    finally:
        jwt.api_jws.PyJWS._verify_signature = verify


def _verify_token_behaviour(verify_token: Any, seen_algorithms: list[Any]) -> str:
    secret = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": "P00042", "role": "nurse", "iat": now, "exp": now + dt.timedelta(minutes=15)}
    good = jwt.encode(claims, secret, algorithm="HS256")
    try:
        got = verify_token(good, secret)
    except jwt.PyJWTError as exc:
        raise Incorrect(
            f"a valid HS256 token with `exp` and `iat` was refused ({type(exc).__name__}: {exc}). Both settings "
            "take lists of names: the algorithms you accept, and the claims a token must carry."
        ) from exc
    if not isinstance(got, dict) or got.get("sub") != "P00042":
        raise Incorrect(f"a valid token should give back its claims as a dict, got {got!r}.")
    loose = [a for a in seen_algorithms if isinstance(a, (str, bytes))]
    if loose:
        raise Incorrect(
            f"`algorithms` was the string {loose[0]!r}. PyJWT tests `alg in algorithms`, and for a string `in` "
            "is a substring test: the library accepts it silently, but the allow-list is no longer a list of "
            "names. Give a list with one name."
        )
    if not seen_algorithms or any(a is None for a in seen_algorithms):
        raise Incorrect("the signature was not checked against a list of allowed algorithms: pass `algorithms=`.")

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
                "algorithms must be a fixed list you choose (only the one you sign with), never read from the "
                "token's own header and never including 'none'."
            ) from exc
        if not result:
            raise Incorrect(
                f"for {what} your verifier returned {result!r} instead of raising: a caller that forgets to test "
                "the result would carry on. Let jwt.decode's InvalidTokenError propagate."
            )
        fixes = {
            "a token whose payload was edited (role changed to admin)": "the signature is not verified",
            "an expired token": "`exp` is not enforced: do not turn verify_exp off or allow hours of leeway",
            "an unsigned token with alg 'none'": "unsigned tokens are accepted: pin algorithms=['HS256']",
            "a token signed with another secret": "the signature is not verified against your secret",
            "a token without an `exp` claim (it would be valid forever)": (
                "tokens without `exp` pass: make jwt.decode require the claim (its `require` option)"
            ),
            "a token without an `iat` claim": "tokens without `iat` pass: require both claims, `exp` and `iat`",
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
        # adversarial: types and settings the library accepts silently
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms="HS256", options={"require": ["exp", "iat"]})
""",
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": "exp iat"})
""",
        """
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=list(jwt.algorithms.get_default_algorithms()),
                      options={"require": ["exp", "iat"]})
""",
        """
import datetime
def verify_token(token, secret):
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]},
                      leeway=datetime.timedelta(days=1))
""",
        """
def verify_token(token, secret):
    jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]})
""",
    ],
    alternatives=[
        """
def verify_token(token, secret):
    return jwt.decode(token, key=secret, algorithms=("HS256",), options={"require": ["iat", "exp"]})
""",
        """
def verify_token(token, secret):
    decoder = jwt.PyJWT()
    return decoder.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"], "verify_signature": True})
""",
        """
from jwt import decode
def verify_token(token, secret):
    return decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]}, leeway=10)
""",
        """
def verify_token(token, secret):
    return jwt.decode_complete(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat"]})["payload"]
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
        # Inputs are data: whatever they hold, the result is exactly the rows whose name equals them.
        # Wildcards (LIKE's % and _, GLOB's * ? [ ]) and other-case spellings must match nothing.
        wildcards = ["%", "%Turing", "Alan Turin_", "_%", "*", "Alan*", "[A]lan Turing", "alan turing", "Alan Turing "]
        for probe in wildcards:
            try:
                found = list(find_patient(conn, probe))
            except sqlite3.Error as exc:
                raise Incorrect(f"the input {probe!r} made SQLite fail ({exc}).") from exc
            want = [row for row in _PEOPLE if row[1] == probe]
            if len(found) != len(want):
                if any(c in probe for c in "%_*?["):
                    raise Incorrect(
                        f"the input {probe!r} returned {len(found)} rows, but no patient has that exact name: "
                        "LIKE and GLOB treat %, _, * and ? as wildcards, so a user could list every patient. "
                        "Compare for equality."
                    )
                raise Incorrect(
                    f"the input {probe!r} returned {len(found)} rows, but no patient has that exact name: the "
                    "search ignores case or spaces (LIKE, NOCASE, trimming), so it finds people who were not asked "
                    "for. Compare for exact equality."
                )
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
        inputs = ["Alan Turing", *attacks, *wildcards, "Siobhan O'Brien"]
        variants = {v for x in inputs for v in (x, x.replace("'", "''"), x.replace('"', '""'))}
        spliced = [sql for sql in conn.statements if any(v in sql for v in variants)]
        if spliced:
            shown = spliced[0] if len(spliced[0]) <= 40 else "..." + spliced[0][-37:]
            raise Incorrect(
                f"the name ended up inside the SQL text ({shown!r}). Escaping quotes by hand can happen to "
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
        # adversarial: bound, but with a wildcard operator; the placeholder of another driver
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name LIKE ?"
    return conn.execute(query, (name,)).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name GLOB ?"
    return conn.execute(query, (name,)).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = %s"
    return conn.execute(query, (name,)).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = ? COLLATE NOCASE"
    return conn.execute(query, (name,)).fetchall()
""",
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = '{}'".format(name.replace("'", "''"))
    return conn.execute(query).fetchall()
""",
    ],
    alternatives=[
        """
def find_patient(conn, name):
    query = "SELECT patient_id, name, diagnosis FROM patients WHERE name = :name"
    return conn.execute(query, {"name": name}).fetchall()
""",
        """
def find_patient(conn, name):
    cursor = conn.cursor()
    cursor.execute("SELECT patient_id, name, diagnosis FROM patients WHERE name IS ?", [name])
    return cursor.fetchall()
""",
        """
def find_patient(conn, name):
    rows = conn.execute("SELECT patient_id, name, diagnosis FROM patients WHERE name = ?1", (name,))
    return [tuple(row) for row in rows]
""",
    ],
    known_errors=[
        ('OperationalError: near "%"', "`%s` is the placeholder of other drivers (psycopg, MySQL); sqlite3 "
         "uses `?` (or :name)."),
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
