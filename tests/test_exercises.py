"""The exercises' checkers: each accepts its reference answer, refuses the usual mistakes with the
hint meant for them, and answers in one line whatever the student's code does (raise, return the
wrong shape or type, never return)."""

import threading
import time

import numpy as np
import pytest

from helpers.ch01_regression_argmax import exercises as ch1
from helpers.ch02_softmax_cross_entropy import exercises as ch2
from helpers.ch03_cifar_one_layer import exercises as ch3
from helpers.ch04_limits_of_linearity import exercises as ch4
from helpers.exercises import Exercise

EXERCISES = {
    f"{module.__name__.split('.')[1][:4]}.{name}": exercise
    for module in (ch1, ch2, ch3, ch4)
    for name, exercise in vars(module).items()
    if isinstance(exercise, Exercise)
}
FUNCTIONS = {name: e for name, e in EXERCISES.items() if callable(e.reference)}
VALUES = {name: e for name, e in EXERCISES.items() if not callable(e.reference)}


def test_every_chapter_has_at_least_two_exercises():
    chapters = [name.split(".")[0] for name in EXERCISES]
    assert {chapter: chapters.count(chapter) for chapter in chapters} == dict.fromkeys(
        ["ch01", "ch02", "ch03", "ch04"], 2
    )


@pytest.mark.parametrize("name", EXERCISES)
def test_the_reference_answer_is_correct(name, capsys):
    exercise = EXERCISES[name]
    exercise(exercise.reference)
    line = capsys.readouterr().out
    assert line.startswith("correct: ") and line.count("\n") == 1, line


@pytest.mark.parametrize("name", EXERCISES)
def test_the_usual_mistakes_are_refused_with_their_hint(name):
    exercise = EXERCISES[name]
    assert len(exercise.mistakes) >= 2
    for about, (mistake, words) in exercise.mistakes.items():
        verdict = exercise.grade(mistake)
        assert not verdict.correct and verdict.line.startswith("not yet: "), (about, verdict)
        assert words in verdict.line and "Hint: " in verdict.line, (about, verdict)
    exercise.check_itself()  # what the chapter's hidden cell runs in the build


def raises(*args):
    return 1 / 0


def wrong_shape(*args):
    return np.zeros(7)


def wrong_type(*args):
    return "a string"


def never_returns(*args):
    while True:
        try:
            time.sleep(0.01)
        except Exception:  # a student's catch-all cannot swallow the time limit
            pass


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_raising_answer_is_named_in_one_line(name, capsys):
    FUNCTIONS[name](raises)
    line = capsys.readouterr().out
    assert line.startswith("not yet: raises, for ") and "raised ZeroDivisionError: division by zero" in line
    assert line.count("\n") == 1 and "Traceback" not in line


@pytest.mark.parametrize("name", FUNCTIONS)
def test_an_answer_of_the_wrong_shape_or_type_is_refused(name):
    exercise = FUNCTIONS[name]
    shape = exercise.grade(wrong_shape).line
    kind = exercise.grade(wrong_type).line
    empty = exercise.grade(lambda *args: None).line
    if exercise.returns:  # a tuple of gradients is expected
        assert f"expected {len(exercise.returns)} values ({', '.join(exercise.returns)})" in shape
        assert "returned None, expected" in empty
    else:
        assert "returned shape (7,), expected (" in shape
        assert "returned None (is a `return` missing?)" in empty
    assert kind.startswith("not yet: ") and "str" in kind


@pytest.mark.parametrize("name", FUNCTIONS)
def test_an_answer_that_never_returns_is_refused_within_its_time_limit(name):
    start = time.monotonic()
    verdict = FUNCTIONS[name].grade(never_returns, time_limit=0.3)
    assert time.monotonic() - start < 2
    assert not verdict.correct and "did not return within the time limit" in verdict.line


def test_the_time_limit_holds_outside_the_main_thread_too():
    verdicts = []
    worker = threading.Thread(target=lambda: verdicts.append(ch2.stable_softmax.grade(never_returns, time_limit=0.3)))
    start = time.monotonic()
    worker.start()
    worker.join(5)
    assert time.monotonic() - start < 2 and "did not return within the time limit" in verdicts[0].line


def test_an_answer_that_writes_into_its_inputs_does_not_spoil_the_next_case():
    def in_place(logits):
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    assert ch2.stable_softmax.grade(in_place).correct


def test_a_pytorch_answer_is_accepted():
    import torch

    def with_torch(logits):
        return torch.softmax(torch.from_numpy(logits).requires_grad_(), dim=1)

    assert ch2.stable_softmax.grade(with_torch).correct


def test_hint_and_solution_show_the_reference(capsys):
    ch2.stable_softmax.hint()
    assert capsys.readouterr().out.startswith("hint: subtract each row's largest logit")
    source = ch2.stable_softmax.solution().data
    assert "def my_softmax(logits):" in source and "logits.max(axis=1, keepdims=True)" in source


@pytest.mark.parametrize("name", VALUES)
def test_a_number_answer_is_checked_without_giving_it_away(name, capsys):
    exercise = VALUES[name]
    assert exercise.grade(exercise.reference).correct
    for wrong in (exercise.reference + 1, exercise.reference - 1, 2 * exercise.reference):
        line = exercise.grade(wrong).line
        assert line.startswith("not yet: ") and "Hint: " in line and f"{exercise.reference:g}" not in line
    assert "no answer given" in exercise.grade(...).line
    assert "expected a number, got a list" in exercise.grade([1, 2]).line
    exercise.solution()
    assert capsys.readouterr().out.startswith(f"solution: {exercise.reference:g}, ")
