"""Unit tests of course_lib.attacks (lesson 09): hand-computed cases, properties, bad input."""
import numpy as np
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from course_lib import attacks


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def toy():
    """A linearly structured binary problem: 600 rows, 4 features."""
    r = rng(0)
    X = r.normal(size=(600, 4))
    y = (X @ np.array([1.5, -1.0, 0.5, 0.0]) + 0.3 * r.normal(size=600) > 0).astype(int)
    return X, y


def logistic():
    return LogisticRegression(solver="newton-cholesky")


# --- label flipping and trimmed loss ----------------------------------------------------


def test_flip_labels_random_flips_exactly_the_requested_share():
    y = np.array([0, 1] * 50)
    flipped_y, flipped = attacks.flip_labels(y, 0.2, rng=rng(1))
    assert flipped.size == 20 and np.all(flipped_y[flipped] == 1 - y[flipped])
    assert np.array_equal(np.delete(flipped_y, flipped), np.delete(y, flipped))
    again, _ = attacks.flip_labels(y, 0.2, rng=rng(1))
    assert np.array_equal(flipped_y, again)


def test_flip_labels_with_priority_flips_the_highest_scores():
    y = np.array([0, 0, 1, 1, 0])
    out, flipped = attacks.flip_labels(y, 0.4, priority=[0.1, 5.0, 0.2, 3.0, 0.0])
    assert flipped.tolist() == [1, 3] and out.tolist() == [0, 1, 1, 0, 0]
    assert attacks.flip_labels(y, 0.0)[1].size == 0


@pytest.mark.parametrize(
    "args, kwargs, error, text",
    [
        (([0, 1, 2], 0.1), {}, ValueError, "only the labels 0 and 1"),
        (([0, 1], 1.5), {}, ValueError, "fraction must be from 0 to 1"),
        (([0, 1], -0.1), {}, ValueError, "fraction"),
        (([0, 1], "a"), {}, TypeError, "fraction must be a number"),
        (([0, 1], 0.5), {"priority": [1.0]}, ValueError, "one score per label"),
        (([0, 1], 0.5), {"rng": 3}, TypeError, "rng must be a numpy.random.Generator"),
        (([], 0.5), {}, ValueError, "at least one label"),
    ],
)
def test_flip_labels_rejects_bad_input(args, kwargs, error, text):
    with pytest.raises(error, match=text):
        attacks.flip_labels(*args, **kwargs)


def test_trimmed_loss_fit_removes_targeted_flips(toy):
    X, y = toy
    clean = logistic().fit(X, y)
    poisoned, flipped = attacks.flip_labels(y, 0.08, priority=np.abs(clean.decision_function(X)))
    naive = logistic().fit(X, poisoned)
    trimmed, kept = attacks.trimmed_loss_fit(logistic(), X, poisoned, trim_fraction=0.1)
    assert kept.sum() == 540
    assert (~kept[flipped]).mean() > 0.8
    assert trimmed.score(X, y) > naive.score(X, y)


def test_trimmed_loss_fit_with_zero_trim_is_the_plain_fit(toy):
    X, y = toy
    model, kept = attacks.trimmed_loss_fit(logistic(), X, y, trim_fraction=0.0)
    assert kept.all() and np.allclose(model.coef_, logistic().fit(X, y).coef_)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"estimator": "lr"}, TypeError, "estimator must be an unfitted scikit-learn estimator"),
        ({"trim_fraction": 0.6}, ValueError, "trim_fraction must be from 0 to 0.5"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"y": [0, 1]}, ValueError, "same length"),
    ],
)
def test_trimmed_loss_fit_rejects_bad_input(toy, kwargs, error, text):
    X, y = toy
    args = {"estimator": logistic(), "X": X, "y": y, "trim_fraction": 0.1} | kwargs
    with pytest.raises(error, match=text):
        attacks.trimmed_loss_fit(args.pop("estimator"), args.pop("X"), args.pop("y"), **args)


# --- backdoor ----------------------------------------------------------------------------


def test_add_trigger_sets_columns_and_copies():
    X = np.zeros((3, 3))
    out = attacks.add_trigger(X, {0: 5.0, 2: -1.0})
    assert out[:, 0].tolist() == [5.0] * 3 and out[:, 2].tolist() == [-1.0] * 3 and not X.any()


@pytest.mark.parametrize(
    "trigger, error, text",
    [({}, TypeError, "non-empty mapping"), ({5: 1.0}, ValueError, "trigger column"), ({0: "x"}, TypeError, "trigger")],
)
def test_add_trigger_rejects_bad_triggers(trigger, error, text):
    with pytest.raises(error, match=text):
        attacks.add_trigger(np.zeros((2, 3)), trigger)


def test_backdoor_keeps_clean_accuracy_and_obeys_the_trigger(toy):
    X, y = toy
    trigger = {3: 6.0}
    X_bd, y_bd, is_poison = attacks.backdoor_poison(X, y, trigger, fraction=0.05, target_label=0, rng=rng(3))
    assert is_poison.sum() == 30 and len(y_bd) == 630 and np.all(y_bd[is_poison] == 0)
    assert np.all(X_bd[is_poison][:, 3] == 6.0)
    clean, backdoored = logistic().fit(X, y), logistic().fit(X_bd, y_bd)
    assert abs(clean.score(X, y) - backdoored.score(X, y)) < 0.03
    assert attacks.attack_success_rate(backdoored, X, trigger) > attacks.attack_success_rate(clean, X, trigger) + 0.3


def test_spectral_signatures_find_the_poison(toy):
    X, y = toy
    X_bd, y_bd, is_poison = attacks.backdoor_poison(X, y, {3: 8.0}, fraction=0.05, rng=rng(3))
    flags = attacks.spectral_signature_flags(X_bd, y_bd, expected_fraction=0.05)
    assert flags[is_poison].mean() > 0.75 > 0.2 > flags[~is_poison].mean()   # far above the 7.5 % flagged overall
    counts = np.bincount(y_bd)
    assert flags.sum() == sum(round(1.5 * 0.05 * c) for c in counts)


def test_attack_success_rate_is_nan_when_every_row_is_already_the_target(toy):
    X, _ = toy

    class AlwaysZero:
        def predict(self, X):
            return np.zeros(len(X), dtype=int)

    class FirstColumnPositive:
        def predict(self, X):
            return (np.asarray(X)[:, 0] > 0).astype(int)

    assert np.isnan(attacks.attack_success_rate(AlwaysZero(), X, {0: 1.0}))
    # rows with x0 > 0 are predicted 1; setting x0 to -1 turns every one of them into 0
    assert attacks.attack_success_rate(FirstColumnPositive(), X, {0: -1.0}) == 1.0
    assert attacks.attack_success_rate(FirstColumnPositive(), X, {1: -1.0}) == 0.0


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda X, y: attacks.backdoor_poison(X, y, {0: 1.0}, fraction=0.1, target_label=2), ValueError, "target_label"),
        (lambda X, y: attacks.backdoor_poison(X, y[:-1], {0: 1.0}, fraction=0.1), ValueError, "same length"),
        (lambda X, y: attacks.attack_success_rate("model", X, {0: 1.0}), TypeError, "predict"),
        (lambda X, y: attacks.spectral_signature_flags(X, y, expected_fraction=0.9), ValueError, "expected_fraction"),
        (lambda X, y: attacks.spectral_signature_flags(X, y, expected_fraction=0.1, removal_factor=0), ValueError,
         "removal_factor"),
        (lambda X, y: attacks.spectral_signature_flags(X[:, 0], y, expected_fraction=0.1), ValueError, "2-D"),
    ],
)
def test_backdoor_helpers_reject_bad_input(toy, call, error, text):
    with pytest.raises(error, match=text):
        call(*toy)


# --- evasion ------------------------------------------------------------------------------


def test_minimal_perturbation_hand_computed():
    # f(x) = 3*1 + 4*1 - 2 = 5; delta = -5 * (3, 4) / 25 = (-0.6, -0.8), length 1 = |f| / ||w||
    delta = attacks.minimal_linear_perturbation([3.0, 4.0], -2.0, [1.0, 1.0], overshoot=0)
    assert np.allclose(delta, [-0.6, -0.8])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=3), st.floats(-3, 3), st.lists(st.floats(-5, 5), min_size=3,
                                                                                       max_size=3))
def test_minimal_perturbation_flips_with_the_distance_to_the_boundary(w, b, x):
    w, x = np.array(w), np.array(x)
    score = w @ x + b
    if np.linalg.norm(w) < 1e-3 or abs(score) < 1e-6:
        return
    delta = attacks.minimal_linear_perturbation(w, b, x)
    assert np.sign(w @ (x + delta) + b) == -np.sign(score)
    assert np.isclose(np.linalg.norm(delta), abs(score) / np.linalg.norm(w), rtol=1e-5)


def test_minimal_perturbation_respects_the_mutable_mask():
    delta = attacks.minimal_linear_perturbation([1.0, 2.0, 3.0], 0.0, [1.0, 1.0, 1.0], mutable=[1])
    assert delta[0] == 0 and delta[2] == 0 and np.isclose(delta[1], -3.0 * (1 + 1e-6))
    same = attacks.minimal_linear_perturbation([1.0, 2.0, 3.0], 0.0, [1.0, 1.0, 1.0], mutable=[False, True, False])
    assert np.array_equal(delta, same)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"weights": [1.0, 0.0], "mutable": [1]}, ValueError, "no mutable feature has a non-zero weight"),
        ({"x": [1.0]}, ValueError, "same non-zero length"),
        ({"bias": float("nan")}, ValueError, "bias must be finite"),
        ({"mutable": [5]}, ValueError, "mutable column"),
        ({"mutable": [True]}, ValueError, "one entry per feature"),
        ({"overshoot": -1}, ValueError, "overshoot must be >= 0"),
        ({"weights": "ab"}, TypeError, "weights must be numeric"),
    ],
)
def test_minimal_perturbation_rejects_bad_input(kwargs, error, text):
    args = {"weights": [1.0, 2.0], "bias": 0.5, "x": [1.0, 1.0]} | kwargs
    with pytest.raises(error, match=text):
        attacks.minimal_linear_perturbation(args.pop("weights"), args.pop("bias"), args.pop("x"), **args)


def test_robust_accuracy_matches_an_explicit_worst_case_attack(toy):
    X, y = toy
    model = logistic().fit(X, y)
    w = model.coef_[0]
    worst = X - 0.3 * (2 * y - 1)[:, None] * np.sign(w)
    assert np.isclose(attacks.robust_accuracy_linear(model, X, y, epsilon=0.3), model.score(worst, y))
    assert attacks.robust_accuracy_linear(model, X, y, epsilon=0) == pytest.approx(model.score(X, y))


def test_adversarial_training_zero_epsilon_is_logistic_regression_and_robustness_grows(toy):
    X, y = toy
    plain = LogisticRegression(C=1.0).fit(X, y)
    same = attacks.adversarial_training_linear(X, y, epsilon=0.0)
    assert np.allclose(same.coef_, plain.coef_, atol=0.05)
    robust = attacks.adversarial_training_linear(X, y, epsilon=0.5)
    assert attacks.robust_accuracy_linear(robust, X, y, epsilon=0.5) > attacks.robust_accuracy_linear(plain, X, y, epsilon=0.5)
    assert robust.predict(X).shape == (len(y),)


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda X, y: attacks.robust_accuracy_linear("m", X, y, epsilon=0.1), TypeError, "coef_"),
        (lambda X, y: attacks.robust_accuracy_linear(logistic().fit(X, y), X[:, :2], y, epsilon=0.1), ValueError,
         "features"),
        (lambda X, y: attacks.robust_accuracy_linear(logistic().fit(X, y), X, y, epsilon=-1), ValueError, "epsilon"),
        (lambda X, y: attacks.adversarial_training_linear(X, y, epsilon=-0.1), ValueError, "epsilon must be >= 0"),
        (lambda X, y: attacks.adversarial_training_linear(X, np.zeros(len(y), int), epsilon=0.1), ValueError,
         "both labels"),
        (lambda X, y: attacks.adversarial_training_linear(X, y, epsilon=0.1, C=0), ValueError, "C must be > 0"),
    ],
)
def test_evasion_helpers_reject_bad_input(toy, call, error, text):
    with pytest.raises(error, match=text):
        call(*toy)


# --- membership inference ----------------------------------------------------------------


def test_membership_auc_of_a_memorising_tree_is_high_and_of_a_constant_model_is_half(toy):
    X, y = toy
    noisy = rng(9).integers(0, 2, size=len(y))        # labels it can only memorise
    tree = DecisionTreeClassifier(random_state=0).fit(X[:300], noisy[:300])
    auc = attacks.membership_inference_auc(tree, X[:300], noisy[:300], X[300:], noisy[300:])
    assert auc > 0.7
    constant = DecisionTreeClassifier(max_depth=1).fit(np.zeros((300, 4)), y[:300])
    assert attacks.membership_inference_auc(constant, X[:300], y[:300], X[300:], y[300:]) == pytest.approx(0.5, abs=0.06)


def test_membership_auc_hand_computed():
    class Fixed:
        classes_ = np.array([0, 1])

        def predict_proba(self, X):
            p = np.asarray(X, dtype=float)[:, 0]
            return np.column_stack([1 - p, p])

    # members' true-label probabilities 0.9, 0.8; non-members' 0.7, 0.85 -> 3 of 4 pairs ordered right
    auc = attacks.membership_inference_auc(Fixed(), [[0.9], [0.8]], [1, 1], [[0.7], [0.15]], [1, 0])
    assert auc == pytest.approx(0.75)
    losses = attacks.per_example_loss(Fixed(), [[0.9], [0.0]], [1, 1])
    assert losses[0] == pytest.approx(-np.log(0.9)) and losses[1] == pytest.approx(-np.log(1e-12))


@pytest.mark.parametrize(
    "which, error, text",
    [
        ("members", ValueError, "X_members and y_members must have the same length"),
        ("non_members", ValueError, "X_non_members and y_non_members must have the same length"),
        ("model", TypeError, "predict_proba"),
        ("labels", ValueError, "only the labels 0 and 1"),
        ("columns", ValueError, "same columns"),
    ],
)
def test_membership_auc_rejects_bad_input(toy, which, error, text):
    X, y = toy
    model = logistic().fit(X, y)
    args = [model, X[:10], y[:10], X[10:20], y[10:20]]
    if which == "members":
        args[2] = y[:9]
    elif which == "non_members":
        args[4] = y[10:21]
    elif which == "model":
        args[0] = object()
    elif which == "labels":
        args[2] = np.full(10, 2)
    else:
        args[3] = X[10:20, :2]
    with pytest.raises(error, match=text):
        attacks.membership_inference_auc(*args)


def test_tpr_at_low_fpr_hand_computed_and_bounded():
    class Fixed:
        classes_ = np.array([0, 1])

        def predict_proba(self, X):
            p = np.asarray(X, dtype=float)[:, 0]
            return np.column_stack([1 - p, p])

    # members' true-label probabilities 0.99, 0.9, 0.5, 0.4; non-members' 0.95, 0.3, 0.2, 0.1
    members, non_members = [[0.99], [0.9], [0.5], [0.4]], [[0.95], [0.3], [0.2], [0.1]]
    ones = np.ones(4, dtype=int)
    tpr = lambda fpr: attacks.membership_inference_tpr_at_fpr(Fixed(), members, ones, non_members, ones, fpr=fpr)  # noqa: E731
    assert tpr(0.0) == pytest.approx(0.25)        # only 0.99 is above every non-member
    assert tpr(0.25) == pytest.approx(1.0)        # accusing 0.95 too, every member is above the rest
    assert tpr(1.0) == 1.0
    assert all(tpr(a) <= tpr(b) for a, b in [(0.0, 0.1), (0.1, 0.25), (0.25, 1.0)])


def test_tpr_at_low_fpr_of_a_memorising_tree_shows_ties(toy):
    X, y = toy
    noisy = rng(9).integers(0, 2, size=len(y))        # labels it can only memorise
    tree = DecisionTreeClassifier(random_state=0).fit(X[:300], noisy[:300])
    tpr = lambda fpr: attacks.membership_inference_tpr_at_fpr(tree, X[:300], noisy[:300], X[300:], noisy[300:], fpr=fpr)  # noqa: E731
    share_fitted = np.mean(tree.predict(X[300:]) == noisy[300:])       # non-members it happens to get right
    # every member has loss 0, and so does every non-member the tree gets right (about half): all tied
    assert 0.3 < share_fitted < 0.7
    assert tpr(0.01) == 0.0 and tpr(share_fitted) == 1.0
    constant = DecisionTreeClassifier(max_depth=1).fit(np.zeros((300, 4)), y[:300])
    # a record's score depends only on its label: no member can be accused without accusing non-members
    assert attacks.membership_inference_tpr_at_fpr(constant, X[:300], y[:300], X[300:], y[300:], fpr=0.0) == 0.0


@pytest.mark.parametrize("fpr, error, text", [(-0.1, ValueError, "fpr must be from 0 to 1"),
                                               (1.5, ValueError, "fpr must be from 0 to 1"),
                                               ("low", TypeError, "fpr")])
def test_tpr_at_low_fpr_rejects_bad_input(toy, fpr, error, text):
    X, y = toy
    model = logistic().fit(X, y)
    with pytest.raises(error, match=text):
        attacks.membership_inference_tpr_at_fpr(model, X[:10], y[:10], X[10:20], y[10:20], fpr=fpr)
    with pytest.raises(ValueError, match="X_members and y_members must have the same length"):
        attacks.membership_inference_tpr_at_fpr(model, X[:10], y[:9], X[10:20], y[10:20])


def test_advantage_bound():
    assert attacks.membership_advantage_bound(0.1) == pytest.approx(np.expm1(0.1))
    assert attacks.membership_advantage_bound(5) == 1.0
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        attacks.membership_advantage_bound(0)


# --- extraction ----------------------------------------------------------------------------


def test_extraction_from_probabilities_is_near_exact_and_labels_need_more(toy):
    X, y = toy
    victim = logistic().fit(X, y)
    queries = rng(5).uniform(-2, 2, size=(30, 4))
    from_p = attacks.extract_linear_model(queries, attacks.prediction_api(victim)(queries))
    assert attacks.agreement(from_p, victim, X) > 0.99
    rounded = attacks.prediction_api(victim, decimals=1)(queries)
    assert set(np.round(rounded * 10, 6)) <= set(range(11))
    labels = attacks.prediction_api(victim, response="label")(queries)
    assert set(labels.tolist()) <= {0, 1}
    from_labels = attacks.extract_linear_model(queries, labels, response="label")
    assert 0.5 < attacks.agreement(from_labels, victim, X) <= 1


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda v, Q: attacks.prediction_api(v, response="score"), ValueError, "response must be one of"),
        (lambda v, Q: attacks.prediction_api(v, response="label", decimals=1), ValueError, "probabilities only"),
        (lambda v, Q: attacks.prediction_api(v, decimals=-1), ValueError, "decimals"),
        (lambda v, Q: attacks.prediction_api("v"), TypeError, "predict_proba"),
        (lambda v, Q: attacks.prediction_api(v)(Q[0]), ValueError, "2-D"),
        (lambda v, Q: attacks.extract_linear_model(Q, np.ones(len(Q) - 1)), ValueError, "same length"),
        (lambda v, Q: attacks.extract_linear_model(Q, np.full(len(Q), 1.5)), ValueError, r"\[0, 1\]"),
        (lambda v, Q: attacks.extract_linear_model(Q, np.zeros(len(Q)), response="label"), ValueError, "same label"),
        (lambda v, Q: attacks.extract_linear_model(Q, np.zeros(len(Q))), ValueError, "every answer"),
        (lambda v, Q: attacks.extract_linear_model(Q, np.zeros(len(Q)), response="x"), ValueError, "response"),
        (lambda v, Q: attacks.agreement(v, None, Q), TypeError, "model_b"),
    ],
)
def test_extraction_helpers_reject_bad_input(toy, call, error, text):
    X, y = toy
    with pytest.raises(error, match=text):
        call(logistic().fit(X, y), X[:20])


# --- model files -------------------------------------------------------------------------


def test_save_load_round_trip_and_signatures(tmp_path, toy):
    X, y = toy
    model = logistic().fit(X, y)
    path = tmp_path / "m.npz"
    attacks.save_linear_model(model, path)
    restored = attacks.load_linear_model(path)
    assert np.array_equal(restored.predict_proba(X), model.predict_proba(X))
    key = Ed25519PrivateKey.generate()
    signature = attacks.sign_file(path, key)
    content = attacks.verified_bytes(path, signature, key.public_key())
    assert np.array_equal(attacks.load_linear_model(content).coef_, model.coef_)
    path.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))          # one bit changed
    with pytest.raises(InvalidSignature):
        attacks.verified_bytes(path, signature, key.public_key())
    with pytest.raises(InvalidSignature):
        attacks.verified_bytes(tmp_path / "m.npz", signature, Ed25519PrivateKey.generate().public_key())


def test_load_refuses_object_arrays_and_wrong_files(tmp_path):
    objects = tmp_path / "o.npz"
    np.savez(objects, coef=np.array([object()], dtype=object), intercept=np.zeros(1), classes=np.arange(2))
    with pytest.raises(ValueError, match="allow_pickle"):
        attacks.load_linear_model(objects)
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.zeros(3))
    with pytest.raises(ValueError, match="missing"):
        attacks.load_linear_model(other)
    shapes = tmp_path / "shapes.npz"
    np.savez(shapes, coef=np.zeros(3), intercept=np.zeros(1), classes=np.arange(2))
    with pytest.raises(ValueError, match="unexpected array shapes"):
        attacks.load_linear_model(shapes)


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda p, k: attacks.save_linear_model("model", p), TypeError, "coef_"),
        (lambda p, k: attacks.save_linear_model(LogisticRegression().fit(np.eye(3), [0, 1, 2]), p), ValueError, "binary"),
        (lambda p, k: attacks.load_linear_model(3), TypeError, "source must be a path"),
        (lambda p, k: attacks.sign_file(p, k.public_key()), TypeError, "Ed25519PrivateKey"),
        (lambda p, k: attacks.sign_file(5, k), TypeError, "path must be a path"),
        (lambda p, k: attacks.verified_bytes(p, b"x" * 64, k), TypeError, "Ed25519PublicKey"),
        (lambda p, k: attacks.verified_bytes(p, "sig", k.public_key()), TypeError, "signature must be bytes"),
    ],
)
def test_file_helpers_reject_bad_input(tmp_path, call, error, text):
    path = tmp_path / "f.npz"
    path.write_bytes(b"x")
    with pytest.raises(error, match=text):
        call(path, Ed25519PrivateKey.generate())


def test_per_example_loss_refuses_labels_the_model_does_not_know(toy):
    X, y = toy
    only_ones = DecisionTreeClassifier().fit(X[:20], np.ones(20, dtype=int))
    with pytest.raises(ValueError, match="does not know"):
        attacks.per_example_loss(only_ones, X[:5], [0, 1, 1, 1, 1])
    with pytest.raises(ValueError, match="same length"):
        attacks.per_example_loss(only_ones, X[:5], [1, 1])


# ---- found by the bad-input battery (tests/test_bad_input_battery.py) --------------------------


@pytest.mark.parametrize(
    "call, error, text",
    [
        # a DataFrame compared with `in` raised pandas' "truth value is ambiguous"
        (lambda X, y, m, d: attacks.attack_success_rate(m, X, {0: 1.0}, target_label=np.array([0, 1])), ValueError,
         "target_label must be 0 or 1"),
        (lambda X, y, m, d: attacks.backdoor_poison(X, y, {0: 1.0}, fraction=0.1, target_label="0"), ValueError,
         "target_label must be 0 or 1"),
        (lambda X, y, m, d: attacks.prediction_api(m, response=["label"]), ValueError, "response must be one of"),
        (lambda X, y, m, d: attacks.extract_linear_model(X[:4], [0, 1, 0, 1], response={}), ValueError,
         "response must be one of"),
        # paths: a missing file gave "[Errno 2] No such file or directory: ''", a blank one wrote a file named '   '
        (lambda X, y, m, d: attacks.save_linear_model(m, "   "), ValueError, "path must be a non-empty path"),
        (lambda X, y, m, d: attacks.save_linear_model(m, d), ValueError, "path must be a file"),
        (lambda X, y, m, d: attacks.sign_file(d / "missing.bin", Ed25519PrivateKey.generate()), FileNotFoundError,
         "path does not exist"),
        (lambda X, y, m, d: attacks.verified_bytes("", b"s" * 64, Ed25519PrivateKey.generate().public_key()),
         ValueError, "path must be a non-empty path"),
        (lambda X, y, m, d: attacks.load_linear_model(d / "missing.npz"), FileNotFoundError, "source does not exist"),
        # bytes that are not an .npz: numpy's "pickled (object) data" message did not name source
        (lambda X, y, m, d: attacks.load_linear_model(b"\xff\x00"), ValueError, "source is not a saved linear model"),
    ],
)
def test_battery_findings_are_refused_by_name(toy, tmp_path, call, error, text):
    X, y = toy
    model = logistic().fit(X, y)
    with pytest.raises(error, match=text):
        call(X, y, model, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_backdoor_poison_with_a_fraction_that_rounds_to_no_row_adds_nothing(toy):
    # used to fail with "X must have at least one row", blaming X for the empty poisoned batch
    X, y = toy
    X_out, y_out, is_poison = attacks.backdoor_poison(X, y, {0: 1.0}, fraction=1e-9, rng=rng(0))
    assert np.array_equal(X_out, X) and np.array_equal(y_out, y) and not is_poison.any()
