"""Unit tests of course_lib.he (lesson 06): the homomorphic properties on random inputs,
hand-computed cases, phe scoring, the offline phase, CKKS helpers, secret sharing, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phe import paillier
from scipy import stats

from course_lib import he

# Keys are made once: hypothesis then varies the messages, not the (slow) key generation.
TOY_PUBLIC, TOY_PRIVATE = he.keygen(64, rng=np.random.default_rng(0))
BIG_PUBLIC, BIG_PRIVATE = he.keygen(512, rng=np.random.default_rng(1))
PHE_PUBLIC, PHE_PRIVATE = paillier.generate_paillier_keypair(n_length=512)
FAST = settings(max_examples=40, deadline=None)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- keygen ------------------------------------------------------------------------------


@pytest.mark.parametrize("bits", [16, 64, 256])
def test_keygen_gives_a_modulus_of_the_requested_size_and_consistent_secrets(bits):
    public, private = he.keygen(bits, rng=rng(bits))
    assert public.bits == bits and public.n == private.p * private.q and private.p != private.q
    assert private.lam == math.lcm(private.p - 1, private.q - 1)
    assert private.lam * private.mu % public.n == 1
    assert public.g == public.n + 1 and public.n_squared == public.n**2


def test_keygen_is_reproducible_with_a_seed_and_hides_secrets_in_repr():
    assert he.keygen(32, rng=rng(3))[0] == he.keygen(32, rng=rng(3))[0]
    assert he.keygen(32, rng=rng(3))[0] != he.keygen(32, rng=rng(4))[0]
    _, private = he.keygen(32)                                  # the OS generator
    assert str(private.p) not in repr(private) and "hidden" in repr(private)


@pytest.mark.parametrize(
    "bits, kwargs, error, text",
    [
        (8, {}, ValueError, "bits must be an int from 16 to 4096"),
        (8192, {}, ValueError, "bits must be an int from 16 to 4096"),
        (33, {}, ValueError, "bits must be even"),
        (64.0, {}, TypeError, "bits must be an int"),
        (True, {}, TypeError, "bits must be an int"),
        (64, {"rng": 1}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_keygen_rejects_bad_input(bits, kwargs, error, text):
    with pytest.raises(error, match=text):
        he.keygen(bits, **kwargs)


# --- the homomorphisms on random inputs ---------------------------------------------------


@FAST
@given(m=st.integers(min_value=0, max_value=TOY_PUBLIC.n - 1), seed=st.integers(0, 2**32))
def test_decrypt_inverts_encrypt(m, seed):
    assert he.decrypt(TOY_PRIVATE, he.encrypt(TOY_PUBLIC, m, rng(seed))) == m


@FAST
@given(a=st.integers(0, BIG_PUBLIC.n - 1), b=st.integers(0, BIG_PUBLIC.n - 1), seed=st.integers(0, 2**32))
def test_product_of_ciphertexts_decrypts_to_the_sum_mod_n(a, b, seed):
    generator = rng(seed)
    ca, cb = he.encrypt(BIG_PUBLIC, a, generator), he.encrypt(BIG_PUBLIC, b, generator)
    assert he.decrypt(BIG_PRIVATE, he.add(BIG_PUBLIC, ca, cb)) == (a + b) % BIG_PUBLIC.n


@FAST
@given(a=st.integers(0, BIG_PUBLIC.n - 1), k=st.integers(-(10**30), 10**30), seed=st.integers(0, 2**32))
def test_power_by_a_plain_constant_multiplies_mod_n(a, k, seed):
    c = he.encrypt(BIG_PUBLIC, a, rng(seed))
    assert he.decrypt(BIG_PRIVATE, he.mul_const(BIG_PUBLIC, c, k)) == (k * a) % BIG_PUBLIC.n


def test_encryption_is_randomised_and_never_multiplies_plaintexts():
    generator = rng(5)
    c1, c2 = he.encrypt(BIG_PUBLIC, 7, generator), he.encrypt(BIG_PUBLIC, 7, generator)
    assert c1 != c2 and he.decrypt(BIG_PRIVATE, c1) == he.decrypt(BIG_PRIVATE, c2) == 7
    c3 = he.encrypt(BIG_PUBLIC, 6, generator)
    assert he.decrypt(BIG_PRIVATE, c1 * c3 % BIG_PUBLIC.n_squared) == 13       # never 42


def test_hand_computed_toy_example():
    # p = 5, q = 7 is below keygen's minimum size, so build the key by hand: n = 35, lam = lcm(4, 6) = 12,
    # mu = 12^-1 mod 35 = 3 (12 * 3 = 36 = 1 mod 35). E(4) with r = 2: (1 + 4*35) * 2^35 mod 1225.
    public = he.TeachingPublicKey(35)
    private = he.TeachingPrivateKey(public, 5, 7, 12, 3)
    c = (1 + 4 * 35) * pow(2, 35, 1225) % 1225
    assert he.decrypt(private, c) == 4
    assert he.decrypt(private, he.add(public, c, c)) == 8


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: he.encrypt(TOY_PUBLIC, -1), ValueError, "m must be an int with 0 <= m < n"),
        (lambda: he.encrypt(TOY_PUBLIC, TOY_PUBLIC.n), ValueError, "m must be an int with 0 <= m < n"),
        (lambda: he.encrypt(TOY_PUBLIC, 1.5), TypeError, "m must be an int"),
        (lambda: he.encrypt(TOY_PUBLIC, True), TypeError, "m must be an int"),
        (lambda: he.encrypt(TOY_PUBLIC.n, 1), TypeError, "public_key must be a TeachingPublicKey"),
        (lambda: he.encrypt(PHE_PUBLIC, 1), TypeError, "public_key must be a TeachingPublicKey"),
        (lambda: he.encrypt(TOY_PUBLIC, 1, rng="seed"), TypeError, "rng must be"),
        (lambda: he.decrypt(TOY_PUBLIC, 5), TypeError, "private_key must be a TeachingPrivateKey"),
        (lambda: he.decrypt(TOY_PRIVATE, 0), ValueError, "c must be a ciphertext of this key"),
        (lambda: he.decrypt(TOY_PRIVATE, TOY_PUBLIC.n_squared), ValueError, "c must be a ciphertext"),
        (lambda: he.decrypt(TOY_PRIVATE, TOY_PRIVATE.p), ValueError, "coprime to n"),
        (lambda: he.decrypt(TOY_PRIVATE, "123"), TypeError, "c must be an int"),
        (lambda: he.add(TOY_PUBLIC, 5, -3), ValueError, "c2 must be a ciphertext"),
        (lambda: he.add(TOY_PUBLIC, 5.0, 3), TypeError, "c1 must be an int"),
        (lambda: he.mul_const(TOY_PUBLIC, 5, 2.5), TypeError, "k must be an int"),
        (lambda: he.mul_const(TOY_PUBLIC, -5, 2), ValueError, "c must be a ciphertext"),
    ],
)
def test_teaching_paillier_rejects_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call()


# --- fixed-point encoding -----------------------------------------------------------------


@FAST
@given(x=st.floats(-1e6, 1e6, allow_nan=False), bits=st.integers(0, 40))
def test_encode_decode_round_trip_within_half_a_step(x, bits):
    back = he.decode(BIG_PUBLIC, he.encode(BIG_PUBLIC, x, bits), bits)
    assert abs(back - x) <= 2.0 ** -(bits + 1) + 1e-9 * abs(x)


@FAST
@given(x=st.floats(-1000, 1000, allow_nan=False), w=st.floats(-1000, 1000, allow_nan=False), seed=st.integers(0, 2**32))
def test_encrypted_fixed_point_product_with_a_plain_weight(x, w, seed):
    c = he.encrypt(BIG_PUBLIC, he.encode(BIG_PUBLIC, x), rng(seed))
    product = he.decode(BIG_PUBLIC, he.decrypt(BIG_PRIVATE, he.mul_const(BIG_PUBLIC, c, he.encode(BIG_PUBLIC, w))), 32)
    assert abs(product - x * w) <= 1000 * 2.0**-16 + 1e-6


def test_negative_values_wrap_to_the_top_half():
    assert he.encode(TOY_PUBLIC, -1.0, 0) == TOY_PUBLIC.n - 1
    assert he.decode(TOY_PUBLIC, TOY_PUBLIC.n - 1, 0) == -1.0


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: he.encode(TOY_PUBLIC, float("nan")), ValueError, "value must be finite"),
        (lambda: he.encode(TOY_PUBLIC, "1.5"), TypeError, "value must be a number"),
        (lambda: he.encode(TOY_PUBLIC, 1e30), ValueError, "strictly between -n/2 and n/2"),
        (lambda: he.encode(TOY_PUBLIC, 1.0, -1), ValueError, "scale_bits must be an int"),
        (lambda: he.decode(TOY_PUBLIC, -1), ValueError, "m must be an int with 0 <= m < n"),
        (lambda: he.decode(TOY_PUBLIC, 1.0), TypeError, "m must be an int"),
        (lambda: he.decode("key", 1), TypeError, "public_key must be a TeachingPublicKey"),
    ],
)
def test_encoding_rejects_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call()


# --- phe: encrypted linear score ----------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(
    # weights as a model stores them (no subnormal floats: phe cannot encode 1e-308 exactly in a small key)
    weights=st.lists(st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 8)), min_size=1, max_size=6),
    bias=st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 8)),
    seed=st.integers(0, 2**32),
)
def test_encrypted_linear_score_matches_the_plaintext_score(weights, bias, seed):
    x = np.random.default_rng(seed).normal(0, 2, len(weights))
    encrypted = [PHE_PUBLIC.encrypt(float(v)) for v in x]
    score = he.encrypted_linear_score(PHE_PUBLIC, weights, bias, encrypted)
    assert isinstance(score, paillier.EncryptedNumber)
    assert PHE_PRIVATE.decrypt(score) == pytest.approx(float(np.dot(weights, x) + bias), abs=1e-9)


def test_encrypted_linear_score_rejects_bad_input():
    encrypted = [PHE_PUBLIC.encrypt(1.0), PHE_PUBLIC.encrypt(2.0)]
    other_public, _ = paillier.generate_paillier_keypair(n_length=256)
    with pytest.raises(ValueError, match="same length, got 3 weights and 2 features"):
        he.encrypted_linear_score(PHE_PUBLIC, [1, 2, 3], 0.0, encrypted)
    with pytest.raises(ValueError, match="different public key"):
        he.encrypted_linear_score(other_public, [1, 2], 0.0, encrypted)
    with pytest.raises(TypeError, match=r"encrypted_features\[1\] must be a phe EncryptedNumber"):
        he.encrypted_linear_score(PHE_PUBLIC, [1, 2], 0.0, [encrypted[0], 2.0])
    with pytest.raises(TypeError, match="public_key must be a phe"):
        he.encrypted_linear_score(TOY_PUBLIC, [1, 2], 0.0, encrypted)
    with pytest.raises(ValueError, match="weights must be finite"):
        he.encrypted_linear_score(PHE_PUBLIC, [1, float("nan")], 0.0, encrypted)
    with pytest.raises(ValueError, match="weights must be a non-empty"):
        he.encrypted_linear_score(PHE_PUBLIC, [], 0.0, [])
    with pytest.raises(TypeError, match="bias must be a number"):
        he.encrypted_linear_score(PHE_PUBLIC, [1, 2], "0", encrypted)
    with pytest.raises(TypeError, match="encrypted_features must be a sequence"):
        he.encrypted_linear_score(PHE_PUBLIC, [1, 2], 0.0, "ab")


# --- the offline phase --------------------------------------------------------------------


@pytest.mark.parametrize("with_private_key", [False, True])
def test_precomputed_factors_are_nth_residues_and_encrypt_correctly(with_private_key):
    factors = he.precompute_obfuscators(PHE_PUBLIC, 12, PHE_PRIVATE if with_private_key else None)
    n2 = PHE_PUBLIC.nsquare
    phi = (PHE_PRIVATE.p - 1) * (PHE_PRIVATE.q - 1)
    assert len(set(factors)) == 12 and all(0 < f < n2 and pow(f, phi, n2) == 1 for f in factors)
    values = np.linspace(-3.5, 7.25, 12)
    encrypted = he.encrypt_precomputed(PHE_PUBLIC, values, factors)
    assert [PHE_PRIVATE.decrypt(c) for c in encrypted] == pytest.approx(list(values), abs=1e-12)
    assert len({c.ciphertext(be_secure=False) for c in encrypted}) == 12


def test_precomputed_factors_combine_with_phe_arithmetic():
    encrypted = he.encrypt_precomputed(PHE_PUBLIC, [1.5, -2.0], he.precompute_obfuscators(PHE_PUBLIC, 2, PHE_PRIVATE))
    assert PHE_PRIVATE.decrypt(encrypted[0] * 2 + encrypted[1] + PHE_PUBLIC.encrypt(0.5)) == pytest.approx(1.5)


def test_crt_factors_are_uniform_modulo_p():
    # The residue mod p of s^p mod p^2 is s^p = s (Fermat): uniform over 1..p-1 on a small key.
    public, private = paillier.generate_paillier_keypair(n_length=32)
    residues = np.array([f % private.p for f in he.precompute_obfuscators(public, 3000, private)])
    counts = np.bincount(residues * 10 // private.p, minlength=10)
    assert counts.size == 10 and stats.chisquare(counts).pvalue > 1e-4


def test_crt_factors_have_exactly_the_distribution_of_r_to_the_n():
    # Value by value the CRT factors differ from r**n mod n**2, but on a tiny key (p=11, q=13)
    # their support is exactly {r**n mod n**2 : r in Z_n^*} and they are uniform on it.
    p, q = 11, 13
    public = paillier.PaillierPublicKey(p * q)
    private = paillier.PaillierPrivateKey(public, p, q)
    n, n2 = public.n, public.nsquare
    direct = sorted({pow(r, n, n2) for r in range(1, n) if math.gcd(r, n) == 1})
    assert len(direct) == (p - 1) * (q - 1)                  # r -> r**n mod n**2 is one-to-one on Z_n^*
    factors = he.precompute_obfuscators(public, 60 * len(direct), private)
    assert set(factors) == set(direct)
    counts = [factors.count(v) for v in direct]
    assert stats.chisquare(counts).pvalue > 1e-4
    # and every plaintext of Z_n, blinded with any of them, decrypts (phe's raw decryption)
    assert all(private.raw_decrypt((1 + m * n) * f % n2) == m for m in range(n) for f in direct[::7])


def test_crt_factors_need_gcd_of_n_and_phi_one():
    # p = 7, q = 29: q divides p*q and (q - 1) = 28 is a multiple of p, so gcd(n, phi) = 7 != 1
    public = paillier.PaillierPublicKey(7 * 29)
    private = paillier.PaillierPrivateKey(public, 7, 29)
    with pytest.raises(ValueError, match=r"gcd\(n, \(p-1\)\(q-1\)\) = 1"):
        he.precompute_obfuscators(public, 1, private)


def test_offline_phase_rejects_bad_input():
    other_public, other_private = paillier.generate_paillier_keypair(n_length=256)
    factors = he.precompute_obfuscators(PHE_PUBLIC, 2)
    with pytest.raises(ValueError, match="count must be an int from 1"):
        he.precompute_obfuscators(PHE_PUBLIC, 0)
    with pytest.raises(ValueError, match="private_key does not belong to public_key"):
        he.precompute_obfuscators(PHE_PUBLIC, 1, other_private)
    with pytest.raises(TypeError, match="private_key must be a phe"):
        he.precompute_obfuscators(PHE_PUBLIC, 1, TOY_PRIVATE)
    with pytest.raises(ValueError, match="one factor per value, got 2 factors for 3 values"):
        he.encrypt_precomputed(PHE_PUBLIC, [1, 2, 3], factors)
    with pytest.raises(ValueError, match="must be distinct"):
        he.encrypt_precomputed(PHE_PUBLIC, [1, 2], [factors[0], factors[0]])
    with pytest.raises(ValueError, match=r"obfuscators\[1\] must be an int in \(0, n\*\*2\)"):
        he.encrypt_precomputed(PHE_PUBLIC, [1, 2], [factors[0], 0])
    with pytest.raises(TypeError, match=r"obfuscators\[0\] must be an int"):
        he.encrypt_precomputed(PHE_PUBLIC, [1], [1.5])
    with pytest.raises(ValueError, match="values must be finite"):
        he.encrypt_precomputed(PHE_PUBLIC, [float("inf")], factors[:1])
    with pytest.raises(TypeError, match="public_key must be a phe"):
        he.encrypt_precomputed(other_public.n, [1], factors[:1])


# --- CKKS helpers -------------------------------------------------------------------------


def test_sigmoid_polynomial_is_close_on_its_range_and_odd():
    coefficients = he.sigmoid_polynomial(3, (-4, 4))
    grid = np.linspace(-4, 4, 201)
    error = np.abs(np.polynomial.polynomial.polyval(grid, coefficients) - 1 / (1 + np.exp(-grid)))
    assert error.max() < 0.04 and coefficients[0] == pytest.approx(0.5) and abs(coefficients[2]) < 1e-12
    assert np.abs(np.polynomial.polynomial.polyval(grid, he.sigmoid_polynomial(5, (-4, 4)))
                  - 1 / (1 + np.exp(-grid))).max() < error.max()


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"degree": 0}, ValueError, "degree must be an int from 1 to 15"),
        ({"bounds": (2, 1)}, ValueError, r"bounds\[0\] must be < bounds\[1\]"),
        ({"bounds": 4}, TypeError, "bounds must be a"),
        ({"bounds": (0, 1, 2)}, TypeError, "bounds must be a"),
        ({"n_points": 2}, ValueError, "n_points must be an int"),
    ],
)
def test_sigmoid_polynomial_rejects_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        he.sigmoid_polynomial(**kwargs)


def test_ckks_context_computes_dot_and_polynomial_within_tolerance():
    import tenseal as ts

    context = he.ckks_context()
    x, w = [0.5, -1.0, 2.0], [0.25, 0.5, -0.125]
    coefficients = he.sigmoid_polynomial(3, (-4, 4))
    out = (ts.ckks_vector(context, x).dot(w) + 0.1).polyval(coefficients.tolist()).decrypt()[0]
    s = float(np.dot(x, w) + 0.1)
    assert out == pytest.approx(float(np.polynomial.polynomial.polyval(s, coefficients)), abs=1e-3)


def test_a_degree_5_sigmoid_fits_at_n_8192_only_with_smaller_end_primes():
    # A dot product then a degree-5 polynomial needs four levels: with 60-bit end primes that is
    # 240 bits, over the 218 allowed at N = 8192; with 40-bit ends (200 bits) it fits and works.
    import tenseal as ts

    with pytest.raises(ValueError, match="more than the 218 allowed"):
        he.ckks_context(8192, (60, 30, 30, 30, 30, 60), galois_keys=False)
    context = he.ckks_context(8192, (40, 30, 30, 30, 30, 40), scale_bits=30)
    coefficients = he.sigmoid_polynomial(5, (-4, 4))
    x, w = [0.5, -1.0, 2.0], [0.25, 0.5, -0.125]
    out = ts.ckks_vector(context, x).dot(w).polyval(coefficients.tolist()).decrypt()[0]
    s = float(np.dot(x, w))
    assert out == pytest.approx(float(np.polynomial.polynomial.polyval(s, coefficients)), abs=1e-2)
    grid = np.linspace(-4, 4, 2001)
    errors = [np.abs(np.polynomial.polynomial.polyval(grid, he.sigmoid_polynomial(d, (-4, 4)))
                     - 1 / (1 + np.exp(-grid))).max() for d in (3, 5)]
    assert errors[0] > 3 * errors[1]                              # degree 5 is over 3x more accurate


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"poly_modulus_degree": 5000}, ValueError, "poly_modulus_degree must be one of"),
        ({"coeff_mod_bit_sizes": (60, 60, 60, 60)}, ValueError, "more than the 218 allowed"),
        ({"coeff_mod_bit_sizes": (60,)}, ValueError, "at least 2 primes"),
        ({"coeff_mod_bit_sizes": (60, 10, 60)}, ValueError, r"coeff_mod_bit_sizes\[1\] must be an int from 20 to 60"),
        ({"coeff_mod_bit_sizes": "60,40"}, TypeError, "coeff_mod_bit_sizes must be a sequence"),
        ({"scale_bits": 70}, ValueError, "scale_bits must be an int from 20 to 60"),
    ],
)
def test_ckks_context_rejects_bad_parameters(kwargs, error, text):
    with pytest.raises(error, match=text):
        he.ckks_context(**kwargs)


# --- secret sharing -----------------------------------------------------------------------


@FAST
@given(secret=st.integers(0, he.PRIME - 1), parties=st.integers(2, 12), seed=st.integers(0, 2**32))
def test_shares_reconstruct_the_secret(secret, parties, seed):
    shares = he.share(secret, parties, rng(seed))
    assert len(shares) == parties and all(0 <= s < he.PRIME for s in shares)
    assert he.reconstruct(shares) == secret


@FAST
@given(a=st.integers(0, 10**15), b=st.integers(0, 10**15), seed=st.integers(0, 2**32))
def test_adding_shares_party_by_party_reconstructs_the_sum(a, b, seed):
    generator = rng(seed)
    sa, sb = he.share(a, 3, generator), he.share(b, 3, generator)
    assert he.reconstruct([(x + y) % he.PRIME for x, y in zip(sa, sb)]) == a + b


def test_a_single_share_is_uniform_whatever_the_secret():
    small = 101
    for secret in (0, 57):
        firsts = [he.share(secret, 3, rng(s), modulus=small)[0] for s in range(4040)]
        assert stats.chisquare(np.bincount(firsts, minlength=small)).pvalue > 1e-3
    assert he.reconstruct(he.share(57, 4, None, modulus=small), modulus=small) == 57     # the OS generator


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: he.share(5, 1), ValueError, "n_parties must be >= 2"),
        (lambda: he.share(5, 2.0), TypeError, "n_parties must be an int"),
        (lambda: he.share(-1, 3), ValueError, "secret must be an int with 0 <= secret < modulus"),
        (lambda: he.share(he.PRIME, 3), ValueError, "secret must be an int with 0 <= secret < modulus"),
        (lambda: he.share(1.5, 3), TypeError, "secret must be an int"),
        (lambda: he.share(1, 3, rng=0), TypeError, "rng must be"),
        (lambda: he.share(1, 3, modulus=2), ValueError, "modulus must be a prime >= 3"),
        (lambda: he.reconstruct([5]), ValueError, "at least 2 shares"),
        (lambda: he.reconstruct([5, he.PRIME]), ValueError, r"shares\[1\] must be in \[0, modulus\)"),
        (lambda: he.reconstruct([5, -1]), ValueError, r"shares\[1\] must be in"),
        (lambda: he.reconstruct([5, 2.5]), TypeError, r"shares\[1\] must be an int"),
        (lambda: he.reconstruct(7), TypeError, "shares must be a sequence"),
    ],
)
def test_secret_sharing_rejects_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_exercise_q1_literals_are_the_documented_toy_key_and_ciphertexts():
    # lesson06.q1 gives the key and ciphertexts as integers (so the counts are not on screen);
    # they must be what the comment there says they are.
    from course_lib.exercises.lesson06 import q1

    namespace: dict = {}
    exec(q1.setup, namespace)  # noqa: S102 - our own setup code
    public, private = he.keygen(32, rng=rng(6))
    assert (namespace["toy_n"], namespace["toy_lam"], namespace["toy_mu"]) == (public.n, private.lam, private.mu)
    assert namespace["c_ashford"] == he.encrypt(public, 1517, rng=rng(7))
    assert namespace["c_brookside"] == he.encrypt(public, 1038, rng=rng(8))


# ---- found by the bad-input battery (tests/test_bad_input_battery.py) --------------------------


@pytest.mark.parametrize(
    "call, error, text",
    [
        # the key classes validated nothing: TeachingPublicKey(None) and TeachingPrivateKey(pk, "x", ...) were built
        (lambda: he.TeachingPublicKey(None), TypeError, "n must be an int"),
        (lambda: he.TeachingPublicKey(35.0), TypeError, "n must be an int"),
        (lambda: he.TeachingPublicKey(10**30), ValueError, "n must be an odd int >= 15"),
        (lambda: he.TeachingPublicKey(-35), ValueError, "n must be an odd int >= 15"),
        (lambda: he.TeachingPrivateKey(35, 5, 7, 12, 3), TypeError, "public_key must be a TeachingPublicKey"),
        (lambda: he.TeachingPrivateKey(he.TeachingPublicKey(35), "5", 7, 12, 3), TypeError, "p must be an int"),
        (lambda: he.TeachingPrivateKey(he.TeachingPublicKey(35), 5, 11, 12, 3), ValueError, "p and q must be"),
        (lambda: he.TeachingPrivateKey(he.TeachingPublicKey(35), 5, 7, 24, 3), ValueError, "lam must be lcm"),
        (lambda: he.TeachingPrivateKey(he.TeachingPublicKey(35), 5, 7, 12, 4), ValueError, "mu must be the inverse"),
        (lambda: he.TeachingPrivateKey(TOY_PUBLIC, TOY_PRIVATE.p, TOY_PRIVATE.q, TOY_PRIVATE.lam, None), TypeError,
         "mu must be an int"),
        # galois_keys was never checked, a composite modulus passed for a prime one
        (lambda: he.ckks_context(4096, (40, 20, 40), 20, galois_keys="no"), TypeError, "galois_keys must be True or False"),
        (lambda: he.share(5, 3, modulus=10**30), ValueError, "modulus must be a prime"),
        (lambda: he.reconstruct([1, 2], modulus=100), ValueError, "modulus must be a prime"),
        # phe's own "Integer needs to be within ..." escaped without naming an argument
        (lambda: he.encrypted_linear_score(PHE_PUBLIC, [1e200, 1e200], 0.0,
                                           [PHE_PUBLIC.encrypt(1e200), PHE_PUBLIC.encrypt(1.0)]),
         ValueError, "weights and bias must be small enough for public_key"),
    ],
)
def test_battery_findings_are_refused_by_name(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_a_valid_key_built_by_hand_still_works_and_keygen_keys_validate():
    private = he.TeachingPrivateKey(he.TeachingPublicKey(35), 5, 7, 12, 3)
    assert he.decrypt(private, (1 + 4 * 35) * pow(2, 35, 1225) % 1225) == 4
    rebuilt = he.TeachingPrivateKey(TOY_PUBLIC, TOY_PRIVATE.q, TOY_PRIVATE.p, TOY_PRIVATE.lam, TOY_PRIVATE.mu)
    assert he.decrypt(rebuilt, he.encrypt(TOY_PUBLIC, 42, np.random.default_rng(0))) == 42
