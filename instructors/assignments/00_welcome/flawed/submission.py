"""A plausible flawed submission: the Luhn doubling is counted from the left.

For 16-digit cards this gives the right answer (an even length puts the same digits at odd
positions from either end), so every card in the data passes; for odd lengths it doubles the
check digit and fails.
"""
from __future__ import annotations

import pandas as pd


def hospital_summary(patients: pd.DataFrame) -> pd.DataFrame:
    """Summary per hospital."""
    grouped = patients.groupby("hospital")
    return pd.DataFrame({
        "patients": grouped.size(),
        "mean_age": grouped["age"].mean(),
        "share_female": grouped["sex"].apply(lambda s: (s == "F").mean()),
        "consent_rate": grouped["research_consent"].mean(),
        "readmission_rate": grouped["readmitted_30d"].mean(),
    })


def luhn_valid(number: str) -> bool:
    """Luhn check."""
    if not isinstance(number, str):
        raise TypeError("number must be a str")
    cleaned = number.replace("-", "").replace(" ", "")
    if len(cleaned) < 2 or not cleaned.isdigit():
        raise ValueError(f"not a number: {number!r}")
    total = 0
    for index, ch in enumerate(cleaned):
        digit = int(ch)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
