"""Lesson 06 (homomorphic encryption and secure computation): compute on data you cannot read.

What this module teaches, read top to bottom:

1. **Paillier by hand, for teaching only** (:func:`keygen`, :func:`encrypt`, :func:`decrypt`,
   :func:`add`, :func:`mul_const`). Paillier's scheme (P. Paillier, *Public-Key Cryptosystems
   Based on Composite Degree Residuosity Classes*, EUROCRYPT 1999) is *additively*
   homomorphic: multiplying two ciphertexts adds their plaintexts, raising a ciphertext to a
   plain integer ``k`` multiplies its plaintext by ``k``. Nothing else: there is no way to
   multiply two ciphertexts together. The code follows the paper with ``g = n + 1``. It is
   NOT for real use: it is not constant-time, has no padding or key validation, and a
   seeded ``rng`` makes its keys and ciphertexts predictable (that is what makes the lesson
   reproducible, and exactly what real encryption must never be). Real code uses the
   maintained library ``phe`` (python-paillier), as the lesson does.
2. **Fixed-point encoding** (:func:`encode`, :func:`decode`): Paillier encrypts integers
   modulo ``n``; a real number ``x`` becomes ``round(x * 2**scale_bits)`` and a negative one
   wraps to the top half of ``[0, n)``. ``phe`` does the same with its ``EncodedNumber``.
3. **Encrypted scoring with phe** (:func:`encrypted_linear_score`): a server holding plain
   weights computes ``w . x + b`` on a client's encrypted features without decrypting
   anything; only the client, who holds the private key, can read the score and apply the
   (non-linear) sigmoid.
4. **An offline phase** (:func:`precompute_obfuscators`, :func:`encrypt_precomputed`): the
   costly part of Paillier encryption is the random factor ``r**n mod n**2``, which does not
   depend on the message. Computed ahead of time (when a device is idle), it leaves two
   multiplications per value for the moment a patient is scored.
5. **CKKS with TenSEAL** (:func:`ckks_context`, :func:`sigmoid_polynomial`): approximate
   arithmetic on encrypted vectors (J. H. Cheon, A. Kim, M. Kim, Y. Song, *Homomorphic
   Encryption for Arithmetic of Approximate Numbers*, ASIACRYPT 2017) supports additions and
   a limited number of multiplications, so a sigmoid must be replaced by a low-degree
   polynomial.
6. **Additive secret sharing** (:func:`share`, :func:`reconstruct`): a secret split into
   random shares modulo a prime; any ``n - 1`` shares are uniformly random, all ``n`` sum to
   the secret (the basis of secure multi-party computation, e.g. D. Evans, V. Kolesnikov,
   M. Rosulek, *A Pragmatic Introduction to Secure Multi-Party Computation*, 2018, 3.2).
"""
from __future__ import annotations

import math
import numbers
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from phe import paillier
from phe.util import invert, is_prime, powmod  # pow(a, b, m) and pow(a, -1, m), through GMP when gmpy2 is installed

from course_lib import _checks

__all__ = [
    "TeachingPublicKey",
    "TeachingPrivateKey",
    "keygen",
    "encrypt",
    "decrypt",
    "add",
    "mul_const",
    "encode",
    "decode",
    "encrypted_linear_score",
    "precompute_obfuscators",
    "encrypt_precomputed",
    "ckks_context",
    "sigmoid_polynomial",
    "PRIME",
    "share",
    "reconstruct",
]

#: Smallest and largest key sizes (bits of ``n``) that :func:`keygen` accepts. 16 bits is a toy
#: a student can follow with a calculator; 2048 is the smallest size recommended for real use
#: (NIST SP 800-57 Part 1 Rev. 5, Table 2: a 2048-bit factoring modulus gives about 112-bit
#: security, acceptable until 2030; 3072 bits give 128-bit security, for data protected beyond).
MIN_BITS, MAX_BITS = 16, 4096

#: The prime modulus of :func:`share`: the Mersenne prime 2**61 - 1, larger than any count or
#: sum in the course, and small enough for NumPy's 64-bit integers.
PRIME = 2**61 - 1


# --------------------------------------------------------------------------------------
# Randomness: the OS generator by default, a seeded numpy Generator for reproducible teaching
# --------------------------------------------------------------------------------------


def _random_below(bound: int, rng: np.random.Generator | None) -> int:
    """A uniform integer in ``[0, bound)``: ``secrets`` for ``None``, else ``rng`` (rejection sampling)."""
    if rng is None:
        return secrets.randbelow(bound)
    n_bytes = (bound.bit_length() + 7) // 8
    excess = 8 * n_bytes - bound.bit_length()
    while True:
        value = int.from_bytes(rng.bytes(n_bytes), "big") >> excess
        if value < bound:
            return value


def _random_unit(n: int, rng: np.random.Generator | None) -> int:
    """A uniform ``r`` in ``[1, n)`` with ``gcd(r, n) = 1`` (a unit modulo ``n``)."""
    while True:
        r = 1 + _random_below(n - 1, rng)
        if math.gcd(r, n) == 1:
            return r


def _big_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {_checks.short_repr(value)}")
    return int(value)


# --------------------------------------------------------------------------------------
# 1. Paillier by hand (TEACHING ONLY)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeachingPublicKey:
    """The public key ``n = p * q`` of the teaching Paillier (``g = n + 1`` is implied).

    TEACHING ONLY: see the module docstring. Anyone may hold it: it encrypts and lets anyone
    add ciphertexts or multiply them by constants, but it cannot decrypt.
    """

    n: int

    def __post_init__(self) -> None:
        n = _big_int("n", self.n)
        if n < 15 or n % 2 == 0:
            raise ValueError(f"n must be an odd int >= 15 (a product of two distinct odd primes), got {_checks.short_repr(n)}")

    @property
    def n_squared(self) -> int:
        """Ciphertexts live modulo ``n**2``: twice the size of ``n``."""
        return self.n * self.n

    @property
    def g(self) -> int:
        """The generator ``n + 1`` (Paillier's simplest valid choice)."""
        return self.n + 1

    @property
    def bits(self) -> int:
        """The key size: bits of ``n``."""
        return self.n.bit_length()


@dataclass(frozen=True, repr=False)
class TeachingPrivateKey:
    """The private key of the teaching Paillier: the primes ``p, q``, ``lam = lcm(p-1, q-1)``
    and ``mu = lam**-1 mod n``. TEACHING ONLY. Its ``repr`` hides the secrets."""

    public_key: TeachingPublicKey
    p: int
    q: int
    lam: int
    mu: int

    def __post_init__(self) -> None:
        public_key = _public_key(self.public_key)
        n = public_key.n
        p, q, lam, mu = (_big_int(name, getattr(self, name)) for name in ("p", "q", "lam", "mu"))
        if not (p >= 3 and q >= 3 and p != q and p * q == n):
            raise ValueError(f"p and q must be two distinct primes with p * q = n of public_key; p * q does not "
                             f"give n for this public_key ({public_key.bits}-bit n)")
        if lam != math.lcm(p - 1, q - 1):
            raise ValueError("lam must be lcm(p - 1, q - 1) of the given p and q")
        if not 0 < mu < n or lam * mu % n != 1:
            raise ValueError("mu must be the inverse of lam modulo n (lam * mu = 1 mod n), with 0 < mu < n")

    def __repr__(self) -> str:
        return f"TeachingPrivateKey(<{self.public_key.bits}-bit, secret values hidden>)"


def _random_prime(bits: int, rng: np.random.Generator | None) -> int:
    """A prime of exactly ``bits`` bits whose two top bits are set (so ``p * q`` has ``2 * bits`` bits).

    TEACHING SHORTCUT: the next prime after a uniform random start is NOT a uniform random
    prime (a prime that follows a long gap between primes is chosen more often). That bias is
    harmless for a lesson; real key generation draws random candidates until one is prime
    (``phe`` and the ``cryptography`` package do).
    """
    import gmpy2  # the pinned GMP binding: a fast, well-tested primality test (Miller-Rabin + BPSW)

    while True:
        candidate = _random_below(1 << bits, rng) | (0b11 << (bits - 2)) | 1
        prime = int(gmpy2.next_prime(candidate))
        if prime.bit_length() == bits:
            return prime


def keygen(bits: int, rng: np.random.Generator | None = None) -> tuple[TeachingPublicKey, TeachingPrivateKey]:
    """Generate a teaching Paillier key pair whose modulus ``n = p * q`` has ``bits`` bits.

    ``bits`` from 16 (a toy to print and follow by hand) to 4096, even. Two distinct primes
    of ``bits / 2`` bits each; ``lam = lcm(p - 1, q - 1)``; with ``g = n + 1``,
    ``mu = lam**-1 mod n`` (Paillier, 1999, section 4; primes of equal length guarantee
    ``gcd(n, (p-1)(q-1)) = 1``). Each prime is the next prime after a random start, which is
    not a uniform choice of prime (see ``_random_prime``). ``rng=None`` draws from the operating system (``secrets``);
    a seeded ``numpy.random.Generator`` gives the same key every run: reproducible for a
    lesson, and therefore worthless as a secret. TEACHING ONLY.
    """
    bits = _checks.integer("bits", bits, minimum=MIN_BITS, maximum=MAX_BITS)
    if bits % 2:
        raise ValueError(f"bits must be even (two primes of bits/2 bits each), got {bits}")
    if rng is not None:
        _checks.rng(rng)
    while True:
        p = _random_prime(bits // 2, rng)
        q = _random_prime(bits // 2, rng)
        n = p * q
        if p != q and math.gcd(n, (p - 1) * (q - 1)) == 1:
            break
    lam = math.lcm(p - 1, q - 1)
    mu = pow(lam, -1, n)
    public_key = TeachingPublicKey(n)
    return public_key, TeachingPrivateKey(public_key, p, q, lam, mu)


def _public_key(public_key: object) -> TeachingPublicKey:
    if not isinstance(public_key, TeachingPublicKey):
        raise TypeError(f"public_key must be a TeachingPublicKey from he.keygen, got {type(public_key).__name__}")
    return public_key


def _ciphertext(public_key: TeachingPublicKey, name: str, c: object) -> int:
    c = _big_int(name, c)
    if not 0 < c < public_key.n_squared or math.gcd(c, public_key.n) != 1:
        raise ValueError(f"{name} must be a ciphertext of this key: an int in (0, n**2) coprime to n, got {_checks.short_repr(c)}")
    return c


def encrypt(public_key: TeachingPublicKey, m: int, rng: np.random.Generator | None = None) -> int:
    """``c = g**m * r**n mod n**2`` for a plaintext ``0 <= m < n`` and a fresh random unit ``r``.

    With ``g = n + 1``, ``g**m = 1 + m * n (mod n**2)`` (binomial theorem), so only ``r**n``
    costs an exponentiation. The random ``r`` makes encryption *randomised*: the same ``m``
    gives a different ``c`` every time, so equal plaintexts cannot be spotted. TEACHING ONLY.
    """
    public_key = _public_key(public_key)
    m = _big_int("m", m)
    if not 0 <= m < public_key.n:
        raise ValueError(f"m must be an int with 0 <= m < n = {public_key.n}, got {m}; encode negatives and reals first (he.encode)")
    if rng is not None:
        _checks.rng(rng)
    n, n2 = public_key.n, public_key.n_squared
    r = _random_unit(n, rng)
    return (1 + m * n) * powmod(r, n, n2) % n2


def decrypt(private_key: TeachingPrivateKey, c: int) -> int:
    """``m = L(c**lam mod n**2) * mu mod n`` with ``L(x) = (x - 1) / n`` (Paillier, 1999).

    ``c**lam`` removes the random factor (``r**(n * lam) = 1 mod n**2``) and leaves
    ``1 + m * lam * n``; ``L`` reads off ``m * lam`` and ``mu`` divides by ``lam``. TEACHING ONLY.
    """
    if not isinstance(private_key, TeachingPrivateKey):
        raise TypeError(f"private_key must be a TeachingPrivateKey from he.keygen, got {type(private_key).__name__}")
    pk = private_key.public_key
    c = _ciphertext(pk, "c", c)
    x = powmod(c, private_key.lam, pk.n_squared)
    return (x - 1) // pk.n * private_key.mu % pk.n


def add(public_key: TeachingPublicKey, c1: int, c2: int) -> int:
    """``E(a) * E(b) mod n**2``, an encryption of ``a + b mod n``: addition without the private key."""
    public_key = _public_key(public_key)
    c1 = _ciphertext(public_key, "c1", c1)
    c2 = _ciphertext(public_key, "c2", c2)
    return c1 * c2 % public_key.n_squared


def mul_const(public_key: TeachingPublicKey, c: int, k: int) -> int:
    """``E(a)**k mod n**2``, an encryption of ``k * a mod n``, for a *plain* integer ``k``.

    A negative ``k`` works modulo ``n`` (``k mod n``); together with :func:`encode` this
    multiplies by negative and fixed-point constants. Two ciphertexts cannot be multiplied.
    """
    public_key = _public_key(public_key)
    c = _ciphertext(public_key, "c", c)
    k = _big_int("k", k)
    return powmod(c, k % public_key.n, public_key.n_squared)


# --------------------------------------------------------------------------------------
# 2. Fixed-point encoding of real numbers
# --------------------------------------------------------------------------------------


def encode(public_key: TeachingPublicKey, value: float, scale_bits: int = 16) -> int:
    """``round(value * 2**scale_bits) mod n``: a real number as a plaintext in ``[0, n)``.

    Negative numbers wrap to the upper half of ``[0, n)`` (two's complement modulo ``n``).
    The rounding error is at most ``2**-(scale_bits + 1)``. After a product of two encoded
    numbers the scale adds up: decode with ``2 * scale_bits``.
    """
    public_key = _public_key(public_key)
    value = _checks.number("value", value)
    scale_bits = _checks.integer("scale_bits", scale_bits, minimum=0, maximum=1024)
    scaled = round(value * 2**scale_bits)
    if abs(scaled) >= public_key.n // 2:
        raise ValueError(
            f"value * 2**scale_bits must lie strictly between -n/2 and n/2 to be decoded, got value={value} "
            f"with scale_bits={scale_bits} for a {public_key.bits}-bit n; use a larger key or fewer scale bits"
        )
    return scaled % public_key.n


def decode(public_key: TeachingPublicKey, m: int, scale_bits: int = 16) -> float:
    """The real number a plaintext ``m`` encodes: the upper half of ``[0, n)`` is negative."""
    public_key = _public_key(public_key)
    m = _big_int("m", m)
    if not 0 <= m < public_key.n:
        raise ValueError(f"m must be an int with 0 <= m < n = {public_key.n}, got {m}")
    scale_bits = _checks.integer("scale_bits", scale_bits, minimum=0, maximum=2048)
    signed = m - public_key.n if m > public_key.n // 2 else m
    return signed / 2**scale_bits


# --------------------------------------------------------------------------------------
# 3. Encrypted scoring with phe
# --------------------------------------------------------------------------------------


def _phe_public_key(public_key: object) -> paillier.PaillierPublicKey:
    if not isinstance(public_key, paillier.PaillierPublicKey):
        raise TypeError(f"public_key must be a phe.paillier.PaillierPublicKey, got {type(public_key).__name__}")
    return public_key


def encrypted_linear_score(
    public_key: paillier.PaillierPublicKey,
    weights: Sequence[float] | np.ndarray,
    bias: float,
    encrypted_features: Sequence[paillier.EncryptedNumber],
) -> paillier.EncryptedNumber:
    """``E(w . x + b)`` from plain weights and bias and the encrypted features ``E(x_i)``.

    Uses only what Paillier supports: ciphertext times a plain number (``w_i * E(x_i)``) and
    ciphertext plus ciphertext or plain number. The server that runs this never sees ``x`` or
    the score; the client decrypts the result and applies the sigmoid itself (python-paillier
    documentation, "Usage": https://python-paillier.readthedocs.io). ``ValueError`` when the
    lengths differ (``zip`` would silently drop features) or a feature is encrypted under
    another key.
    """
    public_key = _phe_public_key(public_key)
    w = _checks.non_empty("weights", weights)
    bias = _checks.number("bias", bias)
    if isinstance(encrypted_features, (str, bytes)) or not isinstance(encrypted_features, (Sequence, np.ndarray)):
        raise TypeError(f"encrypted_features must be a sequence of phe EncryptedNumber, got {type(encrypted_features).__name__}")
    features = list(encrypted_features)
    if len(features) != w.size:
        raise ValueError(f"weights and encrypted_features must have the same length, got {w.size} weights and {len(features)} features")
    for i, feature in enumerate(features):
        if not isinstance(feature, paillier.EncryptedNumber):
            raise TypeError(f"encrypted_features[{i}] must be a phe EncryptedNumber, got {type(feature).__name__}: "
                            "encrypt the features on the client first")
        if feature.public_key != public_key:
            raise ValueError(f"encrypted_features[{i}] is encrypted under a different public key")
    try:
        score = features[0] * float(w[0])
        for weight, feature in zip(w[1:], features[1:], strict=True):
            score = score + feature * float(weight)
        return score + bias
    except (ValueError, OverflowError) as exc:  # phe's encoding range is about n / 3
        raise ValueError(f"weights and bias must be small enough for public_key to encode "
                         f"(the score overflowed its range: {str(exc)[:60]}...); scale them down or use a larger key") from exc


# --------------------------------------------------------------------------------------
# 4. The offline phase: random factors computed ahead of time
# --------------------------------------------------------------------------------------


def precompute_obfuscators(
    public_key: paillier.PaillierPublicKey, count: int, private_key: paillier.PaillierPrivateKey | None = None
) -> list[int]:
    """``count`` random factors ``r**n mod n**2``, one per future ciphertext, never to be reused.

    This is the expensive part of Paillier encryption and it does not depend on the message,
    so a device can compute it while idle (an offline phase). Randomness comes from the
    operating system (``secrets``), as in ``phe``: there is deliberately no ``rng`` argument,
    because a seeded generator must never make real encryption randomness.

    Given the ``private_key`` (the patient's side owns it), each factor is computed modulo
    ``p**2`` and ``q**2`` and combined with the Chinese remainder theorem: two exponentiations
    with half the modulus and half the exponent, about four times less work. The factors are
    NOT equal to ``r**n mod n**2`` value by value, but they have exactly its distribution:
    for ``r`` uniform in ``Z_n^*``, ``r mod p`` and ``r mod q`` are independent and uniform
    (CRT), and ``r**n mod p**2`` depends only on ``r mod p``. The map ``s -> s**p mod p**2`` on
    ``[1, p)`` is a bijection onto the subgroup ``H_p`` of order ``p - 1`` of ``Z_{p**2}^*``, so
    ``s**p`` is uniform on ``H_p``; ``r**n = (r**p)**q`` is uniform on ``H_p`` too, because raising
    to ``q`` permutes ``H_p`` when ``gcd(q, p - 1) = 1`` (implied by ``gcd(n, (p-1)(q-1)) = 1``,
    which keys with primes of equal length satisfy and this function checks). The same holds
    modulo ``q**2``; the CRT then gives a uniform element of the ``n``-th residues, as
    ``r**n mod n**2`` does (``tests/test_he.py`` compares the two distributions exhaustively on
    a tiny key).
    """
    public_key = _phe_public_key(public_key)
    count = _checks.integer("count", count, minimum=1, maximum=1_000_000)
    n, n2 = public_key.n, public_key.nsquare
    if private_key is None:
        return [int(powmod(_random_unit(n, None), n, n2)) for _ in range(count)]
    if not isinstance(private_key, paillier.PaillierPrivateKey):
        raise TypeError(f"private_key must be a phe.paillier.PaillierPrivateKey or None, got {type(private_key).__name__}")
    if private_key.public_key != public_key:
        raise ValueError("private_key does not belong to public_key")
    p, q = private_key.p, private_key.q
    if math.gcd(n, (p - 1) * (q - 1)) != 1:
        raise ValueError("private_key must satisfy gcd(n, (p-1)(q-1)) = 1 (as keys with primes of equal length do)")
    p2, q2 = p * p, q * q
    p2_inverse = invert(p2, q2)
    factors = []
    for _ in range(count):
        mod_p2 = powmod(1 + secrets.randbelow(p - 1), p, p2)
        mod_q2 = powmod(1 + secrets.randbelow(q - 1), q, q2)
        factors.append(int(mod_p2 + p2 * ((mod_q2 - mod_p2) * p2_inverse % q2)))
    return factors


def encrypt_precomputed(
    public_key: paillier.PaillierPublicKey, values: Sequence[float] | np.ndarray, obfuscators: Sequence[int]
) -> list[paillier.EncryptedNumber]:
    """Encrypt ``values`` with one precomputed factor each: the fast online phase.

    Each value is encoded as ``phe`` encodes it, then ``c = (1 + n * m) * factor mod n**2``:
    two multiplications, no exponentiation. The result is an ordinary ``EncryptedNumber``.
    ``len(obfuscators)`` must equal ``len(values)`` and the factors must be distinct: a
    reused factor makes ``E(a) / E(b)`` an unrandomised encryption of ``a - b``. Use each
    factor once and discard it.
    """
    public_key = _phe_public_key(public_key)
    array = _checks.non_empty("values", values)
    if isinstance(obfuscators, (str, bytes)) or not isinstance(obfuscators, (Sequence, np.ndarray)):
        raise TypeError(f"obfuscators must be a sequence of ints from precompute_obfuscators, got {type(obfuscators).__name__}")
    factors = [_big_int(f"obfuscators[{i}]", f) for i, f in enumerate(obfuscators)]
    if len(factors) != array.size:
        raise ValueError(f"obfuscators must hold one factor per value, got {len(factors)} factors for {array.size} values")
    if len(set(factors)) != len(factors):
        raise ValueError("obfuscators must be distinct: a reused random factor lets anyone compare the plaintexts")
    n, n2 = public_key.n, public_key.nsquare
    encrypted = []
    for i, (value, factor) in enumerate(zip(array, factors, strict=True)):
        if not 0 < factor < n2:
            raise ValueError(f"obfuscators[{i}] must be an int in (0, n**2), got {_checks.short_repr(factor)}")
        encoding = paillier.EncodedNumber.encode(public_key, float(value))
        ciphertext = (1 + n * encoding.encoding) % n2 * factor % n2
        encrypted.append(paillier.EncryptedNumber(public_key, ciphertext, encoding.exponent))
    return encrypted


# --------------------------------------------------------------------------------------
# 5. CKKS with TenSEAL
# --------------------------------------------------------------------------------------

#: The largest total coefficient modulus (bits) for 128-bit security, by polynomial degree
#: (HomomorphicEncryption.org security standard, 2018, Table 1, as enforced by Microsoft SEAL).
CKKS_MAX_MODULUS_BITS = {1024: 27, 2048: 54, 4096: 109, 8192: 218, 16384: 438, 32768: 881}


def ckks_context(
    poly_modulus_degree: int = 8192,
    coeff_mod_bit_sizes: Sequence[int] = (60, 30, 30, 30, 60),
    scale_bits: int = 30,
    *,
    galois_keys: bool = True,
) -> Any:
    """A TenSEAL CKKS context (holding the secret key), with the course's default parameters.

    ``poly_modulus_degree`` N: a vector holds N/2 numbers (4,096 for 8192), and the degree
    bounds how large the modulus can be at 128-bit security. ``coeff_mod_bit_sizes``: the
    modulus chain; the first and last primes (60 bits) hold the result's integer part and the
    key-switching special prime, each middle prime (30 bits) is consumed by one
    multiplication, so three middle primes allow a multiplicative depth of three (a dot
    product with plain weights, then x**2 and x**3). ``scale_bits``: values are multiplied by
    ``2**scale_bits`` before rounding (the precision); it should equal the middle primes.
    ``galois_keys`` adds the rotation keys a dot product needs (they make the context large).
    """
    import tenseal as ts

    degree = _checks.integer("poly_modulus_degree", poly_modulus_degree)
    if degree not in CKKS_MAX_MODULUS_BITS:
        raise ValueError(f"poly_modulus_degree must be one of {sorted(CKKS_MAX_MODULUS_BITS)}, got {degree}")
    if isinstance(coeff_mod_bit_sizes, (str, bytes)) or not isinstance(coeff_mod_bit_sizes, (Sequence, np.ndarray)):
        raise TypeError(f"coeff_mod_bit_sizes must be a sequence of ints, got {type(coeff_mod_bit_sizes).__name__}")
    sizes = [_checks.integer(f"coeff_mod_bit_sizes[{i}]", s, minimum=20, maximum=60) for i, s in enumerate(coeff_mod_bit_sizes)]
    if len(sizes) < 2:
        raise ValueError(f"coeff_mod_bit_sizes needs at least 2 primes, got {sizes}")
    if sum(sizes) > CKKS_MAX_MODULUS_BITS[degree]:
        raise ValueError(f"coeff_mod_bit_sizes add up to {sum(sizes)} bits, more than the {CKKS_MAX_MODULUS_BITS[degree]} "
                         f"allowed at 128-bit security for poly_modulus_degree={degree}")
    scale_bits = _checks.integer("scale_bits", scale_bits, minimum=20, maximum=60)
    galois_keys = _checks.flag("galois_keys", galois_keys)
    context = ts.context(ts.SCHEME_TYPE.CKKS, poly_modulus_degree=degree, coeff_mod_bit_sizes=sizes)
    context.global_scale = 2**scale_bits
    if galois_keys:
        context.generate_galois_keys()
    return context


def sigmoid_polynomial(degree: int = 3, bounds: tuple[float, float] = (-6.0, 6.0), n_points: int = 1001) -> np.ndarray:
    """Least-squares polynomial coefficients (lowest order first) approximating the sigmoid.

    Fitted on ``n_points`` evenly spaced points of ``bounds``; outside them the polynomial
    diverges, so the bounds must cover the scores it will see. Odd degrees keep the
    sigmoid's symmetry (``sigma(-x) = 1 - sigma(x)``). The order suits TenSEAL's ``polyval``
    (the same idea as Kim, Song, Kim, Lee, Cheon, *Logistic regression model training based
    on the approximate homomorphic encryption*, BMC Medical Genomics 2018).
    """
    degree = _checks.integer("degree", degree, minimum=1, maximum=15)
    if isinstance(bounds, (str, bytes)) or not isinstance(bounds, (Sequence, np.ndarray)) or len(bounds) != 2:
        raise TypeError(f"bounds must be a (low, high) pair of numbers, got {_checks.short_repr(bounds)}")
    low, high = _checks.bounds(bounds[0], bounds[1], ("bounds[0]", "bounds[1]"))
    n_points = _checks.integer("n_points", n_points, minimum=degree + 1, maximum=1_000_000)
    x = np.linspace(low, high, n_points)
    return np.polynomial.polynomial.polyfit(x, 1.0 / (1.0 + np.exp(-x)), degree)


# --------------------------------------------------------------------------------------
# 6. Additive secret sharing
# --------------------------------------------------------------------------------------


def _modulus(modulus: object) -> int:
    modulus = _big_int("modulus", modulus)
    if modulus < 3 or not is_prime(modulus):
        raise ValueError(f"modulus must be a prime >= 3, got {_checks.short_repr(modulus)}")
    return modulus


def share(secret: int, n_parties: int, rng: np.random.Generator | None = None, *, modulus: int = PRIME) -> list[int]:
    """Split ``secret`` (an int in ``[0, modulus)``) into ``n_parties`` additive shares.

    The first ``n_parties - 1`` shares are uniform in ``[0, modulus)`` and the last makes the
    sum equal the secret modulo ``modulus``. Any ``n_parties - 1`` shares are uniform and
    independent of the secret, so they reveal nothing about it (Evans, Kolesnikov & Rosulek,
    2018, section 3.2). ``rng=None`` draws from the operating system (``secrets``); a seeded
    generator reproduces a lesson and must not be used for real shares.
    """
    modulus = _modulus(modulus)
    secret = _big_int("secret", secret)
    if not 0 <= secret < modulus:
        raise ValueError(f"secret must be an int with 0 <= secret < modulus = {modulus}, got {secret}")
    n_parties = _checks.integer("n_parties", n_parties, maximum=10_000)
    if n_parties < 2:
        raise ValueError(f"n_parties must be >= 2 (a single share is the secret itself), got {n_parties}")
    if rng is not None:
        _checks.rng(rng)
    if rng is not None and modulus <= 2**63:
        shares = [int(v) for v in rng.integers(0, modulus, size=n_parties - 1, dtype=np.int64)]
    else:
        shares = [_random_below(modulus, rng) for _ in range(n_parties - 1)]
    shares.append((secret - sum(shares)) % modulus)
    return shares


def reconstruct(shares: Sequence[int], *, modulus: int = PRIME) -> int:
    """The secret: the sum of all the shares modulo ``modulus``.

    Shares of several secrets can be added party by party first: the reconstruction of the
    summed shares is the sum of the secrets (modulo ``modulus``), which is how parties compute
    a joint total without revealing their inputs.
    """
    modulus = _modulus(modulus)
    if isinstance(shares, (str, bytes)) or not isinstance(shares, (Sequence, np.ndarray)):
        raise TypeError(f"shares must be a sequence of ints, got {type(shares).__name__}")
    values = [_big_int(f"shares[{i}]", s) for i, s in enumerate(shares)]
    if len(values) < 2:
        raise ValueError(f"shares must hold at least 2 shares, got {len(values)}")
    for i, value in enumerate(values):
        if not 0 <= value < modulus:
            raise ValueError(f"shares[{i}] must be in [0, modulus) = [0, {modulus}), got {value}")
    return sum(values) % modulus
