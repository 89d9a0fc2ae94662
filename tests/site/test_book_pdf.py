"""The whole book as a PDF (_ext/book_pdf.py), as a reader gets it from the download menu.

Its text, read back with poppler's ``pdftotext``, must hold every page's title and every figure's
caption; no word may run past the right margin; every font must be embedded, MathJax's among them,
and no character may be missing (U+FFFD) or left as TeX. The PDF must be newer than every page it
prints, so that it shows the site's numbers. It must read as paper: no page left with a few lines,
no answer cell printed alone, no slider bars, no instruction to move a slider or press a button,
and no path into the authors' folders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

import pytest
from site_pages import SITE, chapter_docnames, executed_docnames, toc_docnames

PDF = SITE / "learning-to-classify.pdf"
#: The fewest lines of text a printed page holds, but the title page and a page of the book that
#: prints on one page (FEWEST_LINES in _ext/book_pdf.py).
FEWEST_LINES = 6
#: The printed page's right margin (MARGIN in _ext/book_pdf.py), in points, less 1 pt of tolerance.
RIGHT_MARGIN_PT = 18 / 25.4 * 72 - 1


@pytest.fixture(scope="module")
def pdf():
    if not PDF.is_file():
        if (SITE / "index.html").is_file() and shutil.which("chromium"):
            pytest.fail(f"the site was built with chromium on the PATH, but it has no {PDF.name}")
        pytest.skip(f"no {PDF.name}: build the book with chromium on the PATH")
    if shutil.which("pdftotext") is None:
        pytest.fail("no pdftotext on PATH: `apt-get install poppler-utils`")
    return PDF


def normalised(text: str) -> str:
    """Text as a comparison should see it: ligatures split (NFKC), one space for any whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def letters(text: str) -> str:
    """Text without spaces or hyphens: pdftotext joins a word hyphenated at a line's end."""
    return re.sub(r"[\s\-\u2010]", "", unicodedata.normalize("NFKC", text))


def pdf_text(path, *options) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


@dataclass
class PageTexts:
    title: str  # the page's heading
    captions: list[str]  # its figures' captions, "Figure 3.2 ..."


def page_texts(docname: str) -> PageTexts:
    """The title and figure captions of a built page, as its reader sees them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((SITE / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    for link in article.select("a.headerlink"):
        link.decompose()
    captions = [normalised(caption.get_text()) for caption in article.select("figcaption")]
    return PageTexts(normalised(article.find("h1").get_text()), captions)


def test_the_pdf_is_newer_than_every_page_it_prints(pdf):
    newest = max((SITE / f"{name}.html").stat().st_mtime for name in toc_docnames())
    assert pdf.stat().st_mtime >= newest


def test_the_pdf_has_a_sensible_number_of_pages_and_the_books_title(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 60 <= pages <= 400, pages
    assert "Learning to Classify" in re.search(r"^Title:\s+(.*)$", info, re.M).group(1)


def test_every_page_title_and_figure_caption_is_in_the_pdf(pdf):
    text = letters(pdf_text(pdf))
    titles, captions = [], []
    for name in toc_docnames():
        texts = page_texts(name)
        titles.append(texts.title)
        captions += texts.captions
    assert len(captions) >= 20, captions  # the book's chapters have dozens of numbered figures
    missing = [item for item in titles + captions if letters(item) not in text]
    assert missing == [], f"not in the PDF's text: {missing}"
    contents = letters(pdf_text(pdf, "-f", "2", "-l", "4"))
    assert all(letters(title) in contents for title in titles), "the contents list every page"
    assert letters("Solutions to the exercises") in contents


def test_no_word_runs_past_the_right_margin(pdf):
    layout = pdf_text(pdf, "-bbox")
    overflowing = []
    for number, (width, body) in enumerate(re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', layout, re.S), 1):
        limit = float(width) - RIGHT_MARGIN_PT
        for x_max, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', body):
            if float(x_max) > limit:
                overflowing.append((number, word, float(x_max)))
    assert overflowing == [], f"words past the right margin (page, word, x): {overflowing[:10]}"


def test_every_glyph_is_there_and_the_equations_are_typeset(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    not_embedded = [line for line in fonts if line.split()[-5] != "yes"]
    assert not_embedded == [], f"fonts not embedded: {not_embedded}"
    # Chromium embeds MathJax's web fonts as Type 3 fonts, and only them (the text's are TrueType)
    assert any(" Type 3 " in line for line in fonts), "MathJax's fonts: the equations were typeset"
    text = pdf_text(pdf)
    assert all(symbol in text for symbol in "∑∂ημσ"), "symbols MathJax draws for the equations"
    assert "\ufffd" not in text, "a character with no glyph"
    for tex in ("\\frac", "\\sum", "\\(", "$$", "Math input error", "Math Processing Error"):
        assert tex not in text, f"{tex!r} in the PDF: an equation left untypeset"


def test_the_contents_give_the_page_each_chapter_starts_on(pdf):
    """The contents' page numbers are the numbers printed at the pages' feet, and the PDF's page
    labels (i, ii, ... for the front matter, then 1, 2, ...) agree with them."""
    from pypdf import PdfReader

    labels = PdfReader(pdf).page_labels
    assert labels[0] == "i" and "1" in labels, labels[:6]
    contents = pdf_text(pdf, "-layout", "-f", "2", "-l", str(labels.index("1")))
    for name in toc_docnames():
        title = page_texts(name).title
        line = next((line for line in contents.splitlines() if normalised(line).startswith(title)), None)
        assert line is not None, f"{title!r} not in the contents"
        label = line.split()[-1]
        index = labels.index(label)
        page = normalised(pdf_text(pdf, "-f", str(index + 1), "-l", str(index + 1)))
        assert page.startswith(title), f"{title!r} is listed on page {label}, which begins {page[:80]!r}"
        assert page.endswith(label), f"page {label} prints another number at its foot: {page[-20:]!r}"


def test_every_page_offers_the_pdf_in_its_download_menu(pdf):
    for name in toc_docnames():
        page = SITE / f"{name}.html"
        links = re.findall(r'<a href="([^"]*learning-to-classify\.pdf)"', page.read_text(encoding="utf-8"))
        assert len(links) == 1, f"{name}: {links}"
        assert (page.parent / links[0]).resolve() == pdf.resolve(), f"{name}: {links[0]}"


def test_the_bookmarks_are_the_pages_titles_in_order(pdf):
    """A tablet's PDF viewer lists the outline: each page of the book, then the solutions."""
    from pypdf import PdfReader

    top = [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    assert top == [page_texts(name).title for name in toc_docnames()] + ["Solutions to the exercises"]


def test_each_chapters_exercises_give_the_page_of_their_solutions(pdf):
    """The print edition says where the solutions went: "(p. N)", and page N has them."""
    from pypdf import PdfReader

    labels = PdfReader(pdf).page_labels
    text = normalised(pdf_text(pdf))
    pages = re.findall(r"in “Solutions to the exercises” \(p\. (\d+)\)", text)
    chapters = [page_texts(name).title for name in chapter_docnames()]
    assert len(pages) == len(chapters) >= 4, pages
    for label, chapter in zip(pages, chapters):
        index = labels.index(label) + 1
        page = normalised(pdf_text(pdf, "-f", str(index), "-l", str(index)))
        assert chapter in page and "The question (p." in page, f"p. {label}: {page[:120]}"


def page_lines(pdf) -> list[list[str]]:
    """The lines of text of each page, as ``pdftotext -layout`` lays them out, without the page
    number at the foot."""
    from pypdf import PdfReader

    labels = PdfReader(pdf).page_labels
    pages = pdf_text(pdf, "-layout").split("\f")[: len(labels)]
    lines = []
    for label, page in zip(labels, pages):
        text = [normalised(line) for line in page.splitlines() if line.strip()]
        lines.append(text[:-1] if text and text[-1] == label else text)
    return lines


def book_page_starts(pdf) -> list[int]:
    """The index of the printed page each page of the book (a bookmark) starts on, and of the
    title page and the contents before them."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    return [0, 1] + starts


def test_no_page_is_left_with_a_few_lines(pdf):
    """A page break never leaves a few lines alone on a page: within a page of the book, nor at
    its end, where the print document breaks earlier to give its last printed page more. Only a
    page of the book that fits on one printed page, and the title page, may be short."""
    lines = page_lines(pdf)
    starts = book_page_starts(pdf)
    assert len(starts) >= 12 and starts == sorted(starts), starts
    whole = {start for start, end in zip(starts, starts[1:] + [len(lines)]) if end == start + 1}
    short = [
        (number, len(text), " / ".join(text)[:120])
        for number, text in enumerate(lines, 1)
        if len(text) < FEWEST_LINES and number - 1 not in whole
    ]
    assert short == [], f"pages with fewer than {FEWEST_LINES} lines (page, lines, text): {short}"


def answer_cell_lines() -> set[str]:
    """Every line of code of the exercises' answer cells, on the chapters' pages."""
    from bs4 import BeautifulSoup

    lines = set()
    for name in chapter_docnames():
        soup = BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select("div.cell.tag_answer div.cell_input pre"):
            lines |= {normalised(line) for line in cell.get_text().splitlines() if line.strip()}
    return lines


def test_no_page_holds_an_answer_cell_with_little_else(pdf):
    """An exercise's empty answer cell is for the notebook: printed, it must not fill a page of its
    own, with a line or two of its question at most."""
    answers = answer_cell_lines()
    assert len(answers) >= 8, answers  # two answer cells in each chapter
    alone = []
    for number, text in enumerate(page_lines(pdf), 1):
        rest = [line for line in text if line not in answers]
        if len(rest) < len(text) and len(rest) < FEWEST_LINES:
            alone.append((number, " / ".join(text)[:160]))
    assert alone == [], f"pages with an answer cell and little else: {alone}"


def test_paper_has_no_slider_bars_no_instruction_to_use_them_and_no_path_into_the_authors_folders(pdf):
    """What only the screen can do is said the way paper can (its web page has the sliders), and
    the studies are cited, not found in ``shared/``, a folder beside the authors' repository."""
    from bs4 import BeautifulSoup

    text = normalised(pdf_text(pdf)).lower()
    found = [phrase for phrase in ("move the slider", "press play", "shared/", "live_sliders(") if phrase in text]
    assert found == [], f"in the PDF's text: {found}"
    labels = []
    for name in executed_docnames():
        soup = BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for label in soup.select(".static-sliders label"):
            label.output.decompose()
            labels.append(normalised(label.get_text()).lower())
    assert len(labels) >= 2, labels
    assert [label for label in labels if label in text] == [], "a slider's label: its bar was printed"
