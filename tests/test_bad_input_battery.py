"""Issue 18, class 6: every public function of course_lib, every argument, a battery of bad
inputs. Each must be refused with a ValueError or TypeError whose message names the argument
(FileNotFoundError and PermissionError are accepted where they are the documented answer and
also name it). No AttributeError, KeyError, IndexError, OverflowError, sqlite3 error or
library-internal message may escape, nothing may be written outside tmp_path, and no call may
run longer than HANG_SECONDS (an unbounded count such as epochs=10**30 fails as a Hang).
Covers lessons 00-10: course_lib, basics, models, crypto, anonymize, dp, data, plotting,
federated, he, fairness, explain, attacks and report.

A hypothesis property then throws arbitrary values at the same arguments: whatever it draws,
the function either works or raises one of those errors naming the argument.
"""
from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from cryptography.exceptions import InvalidSignature, InvalidTag  # noqa: E402
from cryptography.fernet import Fernet, InvalidToken  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from phe import paillier as phe_paillier  # noqa: E402

import course_lib  # noqa: E402
from course_lib import (  # noqa: E402
    anonymize,
    attacks,
    basics,
    crypto,
    data,
    dp,
    explain,
    fairness,
    federated,
    he,
    models,
    plotting,
    report,
)

ALLOWED = (ValueError, TypeError, FileNotFoundError, PermissionError)
FORBIDDEN = (AttributeError, KeyError, IndexError, OverflowError, ZeroDivisionError, RecursionError, MemoryError)


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


#: The hand-written battery: one value of every kind a caller gets wrong.
BATTERY: dict[str, object] = {
    "None": None,
    "True": True,
    "zero": 0,
    "minus one": -1,
    "NaN": math.nan,
    "infinity": math.inf,
    "huge int": 10**30,
    "smallest float": 5e-324,
    "complex": 1j,
    "empty string": "",
    "blank string": "   ",
    "word": "zz_not_valid",
    "bytes": b"\xff\x00",
    "empty list": [],
    "list of None": [None],
    "nested list": [[1, 2]],
    "empty dict": {},
    "opaque object": _Opaque(),
    "empty DataFrame": pd.DataFrame(),
    "function": lambda *args, **kwargs: None,
    "numpy NaN array": np.array([np.nan]),
    "date": pd.Timestamp("2020-01-01"),
}


@dataclass
class Spec:
    """A public callable, valid keyword arguments, and which battery values are valid per argument."""

    name: str
    call: Callable[..., object]
    kwargs: Callable[[], dict[str, object]]
    valid: dict[str, set[str]] = field(default_factory=dict)  # argument -> battery keys that are valid
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # argument -> other names its message may use
    documented: tuple[type[BaseException], ...] = ()  # errors a valid but wrong value gets (a wrong password)


def _patients(n: int = 60) -> pd.DataFrame:
    g = np.random.default_rng(0)
    return pd.DataFrame({
        "patient_id": [f"P{i:05d}" for i in range(n)],
        "name": [f"N{i}" for i in range(n)],
        "ssn": [f"900-00-{i:04d}" for i in range(n)],
        "hospital": g.choice(["A", "B"], n),
        "diagnosis": g.choice(["COPD", "diabetes", "heart failure", "other"], n),
        "sex": g.choice(["F", "M"], n),
        "zip": g.choice(["02110", "02111"], n),
        "age": g.integers(20, 90, n),
        "bmi": g.normal(27, 4, n),
        "systolic_bp": g.integers(100, 160, n),
        "hba1c": g.normal(6, 1, n),
        "smoker": g.integers(0, 2, n),
        "prior_admissions": g.integers(0, 4, n),
        "length_of_stay": g.integers(1, 10, n),
        "research_consent": g.integers(0, 2, n),
        "admission_date": pd.Timestamp("2020-01-01") + pd.to_timedelta(g.integers(0, 2000, n), unit="D"),
        "readmitted_30d": np.tile([0, 1], n // 2),
    })


def _public() -> pd.DataFrame:
    return _patients()[["name", "sex", "zip", "age"]].rename(columns={"name": "who"})


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


def _laplace_count(data, rng):
    return float(data) + rng.laplace(0, 1)


PRIVATE = X25519PrivateKey.generate()
FERNET_KEY = Fernet.generate_key()
STORED = crypto.hash_password("pw")
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQMSJ9.sig"
X = np.random.default_rng(0).normal(size=(30, 2)) / 4
Y = (X[:, 0] > 0).astype(int)


def _specs(tmp) -> list[Spec]:
    src = tmp / "plain.txt"
    src.write_bytes(b"secret")
    encrypted = crypto.encrypt_file(src, tmp / "sealed.bin", FERNET_KEY)
    req = tmp / "requirements.txt"
    req.write_text("numpy==0.0\n")
    pki_dir = tmp / "pki"
    pki_dir.mkdir(exist_ok=True)
    pki = crypto.create_test_pki(pki_dir)
    chmod_target = tmp / "chmod.txt"
    chmod_target.write_text("x")
    blob = crypto.password_encrypt(b"x", "pw")
    sealed = crypto.hybrid_encrypt(b"x", PRIVATE.public_key())
    vault = anonymize.TokenVault()
    issued = vault.tokenize("v")
    purpose = basics.Purpose("p", ("age",), consent_column="research_consent")
    none_ok = {"None"}
    return [
        # ----------------------------------------------------------------- course_lib
        Spec("setup", course_lib.setup, lambda: {"seed": 0, "style": False, "show_versions": False},
             valid={"seed": {"zero"}, "style": {"True"}, "show_versions": {"True"}}),
        Spec("progress", course_lib.progress, lambda: {"iterable": [1], "desc": "d", "total": 1},
             valid={"iterable": {"empty string", "blank string", "word", "bytes", "empty list", "list of None",
                                 "nested list", "empty dict", "empty DataFrame", "numpy NaN array"},
                    "desc": none_ok | {"empty string", "blank string", "word"}, "total": none_ok | {"zero", "huge int"}}),
        Spec("versions", course_lib.versions, lambda: {"libraries": ["numpy"]},
             valid={"libraries": {"empty list", "empty dict", "word"} - {"word"}}),
        Spec("check_environment", course_lib.check_environment, lambda: {"requirements": req},
             valid={"requirements": none_ok}),
        # ----------------------------------------------------------------- basics (lesson 01)
        Spec("basics.uniqueness", basics.uniqueness, lambda: {"df": _patients(), "columns": ["sex", "zip"]}),
        Spec("basics.linkage_attack", basics.linkage_attack,
             lambda: {"released": _patients(), "public": _public(), "on": ["sex", "zip", "age"]}),
        Spec("basics.profile_columns", basics.profile_columns, lambda: {"df": _patients(), "roles": {"age": "quasi"}},
             valid={"roles": none_ok | {"empty dict"}}),
        Spec("basics.uniqueness_by_columns", basics.uniqueness_by_columns,
             lambda: {"df": _patients(), "column_sets": {"a": ["sex"]}}, aliases={"column_sets": ("column_sets",)}),
        Spec("basics.reidentification_by_columns", basics.reidentification_by_columns,
             lambda: {"released": _patients(), "public": _public(), "column_sets": {"a": ["sex", "zip"]}}),
        Spec("basics.Purpose", basics.Purpose, lambda: {"name": "p", "columns": ("age",), "consent_column": "c"},
             valid={"name": {"word"}, "consent_column": none_ok | {"word"}}),
        Spec("basics.select_for_purpose", basics.select_for_purpose,
             lambda: {"df": _patients(), "purpose": purpose, "columns": ["age"]}, valid={"columns": none_ok}),
        Spec("basics.apply_retention", basics.apply_retention,
             lambda: {"df": _patients(), "date_column": "admission_date", "max_age_years": 3, "reference_date": "2025-12-31"},
             valid={"max_age_years": {"zero"}, "reference_date": set()}),
        Spec("basics.file_mode", basics.file_mode, lambda: {"path": chmod_target}),
        Spec("basics.restrict_permissions", basics.restrict_permissions, lambda: {"path": chmod_target, "mode": 0o600},
             valid={"mode": {"zero"}}),
        # ----------------------------------------------------------------- models
        Spec("models.readmission_model", models.readmission_model,
             lambda: {"categorical": ["sex"], "numeric": ["age"], "random_state": 0},
             valid={"categorical": none_ok | {"empty list"}, "numeric": none_ok | {"empty list"}, "random_state": {"zero"}}),
        Spec("models.clinical_matrix", models.clinical_matrix, lambda: {"df": _patients(), "target": "readmitted_30d"},
             valid={"target": none_ok}),
        Spec("models.holdout_split", models.holdout_split,
             lambda: {"df": _patients(), "test_size": 0.25, "random_state": 0, "stratify": ["readmitted_30d"]},
             valid={"random_state": {"zero"}, "stratify": none_ok | {"empty list"}, "test_size": set()}),
        Spec("models.compare_feature_sets", models.compare_feature_sets,
             lambda: {"df": _patients(), "target": "readmitted_30d", "feature_sets": {"a": ["age"]},
                      "n_splits": 2, "n_repeats": 1, "random_state": 0},
             valid={"random_state": {"zero"}}, aliases={"feature_sets": ("feature_sets",)}),
        Spec("models.paired_difference_interval", models.paired_difference_interval,
             lambda: {"a": [0.8, 0.7, 0.9], "b": [0.7, 0.7, 0.8], "test_fraction": 0.2, "confidence": 0.95},
             valid={"test_fraction": {"smallest float"}, "confidence": {"smallest float"}},
             aliases={"a": ("a and b",), "b": ("a and b",)}),
        Spec("models.accuracy_interval", models.accuracy_interval,
             lambda: {"y_true": [0, 1, 1], "y_pred": [0, 1, 0], "confidence": 0.95}, valid={"confidence": {"smallest float"}},
             aliases={"y_true": ("y_true and y_pred",), "y_pred": ("y_true and y_pred",)}),
        # ----------------------------------------------------------------- crypto (lesson 02)
        Spec("crypto.derive_fernet_key", crypto.derive_fernet_key,
             lambda: {"password": "pw", "salt": b"s" * 16, "n": 16, "r": 8, "p": 1},
             valid={"password": {"word", "blank string", "bytes"}}),
        Spec("crypto.derive_argon2id_key", crypto.derive_argon2id_key,
             lambda: {"password": "pw", "salt": b"s" * 16, "memory_kib": 19456, "iterations": 2, "lanes": 1},
             valid={"password": {"word", "blank string", "bytes"}}),
        Spec("crypto.password_encrypt", crypto.password_encrypt, lambda: {"data": b"x", "password": "pw"},
             valid={"data": {"bytes"}, "password": {"word", "blank string", "bytes"}}),
        Spec("crypto.password_decrypt", crypto.password_decrypt, lambda: {"blob": blob, "password": "pw"},
             valid={"password": {"word", "blank string", "bytes"}}, documented=(InvalidToken,)),
        Spec("crypto.hash_password", crypto.hash_password, lambda: {"password": "pw", "scheme": "argon2id"},
             valid={"password": {"word", "blank string", "bytes"}}),
        Spec("crypto.verify_password", crypto.verify_password, lambda: {"password": "pw", "stored": STORED},
             valid={"password": {"word", "blank string", "bytes", "empty string"}}),
        Spec("crypto.encrypt_file", crypto.encrypt_file,
             lambda: {"source": src, "target": tmp / "out.bin", "key": FERNET_KEY},
             valid={"target": {"word"}}),
        Spec("crypto.decrypt_file", crypto.decrypt_file,
             lambda: {"source": encrypted, "target": tmp / "back.txt", "key": FERNET_KEY},
             valid={"target": {"word"}}),
        Spec("crypto.hybrid_encrypt", crypto.hybrid_encrypt,
             lambda: {"data": b"x", "recipient": PRIVATE.public_key(), "associated_data": b""},
             valid={"data": {"bytes"}, "associated_data": {"bytes"}}),
        Spec("crypto.hybrid_decrypt", crypto.hybrid_decrypt,
             lambda: {"blob": sealed, "private_key": PRIVATE, "associated_data": b""}, valid={"associated_data": {"bytes"}}, documented=(InvalidTag,)),
        Spec("crypto.create_test_pki", crypto.create_test_pki,
             lambda: {"directory": pki_dir, "hostname": "localhost", "ca_name": "CA", "days": 1},
             valid={"hostname": {"word"}, "ca_name": {"word"}}),
        Spec("crypto.TLSServer", crypto.TLSServer,
             lambda: {"certfile": pki.server_cert, "keyfile": pki.server_key, "host": "127.0.0.1", "reply": None,
                      "io_timeout": 1.0},
             valid={"reply": none_ok | {"function"}, "io_timeout": {"smallest float"}}),
        Spec("crypto.tamper_jwt_claims", lambda token, role: crypto.tamper_jwt_claims(token, role=role),
             lambda: {"token": TOKEN, "role": "admin"},
             valid={"role": {"None", "True", "zero", "minus one", "huge int", "smallest float", "empty string",
                             "blank string", "word", "empty list", "list of None", "nested list", "empty dict"}},
             aliases={"role": ("changes",)}),
        Spec("crypto.patients_database", crypto.patients_database,
             lambda: {"patients": _patients(), "path": ":memory:", "columns": ("patient_id", "name")},
             valid={"path": {"word"}}),
        # ----------------------------------------------------------------- anonymize (lesson 03)
        Spec("anonymize.mask", anonymize.mask, lambda: {"value": "1234-5678", "keep_last": 4, "mask_char": "*"},
             valid={"value": none_ok | {"NaN", "empty string", "blank string", "word"}, "keep_last": {"zero", "huge int"}}),
        Spec("anonymize.dynamic_mask", anonymize.dynamic_mask,
             lambda: {"record": {"ssn": "912-34-5678", "bmi": 27.5}, "role": "billing", "policy": None},
             valid={"record": {"empty dict"}, "policy": none_ok}),
        Spec("anonymize.redact", anonymize.redact, lambda: {"text": "a@b.cd", "kinds": ["EMAIL"]},
             valid={"text": none_ok | {"NaN", "empty string", "blank string", "word"}, "kinds": none_ok | {"empty list", "empty dict"}}),
        Spec("anonymize.plain_hash", anonymize.plain_hash, lambda: {"values": ["a"]},
             valid={"values": {"empty list", "empty dict", "empty DataFrame"} - {"empty DataFrame"}}),
        Spec("anonymize.pseudonymize", anonymize.pseudonymize, lambda: {"values": ["a"], "key": b"k" * 16},
             valid={"values": {"empty list", "empty dict"}}),
        Spec("anonymize.brute_force_ssn_hashes", anonymize.brute_force_ssn_hashes,
             lambda: {"digests": ["0" * 64], "areas": []},
             valid={"digests": {"empty list", "empty dict"}, "areas": {"empty list", "empty dict"}}),
        Spec("anonymize.TokenVault", anonymize.TokenVault, lambda: {"prefix": "tok_", "nbytes": 12},
             valid={"prefix": {"empty string", "blank string", "word"}}),
        Spec("anonymize.TokenVault.tokenize", vault.tokenize, lambda: {"value": "v"},
             valid={"value": {"empty string", "blank string", "word"}}),
        Spec("anonymize.TokenVault.detokenize", vault.detokenize, lambda: {"token": issued}),
        Spec("anonymize.TokenVault.tokenize_many", vault.tokenize_many, lambda: {"values": ["v"]},
             valid={"values": {"empty list", "empty dict"}}),
        Spec("anonymize.band", anonymize.band, lambda: {"values": [47], "width": 10, "origin": 0},
             valid={"values": {"empty list", "empty dict", "list of None", "numpy NaN array"},
                    "origin": {"zero", "minus one", "huge int"}}),
        Spec("anonymize.generalize_zip", anonymize.generalize_zip, lambda: {"zips": ["02110"], "keep": 3},
             valid={"zips": {"empty list", "empty dict", "list of None", "numpy NaN array"}, "keep": {"zero"}}),
        Spec("anonymize.truncate_date", anonymize.truncate_date, lambda: {"dates": ["1948-11-04"], "unit": "year"},
             valid={"dates": {"empty list", "empty dict", "list of None"}}),
        Spec("anonymize.year_bounds", anonymize.year_bounds, lambda: {"labels": ["1948"]},
             valid={"labels": {"empty list", "empty dict"}}),
        Spec("anonymize.generalize", anonymize.generalize,
             lambda: {"df": _patients(), "rules": {"zip": lambda s: anonymize.generalize_zip(s, 3)}},
             valid={"rules": {"empty dict"}}),
        Spec("anonymize.equivalence_classes", anonymize.equivalence_classes,
             lambda: {"df": _patients(), "quasi_identifiers": ["sex", "zip"]}),
        Spec("anonymize.suppress", anonymize.suppress, lambda: {"df": _patients(), "quasi_identifiers": ["sex"], "k": 2},
             valid={"k": {"huge int"}}),
        Spec("anonymize.k_anonymity", anonymize.k_anonymity, lambda: {"df": _patients(), "quasi_identifiers": ["sex"]}),
        Spec("anonymize.l_diversity", anonymize.l_diversity,
             lambda: {"df": _patients(), "quasi_identifiers": ["sex"], "sensitive": "diagnosis"}),
        Spec("anonymize.entropy_l_diversity", anonymize.entropy_l_diversity,
             lambda: {"df": _patients(), "quasi_identifiers": ["sex"], "sensitive": "diagnosis"}),
        Spec("anonymize.t_closeness", anonymize.t_closeness,
             lambda: {"df": _patients(), "quasi_identifiers": ["sex"], "sensitive": "diagnosis", "kind": "auto"}),
        # ----------------------------------------------------------------- dp (lesson 04)
        Spec("dp.laplace_mechanism", dp.laplace_mechanism, lambda: {"value": 1.0, "sensitivity": 1.0, "epsilon": 1.0, "rng": _rng()},
             valid={"value": {"zero", "minus one", "empty list", "nested list", "huge int", "smallest float", "empty DataFrame"},
                    "sensitivity": {"zero", "huge int", "smallest float"}, "epsilon": {"huge int"}, "rng": none_ok}),
        Spec("dp.clip", dp.clip, lambda: {"values": [1.0, 5.0], "lower": 0, "upper": 2},
             valid={"values": {"zero", "minus one", "empty list", "nested list", "huge int", "smallest float", "empty DataFrame"},
                    "lower": {"zero", "minus one", "smallest float"}, "upper": {"huge int", "smallest float"}}),
        Spec("dp.bounded_sum", dp.bounded_sum, lambda: {"values": [1.0], "lower": 0, "upper": 2, "epsilon": 1.0, "rng": _rng()},
             valid={"lower": {"zero", "minus one", "smallest float"}, "upper": {"huge int", "smallest float"}, "epsilon": {"huge int"},
                    "rng": none_ok}),
        Spec("dp.bounded_mean", dp.bounded_mean, lambda: {"values": [1.0], "lower": 0, "upper": 2, "epsilon": 1.0, "rng": _rng()},
             valid={"lower": {"zero", "minus one", "smallest float"}, "upper": {"huge int", "smallest float"}, "epsilon": {"huge int"},
                    "rng": none_ok}),
        Spec("dp.data_dependent_sensitivity", dp.data_dependent_sensitivity, lambda: {"values": [1.0, 2.0]},
             valid={"values": {"nested list"}}),
        Spec("dp.mean_with_data_dependent_sensitivity", dp.mean_with_data_dependent_sensitivity,
             lambda: {"values": [1.0, 2.0], "epsilon": 1.0, "rng": _rng()},
             valid={"values": {"nested list"}, "epsilon": {"huge int"}, "rng": none_ok}),
        Spec("dp.randomized_response", dp.randomized_response, lambda: {"answers": [0, 1], "epsilon": 1.0, "rng": _rng()},
             valid={"answers": {"empty list"}, "epsilon": {"huge int", "smallest float"}, "rng": none_ok}),
        Spec("dp.randomized_response_estimate", dp.randomized_response_estimate, lambda: {"responses": [0, 1], "epsilon": 1.0},
             valid={"responses": {"nested list"} - {"nested list"}, "epsilon": {"huge int"}}),
        Spec("dp.gaussian_sigma", dp.gaussian_sigma, lambda: {"sensitivity": 1.0, "epsilon": 0.5, "delta": 1e-5},
             valid={"sensitivity": {"zero", "huge int", "smallest float"}}),
        Spec("dp.gaussian_mechanism", dp.gaussian_mechanism,
             lambda: {"value": 1.0, "sensitivity": 1.0, "epsilon": 0.5, "delta": 1e-5, "rng": _rng()},
             valid={"value": {"zero", "minus one", "empty list", "nested list", "smallest float", "huge int", "empty DataFrame"},
                    "sensitivity": {"zero", "smallest float", "huge int"}, "rng": none_ok}),
        Spec("dp.estimate_epsilon", dp.estimate_epsilon,
             lambda: {"mechanism": _laplace_count, "dataset": 0, "neighbour": 1, "n_samples": 200, "rng": _rng(),
                      "confidence": 0.95, "n_thresholds": 8},
             valid={"dataset": {"zero", "minus one", "True", "huge int", "smallest float"},
                    "neighbour": {"zero", "minus one", "True", "huge int", "smallest float"}, "rng": none_ok,
                    "confidence": {"smallest float"}},
             aliases={"dataset": ("mechanism",), "neighbour": ("mechanism",)}),
        Spec("dp.private_logistic_accuracy", dp.private_logistic_accuracy,
             lambda: {"X_train": X, "y_train": Y, "X_test": X, "y_test": Y, "epsilons": [1.0], "seeds": [0], "data_norm": 1.0},
             valid={"data_norm": {"huge int", "smallest float"}},
             aliases={"y_train": ("X_train and y_train",), "y_test": ("X_test and y_test",), "X_test": ("X_train and X_test",
                      "X_test and y_test")}),
        # ----------------------------------------------------------------- data
        Spec("data.load_credit", data.load_credit, lambda: {"data_dir": None, "verify": True},
             valid={"data_dir": none_ok, "verify": {"True"}}),
        Spec("data.column_roles", data.column_roles, lambda: {"name": "credit"}),
        # ----------------------------------------------------------------- plotting
        Spec("plotting.get_ax", plotting.get_ax, lambda: {"ax": None}, valid={"ax": none_ok}),
        Spec("plotting.bar", plotting.bar, lambda: {"labels": ["a"], "values": [1.0], "fmt": "{:.2f}", "title": "", "ylabel": ""},
             valid={"labels": {"list of None", "nested list", "numpy NaN array"}, "fmt": {"empty string", "blank string", "word"},
                    "title": {"empty string", "blank string", "word"}, "ylabel": {"empty string", "blank string", "word"}},
             aliases={"labels": ("labels and values",), "values": ("labels and values",)}),
        Spec("plotting.line_with_band", plotting.line_with_band,
             lambda: {"x": [1.0, 2.0], "mean": [0.5, 0.6], "spread": [0.1, 0.1], "baseline": 0.5, "logx": False},
             valid={"spread": none_ok, "baseline": none_ok | {"zero", "minus one", "huge int", "smallest float"},
                    "logx": {"zero", "True"} - {"zero"}},
             aliases={"x": ("x and mean",), "mean": ("x and mean",)}),
        *_specs_05_10(tmp),
    ]


# ------------------------------------------------------------------------- lessons 05-10 fixtures
# Built once (lru_cache): the kwargs lambdas run for every case, so they only copy small arrays.
XF = np.random.default_rng(1).normal(size=(24, 2))
YF = np.tile([0, 1], 12)
GROUPS = np.array(["a", "b"] * 12, dtype=object)
UPDATES = [np.array([1.0, 0.0, 2.0]), np.array([0.0, 1.0, 1.0]), np.array([2.0, 2.0, 0.0])]


def _clients() -> list[tuple[np.ndarray, np.ndarray]]:
    return [(XF[:12].copy(), YF[:12].copy()), (XF[12:].copy(), YF[12:].copy())]


@lru_cache(maxsize=1)
def _teaching_keys():
    return he.keygen(64, rng=np.random.default_rng(0))


@lru_cache(maxsize=1)
def _phe_keys():
    return phe_paillier.generate_paillier_keypair(n_length=256)


@lru_cache(maxsize=1)
def _phe_features():
    public, _ = _phe_keys()
    return [public.encrypt(0.5), public.encrypt(-1.0)]


@lru_cache(maxsize=1)
def _obfuscators():
    return he.precompute_obfuscators(_phe_keys()[0], 2)


@lru_cache(maxsize=1)
def _credit() -> pd.DataFrame:
    return data.load_credit().head(60).reset_index(drop=True)


@lru_cache(maxsize=1)
def _credit_xy():
    df = _credit()
    X, _ = fairness.credit_matrix(df)
    return X, df["repaid"].to_numpy(), df["sex"].to_numpy(dtype=object)


@lru_cache(maxsize=1)
def _group_errors() -> pd.DataFrame:
    X, y, sex = _credit_xy()
    return fairness.private_group_errors(X[:40], y[:40], X[40:], y[40:], sex[40:], [1.0, math.inf], [0], 3.0)


@lru_cache(maxsize=1)
def _sweep() -> pd.DataFrame:
    return fairness.constraint_sweep(lambda level: _PRED, [0.0, 0.1], {"a": YF}, GROUPS)


_PRED = np.array([0, 1, 1, 0] * 6)


@lru_cache(maxsize=1)
def _model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit(XF, YF)


@lru_cache(maxsize=1)
def _explanation():
    import shap

    return shap.Explanation(values=np.array([[0.1, -0.2], [0.3, 0.0]]), base_values=np.array([0.5, 0.5]))


@lru_cache(maxsize=1)
def _ed25519():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def _frame_x() -> pd.DataFrame:
    return pd.DataFrame(XF, columns=["a", "b"])


@lru_cache(maxsize=1)
def _card():
    return report.report_card(**_card_kwargs())


def _card_kwargs() -> dict[str, object]:
    return {"epsilon": 1.0, "delta": 1e-5, "rounds": 2, "y_true": YF, "y_pred": _PRED, "y_pred_baseline": YF,
            "mia_auc": 0.52, "fairness_gaps": {"sex": 0.05}, "top_features": {"age": 0.3, "bmi": -0.1},
            "targets": report.Targets(), "retrainings": 1, "fairness_metric": "equalized_odds_difference",
            "n_top": 2, "confidence": 0.95, "title": "Card", "unit": "patient"}


def _specs_05_10(tmp) -> list[Spec]:
    none_ok = {"None"}
    extreme = {"huge int", "smallest float"}  # valid, if unusual, sizes of a positive number
    per_update = ("per update",)  # one update against three sizes: the count mismatch is reported on sizes
    public, private = _teaching_keys()
    c1, c2 = he.encrypt(public, 3, rng=_rng()), he.encrypt(public, 4, rng=_rng())
    phe_public, phe_private = _phe_keys()
    saved_model = tmp / "model.npz"
    attacks.save_linear_model(_model(), saved_model)
    signed = tmp / "signed.bin"
    signed.write_bytes(b"payload")
    signature = attacks.sign_file(signed, _ed25519())
    card_dir = tmp / "cards"
    card_dir.mkdir(exist_ok=True)
    api = attacks.prediction_api(_model())
    X, y, sex = _credit_xy()
    return [
        # ----------------------------------------------------------------- federated (lesson 05)
        Spec("federated.partition", federated.partition,
             lambda: {"X": XF, "y": YF, "groups": GROUPS, "iid": True, "n_clients": 2, "rng": _rng()},
             valid={"iid": {"True"}, "n_clients": none_ok, "rng": none_ok}),
        Spec("federated.predict_proba", federated.predict_proba, lambda: {"params": np.zeros(3), "X": XF},
             valid={"X": {"nested list"}}),
        Spec("federated.accuracy", federated.accuracy, lambda: {"params": np.zeros(3), "X": XF, "y": YF}),
        Spec("federated.log_loss", federated.log_loss, lambda: {"params": np.zeros(3), "X": XF, "y": YF}),
        Spec("federated.logistic_gradient", federated.logistic_gradient, lambda: {"params": np.zeros(3), "X": XF, "y": YF}),
        Spec("federated.local_train", federated.local_train,
             lambda: {"params": np.zeros(3), "X": XF, "y": YF, "epochs": 2, "learning_rate": 0.5},
             valid={"learning_rate": extreme}),
        Spec("federated.weighted_average", federated.weighted_average, lambda: {"updates": UPDATES, "sizes": [1.0, 2.0, 3.0]},
             aliases={"updates": per_update}),
        Spec("federated.unweighted_average", federated.unweighted_average,
             lambda: {"updates": UPDATES, "sizes": [1.0, 2.0, 3.0]}, valid={"sizes": none_ok},
             aliases={"updates": per_update}),
        Spec("federated.fedavg", federated.fedavg,
             lambda: {"clients": _clients(), "test": (XF, YF), "rounds": 2, "local_epochs": 1, "learning_rate": 0.5,
                      "aggregate": federated.weighted_average, "initial": None, "attack": None,
                      "secure_aggregation": False, "rng": None, "show_progress": False},
             valid={"initial": none_ok, "attack": none_ok | {"empty dict"}, "secure_aggregation": {"True"},
                    "rng": none_ok, "show_progress": {"True"}, "learning_rate": extreme}),
        Spec("federated.reconstruct_record", federated.reconstruct_record,
             lambda: {"vector": [0.5, -0.2, 0.3], "kind": "gradient"}),
        Spec("federated.mask_updates", federated.mask_updates, lambda: {"updates": UPDATES, "rng": _rng(), "mask_scale": 10.0},
             valid={"rng": none_ok, "mask_scale": extreme}),
        Spec("federated.clip_update", federated.clip_update, lambda: {"update": [3.0, 4.0], "max_norm": 1.0},
             valid={"update": {"nested list"}, "max_norm": extreme}),
        Spec("federated.dp_aggregate", federated.dp_aggregate,
             lambda: {"updates": UPDATES, "sizes": None, "clip_norm": 1.0, "noise_multiplier": 0.5, "rng": _rng()},
             valid={"updates": {"nested list"}, "sizes": none_ok, "noise_multiplier": {"zero"} | extreme, "rng": none_ok,
                    "clip_norm": extreme}),
        Spec("federated.dp_epsilon", federated.dp_epsilon,
             lambda: {"noise_multiplier": 1.0, "rounds": 2, "delta": 1e-5, "neighbouring": "add/remove client"},
             valid={"noise_multiplier": {"huge int"}, "delta": {"smallest float"}}),
        Spec("federated.coordinate_median", federated.coordinate_median,
             lambda: {"updates": UPDATES, "sizes": [1.0, 2.0, 3.0]}, valid={"sizes": none_ok},
             aliases={"updates": per_update}),
        Spec("federated.trimmed_mean", federated.trimmed_mean,
             lambda: {"updates": UPDATES, "sizes": [1.0, 2.0, 3.0], "trim": 1}, valid={"sizes": none_ok, "trim": {"zero"}}, aliases={"updates": per_update}),
        # ----------------------------------------------------------------- he (lesson 06)
        Spec("he.TeachingPublicKey", he.TeachingPublicKey, lambda: {"n": public.n}),
        Spec("he.TeachingPrivateKey", he.TeachingPrivateKey,
             lambda: {"public_key": public, "p": private.p, "q": private.q, "lam": private.lam, "mu": private.mu}),
        Spec("he.keygen", he.keygen, lambda: {"bits": 64, "rng": _rng()}, valid={"rng": none_ok}),
        Spec("he.encrypt", he.encrypt, lambda: {"public_key": public, "m": 5, "rng": _rng()}, valid={"m": {"zero"}, "rng": none_ok}),
        # 10**30 is below n**2 (about 2**128) and coprime to n: a valid ciphertext of this key
        Spec("he.decrypt", he.decrypt, lambda: {"private_key": private, "c": c1}, valid={"c": {"huge int"}}),
        Spec("he.add", he.add, lambda: {"public_key": public, "c1": c1, "c2": c2},
             valid={"c1": {"huge int"}, "c2": {"huge int"}}),
        Spec("he.mul_const", he.mul_const, lambda: {"public_key": public, "c": c1, "k": 3},
             valid={"c": {"huge int"}, "k": {"zero", "minus one", "huge int"}}),
        Spec("he.encode", he.encode, lambda: {"public_key": public, "value": 1.5, "scale_bits": 16},
             valid={"value": {"zero", "minus one", "smallest float"}, "scale_bits": {"zero"}}),
        Spec("he.decode", he.decode, lambda: {"public_key": public, "m": 98304, "scale_bits": 16},
             valid={"m": {"zero"}, "scale_bits": {"zero"}}),
        Spec("he.encrypted_linear_score", he.encrypted_linear_score,
             lambda: {"public_key": phe_public, "weights": [0.5, -1.0], "bias": 0.1, "encrypted_features": _phe_features()},
             valid={"bias": {"zero", "minus one"} | extreme},
             aliases={"weights": ("weights and encrypted_features",)}),
        Spec("he.precompute_obfuscators", he.precompute_obfuscators,
             lambda: {"public_key": phe_public, "count": 2, "private_key": phe_private}, valid={"private_key": none_ok}),
        Spec("he.encrypt_precomputed", he.encrypt_precomputed,
             lambda: {"public_key": phe_public, "values": [1.0, 2.0], "obfuscators": _obfuscators()}),
        Spec("he.ckks_context", he.ckks_context,
             lambda: {"poly_modulus_degree": 4096, "coeff_mod_bit_sizes": (40, 20, 40), "scale_bits": 20, "galois_keys": False},
             valid={"galois_keys": {"True"}}),
        Spec("he.sigmoid_polynomial", he.sigmoid_polynomial, lambda: {"degree": 3, "bounds": (-6.0, 6.0), "n_points": 50}),
        Spec("he.share", he.share, lambda: {"secret": 5, "n_parties": 3, "rng": _rng(), "modulus": he.PRIME},
             valid={"secret": {"zero"}, "rng": none_ok}),
        Spec("he.reconstruct", he.reconstruct, lambda: {"shares": [1, 2, 3], "modulus": he.PRIME}),
        # ----------------------------------------------------------------- fairness (lesson 07)
        Spec("fairness.compare_with_truth", fairness.compare_with_truth,
             lambda: {"y_pred": _PRED, "truths": {"a": YF}, "sensitive": GROUPS}),
        Spec("fairness.disparity_summary", fairness.disparity_summary,
             lambda: {"y_pred": _PRED, "truths": {"a": YF}, "sensitive": GROUPS}),
        Spec("fairness.constraint_sweep", fairness.constraint_sweep,
             lambda: {"fit_predict": lambda level: _PRED, "levels": [0.0, 0.1], "truths": {"a": YF}, "sensitive": GROUPS}),
        Spec("fairness.plot_tradeoff", fairness.plot_tradeoff,
             lambda: {"sweep": _sweep(), "accuracy_columns": ["accuracy_a"], "disparity_column": "dp_difference",
                      "points": None, "ax": None},
             valid={"points": none_ok | {"empty dict"}, "ax": none_ok}),
        Spec("fairness.flips", fairness.flips, lambda: {"before": _PRED, "after": YF, "sensitive": GROUPS, "truth": YF}),
        Spec("fairness.chouldechova_fpr", fairness.chouldechova_fpr, lambda: {"prevalence": 0.3, "ppv": 0.7, "fnr": 0.2},
             valid={"prevalence": {"smallest float"}, "ppv": {"smallest float"}, "fnr": {"zero", "smallest float"}}),
        Spec("fairness.impossibility_table", fairness.impossibility_table,
             lambda: {"y_true": YF, "y_pred": _PRED, "sensitive": GROUPS}),
        Spec("fairness.credit_matrix", fairness.credit_matrix, lambda: {"df": _credit(), "areas": False},
             valid={"areas": {"True"}}),
        Spec("fairness.underrepresent", fairness.underrepresent,
             lambda: {"df": _credit(), "column": "sex", "value": "F", "keep": 0.5, "rng": _rng()},
             valid={"keep": {"zero", "smallest float"}, "rng": none_ok}),
        Spec("fairness.private_group_errors", fairness.private_group_errors,
             lambda: {"X_train": X[:40], "y_train": y[:40], "X_test": X[40:], "y_test": y[40:], "sensitive": sex[40:],
                      "epsilons": [1.0], "seeds": [0], "data_norm": 3.0},
             valid={"data_norm": {"huge int"}}),
        Spec("fairness.plot_group_errors", fairness.plot_group_errors,
             lambda: {"errors": _group_errors(), "metric": "accuracy", "ax": None}, valid={"ax": none_ok}),
        # ----------------------------------------------------------------- explain (lesson 08)
        Spec("explain.model_output", explain.model_output, lambda: {"model": _model(), "X": XF, "space": "probability"},
             valid={"X": {"nested list"}}),
        Spec("explain.additivity_error", explain.additivity_error,
             lambda: {"explanation": _explanation(), "output": np.array([0.4, 0.8])},
             valid={"output": {"nested list"}}),  # a (1, 2) row of the two outputs: flattened on purpose
        Spec("explain.compare_rankings", explain.compare_rankings,
             lambda: {"first": pd.Series({"a": 0.3, "b": 0.1}), "second": pd.Series({"a": 0.1, "b": 0.2}),
                      "labels": ("one", "two")}),
        Spec("explain.grouped_permutation_importance", explain.grouped_permutation_importance,
             lambda: {"model": _model(), "X": _frame_x(), "y": YF, "groups": {"g": ["a", "b"]}, "scoring": None,
                      "n_repeats": 2, "rng": _rng()},
             valid={"scoring": none_ok, "rng": none_ok}),
        # ----------------------------------------------------------------- attacks (lesson 09)
        Spec("attacks.flip_labels", attacks.flip_labels, lambda: {"y": YF, "fraction": 0.2, "priority": None, "rng": _rng()},
             valid={"fraction": {"zero", "smallest float"}, "priority": none_ok, "rng": none_ok}),
        Spec("attacks.trimmed_loss_fit", attacks.trimmed_loss_fit,
             lambda: {"estimator": _unfitted(), "X": XF, "y": YF, "trim_fraction": 0.1, "max_iter": 2},
             valid={"trim_fraction": {"zero", "smallest float"}}),
        Spec("attacks.add_trigger", attacks.add_trigger, lambda: {"X": XF, "trigger": {0: 1.0}}, valid={"X": {"nested list"}}),
        Spec("attacks.backdoor_poison", attacks.backdoor_poison,
             lambda: {"X": XF, "y": YF, "trigger": {0: 1.0}, "fraction": 0.1, "target_label": 0, "rng": _rng()},
             valid={"fraction": {"zero", "smallest float"}, "target_label": {"zero"}, "rng": none_ok}),
        Spec("attacks.attack_success_rate", attacks.attack_success_rate,
             lambda: {"model": _model(), "X": XF, "trigger": {0: 1.0}, "target_label": 0},
             valid={"X": {"nested list"}, "target_label": {"zero"}}),
        Spec("attacks.spectral_signature_flags", attacks.spectral_signature_flags,
             lambda: {"X": XF, "y": YF, "expected_fraction": 0.1, "removal_factor": 1.5},
             valid={"expected_fraction": {"zero", "smallest float"}, "removal_factor": extreme}),
        Spec("attacks.minimal_linear_perturbation", attacks.minimal_linear_perturbation,
             lambda: {"weights": [1.0, -1.0], "bias": 0.1, "x": [0.5, 0.2], "mutable": None, "overshoot": 1e-6},
             valid={"bias": {"zero", "minus one"} | extreme, "mutable": none_ok | {"zero"}, "overshoot": {"zero"} | extreme},
             aliases={"weights": ("weights and x",), "x": ("weights and x",)}),
        Spec("attacks.robust_accuracy_linear", attacks.robust_accuracy_linear,
             lambda: {"model": _model(), "X": XF, "y": YF, "epsilon": 0.1, "mutable": None},
             valid={"epsilon": {"zero"} | extreme, "mutable": none_ok | {"zero", "empty list", "empty DataFrame"}}),
        Spec("attacks.adversarial_training_linear", attacks.adversarial_training_linear,
             lambda: {"X": XF, "y": YF, "epsilon": 0.1, "mutable": None, "C": 1.0},
             valid={"epsilon": {"zero"} | extreme, "mutable": none_ok | {"zero", "empty list", "empty DataFrame"},
                    "C": extreme}),
        Spec("attacks.per_example_loss", attacks.per_example_loss, lambda: {"model": _model(), "X": XF, "y": YF}),
        Spec("attacks.membership_inference_auc", attacks.membership_inference_auc,
             lambda: {"model": _model(), "X_members": XF[:12], "y_members": YF[:12], "X_non_members": XF[12:],
                      "y_non_members": YF[12:]}),
        Spec("attacks.membership_inference_tpr_at_fpr", attacks.membership_inference_tpr_at_fpr,
             lambda: {"model": _model(), "X_members": XF[:12], "y_members": YF[:12], "X_non_members": XF[12:],
                      "y_non_members": YF[12:], "fpr": 0.1}, valid={"fpr": {"zero", "smallest float"}}),
        Spec("attacks.membership_advantage_bound", attacks.membership_advantage_bound, lambda: {"epsilon": 1.0},
             valid={"epsilon": {"huge int", "smallest float"}}),
        Spec("attacks.prediction_api", attacks.prediction_api,
             lambda: {"model": _model(), "response": "probability", "decimals": None}, valid={"decimals": none_ok | {"zero"}}),
        Spec("attacks.prediction_api(...)", api, lambda: {"queries": XF}, valid={"queries": {"nested list"}}),
        Spec("attacks.extract_linear_model", attacks.extract_linear_model,
             lambda: {"queries": XF, "answers": _model().predict_proba(XF)[:, 1], "response": "probability"}),
        Spec("attacks.agreement", attacks.agreement, lambda: {"model_a": _model(), "model_b": _model(), "X": XF},
             valid={"X": {"nested list"}}),
        Spec("attacks.save_linear_model", attacks.save_linear_model, lambda: {"model": _model(), "path": tmp / "saved.npz"},
             valid={"path": {"word"}}),
        Spec("attacks.load_linear_model", attacks.load_linear_model, lambda: {"source": saved_model}),
        Spec("attacks.sign_file", attacks.sign_file, lambda: {"path": signed, "private_key": _ed25519()}),
        Spec("attacks.verified_bytes", attacks.verified_bytes,
             lambda: {"path": signed, "signature": signature, "public_key": _ed25519().public_key()},
             valid={"signature": {"bytes"}}, documented=(InvalidSignature,)),
        # ----------------------------------------------------------------- report (lesson 10)
        Spec("report.dp_federated_sgd", report.dp_federated_sgd,
             lambda: {"clients": _clients(), "rounds": 2, "clip_norm": 1.0, "noise_multiplier": 1.0, "learning_rate": 1.0,
                      "secure_aggregation": True, "rng": _rng()},
             valid={"noise_multiplier": {"zero"} | extreme, "secure_aggregation": {"True"}, "rng": none_ok,
                    "clip_norm": extreme, "learning_rate": extreme}),
        Spec("report.calibrate_noise", report.calibrate_noise, lambda: {"epsilon": 1.0, "rounds": 2, "delta": 1e-5},
             valid={"epsilon": extreme, "delta": {"smallest float"}}),
        Spec("report.Targets", report.Targets,
             lambda: {"max_epsilon": 3.0, "max_delta": 1e-5, "max_accuracy_drop": 0.02, "max_mia_auc": 0.55,
                      "max_fairness_gap": 0.1, "forbidden_features": ("sex",)},
             valid={"max_delta": {"zero", "smallest float"}, "max_accuracy_drop": {"zero", "smallest float"},
                    "max_fairness_gap": {"zero", "smallest float"},
                    "max_epsilon": {"huge int", "smallest float"},
                    "forbidden_features": {"empty list", "empty dict", "empty string"} - {"empty string"}}),
        Spec("report.accuracy_difference_interval", report.accuracy_difference_interval,
             lambda: {"y_true": YF, "y_pred": _PRED, "y_pred_baseline": YF, "confidence": 0.95},
             valid={"confidence": {"smallest float"}},
             aliases={k: ("y_true, y_pred and y_pred_baseline",) for k in ("y_true", "y_pred", "y_pred_baseline")}),
        Spec("report.report_card", report.report_card, _card_kwargs,
             valid={"epsilon": {"infinity"} | extreme, "delta": {"zero", "smallest float"}, "mia_auc": {"zero", "smallest float"},
                    "confidence": {"smallest float"}, "rounds": {"huge int"}, "retrainings": {"huge int"},
                    "n_top": {"huge int"}, "title": {"word"}, "unit": {"word"}}),
        Spec("report.ReportCard.plot", _card().plot, lambda: {"fig": None}, valid={"fig": none_ok}),
        Spec("report.save_report_card", report.save_report_card,
             lambda: {"card": _card(), "directory": card_dir, "fmt": "markdown", "name": "card", "overwrite": True,
                      "figure": None},
             valid={"overwrite": {"True"}, "figure": none_ok, "name": {"word"}}, documented=(FileExistsError,)),
        Spec("report.compare_report_cards", report.compare_report_cards, lambda: {"cards": [_card()], "labels": ["one"]}),
    ]


def _unfitted():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression()


def _names_argument(exc: BaseException, argument: str, spec: Spec) -> bool:
    text = str(exc)
    return any(name in text for name in (argument, *spec.aliases.get(argument, ())))


class Hang(Exception):
    """A call ran longer than HANG_SECONDS: a count nobody bounded (epochs=10**30) loops for ever."""


HANG_SECONDS = 30  # generous on a loaded machine; a valid baseline call takes well under a second


def _alarm(signum, frame):
    raise Hang(f"still running after {HANG_SECONDS} s")


def _run(spec: Spec, argument: str, value: object) -> BaseException | None:
    kwargs = spec.kwargs()
    kwargs[argument] = value
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        result = spec.call(**kwargs)
        if isinstance(result, crypto.sqlite3.Connection):
            result.close()
        if hasattr(result, "__next__"):
            list(result)
    except FORBIDDEN as exc:
        return exc
    except ALLOWED + spec.documented as exc:
        return exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        plt.close("all")
    return None



@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    return _specs(tmp_path_factory.mktemp("battery"))




def _spec_arguments():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return [(s.name, list(s.kwargs())) for s in _specs(Path(folder))]


_ARGUMENT_TABLE = _spec_arguments()
CASES = [(name, argument, key) for name, arguments in _ARGUMENT_TABLE for argument in arguments for key in BATTERY]


def test_every_public_callable_is_covered():
    covered = {name for name, _ in _ARGUMENT_TABLE}
    public = {"setup", "progress", "versions", "check_environment"}
    for module in (basics, models, crypto, anonymize, dp, data, plotting, federated, he, fairness, explain, attacks, report):
        prefix = module.__name__.split(".")[-1]
        names = getattr(module, "__all__", None) or [
            n for n, o in vars(module).items()
            if not n.startswith("_") and callable(o) and getattr(o, "__module__", "") == module.__name__
        ]
        for name in names:
            obj = getattr(module, name)
            if callable(obj) and not isinstance(obj, type(Exception)) and name not in ("TLSFiles", "DatasetError"):
                public.add(f"{prefix}.{name}")
    exempt = {  # no arguments, or re-exports already covered in models, or exceptions/data classes
        "basics.principles_table", "basics.readmission_model", "basics.compare_feature_sets",
        "basics.paired_difference_interval", "plotting.apply_style", "data.data_dir", "data.load_patients",
        "data.load_public_roll", "anonymize.UnknownTokenError",
        "federated.Client", "federated.Aggregator",  # type aliases, not functions
        "report.ReportCard",  # the record report_card builds and checks (its plot method has a Spec)
    }
    assert public - exempt - covered == set()


@pytest.mark.parametrize("name, argument, key", CASES, ids=[f"{n}-{a}-{k}" for n, a, k in CASES])
def test_bad_input_is_refused_by_name(specs, name, argument, key, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a bad path that slipped through would land here, not in the repo
    spec = next(s for s in specs if s.name == name)
    outcome = _run(spec, argument, BATTERY[key])
    if key in spec.valid.get(argument, set()):
        assert outcome is None or isinstance(outcome, ALLOWED + spec.documented), f"{name}({argument}={key}) raised {outcome!r}"
        return
    assert outcome is not None, f"{name} accepted {argument}={key} ({BATTERY[key]!r})"
    assert isinstance(outcome, ALLOWED), f"{name}({argument}={key}) raised {type(outcome).__name__}: {outcome}"
    assert _names_argument(outcome, argument, spec), f"{name}({argument}={key}): message does not name {argument!r}: {outcome}"
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert leftovers == [] or key in ("word",), f"{name}({argument}={key}) wrote {leftovers}"


ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), st.binary(max_size=20),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=3), st.none()), max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(-3, 3), max_size=3),
    st.tuples(st.integers(-3, 3), st.text(max_size=3)),
    st.builds(lambda v: pd.Series(v, dtype=object), st.lists(st.one_of(st.integers(-3, 3), st.text(max_size=3)), max_size=4)),
    st.sampled_from([np.nan, np.inf, np.float32(-0.0), np.int64(2**62), pd.NaT, pd.Timestamp("2020-01-01"), 1j, object()]),
)


@pytest.mark.parametrize("name", [n for n, _ in _ARGUMENT_TABLE])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_input_works_or_is_refused_by_name(specs, name, data, tmp_path_factory):
    """Property: any value for any one argument either works or raises an allowed error naming it."""
    spec = next(s for s in specs if s.name == name)
    argument = data.draw(st.sampled_from(list(spec.kwargs())), label="argument")
    value = data.draw(ANYTHING, label="value")
    folder = tmp_path_factory.mktemp("prop")
    old = os.getcwd()
    os.chdir(folder)
    try:
        outcome = _run(spec, argument, value)
    finally:
        os.chdir(old)
    if outcome is None:
        return
    if isinstance(outcome, spec.documented):
        return  # e.g. a different password: the documented InvalidToken, not a bad argument
    assert isinstance(outcome, ALLOWED), f"{name}({argument}={value!r}) raised {type(outcome).__name__}: {outcome}"
    assert _names_argument(outcome, argument, spec), f"{name}({argument}={value!r}): message does not name it: {outcome}"


def test_battery_size_is_reported():
    """The number of bad inputs this file tries by hand (the property test adds 60 draws per callable)."""
    assert len(CASES) > 1000
