"""Errors a reader sees as one line, in a notebook as on the command line.

An exception raised in a notebook cell is shown with its whole traceback: a dozen frames of the
book's own code around a message that already says what is wrong and what to do. IPython asks
an exception for ``_render_traceback_()`` before it formats one; an :class:`OneLineError`
answers with its name and message only, so the cell (and the build log) shows one line.
"""

from __future__ import annotations


class OneLineError(Exception):
    """An error whose message says what is wrong and what to do; no traceback adds to it."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]
