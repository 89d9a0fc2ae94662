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
- A chapter's exercises show their solutions, on the page and in its notebook. A teacher hands
  out the *student edition* instead (``helpers.notebooks.student_notebook``): published beside
  the notebook as ``X-student.ipynb`` and offered second in the download menu.
- Colab opens only ``.ipynb`` files on GitHub, and the repository holds only the ``.md``
  sources. The built site, published to the ``notebooks_branch`` branch of the repository (the
  publish command in CONTRIBUTING.md), does hold the executed notebooks, so the Colab button points there.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from safe_rebuilds import write_atomically  # the book's other extension, beside this one

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
    # Imported here, not at the top: the build first checks that `helpers` is this book's own.
    from helpers.notebooks import SETUP_MARKER, setup_cells

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


def student_path(notebook: str) -> str:
    """Where a chapter's student edition is published, beside its notebook: ``X-student.ipynb``."""
    return notebook.removesuffix(".ipynb") + "-student.ipynb"


def add_student_edition(path: Path) -> bool:
    """Write the student edition of the published notebook at ``path`` beside it; False if the
    page has no exercises with answer cells (it is not a chapter)."""
    from helpers.notebooks import student_notebook  # after the build's check of `helpers`

    try:
        student = student_notebook(nbformat.read(path, as_version=4))
    except ValueError:
        return False
    write_atomically(path.with_name(student_path(path.name)), nbformat.writes(student).encode())
    return True


def offer_student_edition(context: dict, notebook: str) -> None:
    """A second notebook in the page's download menu, after the executed one."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for number, button in enumerate(group["buttons"]):
            if button.get("label") == "download-notebook-button":
                student = dict(button, url=student_path(button["url"]), text="student .ipynb")
                student.update(tooltip="Download the notebook without solutions", label="download-student-button")
                group["buttons"].insert(number + 1, student)
                return


def publish_notebook(app, pagename, templatename, context, doctree):
    """After the theme (priority 501) has copied the executed notebook and made its buttons."""
    notebook = context.get("ipynb_source")
    if not notebook:
        return  # not a notebook page
    options = app.config.html_theme_options
    repository_url = options.get("repository_url", "")
    path = Path(app.outdir, "_sources", notebook)
    add_setup_cells(path, repository_url, options.get("repository_branch", "main"))
    if add_student_edition(path):
        offer_student_edition(context, notebook)
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
