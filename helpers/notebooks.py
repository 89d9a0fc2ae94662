"""Notebooks the book hands out: the cells that make one run outside the book's repository, and
the student edition of a chapter.

A published chapter (the site's download, Colab) starts with two setup cells. In a reader's
environment (Colab, a laptop, a new virtual environment) the code cell installs what the chapter
imports and is missing, pinned as in ``requirements-reader.txt`` (PyTorch from PyTorch's CPU-only
index, and never over an installed one), and this package of the commit that built the notebook.
It recognises the book's package by its distribution (``dl-lessons-helpers``), not by the name
``helpers``, and makes ``import helpers`` find it even where a student's own ``helpers.py`` comes
first on the path. In the book's own environment it installs nothing.

The *student edition* of a chapter is the same notebook without the exercises' solutions: in the
section ``## Exercises`` (each chapter's last), the solution text (``:::{admonition} Solution``
blocks) is cut from the questions, every code cell is dropped except
the answer cells (tag ``answer``), whose outputs are cleared; the chapter before it is kept as it
is, so that the checkers the answer cells call are imported and the data they need are loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

SETUP_MARKER = "book-setup"  # cell metadata tag: the cells added here

SETUP_TEXT = """\
**Before the chapter: setting up.** The next cell makes this notebook run outside the book's own
environment: in Colab, or in Jupyter with Python 3.11 or later on a laptop or in a new virtual
environment. It installs what the chapter imports and is missing, at the versions the book was
built with, and the book's `helpers` package of the same commit
([{short}]({repository}/tree/{commit})). A package already installed, PyTorch included, is left
alone; with other versions, the last digits of some outputs may differ. In the book's own
environment the cell installs nothing. A file `helpers.py` of your own beside this notebook would be hidden
by the book's `helpers`: rename it. The datasets are downloaded on first use; `LESSONS_DATA` may
name a folder that already holds them.{needs}

The numbers in the text are those of the build that made this notebook, as on the
[published page]({page}). Running the cells recomputes the outputs beside them."""

SETUP_CODE = """\
import sys

if sys.version_info < (3, 11):
    sys.exit(f"The book needs Python 3.11 or later; this kernel runs {{sys.version.split()[0]}}.")

import importlib.metadata as metadata
import importlib.util
import json
import platform
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

COMMIT = {commit!r}
BOOK = {book!r}
PINNED = {pinned}
TORCH = {torch!r}


def pip_install(*requirements):
    command = [sys.executable, "-m", "pip", "install", "--quiet", *requirements]
    subprocess.run(command, check=True)


def installed(requirement):
    name = requirement.partition("==")[0]
    try:
        return bool(metadata.version(name))
    except metadata.PackageNotFoundError:
        return False


def book_helpers():
    \"\"\"The `helpers/__init__.py` of the book's package, if it is installed.\"\"\"
    try:
        package = metadata.distribution("dl-lessons-helpers")
    except metadata.PackageNotFoundError:
        return None
    origin = json.loads(package.read_text("direct_url.json") or "{{}}")
    if origin.get("dir_info", {{}}).get("editable"):  # a clone: its own helpers
        folder = Path(unquote(urlparse(origin["url"]).path))
    elif COMMIT not in origin.get("url", COMMIT):
        return None  # another build's helpers
    else:
        folder = Path(package.locate_file(""))
    init = folder / "helpers" / "__init__.py"
    return init if init.is_file() else None


if not installed(TORCH):  # PyTorch's CPU-only build (PyPI's Linux wheel bundles CUDA)
    cpu = ["--index-url", "https://download.pytorch.org/whl/cpu"]
    pip_install(TORCH, *([] if platform.system() == "Darwin" else cpu))
if missing := [pin for pin in PINNED if not installed(pin)]:
    pip_install(*missing)
if book_helpers() is None:
    pip_install("--no-deps", "--force-reinstall", BOOK)
    importlib.invalidate_caches()
# `import helpers` must find the book's package, even where a module of that name
# (a helpers.py beside this notebook) comes first on the path.
init = book_helpers()
spec = importlib.util.find_spec("helpers")
if spec is None or spec.origin is None or Path(spec.origin) != init:
    if spec is not None and spec.origin is not None:
        print(f"{{spec.origin}} is not the book's helpers; rename it: `import helpers` is the book's here")
    for name in [name for name in sys.modules if name.split(".")[0] == "helpers"]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        "helpers", init, submodule_search_locations=[str(init.parent)]
    )
    sys.modules["helpers"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["helpers"])
print(f"ready: the book's helpers from {{init.parent}}")"""

#: What a reader's install adds to read the chapters (JupyterLab, its MyST) rather than run them,
#: and PyTorch, which the setup cell installs apart (from PyTorch's CPU-only index).
READER_FRONT_END = {"jupyterlab", "jupytext", "jupyterlab-myst", "notebook"}


def reader_requirements(root: Path) -> tuple[str, list[str]]:
    """The pinned PyTorch and the other pinned packages the chapters import, from the book's
    ``requirements-reader.txt`` (without the Jupyter front end and the book's own package)."""
    torch, pins = "torch", []
    for line in (root / "requirements-reader.txt").read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        name = requirement.partition("==")[0].strip().lower()
        if not requirement or requirement.startswith("-") or name in READER_FRONT_END:
            continue
        if name == "torch":
            torch = requirement
        else:
            pins.append(requirement)
    return torch, pins


def setup_cells(
    repository_url: str, commit: str, requirements: tuple[str, list[str]], page: str, needs: tuple[str, ...] = ()
) -> list:
    """The Markdown and code cells that make a published chapter runnable on its own: they install
    what is missing, pinned (``requirements``, from :func:`reader_requirements`), and the book's
    ``helpers`` of ``commit``; ``page`` is the chapter's published address, ``needs`` the titles of
    the pages whose saved results it reads."""
    repository = repository_url.rstrip("/")
    torch, pins = requirements
    pinned = "[\n" + "".join(f"    {pin!r},\n" for pin in pins) + "]"
    tags = {"tags": [SETUP_MARKER]}
    titles = " and ".join(f"*{title}*" for title in needs)
    first = f" This page reads the results that {titles} save: run their notebooks here first." if needs else ""
    text = SETUP_TEXT.format(repository=repository, commit=commit, short=commit[:7], page=page, needs=first)
    book = f"dl-lessons-helpers @ {repository}/archive/{commit}.zip"
    code = SETUP_CODE.format(book=book, commit=commit, pinned=pinned, torch=torch)
    cells = [
        nbformat.v4.new_markdown_cell(text, metadata=tags),
        nbformat.v4.new_code_cell(code, metadata=tags),
    ]
    for cell, name in zip(cells, ("text", "code")):
        cell["id"] = f"{SETUP_MARKER}-{name}"  # fixed, not random: the same build writes the same file
    return cells


ANSWER_TAG = "answer"  # an exercise's answer cell: kept, emptied of outputs, in the student edition
EXERCISES = re.compile(r"^## Exercises\s*$", re.MULTILINE)
#: A solution, as the chapters write it: an admonition titled "Solution", in any fence.
SOLUTION = re.compile(r"\{admonition\}\s+solution\b", re.IGNORECASE)


class NoExercises(ValueError):
    """The page has no exercises (it is not a chapter): it has no student edition."""


def without_solutions(markdown: str) -> str:
    """``markdown`` without its solution admonitions, found by a CommonMark parser with MyST's
    colon fences (any fence, backticks or colons, of any length, any case of the title).

    Raises ``ValueError`` for a solution whose fence is not closed (a cut chapter) and for solution
    text left that is not such an admonition: better no student edition than one with an answer.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    lines = markdown.split("\n")
    cut: set[int] = set()
    for token in MarkdownIt("commonmark").use(colon_fence_plugin).parse(markdown):
        if token.type not in ("fence", "colon_fence") or not SOLUTION.match(token.info.strip()):
            continue
        start, end = token.map
        closing = lines[end - 1].strip().lstrip(">").strip() if end - 1 > start else ""
        if not (closing and set(closing) == {token.markup[0]} and len(closing) >= len(token.markup)):
            raise ValueError(f"the solution at line {start + 1} of an exercise is not closed")
        cut.update(range(start, end))
    kept = "\n".join(line for number, line in enumerate(lines) if number not in cut)
    if SOLUTION.search(kept):
        raise ValueError("an exercise's solution is not an admonition the student edition can cut")
    return kept


def student_notebook(notebook):
    """A copy of the chapter ``notebook`` without the exercises' solutions (see the module's text).

    Raises ``ValueError`` if the notebook has no exercises section, no answer cell in it, or a
    solution that does not parse (:func:`without_solutions`).
    """
    notebook = nbformat.from_dict(notebook)  # a deep copy
    starts = [
        n for n, cell in enumerate(notebook.cells) if cell.cell_type == "markdown" and EXERCISES.search(cell.source)
    ]
    if not starts:
        raise NoExercises("the notebook has no '## Exercises' section")
    kept = notebook.cells[: starts[0]]
    for cell in notebook.cells[starts[0] :]:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\n{3,}", "\n\n", without_solutions(cell.source)).strip("\n")
            if cell.source:  # a cell that held only a solution goes with it
                kept.append(cell)
        elif ANSWER_TAG in cell.metadata.get("tags", []):
            cell.outputs, cell.execution_count = [], None
            kept.append(cell)
    if not any(ANSWER_TAG in cell.metadata.get("tags", []) for cell in kept):
        raise ValueError("the exercises have no answer cell (tag 'answer')")
    notebook.cells = kept
    return notebook
