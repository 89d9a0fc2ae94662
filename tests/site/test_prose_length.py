"""A lesson a student finishes in one sitting: the main path of chapters 1 and 2 is at most 2,800
words of prose, and of chapters 3 and 4, which have more to set up, at most 3,000, read off the
built page.

"Words of prose" is the article's text without code cells (and their toggles' labels), their
outputs, tables, typeset maths, figures and the Exercises section. Depth that a chapter does not
need lives on the going-further page, which has no limit. A reader of the screen does not read
the text for paper only (``print-only``), and a reader of the PDF not the text for the screen
only (``screen-only``): each path is counted apart, and each must fit.
"""

import pytest
from bs4 import BeautifulSoup
from site_pages import SITE

LIMITS = {
    "book/01_regression_argmax": 2800,
    "book/02_softmax_cross_entropy": 2800,
    "book/03_cifar_one_layer": 3000,
    "book/04_limits_of_linearity": 3000,
}
#: What is not prose: code (and the labels of its fold-out toggles), outputs, tables, maths, figures.
NOT_PROSE = (
    "div.cell_input",
    "div.cell_output",
    "details.hide > summary",
    "table",
    "mjx-container",
    "figure",
    "div.math",
    "span.math",
)


#: What one medium does not show: the screen hides print-only text, paper screen-only text.
NOT_SHOWN = {"screen": ("div.print-only",), "paper": ("div.screen-only",)}


def prose_words(html: str, medium: str = "screen") -> list[str]:
    article = BeautifulSoup(html, "html.parser").select_one("article")
    exercises = article.find(id="exercises")
    if exercises is not None:
        exercises.decompose()
    for selector in NOT_PROSE + NOT_SHOWN[medium]:
        for element in article.select(selector):
            element.decompose()
    return article.get_text(" ").split()


def test_prose_words_skip_code_outputs_tables_maths_figures_and_exercises():
    html = """<article><p>One two three.</p><div class="cell_input">x = 1</div>
    <div class="cell_output">printed words</div><table><tr><td>a b</td></tr></table>
    <span class="math">a + b</span><figure>caption words</figure>
    <details class="hide above-input"><summary>Show code</summary></details>
    <section id="exercises"><p>exercise words here</p></section>
    <div class="screen-only docutils"><p>Move it.</p></div><div class="print-only docutils"><p>See the web.</p></div>
    </article>"""
    assert prose_words(html) == ["One", "two", "three.", "Move", "it."]
    assert prose_words(html, "paper") == ["One", "two", "three.", "See", "the", "web."]


@pytest.mark.parametrize("medium", NOT_SHOWN)
@pytest.mark.parametrize("docname", LIMITS)
def test_each_chapter_main_path_fits_one_sitting(site_url, docname, medium):
    words = prose_words((SITE / f"{docname}.html").read_text(), medium)
    limit = LIMITS[docname]
    assert len(words) <= limit, f"{docname}: {len(words)} words of prose on {medium}, more than {limit}"
