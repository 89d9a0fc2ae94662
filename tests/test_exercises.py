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
from helpers.exercises import exercises_of

EXERCISES = {
    f"{module.__name__.split('.')[1][:4]}.{name}": exercise
    for module in (ch1, ch2, ch3, ch4)
    for name, exercise in exercises_of(module).items()
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
    if exercise.returns:  # a tuple of gradients is expected
        assert f"expected {len(exercise.returns)} values ({', '.join(exercise.returns)})" in shape
    else:
        assert "returned shape (7,), expected (" in shape
    assert kind.startswith("not yet: ") and "str" in kind


@pytest.mark.parametrize("name", FUNCTIONS)
def test_an_empty_answer_gets_no_hint_that_would_give_the_answer_away(name):
    def my_answer(*args):
        """Docstring only, as the page leaves it."""

    line = FUNCTIONS[name].grade(my_answer).line
    assert line == "not yet: my_answer returns nothing yet (is a `return` missing?)"


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
    assert capsys.readouterr().out.startswith("hint: the softmax of a row does not change")
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


def as_tensors(*arrays):
    import torch

    return [torch.tensor(array, requires_grad=True) for array in arrays]


def test_the_reference_nesterov_step_is_the_one_torch_takes():
    import torch

    w, g = np.array([1.0, -2.0]), np.array([0.5, 1.0])
    (weights,) = as_tensors(w)
    sgd = torch.optim.SGD([weights], lr=0.1, momentum=0.9, nesterov=True)
    ours, velocity = w, np.zeros(2)
    for step in range(3):
        weights.grad = torch.tensor(g * (step + 1))
        sgd.step()
        ours, velocity = ch1.my_nesterov_step(ours, velocity, g * (step + 1), 0.1, 0.9)
    assert np.allclose(ours, weights.detach().numpy(), rtol=1e-12)


def test_the_reference_gradients_are_autograds():
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(6, 4)), np.array([0, 2, 1, 1, 0, 2])
    Y = np.eye(3)[labels]
    W, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    logits = rng.normal(size=(6, 3))

    (o,) = as_tensors(logits)
    F.mse_loss(o, torch.tensor(Y)).backward()
    assert np.allclose(ch1.my_mse_gradient(logits, Y), o.grad.numpy())

    tW, tb = as_tensors(W, b)
    F.cross_entropy(torch.tensor(X) @ tW.T + tb, torch.tensor(labels)).backward()
    assert all(np.allclose(a, t.grad.numpy()) for a, t in zip(ch2.my_gradients(X, W, b, Y), (tW, tb)))

    tW, tb = as_tensors(W, b)
    F.binary_cross_entropy_with_logits(torch.tensor(X) @ tW.T + tb, torch.tensor(Y)).backward()
    assert all(np.allclose(a, t.grad.numpy()) for a, t in zip(ch3.my_mbce_gradients(X, W, b, Y), (tW, tb)))

    W1, b1, W2, b2 = rng.normal(size=(5, 4)), rng.normal(size=5), rng.normal(size=(3, 5)), rng.normal(size=3)
    tensors = as_tensors(W1, b1, W2, b2)
    hidden = torch.relu(torch.tensor(X) @ tensors[0].T + tensors[1])
    F.cross_entropy(hidden @ tensors[2].T + tensors[3], torch.tensor(labels)).backward()
    ours = ch4.my_backprop(X, Y, W1, b1, W2, b2)
    assert all(np.allclose(a, t.grad.numpy()) for a, t in zip(ours, tensors))
