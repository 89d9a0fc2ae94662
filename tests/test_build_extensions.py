"""The book's Sphinx extensions (_ext/): which helpers files a chapter depends on, the
published notebooks' setup cells and Colab links, and the chapters' figure numbers."""

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import chapter_figure_numbers as numbers  # noqa: E402
import helper_dependencies as deps  # noqa: E402
import jupyter_markdown  # noqa: E402
import published_notebooks as published  # noqa: E402

from helpers.notebooks import reader_requirements, setup_cells  # noqa: E402


def test_imported_names_resolve_relative_imports_and_skip_magics():
    code = (
        "%matplotlib inline\n!pip list\nimport numpy as np\nfrom .b import f\nfrom .. import c\nfrom toy.x import y, z"
    )
    assert deps.imported_names(code, "toy.sub.a") == {
        "numpy",
        "toy.sub.b",
        "toy.sub.b.f",
        "toy",
        "toy.c",
        "toy.x",
        "toy.x.y",
        "toy.x.z",
    }
    # in a package's __init__, "." is the package itself
    assert deps.imported_names("from .a import f", "toy.sub", is_package=True) == {"toy.sub.a", "toy.sub.a.f"}
    assert deps.imported_names("this is not python(") == set()


@pytest.fixture
def toy(tmp_path):
    """toy/{__init__, a (imports .b), b (imports toy.sub.c), unused}.py and toy/sub/{__init__, c}.py"""
    files = {
        "__init__.py": "",
        "a.py": "from .b import g\n",
        "b.py": "import toy.sub.c\ng = 1\n",
        "unused.py": "",
        "sub/__init__.py": "",
        "sub/c.py": "import numpy\n",
        "sub/assets/style.css": "",  # not a package: a file sub's modules may read
    }
    for name, text in files.items():
        path = tmp_path / "toy" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return {"toy": tmp_path / "toy"}


def test_dependencies_follow_imports_through_the_package(toy):
    found = deps.dependencies("from toy.a import g\nimport numpy", toy)
    assert {p.relative_to(toy["toy"]).as_posix() for p in found} == {
        "__init__.py",
        "a.py",
        "b.py",
        "sub/__init__.py",
        "sub/c.py",
        "sub/assets/style.css",
    }
    assert deps.dependencies("from toy import sub", toy) == {
        toy["toy"] / "__init__.py",
        toy["toy"] / "sub/__init__.py",
        toy["toy"] / "sub/assets/style.css",
    }
    # a package folder is not an asset folder: toy's own modules do not bring in sub's assets
    assert deps.dependencies("from toy import unused", toy) == {toy["toy"] / "__init__.py", toy["toy"] / "unused.py"}
    assert deps.dependencies("import numpy", toy) == set()


def test_the_real_chapters_depend_on_the_helpers_they_use():
    import jupytext

    roots = deps.package_roots(["helpers"])
    book = Path(__file__).resolve().parents[1] / "book"

    def files(chapter):
        notebook = jupytext.read(book / chapter)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        return {p.relative_to(roots["helpers"]).as_posix() for p in deps.dependencies(code, roots)}

    regression, cifar = files("01_regression_argmax.md"), files("03_cifar_one_layer.md")
    assert {
        "ch01_regression_argmax/net.py",
        "ch01_regression_argmax/js/train.js",
        "sliders.py",
    } <= regression and "cifar_one_layer/model.py" not in regression
    assert not any(name.endswith(".js") for name in cifar)
    assert {
        "cifar_one_layer/model.py",
        "ch03_cifar_one_layer/gradcheck.py",
        "softmax.py",
        "data/cifar10.py",
        "sliders.py",
    } <= cifar


REQUIREMENTS = ("torch==2.13.0", ["numpy==2.4.6", "tqdm==4.70.1"])


def setup(commit="0123abc"):
    return setup_cells("https://github.com/org/book", commit, REQUIREMENTS, "https://org.github.io/book/book/x.html")


def empty_page():
    return jupyter_markdown.Page(
        glue={}, format_glue=str, references={}, documents={}, citations={}, address=lambda path: None
    )


def test_setup_cells_are_added_once_in_front(tmp_path):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import helpers", id="first")]), path)
    for _ in range(2):
        published.publish_editions(path, empty_page(), setup())
    cells = nbformat.read(path, as_version=4).cells
    assert [c.id for c in cells] == ["book-setup-text", "book-setup-code", "first"]
    assert "https://github.com/org/book/archive/0123abc.zip" in cells[1].source
    assert "'numpy==2.4.6'" in cells[1].source and "torch==2.13.0" in cells[1].source
    nbformat.validate(nbformat.read(path, as_version=4))


def test_cells_the_page_hides_are_kept_and_collapsed_for_jupyterlab(tmp_path):
    path = tmp_path / "chapter.ipynb"
    tagged = {
        "teach": [],
        "check": ["remove-cell"],
        "table": ["remove-input"],
        "imports": ["hide-input"],
        "solution": ["hide-cell"],
    }
    cells = [nbformat.v4.new_code_cell(name, id=name, metadata={"tags": tags}) for name, tags in tagged.items()]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    published.publish_editions(path, empty_page(), setup())
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    hidden = {cell.id: cell.metadata.get("jupyter", {}) for cell in notebook.cells}
    both = {"source_hidden": True, "outputs_hidden": True}
    assert hidden["teach"] == {} and hidden["check"] == both and hidden["solution"] == both
    assert hidden["table"] == hidden["imports"] == {"source_hidden": True}
    assert [cell.source for cell in notebook.cells[2:]] == list(tagged)  # every cell kept, in order


def test_a_chapter_is_published_with_a_student_edition_both_in_jupyter_markdown(tmp_path):
    path = tmp_path / "chapter.ipynb"
    cells = [
        nbformat.v4.new_markdown_cell("# Chapter 9\n\nThere are {glue:text}`n:,` images."),
        nbformat.v4.new_markdown_cell(
            "## Exercises\n\n**1.** Why?\n\n:::{admonition} Solution\n:class: dropdown\nBecause.\n:::"
        ),
        nbformat.v4.new_code_cell("answer = None", metadata={"tags": ["answer"]}),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    page = empty_page()
    page.glue = {"n": {"data": {"text/plain": "60000"}}}
    page.format_glue = published.format_plain_text
    assert published.publish_editions(path, page, setup())
    executed = nbformat.read(path, as_version=4)
    student = nbformat.read(tmp_path / "chapter-student.ipynb", as_version=4)
    assert executed.cells[2].source == "# Chapter 9\n\nThere are 60,000 images."
    assert "<details>\n<summary>Solution</summary>\n\nBecause.\n\n</details>" in executed.cells[3].source
    assert student.cells[2].source == executed.cells[2].source
    assert student.cells[3].source == "## Exercises\n\n**1.** Why?"  # no solution, folded or not
    assert [cell.id for cell in student.cells[:2]] == ["book-setup-text", "book-setup-code"]


def test_a_page_with_markup_it_cannot_resolve_is_not_published_half_resolved(tmp_path):
    path = tmp_path / "chapter.ipynb"
    cells = [nbformat.v4.new_markdown_cell("As {numref}`fig-missing` shows.")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    with pytest.raises(jupyter_markdown.UnresolvedMyST, match="fig-missing"):
        published.publish_editions(path, empty_page(), setup())
    assert nbformat.read(path, as_version=4).cells[0].source == "As {numref}`fig-missing` shows."  # untouched


def test_the_setup_code_installs_nothing_where_the_books_helpers_are_installed(monkeypatch, capsys):
    # This environment: the book's helpers installed (editable) and every pinned package present.
    ran = []
    monkeypatch.setattr("subprocess.run", lambda *args, **kwargs: ran.append(args))
    pins = reader_requirements(Path(__file__).resolve().parents[1])
    code = setup_cells("https://github.com/org/book", "0123abc", pins, "https://x/")[1].source
    exec(compile(code, "setup-cell", "exec"), {})
    assert ran == []
    assert capsys.readouterr().out.startswith("ready: the book's helpers from ")


def test_colab_opens_the_published_notebook():
    url = published.colab_url(
        "https://colab.research.google.com/",
        "https://github.com/org/book/",
        "gh-pages",
        "book/03_cifar_one_layer.ipynb",
    )
    assert url == (
        "https://colab.research.google.com/github/org/book/blob/gh-pages/_sources/book/03_cifar_one_layer.ipynb"
    )


def test_figures_are_renumbered_after_their_chapter():
    # as Sphinx numbers them without a numbered table of contents: through the whole book
    fignumbers = {
        "book/00_data": {"figure": {"a": (1,), "b": (2,)}},
        "book/03_x": {"figure": {"late": (5,), "early": (3,), "middle": (4,)}, "table": {"t": (1,)}},
    }
    titles = {"book/00_data": "The data", "book/03_x": "Chapter 3: CIFAR-10"}
    numbers.renumber(fignumbers, titles)
    assert fignumbers["book/00_data"]["figure"] == {"a": (1,), "b": (2,)}
    assert fignumbers["book/03_x"]["figure"] == {"early": (3, 1), "middle": (3, 2), "late": (3, 3)}
    assert fignumbers["book/03_x"]["table"] == {"t": (3, 1)}
    assert numbers.chapter_number("Chapter 12: more") == 12 and numbers.chapter_number("About chapter 1") is None


def test_an_inline_formula_keeps_the_punctuation_after_it():
    import book_fixes

    math = '<span class="math notranslate nohighlight">\\(\\lambda\\)</span>'
    body = f"<p>the penalty {math}. Then {math} and {math}:</p>"
    assert book_fixes.keep_punctuation_with_math(body) == (
        f'<p>the penalty <span class="math-with-punctuation">{math}.</span> Then {math} and '
        f'<span class="math-with-punctuation">{math}:</span></p>'
    )


def test_a_chapter_whose_solutions_cannot_be_cut_fails_the_build_instead_of_losing_its_edition(tmp_path):
    path = tmp_path / "chapter.ipynb"
    cells = [
        nbformat.v4.new_markdown_cell("## Exercises\n\n**1.** Why?\n\n:::{admonition} Solution\nBecause."),
        nbformat.v4.new_code_cell("answer = None", metadata={"tags": ["answer"]}),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    with pytest.raises(jupyter_markdown.UnresolvedMyST, match="no student edition: the solution at line 5"):
        published.publish_editions(path, empty_page(), setup())
    assert not (tmp_path / "chapter-student.ipynb").exists()
