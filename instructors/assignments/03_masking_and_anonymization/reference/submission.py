"""Reference submission for assignment 03 (instructor material): masking and a k-anonymous release."""
from __future__ import annotations

import numbers

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
    """Mask every letter and digit except the first ``keep_first`` and last ``keep_last``; keep separators."""
    for name, number in (("keep_first", keep_first), ("keep_last", keep_last)):
        if isinstance(number, bool) or not isinstance(number, numbers.Integral):
            raise TypeError(f"{name} must be an int, got {type(number).__name__}")
        if number < 0:
            raise ValueError(f"{name} must be >= 0, got {number}")
    if not isinstance(mask_char, str) or len(mask_char) != 1 or mask_char.isalnum():
        raise ValueError(f"mask_char must be one character that is not a letter or digit, got {mask_char!r}")
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if not isinstance(value, str):
        raise TypeError(f"value must be a str or missing, got {type(value).__name__}: store identifiers as text")
    significant = sum(ch.isalnum() for ch in value)
    show_all_masked = keep_first + keep_last >= significant
    out, seen = [], 0
    for ch in value:
        if not ch.isalnum():
            out.append(ch)
            continue
        visible = not show_all_masked and (seen < keep_first or seen >= significant - keep_last)
        out.append(ch if visible else mask_char)
        seen += 1
    return "".join(out)


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
