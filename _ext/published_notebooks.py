"""Publish every chapter as an executed ``.ipynb`` that runs anywhere, and launch Colab on it.

The chapters are jupytext text notebooks (``book/*.md``). At build time MyST-NB executes each one
into ``_build/jupyter_execute/`` and sphinx-book-theme copies that notebook, outputs included,
next to the page's source in ``_sources/`` and offers it in the download menu. Two gaps remain,
both filled here:

- The notebook imports this book's ``helpers`` package, which a downloaded copy or a Colab
  session does not have. A first cell is added that installs it from the repository when (and
  only when) it cannot be imported; in a clone of the book it does nothing.
- A cell the page hides (MyST-NB's ``remove-input``, ``remove-cell``, ``hide-input``, ...) is
  still in the notebook, so that a reader who runs it gets the same checks; it is marked hidden
  for JupyterLab (``jupyter.source_hidden`` / ``outputs_hidden``), so that the notebook reads like
  the page.
- Colab opens only ``.ipynb`` files on GitHub, and the repository holds only the ``.md``
  sources. The built site, published to the ``notebooks_branch`` branch of the repository (the
  README's publish command), does hold the executed notebooks, so the Colab button points there.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from safe_rebuilds import write_atomically  # the book's other extension, beside this one

SETUP_MARKER = "book-setup"  # cell metadata tag: the cell this extension adds

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
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pooch", "tqdm"], check=True)"""


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


#: MyST-NB's tags that hide part of a cell on the page, and what JupyterLab collapses for each.
HIDDEN_PARTS = {
    "remove-input": ("source_hidden",),
    "hide-input": ("source_hidden",),
    "remove-output": ("outputs_hidden",),
    "hide-output": ("outputs_hidden",),
    "remove-cell": ("source_hidden", "outputs_hidden"),
    "hide-cell": ("source_hidden", "outputs_hidden"),
}


def mark_hidden_cells(notebook) -> None:
    """Collapse in JupyterLab what the page hides: ``metadata.jupyter.source_hidden`` and
    ``outputs_hidden`` (JupyterLab's own keys), from each cell's MyST-NB tags."""
    for cell in notebook.cells:
        parts = {part for tag in cell.metadata.get("tags", []) for part in HIDDEN_PARTS.get(tag, ())}
        if cell.cell_type != "code":
            parts.discard("outputs_hidden")
        if parts:
            cell.metadata.setdefault("jupyter", {}).update(dict.fromkeys(sorted(parts), True))


def add_setup_cells(path: Path, repository_url: str, branch: str) -> None:
    """Add the setup cells in front and mark the hidden cells, once (a page may be written twice)."""
    notebook = nbformat.read(path, as_version=4)
    if any(SETUP_MARKER in cell.metadata.get("tags", []) for cell in notebook.cells):
        return
    mark_hidden_cells(notebook)
    notebook.cells[0:0] = setup_cells(repository_url, branch)
    # Whole or not at all: a build stopped here must not leave a notebook cut short.
    write_atomically(path, nbformat.writes(notebook).encode())


def colab_url(colab: str, repository_url: str, notebooks_branch: str, notebook: str) -> str:
    """Colab's address for ``notebook`` (a path inside the built site) on the published branch."""
    github_path = repository_url.rstrip("/").split("github.com/", 1)[1]
    return f"{colab.rstrip('/')}/github/{github_path}/blob/{notebooks_branch}/_sources/{notebook}"


def publish_notebook(app, pagename, templatename, context, doctree):
    """After the theme (priority 501) has copied the executed notebook and made its buttons."""
    notebook = context.get("ipynb_source")
    if not notebook:
        return  # not a notebook page
    options = app.config.html_theme_options
    repository_url = options.get("repository_url", "")
    add_setup_cells(Path(app.outdir, "_sources", notebook), repository_url, options.get("repository_branch", "main"))
    launch = options.get("launch_buttons", {})
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group["buttons"]:
            if button.get("text") == "Colab":
                button["url"] = colab_url(launch["colab_url"], repository_url, app.config.notebooks_branch, notebook)


def setup(app):
    # The branch the built site (and so the executed notebooks) is published to.
    app.add_config_value("notebooks_branch", "gh-pages", "html")
    app.connect("html-page-context", publish_notebook, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
