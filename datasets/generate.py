"""Generate the course's synthetic datasets, byte for byte reproducibly.

Usage (from the repository root)::

    python datasets/generate.py            # rewrites datasets/*.csv and SHA256SUMS
    python datasets/generate.py --out DIR  # writes into DIR instead

Everything is drawn from one seeded ``numpy.random.Generator`` (and a seeded Faker
instance for names), so re-running with the pinned library versions reproduces the
committed files exactly; ``tests/test_datasets.py`` checks that. DATASHEET.md documents
every column and the models used below.

Three files are written:

* ``patients.csv``: 6,000 hospital admissions across five hospitals, with direct
  identifiers, quasi-identifiers, a research-consent flag, clinical features, a free-text
  note, and a 30-day readmission outcome drawn from a known logistic model with
  hospital-specific shifts (non-IID partitions).
* ``public_roll.csv``: a public register (name, date of birth, sex, ZIP) holding 70 % of
  the patients (5 % of whom have since moved) and 9,000 people who never were patients.
* ``credit.csv``: 5,000 credit applications whose historical decisions carry a known,
  injected penalty against group B, and a ``repaid`` ground truth that does not.
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

SEED = 20261124
HERE = Path(__file__).resolve().parent
FILES = ("patients.csv", "public_roll.csv", "credit.csv")

# Reference date of the data ("today" for the fictional hospitals): fixed, never now().
REFERENCE_DATE = pd.Timestamp("2025-12-31")

# name, patients, mean age, share female, ZIP3 of its region, smoker rate, readmission shift
HOSPITALS = [
    ("Ashford", 2200, 58.0, 0.52, "021", 0.16, 0.00),
    ("Brookside", 1500, 66.0, 0.55, "024", 0.12, 0.35),
    ("Cedar Vale", 1100, 49.0, 0.47, "027", 0.24, -0.30),
    ("Dunmore", 800, 71.0, 0.58, "030", 0.10, 0.55),
    ("Elmwood", 400, 54.0, 0.50, "033", 0.30, -0.15),
]
ZIPS_PER_REGION = 8
DIAGNOSES = ["heart failure", "COPD", "diabetes", "pneumonia", "hip fracture", "other"]

# Known outcome model (documented in DATASHEET.md): logit of 30-day readmission.
OUTCOME_INTERCEPT = -1.45
OUTCOME_COEF = {
    "age_per_decade": 0.30,  # per 10 years above 60
    "prior_admissions": 0.45,
    "length_of_stay": 0.06,  # per day above 5
    "hba1c": 0.25,  # per point above 6
    "smoker": 0.50,
    "heart failure": 0.90,
    "COPD": 0.60,
    "diabetes": 0.30,
    "pneumonia": 0.20,
    "hip fracture": 0.10,
}

NOTE_TEMPLATES = [
    "Discharged in stable condition. Follow-up in clinic in two weeks.",
    "Patient reports shortness of breath on exertion. Reviewed medication.",
    "Daughter to collect patient; contact her at {email}.",
    "Patient asked to be called on {phone} with lab results.",
    "Insurance query pending for SSN {ssn}; billing informed.",
    "Wound check satisfactory. Reach patient at {phone} or {email} if culture positive.",
    "Dietitian referral made. No concerns raised by family.",
    "Physiotherapy twice weekly. Transport booked.",
]


def _luhn_check_digit(digits: str) -> int:
    """Check digit that makes ``digits + d`` pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def _card_numbers(rng: np.random.Generator, n: int) -> list[str]:
    body = rng.integers(0, 10, size=(n, 14))
    cards = []
    for row in body:
        stem = "4" + "".join(map(str, row))  # 15 digits, Visa-style prefix
        full = stem + str(_luhn_check_digit(stem))
        cards.append("-".join(full[i : i + 4] for i in range(0, 16, 4)))
    return cards


def _ssn_numbers(rng: np.random.Generator, n: int) -> list[str]:
    # Area numbers 900-999 are never issued as SSNs, so none of these is anyone's number.
    values = rng.choice(np.arange(900_000_000, 1_000_000_000), size=n, replace=False)
    return [f"{v // 1_000_000:03d}-{v // 10_000 % 100:02d}-{v % 10_000:04d}" for v in values]


def _region_zips(zip3: str) -> list[str]:
    return [f"{zip3}{i:02d}" for i in range(1, 1 + ZIPS_PER_REGION * 3, 3)]


def _names(fake: Faker, sexes: np.ndarray) -> list[str]:
    return [
        f"{fake.first_name_female() if s == 'F' else fake.first_name_male()} {fake.last_name()}"
        for s in sexes
    ]


def _dates(start: pd.Timestamp, days: np.ndarray) -> pd.Series:
    return pd.Series(start + pd.to_timedelta(days, unit="D"))


def make_patients(rng: np.random.Generator, fake: Faker) -> pd.DataFrame:
    frames = []
    all_zip3 = [h[4] for h in HOSPITALS]
    for name, n, mean_age, p_female, zip3, p_smoker, shift in HOSPITALS:
        sex = np.where(rng.random(n) < p_female, "F", "M")
        age = np.clip(rng.normal(mean_age, 15.0, n), 18, 95).round().astype(int)
        admission_offset = rng.integers(0, (REFERENCE_DATE - pd.Timestamp("2016-01-01")).days, n)
        admission = _dates(pd.Timestamp("2016-01-01"), admission_offset)
        birth = admission - pd.to_timedelta(age * 365.25 + rng.integers(0, 365, n), unit="D")
        birth = birth.dt.normalize()
        # 90 % live in the hospital's own region, the rest anywhere
        home3 = np.where(rng.random(n) < 0.9, zip3, rng.choice(all_zip3, n))
        zips = [rng.choice(_region_zips(z)) for z in home3]
        smoker = (rng.random(n) < p_smoker).astype(int)
        diag_p = np.array([0.14, 0.14, 0.18, 0.16, 0.08, 0.30])
        older = age >= 70
        diag = np.where(
            older,
            rng.choice(DIAGNOSES, n, p=[0.22, 0.16, 0.14, 0.16, 0.14, 0.18]),
            rng.choice(DIAGNOSES, n, p=diag_p),
        )
        diabetic = diag == "diabetes"
        bmi = np.clip(rng.normal(27.0 + 2.5 * diabetic, 4.5, n), 15, 55)
        sbp = np.clip(100 + 0.45 * age + rng.normal(0, 13, n), 85, 220)
        hba1c = np.clip(rng.normal(5.6 + 2.0 * diabetic + 0.01 * (bmi - 27) * 3, 0.6, n), 4.0, 14.0)
        glucose = np.clip(18 * hba1c - 5 + rng.normal(0, 12, n), 60, 400)
        prior = rng.poisson(0.25 + 0.015 * (age - 18) + 0.4 * (diag == "heart failure"), n)
        los = 1 + rng.poisson(2.5 + 0.04 * (age - 18) + 1.5 * (diag == "hip fracture"), n)
        logit = (
            OUTCOME_INTERCEPT
            + shift
            + OUTCOME_COEF["age_per_decade"] * (age - 60) / 10
            + OUTCOME_COEF["prior_admissions"] * prior
            + OUTCOME_COEF["length_of_stay"] * (los - 5)
            + OUTCOME_COEF["hba1c"] * (hba1c - 6)
            + OUTCOME_COEF["smoker"] * smoker
            + sum(OUTCOME_COEF[d] * (diag == d) for d in DIAGNOSES if d != "other")
        )
        readmitted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
        consent = (rng.random(n) < 0.80).astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "hospital": name,
                    "name": _names(fake, sex),
                    "date_of_birth": birth.dt.strftime("%Y-%m-%d"),
                    "sex": sex,
                    "zip": zips,
                    "admission_date": admission.dt.strftime("%Y-%m-%d"),
                    "research_consent": consent,
                    "age": age,
                    "bmi": bmi.round(1),
                    "systolic_bp": sbp.round().astype(int),
                    "glucose": glucose.round().astype(int),
                    "hba1c": hba1c.round(1),
                    "smoker": smoker,
                    "prior_admissions": prior,
                    "length_of_stay": los,
                    "diagnosis": diag,
                    "readmitted_30d": readmitted,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    order = rng.permutation(len(df))
    df = df.iloc[order].reset_index(drop=True)
    n = len(df)
    df.insert(0, "patient_id", [f"P{i:05d}" for i in range(1, n + 1)])
    handles = [
        f"{nm.split()[0].lower()}.{nm.split()[-1].lower()}{k}@example.org"
        for nm, k in zip(df["name"], rng.integers(1, 100, n))
    ]
    phones = [f"555-{a:03d}-{b:04d}" for a, b in zip(rng.integers(200, 1000, n), rng.integers(0, 10_000, n))]
    ssns = _ssn_numbers(rng, n)
    cards = _card_numbers(rng, n)
    df.insert(3, "email", handles)
    df.insert(4, "phone", phones)
    df.insert(5, "ssn", ssns)
    df.insert(6, "card_number", cards)
    templates = rng.integers(0, len(NOTE_TEMPLATES), n)
    df["clinical_note"] = [
        NOTE_TEMPLATES[t].format(email=e, phone=p, ssn=s)
        for t, e, p, s in zip(templates, handles, phones, ssns)
    ]
    return df


def make_public_roll(rng: np.random.Generator, fake: Faker, patients: pd.DataFrame) -> pd.DataFrame:
    n_pat = len(patients)
    listed = rng.random(n_pat) < 0.70
    roll = patients.loc[listed, ["name", "date_of_birth", "sex", "zip"]].copy()
    moved = rng.random(len(roll)) < 0.05
    all_zips = sorted({z for h in HOSPITALS for z in _region_zips(h[4])})
    roll.loc[moved, "zip"] = rng.choice(all_zips, int(moved.sum()))
    n_other = 9000
    sex = np.where(rng.random(n_other) < 0.51, "F", "M")
    age_days = rng.integers(int(18 * 365.25), int(95 * 365.25), n_other)
    birth = REFERENCE_DATE - pd.to_timedelta(age_days, unit="D")
    others = pd.DataFrame(
        {
            "name": _names(fake, sex),
            "date_of_birth": birth.strftime("%Y-%m-%d"),
            "sex": sex,
            "zip": rng.choice(all_zips, n_other),
        }
    )
    roll = pd.concat([roll, others], ignore_index=True)
    roll = roll.iloc[rng.permutation(len(roll))].reset_index(drop=True)
    roll.insert(0, "roll_id", [f"R{i:05d}" for i in range(1, len(roll) + 1)])
    return roll


# Known credit models (documented in DATASHEET.md).
CREDIT_GROUP_PENALTY = 1.2  # logits taken off group B's historical approval score
CREDIT_AREAS = [f"Z{i:02d}" for i in range(1, 11)]


def make_credit(rng: np.random.Generator) -> pd.DataFrame:
    n = 5000
    group = np.where(rng.random(n) < 0.62, "A", "B")
    sex = np.where(rng.random(n) < 0.49, "F", "M")
    age = rng.integers(21, 76, n)
    # Residential segregation: group B lives mostly in areas Z07-Z10, so zip_area is a proxy.
    p_a = np.array([0.16, 0.15, 0.15, 0.14, 0.12, 0.10, 0.06, 0.05, 0.04, 0.03])
    p_b = np.array([0.02, 0.03, 0.03, 0.04, 0.05, 0.08, 0.17, 0.18, 0.19, 0.21])
    area = np.where(group == "A", rng.choice(CREDIT_AREAS, n, p=p_a), rng.choice(CREDIT_AREAS, n, p=p_b))
    income = np.exp(rng.normal(10.75 - 0.12 * (group == "B") + 0.004 * (age - 40), 0.45, n))
    debt_ratio = np.clip(rng.beta(2.2, 5.0, n), 0.0, 0.95)
    history = np.clip(age - 21 - rng.integers(0, 6, n), 0, None)
    late = rng.poisson(0.6 + 1.2 * debt_ratio, n)
    employment = np.clip((age - 21) * rng.uniform(0.2, 0.9, n), 0, None).round(1)
    loan = np.clip(rng.normal(0.25, 0.08, n) * income, 1000, None)
    # True ability to repay: depends on finances only, never on group or sex.
    z = (
        0.55
        + 1.6 * (np.log(income) - 10.7)
        - 3.2 * (debt_ratio - 0.3)
        - 0.45 * late
        + 0.03 * history
        + 0.04 * employment
        - 2.5 * (loan / income - 0.25)
    )
    repaid = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    # Historical decisions: the same evidence, minus a penalty for group B (the injected bias).
    decision_logit = z - CREDIT_GROUP_PENALTY * (group == "B") + rng.normal(0, 0.3, n)
    approved = (rng.random(n) < 1 / (1 + np.exp(-2.0 * decision_logit))).astype(int)
    return pd.DataFrame(
        {
            "applicant_id": [f"A{i:05d}" for i in range(1, n + 1)],
            "sex": sex,
            "age": age,
            "group": group,
            "zip_area": area,
            "income": income.round(-1).astype(int),
            "debt_ratio": debt_ratio.round(3),
            "credit_history_years": history,
            "late_payments": late,
            "employment_years": employment,
            "loan_amount": (loan.round(-2)).astype(int),
            "repaid": repaid,
            "approved": approved,
        }
    )


def generate(out: Path, seed: int = SEED) -> dict[str, str]:
    """Write the three CSV files into ``out`` and return ``{file name: sha256}``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    patients = make_patients(rng, fake)
    roll = make_public_roll(rng, fake, patients)
    credit = make_credit(rng)
    sums = {}
    for name, frame in zip(FILES, (patients, roll, credit)):
        path = out / name
        frame.to_csv(path, index=False, lineterminator="\n")
        sums[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: datasets/)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    sums = generate(args.out, args.seed)
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
    (args.out / "SHA256SUMS").write_text(lines)
    print(lines, end="")


if __name__ == "__main__":
    main()
