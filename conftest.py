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

A test run records every value the chapters and the tests check against a bound
(``helpers.bounds.RECORD_VARIABLE``), and runs the tests marked ``after_pages`` last, to compare
those values with what the seed sweep computes. It saves the chapters' results
(``helpers.results``) in a folder of its own, under a run name of its own, so that it never
writes over the build's and its reproduction report reads only this run's chapters. And it
refuses, in one line, to test another copy's ``helpers`` (a second clone of the book sharing the
first one's virtual environment).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

ROOT = Path(__file__).resolve().parent
BOOK = ROOT / "book"
_WHERE = "import importlib.util as u; s = u.find_spec('helpers'); print(s.submodule_search_locations[0] if s else '')"


def helpers_folders() -> set[str]:
    """Where the tests, and a chapter's kernel (started in book/, with this environment), find
    ``helpers``: this process puts the book's root first on its path, a kernel does not."""
    spec = importlib.util.find_spec("helpers")
    here = spec.submodule_search_locations[0] if spec else ""
    kernel = subprocess.run([sys.executable, "-c", _WHERE], cwd=BOOK, capture_output=True, text=True).stdout.strip()
    return {str(Path(folder).resolve()) if folder else "nowhere" for folder in (here, kernel)}


if _foreign := helpers_folders() - {str(ROOT / "helpers")}:
    print(
        f"error: `helpers` is imported from {', '.join(sorted(_foreign))}, not from this book's {ROOT / 'helpers'}: "
        f"run `pip install -e {ROOT}` in this environment, or give each copy of the book its own",
        file=sys.stderr,
    )
    sys.exit(4)

from helpers.bounds import RECORD_VARIABLE  # noqa: E402
from helpers.numerics import ALTERNATIVE_KERNELS, describe_numerics  # noqa: E402

for _variable, _value in ALTERNATIVE_KERNELS.items():
    os.environ.setdefault(_variable, _value)

RESULTS = Path(tempfile.mkdtemp(prefix="lessons-test-results-"))
os.environ.update(LESSONS_RESULTS=str(RESULTS), LESSONS_RUN=f"pytest-{uuid.uuid4().hex[:12]}")
# every value a page or a test checks against a bound, for tests/test_sweep_runs_the_pages.py
os.environ[RECORD_VARIABLE] = str(RESULTS / "checks.jsonl")
for _variable in ("LESSONS_PAGE", "LESSONS_EXPECTED_RUNS"):  # a build's, never a test run's
    os.environ.pop(_variable, None)

import jupytext  # noqa: E402  (after the kernels are chosen: it may import numpy)
import nbval.plugin  # noqa: E402


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


def pytest_collection_modifyitems(session, config, items):
    """Tests marked ``after_pages`` run last, once the chapters and the other tests have checked
    their bounds (the order is otherwise kept)."""
    items.sort(key=lambda item: item.get_closest_marker("after_pages") is not None)


def pytest_report_header(config):
    settings = ", ".join(f"{variable}={os.environ[variable]}" for variable in ALTERNATIVE_KERNELS)
    return f"numerics: {describe_numerics()} ({settings})"


def pytest_unconfigure(config):
    shutil.rmtree(RESULTS, ignore_errors=True)
