"""A plausible flawed submission for assignment 03: the masking slice copied from a tutorial.

Its comment promises `****-****-****-3456`; it returns `***************3456`, leaves a short
value unmasked and shows the whole value when keep_last is 0 (`value[-0:]` is all of it).
"""
from __future__ import annotations

import pandas as pd

QUASI_IDENTIFIERS = ["date_of_birth", "sex", "zip"]
RELEASED = QUASI_IDENTIFIERS + [
    "diagnosis", "readmitted_30d", "bmi", "systolic_bp", "glucose", "hba1c", "smoker",
    "prior_admissions", "length_of_stay",
]
K, L = 10, 4
BAND_YEARS = 10  # with 5-year bands k=10 costs 155 records and l drops to 4; 10 years: 73 and 5
ZIP_DIGITS = 3


def mask_identifier(value: str | None, keep_first: int = 0, keep_last: int = 4, mask_char: str = "*") -> str | None:
    """Mask an identifier, e.g. "1234-5678-9012-3456" -> "****-****-****-3456"."""
    if keep_first < 0 or keep_last < 0:
        raise ValueError("keep_first and keep_last must be >= 0")
    if len(mask_char) != 1 or mask_char.isalnum():
        raise ValueError("mask_char must be one symbol")
    if value is None or (isinstance(value, float) and value != value):
        return None
    if not isinstance(value, str):
        raise TypeError("value must be a str")
    hidden = len(value) - keep_first - keep_last
    return value[:keep_first] + mask_char * hidden + value[-keep_last:]


def _generalize(frame: pd.DataFrame) -> pd.DataFrame:
    """Birth year in ``BAND_YEARS``-year bands and ZIP cut to ``ZIP_DIGITS`` digits; one rule for both tables."""
    years = pd.to_datetime(frame["date_of_birth"]).dt.year
    low = (years // BAND_YEARS) * BAND_YEARS
    return frame.assign(
        date_of_birth=low.astype(str) + "-" + (low + BAND_YEARS - 1).astype(str),
        zip=frame["zip"].str[:ZIP_DIGITS] + "*" * (5 - ZIP_DIGITS),
    )


def anonymize(patients: pd.DataFrame) -> pd.DataFrame:
    """Generalise, then suppress classes smaller than K; check k and l before returning."""
    general = _generalize(patients[RELEASED])
    sizes = general.groupby(QUASI_IDENTIFIERS)["sex"].transform("size")
    release = general[sizes >= K]
    diversity = release.groupby(QUASI_IDENTIFIERS)["diagnosis"].transform("nunique")
    release = release[diversity >= L]
    if release.groupby(QUASI_IDENTIFIERS).size().min() < K:  # dropping low-l classes cannot shrink others
        raise AssertionError("release is not k-anonymous")
    return release


def generalize_roll(roll: pd.DataFrame) -> pd.DataFrame:
    """The public roll generalised with the release's rules (what an informed attacker does)."""
    return _generalize(roll)
