"""Each chapter page offers its executed notebook for download and launch links that lead to it:
Colab to the published .ipynb, Binder to the source, which JupyterLab opens as a notebook."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from site_pages import ROOT, SITE, chapter_docnames, executed_docnames


def button_links(page, site_url, docname) -> list[str]:
    """Where the page's header buttons (launch, download, repository) point."""
    page.goto(f"{site_url}/{docname}.html")
    anchors = page.locator("a.btn")
    return [anchors.nth(i).get_attribute("href") or "" for i in range(anchors.count())]


@pytest.mark.parametrize("docname", executed_docnames())
def test_the_page_offers_its_notebook_with_outputs(page, site_url, docname):
    hrefs = button_links(page, site_url, docname)
    download = [h for h in hrefs if h.endswith(f"_sources/{docname}.ipynb")]
    assert download, f"{docname}: no .ipynb download among {hrefs}"
    response = page.request.get(f"{site_url}/_sources/{docname}.ipynb")
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["book-setup"]  # it must run before `helpers` can be imported:
    assert not re.search(r"^(import|from) helpers", code[0].source, re.MULTILINE)
    to_run = [cell for cell in code[1:] if "skip-execution" not in cell.metadata.get("tags", [])]
    executed = [cell for cell in to_run if cell.execution_count]
    assert len(executed) == len(to_run), f"{docname}: cells without an execution count"
    assert any(cell.outputs for cell in executed), f"{docname}: the notebook has no outputs"
    # what the page hides is in the notebook too, collapsed in JupyterLab as on the page
    hiding = [
        cell for cell in code if {"remove-cell", "remove-input", "hide-input"} & set(cell.metadata.get("tags", []))
    ]
    assert hiding, f"{docname}: no cell the page hides"
    unmarked = [cell.source[:60] for cell in hiding if not cell.metadata.get("jupyter", {}).get("source_hidden")]
    assert unmarked == [], f"{docname}: hidden on the page, not in the notebook: {unmarked}"


@pytest.mark.parametrize("docname", chapter_docnames())
def test_a_chapter_also_offers_its_student_notebook_without_solutions(page, site_url, docname):
    page.goto(f"{site_url}/{docname}.html")
    menu = page.locator(".dropdown-download-buttons")
    menu.locator("button").first.click()
    links = menu.locator("a.btn")
    texts = [links.nth(i).inner_text().strip() for i in range(links.count())]
    assert texts[:2] == [".ipynb", "student .ipynb"], texts  # the executed notebook, then the student's
    href = links.nth(1).get_attribute("href")
    assert href.endswith(f"_sources/{docname}-student.ipynb"), href
    assert links.nth(1).is_visible()
    full = nbformat.reads(page.request.get(f"{site_url}/_sources/{docname}.ipynb").text(), as_version=4)
    student = nbformat.reads(page.request.get(f"{site_url}/_sources/{docname}-student.ipynb").text(), as_version=4)
    nbformat.validate(student)
    solutions = [cell for cell in full.cells if "<summary>Solution</summary>" in cell.source]
    assert solutions, f"{docname}: the executed notebook shows no solution"
    assert not any(marker in cell.source for cell in student.cells for marker in ("<summary>Solution", "Solution\n:"))
    assert not any(".solution()" in cell.source for cell in student.cells if cell.cell_type == "code")
    answers = [cell for cell in student.cells if "answer" in cell.metadata.get("tags", [])]
    assert len(answers) >= 2 and all(cell.outputs == [] for cell in answers)
    # the chapter before the exercises is the executed one, outputs included
    assert student.cells[:5] == full.cells[:5]


@pytest.mark.parametrize("docname", executed_docnames())
def test_colab_opens_the_published_notebook_and_binder_the_source(page, site_url, docname):
    hrefs = button_links(page, site_url, docname)
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/github/")]
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/v2/gh/")]
    assert len(colab) == 1 and len(binder) == 1, hrefs
    # Colab: the notebook as published with the site (CONTRIBUTING.md: Publish), a file this build wrote.
    published_path = colab[0].split("/blob/", 1)[1].split("/", 1)[1]
    assert published_path == f"_sources/{docname}.ipynb" and (SITE / published_path).is_file()
    # Binder: the chapter's source in the repository, opened by JupyterLab.
    urlpath = parse_qs(urlparse(binder[0]).query)["urlpath"][0]
    assert urlpath == f"lab/tree/{docname}.md" and (ROOT / f"{docname}.md").is_file()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on the repository, configured by the same postBuild script Binder runs."""
    config = tmp_path_factory.mktemp("jupyter")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config / "config"),
        "JUPYTER_RUNTIME_DIR": str(config / "run"),
        "JUPYTER_DATA_DIR": str(config / "data"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    subprocess.run(["bash", str(ROOT / "postBuild")], env=env, check=True)
    # Every cell of a notebook rendered, not only those scrolled into view (JupyterLab's windowing).
    tracker = config / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={ROOT}",
            f"--LabApp.workspaces_dir={config / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: open notebooks without reloading
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kernels it starts go with it
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}"
    # A polite stop waits for the notebook's kernel to shut down, which took 30 s and more;
    # nothing of the server is needed after the test, so its whole group is killed.
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def test_binders_link_opens_the_chapter_as_a_notebook(page, site_url, jupyterlab):
    docname = "book/01_regression_argmax"
    binder = next(h for h in button_links(page, site_url, docname) if h.startswith("https://mybinder.org/"))
    urlpath = parse_qs(urlparse(binder).query)["urlpath"][0]
    page.goto(f"{jupyterlab}/{urlpath}")
    # a notebook panel (not the text editor) whose first cell is the chapter's title
    title = page.locator(".jp-NotebookPanel .jp-MarkdownCell", has_text="Chapter 1:")
    title.first.wait_for(timeout=60_000)
    assert page.locator(".jp-FileEditor").count() == 0


#: What MyST writes and Jupyter's Markdown does not render: none may reach a reader.
RAW_MYST = ("{glue", "{numref", "{cite", "{ref}", "{doc}", ":::", "```{")


@pytest.fixture(scope="module")
def lab(browser, jupyterlab):
    """A tab with JupyterLab loaded once, for the notebooks to open in, one after another."""
    tab = browser.new_page()
    tab.goto(f"{jupyterlab}/lab?reset")
    tab.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=60_000)
    yield tab
    tab.close()


def rendered_markdown(lab, notebook: Path):
    """Open ``notebook`` in JupyterLab, alone; its Markdown cells once every one is rendered."""
    shown = [
        cell
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "markdown" and not cell.metadata.get("jupyter", {}).get("source_hidden")
    ]
    lab.evaluate(
        """async path => {
               await window.jupyterapp.commands.execute('application:close-all');
               await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
           }""",
        str(notebook.relative_to(ROOT)),
    )
    lab.wait_for_function(
        """n => document.querySelectorAll('.jp-NotebookPanel').length === 1 &&
               [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown')]
               .filter(cell => cell.textContent.trim()).length >= n""",
        arg=len(shown),
        timeout=60_000,
    )
    return lab.locator(".jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown")


def page_texts(page, site_url, docname, before_exercises=False) -> dict[str, list[str]]:
    """The glued numbers, and the figures' and tables' captions, the page on the site shows
    unfolded; only those before its exercises, if ``before_exercises`` (what a student edition
    keeps whole)."""
    page.goto(f"{site_url}/{docname}.html")
    # what the page folds (a solution's figure) is folded in the notebook too, and not compared
    within = "article section#exercises, details.hide" if before_exercises else "details.hide"
    selectors = {
        "numbers": ".pasted-text",
        "captions": "figcaption .caption-text, table caption .caption-text",
        "numbered": ".caption-number",
    }
    return {
        kind: page.evaluate(
            """([selector, within]) => [...document.querySelectorAll(`article ${selector}`)]
                   .filter(element => !element.closest(within)).map(element => element.textContent)""",
            [selector, within],
        )
        for kind, selector in selectors.items()
    }


def one_line(text: str) -> str:
    """Spaces as one, and quotes as typed (the site's typesetting curls them)."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


@pytest.mark.parametrize("edition", ["executed", "student"])
@pytest.mark.parametrize("docname", executed_docnames())
def test_the_downloaded_notebook_reads_like_the_page_in_jupyterlab(page, site_url, lab, docname, edition):
    notebook = SITE / "_sources" / (f"{docname}-student.ipynb" if edition == "student" else f"{docname}.ipynb")
    if edition == "student" and docname not in chapter_docnames():
        pytest.skip("a page without exercises has no student edition")
    expected = page_texts(page, site_url, docname, before_exercises=edition == "student")
    assert expected["numbers"], f"{docname}: no glued number on the page to look for"
    cells = rendered_markdown(lab, notebook)
    everything = one_line(" ".join(cells.all_text_contents()))
    left = [markup for markup in RAW_MYST if markup in everything]
    assert left == [], f"{notebook.name}: raw MyST in the rendered notebook: {left}"
    missing = {kind: sorted({t for t in texts if one_line(t) not in everything}) for kind, texts in expected.items()}
    assert missing == {kind: [] for kind in expected}, f"{notebook.name}: the page's text not in the notebook"
    solutions = lab.locator(".jp-NotebookPanel details", has=lab.locator("summary", has_text="Solution"))
    if edition == "executed" and docname in chapter_docnames():
        assert solutions.count() >= 2, f"{notebook.name}: no folded solution"
        assert lab.locator(".jp-NotebookPanel details[open]").count() == 0, "a solution shown unfolded"
        assert all(not solutions.nth(i).locator("p").first.is_visible() for i in range(solutions.count()))
    else:
        assert solutions.count() == 0
    if docname == "book/02_softmax_cross_entropy":  # the notation table, a table and not lines of pipes
        headers = lab.locator(".jp-NotebookPanel .jp-RenderedMarkdown table th").all_text_contents()
        assert {"symbol", "shape", "meaning"} <= {one_line(h) for h in headers}
