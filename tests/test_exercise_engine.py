"""The exercise engine itself: placeholders, feedback, hints, solutions, rendering."""
import numpy as np
import pandas as pd
import pytest

from course_lib.exercises import (
    Case,
    CustomProblem,
    Feedback,
    FunctionProblem,
    Incorrect,
    ProblemDefinitionError,
    ReflectionProblem,
    ValueProblem,
    ____,
    is_placeholder,
)


def value_problem(**kw):
    args = dict(title="T", answer_name="x", reference="x = 2.0", hints=["h1", "h2"], expected=2.0, rtol=0.01)
    args.update(kw)
    return ValueProblem(**args)


def test_placeholder_propagates_and_never_raises():
    assert is_placeholder(____ * 2 + 1)
    assert is_placeholder(____.mean())
    assert is_placeholder([1, ____])
    assert is_placeholder({"a": ____})
    assert not is_placeholder(0)
    assert list(____) == [] and repr(____) == "____"

    def unfinished(df):
        return df[____]

    def nested(df):
        def inner():
            return ____
        return inner

    assert is_placeholder(unfinished) and is_placeholder(nested)
    assert not is_placeholder(lambda df: df)


def test_value_problem_statuses():
    q = value_problem(known_mistakes=[(200.0, "percentage, not share")])
    assert q.check().status == "unattempted"
    assert q.check(____).status == "unattempted"
    assert q.check(2.01).correct and bool(q.check(2.01))
    assert "too high" in q.check(2.5).message
    assert "far too low" in q.check(0.1).message
    assert q.check(200).message == "percentage, not share"
    assert "string" in q.check("2").message
    assert "bool" in q.check(True).message
    assert "single number" in q.check([2.0, 2.0]).message
    assert "NaN" in q.check(float("nan")).message
    assert "is None" in q.check(None).message
    assert not q.check(object())


def test_value_problem_arrays_and_lazy_expected():
    q = value_problem(expected=lambda: np.array([1.0, 2.0, 3.0]))
    assert q.check(np.array([1.0, 2.0, 3.0])).correct
    assert "1 of 3 values" in q.check([1.0, 2.0, 4.0]).message
    assert "shape (2,), expected (3,)" in q.check([1.0, 2.0]).message


def test_value_problem_rejects_bad_tolerance():
    with pytest.raises(ValueError, match="tolerances"):
        value_problem(rtol=-1)


def test_problem_needs_hints_and_identifier():
    with pytest.raises(ValueError, match="hint"):
        value_problem(hints=[])
    with pytest.raises(ValueError, match="identifier"):
        value_problem(answer_name="not a name")


def test_function_problem_feedback():
    q = FunctionProblem(
        title="double",
        answer_name="double",
        reference="def double(x):\n    return 2 * x",
        hints=["multiply"],
        cases=[
            Case((2,), expected=4, why="two twos"),
            Case((pd.Series([1, 2]),), expected=pd.Series([2, 4])),
            Case(("a",), raises=TypeError, why="strings are rejected"),
        ],
    )

    def good(x):
        if isinstance(x, str):
            raise TypeError("no strings")
        return 2 * x

    assert q.check(good).correct
    wrong = q.check(lambda x: x + 2)
    assert "double(2)" not in wrong.message or "expected" in wrong.message
    assert "returned" in q.check(lambda x: 3 * x).message and "two twos" in q.check(lambda x: 3 * x).message
    assert "should raise TypeError" in q.check(lambda x: 2 * x).message
    crash = q.check(lambda x: 1 / 0)
    assert crash.status == "incorrect" and "ZeroDivisionError" in crash.message
    assert "should be a function" in q.check(4).message

    def unfinished(x):
        return ____

    assert q.check(unfinished).status == "unattempted"


def test_function_problem_compares_frames():
    want = pd.DataFrame({"a": [1, 2]})
    q = FunctionProblem(title="f", answer_name="f", reference="", hints=["h"], cases=[Case((), expected=want)])
    assert q.check(lambda: pd.DataFrame({"a": [1.0, 2.0]})).correct
    assert not q.check(lambda: pd.DataFrame({"a": [2, 1]}))
    assert not q.check(lambda: [1, 2])


def test_custom_problem():
    def checker(answer):
        if answer != "yes":
            raise Incorrect("say yes")
        return "well said"

    q = CustomProblem(title="c", answer_name="a", reference="a = 'yes'", hints=["yes"], checker=checker)
    assert q.check("yes").message == "well said"
    assert q.check("no").message == "say yes"
    with pytest.raises(ProblemDefinitionError, match="checker"):
        CustomProblem(title="c", answer_name="a", reference="", hints=["h"])


def test_reflection_reveals_discussion():
    q = ReflectionProblem(title="r", answer_name="a", reference="", hints=["think"], discussion="our view")
    assert q.check().status == "unattempted"
    assert q.check("   ").status == "unattempted"
    assert q.check("too short").status == "unattempted"
    shown = q.check("I think the key issue is consent and purpose")
    assert shown.status == "discussion" and shown.message == "our view"
    assert q.solution().message == "our view"
    with pytest.raises(ValueError, match="discussion"):
        ReflectionProblem(title="r", answer_name="a", reference="", hints=["h"])


def test_hints_are_levelled():
    q = value_problem()
    assert q.hint().message.startswith("1/2: h1")
    assert q.hint().message.startswith("2/2: h2")
    last = q.hint()
    assert "no more hints" in last.message and ".solution()" in last.message
    assert "no more hints" in q.hint().message  # and stays so
    assert q.hint(1).message.startswith("1/2")
    assert "level must be" in q.hint(5).message


def test_solution_and_rendering():
    q = value_problem(explanation="because")
    sol = q.solution()
    assert sol.code == "x = 2.0" and sol.message == "because"
    html = q.check(3.0)._repr_html_()
    assert "Incorrect" in html and "border-left" in html
    assert "&lt;" in Feedback("incorrect", "<script>")._repr_html_()
    assert str(sol).startswith("Solution (T): because")
    with pytest.raises(ValueError, match="status"):
        Feedback("maybe", "")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, database=None, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.floats(min_value=-3, max_value=3))
def test_value_problem_tolerance_property(expected, offset_in_tolerances):
    q = value_problem(expected=expected, rtol=0.01, atol=1e-6)
    answer = expected + offset_in_tolerances * (0.01 * abs(expected) + 1e-6)
    feedback = q.check(answer)
    assert feedback.status in {"correct", "incorrect"}
    if abs(offset_in_tolerances) < 0.99:
        assert feedback.correct
    elif abs(offset_in_tolerances) > 1.01:
        assert not feedback.correct


# --------------------------------------------------------------------------------------
# Diagnoses: a forgotten return, a known error's usual cause, never a crash
# --------------------------------------------------------------------------------------


def _function_problem(**kw):
    args = dict(title="f", answer_name="f", reference="def f(x):\n    return x > 0", hints=["h1", "h2"],
                cases=[Case((1,), expected=True, why="an unrelated note about positive numbers")])
    args.update(kw)
    return FunctionProblem(**args)


def _forgets_return(*args, **kwargs):
    _ = args


def test_a_forgotten_return_is_diagnosed_in_every_problem_type():
    def calls_it(answer):
        result = answer(2)
        if result != 4:
            raise Incorrect(f"got {result!r}")  # what a checker says without the engine's help

    def uses_result(answer):
        return f"{answer(2) + 1}"  # TypeError: NoneType + int

    problems = [
        _function_problem(),
        CustomProblem(title="c", answer_name="f", reference="", hints=["h"], checker=calls_it),
        CustomProblem(title="c", answer_name="f", reference="", hints=["h"], checker=uses_result),
        value_problem(),
    ]
    for q in problems:
        feedback = q.check(_forgets_return if not isinstance(q, ValueProblem) else None)
        assert feedback.status == "incorrect"
        assert "forget to `return`" in feedback.message, (type(q).__name__, feedback.message)
        assert "unrelated note" not in feedback.message and "NoneType" not in feedback.message


def test_a_function_that_returns_something_is_not_told_it_forgot_return():
    def checker(answer):
        if answer("ok") is None:
            raise Incorrect("return a value for valid input")
        if answer("bad") is not None:
            pass
        raise Incorrect("a specific message")

    q = CustomProblem(title="c", answer_name="f", reference="", hints=["h"], checker=checker)
    assert q.check(lambda x: None if x == "bad" else x).message == "a specific message"


def test_value_problem_given_a_function_says_call_it():
    assert "call it" in value_problem().check(lambda: 2.0).message


def test_a_known_error_is_reported_with_its_usual_cause():
    known = [("KeyError", "a 0/1 column used as a mask selects columns 0 and 1")]
    crash = _function_problem(known_errors=known).check(lambda x: {}["research_consent"])
    assert crash.status == "incorrect" and "KeyError" in crash.message and "0/1 column" in crash.message

    def checker(answer):
        answer(1)

    custom = CustomProblem(title="c", answer_name="f", reference="", hints=["h"], checker=checker, known_errors=known)
    message = custom.check(lambda x: {}[x]).message
    assert "KeyError: 1" in message and "Usual cause: a 0/1 column" in message
    other = custom.check(lambda x: 1 / 0).message
    assert "ZeroDivisionError" in other and "Usual cause" not in other


class _Exit(BaseException):
    pass


@pytest.mark.parametrize("raised", [SystemExit(3), _Exit("custom"), GeneratorExit(), RecursionError("deep")])
def test_check_never_raises_on_what_student_code_raises(raised):
    def boom(*args):
        raise raised

    def checker(answer):
        answer()

    for q in (_function_problem(), CustomProblem(title="c", answer_name="f", reference="", hints=["h"],
                                                 checker=checker)):
        feedback = q.check(boom)
        assert feedback.status == "incorrect" and type(raised).__name__ in feedback.message


def test_keyboard_interrupt_still_stops_a_check():
    def stop(*args):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _function_problem().check(stop)


def test_check_never_raises_on_strange_answers():
    looped = [1, 2]
    looped.append(looped)
    cyclic = {"a": 1}
    cyclic["self"] = cyclic
    framed = pd.DataFrame({"__code__": [1, 2], "co_names": ["____", "x"]})

    class BadRepr:
        def __repr__(self):
            raise RuntimeError("no repr")

        def __getattr__(self, name):
            raise RuntimeError("no attributes")

    q = value_problem()
    for answer in (looped, cyclic, framed, BadRepr(), np.array([object()]), {1, 2}, b"2"):
        assert not is_placeholder(answer) or answer is None
        for problem in (q, _function_problem(), CustomProblem(title="c", answer_name="a", reference="",
                                                             hints=["h"], checker=lambda a: str(a))):
            feedback = problem.check(answer)
            assert feedback.status in {"incorrect", "correct"}


@pytest.mark.parametrize("make, match", [
    (lambda: value_problem(hints="one string of hints"), "list of strings"),
    (lambda: value_problem(hints=[]), "hint"),
    (lambda: value_problem(hints=["ok", 3]), r"hints\[1\]"),
    (lambda: value_problem(expected="0.3"), "expected"),
    (lambda: value_problem(expected=None), "expected"),
    (lambda: value_problem(expected=[]), "expected"),
    (lambda: value_problem(expected=float("nan")), "finite"),
    (lambda: value_problem(known_mistakes=[(1.0,)]), "known_mistakes"),
    (lambda: value_problem(known_mistakes=[("a", "msg")]), "known mistake"),
    (lambda: value_problem(mistakes="x = 1"), "mistakes"),
    (lambda: value_problem(alternatives="x = 2"), "alternatives"),
    (lambda: value_problem(known_errors=[("KeyError",)]), "known_errors"),
    (lambda: value_problem(known_errors="KeyError"), "known_errors"),
    (lambda: value_problem(rtol="1"), "rtol"),
    (lambda: _function_problem(cases=[]), "at least one Case"),
    (lambda: _function_problem(cases=[(1,)]), "Case"),
    (lambda: _function_problem(cases=Case((1,), expected=True)), "list of Case"),
    (lambda: Case(("59"), expected=True), "comma"),
    (lambda: Case((1,), raises="ValueError"), "exception class"),
    (lambda: Case((1,), expected=1, raises=ValueError), "not both"),
    (lambda: ReflectionProblem(title="r", answer_name="a", reference="", hints=["h"], discussion=["x"]), "discussion"),
])
def test_authoring_mistakes_fail_when_the_problem_is_defined(make, match):
    with pytest.raises((ProblemDefinitionError, ValueError), match=match):
        make()


def test_lazily_built_cases_are_checked_and_blamed_on_the_exercise():
    q = _function_problem(cases=lambda: [])
    feedback = q.check(lambda x: x)
    assert feedback.status == "incorrect" and "defined wrongly (not your fault)" in feedback.message
    lazy = value_problem(expected=lambda: "0.3")
    assert "defined wrongly" in lazy.check(0.3).message
