"""What every command-line tool of the book shares: one-line errors, and Ctrl-C without a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, NoReturn


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag is one line (``prog: error: ...``) and exit status 2, no usage block."""

    def error(self, message) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def run(main: Callable[[], int], interrupted: str) -> NoReturn:
    """Exit with ``main()``'s status; Ctrl-C prints ``interrupted`` on one line and exits with 130."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"error: interrupted; {interrupted}", file=sys.stderr)
        sys.exit(130)
