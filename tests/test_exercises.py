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
    assert "expected a real number, got 2 numbers" in exercise.grade([1, 2]).line
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


class LyingList(list):
    """Says it holds the two values asked for, and holds one."""

    def __len__(self):
        return 2


class RaisesOnArray:
    def __array__(self, *args, **kwargs):
        return 1 / 0


class SleepsOnArray:
    def __array__(self, *args, **kwargs):
        time.sleep(60)


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no message")


def raising(error):
    def answer(*args):
        raise error

    return answer


@pytest.mark.parametrize(
    "answer, words",
    [
        ("512", "expected a real number, got text (str)"),
        (512 + 0j, "expected a real number, got complex numbers"),
        (True, "expected a real number, got a bool"),
        (10**400, "got an integer too large for a float"),
        (RaisesOnArray(), "got a RaisesOnArray that cannot be read as numbers (ZeroDivisionError"),
        (float("nan"), "nan is not a finite number"),
    ],
)
def test_a_number_exercise_takes_only_a_real_number(answer, words):
    verdict = ch4.batchnorm_parameters.grade(answer)
    assert not verdict.correct and words in verdict.line, verdict


def reference_plus(transform):
    def answer(logits):
        return transform(ch2.stable_softmax.reference(logits))

    return answer


@pytest.mark.parametrize(
    "exercise, answer, words",
    [
        (ch2.stable_softmax, reference_plus(lambda p: p.astype(complex)), "returned complex numbers"),
        (ch2.stable_softmax, reference_plus(lambda p: p.astype(str)), "returned a ndarray of <U"),
        (ch2.stable_softmax, reference_plus(lambda p: [str(v) for v in p.ravel()]), "expected real numbers"),
        (ch2.stable_softmax, lambda logits: np.broadcast_to(0.0, (10**6, 10**6)), "returned shape (1000000, 1000000)"),
        (ch2.stable_softmax, lambda logits: 10**400, "returned an integer too large for a float"),
        (ch2.stable_softmax, lambda logits: RaisesOnArray(), "cannot be read as numbers (ZeroDivisionError"),
        (ch2.stable_softmax, raising(Unprintable()), "raised Unprintable: (its message cannot be printed)"),
        (ch2.stable_softmax, raising(ValueError("two\nlines")), "raised ValueError: two lines"),
        (
            ch2.softmax_regression_gradients,
            lambda *args: LyingList([ch2.softmax_regression_gradients.reference(*args)[0]]),
            "returned 1 values, expected 2 values",
        ),
    ],
)
def test_what_is_not_an_answer_is_refused_in_one_line(exercise, answer, words):
    verdict = exercise.grade(answer)
    assert not verdict.correct and words in verdict.line, verdict
    assert "\n" not in verdict.line and "Hint:" not in verdict.line.split(words)[0]


def test_a_right_float32_answer_is_told_to_compute_in_float64():
    def answer(*args):  # the reference, computed in float32
        return ch4.backprop.reference(*(arg.astype(np.float32) for arg in args))

    verdict = ch4.backprop.grade(answer)
    assert not verdict.correct and "float32's 7 digits: compute in float64" in verdict.line, verdict
    assert "Hint:" not in verdict.line  # the mistake's hint would point at the wrong thing


def swallows_every_exception(logits):
    while True:
        try:
            time.sleep(0.01)
        except:  # noqa: E722 (what is tested: a bare except that swallows the time-out)
            pass


def calls_another_checker_then_loops(logits):
    ch2.stable_softmax.grade(ch2.stable_softmax.reference)  # sets and clears its own limit
    while True:
        pass


@pytest.mark.parametrize(
    "answer, words",
    [
        (swallows_every_exception, "did not return within the time limit"),
        (calls_another_checker_then_loops, "did not return within the time limit"),
        (lambda logits: SleepsOnArray(), "was not read within the time limit"),
    ],
)
def test_the_time_limit_holds_whatever_the_answer_does(answer, words):
    start = time.monotonic()
    verdict = ch2.stable_softmax.grade(answer, time_limit=0.5)
    assert time.monotonic() - start < 2 and words in verdict.line, verdict


def test_a_callers_own_timer_survives_a_check():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *args: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 3.0)
        assert ch2.stable_softmax.grade(ch2.stable_softmax.reference).correct
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 2.0 < left <= 3.0  # still armed, its deadline kept
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        time.sleep(0.2)
        assert fired == [True]  # and its own handler is back
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
