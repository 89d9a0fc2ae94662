"""The book's print document (_ext/book_pdf.py), assembled from two small built pages: what print
cannot show is left out or unfolded, the solutions move to the end, links stay inside the PDF,
and a page of the book that would end with a few lines alone on a page is broken earlier. The
printed PDF itself is tested on the built site (tests/site/test_book_pdf.py)."""

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import book_pdf  # noqa: E402

CHAPTER = """<html><head><link rel="stylesheet" href="../_static/theme.css">
<script>window.MathJax = {}</script><script defer src="../_static/mathjax/tex-chtml.js"></script></head>
<body><nav>the sidebar</nav><article class="bd-article"><section id="toy">
<h1>Chapter 9: Toy<a class="headerlink" href="#toy">#</a></h1>
<div class="cell tag_hide-input"><details class="hide above-input"><summary>Show code</summary>
<div class="cell_input">import secret_imports</div></details><div class="cell_output">the output</div></div>
<p>See <a href="other.html#details">the other page</a>, <a href="#lr=0.1&amp;momentum=0">a setting</a>,
<a href="../_sources/book/toy.ipynb">the notebook</a>, <a href="https://example.org/">the web</a>.</p>
<div class="live-training"><img class="live-training-fallback" src="data:,">
<p class="live-training-fallback">What the figure is, said again</p>
<div class="live-training-live" hidden>the sliders</div><script>startTheWidget()</script></div>
<div class="screen-only docutils"><p>Move the sliders and press Play.</p></div>
<div class="print-only docutils"><p>On <a class="reference internal" href="#">this page on the web</a>, sliders;
the <a class="reference internal" href="other.html#details">details</a> too.</p></div>
<div class="cell tag_skip-execution tag_screen-only"><div class="cell_input">live_sliders(axes)</div></div>
<div class="static-sliders" id="sliders-1"><form onsubmit="return false"><input type="range"></form>
<img data-key="0-0" src="data:,first"><img data-key="0-1" src="data:,second" style="display:none">
<script>swapFrames()</script></div>
<section id="exercises"><h2>Exercises</h2><p>The exercises marked <em>write it</em>: How to do them.</p>
<p><strong>1. First.</strong> The first question.</p>
<div class="dropdown admonition"><p class="admonition-title">Solution</p><p>Answer one
(<a href="#fig-one">Figure 9.1</a>).</p></div>
<div class="cell tag_hide-cell"><details class="hide above-input"><summary>Show the code</summary>
<div class="cell_input">code of one</div><div class="cell_output">output of one
<figure id="fig-one"><img src="a.png"><figcaption>Figure 9.1</figcaption></figure></div></details></div>
<p><strong>2. Write it: second.</strong> The second question.</p>
<div class="cell tag_answer"><div class="cell_input">def my_answer(): pass</div>
<div class="cell_output">not yet: the empty answer</div></div>
<div class="cell tag_remove-input tag_hide-output"><details class="hide above-output">
<summary>Show the solution</summary><div class="cell_output">solution of two</div></details></div>
</section></section></article></body></html>"""

OTHER = """<html><head><link rel="stylesheet" href="../_static/theme.css"></head><body>
<article class="bd-article"><section id="other"><h1>Other page</h1>
<section id="details"><h2>Details</h2><p>Back to <a href="toy.html">the toy</a>.</p></section>
</section></article></body></html>"""


PAGES = {"book/toy", "book/other"}


@pytest.fixture
def document(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "toy.html").write_text(CHAPTER)
    (tmp_path / "book" / "other.html").write_text(OTHER)
    return book_pdf.print_document(tmp_path, ["book/toy", "book/other"])


def test_pages_come_in_order_with_their_styles_and_mathjax_and_without_the_sidebar(document):
    solutions = document.index(">Solutions to the exercises</h1>")
    assert document.index("Chapter 9: Toy") < document.index("Other page") < solutions
    assert document.count('href="../_static/theme.css"') == 1 and "tex-chtml.js" in document
    assert "the sidebar" not in document and 'class="headerlink"' not in document


def test_what_the_page_hides_behind_a_click_is_left_out_or_unfolded(document):
    assert "import secret_imports" not in document and "the output" in document
    assert "<details" not in document and "<summary" not in document


def test_the_live_widget_is_printed_as_its_fallback_figure(document):
    assert "live-training-fallback" in document
    assert "the sliders" not in document and "startTheWidget" not in document
    assert "said again" not in document  # the caption says it


def test_the_precomputed_sliders_print_their_first_frame_without_the_slider_bars(document):
    assert 'src="data:,first"' in document and "data:,second" not in document
    assert 'type="range"' not in document and "swapFrames" not in document


def test_screen_only_text_and_cells_are_left_out_and_print_only_text_gives_web_addresses(document):
    assert "press Play" not in document and "live_sliders" not in document
    site = "https://example.github.io/book/"
    addressed = book_pdf.print_article(BeautifulSoup(CHAPTER, "html.parser"), "book/toy", PAGES, site)[0]
    text = " ".join(addressed.get_text().split())
    assert "On this page on the web (https://example.github.io/book/book/toy.html), sliders" in text
    assert "the details too" in text  # a place in a page, such as a figure, is in the PDF
    assert addressed.find("a", string="details")["href"] == "#page-book-other--details"
    assert addressed.find("a", string="this page on the web")["href"] == f"{site}book/toy.html"
    # without a published site, a link in print-only text is a link inside the PDF like any other
    assert 'href="#page-book-toy">this page on the web</a>, sliders' in document


def test_the_address_of_a_repositorys_site_on_github_pages():
    assert book_pdf.web_address("https://github.com/learning-to-classify/book") == (
        "https://learning-to-classify.github.io/book/"
    )
    assert book_pdf.web_address("https://github.com/Owner/owner.github.io.git") == "https://owner.github.io/"
    assert book_pdf.web_address("https://gitlab.com/owner/book") == ""


def test_solutions_move_to_the_end_under_their_chapter_and_exercise(document):
    end = document.index(">Solutions to the exercises</h1>")
    for question in ("The first question.", "The second question."):
        assert document.index(question) < end
    for solution in ("Answer one", "code of one", "output of one", "solution of two"):
        assert document.index(solution) > end, solution
    part = document[end:]
    assert part.index('id="page-book-toy--solutions">Chapter 9: Toy</h2>') < part.index("<h3>1. First.</h3>")
    assert part.index("<h3>1. First.</h3>") < part.index("Answer one")
    assert part.index("output of one") < part.index("<h3>2. Write it: second.</h3>") < part.index("solution of two")
    assert "dropdown" not in part and "tag_hide" not in part  # printed open, not folded
    assert 'href="#page-book-toy--fig-one"' in part and 'id="page-book-toy--fig-one"' in part
    assert "def my_answer()" not in document  # the empty answer cell, which paper cannot run
    # each solution links to its question, and the exercises to their solutions
    assert part.index('<a href="#page-book-toy--exercise-1">The question</a>') < part.index("Answer one")
    assert 'id="page-book-toy--exercise-1"><strong>1. First.</strong>' in document
    assert 'id="page-book-toy--exercise-2"><strong>2. Write it: second.</strong>' in document
    assert 'The solutions are at the end of the book, in <a href="#page-book-toy--solutions">' in document
    assert "How to do them." not in document  # the page's note on answer cells, which paper has not


def test_links_between_pages_stay_inside_the_pdf_and_links_to_files_become_text(document):
    ids = re.findall(r' id="([^"]+)"', document)
    assert len(ids) == len(set(ids))
    assert 'href="#page-book-other--details"' in document and 'id="page-book-other--details"' in document
    assert 'href="#page-book-toy"' in document and 'id="page-book-toy"' in document
    assert "a setting" in document and "lr=0.1" not in document
    assert "the notebook" in document and "toy.ipynb" not in document
    assert 'href="https://example.org/"' in document


def test_the_contents_list_each_part_with_its_pages_and_their_sections():
    headings = [(1, "Intro", 1), (2, "Why", 1), (1, "Ch 1", 3), (2, "A", 3), (3, "A.1", 4), (2, "B", 5), (1, "Sol", 7)]
    contents = book_pdf.contents_of(headings, [("", ["Intro"]), ("Lessons", ["Ch 1", "Sol"])])
    assert contents == [
        ("", [(1, "Intro", 1), (2, "Why", 1)]),
        ("Lessons", [(1, "Ch 1", 3), (2, "A", 3), (2, "B", 5), (1, "Sol", 7)]),
    ]
    with pytest.raises(ValueError, match="no heading 'Missing'"):
        book_pdf.contents_of(headings, [("", ["Missing"])])


def test_a_page_of_the_book_ending_with_a_few_lines_alone_breaks_before_its_lowest_heading_or_exercise():
    full = [780.0 - 16.5 * line for line in range(42)]  # a full page: 42 lines, down to 103.5 pt
    layout = book_pdf.Layout(
        pages=7,
        lines=dict(enumerate([full, full[:2], full[:30], full, full[:3], full, full[:1]])),
        headings=[
            (1, 0, 842.0),  # page A: pages 0 and 1, two lines on the last
            (2, 0, 760.0),
            (2, 0, 400.0),  # leaves 24 lines above it and moves 18
            (3, 0, 200.0),  # the lowest: moves 6 lines, so 8 on the last page
            (1, 2, 842.0),  # page B: one page of 30 lines
            (1, 3, 842.0),  # page C: pages 3 and 4, three lines on the last
            (1, 5, 842.0),  # page D: pages 5 and 6, one line on the last
            (2, 5, 780.0),  # at the top of its page: breaking before it would leave that page empty
        ],
        places={
            "page-book-c--exercise-2": (3, 152.0),  # four lines from it on: with the last page's, 7
            "page-book-c--exercise-3": (3, 120.0),  # two lines from it on: too few
            "page-book-c--fig-one": (3, 400.0),  # a figure is not where a break goes
        },
    )
    assert layout.ends() == [(0, 1), (2, 2), (3, 4), (5, 6)]
    assert book_pdf.breaks_for_short_endings(layout) == {0: ("heading", 3), 2: ("id", "page-book-c--exercise-2")}
    assert book_pdf.FEWEST_LINES == 6
    layout.lines[1] = full[:6]
    layout.lines[4] = full[:6]
    assert book_pdf.breaks_for_short_endings(layout) == {}
