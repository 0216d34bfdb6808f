"""Exercises of lesson 06 (homomorphic encryption and secure computation).

q1 a value (decrypt a homomorphic sum by hand with the teaching Paillier), q2 a custom check
(the server's encrypted risk score with phe), q3 a function (reconstruct additive shares),
q4 a value (what a two-party secure sum reveals), q5 a reflection (an "encrypted AI" offer).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from phe import paillier

from course_lib import he
from course_lib.data import load_patients
from course_lib.exercises import Case, CustomProblem, FunctionProblem, Incorrect, ReflectionProblem, ValueProblem

# --------------------------------------------------------------------------------------
# Q1 decrypt a homomorphic sum by hand
# --------------------------------------------------------------------------------------

_SETUP_Q1 = """
import numpy as np
from course_lib import he
q1_public, q1_private = he.keygen(32, rng=np.random.default_rng(6))
toy_n, toy_lam, toy_mu = q1_public.n, q1_private.lam, q1_private.mu
c_ashford = he.encrypt(q1_public, 1517, rng=np.random.default_rng(7))     # Ashford's count, encrypted
c_brookside = he.encrypt(q1_public, 1038, rng=np.random.default_rng(8))   # Brookside's count, encrypted
"""


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
                              "plaintexts: c = c_ashford * c_brookside % (toy_n**2)."),
        (1517 * 1038, "that is the product of the two counts: multiplying ciphertexts adds the plaintexts, it does not "
                      "multiply them (Paillier cannot multiply two encrypted values)."),
        (dec(c1 * c2 % n2, n), "you raised c to lam modulo n; the ciphertexts live modulo n**2: pow(c, toy_lam, toy_n**2)."),
        ((pow(c1 * c2 % n2, lam, n2) - 1) // n % n, "you forgot to multiply by mu (mod n): L(c**lam) is the sum times lam."),
        (c1 * c2 % n2, "that is the encrypted sum, a ciphertext: now decrypt it with toy_lam and toy_mu."),
    ]


q1 = ValueProblem(
    title="Q1 decrypt a homomorphic sum by hand",
    answer_name="count_sum",
    setup=_SETUP_Q1,
    expected=1517 + 1038,
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
        "count_sum = he.decrypt(q1_private, he.add(q1_public, c_ashford, c_brookside))",
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
    ],
    known_errors=[("ZeroDivisionError", "integer division by something that is 0: L(x) divides by toy_n, not by x.")],
    explanation="1517 + 1038 = 2555: the hospitals' counts were added while encrypted, and only the key holder read the sum.",
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
    ],
    known_errors=[
        ("bad operand type for unary -", "the sigmoid (1 / (1 + exp(-z))) cannot run on a ciphertext: return the "
                                         "encrypted linear score; the client applies the sigmoid after decrypting."),
        ("NotImplementedError", "Paillier cannot multiply two ciphertexts: multiply each encrypted feature by a PLAIN "
                                "weight."),
        ("must be real number, not EncryptedNumber", "the sigmoid (math.exp) cannot run on a ciphertext: return the "
                                                     "encrypted linear score; the client applies the sigmoid after "
                                                     "decrypting."),
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
                          why="the shares add up to the secret only modulo PRIME (2**61 - 1)."))
    big = [he.PRIME - 1, he.PRIME - 2, 5]          # sums far beyond PRIME: the modulus is essential
    cases.append(Case(args=(big,), expected=2, why="(PRIME - 1) + (PRIME - 2) + 5 = 2 modulo PRIME."))
    return cases


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
    ],
    mistakes=[
        "def my_reconstruct(shares):\n    return sum(shares)",
        "def my_reconstruct(shares):\n    return sum(shares) % 2**61",
        "def my_reconstruct(shares):\n    return shares[-1]",
        "def my_reconstruct(shares):\n    return sum(shares[:2]) % PRIME",
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
joint_count, joint_age_sum = 3700, 225229     # the outputs of the secure sums, public to both hospitals
"""


def _brookside() -> np.ndarray:
    patients = load_patients()
    return patients.loc[patients["hospital"] == "Brookside", "age"].to_numpy()


def _ashford() -> np.ndarray:
    patients = load_patients()
    return patients.loc[patients["hospital"] == "Ashford", "age"].to_numpy()


def _q4_mistakes() -> list[tuple[float, str]]:
    a, b = _ashford(), _brookside()
    joint_sum, joint_count = int(a.sum() + b.sum()), a.size + b.size
    return [
        (joint_sum / joint_count, "that is the joint mean, the protocol's public output; the question asks what "
                                  "Ashford can deduce about Brookside alone."),
        (float(a.mean()), "that is Ashford's own mean age."),
        (joint_sum - a.sum(), "that is Brookside's SUM of ages: divide it by Brookside's count "
                              "(joint_count - len(ashford))."),
        ((joint_sum - a.sum()) / joint_count, "divide Brookside's sum by Brookside's count, not by the joint count."),
        (joint_sum / joint_count * 2 - a.mean(), "2 x joint mean - own mean assumes equal hospital sizes; "
                                                 "Ashford has 2,200 patients and Brookside 1,500."),
    ]


q4 = ValueProblem(
    title="Q4 what a two-party secure sum reveals",
    answer_name="brookside_mean_age",
    setup=_SETUP_Q4,
    expected=lambda: float(_brookside().mean()),
    rtol=1e-6,
    known_mistakes=_q4_mistakes,
    hints=[
        "Secure computation hides the inputs, not the output. Ashford knows its own input AND the output.",
        "Brookside's sum = joint sum - Ashford's sum; Brookside's count = joint count - Ashford's count.",
        "brookside_mean_age = (joint_age_sum - ashford['age'].sum()) / (joint_count - len(ashford))",
    ],
    reference="""
brookside_sum = joint_age_sum - ashford["age"].sum()
brookside_count = joint_count - len(ashford)
brookside_mean_age = brookside_sum / brookside_count
""",
    alternatives=[
        'brookside_mean_age = (joint_age_sum - int(ashford["age"].sum())) / (joint_count - ashford.shape[0])',
    ],
    mistakes=[
        "brookside_mean_age = joint_age_sum / joint_count",
        'brookside_mean_age = joint_age_sum - ashford["age"].sum()',
        'brookside_mean_age = (joint_age_sum - ashford["age"].sum()) / joint_count',
        'brookside_mean_age = ashford["age"].mean()',
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
