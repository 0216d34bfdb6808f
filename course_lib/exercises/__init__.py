"""Checked exercises: ``check()``, levelled ``hint()``, ``solution()``.

Written for this course in the spirit of Kaggle's learntools. A lesson's problems live in
``course_lib/exercises/lessonNN.py``; a notebook binds them with
``from course_lib.exercises.lesson01 import q1, q2, q3`` and a student writes::

    answer = ____          # replace the placeholder
    q1.check(answer)       # specific feedback; a placeholder counts as "not attempted"
    q1.hint()              # the next hint; q1.hint(2) a given level
    q1.solution()          # the reference solution, as code

Problem types:

* :class:`ValueProblem`: a number (or array) compared with a tolerance.
* :class:`FunctionProblem`: a function run against test cases, including bad input that
  must raise.
* :class:`CustomProblem`: any behavioural check written as a function.
* :class:`ReflectionProblem`: a free-text question whose check reveals a discussion.
* :class:`ChoiceProblem` and :class:`NumericProblem`: quiz questions (a letter, or a number
  with a tolerance) whose every wrong answer gets its own feedback naming the misconception;
  a :class:`Quiz` groups 5 to 8 of them per lesson (``course_lib/exercises/quizzes.py``) and
  checks an explicit dict of answers, ``quiz04.check({1: "b", 2: 0.5})``.

Every problem carries its ``reference`` solution as code, a ``setup`` snippet with the
context the notebook provides, and typical ``mistakes`` (code too).
``tests/test_exercises.py`` runs every solution (it must pass) and every mistake (it must
fail) for every lesson, so a broken exercise fails the build.

``check()`` never raises (only ``KeyboardInterrupt`` passes through): an answer that crashes,
even with ``SystemExit``, is reported as incorrect with the error and, where the problem lists
it in ``known_errors``, the error's usual cause; a function that returns ``None`` is asked
whether it forgot to ``return``. A mistake in a problem's definition (no cases, hints given
as one string, an expected value of the wrong kind) raises when the problem is defined.
Results are :class:`Feedback` objects: they render as coloured boxes in JupyterLab, as
plain text elsewhere, and ``bool(feedback)`` is True only when the answer is correct.
"""
from __future__ import annotations

import functools
import html
import math
import re
import textwrap
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "____",
    "Feedback",
    "Incorrect",
    "Case",
    "Problem",
    "ProblemDefinitionError",
    "ValueProblem",
    "FunctionProblem",
    "CustomProblem",
    "ReflectionProblem",
    "ChoiceProblem",
    "NumericProblem",
    "Quiz",
    "QuizResult",
    "is_placeholder",
    "problems_of",
]


class _Placeholder:
    """The ``____`` blank in starter code. Any arithmetic, comparison or call on it gives
    the placeholder back, so an unfinished expression stays "not attempted"."""

    _instance: _Placeholder | None = None

    def __new__(cls) -> _Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def _same(self, *args: object, **kwargs: object) -> _Placeholder:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _same
    __mod__ = __rmod__ = __neg__ = __pos__ = __abs__ = __call__ = __getitem__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = __and__ = __rand__ = __or__ = __ror__ = _same
    __getattr__ = _same  # type: ignore[assignment]

    def __iter__(self):  # noqa: ANN204
        return iter(())

    def __len__(self) -> int:
        return 0


#: The blank students replace.
____ = _Placeholder()


def is_placeholder(value: object) -> bool:
    """True if ``value`` is, or contains, or (for a function) uses the ``____`` blank.

    Never raises: containers that contain themselves are visited once, and objects whose
    ``__code__`` is not code (a DataFrame with a ``__code__`` column) are not functions.
    """
    try:
        return _contains_placeholder(value, set())
    except Exception:  # an exotic object's attribute access failed: it is not the blank
        return False


def _contains_placeholder(value: object, seen: set[int]) -> bool:
    if value is ____:
        return True
    if id(value) in seen:
        return False
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        seen.add(id(value))
        items = value.values() if isinstance(value, dict) else value
        return any(_contains_placeholder(v, seen) for v in items)
    if isinstance(value, (types.FunctionType, types.MethodType)):
        return _code_uses_placeholder(value.__code__)
    if isinstance(value, functools.partial):
        seen.add(id(value))
        return _contains_placeholder(value.func, seen)
    return False


def _code_uses_placeholder(code: types.CodeType) -> bool:
    if "____" in code.co_names:
        return True
    return any(_code_uses_placeholder(c) for c in code.co_consts if isinstance(c, types.CodeType))


class Incorrect(Exception):
    """Raised by a custom checker with the message the student should read."""


# --------------------------------------------------------------------------------------
# Feedback objects: what check(), hint() and solution() return
# --------------------------------------------------------------------------------------

_STYLES = {
    "correct": ("Correct", "#009E73"),
    "incorrect": ("Incorrect", "#D55E00"),
    "unattempted": ("Not attempted yet", "#E69F00"),
    "discussion": ("Thank you: here is our discussion", "#0072B2"),
    "hint": ("Hint", "#56B4E9"),
    "solution": ("Solution", "#CC79A7"),
}


@dataclass(frozen=True)
class Feedback:
    """The result of ``check()``, ``hint()`` or ``solution()``.

    ``status`` is one of correct, incorrect, unattempted, discussion, hint, solution;
    ``message`` is the text; ``code`` optional code to show (solutions).
    """

    status: str
    message: str
    title: str = ""
    code: str = ""

    def __post_init__(self) -> None:
        if self.status not in _STYLES:
            raise ValueError(f"status must be one of {sorted(_STYLES)}, got {self.status!r}")

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def heading(self) -> str:
        label = _STYLES[self.status][0]
        return f"{label} ({self.title})" if self.title else label

    def __str__(self) -> str:
        parts = [f"{self.heading()}: {self.message}" if self.message else self.heading()]
        if self.code:
            parts.append(textwrap.indent(self.code.strip("\n"), "    "))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = _STYLES[self.status][1]
        body = f"<b style='color:{colour}'>{html.escape(self.heading())}</b>"
        if self.message:
            body += f" {html.escape(self.message)}"
        if self.code:
            body += f"<pre style='margin:6px 0 0 0'>{html.escape(self.code.strip())}</pre>"
        return f"<div style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>{body}</div>"


# --------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------


class ProblemDefinitionError(TypeError):
    """A problem is defined wrongly (an author's mistake, not a student's): raised when the
    problem is created, or by ``check()`` for data built lazily (``cases=`` or ``expected=``
    given as a function)."""


def _forgot_return(name: str) -> str:
    return f"`{name}` returned None: did you forget to `return` the result?"


def _require_text(value: Any, what: str, title: str, *, empty_ok: bool = False) -> None:
    if not isinstance(value, str):
        raise ProblemDefinitionError(f"{title!r}: {what} must be a str, got {type(value).__name__} {value!r}")
    if not empty_ok and not value.strip():
        raise ProblemDefinitionError(f"{title!r}: {what} must not be empty")


def _require_texts(value: Any, what: str, title: str) -> None:
    """``value`` is a list or tuple of non-empty strings (one string alone is a mistake)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ProblemDefinitionError(
            f"{title!r}: {what} must be a list of strings, got {type(value).__name__} {_describe(value)}"
            + (" (one string: wrap it in a list)" if isinstance(value, str) else "")
        )
    for i, item in enumerate(value):
        _require_text(item, f"{what}[{i}]", title)


def _safe_text(exc: BaseException, limit: int = 240) -> str:
    """``"Type: message"`` on one line, shortened; never raises."""
    try:
        text = " ".join(str(exc).split())
    except Exception:  # an exception whose __str__ itself fails
        return type(exc).__name__
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(kw_only=True)
class Problem:
    """Base class. Subclasses implement :meth:`_check`, returning a message when correct
    and raising :class:`Incorrect` with specific feedback when not.

    ``answer_name`` is the variable (or function) the starter code defines; ``reference``
    is the solution code that defines it (``solution()`` shows it); ``setup`` is the context the notebook has already
    run (imports, loaded data); ``mistakes`` are typical wrong solutions, as code, including
    adversarial ones of the kind the topic invites (a wildcard, a pattern that matches half a
    number, a type a library silently accepts); ``alternatives`` are other correct solutions,
    as code, that must pass too. ``known_errors`` pairs a fragment of an error
    (``"KeyError"``, ``"OperationalError: near"``) with its usual cause, told to a student
    whose answer raises an error containing it. Hints go from the concept to the formula or
    code; feedback on a wrong answer says what is wrong without printing the solution.

    A definition that is wrong (hints as one string, no hints, a ``known_errors`` entry that
    is not a pair of strings) raises :class:`ProblemDefinitionError` at once.
    """

    title: str
    answer_name: str
    reference: str
    hints: Sequence[str]
    setup: str = ""
    mistakes: Sequence[str] = ()
    alternatives: Sequence[str] = ()
    known_errors: Sequence[tuple[str, str]] = ()
    explanation: str = ""
    _hints_shown: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        _require_text(self.title, "title", "problem")
        if not isinstance(self.answer_name, str) or not self.answer_name.isidentifier():
            raise ValueError(f"answer_name must be a Python identifier, got {self.answer_name!r}")
        _require_texts(self.hints, "hints", self.title)
        if not self.hints:
            raise ValueError(f"{self.title!r}: give at least one hint")
        _require_text(self.reference, "reference", self.title, empty_ok=True)
        _require_text(self.setup, "setup", self.title, empty_ok=True)
        _require_text(self.explanation, "explanation", self.title, empty_ok=True)
        for what in ("mistakes", "alternatives"):
            value = getattr(self, what)
            if value:
                _require_texts(value, what, self.title)
        if isinstance(self.known_errors, (str, bytes)) or not isinstance(self.known_errors, (list, tuple)):
            raise ProblemDefinitionError(f"{self.title!r}: known_errors must be a list of (error fragment, cause) pairs")
        for pair in self.known_errors:
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
                raise ProblemDefinitionError(
                    f"{self.title!r}: each known_errors entry must be a pair of non-empty strings "
                    f"(error fragment, usual cause), got {pair!r}"
                )

    def check(self, answer: Any = ____) -> Feedback:
        """Check ``answer``; never raises (except ``KeyboardInterrupt``, to stop a run)."""
        if is_placeholder(answer):
            return Feedback(
                "unattempted",
                f"replace the ____ placeholder in `{self.answer_name}` with your answer, then check again.",
                self.title,
            )
        if answer is None:
            return Feedback(
                "incorrect",
                f"`{self.answer_name}` is None: did you forget to `return` the result in a function, "
                "or to assign it on the last line?",
                self.title,
            )
        try:
            message = self._check(answer)
        except KeyboardInterrupt:
            raise
        except Incorrect as wrong:
            return Feedback("incorrect", self._known_cause(str(wrong), wrong.__cause__), self.title)
        except ProblemDefinitionError as broken:
            return Feedback("incorrect", f"this exercise is defined wrongly (not your fault): {broken}", self.title)
        except BaseException as exc:  # the student's code raised, even SystemExit: report it, do not crash
            return Feedback("incorrect", self._explain_error(_safe_text(exc)), self.title)
        return Feedback("correct", message or self.explanation, self.title)

    def _check(self, answer: Any) -> str:
        raise NotImplementedError

    def _cause_of(self, error: str) -> str:
        """The usual cause of ``error`` (``"Type: message"``) from ``known_errors``, or ""."""
        causes = [cause for fragment, cause in self.known_errors if fragment in error]
        return causes[0] if causes else ""

    def _known_cause(self, message: str, cause: BaseException | None) -> str:
        """``message``, followed by the usual cause of the error behind it when known."""
        if cause is None or isinstance(cause, Incorrect):
            return message
        known = self._cause_of(_safe_text(cause))
        return f"{message} Usual cause: {known}" if known and known not in message else message

    def _explain_error(self, error: str) -> str:
        """The message for an answer whose code raised ``error`` (``"Type: message"``)."""
        text = f"checking your answer raised {error}"
        cause = self._cause_of(error)
        if cause:
            text += f". Usual cause: {cause}"
        return text

    def hint(self, level: int | None = None) -> Feedback:
        """Show the next hint, or hint number ``level`` (1-based). After the last hint, says
        there are no more and points at ``solution()``."""
        n = len(self.hints)
        if level is None:
            if self._hints_shown >= n:
                return Feedback(
                    "hint",
                    f"no more hints: you have seen all {n}. Call .solution() to see the reference solution, "
                    "or .hint(1) to read them again.",
                    self.title,
                )
            self._hints_shown += 1
            level = self._hints_shown
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= n:
            return Feedback("hint", f"level must be an int from 1 to {n}, got {level!r}", self.title)
        more = (f" (call hint() again for hint {level + 1} of {n})" if level < n
                else " (that was the last hint; .solution() shows the reference solution)")
        return Feedback("hint", f"{level}/{n}: {self.hints[level - 1]}{more}", self.title)

    def solution(self) -> Feedback:
        """Show the reference solution as code, with its explanation."""
        return Feedback("solution", self.explanation, self.title, code=self.solution_code())

    def solution_code(self) -> str:
        return textwrap.dedent(self.reference).strip("\n")


def _describe(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, threshold=8)
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame of shape {value.shape}"
    try:
        text = repr(value)
    except Exception:  # a repr that fails must not turn feedback into a crash
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def _as_number(answer: Any, name: str) -> float | np.ndarray:
    if answer is None:
        raise Incorrect(f"`{name}` is None: did you forget to `return` the result in a function, "
                        "or to assign it on the last line?")
    if callable(answer) and not isinstance(answer, np.ndarray):
        raise Incorrect(f"`{name}` is a function; a number is expected: call it and keep what it returns.")
    if isinstance(answer, bool):
        raise Incorrect(f"`{name}` is a bool ({answer}); a number is expected.")
    if isinstance(answer, str):
        raise Incorrect(f"`{name}` is the text {answer!r}; a number is expected, not a string.")
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Incorrect(f"`{name}` is {type(answer).__name__}, which is not a number.") from exc
    return float(value) if value.ndim == 0 else value


def _numeric(value: Any, what: str, title: str) -> float | np.ndarray:
    """``value`` as a float or a float array; an author's value of the wrong kind is refused."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, Mapping, set, frozenset)) or callable(value):
        raise ProblemDefinitionError(f"{title!r}: {what} must be a number or an array of numbers, got "
                                     f"{type(value).__name__} {_describe(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ProblemDefinitionError(f"{title!r}: {what} must be a number or an array of numbers, got "
                                     f"{type(value).__name__} {_describe(value)}") from exc
    if array.size == 0 or not np.isfinite(array).all():
        raise ProblemDefinitionError(f"{title!r}: {what} must be finite and non-empty, got {_describe(value)}")
    return float(array) if array.ndim == 0 else array


def _mistake_pairs(pairs: Any, title: str) -> list[tuple[Any, str]]:
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, (list, tuple)):
        raise ProblemDefinitionError(f"{title!r}: known_mistakes must be a list of (wrong value, message) pairs")
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str) and pair[1]):
            raise ProblemDefinitionError(f"{title!r}: each known_mistakes entry is a (wrong value, message) pair, "
                                         f"got {_describe(pair)}")
        _numeric(pair[0], "a known mistake's value", title)
    return list(pairs)


@dataclass(kw_only=True)
class ValueProblem(Problem):
    """A numeric answer (scalar or array) within ``rtol``/``atol`` of ``expected``.

    ``expected`` may be a function of no arguments, evaluated at check time (so it can be
    computed from the shipped data). ``known_mistakes`` maps a function of no arguments to
    a list of ``(wrong value, message)`` pairs: an answer matching one gets that message.
    """

    expected: float | Sequence[float] | Callable[[], Any] = 0.0
    rtol: float = 1e-3
    atol: float = 1e-9
    known_mistakes: Callable[[], Sequence[tuple[Any, str]]] | Sequence[tuple[Any, str]] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ProblemDefinitionError(f"{self.title!r}: {name} must be a finite number, got {value!r}")
        if self.rtol < 0 or self.atol < 0:
            raise ValueError(f"tolerances must be >= 0, got rtol={self.rtol}, atol={self.atol}")
        if not callable(self.expected):
            _numeric(self.expected, "expected", self.title)
        if not callable(self.known_mistakes):
            _mistake_pairs(self.known_mistakes, self.title)

    def expected_value(self) -> float | np.ndarray:
        value = self.expected() if callable(self.expected) else self.expected
        return _numeric(value, "expected", self.title)

    def _close(self, a: float | np.ndarray, b: float | np.ndarray) -> bool:
        return bool(np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=self.rtol, atol=self.atol))

    def _check(self, answer: Any) -> str:
        got = _as_number(answer, self.answer_name)
        want = self.expected_value()
        if self._close(got, want):
            return self.explanation or f"`{self.answer_name}` = {_describe(got)}{self.unit}."
        mistakes = self.known_mistakes() if callable(self.known_mistakes) else self.known_mistakes
        for value, message in _mistake_pairs(mistakes, self.title):
            wrong = np.asarray(value, dtype=float)
            if self._close(got, float(wrong) if wrong.ndim == 0 else wrong):
                raise Incorrect(message)
        if np.shape(got) != np.shape(want):
            if np.ndim(want) == 0:
                raise Incorrect(f"`{self.answer_name}` holds {np.size(got)} values; a single number is expected.")
            raise Incorrect(f"`{self.answer_name}` has shape {np.shape(got)}, expected {np.shape(want)}.")
        if isinstance(got, float):
            if math.isnan(got):
                raise Incorrect(f"`{self.answer_name}` is NaN: look for a division by zero or missing values.")
            direction = "too high" if got > want else "too low"
            size = abs(got - want) / max(abs(want), 1e-12)
            how = "far" if size > 0.5 else "a little"
            raise Incorrect(f"`{self.answer_name}` = {_describe(got)}{self.unit} is {how} {direction}.")
        bad = ~np.isclose(got, want, rtol=self.rtol, atol=self.atol)
        raise Incorrect(f"{int(bad.sum())} of {bad.size} values of `{self.answer_name}` are off.")


@dataclass(frozen=True)
class Case:
    """One test case of a :class:`FunctionProblem`.

    ``expected`` is compared with tolerance (numbers, arrays, frames) or equality; set
    ``raises`` to an exception type when the call must raise it instead. ``why`` is told
    to the student when the case fails.
    """

    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    expected: Any = None
    raises: type[BaseException] | None = None
    why: str = ""
    rtol: float = 1e-6
    atol: float = 1e-9

    def __post_init__(self) -> None:
        if not isinstance(self.args, tuple):
            raise ProblemDefinitionError(
                f"Case args must be a tuple, got {type(self.args).__name__} {_describe(self.args)}"
                + (" (a one-element tuple needs a comma: (x,))" if not isinstance(self.args, list) else "")
            )
        if not isinstance(self.kwargs, Mapping) or not all(isinstance(k, str) for k in self.kwargs):
            raise ProblemDefinitionError(f"Case kwargs must be a mapping of names to values, got {self.kwargs!r}")
        if self.raises is not None and not (isinstance(self.raises, type) and issubclass(self.raises, BaseException)):
            raise ProblemDefinitionError(f"Case raises must be an exception class or None, got {self.raises!r}")
        if self.raises is not None and self.expected is not None:
            raise ProblemDefinitionError("a Case either expects a value or raises, not both")
        if not isinstance(self.why, str):
            raise ProblemDefinitionError(f"Case why must be a str, got {type(self.why).__name__}")


def _equal(got: Any, want: Any, rtol: float, atol: float) -> bool:
    if isinstance(want, pd.DataFrame):
        if not isinstance(got, pd.DataFrame):
            return False
        try:
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False, rtol=rtol, atol=atol
            )
        except AssertionError:
            return False
        return True
    if isinstance(want, pd.Series):
        got = pd.Series(got) if not isinstance(got, pd.Series) else got
        return _equal(got.to_numpy(), want.to_numpy(), rtol, atol)
    if want is None:
        return got is None
    if isinstance(want, bool):
        return isinstance(got, (bool, np.bool_)) and bool(got) == want
    if isinstance(want, (str, bytes)):
        return isinstance(got, type(want)) and got == want
    if isinstance(want, (set, frozenset)):
        return set(got) == set(want) if isinstance(got, (set, frozenset, list, tuple)) else False
    if isinstance(want, Mapping):
        return isinstance(got, Mapping) and set(got) == set(want) and all(
            _equal(got[k], want[k], rtol, atol) for k in want
        )
    try:
        g = np.asarray(got, dtype=float)
        w = np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return bool(got == want)
    return g.shape == w.shape and bool(np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True))


def _call_text(name: str, case: Case) -> str:
    parts = [_describe(a) for a in case.args] + [f"{k}={_describe(v)}" for k, v in case.kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _valid_cases(cases: Any, title: str) -> list[Case]:
    if isinstance(cases, (str, bytes, Case)) or not isinstance(cases, (list, tuple)):
        raise ProblemDefinitionError(f"{title!r}: cases must be a list of Case, got {type(cases).__name__}")
    if not cases:
        raise ProblemDefinitionError(f"{title!r}: a FunctionProblem needs at least one Case")
    bad = [c for c in cases if not isinstance(c, Case)]
    if bad:
        raise ProblemDefinitionError(f"{title!r}: every case must be a Case, got {_describe(bad[0])}")
    return list(cases)


@dataclass(kw_only=True)
class FunctionProblem(Problem):
    """A function that must pass every :class:`Case`; ``cases`` may be a function of no
    arguments returning the cases (to build them from the shipped data)."""

    cases: Sequence[Case] | Callable[[], Sequence[Case]] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not callable(self.cases):
            _valid_cases(self.cases, self.title)

    def _check(self, answer: Any) -> str:
        if not callable(answer):
            raise Incorrect(f"`{self.answer_name}` should be a function, got {type(answer).__name__}.")
        cases = _valid_cases(self.cases() if callable(self.cases) else self.cases, self.title)
        for case in cases:
            call = _call_text(self.answer_name, case)
            why = f" {case.why}" if case.why else ""
            try:
                got = answer(*case.args, **dict(case.kwargs))
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                if case.raises is not None and isinstance(exc, case.raises):
                    continue
                error = _safe_text(exc)
                cause = self._cause_of(error)
                if cause:
                    raise Incorrect(f"{call} raised {error}. Usual cause: {cause}") from exc
                expected = f"should raise {case.raises.__name__}" if case.raises else "should not raise"
                raise Incorrect(f"{call} raised {error}; it {expected}.{why}") from exc
            if case.raises is not None:
                if got is None:
                    raise Incorrect(f"{call} returned None; it should raise {case.raises.__name__}.{why}")
                raise Incorrect(f"{call} returned {_describe(got)}; it should raise {case.raises.__name__}.{why}")
            if is_placeholder(got):
                raise Incorrect(f"{call} returned the ____ placeholder: finish the function body.")
            if got is None and case.expected is not None:
                raise Incorrect(f"{call} returned None: did you forget to `return` the result?")
            if not _equal(got, case.expected, case.rtol, case.atol):
                raise Incorrect(f"{call} returned {_describe(got)}, expected {_describe(case.expected)}.{why}")
        return self.explanation or f"`{self.answer_name}` passed all {len(cases)} test cases."


class _CallRecorder:
    """Wraps a student's function for a custom checker and remembers what its calls returned,
    so that a function that never returns anything is diagnosed as a forgotten ``return``."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.returned = 0
        self.returned_none = 0

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = func(*args, **kwargs)
            self.returned += 1
            self.returned_none += result is None
            return result

        self.wrapper = wrapper

    @property
    def never_returned_anything(self) -> bool:
        return self.returned > 0 and self.returned == self.returned_none


@dataclass(kw_only=True)
class CustomProblem(Problem):
    """Any behavioural check: ``checker(answer)`` raises :class:`Incorrect` with specific
    feedback, or returns a message (or None) when the answer is right."""

    checker: Callable[[Any], str | None] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if not callable(self.checker):
            raise ProblemDefinitionError(f"{self.title!r}: checker must be callable")

    def _check(self, answer: Any) -> str:
        assert self.checker is not None
        if not isinstance(answer, (types.FunctionType, types.MethodType, functools.partial)):
            return self.checker(answer) or ""
        recorder = _CallRecorder(answer)
        try:
            return self.checker(recorder.wrapper) or ""
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if recorder.never_returned_anything:  # every call gave None: the usual cause is a missing return
                raise Incorrect(_forgot_return(self.answer_name)) from exc
            raise


@dataclass(kw_only=True)
class ReflectionProblem(Problem):
    """A question to think about: checking any written answer reveals our discussion.

    There is no right answer to test; an empty or one-word answer is sent back.
    """

    discussion: str = ""
    min_words: int = 5

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.discussion, str) or not self.discussion.strip():
            raise ValueError(f"{self.title!r}: a reflection needs its discussion (a non-empty str)")

    def check(self, answer: Any = ____) -> Feedback:
        if is_placeholder(answer) or not isinstance(answer, str) or not answer.strip():
            return Feedback(
                "unattempted",
                f"write your answer as text in `{self.answer_name}` (a few sentences), then check again.",
                self.title,
            )
        if len(answer.split()) < self.min_words:
            return Feedback(
                "unattempted", f"write at least {self.min_words} words: explain your reasoning.", self.title
            )
        return Feedback("discussion", self.discussion, self.title)

    def solution(self) -> Feedback:
        return Feedback("solution", self.discussion, self.title)


# --------------------------------------------------------------------------------------
# Quiz questions: multiple choice and numeric, each wrong answer with its own feedback
# --------------------------------------------------------------------------------------

_QUIZ_HINTS = (
    "Read every option as a claim and ask which of them the lesson showed, by a measurement or a proof.",
    "Each wrong option is a common misconception: if you are unsure, check() an option and read why it is wrong.",
)
_LETTER = re.compile(r"^\(?([a-z])[).:]?$")


def _normal_text(text: str) -> str:
    """Text compared case- and whitespace-insensitively."""
    return " ".join(text.split()).casefold()


def _choice_text(value: Any) -> str:
    """``value`` shown in one short line of feedback; never raises."""
    text = _describe(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(kw_only=True)
class ChoiceProblem(Problem):
    """A multiple-choice quiz question: one correct option, and for **every** wrong option
    its own feedback naming the misconception behind it.

    ``options`` maps lower-case letters to option texts (``{"a": "...", "b": "..."}``);
    ``correct`` is the right letter; ``feedback`` maps each wrong letter to what is wrong
    with it; ``explanation`` says why the right option is right (shown when it is chosen).

    The answer is the letter of an option, case- and whitespace-insensitive (``"b"``,
    ``" B "``, ``"(b)"`` and ``"b)"`` all mean b), or the exact text of an option (also
    case- and whitespace-insensitive). An empty text counts as not attempted, like the
    ``____`` placeholder. Anything else (a number, a list, a letter with no option) is
    answered with what to give instead; ``check()`` never raises.

    ``answer_name``, ``reference``, ``hints``, ``mistakes`` and ``alternatives`` default to
    values built from the options, so a question needs only its text, options, correct
    letter, feedback and explanation; a ChoiceProblem placed in a ``lessonNN`` module passes
    ``tests/test_exercises.py`` like any other problem. A definition mistake (fewer than two
    options, a key that is not one lower-case letter, two options with the same text, a
    ``correct`` letter that is not an option, a wrong option without feedback, feedback for
    the right option or for no option, two wrong options with the same feedback, no
    explanation) raises :class:`ProblemDefinitionError` when the question is defined.
    """

    question: str
    options: Mapping[str, str]
    correct: str
    feedback: Mapping[str, str]
    answer_name: str = "answer"
    reference: str = ""
    hints: Sequence[str] = ()

    def __post_init__(self) -> None:
        _require_text(self.title, "title", "question")
        _require_text(self.question, "question", self.title)
        self._validate_options()
        if not self.hints:
            self.hints = list(_QUIZ_HINTS)
        if not self.reference:
            self.reference = f"{self.answer_name} = {self.correct!r}"
        if not self.mistakes:
            self.mistakes = [f"{self.answer_name} = {letter!r}" for letter in self.wrong_letters]
        if not self.alternatives:
            self.alternatives = [f"{self.answer_name} = {self.correct.upper()!r}",
                                 f"{self.answer_name} = {self.options[self.correct]!r}"]
        super().__post_init__()
        _require_text(self.explanation, "explanation (why the right option is right)", self.title)

    def _validate_options(self) -> None:
        title = self.title
        if not isinstance(self.options, Mapping) or len(self.options) < 2:
            raise ProblemDefinitionError(f"{title!r}: options must be a mapping of at least two letters to texts, "
                                         f"got {_describe(self.options)}")
        seen: dict[str, str] = {}
        for letter, text in self.options.items():
            if not (isinstance(letter, str) and len(letter) == 1 and "a" <= letter <= "z"):
                raise ProblemDefinitionError(f"{title!r}: option keys must be single lower-case letters, "
                                             f"got {letter!r}")
            _require_text(text, f"option {letter!r}", title)
            key = _normal_text(text)
            if key in seen:
                raise ProblemDefinitionError(f"{title!r}: options {seen[key]!r} and {letter!r} have the same "
                                             f"text {text!r}")
            seen[key] = letter
        if not isinstance(self.correct, str) or self.correct not in self.options:
            raise ProblemDefinitionError(f"{title!r}: correct must be one of the option letters "
                                         f"{sorted(self.options)}, got {self.correct!r}")
        if not isinstance(self.feedback, Mapping):
            raise ProblemDefinitionError(f"{title!r}: feedback must map each wrong letter to its message, "
                                         f"got {type(self.feedback).__name__}")
        if self.correct in self.feedback:
            raise ProblemDefinitionError(f"{title!r}: feedback is for wrong options; the right option {self.correct!r} "
                                         "is explained by explanation")
        unknown = sorted(str(k) for k in self.feedback if k not in self.options)
        if unknown:
            raise ProblemDefinitionError(f"{title!r}: feedback for options that do not exist: {unknown}")
        messages: dict[str, str] = {}
        for letter in self.wrong_letters:
            if letter not in self.feedback:
                raise ProblemDefinitionError(f"{title!r}: wrong option {letter!r} has no feedback: say which "
                                             "misconception it stands for")
            message = self.feedback[letter]
            _require_text(message, f"feedback for {letter!r}", title)
            if _normal_text(message) in messages:
                raise ProblemDefinitionError(f"{title!r}: options {messages[_normal_text(message)]!r} and {letter!r} "
                                             "have the same feedback; each misconception needs its own")
            messages[_normal_text(message)] = letter

    @property
    def wrong_letters(self) -> list[str]:
        """The letters of the wrong options, in order."""
        return [letter for letter in self.options if letter != self.correct]

    def check(self, answer: Any = ____) -> Feedback:
        """Check a letter (or an option's text); never raises."""
        if isinstance(answer, str) and not answer.strip():
            return Feedback("unattempted", f"write the letter of one option ({self._letters()}), then check again.",
                            self.title)
        return super().check(answer)

    def _letters(self) -> str:
        return ", ".join(self.options)

    def letter_of(self, answer: Any) -> str | None:
        """The option letter ``answer`` names, or None when it names none; never raises."""
        if not isinstance(answer, str) or len(answer) > 10_000:
            return None
        text = _normal_text(answer)
        match = _LETTER.match(text)
        if match and match.group(1) in self.options:
            return match.group(1)
        by_text = {_normal_text(t): letter for letter, t in self.options.items()}
        return by_text.get(text)

    def _check(self, answer: Any) -> str:
        letter = self.letter_of(answer)
        if letter is None:
            if not isinstance(answer, str):
                raise Incorrect(f"give the letter of one option as text ({self._letters()}), "
                                f"not {type(answer).__name__} {_choice_text(answer)}.")
            match = _LETTER.match(_normal_text(answer)) if len(answer) <= 10_000 else None
            if match:
                raise Incorrect(f"there is no option {match.group(1)!r}: choose one of {self._letters()}.")
            raise Incorrect(f"{_choice_text(answer)} is neither an option's letter nor its text: "
                            f"choose one of {self._letters()}.")
        if letter != self.correct:
            raise Incorrect(f"({letter}) {self.feedback[letter]}")
        return f"({letter}) {self.explanation}"

    def solution(self) -> Feedback:
        """The right letter and why."""
        return Feedback("solution", f"({self.correct}) {self.options[self.correct]}. {self.explanation}", self.title,
                        code=self.solution_code())

    def render(self, number: int | None = None, *, markdown: bool = False) -> str:
        """The question and its options as text (or Markdown), numbered when ``number`` is given."""
        head = f"{number}. " if number is not None else ""
        if markdown:
            lines = [f"**{head}{self.question}**", ""]
            lines += [f"- **{letter})** {text}" for letter, text in self.options.items()]
        else:
            lines = [f"{head}{self.question}"]
            lines += [f"   {letter}) {text}" for letter, text in self.options.items()]
        return "\n".join(lines)


@dataclass(kw_only=True)
class NumericProblem(ValueProblem):
    """A numeric quiz question: one number within ``rtol``/``atol`` of ``expected``, and
    ``known_mistakes``, the wrong numbers that misconceptions produce, each with its own
    feedback. Other wrong numbers are told whether they are too high or too low.

    ``expected`` is a fixed number here (a quiz question is answered from the lesson, not
    computed). A definition mistake (no known mistake, a known mistake within the tolerance of
    the right answer, two known mistakes with the same value or message, no explanation)
    raises :class:`ProblemDefinitionError` when the question is defined.
    """

    question: str
    answer_name: str = "answer"
    reference: str = ""
    hints: Sequence[str] = ()

    def __post_init__(self) -> None:
        _require_text(self.title, "title", "question")
        _require_text(self.question, "question", self.title)
        if callable(self.expected):
            raise ProblemDefinitionError(f"{self.title!r}: a numeric quiz question needs a fixed expected number")
        if np.ndim(_numeric(self.expected, "expected", self.title)) != 0:
            raise ProblemDefinitionError(f"{self.title!r}: a numeric quiz question expects one number, "
                                         f"got {_describe(self.expected)}")
        if not self.hints:
            self.hints = list(_QUIZ_HINTS)
        if not self.reference:
            self.reference = f"{self.answer_name} = {self.expected!r}"
        if callable(self.known_mistakes) or not self.known_mistakes:
            raise ProblemDefinitionError(f"{self.title!r}: give known_mistakes, the wrong numbers misconceptions "
                                         "produce, each with its own message")
        _mistake_pairs(self.known_mistakes, self.title)
        if not self.mistakes:
            self.mistakes = [f"{self.answer_name} = {value!r}" for value, _ in self.known_mistakes]
        if not self.alternatives:
            self.alternatives = [f"{self.answer_name} = {float(self.expected)!r}"]
        super().__post_init__()
        _require_text(self.explanation, "explanation (why the right answer is right)", self.title)
        want = self.expected_value()
        values, messages = [], set()
        for value, message in self.known_mistakes:
            wrong = float(_numeric(value, "a known mistake's value", self.title))
            if self._close(wrong, want):
                raise ProblemDefinitionError(f"{self.title!r}: known mistake {wrong:g} is within the tolerance of the "
                                             f"right answer {want:g}")
            if any(self._close(wrong, other) for other in values):
                raise ProblemDefinitionError(f"{self.title!r}: known mistake {wrong:g} is listed twice")
            if _normal_text(message) in messages:
                raise ProblemDefinitionError(f"{self.title!r}: two known mistakes have the same message; each "
                                             "misconception needs its own")
            values.append(wrong)
            messages.add(_normal_text(message))

    def render(self, number: int | None = None, *, markdown: bool = False) -> str:
        """The question as text (or Markdown), numbered when ``number`` is given."""
        head = f"{number}. " if number is not None else ""
        unit = f" (in {self.unit.strip()})" if self.unit.strip() else ""
        if markdown:
            return f"**{head}{self.question}**\n\n- *Answer with a number{unit}.*"
        return f"{head}{self.question}\n   (answer with a number{unit})"


QuizQuestion = ChoiceProblem | NumericProblem


def _question_number(key: Any, total: int) -> int | None:
    """The 1-based question number a key of the answers dict names (1, "1", "q1", "Q1"), or None."""
    if isinstance(key, bool):
        return None
    if isinstance(key, (int, np.integer)):
        number = int(key)
    elif isinstance(key, str) and len(key) <= 12:
        text = key.strip().lower().removeprefix("q").strip()
        if not text.isdigit():
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= total else None


@dataclass(frozen=True)
class QuizResult:
    """What :meth:`Quiz.check` returns: one :class:`Feedback` per question, the score, and
    notes about the answers (keys that name no question). Renders as text and as HTML."""

    title: str
    results: tuple[Feedback, ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def score(self) -> int:
        """The number of correct answers."""
        return sum(f.correct for f in self.results)

    @property
    def answered(self) -> int:
        """The number of questions answered (right or wrong)."""
        return sum(f.status != "unattempted" for f in self.results)

    def summary(self) -> str:
        return f"{self.title}: {self.score} of {self.total} correct ({self.answered} answered)"

    def __str__(self) -> str:
        lines = [self.summary()]
        lines += [f"{i}. {feedback}" for i, feedback in enumerate(self.results, start=1)]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self.summary())}</b></p>"]
        for i, feedback in enumerate(self.results, start=1):
            parts.append(feedback._repr_html_().replace("'>", f"'><b>{i}.</b> ", 1))
        parts += [f"<p><i>Note: {html.escape(note)}</i></p>" for note in self.notes]
        return "\n".join(parts)


class Quiz:
    """A lesson's quiz: 5 to 8 :class:`ChoiceProblem` or :class:`NumericProblem` questions,
    numbered from 1, taken before and after the lesson. ``name`` is the variable the notebook
    binds it to (``quiz04``), used in the instructions it shows.

    In a notebook a quiz shows itself (Markdown in JupyterLab, plain text elsewhere); the
    student answers with an explicit dict, ``quiz.check({1: "b", 2: 0.25})``, keyed by
    question number (``1``, ``"1"`` or ``"q1"``). Unanswered questions (missing, ``____``,
    ``None`` or empty text) count as not attempted, so partial answers are fine; keys that
    name no question are reported in a note. ``check()`` never raises: anything that is not
    a dict is answered with what to give instead.
    """

    MIN_QUESTIONS = 5
    MAX_QUESTIONS = 8

    def __init__(self, title: str, questions: Sequence[QuizQuestion], *, name: str = "quiz") -> None:
        _require_text(title, "title", "quiz")
        if not isinstance(name, str) or not name.isidentifier():
            raise ProblemDefinitionError(f"{title!r}: name must be the quiz's variable name, got {name!r}")
        self.name = name
        if isinstance(questions, (str, bytes)) or not isinstance(questions, (list, tuple)):
            raise ProblemDefinitionError(f"{title!r}: questions must be a list of ChoiceProblem or NumericProblem")
        if not self.MIN_QUESTIONS <= len(questions) <= self.MAX_QUESTIONS:
            raise ProblemDefinitionError(f"{title!r}: a quiz has {self.MIN_QUESTIONS} to {self.MAX_QUESTIONS} "
                                         f"questions, got {len(questions)}")
        seen = set()
        for i, question in enumerate(questions, start=1):
            if not isinstance(question, (ChoiceProblem, NumericProblem)):
                raise ProblemDefinitionError(f"{title!r}: question {i} must be a ChoiceProblem or NumericProblem, "
                                             f"got {type(question).__name__}")
            key = _normal_text(question.question)
            if key in seen:
                raise ProblemDefinitionError(f"{title!r}: question {i} repeats an earlier question")
            seen.add(key)
        self.title = title
        self.questions: tuple[QuizQuestion, ...] = tuple(questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):  # noqa: ANN204
        return iter(self.questions)

    def question(self, number: int) -> QuizQuestion:
        """Question ``number`` (1-based)."""
        found = _question_number(number, len(self.questions))
        if found is None:
            raise ValueError(f"number must be a question number from 1 to {len(self.questions)}, got {number!r}")
        return self.questions[found - 1]

    def _how(self) -> str:
        letters = sorted({letter for q in self.questions if isinstance(q, ChoiceProblem) for letter in q.options})
        span = f'"{letters[0]}" to "{letters[-1]}"' if letters else "a letter"
        return (f"Answer with {self.name}.check({{1: ..., 2: ..., ...}}): for a choice the letter of an option "
                f"({span}), for a numeric question a number; leave out what you do not know.")

    def __str__(self) -> str:
        lines = [f"{self.title} ({len(self.questions)} questions)", self._how(), ""]
        for i, question in enumerate(self.questions, start=1):
            lines += [question.render(i), ""]
        return "\n".join(lines).rstrip("\n")

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        lines = [f"### {self.title}", "", f"*{self._how()}*", ""]
        for i, question in enumerate(self.questions, start=1):
            lines += [question.render(i, markdown=True), ""]
        return "\n".join(lines).rstrip("\n")

    def check(self, answers: Any = ____) -> QuizResult:
        """Feedback on each question and the score; never raises (except ``KeyboardInterrupt``)."""
        total = len(self.questions)
        given: dict[int, Any] = {}
        notes: list[str] = []
        if is_placeholder(answers) or answers is None:
            pass
        elif not isinstance(answers, Mapping):
            notes.append(f"answers must be a dict from question number to answer, such as {{1: 'b'}}, got "
                         f"{type(answers).__name__} {_choice_text(answers)}")
        else:
            try:
                items = list(answers.items())
            except Exception as exc:  # an exotic mapping whose items() fails
                items = []
                notes.append(f"could not read the answers: {_safe_text(exc)}")
            for key, value in items:
                number = _question_number(key, total)
                if number is None:
                    notes.append(f"{_choice_text(key)} is not a question number (1 to {total}): ignored")
                elif number in given:
                    notes.append(f"question {number} is answered twice: the first answer counts")
                else:
                    given[number] = value
        results = []
        for i, question in enumerate(self.questions, start=1):
            answer = given.get(i, ____)
            if answer is None or is_placeholder(answer) or (isinstance(answer, str) and not answer.strip()):
                results.append(Feedback("unattempted", "not answered yet.", f"question {i}"))
                continue
            feedback = question.check(answer)
            results.append(Feedback(feedback.status, feedback.message, f"question {i}"))
        return QuizResult(self.title, tuple(results), tuple(notes))


def problems_of(module: Any) -> dict[str, Problem]:
    """The problems a lesson module defines, by variable name (``q1``, ``q2``, ...)."""
    return {k: v for k, v in vars(module).items() if isinstance(v, Problem)}
