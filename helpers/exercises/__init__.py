"""Exercises that check a student's answer: ``exercise.stable_softmax(my_softmax)``.

Each chapter defines its exercises in its own package (``helpers/chNN_*/exercises.py``) with the
classes here. An :class:`Exercise` runs the student's answer on cases chosen to catch the usual
mistakes and prints one line: ``correct: ...`` with what was verified, or ``not yet: ...`` naming
the first case that failed and a hint. The student's code may raise, loop forever, or return the
wrong type or shape: the verdict is still one line, never a traceback, within a time limit.

``hint()`` prints the exercise's hint and ``solution()`` shows the reference answer's source, as
Kaggle's learntools does. The book's build calls :meth:`Exercise.check_itself` on every page, so
a checker that accepts a known mistake, or refuses its own solution, fails the build.
"""

from __future__ import annotations

import signal
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..source import show_source

#: Seconds a student's answer may take over all of an exercise's cases.
TIME_LIMIT = 5.0


@dataclass(frozen=True)
class Case:
    """One call of the student's answer: ``answer(*args)`` must give what the reference gives.

    ``about`` says what the case is (it names the case when it fails); ``hint`` is the mistake
    it is there to catch, shown when the values are wrong."""

    about: str
    args: tuple
    hint: str


@dataclass(frozen=True)
class Verdict:
    correct: bool
    line: str

    def __str__(self) -> str:
        return self.line


class _OutOfTime(BaseException):
    """Raised in the student's code when its time is up (a BaseException, so that a student's
    ``except Exception`` cannot swallow it)."""


def _call_with_time_limit(function: Callable, args: tuple, seconds: float):
    """``function(*args)``, or :class:`_OutOfTime` after ``seconds``.

    In the main thread of a POSIX process (a notebook cell, a script) a timer signal interrupts
    the call itself. Elsewhere (Windows, another thread) the call runs in a daemon thread that is
    abandoned when its time is up, so the verdict still arrives in time.
    """
    if seconds <= 0:
        raise _OutOfTime
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

        def out_of_time(signum, frame):
            raise _OutOfTime

        previous = signal.signal(signal.SIGALRM, out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    outcome: dict[str, Any] = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _OutOfTime
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _short(array: np.ndarray, limit: int = 60) -> str:
    """An array as the verdict line shows it: rounded, on one line, cut to ``limit`` characters."""
    if array.ndim == 0:
        return f"{float(array):.6g}"
    with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=2, linewidth=10_000):
        text = " ".join(str(array).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _as_array(value) -> np.ndarray:
    """A NumPy array from what a student may return: an array, a list, a number or a tensor."""
    if hasattr(value, "detach"):  # a PyTorch tensor, perhaps with a gradient attached
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def _mismatch(got, expected, rtol: float, atol: float, names: Sequence[str] = ()) -> str | None:
    """Why ``got`` is not ``expected`` (a number, an array, or a tuple of them named ``names``),
    or None."""
    if isinstance(expected, tuple):
        names = tuple(names) or tuple(f"value {number}" for number in range(1, len(expected) + 1))
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            kind = f"{len(got)} values" if isinstance(got, (tuple, list)) else f"a {type(got).__name__}"
            return f"returned {kind}, expected {len(expected)} values ({', '.join(names)})"
        for name, one, want in zip(names, got, expected):
            if why := _mismatch(one, want, rtol, atol):
                return f"{name}: {why}"
        return None
    if got is None:
        return "returned None (is a `return` missing?)"
    try:
        array = _as_array(got)
    except (TypeError, ValueError, RuntimeError):
        return f"returned a {type(got).__name__}, expected numbers"
    want = np.asarray(expected, dtype=np.float64)
    if array.shape != want.shape:
        return f"returned shape {array.shape}, expected {want.shape}"
    if not np.all(np.isfinite(array)):
        return f"returned {_short(array)}, which is not finite; expected {_short(want)}"
    if not np.allclose(array, want, rtol=rtol, atol=atol):
        return f"returned {_short(array)}, expected {_short(want)}"
    return None


@dataclass
class Exercise:
    """A question whose answer is a function (``reference`` is one) or a value (it is not).

    ``cases`` builds the cases (fresh arrays each time, so that an answer that writes into its
    inputs cannot spoil the next case); ``verified`` completes the line ``correct: ...``.
    ``mistakes`` are wrong answers a student is likely to write, each with the words its verdict
    must contain: the build and the tests check that every one is refused with its hint.
    """

    name: str
    reference: Any
    verified: str
    hint_text: str
    cases: Callable[[], Sequence[Case]] = tuple
    mistakes: dict[str, tuple[Any, str]] = field(default_factory=dict)
    returns: tuple[str, ...] = ()
    rtol: float = 1e-6
    atol: float = 1e-9
    time_limit: float = TIME_LIMIT

    def grade(self, answer, time_limit: float | None = None) -> Verdict:
        """The verdict on ``answer``, without printing it."""
        if not callable(self.reference):
            return self._grade_value(answer)
        if not callable(answer):
            return Verdict(False, f"not yet: expected a function, got a {type(answer).__name__}")
        name = getattr(answer, "__name__", "your function")
        deadline = time.monotonic() + (self.time_limit if time_limit is None else time_limit)
        cases = list(self.cases())
        for case in cases:
            expected = self.reference(*_copies(case.args))
            try:
                # NumPy's overflow warnings would add lines; the verdict says what went wrong
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    got = _call_with_time_limit(answer, _copies(case.args), deadline - time.monotonic())
            except _OutOfTime:
                return Verdict(False, f"not yet: {name}, for {case.about}, did not return within the time limit")
            except NotImplementedError:
                return Verdict(False, f"not yet: {name} is not written yet (it raised NotImplementedError)")
            except KeyboardInterrupt:
                return Verdict(False, f"not yet: {name} was stopped (Ctrl-C) while it ran {case.about}")
            except (Exception, SystemExit) as error:
                return Verdict(False, f"not yet: {name}, for {case.about}, raised {type(error).__name__}: {error}")
            if got is None:  # an empty answer: no hint yet, which would give the answer away
                return Verdict(False, f"not yet: {name} returns nothing yet (is a `return` missing?)")
            if why := _mismatch(got, expected, self.rtol, self.atol, self.returns):
                return Verdict(False, f"not yet: {name}, for {case.about}, {why}. Hint: {case.hint}")
        return Verdict(True, f"correct: {name} {self.verified} ({len(cases)} cases)")

    def _grade_value(self, answer) -> Verdict:
        if answer is None or answer is Ellipsis:
            return Verdict(False, "not yet: no answer given (replace the ... with your number)")
        try:
            value = float(_as_array(answer))
        except (TypeError, ValueError, RuntimeError):
            return Verdict(False, f"not yet: expected a number, got a {type(answer).__name__}")
        if np.isclose(value, self.reference, rtol=self.rtol, atol=self.atol):
            return Verdict(True, f"correct: {value:g}, {self.verified}")
        # the verdict must not give the answer away: only its direction
        direction = "too large" if value > self.reference else "too small"
        return Verdict(False, f"not yet: {value:g} is {direction}. Hint: {self.hint_text}")

    def __call__(self, answer) -> None:
        """Check ``answer`` and print the verdict, one line."""
        print(self.grade(answer))

    def hint(self) -> None:
        print(f"hint: {self.hint_text}")

    def solution(self):
        """The reference answer: its source (a function) or the value and why."""
        if callable(self.reference):
            return show_source(self.reference)
        print(f"solution: {self.reference:g}, {self.verified}")

    def check_itself(self, time_limit: float = 1.0) -> None:
        """Fail (AssertionError) unless the reference is correct and every mistake is refused with
        its hint: a checker that cannot fail fails the build."""
        verdict = self.grade(self.reference)
        assert verdict.correct, f"{self.name}: the reference answer is refused: {verdict}"
        assert len(self.mistakes) >= 2, f"{self.name}: fewer than two known mistakes to refuse"
        for about, (mistake, words) in self.mistakes.items():
            verdict = self.grade(mistake, time_limit=time_limit)
            assert not verdict.correct, f"{self.name}: {about} is accepted: {verdict}"
            assert words in verdict.line, f"{self.name}: {about} is refused without {words!r}: {verdict}"


def scaled(reference: Callable, factor: Callable) -> Callable:
    """A usual mistake: each value ``reference`` returns, times ``factor(*args)``. A sum where the
    mean belongs is ``scaled(reference, lambda X, *rest: len(X))``; a 1/K left out, times K."""

    def wrong(*args):
        return tuple(value * factor(*args) for value in reference(*args))

    return wrong


def exercises_of(module) -> dict[str, Exercise]:
    """The exercises a chapter's ``exercises`` module defines, by name."""
    return {name: value for name, value in vars(module).items() if isinstance(value, Exercise)}


def _copies(args: tuple) -> tuple:
    return tuple(arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args)
