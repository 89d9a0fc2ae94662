"""What every command-line tool of the book shares: one-line errors, and Ctrl-C without a traceback."""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag is one line (``prog: error: ...``) and exit status 2, no usage block."""

    def error(self, message) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def config_from_args(config_class, args: argparse.Namespace):
    """The dataclass ``config_class`` built from the flags named like its fields (the rest keep
    their defaults); flags that are not fields (output folders, data splits) are left out."""
    names = {field.name for field in dataclasses.fields(config_class)}
    return config_class(**{name: value for name, value in vars(args).items() if name in names})


def print_error(error: Exception) -> int:
    """Print ``error`` on one line of stderr (its text's line breaks folded); return exit status 1."""
    print(f"error: {' '.join(str(error).split())}", file=sys.stderr)
    return 1


def run(main: Callable[[], int], interrupted: str) -> NoReturn:
    """Exit with ``main()``'s status; Ctrl-C prints ``interrupted`` on one line and exits with 130."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"error: interrupted; {interrupted}", file=sys.stderr)
        sys.exit(130)


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
