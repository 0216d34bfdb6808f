"""Every lesson's exercises: the reference solution and every correct alternative pass,
each typical or adversarial mistake fails without its feedback giving the solution away,
every known error's cause is reachable, and the placeholder counts as not attempted.
Lessons are discovered automatically."""
import importlib
import pkgutil
import re

import pytest

import course_lib.exercises as engine
from course_lib.exercises import Problem, ReflectionProblem, ____, problems_of

MODULES = sorted(m.name for m in pkgutil.iter_modules(engine.__path__) if m.name.startswith("lesson"))
PROBLEMS = [
    (module, name, problem)
    for module in MODULES
    for name, problem in problems_of(importlib.import_module(f"course_lib.exercises.{module}")).items()
]
IDS = [f"{m}.{n}" for m, n, _ in PROBLEMS]
CHECKED = [p for p in PROBLEMS if not isinstance(p[2], ReflectionProblem)]
CHECKED_IDS = [f"{m}.{n}" for m, n, _ in CHECKED]
WITH_KNOWN_ERRORS = [p for p in CHECKED if p[2].known_errors]


def _run(problem: Problem, code: str):
    namespace: dict = {}
    exec(problem.setup + "\n" + code, namespace)  # noqa: S102 - our own reference code
    assert problem.answer_name in namespace, f"the code does not define {problem.answer_name}"
    return namespace[problem.answer_name]


def test_every_lesson_has_three_checked_exercises_and_a_reflection():
    assert MODULES, "no lessonNN modules found"
    for module in MODULES:
        kinds = [p for m, _, p in PROBLEMS if m == module]
        assert sum(not isinstance(p, ReflectionProblem) for p in kinds) >= 3, module
        assert any(isinstance(p, ReflectionProblem) for p in kinds), module


@pytest.mark.parametrize("module, name, problem", CHECKED, ids=CHECKED_IDS)
def test_reference_solution_passes(module, name, problem):
    feedback = problem.check(_run(problem, problem.reference))
    assert feedback.correct, str(feedback)


@pytest.mark.filterwarnings("ignore::UserWarning")  # a deliberate mistake may warn, as it would for a student
@pytest.mark.parametrize("module, name, problem", CHECKED, ids=CHECKED_IDS)
def test_typical_mistakes_fail(module, name, problem):
    assert problem.mistakes, f"{module}.{name} has no typical mistake to test"
    for code in problem.mistakes:
        feedback = problem.check(_run(problem, code))
        assert feedback.status == "incorrect", f"mistake passed:\n{code}\n{feedback}"
        assert feedback.message, "feedback must say what is wrong"


@pytest.mark.parametrize("module, name, problem", CHECKED, ids=CHECKED_IDS)
def test_correct_alternatives_pass(module, name, problem):
    assert problem.alternatives, f"{module}.{name} has no alternative correct solution to test"
    for code in problem.alternatives:
        feedback = problem.check(_run(problem, code))
        assert feedback.correct, f"a correct alternative failed:\n{code}\n{feedback}"


def _normalise(code: str) -> str:
    """Code without comments, whitespace or quote style, to compare with feedback text."""
    code = re.sub(r"#[^\n]*", "", code)
    return re.sub(r"\s+", "", code).replace("'", '"').replace("`", "")


def _solution_lines(problem: Problem) -> list[str]:
    """The reference's lines that carry the answer (not its signature, imports or blank lines).

    Names the student is given (the answer's name, every name the setup defines, string
    literals such as column names) are taken out: feedback may say `forest_explanation` or
    "research_consent" without giving the solution away.
    """
    given = {problem.answer_name, *re.findall(r"\b([A-Za-z_]\w{3,})\s*=", problem.setup)}
    lines = [_normalise(line) for line in problem.solution_code().splitlines()]
    kept = []
    for line in lines:
        if not line or line.startswith(("def", "import", "from")):
            continue
        for name in sorted(given, key=len, reverse=True):
            line = re.sub(rf"\b{re.escape(name)}\b", "", line)
        line = re.sub(r'"[^"]*"', '""', line)  # a column name in the feedback is not the solution
        kept.append(line)
    return kept


def _share_given_away(lines: list[str], feedback: str) -> float:
    """The share of the solution's characters that appear in ``feedback`` in runs of >= 8."""
    body, text, covered, i = "".join(lines), _normalise(feedback), 0, 0
    while i < len(body):
        length = 0
        while i + length < len(body) and body[i: i + length + 1] in text:
            length += 1
        if length >= 8:
            covered, i = covered + length, i + length
        else:
            i += 1
    return covered / max(len(body), 1)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("module, name, problem", CHECKED, ids=CHECKED_IDS)
def test_feedback_on_a_mistake_never_gives_the_solution_away(module, name, problem):
    lines = _solution_lines(problem)
    for code in problem.mistakes:
        message = problem.check(_run(problem, code)).message
        whole = [line for line in lines if len(line) >= 12 and line in _normalise(message)]
        assert not whole, f"the feedback on this mistake prints a line of the solution {whole}:\n{code}\n{message}"
        share = _share_given_away(lines, message)
        assert share < 0.5, f"the feedback prints {share:.0%} of the solution:\n{code}\n{message}"


def test_the_give_away_check_itself_catches_a_leak():
    lines = ["returnjwt.decode(token,secret,algorithms=[\"HS256\"],options={\"require\":[\"exp\",\"iat\"]})"]
    leak = "Pass lists: algorithms=['HS256'] and options={'require': ['exp', 'iat']}."
    assert _share_given_away(lines, leak) > 0.5
    assert _share_given_away(lines, "pin the algorithms and require the expiry claims") < 0.5


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("module, name, problem", WITH_KNOWN_ERRORS, ids=[f"{m}.{n}" for m, n, _ in WITH_KNOWN_ERRORS])
def test_every_known_error_is_met_by_a_mistake_and_explained(module, name, problem):
    messages = [problem.check(_run(problem, code)).message for code in problem.mistakes]
    for fragment, cause in problem.known_errors:
        assert any(fragment in m and cause in m for m in messages), (
            f"no mistake of {module}.{name} raises {fragment!r}; add the mistake that does, so its cause is tested"
        )


@pytest.mark.parametrize("module, name, problem", PROBLEMS, ids=IDS)
def test_placeholder_is_unattempted_and_hints_exist(module, name, problem):
    assert problem.check(____).status == "unattempted"
    assert problem.hint(1).status == "hint"
    assert isinstance(problem.hints, (list, tuple)) and len(problem.hints) >= (1 if isinstance(problem, ReflectionProblem) else 2)
    assert problem.solution().status == "solution"


@pytest.mark.parametrize("module, name, problem", [p for p in PROBLEMS if isinstance(p[2], ReflectionProblem)],
                         ids=[i for i, p in zip(IDS, PROBLEMS) if isinstance(p[2], ReflectionProblem)])
def test_reflection_reveals_its_discussion(module, name, problem):
    feedback = problem.check("My answer is a few sentences of honest reasoning about it.")
    assert feedback.status == "discussion" and len(feedback.message) > 100
