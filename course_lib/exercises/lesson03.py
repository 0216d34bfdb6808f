"""Exercises of lesson 03 (masking, pseudonymisation and anonymisation).

q1 a function (k-anonymity, including missing values), q2 a custom check (the most
detailed generalisation that stays 5-anonymous with at most 2 % suppression), q3 a value
(records whose outcome a homogeneity attack discloses in a 5-anonymous release), q4 a
function (regex redaction of SSN-format numbers), q5 a reflection.
"""
from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_lib.anonymize import band, generalize, generalize_zip, suppress
from course_lib.data import load_patients
from course_lib.exercises import Case, CustomProblem, FunctionProblem, Incorrect, ReflectionProblem, ValueProblem

_SETUP = """
import re
import pandas as pd
from course_lib.data import load_patients
from course_lib.anonymize import band, generalize, generalize_zip, k_anonymity, l_diversity, suppress
patients = load_patients()
QI = ["date_of_birth", "sex", "zip"]
"""

QI = ["date_of_birth", "sex", "zip"]

# --------------------------------------------------------------------------------------
# q1: k-anonymity
# --------------------------------------------------------------------------------------

_TOY = pd.DataFrame(
    {
        "zip": ["021**", "021**", "021**", "033**", "033**", "033**", "033**"],
        "band": ["40-49", "40-49", "50-59", "50-59", "50-59", "50-59", "50-59"],
        "diagnosis": ["flu", "copd", "flu", "flu", "flu", "copd", "flu"],
    }
)
_WITH_MISSING = pd.DataFrame({"zip": ["021**", "021**", "021**", None], "sex": ["F", "F", "F", "F"]})

q1 = FunctionProblem(
    title="Q1 implement k-anonymity",
    answer_name="my_k_anonymity",
    setup=_SETUP,
    cases=[
        Case((_TOY, ["zip", "band"]), expected=1, why="021**/50-59 holds a single record, so k = 1."),
        Case((_TOY, ["zip"]), expected=3, why="On zip alone the classes have 3 and 4 records: k is the smallest, 3."),
        Case((_TOY.iloc[3:], ["zip", "band"]), expected=4, why="One class of 4 records: k = 4."),
        Case(
            (_WITH_MISSING, ["zip", "sex"]),
            expected=1,
            why=(
                "The record with a missing ZIP is a class of its own (an attacker sees the blank too). "
                "groupby drops missing keys by default: use groupby(..., dropna=False), and count rows with "
                "size() (count() skips missing values)."
            ),
        ),
        Case((_TOY.iloc[:0], ["zip"]), raises=ValueError, why="An empty release has no k: raise ValueError."),
    ],
    hints=[
        "Group the rows by all quasi-identifier columns at once; each group is an equivalence class.",
        "`df.groupby(quasi_identifiers, dropna=False).size()` gives every class's size; k is the smallest.",
        "Keep the empty-frame check first, then return `int(sizes.min())`.",
    ],
    reference="""
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df.groupby(quasi_identifiers, dropna=False).size()
    return int(sizes.min())
""",
    mistakes=[
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df.groupby(quasi_identifiers).size()   # drops rows with a missing value
    return int(sizes.min())
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    return df.groupby(quasi_identifiers, dropna=False).ngroups   # the number of classes, not the smallest
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    sizes = df.groupby(quasi_identifiers, dropna=False).size()
    return int(sizes.max())
""",
        # adversarial: count() instead of size(), the average class, only the first column
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df.groupby(quasi_identifiers, dropna=False).count()
    return int(sizes.min())
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    return len(df) // df.groupby(quasi_identifiers, dropna=False).ngroups   # the average class, not the smallest
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df.groupby(quasi_identifiers[0], dropna=False).size()          # one column only
    return int(sizes.min())
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df.value_counts(quasi_identifiers)                               # drops rows with a missing value
    return int(sizes.min())
""",
    ],
    alternatives=[
        """
def my_k_anonymity(df, quasi_identifiers):
    if df.empty:
        raise ValueError("empty release")
    return int(df.value_counts(quasi_identifiers, dropna=False).min())
""",
        """
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    sizes = df[quasi_identifiers].fillna("<missing>").groupby(quasi_identifiers).size()
    return int(sizes.min())
""",
        """
from collections import Counter
def my_k_anonymity(df, quasi_identifiers):
    if len(df) == 0:
        raise ValueError("df must have at least one row")
    classes = Counter(tuple("<na>" if pd.isna(v) else v for v in row)
                      for row in df[quasi_identifiers].itertuples(index=False))
    return min(classes.values())
""",
    ],
    known_errors=[
        ("cannot convert the series", "count() counts the non-missing values of every other column, one column "
         "each (and none when every column is a quasi-identifier), so its min() is not one number; size() "
         "counts the rows of each class."),
    ],
    explanation=(
        "k is the size of the smallest equivalence class: every record hides among at least k-1 others. "
        "Missing values count as values: they form their own class."
    ),
)

# --------------------------------------------------------------------------------------
# q2: the most detailed release with k >= 5 and at most 2 % suppression
# --------------------------------------------------------------------------------------

WIDTHS = (1, 2, 5, 10)
DIGITS = (2, 3, 4, 5)
MAX_SUPPRESSED = 0.02


@cache
def _grid() -> pd.DataFrame:
    patients = load_patients()
    rows = []
    for width in WIDTHS:
        for digits in DIGITS:
            release = generalize(
                patients,
                {
                    "date_of_birth": lambda s, w=width: band(s.dt.year, w),
                    "zip": lambda s, d=digits: generalize_zip(s, d),
                },
            )
            kept = suppress(release, QI, 5)
            rows.append(
                {
                    "width": width,
                    "digits": digits,
                    "suppressed": (len(release) - len(kept)) / len(release),
                    "classes": kept.groupby(QI).ngroups,
                }
            )
    return pd.DataFrame(rows)


def _whole_number(value: Any) -> int | None:
    """``value`` as an int if it is a whole number (5, 5.0, numpy integers), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return None


def _check_choice(answer: Any) -> str:
    if isinstance(answer, (set, frozenset)):
        raise Incorrect("a set has no order, so it cannot say which number is the width: give (width, digits) "
                        "as a tuple or list.")
    if isinstance(answer, (str, bytes, dict)) or not isinstance(answer, (list, tuple, np.ndarray, pd.Index, pd.Series)):
        raise Incorrect(f"`choice` should be a pair (year band width, ZIP digits kept), got {type(answer).__name__} "
                        f"{answer!r}.")
    values = list(answer.tolist() if isinstance(answer, (np.ndarray, pd.Index, pd.Series)) else answer)
    if len(values) != 2:
        raise Incorrect(f"`choice` should be a pair (year band width, ZIP digits kept), got {len(values)} values.")
    numbers = [_whole_number(v) for v in values]
    if None in numbers:
        raise Incorrect(f"the width and the digits are whole numbers (like 5 or 5.0), got {values!r}.")
    width, digits = numbers
    grid = _grid()
    row = grid[(grid["width"] == width) & (grid["digits"] == digits)]
    if row.empty:
        raise Incorrect(f"({width!r}, {digits!r}) is not on the grid: widths {list(WIDTHS)}, ZIP digits {list(DIGITS)}.")
    row = row.iloc[0]
    feasible = grid[grid["suppressed"] <= MAX_SUPPRESSED]
    best = feasible.sort_values("classes", ascending=False).iloc[0]
    if row["suppressed"] > MAX_SUPPRESSED:
        raise Incorrect(
            f"{width}-year bands with {digits} ZIP digits suppress {row['suppressed']:.1%} of the records "
            f"to reach k = 5: more than the {MAX_SUPPRESSED:.0%} allowed."
        )
    if row["classes"] < best["classes"]:
        raise Incorrect(
            f"that release is allowed ({row['suppressed']:.1%} suppressed) but keeps only {int(row['classes'])} "
            "equivalence classes; another allowed combination keeps more detail. Compare every allowed row."
        )
    return (
        f"{width}-year bands with {digits} ZIP digits keep {int(row['classes'])} classes and suppress only "
        f"{row['suppressed']:.1%}. Keeping ZIP detail and coarsening the birth year beats the reverse here: "
        "the best release depends on the data, so measure rather than guess."
    )


q2 = CustomProblem(
    title="Q2 the most detailed 5-anonymous release",
    answer_name="choice",
    setup=_SETUP,
    checker=_check_choice,
    hints=[
        "For every pair, build the release, suppress the classes smaller than 5, and record the share "
        "suppressed and the number of classes left.",
        "suppressed = (len(release) - len(kept)) / len(release); classes = kept.groupby(QI).ngroups.",
        "Keep the rows with suppressed <= 0.02, then take the one with the most classes "
        "(table[table.suppressed <= 0.02].sort_values('classes').iloc[-1]).",
    ],
    reference="""
grid_rows = []
for width in [1, 2, 5, 10]:
    for digits in [2, 3, 4, 5]:
        release = generalize(patients, {
            "date_of_birth": lambda s: band(s.dt.year, width),
            "zip": lambda s: generalize_zip(s, digits),
        })
        kept = suppress(release, QI, 5)
        grid_rows.append({"width": width, "digits": digits,
                     "suppressed": (len(release) - len(kept)) / len(release),
                     "classes": kept.groupby(QI).ngroups})
table = pd.DataFrame(grid_rows)
best = table[table["suppressed"] <= 0.02].sort_values("classes").iloc[-1]
choice = (int(best["width"]), int(best["digits"]))
""",
    mistakes=[
        "choice = (10, 3)",  # allowed, but coarser than needed
        "choice = (5, 4)",  # too much suppression
        "choice = (1, 5)",  # the raw detail: nearly everything suppressed
        # adversarial: swapped, a set, text, a fraction and a bool that int() would quietly accept
        "choice = (4, 10)",
        "choice = {10, 4}",
        'choice = ("10", "4")',
        "choice = (10.4, 4)",
        "choice = (10, True)",
        "choice = [(10, 4)]",
    ],
    alternatives=[
        """
rows = []
for width in [1, 2, 5, 10]:
    for digits in [2, 3, 4, 5]:
        release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, width),
                                        "zip": lambda s: generalize_zip(s, digits)})
        kept = suppress(release, QI, 5)
        rows.append((width, digits, 1 - len(kept) / len(release), kept.groupby(QI).ngroups))
table = pd.DataFrame(rows, columns=["width", "digits", "suppressed", "classes"])
allowed = table[table["suppressed"] <= 0.02]
choice = allowed.loc[allowed["classes"].idxmax(), ["width", "digits"]].to_numpy()
""",
        "choice = [10.0, 4.0]",
        'import numpy as np\nchoice = np.array([10, 4])',
        "choice = pd.Series({'width': 10, 'digits': 4})",
        "choice = pd.Index([10, 4])",
    ],
    explanation="the most detailed allowed release is found by measuring every candidate.",
)

# --------------------------------------------------------------------------------------
# q3: the homogeneity attack on a 5-anonymous release
# --------------------------------------------------------------------------------------


@cache
def _all_readmitted() -> int:
    """Records in classes where EVERYONE was readmitted (a half-right count of homogeneous classes)."""
    patients = load_patients()
    release = generalize(
        patients, {"date_of_birth": lambda s: band(s.dt.year, 5), "zip": lambda s: generalize_zip(s, 4)}
    )
    kept = suppress(release, QI, 5)
    return int((kept.groupby(QI)["readmitted_30d"].transform("mean") == 1).sum())


@cache
def _homogeneity() -> tuple[int, int, int, int, int]:
    patients = load_patients()
    release = generalize(
        patients, {"date_of_birth": lambda s: band(s.dt.year, 5), "zip": lambda s: generalize_zip(s, 4)}
    )
    kept = suppress(release, QI, 5)
    homogeneous = kept.groupby(QI)["readmitted_30d"].transform("nunique") == 1
    before = release.groupby(QI)["readmitted_30d"].transform("nunique") == 1
    return (
        int(homogeneous.sum()),
        int(kept[homogeneous].groupby(QI).ngroups),
        int(kept.loc[homogeneous, "readmitted_30d"].sum()),
        len(kept),
        int(before.sum()),
    )


q3 = ValueProblem(
    title="Q3 what a 5-anonymous release still discloses",
    answer_name="disclosed",
    setup=_SETUP,
    expected=lambda: _homogeneity()[0],
    rtol=0,
    atol=0.5,
    known_mistakes=lambda: [
        (_homogeneity()[1], "that is the number of homogeneous classes; count the records in them."),
        (_homogeneity()[2], "that counts only the readmitted ones; learning 'not readmitted' is a disclosure too."),
        (_homogeneity()[0] / _homogeneity()[3], "that is a share; give the number of records."),
        (
            _homogeneity()[4],
            "that counts in the release before suppression, where every class of one record is trivially "
            "homogeneous; count in `kept`, the 5-anonymous release.",
        ),
        (
            _homogeneity()[3] - _homogeneity()[0],
            "that counts the records whose class holds both outcomes; count those whose class holds only one.",
        ),
        (
            _all_readmitted(),
            "that counts only classes where everyone was readmitted; a class where no one was readmitted "
            "discloses the outcome just as surely.",
        ),
    ],
    hints=[
        "A class discloses the outcome when all its members share one value of readmitted_30d.",
        "`kept.groupby(QI)['readmitted_30d'].transform('nunique') == 1` marks the records in such classes.",
        "Sum that boolean Series.",
    ],
    reference="""
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
homogeneous = kept.groupby(QI)["readmitted_30d"].transform("nunique") == 1
disclosed = int(homogeneous.sum())
""",
    mistakes=[
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
disclosed = int((kept.groupby(QI)["readmitted_30d"].nunique() == 1).sum())
""",
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
homogeneous = kept.groupby(QI)["readmitted_30d"].transform("nunique") == 1
disclosed = int(kept.loc[homogeneous, "readmitted_30d"].sum())
""",
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
homogeneous = release.groupby(QI)["readmitted_30d"].transform("nunique") == 1   # before suppression
disclosed = int(homogeneous.sum())
""",
        # adversarial: only the all-readmitted classes; the mixed classes
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
disclosed = int((kept.groupby(QI)["readmitted_30d"].transform("mean") == 1).sum())
""",
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
disclosed = int((kept.groupby(QI)["readmitted_30d"].transform("nunique") > 1).sum())
""",
    ],
    alternatives=[
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
share = kept.groupby(QI)["readmitted_30d"].transform("mean")
disclosed = int(((share == 0) | (share == 1)).sum())
""",
        """
release = generalize(patients, {"date_of_birth": lambda s: band(s.dt.year, 5),
                                "zip": lambda s: generalize_zip(s, 4)})
kept = suppress(release, QI, 5)
per_class = kept.groupby(QI)["readmitted_30d"].agg(["nunique", "size"])
disclosed = per_class.loc[per_class["nunique"] == 1, "size"].sum()
""",
    ],
    explanation=(
        "the release is 5-anonymous, yet anyone who knows a neighbour's birth-year band, sex and ZIP4, and "
        "that the neighbour was a patient, learns for certain whether they were readmitted when the neighbour "
        "falls into one of these classes: the homogeneity attack that l-diversity was defined to stop."
    ),
)

# --------------------------------------------------------------------------------------
# q4: redact SSN-format numbers
# --------------------------------------------------------------------------------------

q4 = FunctionProblem(
    title="Q4 redact SSN-format numbers in free text",
    answer_name="redact_ssn",
    setup=_SETUP,
    cases=[
        Case(("Insurance query pending for SSN 952-51-2986; billing informed.",),
             expected="Insurance query pending for SSN [SSN]; billing informed.",
             why=("Only the number must go, wherever it sits in the text (no ^...$ anchors). If nothing was "
                  "replaced, check that the pattern is a raw string r\"...\": in a normal string \\b is a "
                  "backspace character, not a word boundary.")),
        Case(("SSN 901-23-4567 and 902-34-5678.",), expected="SSN [SSN] and [SSN].",
             why="Every occurrence must go, not only the first."),
        Case(("Call 555-288-2601 with lab results.",), expected="Call 555-288-2601 with lab results.",
             why="A phone number (3-3-4 digits) is not an SSN-format number (3-2-4)."),
        Case(("Order 12901-23-45678 shipped.",), expected="Order 12901-23-45678 shipped.",
             why="Digits inside a longer number are not an SSN: anchor the pattern with word boundaries \\b."),
        Case(("ID 1234-56-7890 on the wristband.",), expected="ID 1234-56-7890 on the wristband.",
             why="A longer number that merely ENDS like an SSN is not one: the pattern needs a boundary on the left too."),
        Case(("Ref 123-45-67890 closed.",), expected="Ref 123-45-67890 closed.",
             why="A longer number that merely STARTS like an SSN is not one: the pattern needs a boundary on the right too."),
        Case(("952-51-2986",), expected="[SSN]",
             why="An SSN at the very start and end of the text must go too (a boundary, not a space, around it)."),
        Case(("SSN:952-51-2986.\nNext: 901-23-4567",), expected="SSN:[SSN].\nNext: [SSN]",
             why="Punctuation and line breaks around the number are boundaries."),
        Case(("Card 4386-9081-1186-6927 on file.",), expected="Card 4386-9081-1186-6927 on file.",
             why="A card number (4-4-4-4) is not an SSN-format number."),
        Case(("No identifiers here.",), expected="No identifiers here."),
    ],
    hints=[
        "An SSN-format number is 3 digits, a dash, 2 digits, a dash, 4 digits: `\\d{3}-\\d{2}-\\d{4}`.",
        "Surround the pattern with word boundaries `\\b` so digits inside longer numbers do not match.",
        "`re.sub(r\"...\", '[SSN]', text)` replaces every match; write the pattern as a raw string r\"...\" "
        "so that \\b reaches the regex engine as a word boundary.",
    ],
    reference=r"""
def redact_ssn(text):
    return re.sub(r"\b\d{3}-\d{2}-\d{4}\b", "[SSN]", text)
""",
    mistakes=[
        r'''
def redact_ssn(text):
    return re.sub(r"\d{3}-\d{2}-\d{4}", "[SSN]", text)   # no word boundaries
''',
        r'''
def redact_ssn(text):
    return re.sub(r"\b\d+-\d+-\d+\b", "[SSN]", text)   # any three dashed numbers: eats phone numbers
''',
        r'''
def redact_ssn(text):
    return re.sub(r"\b\d{3}-\d{2}-\d{4}\b", "[SSN]", text, count=1)   # only the first
''',
        r'''
def redact_ssn(text):
    return re.sub("\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b", "[SSN]", text)   # not a raw string: \b is a backspace
''',
        # adversarial: a boundary on one side only; anchored to whole lines
        r'''
def redact_ssn(text):
    return re.sub(r"\d{3}-\d{2}-\d{4}\b", "[SSN]", text)   # no left boundary
''',
        r'''
def redact_ssn(text):
    return re.sub(r"\b\d{3}-\d{2}-\d{4}", "[SSN]", text)   # no right boundary
''',
        r'''
def redact_ssn(text):
    return re.sub(r"(?<!\d)\d{3}-\d{2}-\d{4}", "[SSN]", text)   # a lookbehind, but nothing on the right
''',
        r'''
def redact_ssn(text):
    return re.sub(r"^\d{3}-\d{2}-\d{4}$", "[SSN]", text, flags=re.MULTILINE)   # only whole lines
''',
    ],
    alternatives=[
        r'''
def redact_ssn(text):
    return re.sub(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)", "[SSN]", text)
''',
        r'''
SSN = re.compile(r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b", re.ASCII)
def redact_ssn(text):
    return SSN.sub("[SSN]", text)
''',
        '''
def redact_ssn(text):
    return re.sub("\\\\b\\\\d{3}-\\\\d{2}-\\\\d{4}\\\\b", "[SSN]", text)   # doubled backslashes work too
''',
    ],
    explanation=(
        "an exact format with word boundaries catches SSN-format numbers and leaves phone and card numbers "
        "alone. Regexes only find what has a format: names and descriptions need review."
    ),
)

# --------------------------------------------------------------------------------------
# q5: reflection
# --------------------------------------------------------------------------------------

q5 = ReflectionProblem(
    title="Q5 reflection: is the 5-anonymous release anonymous?",
    answer_name="my_answer",
    hints=["Think of what else an attacker may know, of repeated releases, and of what the law means by anonymous."],
    reference="",
    discussion=(
        "Not necessarily. k-anonymity is defined for one chosen set of quasi-identifiers: an attacker who "
        "also knows the admission date, the hospital or the diagnosis has more quasi-identifiers than we "
        "protected. Homogeneous classes disclose sensitive values without any re-identification (Q3), and "
        "skewed classes leak through background knowledge (what l-diversity and t-closeness try to bound). "
        "Two releases of the same patients, generalised differently, can be intersected (the lesson's "
        "composition attack singles out patients from two 5-anonymous releases). GDPR Recital 26 asks "
        "whether identification is reasonably likely with all means an attacker may use; the Article 29 "
        "Working Party's Opinion 05/2014 on anonymisation techniques judges each technique by singling out, "
        "linkability and inference: k-anonymity stops singling out, but linkability and inference remain "
        "risks (and Cohen and Nissim, 2020, show that k-anonymity does not even prevent singling out once "
        "it is formalised as predicate singling out). Data that was merely "
        "pseudonymised (HMAC, tokens) stays personal data (Art. 4(5)). A guarantee that holds whatever the "
        "attacker knows needs a different tool: differential privacy, lesson 04."
    ),
)
