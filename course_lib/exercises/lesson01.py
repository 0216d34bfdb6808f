"""Exercises of lesson 01 (privacy basics): uniqueness, the linkage attack, minimisation.

q1 a value (uniqueness of a coarser column set, computed with pandas), q2 a custom check
(the pair of quasi-identifiers that re-identifies the most patients), q3 a custom check on a
function (minimise the data for a stated purpose: columns, consent, retention), q4 a
reflection ("anonymous, so the GDPR does not apply").
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from course_lib import basics
from course_lib.data import load_patients, load_public_roll
from course_lib.exercises import CustomProblem, Incorrect, ReflectionProblem, ValueProblem

_SETUP = """
import itertools

import numpy as np
import pandas as pd

from course_lib import basics, data

patients = data.load_patients()
roll = data.load_public_roll()
removed = ["patient_id", "phone", "ssn", "card_number", "clinical_note"]
released = patients.drop(columns=removed).assign(name="REDACTED", email="REDACTED")
released.insert(0, "release_id", np.arange(len(released)))


def add_coarse_columns(frame):
    return frame.assign(
        birth_year=frame["date_of_birth"].dt.year,
        birth_month=frame["date_of_birth"].dt.strftime("%Y-%m"),
        zip3=frame["zip"].str[:3],
    )


released_c, roll_c = add_coarse_columns(released), add_coarse_columns(roll)
candidates = ["date_of_birth", "sex", "zip", "birth_year", "birth_month", "zip3"]
STUDY_COLUMNS = ["age", "sex", "glucose", "hba1c", "diagnosis", "readmitted_30d"]
"""

_Q1_COLUMNS = ["birth_month", "sex", "zip3"]
_CANDIDATES = ["date_of_birth", "sex", "zip", "birth_year", "birth_month", "zip3"]
_STUDY_COLUMNS = ["age", "sex", "glucose", "hba1c", "diagnosis", "readmitted_30d"]


def _coarse(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        birth_year=frame["date_of_birth"].dt.year,
        birth_month=frame["date_of_birth"].dt.strftime("%Y-%m"),
        zip3=frame["zip"].str[:3],
    )


@lru_cache(maxsize=1)
def _released_c() -> pd.DataFrame:
    return _coarse(load_patients().drop(columns=["name", "email", "phone", "ssn", "card_number", "clinical_note"]))


# --------------------------------------------------------------------------------------
# Q1: uniqueness of a coarser release
# --------------------------------------------------------------------------------------


def _q1_expected() -> float:
    return basics.uniqueness(_released_c(), _Q1_COLUMNS)


def _q1_mistakes() -> list[tuple[float, str]]:
    frame = _released_c()
    first_copies = float((~frame.duplicated(_Q1_COLUMNS)).mean())
    group_sizes = frame.groupby(_Q1_COLUMNS).size()
    return [
        (float((group_sizes == 1).mean()), "that is the share of COMBINATIONS that occur once (one value per group); "
                                          "the question asks for the share of PATIENTS: divide the number of unique "
                                          "combinations by the number of rows, not by the number of groups."),
        (100 * _q1_expected(), "that looks like a percentage; give a share between 0 and 1."),
        (first_copies, "that is the share of distinct combinations: duplicated() with its default keep='first' "
                       "leaves the first copy of a shared combination unmarked, so it counts as unique. Use keep=False."),
        (1 - _q1_expected(), "that is the share of patients who SHARE their combination with someone; "
                             "the question asks for the share who are unique."),
        (float((~frame.duplicated(_Q1_COLUMNS, keep=False)).sum()), "that is the number of unique patients; "
                                                                   "divide by the number of rows to get a share."),
    ]


q1 = ValueProblem(
    title="Q1 uniqueness on birth month, sex and ZIP3",
    answer_name="q1_share",
    setup=_SETUP + '\ncolumns = ["birth_month", "sex", "zip3"]\n',
    expected=_q1_expected,
    rtol=0,
    atol=0.005,
    known_mistakes=_q1_mistakes,
    hints=[
        "A patient is unique when no other row has the same birth_month, sex and zip3.",
        "released_c.duplicated(columns, keep=False) marks EVERY row whose combination occurs more than once.",
        "Negate it with ~ and take the mean to get the share of unique rows.",
    ],
    reference="""
q1_share = (~released_c.duplicated(columns, keep=False)).mean()
""",
    mistakes=[
        "q1_share = (~released_c.duplicated(columns)).mean()",
        "q1_share = released_c.duplicated(columns, keep=False).mean()",
        "q1_share = (~released_c.duplicated(columns, keep=False)).sum()",
        "q1_share = released_c.groupby(columns).size().eq(1).mean()",
        "q1_share = 100 * (~released_c.duplicated(columns, keep=False)).mean()",
        # adversarial: distinct combinations per row, and combinations that occur once per combination
        "q1_share = len(released_c.drop_duplicates(columns)) / len(released_c)",
        "q1_share = released_c.value_counts(columns).eq(1).mean()",
        "q1_share = 1 - (~released_c.duplicated(columns, keep=False)).mean()",
    ],
    alternatives=[
        "q1_share = released_c.groupby(columns)['release_id'].transform('size').eq(1).mean()",
        "sizes = released_c.value_counts(columns)\nq1_share = (sizes == 1).sum() / len(released_c)",
        "q1_share = round(float((~released_c.duplicated(subset=columns, keep=False)).sum() / len(released_c)), 3)",
    ],
    explanation=(
        "about 38 % of patients are still unique on birth month, sex and ZIP3, down from 99.7 % on the full "
        "date of birth, sex and ZIP: better, but far from anonymous. Lesson 03 coarsens further and measures k-anonymity."
    ),
)


# --------------------------------------------------------------------------------------
# Q2: the attacker's best pair of quasi-identifiers
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pair_counts() -> dict[tuple[str, str], int]:
    released, roll = _released_c(), _coarse(load_public_roll())
    return {
        pair: len(basics.linkage_attack(released, roll, list(pair)))
        for pair in itertools.combinations(_CANDIDATES, 2)
    }


def _check_pair(answer: Any) -> str:
    if isinstance(answer, (str, bytes, dict)) or not isinstance(
        answer, (list, tuple, set, frozenset, np.ndarray, pd.Index, pd.Series)
    ):
        raise Incorrect(f"`best_pair` should be two column names (a list, for example), got {type(answer).__name__}"
                        + (f" {answer!r}: one string, not two names" if isinstance(answer, str) else "") + ".")
    names = list(answer.tolist() if isinstance(answer, (np.ndarray, pd.Index, pd.Series)) else answer)
    if len(names) != 2:
        raise Incorrect(f"the attacker may use exactly two columns; `best_pair` has {len(names)}.")
    if not all(isinstance(c, str) for c in names):
        raise Incorrect(f"`best_pair` should hold column names (strings), got {names!r}.")
    unknown = [c for c in names if c not in _CANDIDATES]
    if unknown:
        raise Incorrect(f"{unknown} are not among the candidate columns {_CANDIDATES}.")
    if names[0] == names[1]:
        raise Incorrect("the two columns must be different.")
    answer = [str(c) for c in names]
    counts = _pair_counts()
    got = counts.get(tuple(answer), counts.get(tuple(reversed(answer)), 0))
    best = max(counts, key=counts.get)
    if got < counts[best]:
        raise Incorrect(
            f"{list(answer)} re-identifies {got:,} patients, but another pair re-identifies {counts[best]:,}. "
            "Compare the counts of all 15 pairs."
        )
    return (
        f"{list(best)} re-identifies {counts[best]:,} patients with only two columns, nearly as many as all three "
        "quasi-identifiers together: the full date of birth is the most identifying column, and the 5-digit ZIP "
        "splits each birthday crowd further. Sex adds little once the date and ZIP are known."
    )


q2 = CustomProblem(
    title="Q2 the pair of quasi-identifiers that re-identifies the most patients",
    answer_name="best_pair",
    setup=_SETUP,
    checker=_check_pair,
    hints=[
        "itertools.combinations(candidates, 2) yields the 15 pairs; for each pair run "
        "basics.linkage_attack(released_c, roll_c, on=list(pair)) and count the rows.",
        "Collect the counts in a dict {pair: count} and take the key with the largest value: max(counts, key=counts.get).",
    ],
    reference="""
counts = {
    pair: len(basics.linkage_attack(released_c, roll_c, on=list(pair)))
    for pair in itertools.combinations(candidates, 2)
}
best_pair = list(max(counts, key=counts.get))
""",
    mistakes=[
        'best_pair = ["date_of_birth", "sex"]',
        'best_pair = ["date_of_birth", "sex", "zip"]',
        # min instead of max: the pair that re-identifies the FEWEST
        """
counts = {pair: len(basics.linkage_attack(released_c, roll_c, on=list(pair)))
          for pair in itertools.combinations(candidates, 2)}
best_pair = list(min(counts, key=counts.get))
""",
        # adversarial: one string, a column twice, a column the attacker does not have, the pair as one item
        'best_pair = "date_of_birth, zip"',
        'best_pair = ["date_of_birth", "date_of_birth"]',
        'best_pair = ["date_of_birth", "name"]',
        'best_pair = [("date_of_birth", "zip")]',
        'best_pair = {"date_of_birth": 1, "zip": 2}',
    ],
    alternatives=[
        """
counts = {pair: len(basics.linkage_attack(released_c, roll_c, on=list(pair)))
          for pair in itertools.combinations(candidates, 2)}
best_pair = max(counts, key=counts.get)              # the tuple itself
""",
        """
counts = pd.Series({pair: len(basics.linkage_attack(released_c, roll_c, on=list(pair)))
                    for pair in itertools.combinations(candidates, 2)})
best_pair = counts.idxmax()
""",
        'best_pair = np.array(["zip", "date_of_birth"])',
        'best_pair = pd.Index(["date_of_birth", "zip"])',
        'best_pair = {"zip", "date_of_birth"}',
    ],
    explanation="the full date of birth with the 5-digit ZIP re-identifies the most patients.",
)


# --------------------------------------------------------------------------------------
# Q3: minimise for a stated purpose (columns, consent, retention)
# --------------------------------------------------------------------------------------


def _study_frame(patients: pd.DataFrame, cutoff: pd.Timestamp, *, consent: bool = True, strict: bool = False) -> pd.DataFrame:
    dates = patients["admission_date"]
    rows = (dates > cutoff) if strict else (dates >= cutoff)
    if consent:
        rows &= patients["research_consent"] == 1
    return patients.loc[rows, _STUDY_COLUMNS].reset_index(drop=True)


def _misaligned_consent(patients: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Retention with a reset index, then the consent mask of the FULL frame (aligned by label)."""
    recent = patients[patients["admission_date"] >= cutoff].reset_index(drop=True)
    mask = (patients["research_consent"] == 1).reindex(recent.index, fill_value=False)
    return recent.loc[mask, _STUDY_COLUMNS].reset_index(drop=True)


def _check_minimise(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`minimise_for_study` should be a function, got {type(answer).__name__}.")
    patients = load_patients()
    cutoff = basics.REFERENCE_DATE - pd.DateOffset(years=3)
    given = patients.copy()
    got = answer(given)
    if not given.equals(patients):
        raise Incorrect("your function changed the patients frame it was given; return a new frame instead.")
    if not isinstance(got, pd.DataFrame):
        raise Incorrect(f"`minimise_for_study` should return a DataFrame, got {type(got).__name__}.")
    extra = [c for c in got.columns if c not in _STUDY_COLUMNS]
    if extra:
        raise Incorrect(f"the study does not need {extra}: return only {_STUDY_COLUMNS}.")
    missing = [c for c in _STUDY_COLUMNS if c not in got.columns]
    if missing:
        raise Incorrect(f"the study needs {missing} too.")
    want = _study_frame(patients, cutoff)
    wrong_counts = {
        len(_study_frame(patients, pd.Timestamp("1900-01-01"))): "no retention rule was applied: keep only admissions "
        "on or after 2022-12-31 (3 years before the reference date).",
        len(_study_frame(patients, cutoff, consent=False)): "patients without research consent are included: keep "
        "only rows with research_consent == 1.",
        len(_study_frame(patients, pd.Timestamp("1900-01-01"), consent=False)): "neither the consent filter nor the "
        "retention rule was applied.",
        len(_study_frame(patients, cutoff, strict=True)): "the retention boundary is off by one day: an admission on "
        "exactly 2022-12-31 is within 3 years and must be kept. Use >= and 3 calendar years "
        "(pd.DateOffset(years=3)), not 3 * 365 days: 2024 was a leap year.",
        len(_misaligned_consent(patients, cutoff)): "the consent mask comes from the full `patients` frame, not from "
        "`recent`: pandas aligned it to `recent` by index label and kept the wrong rows. Use "
        'recent["research_consent"] == 1.',
    }
    if len(got) != len(want):
        if len(got) in wrong_counts:
            raise Incorrect(wrong_counts[len(got)])
        if len(got) < len(want):
            raise Incorrect(
                f"{len(got):,} rows, expected {len(want):,}: too few. Is the cutoff 3 years (not fewer) before the "
                "data's reference date 2025-12-31 (basics.REFERENCE_DATE), not before today's date?"
            )
        raise Incorrect(f"{len(got):,} rows, expected {len(want):,}: check the retention cutoff 2022-12-31.")
    try:
        pd.testing.assert_frame_equal(got[_STUDY_COLUMNS].reset_index(drop=True), want, check_dtype=False)
    except AssertionError:
        raise Incorrect("the right number of rows, but not the right ones: filter on admission_date and "
                        "research_consent of the same rows.") from None
    small = patients.iloc[::7]
    got_small = answer(small.copy())
    if not (
        isinstance(got_small, pd.DataFrame)
        and set(got_small.columns) == set(_STUDY_COLUMNS)
        and got_small[_STUDY_COLUMNS].reset_index(drop=True).equals(_study_frame(small, cutoff))
    ):
        raise Incorrect("it works on the full data but not on a subset of the patients: compute from the frame given.")
    return (
        f"{len(want):,} of {len(patients):,} patients, {len(_STUDY_COLUMNS)} of {len(patients.columns)} columns: "
        "everything else never leaves the hospital for this study."
    )


q3 = CustomProblem(
    title="Q3 minimise the data for a stated purpose",
    answer_name="minimise_for_study",
    setup=_SETUP,
    checker=_check_minimise,
    hints=[
        "Three filters: rows admitted on or after 2022-12-31, rows with research_consent == 1, and the STUDY_COLUMNS.",
        'basics.apply_retention(patients, "admission_date", max_age_years=3) keeps the admissions of the last 3 years '
        "before basics.REFERENCE_DATE.",
        'Then recent[recent["research_consent"] == 1] keeps the consenting patients.',
    ],
    reference="""
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    consenting = recent[recent["research_consent"] == 1]
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
""",
    mistakes=[
        '''
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    consenting = recent[patients["research_consent"] == 1]       # mask of the full frame, misaligned
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = patients[patients["admission_date"] >= basics.REFERENCE_DATE - pd.Timedelta(days=3 * 365)]
    consenting = recent[recent["research_consent"] == 1]         # 3 * 365 days is not 3 years
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    consenting = patients[patients["research_consent"] == 1]     # forgot retention
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    return recent[STUDY_COLUMNS].reset_index(drop=True)           # forgot consent
''',
        '''
def minimise_for_study(patients):
    cutoff = pd.Timestamp.now() - pd.DateOffset(years=3)           # the clock, not the reference date
    recent = patients[patients["admission_date"] >= cutoff]
    consenting = recent[recent["research_consent"] == 1]
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = patients[patients["admission_date"] > "2022-12-31"]   # drops the boundary day
    consenting = recent[recent["research_consent"] == 1]
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    consenting = recent[recent["research_consent"] == 1]
    return consenting[["name", *STUDY_COLUMNS]].reset_index(drop=True)   # keeps the name
''',
        # adversarial: the 0/1 column itself as a mask, the notebook's global instead of the argument,
        # and a function that changes the caller's frame
        '''
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    consenting = recent[recent["research_consent"]]               # 0/1 values read as column labels
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
_everyone = data.load_patients()
def minimise_for_study(frame):
    recent = basics.apply_retention(_everyone, "admission_date", max_age_years=3)   # ignores its argument
    consenting = recent[recent["research_consent"] == 1]
    return consenting[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    patients.drop(patients.index[patients["research_consent"] != 1], inplace=True)   # edits the caller's frame
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    return recent[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = basics.apply_retention(patients, "admission_date", max_age_years=3)
    consenting = recent[recent["research_consent"] == 1]
    consenting[STUDY_COLUMNS].reset_index(drop=True)              # computed, never returned
''',
    ],
    alternatives=[
        '''
def minimise_for_study(patients):
    cutoff = basics.REFERENCE_DATE - pd.DateOffset(years=3)
    keep = (patients["admission_date"] >= cutoff) & (patients["research_consent"] == 1)
    return patients.loc[keep, STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    recent = patients.query("admission_date >= '2022-12-31' and research_consent == 1")
    return recent[STUDY_COLUMNS].reset_index(drop=True)
''',
        '''
def minimise_for_study(patients):
    consenting = patients[patients["research_consent"].astype(bool)]
    recent = basics.apply_retention(consenting, "admission_date", max_age_years=3)
    return recent.loc[:, STUDY_COLUMNS].reset_index(drop=True)
''',
    ],
    known_errors=[
        ("KeyError: \"None of [Index([", "the 0/1 column itself was used as a mask: pandas reads its 0s and 1s "
         "as column labels. Compare first to get True/False: recent[\"research_consent\"] == 1."),
    ],
    explanation="retention, consent and the purpose's columns, applied in that order.",
)


# --------------------------------------------------------------------------------------
# Q4: reflection
# --------------------------------------------------------------------------------------

q4 = ReflectionProblem(
    title='Q4 reflection: "it is anonymous, so the GDPR does not apply"',
    answer_name="my_answer",
    hints=["Could someone identify the patients by means reasonably likely to be used? What did the linkage attack show?"],
    reference="",
    discussion=(
        "The data is not anonymous. GDPR Recital 26 asks whether a person is identifiable by any means reasonably "
        "likely to be used, such as joining a public register; this lesson's join on date of birth, sex and ZIP names "
        "two thirds of the patients. Calling the data anonymous in a contract does not change that: whether data is "
        "anonymous is a question of fact. It is not even pseudonymised in the sense of Art. 4(5). Nor does the Court "
        "of Justice's EDPS v SRB judgment (C-413/23 P, 2025) help: pseudonymised data may be non-personal only for a "
        "recipient without means reasonably likely to be used to re-identify, and the public roll gives anyone those "
        "means. So the data stays personal data, and health data at that (Art. 9): the hospital "
        "(the controller) needs a lawful basis (Art. 6) and an Art. 9(2) condition to share it; the vendor is a "
        "processor and needs a contract under Art. 28 and security measures (Art. 32); hosting outside the EEA "
        "needs transfer safeguards (Chapter V). Ask instead for (1) minimisation: send only the columns the vendor's purpose needs; "
        "(2) pseudonymisation and generalisation, checked by re-running the linkage attack and measuring "
        "k-anonymity (lesson 03), or aggregates with differential privacy (lesson 04); (3) encryption in transit and "
        "at rest with keys the hospital holds (lesson 02); (4) a retention period and deletion on request. "
        "Replacing names with REDACTED is at most a first step."
    ),
)
