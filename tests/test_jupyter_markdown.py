"""The published notebooks' Markdown (_ext/jupyter_markdown.py): the page's MyST resolved into
Markdown that Jupyter renders, with the build's values, and nothing left as raw markup."""

import sys
from pathlib import Path

import nbformat
import pytest
from myst_nb.core.variables import format_plain_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from jupyter_markdown import Page, UnresolvedMyST, as_jupyter_markdown, resolve  # noqa: E402

SITE = "https://org.github.io/book/"


def published(path: str) -> str | None:
    page, _, anchor = path.partition("#")
    if page not in ("checks.md", "notation.md"):
        return None
    return f"{SITE}book/{page.removesuffix('.md')}.html" + (f"#{anchor}" if anchor else "")


@pytest.fixture
def page():
    return Page(
        glue={
            "n": {"data": {"text/plain": "60000"}},
            "accuracy": {"data": {"text/plain": "92.6638"}},
            "rule": {"data": {"text/plain": "'a *run* costs $3'"}},
            "tbl_x": {"data": {"text/markdown": "| a | b |\n|---|---|\n| {glue:text}`n:,` | 2 |"}},
        },
        format_glue=format_plain_text,
        references={
            "fig-ch2-x": ("Figure 2.3", f"{SITE}book/02.html#fig-ch2-x"),
            "tbl-ch3-x": ("Table 3.1", f"{SITE}book/03.html#tbl-ch3-x"),
        },
        documents={"book/checks": ("How this book is checked", f"{SITE}book/checks.html")},
        citations={
            ("krizhevsky2009", "p"): f"\\[[Krizhevsky, 2009]({SITE}book/references.html#id2)\\]",
            ("shannon1948", "t"): f"Shannon \\[[1948]({SITE}book/references.html#id4)\\]",
        },
        address=published,
        directory="book/",
    )


def test_glued_values_are_formatted_as_myst_nb_formats_them(page):
    text = "{glue:text}`n:,` images, {glue:text}`accuracy:.2f`%, {glue:text}`n`"
    assert resolve(text, page) == "60,000 images, 92.66%, 60000"


def test_glued_text_is_escaped_so_that_it_reads_as_it_does_on_the_page(page):
    assert resolve("Rule: {glue:text}`rule`.", page) == r"Rule: a \*run\* costs \$3."


def test_references_citations_and_pages_become_the_pages_text_linked_to_the_site(page):
    text = (
        "As {numref}`fig-ch2-x` and {numref}`tbl-ch3-x` show {cite:p}`krizhevsky2009`; "
        "{cite:t}`shannon1948` did; see {doc}`checks` and {doc}`the checks <checks>`."
    )
    assert resolve(text, page) == (
        f"As [Figure 2.3]({SITE}book/02.html#fig-ch2-x) and [Table 3.1]({SITE}book/03.html#tbl-ch3-x) "
        f"show \\[[Krizhevsky, 2009]({SITE}book/references.html#id2)\\]; "
        f"Shannon \\[[1948]({SITE}book/references.html#id4)\\] did; "
        f"see [How this book is checked]({SITE}book/checks.html) and [the checks]({SITE}book/checks.html)."
    )


def test_links_to_other_pages_sources_point_at_the_published_pages(page):
    text = "[how the book\nchecks itself](checks.md), [symbols](notation.md#shapes), [web](https://x.org/a.md)"
    assert resolve(text, page) == (
        f"[how the book\nchecks itself]({SITE}book/checks.html), [symbols]({SITE}book/notation.html#shapes), "
        "[web](https://x.org/a.md)"
    )


def test_code_spans_and_code_blocks_are_left_as_they_are(page):
    text = "Write `{glue:text}` roles and ``a `{numref}` b``.\n\n```python\nx = '{glue:text}`n`'\n:::\n```"
    assert resolve(text, page) == text


def test_admonitions_become_titled_quotes_and_dropdowns_details(page):
    text = (
        "Before.\n\n:::{admonition} What you will learn\n- {glue:text}`n:,` images\n\n- more\n:::\n\n"
        "```{admonition} Solution\n:class: dropdown\nNo: see {numref}`fig-ch2-x`.\n```"
    )
    assert resolve(text, page) == (
        "Before.\n\n> **What you will learn**\n>\n> - 60,000 images\n>\n> - more\n\n"
        f"<details>\n<summary>Solution</summary>\n\nNo: see [Figure 2.3]({SITE}book/02.html#fig-ch2-x).\n\n</details>"
    )


def test_a_captioned_table_shows_its_number_caption_and_the_glued_table(page):
    text = ":::{table} Accuracy, mean ± std.\n:name: tbl-ch3-x\n\n```{glue:md} tbl_x\n:format: myst\n```\n:::"
    assert resolve(text, page) == (
        f"[**Table 3.1**]({SITE}book/03.html#tbl-ch3-x) Accuracy, mean ± std.\n\n| a | b |\n|---|---|\n| 60,000 | 2 |"
    )


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{glue:text}`missing:.2f`", "no glued text 'missing'"),
        ("{numref}`fig-none`", "no {numref} target 'fig-none'"),
        ("{cite:p}`nobody2020`", "no citation 'nobody2020'"),
        ("{doc}`nowhere`", "no page 'nowhere'"),
        ("{eq}`energy`", "the role {eq}"),
        ("[the data](data.md)", "not a page of the book"),
        (":::{dropdown} More\ntext\n:::", "the directive {dropdown}"),
        (":::\ntext\n:::", "a colon fence without a directive"),
        (":::{table} No name\n| a |\n:::", "a table without a numbered name"),
    ],
)
def test_markup_it_cannot_resolve_is_an_error_not_raw_text(page, text, problem):
    with pytest.raises(UnresolvedMyST, match=problem.replace("{", r"\{").replace("(", r"\(")):
        resolve(text, page)


def test_each_figure_gets_its_number_and_caption_under_it(page):
    figure = {"mystnb": {"figure": {"caption": "Images, {glue:text}`n:,` of them.", "name": "fig-ch2-x"}}}
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("plot()", id="plot", metadata=figure),
            nbformat.v4.new_markdown_cell("As {numref}`fig-ch2-x` shows.", id="text"),
        ]
    )
    as_jupyter_markdown(notebook, page)
    assert [cell.cell_type for cell in notebook.cells] == ["code", "markdown", "markdown"]
    assert notebook.cells[1].source == f"[**Figure 2.3**]({SITE}book/02.html#fig-ch2-x) Images, 60,000 of them."
    assert notebook.cells[2].source == f"As [Figure 2.3]({SITE}book/02.html#fig-ch2-x) shows."
    nbformat.validate(notebook)


def test_a_folded_figures_caption_is_folded_with_it(page):
    figure = {"mystnb": {"figure": {"caption": "The answer.", "name": "fig-ch2-x"}}}
    figure["jupyter"] = {"outputs_hidden": True}
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("solution()", id="s", metadata=figure)])
    as_jupyter_markdown(notebook, page)
    assert notebook.cells[1].source.endswith("The answer.")
    assert notebook.cells[1].metadata.jupyter == {"source_hidden": True}


def test_a_notebook_keeps_the_screens_text_and_drops_papers(page):
    text = ":::{div} screen-only\nMove the slider.\n:::\n\n:::{div} print-only\nOn paper, see the site.\n:::\n\nEnd."
    assert resolve(text, page) == "Move the slider.\n\nEnd."
