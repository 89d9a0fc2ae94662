"""What every command-line tool of the book shares: one-line errors, bounded flags, exit statuses,
and Ctrl-C without a traceback.

Exit statuses, the same for every tool:

=====  =====================================================================================
0      done
1      the data or an output folder cannot be used (missing, damaged, unreadable, not writable)
2      a bad flag (nothing was read or written)
3      training diverged (the loss stopped being a finite number)
130    interrupted by Ctrl-C
=====  =====================================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

EXIT_ERROR, EXIT_USAGE, EXIT_DIVERGED, EXIT_INTERRUPTED = 1, 2, 3, 130

#: Set this environment variable to see the traceback of an unexpected error.
TRACEBACK_VAR = "LESSONS_TRACEBACK"

#: Seeds go to numpy and PyTorch, which both take 0 .. 2**32 - 1 everywhere.
MAX_SEED = 2**32 - 1


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag is one line (``prog: error: ...``) and exit status 2, no usage block."""

    def error(self, message) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


class Diverged(Exception):
    """Training produced a loss that is not a finite number: a result of the settings, not a bug."""

    def __init__(self, epoch: int, loss: float, flag: str = "--lr"):
        super().__init__(f"diverged at epoch {epoch}: loss {loss}; try a smaller {flag}")


def stop_if_diverged(epoch: int, loss: float, flag: str = "--lr") -> None:
    """Raise :class:`Diverged` if ``loss`` is NaN or infinite."""
    if not math.isfinite(loss):
        raise Diverged(epoch, loss, flag)


def config_from_args(config_class, args: argparse.Namespace):
    """The dataclass ``config_class`` built from the flags named like its fields (the rest keep
    their defaults); flags that are not fields (output folders, data splits) are left out."""
    names = {field.name for field in dataclasses.fields(config_class)}
    return config_class(**{name: value for name, value in vars(args).items() if name in names})


def print_error(error: Exception | str, status: int = EXIT_ERROR) -> int:
    """Print ``error`` on one line of stderr (its text's line breaks folded); return ``status``."""
    print(f"error: {' '.join(str(error).split())}", file=sys.stderr)
    return status


# Ctrl-C. The first one raises KeyboardInterrupt (outside a protected block) and makes the process
# ignore every later one, so that clean-up and the one-line message finish undisturbed.
_protected_depth = 0
_interrupt_pending = False


def _on_interrupt(signum, frame) -> None:
    global _interrupt_pending
    if _protected_depth:
        _interrupt_pending = True
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def uninterruptible():
    """A Ctrl-C during the block takes effect when the block ends (a file being written is
    finished and renamed into place, never left half-written). Outside :func:`run` (in a
    notebook) Ctrl-C keeps its usual meaning."""
    global _protected_depth, _interrupt_pending
    _protected_depth += 1
    try:
        yield
    finally:
        _protected_depth -= 1
        if not _protected_depth and _interrupt_pending:
            _interrupt_pending = False
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            raise KeyboardInterrupt


#: The mode ``open()`` gives a new file under this process's umask.
_UMASK = os.umask(0o022)  # reading the umask means setting it: set it back at once
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


def write_atomically(path: Path, write: Callable) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``.

    Ctrl-C waits until the file is in place or removed; an ``OSError`` leaves no temporary file.
    A reader of ``path`` never sees half a file.
    """
    with uninterruptible():
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(handle, FILE_MODE)  # as open() would make it, not mkstemp's owner-only
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise


def quiet_startup_interrupts() -> None:
    """Until :func:`run` takes over, Ctrl-C (while PyTorch and numpy load) ends the process with
    one line. Called by ``helpers/__init__.py`` only when a command is starting (``python -m``)."""

    def on_startup_interrupt(signum, frame):
        os.write(2, b"error: interrupted while starting; nothing was written\n")
        os._exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, on_startup_interrupt)


def run(main: Callable[[], int], interrupted: str) -> NoReturn:
    """Exit with ``main()``'s status. Ctrl-C prints ``interrupted`` on one line and exits with 130;
    divergence and any ``OSError`` that reaches here are one line too."""
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        status = main()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        status = print_error(f"interrupted; {interrupted}", EXIT_INTERRUPTED)
    except Diverged as error:
        status = print_error(error, EXIT_DIVERGED)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        status = print_error(f"{where}{error.strerror or error}", EXIT_ERROR)
    except Exception as error:  # a bug: one line for the reader, the traceback on request
        if os.environ.get(TRACEBACK_VAR):
            raise
        status = print_error(
            f"unexpected {type(error).__name__}: {error}. This is a bug in the book's code; please report it "
            f"with the command you ran ({TRACEBACK_VAR}=1 shows where it happened)"
        )
    sys.stdout.flush()
    sys.exit(status)


def finite_float(text: str) -> float:
    """An argparse type: a finite number, or a one-line error naming the bad text."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def whole_number(text: str) -> int:
    """An argparse type: an integer, or a one-line error naming the bad text."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def check_ranges(parser: argparse.ArgumentParser, *checks: tuple[bool, str, str, float]) -> None:
    """Each check is ``(ok, flag, rule, value)``; the first that fails exits with one line and status 2."""
    for ok, flag, rule, value in checks:
        if not ok:
            parser.error(f"{flag} must be {rule}, got {value:g}")


def seed_check(flag: str, value: int) -> tuple[bool, str, str, int]:
    """The :func:`check_ranges` entry of a seed flag."""
    return (0 <= value <= MAX_SEED, flag, f"in 0..{MAX_SEED}", value)
