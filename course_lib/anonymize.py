"""Lesson 03 (masking, pseudonymisation and anonymisation): what each technique hides, and what it does not.

What this module teaches, read top to bottom:

1. **Masking** (:func:`mask`) hides all but the last characters of an identifier and keeps
   its format (separators), so a clerk can still read "card ending 3456"; **redaction**
   (:func:`redact`) removes e-mails, phone, SSN-format and card-format numbers from free text.
   **Dynamic masking** (:func:`dynamic_mask`) shows the same stored record masked or in
   full depending on the reader's role (:data:`VIEW_POLICY`): access control at display time.
2. **Pseudonymisation** (:func:`pseudonymize`) replaces an identifier with a keyed
   HMAC-SHA-256: stable for one key, useless without it. A plain hash (:func:`plain_hash`)
   is *not* a pseudonym: :func:`brute_force_ssn_hashes` reverses it by trying every
   SSN-format number of an area.
3. **Tokenisation** (:class:`TokenVault`) swaps a value for a random token; only the vault
   maps it back.
4. **Generalisation and suppression** (:func:`band`, :func:`generalize_zip`,
   :func:`truncate_date`, :func:`generalize`, :func:`suppress`) coarsen quasi-identifiers
   and drop the records that still stand out.
5. **Measuring anonymity**: :func:`k_anonymity` (Sweeney, 2002), :func:`l_diversity` and
   :func:`entropy_l_diversity` (Machanavajjhala et al., 2007) and :func:`t_closeness` (Li,
   Li & Venkatasubramanian, 2007).

Secret material (HMAC keys, tokens) comes from :mod:`secrets`, deliberately not from a
``numpy.random.Generator``: NumPy's generators are reproducible by design, hence guessable.
Hashing uses the standard library's :mod:`hashlib` and :mod:`hmac`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from course_lib._checks import check_frame as _check_frame
from course_lib._checks import short_repr as _short

__all__ = [
    "mask",
    "VIEW_POLICY",
    "dynamic_mask",
    "REDACTION_PATTERNS",
    "redact",
    "plain_hash",
    "pseudonymize",
    "brute_force_ssn_hashes",
    "TokenVault",
    "UnknownTokenError",
    "band",
    "generalize_zip",
    "truncate_date",
    "year_bounds",
    "generalize",
    "equivalence_classes",
    "suppress",
    "k_anonymity",
    "l_diversity",
    "entropy_l_diversity",
    "t_closeness",
]


# --------------------------------------------------------------------------------------
# 1. Masking and redaction
# --------------------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and np.isnan(value)


def mask(value: str | None, keep_last: int = 4, mask_char: str = "*") -> str | None:
    """Mask every letter and digit of ``value`` except the last ``keep_last``; keep separators.

    ``mask("1234-5678-9012-3456")`` returns ``"****-****-****-3456"``: dashes, spaces and
    other punctuation stay where they were, so the format survives. A value with
    ``keep_last`` or fewer letters and digits is masked *completely*: revealing all of a
    short identifier would not be masking. Missing values (None, NaN, ``pd.NA``) come back
    as None. The last digits of a card are what PCI DSS allows to be displayed (at most the
    BIN, six or eight digits, and the last four); see PCI DSS v4.0, requirement 3.4.1.
    """
    if isinstance(keep_last, bool) or not isinstance(keep_last, (int, np.integer)):
        raise TypeError(f"keep_last must be an int, got {type(keep_last).__name__}")
    if keep_last < 0:
        raise ValueError(f"keep_last must be >= 0, got {keep_last}")
    if not isinstance(mask_char, str) or len(mask_char) != 1:
        raise ValueError(f"mask_char must be a single character, got {mask_char!r}")
    if mask_char.isalnum():
        raise ValueError(f"mask_char must not be a letter or digit (it would look like data), got {mask_char!r}")
    if _is_missing(value):
        return None
    if not isinstance(value, str):
        raise TypeError(
            f"value must be a str (or None/NaN), got {type(value).__name__}: store identifiers as text, "
            "an int loses leading zeros"
        )
    significant = sum(ch.isalnum() for ch in value)
    shown = keep_last if significant > keep_last else 0
    out = []
    for ch in reversed(value):
        if ch.isalnum():
            out.append(ch if shown > 0 else mask_char)
            shown -= 1
        else:
            out.append(ch)
    return "".join(reversed(out))


#: Dynamic masking policy of the hospital scenario: for each reader role, what happens to each
#: protected column. ``"show"`` gives the stored value, ``"mask"`` keeps its last four
#: characters (:func:`mask`), ``"redact"`` replaces it with ``"[REDACTED]"``. Every role names
#: the same columns; columns no role names (clinical values) are shown to every role.
VIEW_POLICY: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "clinician": MappingProxyType({
        "patient_id": "show", "name": "show", "phone": "show", "email": "show", "ssn": "mask", "card_number": "redact",
        "clinical_note": "show",
    }),
    "billing": MappingProxyType({
        "patient_id": "show", "name": "show", "phone": "mask", "email": "show", "ssn": "mask", "card_number": "mask",
        "clinical_note": "redact",
    }),
    "researcher": MappingProxyType({
        "patient_id": "redact", "name": "redact", "phone": "redact", "email": "redact", "ssn": "redact", "card_number": "redact",
        "clinical_note": "redact",
    }),
})

_VIEW_ACTIONS = ("show", "mask", "redact")


def _check_policy(policy: object) -> Mapping[str, Mapping[str, str]]:
    if not isinstance(policy, Mapping):
        raise TypeError(f"policy must be a mapping of role to {{column: action}}, got {type(policy).__name__}")
    if not policy:
        raise ValueError("policy must name at least one role, got an empty mapping")
    columns: set[object] | None = None
    for role, actions in policy.items():
        if not isinstance(role, str):
            raise TypeError(f"policy roles must be str, got {type(role).__name__} {_short(role)}")
        if not isinstance(actions, Mapping):
            raise TypeError(f"policy[{role!r}] must be a mapping of column to action, got {type(actions).__name__}")
        bad = {c: a for c, a in actions.items() if not isinstance(a, str) or a not in _VIEW_ACTIONS}
        if bad:
            raise ValueError(f"policy[{role!r}] actions must be one of {list(_VIEW_ACTIONS)}, got {_short(bad)}")
        if columns is None:
            columns = set(actions)
        elif set(actions) != columns:
            raise ValueError(
                f"policy roles must all name the same columns (a column one role forgets is shown to it in "
                f"full), got {sorted(map(str, set(actions) ^ columns))} named by some roles only"
            )
    return policy


def dynamic_mask(
    record: Mapping[str, object] | pd.Series, role: str, policy: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, object]:
    """The record as a reader with ``role`` may see it: dynamic (on-read) masking.

    ``policy`` (default :data:`VIEW_POLICY`) maps each role to ``{column: action}`` with the
    actions ``"show"``, ``"mask"`` (:func:`mask`, last four characters kept) and ``"redact"``.
    Columns the policy does not name are returned unchanged. The stored record is not
    modified: every reader gets a new dict, and a reader who can query the stored data
    directly bypasses the mask. This is access control at display time, not anonymisation
    (compare SQL Server's dynamic data masking, which applies masks per column unless the
    reader holds the ``UNMASK`` permission). An unknown role is refused (``ValueError``),
    never given a default view.
    """
    policy = VIEW_POLICY if policy is None else _check_policy(policy)
    if not isinstance(role, str):
        raise TypeError(f"role must be a str naming a role of the policy, got {type(role).__name__} {_short(role)}")
    if role not in policy:
        raise ValueError(f"role must be one of {sorted(policy)}, got {role!r}")
    if isinstance(record, pd.DataFrame) or not isinstance(record, (Mapping, pd.Series)):
        raise TypeError(f"record must be one record (a dict or a pandas Series), got {type(record).__name__}")
    actions = policy[role]
    view: dict[str, object] = {}
    for column, value in record.items():
        action = actions.get(column, "show")
        if action == "redact":
            view[column] = None if _is_missing(value) else "[REDACTED]"
        elif action == "mask":
            if not (_is_missing(value) or isinstance(value, str)):
                raise TypeError(f"record[{column!r}] must be text to be masked for role {role!r}, got {type(value).__name__}")
            view[column] = mask(value)
        else:
            view[column] = value
    return view


#: Patterns that :func:`redact` removes from free text, in the order they are applied
#: (card numbers before phone numbers, so a card is not half-eaten as a phone number).
#: Every pattern runs in linear time, whatever the text. The e-mail pattern is written so
#: that it cannot backtrack quadratically: the widely copied
#: ``\b[A-Za-z0-9._%+-]+@...`` restarts its scan of a long run of address characters (such
#: as ``"a.a.a.a..."``) from every position in it, O(n^2) on text without an ``@``. Here a
#: match may only start where a run of address characters starts (the negative
#: lookbehind), leading punctuation ``. % + -`` is captured in the group ``keep`` and put
#: back by :func:`redact` (as ``\b`` left it outside before), and the run is consumed
#: possessively (``*+``), so each character is scanned a bounded number of times.
REDACTION_PATTERNS: dict[str, re.Pattern[str]] = {
    "EMAIL": re.compile(
        r"(?<![A-Za-z0-9._%+-])(?P<keep>[.%+-]*+)[A-Za-z0-9_][A-Za-z0-9._%+-]*+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"
    ),
    "CARD": re.compile(r"\b(?:\d{4}[- ]?){3}\d{4}\b"),
    "SSN": re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
    "PHONE": re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b"),
}


def redact(text: str | None, kinds: Iterable[str] | None = None) -> str | None:
    """Replace e-mails, card-format, SSN-format and phone numbers in ``text`` with ``[KIND]``.

    ``kinds`` selects some of :data:`REDACTION_PATTERNS` (default: all). Regular expressions
    find only what has a recognisable format: names, addresses and descriptions in prose
    still need review (or a named-entity model). Missing values come back as None.
    """
    if kinds is None:
        chosen = list(REDACTION_PATTERNS)
    else:
        if isinstance(kinds, (str, bytes, pd.DataFrame)):
            raise TypeError(f"kinds must be a collection of kinds such as ['EMAIL'], got the single string {kinds!r}")
        try:
            chosen = list(kinds)
        except TypeError:
            raise TypeError(f"kinds must be a collection of kinds such as ['EMAIL'], got {type(kinds).__name__}") from None
    unknown = [k for k in chosen if not isinstance(k, str) or k not in REDACTION_PATTERNS]
    if unknown:
        raise ValueError(f"kinds must be among {list(REDACTION_PATTERNS)}, got unknown {unknown}")
    if _is_missing(text):
        return None
    if not isinstance(text, str):
        raise TypeError(f"text must be a str or None, got {type(text).__name__}")
    for kind in REDACTION_PATTERNS:  # fixed order, whatever the order of `kinds`
        if kind in chosen:
            text = REDACTION_PATTERNS[kind].sub(_replacement(kind), text)
    return text


def _replacement(kind: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return (match.groupdict().get("keep") or "") + f"[{kind}]"

    return replace


# --------------------------------------------------------------------------------------
# 2. Hashing versus keyed pseudonyms
# --------------------------------------------------------------------------------------


def _as_strings(values: Iterable[str] | pd.Series, name: str = "values") -> list[str]:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a collection of strings, not a single {type(values).__name__}")
    if isinstance(values, pd.DataFrame) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a collection of strings (list or Series), got {type(values).__name__}")
    items = list(values)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{name} must hold only strings, got {type(bad[0]).__name__}: {bad[0]!r}")
    return items


def _wrap(digests: list[str], values: Iterable[str] | pd.Series) -> pd.Series | list[str]:
    if isinstance(values, pd.Series):
        return pd.Series(digests, index=values.index, name=values.name, dtype=object)
    return digests


def plain_hash(values: Iterable[str] | pd.Series) -> pd.Series | list[str]:
    """Unsalted SHA-256 hex digests of ``values``: what NOT to use as a pseudonym.

    Anyone can compute the same function, so a small input space (SSN-format numbers, phone
    numbers, dates of birth) is reversed by trying every candidate; see
    :func:`brute_force_ssn_hashes`. Returns a Series (same index) for a Series, else a list.
    """
    items = _as_strings(values)
    return _wrap([hashlib.sha256(v.encode("utf-8")).hexdigest() for v in items], values)


def pseudonymize(values: Iterable[str] | pd.Series, key: bytes) -> pd.Series | list[str]:
    """Keyed pseudonyms: HMAC-SHA-256 of each value under ``key``, as hex.

    The same value gives the same pseudonym under one key (records can still be joined),
    different keys give unrelated pseudonyms, and without the key nobody can test a guess,
    so brute force over the input space is useless (RFC 2104; NIST SP 800-107 for HMAC
    security; GDPR Art. 4(5): the key is the "additional information" kept separately).
    The key needs at least 16 random bytes, e.g. ``secrets.token_bytes(32)``. Pseudonymised
    data is still personal data.
    """
    if not isinstance(key, (bytes, bytearray)):
        raise TypeError(f"key must be bytes (e.g. secrets.token_bytes(32)), got {type(key).__name__}")
    if not 16 <= len(key) <= 1024:
        raise ValueError(f"key must be 16 to 1024 bytes long, got {len(key)}")
    items = _as_strings(values)
    key = bytes(key)
    return _wrap([hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest() for v in items], values)


#: Upper limit on the areas one call of :func:`brute_force_ssn_hashes` tries (each is 10**6
#: hashes, about a second): the demonstration needs one or two.
_MAX_BRUTE_FORCE_AREAS = 20


def brute_force_ssn_hashes(digests: Iterable[str], areas: Sequence[int]) -> dict[str, str]:
    """Reverse unsalted SHA-256 digests of SSN-format numbers ``AAA-GG-SSSS`` by exhaustion.

    Tries every group (00-99) and serial (0000-9999) of each area number in ``areas``:
    10**6 candidates per area. Returns ``{digest: number}`` for every digest recovered. This
    is the dictionary attack that makes a plain hash of a small identifier space reversible;
    an HMAC under a secret key (:func:`pseudonymize`) stops it, because the attacker cannot
    compute the function without the key.
    """
    wanted = {d.lower() for d in _as_strings(digests, "digests")}
    not_hex = [d for d in wanted if not re.fullmatch(r"[0-9a-f]{64}", d)]
    if not_hex:
        raise ValueError(f"digests must be SHA-256 hex digests (64 hex characters), got {not_hex[0][:70]!r}")
    if isinstance(areas, (str, bytes, pd.DataFrame)) or not isinstance(areas, Iterable):
        raise TypeError(f"areas must be a collection of area numbers (ints), got {type(areas).__name__} {areas!r}")
    areas = list(areas)
    bad = [a for a in areas if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or not 0 <= a <= 999]
    if bad:
        raise ValueError(f"areas must be ints from 0 to 999, got {bad[0]!r}")
    areas = list(dict.fromkeys(int(a) for a in areas))
    if len(areas) > _MAX_BRUTE_FORCE_AREAS:
        raise ValueError(
            f"areas must hold at most {_MAX_BRUTE_FORCE_AREAS} distinct area numbers (10**6 hashes each), got {len(areas)}"
        )
    targets = {bytes.fromhex(d) for d in wanted}
    if not targets:
        return {}
    serials = [f"{s:04d}".encode() for s in range(10_000)]
    found: dict[str, str] = {}
    for area in areas:
        for group in range(100):
            prefix = f"{area:03d}-{group:02d}-".encode()
            base = hashlib.sha256(prefix)  # hash the prefix once, then only the serial
            for serial in serials:
                h = base.copy()
                h.update(serial)
                digest = h.digest()
                if digest in targets:
                    found[digest.hex()] = (prefix + serial).decode()
    return found


# --------------------------------------------------------------------------------------
# 3. Tokenisation
# --------------------------------------------------------------------------------------


class UnknownTokenError(KeyError, ValueError):
    """A token that this vault never issued: a ``KeyError`` (a lookup that failed) and a
    ``ValueError`` (a bad argument), so either ``except`` clause catches it."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class TokenVault:
    """Replace values with random tokens; only the vault maps a token back.

    A token carries no information about its value (it is drawn from :mod:`secrets`), so
    unlike a hash it cannot be brute-forced: the mapping exists only in the vault, which in
    practice is a separate, access-controlled service (PCI DSS Tokenization Guidelines,
    2011). The same value always gets the same token from one vault.
    """

    def __init__(self, prefix: str = "tok_", nbytes: int = 12) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        if len(prefix) > 32:
            raise ValueError(f"prefix must be at most 32 characters, got {len(prefix)}")
        if isinstance(nbytes, bool) or not isinstance(nbytes, int):
            raise TypeError(f"nbytes must be an int, got {type(nbytes).__name__} {nbytes!r}")
        if not 8 <= nbytes <= 64:
            raise ValueError(f"nbytes must be an int from 8 (enough randomness) to 64, got {nbytes!r}")
        self.prefix = prefix
        self.nbytes = nbytes
        self._token_of: dict[str, str] = {}
        self._value_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._token_of)

    def tokenize(self, value: str) -> str:
        """The token of ``value``, minting a new random one the first time."""
        if not isinstance(value, str):
            raise TypeError(f"value must be a str, got {type(value).__name__}")
        token = self._token_of.get(value)
        if token is None:
            token = self.prefix + secrets.token_hex(self.nbytes)
            while token in self._value_of:  # pragma: no cover - astronomically unlikely
                token = self.prefix + secrets.token_hex(self.nbytes)
            self._token_of[value] = token
            self._value_of[token] = value
        return token

    def detokenize(self, token: str) -> str:
        """The value behind ``token``; :class:`UnknownTokenError` (a ``KeyError`` and a
        ``ValueError``) for a token this vault never issued."""
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__}")
        try:
            return self._value_of[token]
        except KeyError:
            raise UnknownTokenError(f"token not issued by this vault: {token[:len(self.prefix) + 4]}...") from None

    def tokenize_many(self, values: Iterable[str] | pd.Series) -> pd.Series | list[str]:
        """Tokenise every value; a Series keeps its index."""
        return _wrap([self.tokenize(v) for v in _as_strings(values)], values)


# --------------------------------------------------------------------------------------
# 4. Generalisation and suppression
# --------------------------------------------------------------------------------------


def band(values: Iterable[float] | pd.Series, width: int, *, origin: int = 0) -> pd.Series:
    """Generalise integers (ages, birth years) into bands of ``width``: 47 -> ``"40-49"``.

    Bands start at ``origin`` (and every ``width`` from it); ``width=1`` keeps the value as a
    label. Missing values stay missing. Sweeney (2002) calls this a generalisation hierarchy.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be an int >= 1, got {width!r}")
    if isinstance(origin, bool) or not isinstance(origin, (int, np.integer)):
        raise TypeError(f"origin must be an int, got {type(origin).__name__} {origin!r}")
    for name, number in (("width", width), ("origin", origin)):
        if abs(int(number)) > 10**15:
            raise ValueError(f"{name} must be at most 10**15 in magnitude, got {number!r}")
    series = _series("values", values)
    kind = series.dtype
    if pd.api.types.is_bool_dtype(kind) or pd.api.types.is_datetime64_any_dtype(kind) or pd.api.types.is_timedelta64_dtype(kind):
        raise TypeError(f"values must be numbers (ages, years), got dtype {kind}; band a date's year with dates.dt.year")
    if not pd.api.types.is_numeric_dtype(kind):
        present = series.dropna()
        wrong = present[~present.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)))]
        if len(wrong):
            raise TypeError(f"values must be numbers, not text or other objects, got {type(wrong.iloc[0]).__name__} {wrong.iloc[0]!r}")
    numbers = pd.to_numeric(series, errors="coerce")
    if (numbers.isna() & series.notna()).any():
        bad = series[numbers.isna() & series.notna()].iloc[0]
        raise ValueError(f"values must be numbers, got {bad!r}")
    infinite = numbers[np.isinf(numbers.to_numpy(dtype=float, na_value=np.nan))]
    if len(infinite):
        raise ValueError(f"values must be finite numbers, got {infinite.iloc[0]!r}")
    if len(numbers.dropna()) and numbers.abs().max() > 10**15:
        raise ValueError(f"values must be at most 10**15 in magnitude (ages, years), got {numbers.abs().max()!r}")
    low = np.floor((numbers - origin) / width) * width + origin
    if width == 1:
        labels = low.map(lambda x: f"{int(x)}" if pd.notna(x) else None)
    else:
        labels = low.map(lambda x: f"{int(x)}-{int(x) + width - 1}" if pd.notna(x) else None)
    return labels.astype(object).rename(series.name)


def _series(name: str, values: object) -> pd.Series:
    """``values`` as a Series; a single string, a scalar, a DataFrame or None is refused."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (str, bytes)) or isinstance(values, pd.DataFrame) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list or Series of values, got {type(values).__name__} {_short(values)}")
    try:
        return pd.Series(list(values) if not isinstance(values, np.ndarray) else values)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a one-dimensional list or Series: {exc}") from None


def generalize_zip(zips: Iterable[str] | pd.Series, keep: int = 3) -> pd.Series:
    """Keep the first ``keep`` digits of each ZIP code and star the rest: ``"02110"`` -> ``"021**"``.

    Leading zeros matter, so ZIP codes must be strings. ``keep=0`` hides the ZIP entirely.
    """
    if isinstance(keep, bool) or not isinstance(keep, (int, np.integer)) or not 0 <= keep <= 5:
        raise ValueError(f"keep must be an int from 0 to 5, got {keep!r}")
    series = _series("zips", zips)
    present = series.dropna()
    bad = present[~present.map(lambda z: isinstance(z, str) and len(z) == 5 and z.isdigit())]
    if len(bad):
        raise ValueError(f"zips must be 5-digit strings (leading zeros kept), got {bad.iloc[0]!r}")
    return series.map(lambda z: z[:keep] + "*" * (5 - keep) if isinstance(z, str) else None).astype(object)


_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def truncate_date(dates: Iterable[Any] | pd.Series, unit: str = "year") -> pd.Series:
    """Truncate dates to ``unit`` (``"day"``, ``"month"`` or ``"year"``), as text labels.

    ``1948-11-04`` becomes ``"1948-11"`` (month) or ``"1948"`` (year). HIPAA's Safe Harbor
    method keeps only the year of dates related to an individual (45 CFR 164.514(b)(2)).
    """
    if not isinstance(unit, str) or unit not in _DATE_FORMATS:
        raise ValueError(f"unit must be one of {list(_DATE_FORMATS)}, got {unit!r}")
    series = _series("dates", dates)
    kind = series.dtype
    if pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_timedelta64_dtype(kind):
        # pd.to_datetime would read 1948 as 1948 nanoseconds after 1970
        raise TypeError(f"dates must be dates or ISO date strings, got numbers of dtype {kind}; for years use band()")
    if not pd.api.types.is_datetime64_any_dtype(kind):
        present = series.dropna()
        wrong = present[~present.map(lambda v: isinstance(v, (str, dt.date, np.datetime64)))]
        if len(wrong):
            raise TypeError(f"dates must be dates or ISO date strings, got {type(wrong.iloc[0]).__name__} {wrong.iloc[0]!r}")
    try:
        # ISO 8601 only: no guessing of day-first or month-first orders, and no warning
        parsed = series if pd.api.types.is_datetime64_any_dtype(kind) else pd.to_datetime(series, format="ISO8601")
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"dates must be dates or ISO date strings: {exc}") from None
    return parsed.dt.strftime(_DATE_FORMATS[unit]).astype(object).where(parsed.notna(), None)


_YEAR_LABEL = re.compile(r"^(\d{4})(?:-(\d{4})|-\d{2}(?:-\d{2})?)?$")


def year_bounds(labels: Iterable[str] | pd.Series) -> pd.DataFrame:
    """The first and last year a generalised date label may stand for.

    Understands the labels of :func:`truncate_date` (``"1948-11-04"``, ``"1948-11"``,
    ``"1948"``) and of :func:`band` on years (``"1945-1949"``). Returns a frame with integer
    columns ``low`` and ``high`` (inclusive), on the index of ``labels``: what an analyst of a
    generalised release knows about a birth year.
    """
    series = _series("labels", labels)
    if series.empty:
        return pd.DataFrame({"low": pd.Series(dtype=int), "high": pd.Series(dtype=int)}, index=series.index)
    not_text = series[~series.map(lambda v: isinstance(v, str))]
    if len(not_text):
        raise TypeError(f"labels must be text labels such as '1948' or '1945-1949', got {type(not_text.iloc[0]).__name__} {not_text.iloc[0]!r}")
    parts = series.str.extract(_YEAR_LABEL)
    if parts[0].isna().any():
        bad = series[parts[0].isna()].iloc[0]
        raise ValueError(f"labels must look like 1948, 1948-11, 1948-11-04 or 1945-1949, got {bad!r}")
    low = parts[0].astype(int)
    high = parts[1].fillna(parts[0]).astype(int)
    return pd.DataFrame({"low": low, "high": high}, index=series.index)


def _qi_list(quasi_identifiers: Sequence[str] | str) -> list[str]:
    if isinstance(quasi_identifiers, str):
        return [quasi_identifiers]
    if not isinstance(quasi_identifiers, Iterable):
        raise TypeError(f"quasi_identifiers must be a list of column names, got {type(quasi_identifiers).__name__} {quasi_identifiers!r}")
    qis = list(quasi_identifiers)
    try:
        {hash(q) for q in qis}
    except TypeError:
        raise TypeError(f"quasi_identifiers must hold column names, got {qis!r}") from None
    if not qis:
        raise ValueError("quasi_identifiers must name at least one column, got none")
    if len(set(qis)) != len(qis):
        raise ValueError(f"quasi_identifiers must not repeat a column, got {qis}")
    return qis


def generalize(df: pd.DataFrame, rules: Mapping[str, Callable[[pd.Series], pd.Series]]) -> pd.DataFrame:
    """A copy of ``df`` with each column in ``rules`` replaced by ``rule(column)``.

    ``rules`` maps a column to a generalisation, e.g. ``{"zip": lambda s: generalize_zip(s, 3)}``.
    Apply the same rules to an attacker's outside data to simulate a linkage attack on the
    generalised release.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if not isinstance(rules, Mapping):
        raise TypeError(f"rules must be a mapping of column name to a function, got {type(rules).__name__}")
    missing = [c for c in rules if c not in df.columns]
    if missing:
        raise ValueError(f"rules name columns not in df: {missing}")
    out = df.copy()
    for column, rule in rules.items():
        if not callable(rule):
            raise TypeError(f"rules[{column!r}] must be callable, got {type(rule).__name__}")
        result = rule(out[column])
        if isinstance(result, (str, bytes)) or not hasattr(result, "__len__"):
            raise TypeError(f"rules[{column!r}] must return one value per row (a Series or list), got {type(result).__name__}")
        if len(result) != len(out):
            raise ValueError(f"rules[{column!r}] returned {len(result)} values for {len(out)} rows")
        out[column] = np.asarray(result, dtype=object)
    return out


def equivalence_classes(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """For every row, the size of its equivalence class (rows sharing all quasi-identifiers).

    Missing values form their own class (a missing ZIP matches other missing ZIPs).
    """
    qis = _qi_list(quasi_identifiers)
    _check_frame(df, "df", qis, "quasi_identifiers")
    return df.groupby(qis, dropna=False, sort=False, observed=True)[qis[0]].transform("size").rename("class_size")


def suppress(df: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> pd.DataFrame:
    """Drop the rows whose equivalence class has fewer than ``k`` members (local suppression).

    What is left is k-anonymous on ``quasi_identifiers`` (Samarati & Sweeney, 1998). The
    index is kept, so ``len(df) - len(result)`` is the number of suppressed records.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")
    sizes = equivalence_classes(df, quasi_identifiers)
    return df[sizes >= k]


# --------------------------------------------------------------------------------------
# 5. Measuring anonymity
# --------------------------------------------------------------------------------------


def k_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The size of the smallest equivalence class: the release is k-anonymous for this k.

    Every record is indistinguishable from at least k-1 others on the quasi-identifiers
    (Sweeney, *k-anonymity: a model for protecting privacy*, 2002).
    """
    return int(equivalence_classes(df, quasi_identifiers).min())


def _check_sensitive(df: pd.DataFrame, qis: list[str], sensitive: str) -> None:
    if not isinstance(sensitive, str):
        raise TypeError(f"sensitive must be one column name, got {type(sensitive).__name__}")
    _check_frame(df, "df", qis, "quasi_identifiers")
    _check_frame(df, "df", [sensitive], "sensitive")
    if sensitive in qis:
        raise ValueError(f"sensitive column {sensitive!r} must not also be a quasi-identifier")


def l_diversity(df: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str) -> int:
    """The smallest number of distinct ``sensitive`` values in any equivalence class.

    Distinct l-diversity (Machanavajjhala et al., *l-diversity: privacy beyond
    k-anonymity*, ACM TKDD 2007). l = 1 means some class shares a single value: whoever
    places a person in that class learns the value (the homogeneity attack). It is the
    weakest variant: it ignores how often each value occurs, which the paper's entropy
    l-diversity (:func:`entropy_l_diversity`) and recursive (c, l)-diversity account for.
    """
    qis = _qi_list(quasi_identifiers)
    _check_sensitive(df, qis, sensitive)
    # observed=True: with categorical quasi-identifiers pandas would otherwise also list the
    # empty combinations of categories, each with 0 distinct values, and l would be 0
    return int(df.groupby(qis, dropna=False, sort=False, observed=True)[sensitive].nunique(dropna=False).min())


def entropy_l_diversity(df: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str) -> float:
    """The largest l for which the table is entropy l-diverse: ``exp`` of the smallest class entropy.

    Entropy l-diversity (Machanavajjhala et al., 2007) asks that every equivalence class
    have ``-sum_s p(s) log p(s) >= log l`` over its ``sensitive`` values, so a class of nine
    "diabetes" and one "COPD" counts as l = 1.38, not 2 as distinct l-diversity says. The
    result never exceeds :func:`l_diversity` and equals it when every class is uniform over its
    values. Missing values count as a value of their own, as in :func:`l_diversity`.
    """
    qis = _qi_list(quasi_identifiers)
    _check_sensitive(df, qis, sensitive)
    classes = df.groupby(qis, dropna=False, sort=False, observed=True).ngroup().to_numpy()
    pairs = pd.DataFrame({"cls": classes, "value": df[sensitive].to_numpy()})
    counts = pairs.groupby(["cls", "value"], dropna=False, observed=True).size()
    shares = counts / counts.groupby(level="cls").transform("sum")
    entropy = (-shares * np.log(shares)).groupby(level="cls").sum()
    return float(np.exp(entropy.min()))


def t_closeness(df: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str, kind: str = "auto") -> float:
    """The largest distance between a class's ``sensitive`` distribution and the whole table's.

    Distances are the Earth Mover's Distance of Li, Li & Venkatasubramanian (*t-closeness:
    privacy beyond k-anonymity and l-diversity*, ICDE 2007):

    * ``kind="ordered"`` (numeric attributes): ordered distance over the m distinct values
      sorted, ``EMD = sum_i |sum_{j<=i} (p_j - q_j)| / (m - 1)``;
    * ``kind="equal"`` (categorical attributes): every two values at distance 1, which makes
      the EMD the total variation distance ``sum_i |p_i - q_i| / 2``;
    * ``kind="auto"`` (default): ``"ordered"`` for numeric columns, ``"equal"`` otherwise.

    Both lie in [0, 1]; the release satisfies t-closeness for any t at or above the result.
    """
    if not isinstance(kind, str) or kind not in ("auto", "ordered", "equal"):
        raise ValueError(f"kind must be 'auto', 'ordered' or 'equal', got {kind!r}")
    qis = _qi_list(quasi_identifiers)
    _check_sensitive(df, qis, sensitive)
    column = df[sensitive]
    if column.isna().any():
        raise ValueError(f"sensitive column {sensitive!r} has missing values; fill or drop them first")
    if kind == "auto":
        kind = "ordered" if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column) else "equal"
    if kind == "ordered" and not pd.api.types.is_numeric_dtype(column):
        raise ValueError(f"kind='ordered' needs a numeric sensitive column, {sensitive!r} is {column.dtype}")
    classes = df.groupby(qis, dropna=False, sort=False, observed=True).ngroup().to_numpy()
    counts = pd.crosstab(classes, column.to_numpy())  # classes x values, values sorted
    p = counts.to_numpy(dtype=float)
    p /= p.sum(axis=1, keepdims=True)
    q = column.value_counts(normalize=True).reindex(counts.columns).to_numpy(dtype=float)
    m = p.shape[1]
    if m == 1:
        return 0.0
    if kind == "equal":
        distances = 0.5 * np.abs(p - q).sum(axis=1)
    else:
        distances = np.abs(np.cumsum(p - q, axis=1)).sum(axis=1) / (m - 1)
    return float(distances.max())
