"""Reference submission for assignment 00 (instructor material): a hospital summary and the Luhn check."""
from __future__ import annotations

import pandas as pd

_REQUIRED = ["hospital", "age", "sex", "research_consent", "readmitted_30d"]


def hospital_summary(patients: pd.DataFrame) -> pd.DataFrame:
    """One row per hospital: size, mean age, share female, consent rate and readmission rate."""
    if not isinstance(patients, pd.DataFrame):
        raise TypeError(f"patients must be a pandas DataFrame, got {type(patients).__name__}")
    missing = [c for c in _REQUIRED if c not in patients.columns]
    if missing:
        raise ValueError(f"patients lacks the columns {missing}")
    frame = patients.assign(
        _female=patients["sex"].eq("F"),
        _consent=patients["research_consent"].eq(1),
        _readmitted=patients["readmitted_30d"].eq(1),
    )
    summary = frame.groupby("hospital", sort=True).agg(
        patients=("age", "size"),
        mean_age=("age", "mean"),
        share_female=("_female", "mean"),
        consent_rate=("_consent", "mean"),
        readmission_rate=("_readmitted", "mean"),
    )
    return summary.astype({"patients": int})


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` pass the Luhn check; spaces and dashes are ignored.

    From the rightmost digit (position 0), every digit at an odd position is doubled and 9 is
    subtracted when the double exceeds 9; the number is valid when the total is divisible by 10.
    """
    if not isinstance(number, str):
        raise TypeError(f"number must be a str, got {type(number).__name__}")
    bad = sorted({ch for ch in number if not (ch.isdigit() and ch.isascii()) and ch not in " -"})
    if bad:
        raise ValueError(f"number may hold only digits, spaces and dashes, got {bad} in {number!r}")
    digits = [int(ch) for ch in number if ch.isdigit()]
    if len(digits) < 2:
        raise ValueError(f"number must hold at least two digits, got {number!r}")
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
