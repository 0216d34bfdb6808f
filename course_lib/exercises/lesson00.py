"""Exercises of lesson 00 (welcome): a first look at the shipped data.

q1 a value (share of consenting patients), q2 a function (the Luhn check on card-format
numbers), q3 a custom check (readmission rate by hospital), q4 a reflection.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from course_lib.data import load_patients
from course_lib.exercises import Case, CustomProblem, FunctionProblem, Incorrect, ReflectionProblem, ValueProblem

_SETUP = """
import pandas as pd
from course_lib.data import load_patients
patients = load_patients()
"""


def _consent_share() -> float:
    return float(load_patients()["research_consent"].mean())


q1 = ValueProblem(
    title="Q1 share of patients who consented to research",
    answer_name="consent_share",
    setup=_SETUP,
    expected=_consent_share,
    rtol=0,
    atol=0.005,  # rounding to two decimals is fine
    known_mistakes=lambda: [
        (load_patients()["research_consent"].sum(), "that is the number of consenting patients; give the share, between 0 and 1."),
        (100 * _consent_share(), "that is a percentage; give the share as a fraction between 0 and 1."),
        (1 - _consent_share(), "that is the share who did NOT consent (research_consent is 1 for consent)."),
    ],
    hints=[
        "The column research_consent holds 1 for yes and 0 for no.",
        "The mean of a 0/1 column is the share of ones.",
    ],
    reference="""
consent_share = patients["research_consent"].mean()
""",
    mistakes=[
        'consent_share = patients["research_consent"].sum()',
        'consent_share = 100 * patients["research_consent"].mean()',
        # adversarial: the share of the OTHER value, and the method itself instead of its result
        'consent_share = patients["research_consent"].value_counts(normalize=True)[0]',
        'consent_share = patients["research_consent"].mean',
        'consent_share = patients["research_consent"].value_counts(normalize=True)',
    ],
    alternatives=[
        'consent_share = patients["research_consent"].sum() / len(patients)',
        'consent_share = (patients["research_consent"] == 1).mean()',
        'consent_share = patients["research_consent"].value_counts(normalize=True)[1]',
        'consent_share = round(patients["research_consent"].mean(), 2)',
        'import numpy as np\nconsent_share = np.float32(np.mean(patients["research_consent"].to_numpy()))',
    ],
    explanation="the mean of a 0/1 column is the share of ones: about four in five patients consented.",
)


def _luhn_cases() -> list[Case]:
    cards = load_patients()["card_number"].head(3).tolist()
    broken = cards[0][:-1] + str((int(cards[0][-1]) + 1) % 10)
    return [
        Case(("59",), expected=True, why=(
            "Counting from the right, the check digit 9 is NOT doubled; the 5 is: 5*2 = 10 -> 1, and 9 + 1 = 10."
        )),
        Case(("91",), expected=True, why="Doubling 9 gives 18; subtract 9 to get 9, and 1 + 9 = 10."),
        Case((cards[0],), expected=True, why="Every card_number in the data passes the Luhn check."),
        Case((cards[1].replace("-", " "),), expected=True, why="Spaces are separators, like dashes."),
        Case((cards[2].replace("-", ""),), expected=True, why="Numbers without separators must work too."),
        Case((broken,), expected=False, why="Changing the last digit must break the check."),
        Case(("79927398713",), expected=True, why="The classic Luhn example 79927398713 is valid."),
        Case(("79927398710",), expected=False, why="79927398710 is the classic invalid example."),
        Case(("4111-1111-1111-111x",), raises=ValueError, why="Letters are not allowed: raise ValueError."),
        Case(("",), raises=ValueError, why="An empty string has no digits (its total 0 would pass): raise ValueError."),
        Case(("18",), expected=True, why="Doubling 1 gives 2, and 2 + 8 = 10: only doubled results above 9 lose 9."),
        Case(("0",), expected=True, why="A single 0 passes: its total is 0."),
    ]


q2 = FunctionProblem(
    title="Q2 the Luhn check on card-format numbers",
    answer_name="luhn_valid",
    setup=_SETUP,
    cases=_luhn_cases,
    hints=[
        "Only the doubling step is missing. `position` is 0 for the rightmost digit (the check digit), which is never doubled.",
        "Double the digits at odd positions (1, 3, 5, ... from the right): `if position % 2 == 1: d = d * 2`.",
        "When doubling gives more than 9, subtract 9 (the same as adding the two digits of the result).",
    ],
    reference="""
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise ValueError(f"not a card number: {number!r}")
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 1:      # every second digit from the right
            d = d * 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
""",
    mistakes=[
        '''
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "").replace(" ", "")
    total = 0
    for position, char in enumerate(digits):   # from the left: doubles the wrong digits of 16-digit cards
        d = int(char)
        if position % 2 == 1:
            d = d * 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
''',
        '''
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "")
    return sum(int(c) for c in digits) % 10 == 0   # forgot the doubling
''',
        # adversarial: doubling without subtracting 9, and skipping bad characters instead of refusing them
        '''
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise ValueError(number)
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 1:
            d = d * 2
        total += d
    return total % 10 == 0
''',
        '''
def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]   # letters silently dropped
    total = 0
    for position, d in enumerate(reversed(digits)):
        if position % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0
''',
        '''
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise ValueError(number)
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 0:                           # doubles the check digit and every second one from it
            d = d * 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
''',
    ],
    alternatives=[
        '''
def luhn_valid(number: str) -> bool:
    digits = number.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise ValueError(f"not a card number: {number!r}")
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 1:
            d = sum(divmod(2 * d, 10))   # add the two digits of the doubled value
        total += d
    return total % 10 == 0
''',
        '''
import re
def luhn_valid(number):
    if not re.fullmatch(r"[0-9][0-9 -]*", number):
        raise ValueError(number)
    digits = [int(c) for c in number if c not in " -"][::-1]
    odd = digits[0::2]
    even = [2 * d - 9 if 2 * d > 9 else 2 * d for d in digits[1::2]]
    return (sum(odd) + sum(even)) % 10 == 0
''',
    ],
    explanation="the Luhn checksum catches every single-digit typo; it is a format check, not a secret.",
)


def _check_rates(answer: Any) -> str:
    truth = load_patients().groupby("hospital")["readmitted_30d"].mean().sort_values(ascending=False)
    if not isinstance(answer, pd.Series):
        raise Incorrect(f"`rates` should be a pandas Series indexed by hospital, got {type(answer).__name__}.")
    if set(answer.index) != set(truth.index):
        raise Incorrect(f"the index should be the five hospitals {sorted(truth.index)}, got {sorted(map(str, answer.index))}.")
    if (answer > 1).any():
        if (answer <= 100).all() and ((answer.reindex(truth.index) / 100 - truth).abs() < 0.005).all():
            raise Incorrect("those are percentages; give rates as fractions between 0 and 1.")
        raise Incorrect("some values exceed 1: you counted readmissions; divide by the number of patients (use mean).")
    aligned = answer.reindex(truth.index).astype(float)
    if not (aligned - truth).abs().le(0.005).all():  # rounding to two decimals is fine
        raise Incorrect("the rates are not the share of readmitted patients per hospital.")
    if not answer.astype(float).is_monotonic_decreasing:
        raise Incorrect("the rates are right but not sorted from highest to lowest.")
    return f"{truth.index[0]} has the highest rate ({truth.iloc[0]:.2f}) and {truth.index[-1]} the lowest ({truth.iloc[-1]:.2f})."


q3 = CustomProblem(
    title="Q3 readmission rate by hospital, highest first",
    answer_name="rates",
    setup=_SETUP,
    checker=_check_rates,
    hints=[
        "Group the patients by hospital and look at readmitted_30d.",
        "The rate is the mean of the 0/1 outcome; sort_values(ascending=False) orders it.",
    ],
    reference="""
rates = patients.groupby("hospital")["readmitted_30d"].mean().sort_values(ascending=False)
""",
    mistakes=[
        'rates = patients.groupby("hospital")["readmitted_30d"].sum().sort_values(ascending=False)',
        'rates = patients.groupby("hospital")["readmitted_30d"].mean()',
        'rates = 100 * patients.groupby("hospital")["readmitted_30d"].mean().sort_values(ascending=False)',
        # adversarial: the share of READMISSIONS per hospital (sums to 1), and the ascending order
        'rates = patients[patients["readmitted_30d"] == 1]["hospital"].value_counts(normalize=True)',
        'rates = patients.groupby("hospital")["readmitted_30d"].mean().sort_values()',
        'rates = patients["hospital"].value_counts(normalize=True)',
    ],
    alternatives=[
        'rates = patients.groupby("hospital")["readmitted_30d"].mean().sort_values()[::-1]',
        'rates = patients.groupby("hospital")["readmitted_30d"].mean().nlargest(5)',
        'rates = patients.groupby("hospital")["readmitted_30d"].mean().round(2).sort_values(ascending=False)',
        """
counts = patients.groupby("hospital")["readmitted_30d"].agg(["sum", "count"])
rates = (counts["sum"] / counts["count"]).sort_values(ascending=False)
""",
        'rates = pd.crosstab(patients["hospital"], patients["readmitted_30d"], normalize="index")[1].sort_values(ascending=False)',
    ],
    explanation="the mean of the 0/1 outcome per group is the rate; sort_values orders it.",
)

q4 = ReflectionProblem(
    title="Q4 reflection: learning from history",
    answer_name="my_answer",
    hints=["Where did the approved labels come from, and could group membership leak through other columns?"],
    reference="",
    discussion=(
        "The approved column records what loan officers decided, not whether applicants repaid. "
        "If those decisions were biased, a model trained to imitate them learns the bias. Removing "
        "the group column does not help when another column carries the same information: in this "
        "data zip_area is strongly correlated with group (a proxy), and income differs by group too. "
        "Lesson 07 measures this with fairlearn and compares approved with the repaid ground truth, "
        "which only synthetic data lets us know."
    ),
)

demo = ValueProblem(
    title="Demo: how checking works",
    answer_name="answer",
    expected=42,
    rtol=0,
    atol=1e-9,
    known_mistakes=[(13, "13 is 6 + 7: the question asks for the product.")],
    hints=["The answer is a product of two numbers.", "Compute 6 * 7."],
    reference="answer = 6 * 7",
    mistakes=["answer = 6 + 7", 'answer = "42"', "answer = 6 ** 7"],
    alternatives=["answer = 42", "answer = 7 * 6.0", "import numpy as np\nanswer = np.int64(6) * 7"],
    explanation="6 × 7 = 42.",
)
