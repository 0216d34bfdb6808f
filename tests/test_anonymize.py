"""Unit tests of course_lib.anonymize (lesson 03): hand-computed cases and bad input."""
import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from course_lib.anonymize import (
    REDACTION_PATTERNS,
    VIEW_POLICY,
    TokenVault,
    band,
    brute_force_ssn_hashes,
    dynamic_mask,
    entropy_l_diversity,
    equivalence_classes,
    generalize,
    generalize_zip,
    k_anonymity,
    l_diversity,
    mask,
    plain_hash,
    pseudonymize,
    redact,
    suppress,
    t_closeness,
    truncate_date,
    year_bounds,
)

KEY = b"k" * 32


# ---- mask ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kwargs, expected",
    [
        ("1234-5678-9012-3456", {}, "****-****-****-3456"),
        ("1234 5678 9012 3456", {}, "**** **** **** 3456"),
        ("123-45-6789", {}, "***-**-6789"),
        ("123-45-6789", {"keep_last": 2}, "***-**-**89"),
        ("555-123-4567", {"mask_char": "#"}, "###-###-4567"),
        ("1234", {}, "****"),  # not more than keep_last characters: mask all
        ("9876543210981234", {}, "************1234"),  # what an unformatted card shows, all 16 places
        ("98765432", {"keep_last": 0}, "********"),  # keep_last=0 reveals nothing (value[-0:] would be all)
        ("12", {"keep_last": 4}, "**"),  # shorter than keep_last: masked, not returned as is
        ("12-3", {}, "**-*"),
        ("12345", {}, "*2345"),
        ("abc", {"keep_last": 0}, "***"),
        ("", {}, ""),
        ("--", {}, "--"),
    ],
)
def test_mask_keeps_format_and_last_characters(value, kwargs, expected):
    assert mask(value, **kwargs) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_mask_missing_values_give_none(missing):
    assert mask(missing) is None


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"keep_last": -1}, ValueError, "keep_last must be >= 0, got -1"),
        ({"keep_last": 2.5}, TypeError, "keep_last must be an int"),
        ({"keep_last": True}, TypeError, "keep_last must be an int"),
        ({"mask_char": "**"}, ValueError, "single character"),
        ({"mask_char": ""}, ValueError, "single character"),
        ({"mask_char": "x"}, ValueError, "letter or digit"),
    ],
)
def test_mask_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        mask("1234-5678", **kwargs)


def test_mask_rejects_numbers_as_values():
    with pytest.raises(TypeError, match="leading zeros"):
        mask(123456789)


# ---- redact --------------------------------------------------------------------------


def test_redact_each_kind():
    text = "Call 555-123-4567 or (555) 123-4567, mail jo.doe+x@example.org, SSN 901-23-4567, card 4111 1111 1111 1111."
    assert redact(text) == "Call [PHONE] or [PHONE], mail [EMAIL], SSN [SSN], card [CARD]."


def test_redact_selected_kinds_only_and_leaves_plain_text():
    assert redact("SSN 901-23-4567 at a@b.org", kinds=["SSN"]) == "SSN [SSN] at a@b.org"
    assert redact("Discharged in stable condition.") == "Discharged in stable condition."
    assert redact(None) is None


def test_redact_card_with_dashes_is_not_split_into_phone_numbers():
    assert redact("4111-1111-1111-1111") == "[CARD]"


def test_redact_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown"):
        redact("x", kinds=["NAME"])
    with pytest.raises(TypeError, match="text must be a str"):
        redact(42)
    assert set(REDACTION_PATTERNS) == {"EMAIL", "CARD", "SSN", "PHONE"}


# ---- hashing and pseudonyms -----------------------------------------------------------


def test_plain_hash_is_sha256_and_keeps_series_index():
    s = pd.Series(["a", "b"], index=[10, 20], name="ssn")
    out = plain_hash(s)
    assert list(out.index) == [10, 20] and out.name == "ssn"
    assert out[10] == hashlib.sha256(b"a").hexdigest()
    assert plain_hash(["a"]) == [hashlib.sha256(b"a").hexdigest()]


def test_pseudonymize_is_hmac_stable_and_key_dependent():
    expected = hmac.new(KEY, b"901-23-4567", hashlib.sha256).hexdigest()
    assert pseudonymize(["901-23-4567"], KEY) == [expected]
    a = pseudonymize(["x", "x", "y"], KEY)
    assert a[0] == a[1] != a[2]
    assert pseudonymize(["x"], b"j" * 32) != pseudonymize(["x"], KEY)
    assert pseudonymize(pd.Series(["x"], index=[7]), KEY).index.tolist() == [7]


@pytest.mark.parametrize(
    "values, key, error, words",
    [
        (["x"], "a-string-key-of-enough-length", TypeError, "key must be bytes"),
        (["x"], b"short", ValueError, "16 to 1024 bytes long, got 5"),
        ("901-23-4567", KEY, TypeError, "collection of strings"),
        ([1, 2], KEY, TypeError, "only strings"),
    ],
)
def test_pseudonymize_rejects_bad_input(values, key, error, words):
    with pytest.raises(error, match=words):
        pseudonymize(values, key)


def test_brute_force_recovers_plain_hashes_but_not_hmacs():
    numbers = ["901-00-0000", "901-55-1234", "901-99-9999", "902-11-1111"]
    found = brute_force_ssn_hashes(plain_hash(numbers), areas=[901])
    assert sorted(found.values()) == numbers[:3]  # area 902 was not searched
    assert brute_force_ssn_hashes(pseudonymize(numbers, KEY), areas=[901]) == {}
    with pytest.raises(ValueError, match="areas must be ints from 0 to 999"):
        brute_force_ssn_hashes([], areas=[1000])


# ---- tokenisation ----------------------------------------------------------------------


def test_token_vault_round_trip_and_stability():
    vault = TokenVault()
    t1 = vault.tokenize("4111-1111-1111-1111")
    assert t1.startswith("tok_") and len(t1) == 4 + 24
    assert vault.tokenize("4111-1111-1111-1111") == t1
    assert vault.detokenize(t1) == "4111-1111-1111-1111"
    assert vault.tokenize("other") != t1 and len(vault) == 2
    other = TokenVault()
    assert other.tokenize("4111-1111-1111-1111") != t1  # tokens are random, not derived
    with pytest.raises(KeyError, match="not issued by this vault"):
        other.detokenize(t1)
    s = vault.tokenize_many(pd.Series(["a", "b"], index=[3, 4]))
    assert s.index.tolist() == [3, 4]


def test_token_vault_rejects_bad_arguments():
    with pytest.raises(ValueError, match="nbytes"):
        TokenVault(nbytes=4)
    with pytest.raises(TypeError, match="value must be a str"):
        TokenVault().tokenize(5)
    with pytest.raises(TypeError, match="prefix"):
        TokenVault(prefix=1)


# ---- generalisation ---------------------------------------------------------------------


def test_band_labels():
    assert band([47, 40, 49, 50], 10).tolist() == ["40-49", "40-49", "40-49", "50-59"]
    assert band([1948, 1950], 5).tolist() == ["1945-1949", "1950-1954"]
    assert band([23], 10, origin=3).tolist() == ["23-32"]
    assert band([7], 1).tolist() == ["7"]


def test_band_missing_and_bad_input():
    out = band(pd.Series([30.0, np.nan]), 10)
    assert out.iloc[0] == "30-39" and out.iloc[1] is None
    with pytest.raises(ValueError, match="width must be an int >= 1, got 0"):
        band([1], 0)
    with pytest.raises(TypeError, match="values must be numbers"):
        band(["old"], 10)


def test_generalize_zip():
    assert generalize_zip(["02110", "03304"], 3).tolist() == ["021**", "033**"]
    assert generalize_zip(["02110"], 0).tolist() == ["*****"]
    assert generalize_zip(["02110"], 5).tolist() == ["02110"]
    with pytest.raises(ValueError, match="5-digit strings"):
        generalize_zip([2110], 3)
    with pytest.raises(ValueError, match="keep must be an int from 0 to 5, got 6"):
        generalize_zip(["02110"], 6)


def test_truncate_date_and_year_bounds():
    dates = pd.Series(pd.to_datetime(["1948-11-04", "2001-01-31"]))
    assert truncate_date(dates, "month").tolist() == ["1948-11", "2001-01"]
    assert truncate_date(dates, "year").tolist() == ["1948", "2001"]
    assert truncate_date(["1948-11-04"], "day").tolist() == ["1948-11-04"]
    with pytest.raises(ValueError, match="unit must be one of"):
        truncate_date(dates, "week")
    b = year_bounds(["1948-11-04", "1948-11", "1948", "1945-1949"])
    assert b["low"].tolist() == [1948, 1948, 1948, 1945]
    assert b["high"].tolist() == [1948, 1948, 1948, 1949]
    with pytest.raises(ValueError, match="labels must look like"):
        year_bounds(["40-49"])


def test_generalize_applies_rules_to_a_copy():
    df = pd.DataFrame({"zip": ["02110", "02111"], "age": [41, 47]})
    out = generalize(df, {"zip": lambda s: generalize_zip(s, 3), "age": lambda s: band(s, 10)})
    assert out.to_dict("list") == {"zip": ["021**", "021**"], "age": ["40-49", "40-49"]}
    assert df["zip"].tolist() == ["02110", "02111"]  # original untouched
    with pytest.raises(ValueError, match="not in df"):
        generalize(df, {"sex": str})
    with pytest.raises(TypeError, match="must be callable"):
        generalize(df, {"zip": 3})


# ---- k, l, t ----------------------------------------------------------------------------

TOY = pd.DataFrame(
    {
        "zip": ["021**"] * 4 + ["033**"] * 3,
        "age": ["40-49", "40-49", "40-49", "40-49", "50-59", "50-59", "50-59"],
        "diagnosis": ["flu", "flu", "copd", "flu", "flu", "flu", "flu"],
        "stay": [1, 2, 3, 4, 1, 1, 1],
    }
)
QI = ["zip", "age"]


def test_k_l_on_a_hand_built_table():
    assert equivalence_classes(TOY, QI).tolist() == [4, 4, 4, 4, 3, 3, 3]
    assert k_anonymity(TOY, QI) == 3
    assert k_anonymity(TOY, ["zip", "age", "stay"]) == 1
    assert l_diversity(TOY, QI, "diagnosis") == 1  # the 033** class is all flu: homogeneity
    assert l_diversity(TOY.iloc[:4], QI, "diagnosis") == 2
    assert k_anonymity(TOY, "zip") == 3


def test_t_closeness_equal_distance_by_hand():
    # whole table: flu 6/7, copd 1/7. Class 021**: flu 3/4, copd 1/4 -> TV = |3/4-6/7| = 3/28
    # Class 033**: flu 1 -> TV = 1/7 = 4/28 (the larger).
    assert t_closeness(TOY, QI, "diagnosis") == pytest.approx(1 / 7)
    assert t_closeness(TOY, QI, "diagnosis", kind="equal") == pytest.approx(1 / 7)


def test_t_closeness_ordered_emd_by_hand():
    # stay values 1,2,3,4 with whole-table shares q = (4/7, 1/7, 1/7, 1/7)
    # class 033**: p = (1, 0, 0, 0): cumulative p-q = (3/7, 2/7, 1/7, 0) -> 6/7 / 3 = 2/7
    # class 021**: p = (1/4,...): cum = (-9/28, -6/28, -3/28, 0) -> 18/28 / 3 = 3/14
    assert t_closeness(TOY, QI, "stay") == pytest.approx(2 / 7)
    assert t_closeness(TOY, QI, "stay", kind="ordered") == pytest.approx(2 / 7)
    # equal distance on the same column: 033** -> 3/7, 021** -> (|1/4-4/7|+3*|1/4-1/7|)/2 = 9/28
    assert t_closeness(TOY, QI, "stay", kind="equal") == pytest.approx(3 / 7)


def test_t_closeness_single_class_and_single_value_are_zero():
    assert t_closeness(TOY.assign(zip="*", age="*"), QI, "stay") == 0.0
    assert t_closeness(TOY.assign(stay=5), QI, "stay") == 0.0


def test_suppress_drops_small_classes_and_keeps_index():
    out = suppress(TOY, QI, 4)
    assert out.index.tolist() == [0, 1, 2, 3]
    assert k_anonymity(out, QI) == 4
    assert len(suppress(TOY, QI, 1)) == 7
    assert len(suppress(TOY, QI, 5)) == 0


@pytest.mark.parametrize("k", [0, -1, 2.0, True])
def test_suppress_rejects_bad_k(k):
    with pytest.raises(ValueError, match="k must be an int >= 1"):
        suppress(TOY, QI, k)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: k_anonymity(TOY, ["zip", "city"]), ValueError, r"df has no column\(s\) \['city'\]"),
        (lambda: k_anonymity(TOY.iloc[:0], QI), ValueError, "at least one row"),
        (lambda: k_anonymity(TOY, []), ValueError, "at least one column"),
        (lambda: k_anonymity(TOY, ["zip", "zip"]), ValueError, "must not repeat"),
        (lambda: k_anonymity(TOY.to_dict(), QI), TypeError, "must be a pandas DataFrame"),
        (lambda: l_diversity(TOY, QI, "outcome"), ValueError, r"df has no column\(s\) \['outcome'\]"),
        (lambda: l_diversity(TOY, QI, "zip"), ValueError, "must not also be a quasi-identifier"),
        (lambda: l_diversity(TOY.iloc[:0], QI, "diagnosis"), ValueError, "at least one row"),
        (lambda: t_closeness(TOY, QI, "diagnosis", kind="ordered"), ValueError, "needs a numeric"),
        (lambda: t_closeness(TOY, QI, "stay", kind="emd"), ValueError, "kind must be"),
        (lambda: t_closeness(TOY.assign(stay=[1, None, 2, 3, 4, 5, 6]), QI, "stay"), ValueError, "missing values"),
        (lambda: t_closeness(TOY.iloc[:0], QI, "stay"), ValueError, "at least one row"),
    ],
)
def test_measures_reject_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_missing_quasi_identifier_values_form_their_own_class():
    df = pd.DataFrame({"zip": ["1", None, None], "s": [1, 2, 3]})
    assert equivalence_classes(df, ["zip"]).tolist() == [1, 2, 2]


# ---- entropy l-diversity -------------------------------------------------------------


def test_entropy_l_diversity_by_hand_and_never_above_distinct_l():
    # class a: nine x and one y; class b: one x and one y
    df = pd.DataFrame({"q": ["a"] * 10 + ["b"] * 2, "s": ["x"] * 9 + ["y", "x", "y"]})
    expected = np.exp(-(0.9 * np.log(0.9) + 0.1 * np.log(0.1)))  # class a has the lower entropy
    assert entropy_l_diversity(df, ["q"], "s") == pytest.approx(expected)
    assert l_diversity(df, ["q"], "s") == 2  # distinct l counts the lone "y" as full diversity
    uniform = pd.DataFrame({"q": ["a"] * 6, "s": ["x", "y", "z"] * 2})
    assert entropy_l_diversity(uniform, ["q"], "s") == pytest.approx(3.0)  # uniform: equals distinct l
    homogeneous = pd.DataFrame({"q": ["a", "a", "b", "b"], "s": ["x", "x", "x", "y"]})
    assert entropy_l_diversity(homogeneous, ["q"], "s") == pytest.approx(1.0)


def test_entropy_l_diversity_on_random_tables_is_between_one_and_distinct_l():
    g = np.random.default_rng(3)
    for _ in range(20):
        df = pd.DataFrame({"q": g.integers(0, 4, 40), "s": g.choice(["a", "b", "c", None], 40)})
        value = entropy_l_diversity(df, ["q"], "s")
        assert 1.0 - 1e-12 <= value <= l_diversity(df, ["q"], "s") + 1e-12


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"df": "table"}, TypeError, "df"),
        ({"quasi_identifiers": ["nope"]}, ValueError, "quasi_identifiers"),
        ({"sensitive": "q"}, ValueError, "quasi-identifier"),
        ({"sensitive": 3}, TypeError, "sensitive"),
    ],
)
def test_entropy_l_diversity_rejects_bad_input(kwargs, error, words):
    args = {"df": pd.DataFrame({"q": [1, 1], "s": ["x", "y"]}), "quasi_identifiers": ["q"], "sensitive": "s"} | kwargs
    with pytest.raises(error, match=words):
        entropy_l_diversity(**args)


# ---- dynamic masking -----------------------------------------------------------------

RECORD = {
    "patient_id": "P00001", "name": "Ann Lee", "email": "ann@example.org", "phone": "555-123-4567",
    "ssn": "912-34-5678", "card_number": "4386-9081-1186-6927", "clinical_note": "Call 555-123-4567.",
    "bmi": 27.5,
}


def test_dynamic_mask_shows_the_same_record_per_role():
    clinician = dynamic_mask(RECORD, "clinician")
    billing = dynamic_mask(RECORD, "billing")
    researcher = dynamic_mask(RECORD, "researcher")
    assert clinician["name"] == "Ann Lee" and clinician["ssn"] == "***-**-5678"
    assert clinician["card_number"] == "[REDACTED]" and clinician["clinical_note"] == RECORD["clinical_note"]
    assert billing["card_number"] == "****-****-****-6927" and billing["phone"] == "***-***-4567"
    assert billing["clinical_note"] == "[REDACTED]"
    assert all(researcher[c] == "[REDACTED]" for c in VIEW_POLICY["researcher"])
    assert {v["bmi"] for v in (clinician, billing, researcher)} == {27.5}  # unnamed columns pass through
    assert RECORD["ssn"] == "912-34-5678"  # the stored record is untouched


def test_dynamic_mask_takes_a_series_and_a_custom_policy_and_keeps_missing_values():
    record = pd.Series({"ssn": "912-34-5678", "name": None})
    policy = {"auditor": {"ssn": "show", "name": "mask"}, "guest": {"ssn": "mask", "name": "redact"}}
    assert dynamic_mask(record, "auditor", policy) == {"ssn": "912-34-5678", "name": None}
    assert dynamic_mask(record, "guest", policy) == {"ssn": "***-**-5678", "name": None}


@pytest.mark.parametrize(
    "args, error, words",
    [
        ((RECORD, "nurse"), ValueError, "role must be one of"),
        ((RECORD, ""), ValueError, "role"),
        ((RECORD, None), TypeError, "role"),
        ((RECORD, ["clinician"]), TypeError, "role"),
        (([1, 2], "clinician"), TypeError, "record"),
        ((pd.DataFrame([RECORD]), "clinician"), TypeError, "record"),
        (({"ssn": 912345678}, "billing"), TypeError, "record\\['ssn'\\]"),
        ((RECORD, "a", {}), ValueError, "policy"),
        ((RECORD, "a", {"a": "show"}), TypeError, "policy"),
        ((RECORD, "a", {"a": {"ssn": "hide"}}), ValueError, "policy"),
        ((RECORD, "a", {"a": {"ssn": "show"}, "b": {"name": "mask"}}), ValueError, "same columns"),
        ((RECORD, "a", [("a", {})]), TypeError, "policy"),
    ],
)
def test_dynamic_mask_rejects_bad_input(args, error, words):
    with pytest.raises(error, match=words):
        dynamic_mask(*args)
