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


def problems_of(module: Any) -> dict[str, Problem]:
    """The problems a lesson module defines, by variable name (``q1``, ``q2``, ...)."""
    return {k: v for k, v in vars(module).items() if isinstance(v, Problem)}
