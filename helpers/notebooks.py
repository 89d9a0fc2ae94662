"""Notebooks the book hands out: the cells that make one run outside the book's repository, and
the student edition of a chapter.

A published chapter (the site's download, Colab) starts with two setup cells that install this
package when it is missing. The *student edition* of a chapter is the same notebook without the
exercises' solutions: in the section ``## Exercises`` (each chapter's last), the solution text
(``:::{admonition} Solution`` blocks) is cut from the questions, every code cell is dropped except
the answer cells (tag ``answer``), whose outputs are cleared; the chapter before it is kept as it
is, so that the checkers the answer cells call are imported and the data they need are loaded.
"""

from __future__ import annotations

import re

import nbformat

SETUP_MARKER = "book-setup"  # cell metadata tag: the cells added here

SETUP_TEXT = """\
**Running this notebook outside the book's repository** (Colab, or a downloaded copy): the next
cell installs the book's `helpers` package from {repository} if it is missing, and does nothing
otherwise. The datasets are downloaded on first use (or set `LESSONS_DATA` to a folder that has
them; see the repository's README)."""

SETUP_CODE = """\
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("helpers") is None:
    # --no-deps: keep the environment's own PyTorch (Colab has one); add only what it may lack.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "{package}"], check=True)
    # myst-nb: the chapters glue their numbers into the text with it (Colab lacks it)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pooch", "tqdm", "myst-nb"], check=True)"""


def setup_cells(repository_url: str, branch: str) -> list:
    """The markdown and code cells that make a published chapter runnable on its own."""
    package = f"git+{repository_url.rstrip('/')}@{branch}"
    tags = {"tags": [SETUP_MARKER]}
    cells = [
        nbformat.v4.new_markdown_cell(SETUP_TEXT.format(repository=repository_url), metadata=tags),
        nbformat.v4.new_code_cell(SETUP_CODE.format(package=package), metadata=tags),
    ]
    for cell, name in zip(cells, ("text", "code")):
        cell["id"] = f"{SETUP_MARKER}-{name}"  # fixed, not random: the same build writes the same file
    return cells


ANSWER_TAG = "answer"  # an exercise's answer cell: kept, emptied of outputs, in the student edition
EXERCISES = re.compile(r"^## Exercises\s*$", re.MULTILINE)
SOLUTION_TEXT = re.compile(r"^:::\{admonition\} Solution\b.*?^:::[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def student_notebook(notebook):
    """A copy of the chapter ``notebook`` without the exercises' solutions (see the module's text).

    Raises ``ValueError`` if the notebook has no exercises section, or no answer cell in it.
    """
    notebook = nbformat.from_dict(notebook)  # a deep copy
    starts = [
        n for n, cell in enumerate(notebook.cells) if cell.cell_type == "markdown" and EXERCISES.search(cell.source)
    ]
    if not starts:
        raise ValueError("the notebook has no '## Exercises' section")
    kept = notebook.cells[: starts[0]]
    for cell in notebook.cells[starts[0] :]:
        if cell.cell_type == "markdown":
            cell.source = SOLUTION_TEXT.sub("", cell.source).strip("\n")
            if cell.source:  # a cell that held only a solution goes with it
                kept.append(cell)
        elif ANSWER_TAG in cell.metadata.get("tags", []):
            cell.outputs, cell.execution_count = [], None
            kept.append(cell)
    if not any(ANSWER_TAG in cell.metadata.get("tags", []) for cell in kept):
        raise ValueError("the exercises have no answer cell (tag 'answer')")
    notebook.cells = kept
    return notebook
