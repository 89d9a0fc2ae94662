"""Let nbval run the book's chapters in place: they are MyST markdown notebooks, not .ipynb.

nbval collects only ``.ipynb`` files. For every ``book/*.md`` file that jupytext recognises as a
notebook (it has a kernelspec in its front matter), this hook returns nbval's own collector,
reading the file through jupytext instead of nbformat. Plain markdown pages (the intro) are
not notebooks and are skipped. The kernel starts in ``book/``, as it does in the book build.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import jupytext
import nbval.plugin

BOOK = Path(__file__).parent / "book"


def is_chapter(path: Path) -> bool:
    """A markdown file in book/ whose front matter declares a Jupyter kernel."""
    if path.suffix != ".md" or path.parent != BOOK:
        return False
    return bool(jupytext.read(path).metadata.get("kernelspec"))


class JupytextNotebook(nbval.plugin.IPyNbFile):
    """nbval's notebook collector, reading the text notebook with jupytext."""

    def collect(self):
        reader = SimpleNamespace(read=lambda path, as_version: jupytext.read(path))
        with mock.patch.object(nbval.plugin, "nbformat", reader):
            yield from super().collect()


def pytest_collect_file(file_path: Path, parent):
    options = parent.config.option
    if (options.nbval or options.nbval_lax) and is_chapter(file_path):
        return JupytextNotebook.from_parent(parent, path=file_path)
    return None
