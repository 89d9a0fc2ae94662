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

import math
import signal
import sys
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

    def __post_init__(self):  # one line, whatever the messages it quotes hold
        object.__setattr__(self, "line", " ".join(self.line.split()))

    def __str__(self) -> str:
        return self.line


def _describe(error: BaseException) -> str:
    """``Type: message`` of an error a student's code raised, even if its message cannot be made."""
    try:
        message = str(error)
    except Exception:
        message = "(its message cannot be printed)"
    return f"{type(error).__name__}: {message[:200]}" if message else type(error).__name__


class _OutOfTime(BaseException):
    """Raised in the student's code when its time is up (a BaseException, so that a student's
    ``except Exception`` cannot swallow it)."""


def _raise_in_their_code(frame, event, arg):
    """A trace function: raise at every line of code that is not this module's."""
    if frame.f_globals.get("__name__") == __name__:
        return None
    if event in ("call", "line"):
        raise _OutOfTime
    return _raise_in_their_code


def _stop_every_line(frame) -> None:
    """Trace the frames a time-out interrupted, up to the limit's own, with
    :func:`_raise_in_their_code` (and every frame they call)."""
    sys.settrace(_raise_in_their_code)
    while frame is not None and frame.f_code is not _call_with_time_limit.__code__:
        frame.f_trace = _raise_in_their_code
        frame = frame.f_back


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
            # Every line of the answer's code now raises, so that a bare `except:` that swallows
            # one of these exceptions in a loop meets another at the loop's next line; the timer
            # repeats until the call has ended.
            _stop_every_line(frame)
            raise _OutOfTime

        # A timer already running (a caller's own, or the check of an answer that calls another
        # checker) keeps its deadline: this limit ends no later, and the timer is set again after.
        outer, interval = signal.getitimer(signal.ITIMER_REAL)
        start = time.monotonic()
        trace = sys.gettrace()
        previous = signal.signal(signal.SIGALRM, out_of_time)
        signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds, 0.05)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.settrace(trace)
            signal.signal(signal.SIGALRM, previous)
            if outer:
                signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-4), interval)
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


class NotNumbers(ValueError):
    """What a student gave is not real numbers; its text says what it is ("text (str)")."""


def _as_array(value) -> np.ndarray:
    """A NumPy array (not yet converted to float64) from what a student may return: an array, a
    list, a number or a tensor, of real numbers. Text, booleans, complex numbers, integers too large
    for a float and other objects are not an answer (:class:`NotNumbers`)."""
    if hasattr(value, "detach"):  # a PyTorch tensor, perhaps with a gradient attached
        value = value.detach().cpu().numpy()
    if isinstance(value, (str, bytes)):
        raise NotNumbers(f"text ({type(value).__name__})")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
        raise NotNumbers("an integer too large for a float")
    try:
        raw = np.asarray(value)  # no copy of an array (a broadcast view stays small)
    except Exception as error:
        raise NotNumbers(f"a {type(value).__name__} that cannot be read as numbers ({_describe(error)})") from None
    if raw.dtype.kind == "c":
        raise NotNumbers("complex numbers")
    if raw.dtype.kind not in "iuf":
        raise NotNumbers(f"a {type(value).__name__}" + (f" of {raw.dtype}" if raw.dtype.kind != "O" else ""))
    return raw


def _mismatch(got, expected, rtol: float, atol: float, names: Sequence[str] = ()) -> tuple[str, bool] | None:
    """Why ``got`` is not ``expected`` (a number, an array, or a tuple of them named ``names``),
    and whether the case's hint applies; or None."""
    if isinstance(expected, tuple):
        names = tuple(names) or tuple(f"value {number}" for number in range(1, len(expected) + 1))
        if not isinstance(got, (tuple, list)):
            return f"returned a {type(got).__name__}, expected {len(expected)} values ({', '.join(names)})", True
        # the items as Python stores them: a subclass cannot lie about its length or items
        items = tuple.__iter__(got) if isinstance(got, tuple) else list.__iter__(got)
        items = tuple(items)
        if len(items) != len(expected):
            return f"returned {len(items)} values, expected {len(expected)} values ({', '.join(names)})", True
        for name, one, want in zip(names, items, expected):
            if found := _mismatch(one, want, rtol, atol):
                return f"{name}: {found[0]}", found[1]
        return None
    if got is None:
        return "returned None (is a `return` missing?)", True
    try:
        raw = _as_array(got)
    except NotNumbers as error:
        return f"returned {error}, expected real numbers", False
    want = np.asarray(expected, dtype=np.float64)
    if raw.shape != want.shape:
        return f"returned shape {raw.shape}, expected {want.shape}", True
    array = raw.astype(np.float64)
    if not np.all(np.isfinite(array)):
        return f"returned {_short(array)}, which is not finite; expected {_short(want)}", True
    if not np.allclose(array, want, rtol=rtol, atol=atol):
        if raw.dtype == np.float32 and np.allclose(array, want, rtol=1e-4, atol=max(atol, 1e-6)):
            return "returned float32 numbers, right only to float32's 7 digits: compute in float64", False
        return f"returned {_short(array)}, expected {_short(want)}", True
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
                return Verdict(False, f"not yet: {name}, for {case.about}, raised {_describe(error)}")
            if got is None:  # an empty answer: no hint yet, which would give the answer away
                return Verdict(False, f"not yet: {name} returns nothing yet (is a `return` missing?)")
            try:  # reading the result runs the student's code too (__array__, __len__, ...)
                found = _call_with_time_limit(
                    _mismatch, (got, expected, self.rtol, self.atol, self.returns), deadline - time.monotonic()
                )
            except _OutOfTime:
                return Verdict(False, f"not yet: {name}'s result, for {case.about}, was not read within the time limit")
            except (Exception, SystemExit) as error:
                return Verdict(False, f"not yet: {name}'s result, for {case.about}, cannot be read: {_describe(error)}")
            if found:
                why, hinted = found
                hint = f" Hint: {case.hint}" if hinted else ""
                return Verdict(False, f"not yet: {name}, for {case.about}, {why}.{hint}")
        return Verdict(True, f"correct: {name} {self.verified} ({len(cases)} cases)")

    def _grade_value(self, answer) -> Verdict:
        if answer is None or answer is Ellipsis:
            return Verdict(False, "not yet: no answer given (replace the ... with your number)")

        def number():
            raw = _as_array(answer)
            if raw.size != 1:
                raise NotNumbers(f"{raw.size} numbers")
            return float(raw.astype(np.float64).reshape(()))

        try:
            value = _call_with_time_limit(number, (), self.time_limit)
        except _OutOfTime:
            return Verdict(False, "not yet: your answer was not read as a number within the time limit")
        except NotNumbers as error:
            return Verdict(False, f"not yet: expected a real number, got {error}")
        except (Exception, SystemExit) as error:
            return Verdict(False, f"not yet: your answer cannot be read as a number ({_describe(error)})")
        if not math.isfinite(value):
            return Verdict(False, f"not yet: {value} is not a finite number")
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
