"""Every lesson's exercises: the reference solution passes, each typical mistake fails,
and the placeholder counts as not attempted. Lessons are discovered automatically."""
import importlib
import pkgutil

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
# Lessons whose problems predate ``alternatives``; remove a lesson once its problems have them.
_ALTERNATIVES_PENDING = {"lesson00", "lesson01", "lesson02", "lesson03", "lesson04"}


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
    if module in _ALTERNATIVES_PENDING and not problem.alternatives:
        pytest.xfail(f"{module}: alternative correct solutions not yet written (issue 10)")
    assert problem.alternatives, f"{module}.{name} has no alternative correct solution to test"
    for code in problem.alternatives:
        feedback = problem.check(_run(problem, code))
        assert feedback.correct, f"a correct alternative failed:\n{code}\n{feedback}"


@pytest.mark.parametrize("module, name, problem", PROBLEMS, ids=IDS)
def test_placeholder_is_unattempted_and_hints_exist(module, name, problem):
    assert problem.check(____).status == "unattempted"
    assert problem.hint(1).status == "hint"
    assert problem.solution().status == "solution"


@pytest.mark.parametrize("module, name, problem", [p for p in PROBLEMS if isinstance(p[2], ReflectionProblem)],
                         ids=[i for i, p in zip(IDS, PROBLEMS) if isinstance(p[2], ReflectionProblem)])
def test_reflection_reveals_its_discussion(module, name, problem):
    feedback = problem.check("My answer is a few sentences of honest reasoning about it.")
    assert feedback.status == "discussion" and len(feedback.message) > 100
