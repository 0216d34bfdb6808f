"""Exercises of lesson 06 (homomorphic encryption and secure computation).

q1 a value (decrypt a homomorphic sum by hand with the teaching Paillier), q2 a custom check
(the server's encrypted risk score with phe), q3 a function (reconstruct additive shares),
q4 a custom check (what a two-party secure sum reveals, as a function of the public outputs), q5 a reflection (an "encrypted AI" offer).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from phe import paillier

from course_lib import he
from course_lib.data import load_patients
from course_lib.exercises import (
    Case,
    CustomProblem,
    FunctionProblem,
    Incorrect,
    ReflectionProblem,
    ValueProblem,
    is_placeholder,
)

# --------------------------------------------------------------------------------------
# Q1 decrypt a homomorphic sum by hand
# --------------------------------------------------------------------------------------

# The toy key and the two ciphertexts are given as plain integers, so that the counts they
# encrypt do not appear in the notebook (an earlier version showed he.encrypt(key, 1517, ...),
# and count_sum = 1517 + 1038 passed). They were made with he.keygen(32, default_rng(6)) and
# he.encrypt(key, count, default_rng(7) / default_rng(8)); a unit test re-derives them.
_SETUP_Q1 = """
toy_n, toy_lam, toy_mu = 2547790073, 318461136, 1956564519     # the toy public key n, private lam and mu
c_ashford = 4326545999612025487                                 # Ashford's patient count, encrypted
c_brookside = 4595378769765211386                               # Brookside's patient count, encrypted
"""
_Q1_COUNTS = (1517, 1038)


@lru_cache(maxsize=1)
def _q1_values() -> dict[str, int]:
    namespace: dict[str, Any] = {}
    exec(_SETUP_Q1, namespace)  # noqa: S102 - our own setup code
    return {k: int(namespace[k]) for k in ("toy_n", "toy_lam", "toy_mu", "c_ashford", "c_brookside")}


def _q1_mistakes() -> list[tuple[float, str]]:
    v = _q1_values()
    n, lam, mu, c1, c2 = v["toy_n"], v["toy_lam"], v["toy_mu"], v["c_ashford"], v["c_brookside"]
    n2 = n * n

    def dec(c: int, modulus: int = n2) -> int:
        return (pow(c, lam, modulus) - 1) // n * mu % n

    return [
        (dec((c1 + c2) % n2), "you added the ciphertexts. In Paillier, MULTIPLYING ciphertexts (modulo n**2) adds the "
                              "plaintexts."),
        (1517 * 1038, "that is the product of the two counts: multiplying ciphertexts adds the plaintexts, it does not "
                      "multiply them (Paillier cannot multiply two encrypted values)."),
        (dec(c1 * c2 % n2, n), "you raised c to lam modulo n; the ciphertexts live modulo n**2, and so does c**lam."),
        ((pow(c1 * c2 % n2, lam, n2) - 1) // n % n, "you forgot to multiply by mu (mod n): L(c**lam) is the sum times lam."),
        (c1 * c2 % n2, "that is the encrypted sum, a ciphertext: now decrypt it with toy_lam and toy_mu."),
        (c1 * c2, "that is the product of the ciphertexts, not yet reduced and not decrypted: reduce it modulo "
                  "toy_n**2, then decrypt it with toy_lam and toy_mu."),
        ((pow(c1 * c2, lam, n2) - 1) / n * mu % n, "L(x) = (x - 1) // n is an exact integer division: `/` makes a "
                                                    "float, which has lost the low digits of these large numbers."),
        ((pow(c1 * c2, lam, n2) - 1) // n * mu, "almost: the plaintext lives modulo n, so the last step is "
                                                "`% toy_n`."),
        (dec(c1 * c2 % n), "the ciphertexts were reduced modulo n; they live modulo n**2 (reduce the product with "
                           "`% toy_n**2`)."),
        ((pow(c1 * c2, mu, n2) - 1) // n * lam % n, "lam and mu are swapped: raise to lam (which removes the random "
                                                    "factor), then multiply by mu."),
        (dec(c1), "that decrypts only Ashford's ciphertext: combine BOTH ciphertexts into one first."),
        (dec(c2), "that decrypts only Brookside's ciphertext: combine BOTH ciphertexts into one first."),
    ]


q1 = ValueProblem(
    title="Q1 decrypt a homomorphic sum by hand",
    answer_name="count_sum",
    setup=_SETUP_Q1,
    expected=sum(_Q1_COUNTS),
    rtol=0,
    atol=0.5,
    known_mistakes=_q1_mistakes,
    hints=[
        "First combine the two ciphertexts into ONE ciphertext of the sum (no key needed), then decrypt it once.",
        "Paillier adds plaintexts when you multiply ciphertexts modulo n**2. Decryption: "
        "m = L(c**lam mod n**2) * mu mod n, with L(x) = (x - 1) // n.",
        "c = c_ashford * c_brookside % toy_n**2; count_sum = (pow(c, toy_lam, toy_n**2) - 1) // toy_n * toy_mu % toy_n",
    ],
    reference="""
c_sum = c_ashford * c_brookside % toy_n**2          # E(a) * E(b) = E(a + b)
x = pow(c_sum, toy_lam, toy_n**2)                   # removes the random factor r**n
count_sum = (x - 1) // toy_n * toy_mu % toy_n     # L(x) * mu mod n
""",
    alternatives=[
        """
from course_lib import he
p = next(d for d in range(3, 65_536, 2) if toy_n % d == 0)   # a toy n factors in a moment
key = he.TeachingPrivateKey(he.TeachingPublicKey(toy_n), p, toy_n // p, toy_lam, toy_mu)
count_sum = he.decrypt(key, he.add(key.public_key, c_ashford, c_brookside))
""",
        """
n2 = toy_n * toy_n
L = lambda x: (x - 1) // toy_n
count_sum = L(pow(c_ashford * c_brookside, toy_lam, n2)) * pow(toy_lam, -1, toy_n) % toy_n
""",
    ],
    mistakes=[
        "count_sum = (pow(c_ashford + c_brookside, toy_lam, toy_n**2) - 1) // toy_n * toy_mu % toy_n",
        "count_sum = (pow(c_ashford * c_brookside, toy_lam, toy_n) - 1) // toy_n * toy_mu % toy_n",
        "count_sum = (pow(c_ashford * c_brookside % toy_n**2, toy_lam, toy_n**2) - 1) // toy_n % toy_n",
        "count_sum = c_ashford * c_brookside % toy_n**2",
        "count_sum = (pow(c_ashford * c_brookside, toy_lam, toy_n**2) - 1) / toy_n * toy_mu % toy_n",
        "count_sum = (pow(c_ashford * c_brookside, toy_lam, toy_n**2) - 1) // toy_n * toy_mu",
        "count_sum = (pow(c_ashford, toy_lam, toy_n**2) - 1) // toy_n * toy_mu % toy_n",
    ],
    explanation="2555 patients: the hospitals' counts were added while encrypted, and only the key holder read the sum "
                "(never each hospital's count, as long as it decrypts only the sum).",
)


# --------------------------------------------------------------------------------------
# Q2 the server's encrypted score
# --------------------------------------------------------------------------------------

_SETUP_Q2 = """
from phe import paillier
"""


def _check_encrypted_score(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`encrypted_score` should be a function, got {type(answer).__name__}.")
    public_key, private_key = paillier.generate_paillier_keypair(n_length=512)
    rng = np.random.default_rng(6)
    weights = rng.normal(0, 1, 5).round(3)
    bias = -0.75
    x = rng.normal(0, 1, 5).round(3)
    encrypted = [public_key.encrypt(float(v)) for v in x]
    result = answer(public_key, weights, bias, encrypted)
    if result is None:
        raise Incorrect("`encrypted_score` returned None: return the encrypted score.")
    if isinstance(result, (list, tuple, np.ndarray)):
        raise Incorrect(f"`encrypted_score` returned {type(result).__name__} of {len(result)} values: "
                        "add the products up into ONE encrypted score.")
    if not isinstance(result, paillier.EncryptedNumber):
        raise Incorrect(f"`encrypted_score` returned {type(result).__name__}, not an EncryptedNumber: the server "
                        "cannot read the features, so its result must stay encrypted.")
    got = private_key.decrypt(result)
    want = float(weights @ x + bias)
    if abs(got - want) > 1e-6:
        if abs(got - (want - bias)) < 1e-6:
            raise Incorrect("the score decrypts to w . x without the bias: add the (plain) bias to the encrypted sum.")
        if abs(got - float(weights[1:] @ x[1:] + bias)) < 1e-6:
            raise Incorrect("the first feature is missing from the sum: does your loop start at 0?")
        raise Incorrect(f"the score decrypts to {got:.4f}, expected w . x + b = {want:.4f}.")
    try:
        answer(public_key, weights[:4], bias, encrypted)
    except ValueError:
        pass
    except Exception as exc:
        raise Incorrect(f"4 weights with 5 features raised {type(exc).__name__}; raise ValueError instead.") from exc
    else:
        raise Incorrect("4 weights with 5 encrypted features were accepted: zip silently drops the extra feature, so "
                        "the score is wrong without any error. Raise ValueError when the lengths differ.")
    return (f"the score decrypts to {got:.4f} = w . x + b; the server computed it with additions and multiplications "
            "by plain weights, and never held the private key.")


q2 = CustomProblem(
    title="Q2 the server's encrypted risk score",
    answer_name="encrypted_score",
    setup=_SETUP_Q2,
    checker=_check_encrypted_score,
    hints=[
        "The server may add ciphertexts, add plain numbers to them and multiply them by plain numbers: "
        "that is all w . x + b needs.",
        "Start from the bias or from w[0] * x[0], then add weight * feature for each pair; check the lengths first.",
        "if len(weights) != len(encrypted_features): raise ValueError(...); "
        "return sum(w * x for w, x in zip(weights, encrypted_features)) + bias",
    ],
    reference="""
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError(f"{len(weights)} weights for {len(encrypted_features)} features")
    score = encrypted_features[0] * float(weights[0])
    for w, x in zip(weights[1:], encrypted_features[1:]):
        score = score + x * float(w)
    return score + bias
""",
    alternatives=[
        """
import numpy as np
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("weights and features differ in length")
    return np.dot(weights, encrypted_features) + bias     # NumPy calls the ciphertexts' * and +
""",
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("weights and features differ in length")
    return sum((float(w) * x for w, x in zip(weights, encrypted_features)), public_key.encrypt(bias))
""",
        """
from course_lib import he
def encrypted_score(public_key, weights, bias, encrypted_features):
    return he.encrypted_linear_score(public_key, weights, bias, encrypted_features)
""",
    ],
    mistakes=[
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    return sum(float(w) * x for w, x in zip(weights, encrypted_features))     # bias forgotten
""",
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    return sum(float(w) * x for w, x in zip(weights, encrypted_features)) + bias   # zip truncates silently
""",
        """
import math
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    z = sum(float(w) * x for w, x in zip(weights, encrypted_features)) + bias
    return 1 / (1 + math.exp(-z))                                             # sigmoid on a ciphertext
""",
        """
from scipy.special import expit
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    return expit(sum(float(w) * x for w, x in zip(weights, encrypted_features)) + bias)   # sigmoid on a ciphertext
""",
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    return [float(w) * x for w, x in zip(weights, encrypted_features)]        # products, not summed
""",
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    score = encrypted_features[0]
    for x in encrypted_features[1:]:
        score = score * x                                                    # ciphertext times ciphertext
    return score
""",
        """
import math
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    z = sum(float(w) * x for w, x in zip(weights, encrypted_features)) + bias
    return math.exp(z) / (1 + math.exp(z))                                    # sigmoid on a ciphertext
""",
        """
def encrypted_score(public_key, weights, bias, encrypted_features):
    if len(weights) != len(encrypted_features):
        raise ValueError("lengths differ")
    z = sum(float(w) * x for w, x in zip(weights, encrypted_features)) + bias
    return 1 if z > 0 else 0                                                  # a decision on a ciphertext
""",
    ],
    known_errors=[
        ("bad operand type for unary -", "the sigmoid (1 / (1 + exp(-z))) cannot run on a ciphertext: return the "
                                         "encrypted linear score; the client applies the sigmoid after decrypting."),
        ("NotImplementedError", "Paillier cannot multiply two ciphertexts: multiply each encrypted feature by a PLAIN "
                                "weight."),
        ("must be real number, not EncryptedNumber", "the sigmoid (math.exp) cannot run on a ciphertext: return the "
                                                     "encrypted linear score; the client applies the sigmoid after "
                                                     "decrypting."),
        ("ufunc 'expit'", "the sigmoid (expit) cannot run on a ciphertext: return the encrypted linear score; the "
                          "client applies the sigmoid after decrypting."),
        ("EncryptedNumber", "an operation that Paillier does not support was applied to a ciphertext: only + and "
                            "multiplication by a plain number work."),
    ],
    explanation="w . x + b needs only what Paillier offers; the client decrypts and applies the sigmoid.",
)


# --------------------------------------------------------------------------------------
# Q3 reconstruct additive shares
# --------------------------------------------------------------------------------------

_SETUP_Q3 = """
from course_lib import he
PRIME = he.PRIME
"""


def _q3_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    cases = []
    for secret, parties in ((2555, 2), (6000, 3), (123_456, 5), (0, 3), (he.PRIME - 1, 4)):
        cases.append(Case(args=(he.share(secret, parties, rng),), expected=secret,
                          why="the secret is the sum of ALL the shares, taken modulo PRIME (2**61 - 1)."))
    big = [he.PRIME - 1, he.PRIME - 2, 5]          # sums far beyond PRIME: the modulus is essential
    cases.append(Case(args=(big,), expected=2, why="(PRIME - 1) + (PRIME - 2) + 5 = 2 modulo PRIME."))
    # Their sum, 8 x PRIME, exceeds 2**63, where NumPy's int64 sum wraps around silently. The secret is
    # small on purpose: Case compares numbers as float64, which cannot tell apart values near 2**61.
    nine = [he.PRIME - 1] * 8 + [8]
    cases.append(Case(args=(nine,), expected=0,
                      why="8 x (PRIME - 1) + 8 = 0 modulo PRIME. The plain sum exceeds 2**63, where a NumPy int64 "
                          "sum overflows without warning: add Python ints, or reduce modulo PRIME as you go."))
    return [Case(args=c.args, expected=c.expected, why=c.why, rtol=0, atol=0) for c in cases]


q3 = FunctionProblem(
    title="Q3 reconstruct a secret from additive shares",
    answer_name="my_reconstruct",
    setup=_SETUP_Q3,
    cases=_q3_cases,
    hints=[
        "Each share alone is a uniformly random number; only ALL of them together determine the secret.",
        "Additive shares satisfy share_1 + share_2 + ... + share_k = secret (mod PRIME).",
        "return sum(shares) % PRIME",
    ],
    reference="""
def my_reconstruct(shares):
    return sum(shares) % PRIME
""",
    alternatives=[
        """
def my_reconstruct(shares):
    total = 0
    for s in shares:
        total = (total + s) % PRIME
    return total
""",
        "my_reconstruct = he.reconstruct",
        "import numpy as np\ndef my_reconstruct(shares):\n    return int(np.sum(np.array(shares, dtype=object)) % PRIME)",
    ],
    mistakes=[
        "def my_reconstruct(shares):\n    return sum(shares)",
        "def my_reconstruct(shares):\n    return sum(shares) % 2**61",
        "def my_reconstruct(shares):\n    return shares[-1]",
        "def my_reconstruct(shares):\n    return sum(shares[:2]) % PRIME",
        "import numpy as np\ndef my_reconstruct(shares):\n    return int(np.sum(shares) % PRIME)",
    ],
    explanation="The sum of all shares modulo the prime: any share missing, and the result is uniformly random.",
)


# --------------------------------------------------------------------------------------
# Q4 what a two-party secure sum reveals
# --------------------------------------------------------------------------------------

_SETUP_Q4 = """
from course_lib.data import load_patients
patients = load_patients()
ashford = patients[patients["hospital"] == "Ashford"]
"""

# An earlier version asked for a value, and reading Brookside's rows from `patients` (which the
# notebook has loaded, Ashford would not) passed. The answer is now a function of the public outputs
# and Ashford's own records, checked on the real pair AND on a made-up pair of hospitals.


def _q4_pairs() -> list[tuple[pd.DataFrame, np.ndarray]]:
    patients = load_patients()
    real = (patients[patients["hospital"] == "Ashford"], patients.loc[patients["hospital"] == "Brookside", "age"].to_numpy())
    rng = np.random.default_rng(4)
    made_up = (pd.DataFrame({"age": rng.integers(20, 60, 40)}), rng.integers(50, 95, 25))
    return [real, made_up]


def _q4_wrong(own: np.ndarray, other: np.ndarray) -> list[tuple[float, str]]:
    joint_sum, joint_count = float(own.sum() + other.sum()), own.size + other.size
    return [
        (joint_sum / joint_count, "that is the joint mean, the protocol's public output; the question asks what "
                                  "Ashford can deduce about Brookside alone."),
        (float(own.mean()), "that is Ashford's own mean age."),
        (joint_sum - own.sum(), "that is Brookside's SUM of ages: divide it by Brookside's count, which Ashford can "
                                "also deduce."),
        ((joint_sum - own.sum()) / joint_count, "divide Brookside's sum by Brookside's count, not by the joint count."),
        (joint_sum / joint_count * 2 - own.mean(), "2 x joint mean - own mean assumes two hospitals of equal size."),
    ]


def _check_brookside_mean(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(f"`brookside_mean_age` should be a function of (joint_count, joint_age_sum, ashford), "
                        f"got {type(answer).__name__}.")
    results = []
    for k, (own_records, other) in enumerate(_q4_pairs()):
        own = own_records["age"].to_numpy()
        joint_count, joint_age_sum = int(own.size + other.size), int(own.sum() + other.sum())
        got = answer(joint_count, joint_age_sum, own_records.copy())
        if is_placeholder(got):
            raise Incorrect("`brookside_mean_age` returned the ____ placeholder: finish the function body.")
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise Incorrect(f"`brookside_mean_age` returned {type(got).__name__}; a single number is expected.") from None
        want = float(other.mean())
        if np.isclose(got, want, rtol=1e-9):
            results.append(got)
            continue
        for value, message in _q4_wrong(own, other):
            if np.isclose(got, value, rtol=1e-9):
                raise Incorrect(message)
        if k > 0:
            raise Incorrect("right for Ashford and Brookside, wrong for another pair of hospitals: the function must "
                            "use only its three arguments (Ashford does not have Brookside's rows, and a fixed "
                            "number is not a method).")
        raise Incorrect(f"Brookside's mean age comes out as {got:.2f}, which is too {'high' if got > want else 'low'}.")
    return (f"Brookside's mean age is {results[0]:.2f}: with two parties the output minus your own input IS the other "
            "party's input, exactly, with no attack.")


q4 = CustomProblem(
    title="Q4 what a two-party secure sum reveals",
    answer_name="brookside_mean_age",
    setup=_SETUP_Q4,
    checker=_check_brookside_mean,
    hints=[
        "Secure computation hides the inputs, not the output. Ashford knows its own input AND the output.",
        "Brookside's sum = joint sum - Ashford's sum; Brookside's count = joint count - Ashford's count.",
        "return (joint_age_sum - ashford['age'].sum()) / (joint_count - len(ashford))",
    ],
    reference="""
def brookside_mean_age(joint_count, joint_age_sum, ashford):
    brookside_sum = joint_age_sum - ashford["age"].sum()
    brookside_count = joint_count - len(ashford)
    return brookside_sum / brookside_count
""",
    alternatives=[
        """
def brookside_mean_age(joint_count, joint_age_sum, ashford):
    return (joint_age_sum - int(ashford["age"].sum())) / (joint_count - ashford.shape[0])
""",
        """
def brookside_mean_age(joint_count, joint_age_sum, ashford):
    own_ages = ashford["age"].to_numpy()
    return float((joint_age_sum - own_ages.sum()) / (joint_count - own_ages.size))
""",
    ],
    mistakes=[
        "def brookside_mean_age(joint_count, joint_age_sum, ashford):\n    return joint_age_sum / joint_count",
        'def brookside_mean_age(joint_count, joint_age_sum, ashford):\n    return joint_age_sum - ashford["age"].sum()',
        'def brookside_mean_age(joint_count, joint_age_sum, ashford):\n'
        '    return (joint_age_sum - ashford["age"].sum()) / joint_count',
        'def brookside_mean_age(joint_count, joint_age_sum, ashford):\n    return ashford["age"].mean()',
        # adversarial: the notebook has every hospital's rows, Ashford would not
        'def brookside_mean_age(joint_count, joint_age_sum, ashford):\n'
        '    return patients.loc[patients["hospital"] == "Brookside", "age"].mean()',
        "def brookside_mean_age(joint_count, joint_age_sum, ashford):\n    return 65.71066666666667",
        'def brookside_mean_age(joint_count, joint_age_sum, ashford):\n'
        '    return (joint_age_sum - ashford["Age"].sum()) / (joint_count - len(ashford))',
    ],
    known_errors=[("KeyError", "the column is named 'age' (lower case) in the patients table.")],
    explanation="With two parties the output minus your own input IS the other party's input: exactly, with no attack.",
)


# --------------------------------------------------------------------------------------
# Q5 reflection
# --------------------------------------------------------------------------------------

q5 = ReflectionProblem(
    title="Q5 reflection: an 'encrypted AI' offer",
    answer_name="my_answer",
    hints=[
        "Who holds the private key in their design, and what can that party therefore read?",
        "Which parts of the computation are non-linear, and what can Paillier compute?",
    ],
    reference="",
    discussion=(
        "Ask first who holds the private key: if the vendor's server decrypts in order to run the model, the "
        "encryption protects the data only in transit (TLS already does that) and the vendor sees every record. "
        "With Paillier the service can only compute linear functions (w . x + b); the sigmoid, trees or neural "
        "networks need either the client to finish the computation after decrypting, a scheme such as CKKS with "
        "polynomial approximations (approximate results, limited depth, large ciphertexts), or fully homomorphic "
        "encryption with bootstrapping (orders of magnitude slower). Then ask what is still revealed: the score "
        "itself once decrypted (which can be used to extract the model or infer the data), who queried and when, "
        "the number and size of requests, and the model owner's weights if they are sent in clear. A credible offer "
        "names the scheme and its parameters (key size or CKKS parameters, 128-bit security), states who holds which "
        "key, what each party learns, and the measured cost; it also says what happens to the outputs, which may "
        "need differential privacy."
    ),
)
