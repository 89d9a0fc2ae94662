"""Publish every chapter as an executed ``.ipynb`` that reads like its page and runs anywhere.

The chapters are jupytext text notebooks (``book/*.md``). At build time MyST-NB executes each one
into ``_build/jupyter_execute/`` and sphinx-book-theme copies that notebook, outputs included,
next to the page's source in ``_sources/`` and offers it in the download menu. What a reader
would miss in that copy is mended here, when the page is written:

- Its Markdown is MyST, which Jupyter does not render. It is rewritten by
  :mod:`jupyter_markdown` with what this build computed for the page (glued values, figure and
  table numbers, citations, links to the published site; see :func:`page_of`); markup it cannot
  resolve is one warning, which fails the build, and the notebook is not rewritten.
- The notebook imports this book's ``helpers`` package and packages a reader may lack. Setup
  cells in front (:func:`helpers.notebooks.setup_cells`) install what is missing, pinned as in
  ``requirements-reader.txt``, and the helpers of the commit this build is at.
- A cell the page hides (MyST-NB's ``remove-input``, ``remove-cell``, ``hide-input``, ...) is
  still in the notebook, so that a reader who runs it gets the same checks; it is marked hidden
  for JupyterLab (``jupyter.source_hidden`` / ``outputs_hidden``), so that the notebook reads like
  the page.
- A chapter's exercises have their solutions folded, on the page and in its notebook
  (``<details>``). A teacher hands out the *student edition* instead
  (``helpers.notebooks.student_notebook``): published beside the notebook as
  ``X-student.ipynb`` and offered second in the download menu.
- Colab opens only ``.ipynb`` files on GitHub, and the repository holds only the ``.md``
  sources. The built site, published to the ``notebooks_branch`` branch of the repository
  (CONTRIBUTING.md: Publish), does hold the executed notebooks, so the Colab button points there.
"""

from __future__ import annotations

import copy
import json
import posixpath
from pathlib import Path
from urllib.parse import urljoin

import jupyter_markdown  # the book's other extensions, beside this one
import nbformat
from build_record import commit_of
from docutils import nodes
from myst_nb.core.variables import format_plain_text
from safe_rebuilds import write_atomically
from sphinx.util import logging

logger = logging.getLogger(__name__)

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


def inline_markdown(node, address: str) -> str:
    """A resolved citation's text (words, *emphasis*, links) as Markdown; links made absolute
    against ``address``, the page's own."""
    if isinstance(node, nodes.Text):
        return jupyter_markdown.escape(node.astext())
    inner = "".join(inline_markdown(child, address) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.reference) and node.get("refuri"):
        return f"[{inner}]({urljoin(address, node['refuri'])})"
    return inner


def page_of(app, pagename: str, doctree) -> jupyter_markdown.Page:
    """What the build knows about the page ``pagename``, to resolve its MyST for Jupyter."""
    env = app.env
    site = app.config.html_baseurl.rstrip("/") + "/"

    def published(docname: str, anchor: str = "") -> str:
        return f"{site}{docname}.html" + (f"#{anchor}" if anchor else "")

    # MyST-NB writes what the page glued beside the executed notebook, in the same read.
    glued = Path(env.mystnb_config.output_folder, f"{pagename}.glue.json")
    references = {}
    for label, (docname, anchor, title) in env.domaindata["std"]["labels"].items():
        text = title
        for kind, numbers in env.toc_fignumbers.get(docname, {}).items():
            if anchor in numbers:
                text = app.config.numfig_format[kind] % ".".join(map(str, numbers[anchor]))
        references[label] = (text, published(docname, anchor))
    citations = {}
    for node in doctree.findall(nodes.inline):
        if "bibtex-citation" in node["classes"]:  # "[Krizhevsky, 2009]" (p) or "Shannon [1948]" (t)
            style = "p" if node.astext().startswith("[") else "t"
            citations[node.rawsource, style] = inline_markdown(node, published(pagename))
    directory = posixpath.dirname(pagename) + "/" if "/" in pagename else ""

    def address(path: str) -> str | None:
        file, _, anchor = path.partition("#")
        docname = posixpath.normpath(posixpath.join(directory, file.removesuffix(".md")))
        return published(docname, anchor) if docname in env.titles else None

    return jupyter_markdown.Page(
        glue=json.loads(glued.read_text()) if glued.exists() else {},
        format_glue=format_plain_text,
        references=references,
        documents={docname: (title.astext(), published(docname)) for docname, title in env.titles.items()},
        citations=citations,
        address=address,
        directory=directory,
    )


def publish_editions(path: Path, page: jupyter_markdown.Page, setup: list) -> bool:
    """Rewrite the executed notebook at ``path`` for a reader, and write its student edition
    beside it; once (a page may be written twice). True if the page has a student edition."""
    # Imported here, not at the top: the build first checks that `helpers` is this book's own.
    from helpers.notebooks import SETUP_MARKER, NoExercises, student_notebook

    notebook = nbformat.read(path, as_version=4)
    student = path.with_name(student_path(path.name))
    if any(SETUP_MARKER in cell.metadata.get("tags", []) for cell in notebook.cells):
        return student.exists()
    mark_hidden_cells(notebook)
    editions = {path: notebook}
    try:  # from the MyST, where the solutions are still marked as such
        editions[student] = student_notebook(notebook)
    except NoExercises:
        pass  # not a chapter
    except ValueError as error:  # solutions it cannot cut: no edition, and a failed build
        raise jupyter_markdown.UnresolvedMyST(f"no student edition: {error}") from None
    for edition in editions.values():  # both, before either is written
        jupyter_markdown.as_jupyter_markdown(edition, page)
        edition.cells[0:0] = copy.deepcopy(setup)
    for target, edition in editions.items():
        # Whole or not at all: a build stopped here must not leave a notebook cut short.
        write_atomically(target, nbformat.writes(edition).encode())
    return student in editions


def colab_url(colab: str, repository_url: str, notebooks_branch: str, notebook: str) -> str:
    """Colab's address for ``notebook`` (a path inside the built site) on the published branch."""
    github_path = repository_url.rstrip("/").split("github.com/", 1)[1]
    return f"{colab.rstrip('/')}/github/{github_path}/blob/{notebooks_branch}/_sources/{notebook}"


def student_path(notebook: str) -> str:
    """Where a chapter's student edition is published, beside its notebook: ``X-student.ipynb``."""
    return notebook.removesuffix(".ipynb") + "-student.ipynb"


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
    from helpers.notebooks import reader_requirements, setup_cells  # after the check of `helpers`

    options = app.config.html_theme_options
    repository_url = options.get("repository_url", "")
    path = Path(app.outdir, "_sources", notebook)
    page = f"{app.config.html_baseurl.rstrip('/')}/{pagename}.html"
    requirements = reader_requirements(Path(app.srcdir))
    needs = tuple(app.env.titles[source].astext() for source in app.config.page_dependencies.get(pagename, ()))
    setup = setup_cells(repository_url, app.config.book_commit, requirements, page, needs)
    try:
        has_student_edition = publish_editions(path, page_of(app, pagename, doctree), setup)
    except jupyter_markdown.UnresolvedMyST as error:
        logger.warning(f"{pagename}: the published notebook would show raw MyST, {error}", location=pagename)
        return
    if has_student_edition:
        offer_student_edition(context, notebook)
    launch = options.get("launch_buttons", {})
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group["buttons"]:
            if button.get("text") == "Colab":
                button["url"] = colab_url(launch["colab_url"], repository_url, app.config.notebooks_branch, notebook)


def book_commit(app, config) -> None:
    """The commit the build's sources are at (the setup cell installs the helpers of that one)."""
    branch = config.html_theme_options.get("repository_branch", "main")
    config.book_commit = config.book_commit or commit_of(app.srcdir) or branch


def setup(app):
    # The branch the built site (and so the executed notebooks) is published to.
    app.add_config_value("notebooks_branch", "gh-pages", "html")
    # The commit the notebooks' setup cell installs the helpers of: the build's own (git). Not a
    # reason to rewrite a page: a page not re-executed was computed by the same helpers.
    app.add_config_value("book_commit", "", "")
    app.connect("config-inited", book_commit)
    app.connect("html-page-context", publish_notebook, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
