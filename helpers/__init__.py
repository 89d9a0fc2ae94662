"""The code the book's chapters import, so that each chapter reads as a lesson.

Submodules:

- :mod:`helpers.data`: verified, validated loaders for MNIST and CIFAR-10.
- :mod:`helpers.plots`: figures shared by several chapters (image grids, class counts).

Run from inside a copy of the book (a folder holding ``_toc.yml`` and its own ``helpers/``), this
package refuses to be another copy's: two clones that share one virtual environment import the
``helpers`` that ``pip install -e`` pointed at, and the second clone's chapters would silently run
the first one's code.
"""

import sys
from pathlib import Path

from .one_line import OneLineError


class ForeignHelpers(OneLineError, ImportError):
    """The ``helpers`` imported is not the book's own (another copy of the book)."""


def _foreign_book() -> Path | None:
    """The copy of the book the working directory is in, if it has other helpers than these."""
    here = Path(__file__).resolve().parent
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "_toc.yml").is_file():
            own = folder / "helpers"
            return folder if (own / "__init__.py").is_file() and own.resolve() != here else None
    return None


if (_book := _foreign_book()) is not None:
    _reason = (
        f"`helpers` is imported from {Path(__file__).resolve().parent}, not from this book's {_book / 'helpers'}: "
        f"this environment belongs to another copy of the book; run `pip install -e {_book}` in it, "
        "or give each copy its own virtual environment"
    )
    if sys.argv[:1] == ["-m"]:  # a command: one line, no traceback
        print(f"error: {_reason}", file=sys.stderr)
        raise SystemExit(2)
    raise ForeignHelpers(_reason)

if sys.argv[:1] == ["-m"]:  # `python -m helpers....` is starting (Python sets argv[0] to "-m" meanwhile)
    from .cli import quiet_startup_interrupts

    quiet_startup_interrupts()
