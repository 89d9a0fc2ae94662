"""Let nbval run the book's chapters in place: they are MyST markdown notebooks, not .ipynb.

nbval collects only ``.ipynb`` files. For every ``book/*.md`` file that jupytext recognises as a
notebook (it has a kernelspec in its front matter), this hook returns nbval's own collector,
reading the file through jupytext instead of nbformat. Plain markdown pages (the intro) are
not notebooks and are skipped. The kernel starts in ``book/``, as it does in the book build.

It also makes ``pytest`` compute with other CPU kernels than the book build: before numpy or
torch is imported, here or in a chapter's kernel (which inherits the environment), it sets
``helpers.numerics.ALTERNATIVE_KERNELS`` unless the variables are already set. So CI, which
builds and tests, executes every chapter under two numeric configurations for the price of one,
and an assertion that holds only with one machine's rounding fails. To try a third:
``ATEN_CPU_CAPABILITY=avx2 pytest``.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from helpers.numerics import ALTERNATIVE_KERNELS, describe_numerics

for _variable, _value in ALTERNATIVE_KERNELS.items():
    os.environ.setdefault(_variable, _value)

import jupytext  # noqa: E402  (after the kernels are chosen: it may import numpy)
import nbval.plugin  # noqa: E402

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


def pytest_report_header(config):
    settings = ", ".join(f"{variable}={os.environ[variable]}" for variable in ALTERNATIVE_KERNELS)
    return f"numerics: {describe_numerics()} ({settings})"
