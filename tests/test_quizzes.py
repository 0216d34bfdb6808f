"""Quizzes: the engine's ChoiceProblem, NumericProblem and Quiz, and every lesson's quiz.

For every question of every quiz the right answer passes and each wrong option (or known
numeric mistake) fails with its own, specific message; definitions that break the rules
raise when they are made; check() never raises, whatever it is given; a quiz renders every
question and option.
"""
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from course_lib.exercises import (
    ChoiceProblem,
    NumericProblem,
    ProblemDefinitionError,
    Quiz,
    QuizResult,
    ____,
)
from course_lib.exercises.quizzes import QUIZZES

QUESTIONS = [(n, i, q) for n, quiz in QUIZZES.items() for i, q in enumerate(quiz, start=1)]
IDS = [f"quiz{n:02d}.Q{i}" for n, i, _ in QUESTIONS]
CHOICES = [(n, i, q) for n, i, q in QUESTIONS if isinstance(q, ChoiceProblem)]
NUMERIC = [(n, i, q) for n, i, q in QUESTIONS if isinstance(q, NumericProblem)]


def choice(**kw):
    args = dict(title="t", question="Which?", options={"a": "one", "b": "two", "c": "three"}, correct="b",
                feedback={"a": "one is the first misconception", "c": "three is the second misconception"},
                explanation="two is right because of reasons")
    args.update(kw)
    return ChoiceProblem(**args)


def numeric(**kw):
    args = dict(title="n", question="How much?", expected=28.0, rtol=0.01,
                known_mistakes=[(20.0, "used the replace-one bound"), (7.0, "multiplied by epsilon")],
                explanation="14 / 0.5")
    args.update(kw)
    return NumericProblem(**args)


def right_answer(question):
    return question.correct if isinstance(question, ChoiceProblem) else question.expected


def all_right(quiz):
    return {i: right_answer(q) for i, q in enumerate(quiz, start=1)}


# --------------------------------------------------------------------------------------
# Every lesson's quiz
# --------------------------------------------------------------------------------------


def test_every_lesson_has_a_quiz_of_five_to_eight_questions():
    assert sorted(QUIZZES) == list(range(11))
    for number, quiz in QUIZZES.items():
        assert 5 <= len(quiz) <= 8, number
        assert quiz.name == f"quiz{number:02d}"
        assert quiz.title.startswith(f"Quiz {number:02d}")


@pytest.mark.parametrize("number, index, question", CHOICES, ids=[f"quiz{n:02d}.Q{i}" for n, i, _ in CHOICES])
def test_right_option_passes_and_each_wrong_option_fails_with_its_own_message(number, index, question):
    right = question.check(question.correct)
    assert right.correct, str(right)
    assert question.explanation in right.message
    for spelled in (question.correct.upper(), f" ({question.correct}) ", question.options[question.correct].upper()):
        assert question.check(spelled).correct, spelled
    messages = {}
    for letter in question.wrong_letters:
        feedback = question.check(letter)
        assert feedback.status == "incorrect", (letter, str(feedback))
        assert feedback.message == f"({letter}) {question.feedback[letter]}"
        assert len(question.feedback[letter]) >= 30, f"feedback on ({letter}) is too short to name a misconception"
        assert question.options[question.correct] not in feedback.message, "the feedback quotes the right option"
        assert question.check(question.options[letter]).message == feedback.message  # the text works as the letter
        messages[letter] = feedback.message
    assert len(set(messages.values())) == len(messages)


@pytest.mark.parametrize("number, index, question", NUMERIC, ids=[f"quiz{n:02d}.Q{i}" for n, i, _ in NUMERIC])
def test_numeric_answer_passes_and_each_known_mistake_gets_its_own_message(number, index, question):
    assert question.check(question.expected).correct
    assert question.check(question.expected * (1 + question.rtol / 2)).correct
    seen = set()
    for value, message in question.known_mistakes:
        feedback = question.check(value)
        assert feedback.status == "incorrect" and feedback.message == message, (value, str(feedback))
        seen.add(message)
    assert len(seen) == len(question.known_mistakes)
    far = question.check(question.expected * 1000 + 1000)
    assert far.status == "incorrect" and "too high" in far.message


@pytest.mark.parametrize("number", sorted(QUIZZES))
def test_a_quiz_scores_all_right_all_wrong_and_partial_answers(number):
    quiz = QUIZZES[number]
    full = quiz.check(all_right(quiz))
    assert isinstance(full, QuizResult) and full.score == full.answered == full.total == len(quiz)
    wrong = {i: (q.wrong_letters[0] if isinstance(q, ChoiceProblem) else q.known_mistakes[0][0])
             for i, q in enumerate(quiz, start=1)}
    none_right = quiz.check(wrong)
    assert none_right.score == 0 and none_right.answered == len(quiz)
    partial = quiz.check({1: right_answer(quiz.question(1))})
    assert (partial.score, partial.answered) == (1, 1)
    assert [f.status for f in partial.results[1:]] == ["unattempted"] * (len(quiz) - 1)
    assert f"1 of {len(quiz)} correct (1 answered)" in str(partial)


@pytest.mark.parametrize("number", sorted(QUIZZES))
def test_a_quiz_renders_every_question_and_option(number):
    quiz = QUIZZES[number]
    text, markdown = str(quiz), quiz._repr_markdown_()
    assert repr(quiz) == text and quiz.title in text and quiz.title in markdown
    assert f"{quiz.name}.check(" in text
    for i, question in enumerate(quiz, start=1):
        assert f"{i}. {question.question}" in text
        assert f"**{i}. {question.question}**" in markdown
        if isinstance(question, ChoiceProblem):
            for letter, option in question.options.items():
                assert f"   {letter}) {option}" in text
                assert f"- **{letter})** {option}" in markdown
        else:
            assert "answer with a number" in text.lower() and "Answer with a number" in markdown
    assert text.count("\n1. ") == 1


def test_the_right_option_gives_itself_away_neither_by_length_nor_by_letter():
    """Test-wise students pick the longest option or the usual letter: neither may pay off."""
    questions = [q for _, _, q in CHOICES]
    longest = [q for q in questions if max(q.options, key=lambda k: len(q.options[k])) == q.correct]
    assert len(longest) <= len(questions) / 3, f"the right option is the longest in {len(longest)} of {len(questions)}"
    for letter in "abcd":
        share = sum(q.correct == letter for q in questions) / len(questions)
        assert 0.15 <= share <= 0.35, f"({letter}) is right in {share:.0%} of the questions"
    # Nor may "the second longest" (or the shortest) pay off: a fix that only pads one distractor past the
    # right option moves the tell to rank 2. Rank 1 = longest; ties count the right option as the longer.
    ranks = [1 + sum(len(text) > len(q.options[q.correct]) for text in q.options.values()) for q in questions]
    for rank in range(1, 5):
        share = ranks.count(rank) / len(questions)
        assert share <= 0.35, f"the right option is the length-rank-{rank} option in {share:.0%} of the questions"


# --------------------------------------------------------------------------------------
# Placeholders and garbage: check() never raises
# --------------------------------------------------------------------------------------


def test_placeholder_and_empty_answers_are_not_attempted():
    q, n = choice(), numeric()
    for problem in (q, n):
        assert problem.check().status == "unattempted"
        assert problem.check(____).status == "unattempted"
    assert q.check("   ").status == "unattempted"
    quiz = QUIZZES[4]
    for answers in (____, None, {}, {1: ____, 2: None, 3: "", 4: "  "}):
        result = quiz.check(answers)
        assert result.answered == 0 and result.score == 0 and not result.notes
        assert all(f.status == "unattempted" for f in result.results)
    assert quiz.check().summary() == f"{quiz.title}: 0 of {len(quiz)} correct (0 answered)"


class _Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no comparison")

    __hash__ = object.__hash__


class _BrokenMapping(Mapping):
    def __getitem__(self, key):
        raise RuntimeError("broken")

    def __iter__(self):
        raise RuntimeError("broken")

    def __len__(self):
        return 1


GARBAGE = [None, [], ["b"], ("b",), {"b"}, {"a": 1}, 2, 2.5, -1, True, False, math.nan, math.inf, b"b", "x" * 200_000,
           "b" * 10_001, "zz", "(e)", "é", "\x00", np.array(["b"]), np.float64("nan"), object(), _Unprintable(),
           lambda: "b", print, Ellipsis]


@pytest.mark.parametrize("answer", GARBAGE, ids=[type(a).__name__ + str(i) for i, a in enumerate(GARBAGE)])
def test_questions_never_raise_on_garbage(answer):
    for question in (choice(), numeric(), *[q for _, _, q in QUESTIONS[:3]], NUMERIC[0][2]):
        feedback = question.check(answer)
        assert feedback.status in {"incorrect", "unattempted"}, (answer, str(feedback))
        assert feedback.message
    assert "letter" in choice().check(2).message
    assert "no option 'e'" in choice().check("(e)").message


@pytest.mark.parametrize("answers", [
    [1, 2], "b", 3, b"x", ("b", "c"), {99: "a", 0: "b", -1: "c", "x": "d", None: "b", 2.5: "a", (1,): "b"},
    {True: "b"}, {"1": ["b"], "q2": {"a": 1}, "Q3": math.nan}, _BrokenMapping(), {_Unprintable(): "b"},
    {1: _Unprintable()}, {1: "x" * 1_000_000}, {str(i): "a" for i in range(1000)},
], ids=lambda a: type(a).__name__)
def test_a_quiz_never_raises_on_garbage(answers):
    quiz = QUIZZES[0]
    result = quiz.check(answers)
    assert isinstance(result, QuizResult) and result.total == len(quiz)
    assert str(result) and result._repr_html_()


def test_unknown_question_numbers_and_duplicates_are_reported_not_scored():
    quiz = QUIZZES[2]
    result = quiz.check({99: "a", 0: "b", "q1": right_answer(quiz.question(1)), 1: "a", "x": "b"})
    notes = " | ".join(result.notes)
    assert "99 is not a question number" in notes and "0 is not a question number" in notes
    assert "'x' is not a question number" in notes
    assert "question 1 is answered twice" in notes
    assert result.answered == 1 and result.score == 1
    assert "list" in quiz.check(["b"]).notes[0]


def test_quiz_result_renders_as_text_and_html():
    quiz = QUIZZES[1]
    result = quiz.check({1: "<script>", 2: right_answer(quiz.question(2))})
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>1.</b>" in html and "border-left" in html
    assert str(result).splitlines()[1].startswith("1. Incorrect (question 1)")


def test_quiz_question_lookup():
    quiz = QUIZZES[3]
    assert quiz.question(1) is quiz.questions[0] and quiz.question("q2") is quiz.questions[1]
    for bad in (0, len(quiz) + 1, "x", True, None):
        with pytest.raises(ValueError, match="number"):
            quiz.question(bad)


# --------------------------------------------------------------------------------------
# Definition errors raise when a question or quiz is defined
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("make, match", [
    (lambda: choice(feedback={"a": "one is the first misconception"}), "'c' has no feedback"),
    (lambda: choice(correct="d"), "correct must be one of"),
    (lambda: choice(correct=None), "correct must be one of"),
    (lambda: choice(options={"a": "one", "b": "two", "c": "One "}), "same text"),
    (lambda: choice(options={"a": "one"}, feedback={}), "at least two"),
    (lambda: choice(options={"A": "one", "b": "two", "c": "three"}), "lower-case"),
    (lambda: choice(options={"ab": "one", "b": "two", "c": "three"}), "lower-case"),
    (lambda: choice(options={"a": "", "b": "two", "c": "three"}), "option 'a'"),
    (lambda: choice(options=["one", "two"]), "mapping"),
    (lambda: choice(feedback={"a": "x misconception", "b": "y", "c": "z misconception"}), "right option"),
    (lambda: choice(feedback={"a": "one misconception", "c": "three misconception", "d": "extra"}), "do not exist"),
    (lambda: choice(feedback={"a": "Same message", "c": "same  message"}), "same feedback"),
    (lambda: choice(feedback={"a": "one misconception", "c": ""}), "feedback for 'c'"),
    (lambda: choice(feedback="a is wrong"), "feedback must map"),
    (lambda: choice(explanation=""), "explanation"),
    (lambda: choice(question=""), "question"),
    (lambda: choice(hints="one hint"), "list of strings"),
    (lambda: numeric(known_mistakes=[]), "known_mistakes"),
    (lambda: numeric(known_mistakes=[(28.1, "close to the answer")]), "within the tolerance"),
    (lambda: numeric(known_mistakes=[(20.0, "a"), (20.0, "b")]), "listed twice"),
    (lambda: numeric(known_mistakes=[(20.0, "same"), (7.0, "Same")]), "same message"),
    (lambda: numeric(known_mistakes=[(20.0,)]), "known_mistakes"),
    (lambda: numeric(known_mistakes=[("twenty", "text")]), "known mistake"),
    (lambda: numeric(expected=lambda: 28.0), "fixed expected"),
    (lambda: numeric(expected=[1.0, 2.0]), "one number"),
    (lambda: numeric(expected="28"), "expected"),
    (lambda: numeric(explanation=""), "explanation"),
    (lambda: Quiz("q", [choice(question=f"Q{i}?") for i in range(4)]), "5 to 8"),
    (lambda: Quiz("q", [choice(question=f"Q{i}?") for i in range(9)]), "5 to 8"),
    (lambda: Quiz("q", [choice()] * 5), "repeats"),
    (lambda: Quiz("q", [choice(question=f"Q{i}?") for i in range(4)] + ["not a question"]), "ChoiceProblem"),
    (lambda: Quiz("q", "five questions"), "list"),
    (lambda: Quiz("", [choice(question=f"Q{i}?") for i in range(5)]), "title"),
    (lambda: Quiz("q", [choice(question=f"Q{i}?") for i in range(5)], name="quiz 04"), "name"),
])
def test_definition_mistakes_raise_when_defined(make, match):
    with pytest.raises(ProblemDefinitionError, match=match):
        make()


def test_a_choice_problem_works_like_any_other_problem():
    """Its reference, mistakes and alternatives are code, as tests/test_exercises.py runs them."""
    q = choice()
    namespace: dict = {}
    exec(q.reference, namespace)  # noqa: S102 - generated from our own definition
    assert q.check(namespace[q.answer_name]).correct
    for code in q.mistakes:
        exec(code, namespace)  # noqa: S102
        assert q.check(namespace[q.answer_name]).status == "incorrect"
    for code in q.alternatives:
        exec(code, namespace)  # noqa: S102
        assert q.check(namespace[q.answer_name]).correct
    assert q.hint(1).status == "hint" and len(q.hints) >= 2
    solution = q.solution()
    assert solution.status == "solution" and solution.message.startswith("(b) two") and "answer = 'b'" in solution.code
    n = numeric()
    assert n.solution().code == "answer = 28.0" and n.check(n.expected).message == "14 / 0.5"


def test_the_quiz_engine_can_fail():
    """The checks above would catch a question whose wrong options share a message or pass."""
    with pytest.raises(ProblemDefinitionError):
        choice(feedback={"a": "identical words here", "c": "identical words here"})
    q = choice()
    assert not q.check("a").correct and q.check("a").message != q.check("c").message
    assert re.fullmatch(r"\(a\) .+", q.check("a").message)


# --- every lesson carries its quiz, before and after ------------------------------------------

LESSON_NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_shows_its_quiz_before_and_checks_it_after(path):
    import ast
    import json

    number = int(path.name[:2])
    name = f"quiz{number:02d}"
    quiz = QUIZZES[number]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    kinds = [c["cell_type"] for c in cells]

    def index(predicate, what):
        found = [i for i, s in enumerate(sources) if predicate(i, s)]
        assert len(found) == 1, f"{path.name}: expected one {what}, found {len(found)}"
        return found[0]

    setup = min(i for i, s in enumerate(sources) if kinds[i] == "code" and "course_lib.exercises" in s)
    shown = index(lambda i, s: kinds[i] == "code" and s.strip().endswith(f"\n\n{name}")
                  and f"from course_lib.exercises.quizzes import {name}" in s, "cell showing the quiz")
    before = index(lambda i, s: kinds[i] == "code" and s.startswith("quiz_before = "), "quiz_before cell")
    after = index(lambda i, s: kinds[i] == "code" and f"{name}.check(quiz_after)" in s, "after-lesson check")
    key_points = index(lambda i, s: kinds[i] == "markdown" and s.lstrip().startswith("## Key points"),
                       "Key points")
    assert setup < shown < before < after < key_points, f"{path.name}: quiz cells out of order"
    exercises = min(i for i, s in enumerate(sources) if kinds[i] == "markdown" and s.startswith("## Exercises"))
    assert before < exercises < after, f"{path.name}: before the lesson's sections, and again after the exercises"
    for i in (before, after):
        answers = ast.parse(sources[i]).body[0].value
        keys = [k.value for k in answers.keys]
        assert keys == list(range(1, len(quiz.questions) + 1)), f"{path.name}: one blank per question, got {keys}"
        assert all(isinstance(v, ast.Name) and v.id == "____" for v in answers.values)
    for i in (shown, before, after):
        assert cells[i]["metadata"]["slideshow"]["slide_type"] == "skip", "the quiz is for the notebook, not the deck"
