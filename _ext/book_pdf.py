"""The whole book as one PDF, printed by Chromium from the pages this build wrote.

Nothing is executed a second time: the pages' HTML (their outputs, figures and typeset equations)
is what Chromium prints, so the PDF shows the numbers of the runs behind the site. At the end of
an HTML build, every page's article is put, in the order of the table of contents, into one
print document (:func:`print_document`), which Chromium, driven by Playwright as in the browser
tests, prints with page numbers and an outline of the headings (:func:`print_pdf`). A title page
and the contents, whose page numbers are read from that outline, are printed apart and put in
front with pypdf, numbered i, ii, ... before the body's 1, 2, ...

What print cannot do, the print document does otherwise:

- the live widget of chapter 1 shows its fallback figure (its scripts are left out), and chapter
  3's precomputed sliders the frame they show first, without the slider bars;
- the code of a cell the page hides behind a click (``hide-input``: the imports) is left out;
- the exercises' answer cells, empty code cells in which the notebook's reader writes and checks
  an answer, are left out (paper has nothing to run them in);
- the exercises' solutions, behind a click on the page, move to a last part, *Solutions to the
  exercises*, so that a printed exercise does not show its answer under it;
- links between pages become links inside the PDF; links to files of the site, which a PDF
  cannot follow, become plain text.

A chapter says what differs between screen and paper with two classes, which MyST's ``div``
directive sets (``:::{div} screen-only`` ... ``:::``), and one cell tag:

- ``screen-only``: text about what only the web page does (its sliders, its *Play* button); it
  is left out of the print document, and of a page printed from the browser (``static/media.css``);
- ``print-only``: the text paper reads instead; the site's CSS hides it on screen. In it, a link to
  a page of the book (``{doc}`this chapter's web page <01_regression_argmax>```, not a
  ``{numref}`` to a figure) leads to that page on the published site, and its address is printed
  after it, for a reader of paper: the site is ``html_baseurl`` if the configuration sets it, else
  the GitHub Pages address of the repository (:func:`web_address`);
- a code cell tagged ``screen-only`` (one whose use is on screen or in Jupyter, such as a call that
  opens live sliders) is left out of the print document.

Every page of the book starts a new printed page. A page of the book whose last printed page
would hold fewer than :data:`FEWEST_LINES` lines of text moves more of its text there: the print
document breaks before a heading or an exercise's question on the printed page before, the lowest
that leaves at least that many lines on both (:func:`breaks_for_short_endings`, from where the
PDF put them), and prints again (:func:`print_with_full_endings`).

The PDF is written whole or not at all, and deleted as soon as a build starts re-reading pages,
so that it never shows numbers other than the site's. A build with nothing to re-read, and no page
(nor this file, nor its style) newer than the PDF, leaves it alone. Without Chromium on the PATH,
or if printing fails, the build says so in one warning and writes no PDF.
"""

from __future__ import annotations

import copy
import functools
import http.server
import io
import logging as std_logging
import posixpath
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from safe_rebuilds import write_atomically  # the book's other extension, beside this one
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The print document's own style: pages, breaks, code that wraps, tables and figures that fit.
PRINT_CSS = Path(__file__).with_name("book_pdf.css")

#: Margins of a printed page; the footer with the page number sits in the bottom one.
MARGIN = {"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}
FOOTER = '<div style="width:100%;font-size:9px;text-align:center;color:#555"><span class="pageNumber"></span></div>'

#: The title of the last part, where the exercises' solutions are printed.
SOLUTIONS_TITLE = "Solutions to the exercises"

#: The fewest lines of text a page of the book leaves on its last printed page, when it has more
#: than one (tests/site/test_book_pdf.py checks every printed page against it).
FEWEST_LINES = 6

#: The top margin in points, and the bottom one: the page number printed in it is not a line of text.
MARGIN_TOP_PT, FOOTER_TOP_PT = (float(MARGIN[side].removesuffix("mm")) / 25.4 * 72 for side in ("top", "bottom"))

DOCTYPE = '<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light">'

#: Resolves once MathJax has typeset every equation and every font has loaded; then lists the
#: equations MathJax could not typeset and the fonts that failed to load.
TYPESET = """async () => {
    if (window.MathJax) await MathJax.startup.promise;
    await document.fonts.ready;
    const failed = [...document.fonts].filter(font => font.status === "error").map(font => font.family);
    const errors = [...document.querySelectorAll("mjx-merror")].map(error => error.textContent);
    return failed.concat(errors);
}"""

#: Scales each display equation wider than the text column down to fit it (TeX cannot break
#: them across lines, and at full size a few would run past the right margin).
FIT_EQUATIONS = """() => {
    for (const equation of document.querySelectorAll('mjx-container[display="true"]')) {
        const width = equation.querySelector("mjx-math").getBoundingClientRect().width;
        const room = equation.getBoundingClientRect().width;
        const size = parseFloat(getComputedStyle(equation).fontSize);
        if (width > room) equation.style.fontSize = `${(0.98 * size * room) / width}px`;
    }
}"""

#: After each link to another page of the book (or to a solution, or from one to its question),
#: the printed page it leads to: "(p. 12)", from ``pages`` (a link target's id: its page), or, with
#: ``pages`` null, before the first printing, "(p. 100)", as wide as most. Citations are left
#: alone: their author and year lead to the references. Returns how many page numbers changed:
#: none, once the pages are settled.
PAGE_REFERENCES = """pages => {
    let changed = 0;
    for (const link of document.querySelectorAll('a[href^="#"]')) {
        const id = link.getAttribute("href").slice(1);
        const target = document.getElementById(id);
        if (!target || (pages && !(id in pages)) || target.closest(".citation")) continue;
        const here = link.closest(".print-page"), there = target.closest(".print-page");
        if (here === there && !here.id.endsWith("-solutions") && !id.endsWith("--solutions")) continue;
        let reference = link.nextElementSibling;
        if (!reference || !reference.classList.contains("print-page-reference")) {
            reference = document.createElement("span");
            reference.className = "print-page-reference";
            link.after(reference);
        }
        const text = ` (p. ${pages ? pages[id] : 100})`;
        if (reference.textContent !== text) { reference.textContent = text; changed += 1; }
    }
    return changed;
}"""

#: Breaks the print document before a heading (``["heading", its index among all headings, the
#: outline's order]``) or an element (``["id", its id]``), or (``on`` false) no longer.
BREAK_BEFORE = """([[kind, key], on]) => {
    const element = kind === "heading" ? document.querySelectorAll("h1, h2, h3, h4, h5, h6")[key]
        : document.getElementById(key);
    element.classList.toggle("print-break-before", on);
}"""

#: The width of A4 inside MARGIN's left and right, in CSS pixels (96 per inch): the page's
#: layout in the browser is then the printed page's, so what JavaScript measures is what prints.
TEXT_WIDTH_PX = round((210 - 2 * 18) / 25.4 * 96)


def reading_order(env) -> list[str]:
    """Every page of the table of contents, depth first from the root: the order of the book."""
    order: list[str] = []

    def visit(docname: str) -> None:
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def parts(env) -> list[tuple[str, list[str]]]:
    """``(caption, pages)`` for each part of the book, in order: the root page, then its toctrees."""
    from sphinx import addnodes

    doctree = env.get_doctree(env.config.root_doc)
    toctrees = doctree.findall(addnodes.toctree)
    return [("", [env.config.root_doc])] + [
        (node.get("caption") or "", [docname for _, docname in node["entries"]]) for node in toctrees
    ]


def anchor(docname: str, fragment: str = "") -> str:
    """The id, in the print document, of ``fragment`` on page ``docname``."""
    page = "page-" + re.sub(r"[^A-Za-z0-9_-]", "-", docname)
    return f"{page}--{fragment}" if fragment else page


def link_target(docname: str, href: str, docnames: set[str]) -> tuple[str, str] | None:
    """``(page, fragment)`` that a link of page ``docname`` leads to, if it is a place on a page of
    the book; ``None`` for the web, the site's other files and the live widget's states
    ("#lr=0.01&momentum=0")."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = docname
    if parts.path:
        resolved = PurePosixPath(posixpath.normpath(PurePosixPath(docname).parent / parts.path))
        target = str(resolved.with_suffix("")) if resolved.suffix == ".html" else ""
    if target not in docnames or "=" in parts.fragment:
        return None
    return target, parts.fragment


def rewrite_links(article, docname: str, docnames: set[str]) -> None:
    """Ids made unique across pages; links to a page of the book become links inside the print
    document; links to the site's other files become text (a PDF cannot follow them)."""
    for element in article.find_all(id=True):
        element["id"] = anchor(docname, element["id"])
    for link in article.find_all("a", href=True):
        if urlsplit(link["href"]).scheme in ("http", "https", "mailto"):
            continue
        target = link_target(docname, link["href"], docnames)
        if target is not None:
            link["href"] = "#" + anchor(*target)
        else:
            link.unwrap()


def link_to_the_web(article, docname: str, docnames: set[str], site: str) -> None:
    """In ``print-only`` text, a link to a page of the book (``{doc}``, not to a place in it such
    as a figure) leads to that page on the published ``site``, whose address is printed after it:
    paper's reader types it."""
    for link in article.select(".print-only a[href]"):
        target = link_target(docname, link["href"], docnames)
        if target is None or target[1] or not site:
            continue
        address = f"{site.rstrip('/')}/{target[0]}.html"
        link["href"] = address
        link.insert_after(fragment(f'<span class="print-web-address"> ({address})</span>'))


def unfold(details) -> None:
    """Show what a collapsed cell hides: its content without the click-to-show summary."""
    summary = details.find("summary")
    if summary is not None:
        summary.decompose()
    details.unwrap()


def solutions_of(exercises) -> list[tuple[str, object, list]]:
    """The exercise section's solutions, taken out of it: ``(exercise title, question, elements)``
    for each exercise, in order. An exercise starts at a paragraph (the question) that opens with a
    bold "N. Title."; its solutions are the dropdown admonitions and the cells the page hides
    after it."""
    found: list[tuple[str, object, list]] = []
    title = None
    for element in list(exercises.find_all(recursive=False)):
        strong = element.find("strong") if element.name == "p" else None
        if strong is not None and re.match(r"\d+\.", strong.get_text()) and element.contents[0] == strong:
            title = strong.get_text().strip()
            found.append((title, element, []))
            continue
        classes = set(element.get("class", []))
        hidden_cell = "cell" in classes and classes & {"tag_hide-cell", "tag_hide-output"}
        if title is not None and ("dropdown" in classes or hidden_cell):
            found[-1][2].append(element.extract())
    for _, _, elements in found:
        for element in elements:
            # printed open: not a toggle, and not hidden by MyST-NB's style for folded cells
            element["class"] = [c for c in element["class"] if c != "dropdown" and not c.startswith("tag_hide")]
            for details in element.find_all("details"):
                unfold(details)
    return [(title, question, elements) for title, question, elements in found if elements]


#: What the print document leaves out of a page: the links to headings; what only the screen
#: shows (text and cells marked ``screen-only``); the live widget's controls and scripts, and
#: its note on them, which the caption says again (it prints as its figure of the default
#: setting); the precomputed sliders' bars and script, and the frames they hide (the first
#: frame prints); the exercises' answer cells.
NOT_PRINTED = (
    "a.headerlink",
    ".screen-only",
    "div.cell.tag_screen-only",
    ".live-training script",
    ".live-training-live",
    "p.live-training-fallback",
    ".static-sliders form",
    ".static-sliders script",
    '.static-sliders img[style*="display:none"]',
    "div.cell.tag_answer",
)


def print_article(soup, docname: str, docnames: set[str], site: str = ""):
    """The article of a built page, prepared for print: ``(section, solutions)``. ``site`` is
    the published site's address, which ``print-only`` text gives for the pages it links to."""
    article = soup.select_one("article.bd-article")
    if article is None:
        raise ValueError(f"{docname}.html has no article: was it built by sphinx-book-theme?")
    for element in article.select(", ".join(NOT_PRINTED)):
        element.decompose()
    link_to_the_web(article, docname, docnames, site)
    rewrite_links(article, docname, docnames)
    exercises = article.find("section", id=anchor(docname, "exercises"))
    solutions = solutions_of(exercises) if exercises is not None else []
    for details in article.select("details.above-input"):
        details.decompose()  # the code of a cell the page hides (its imports)
    for details in article.find_all("details"):
        unfold(details)
    for title, question, _ in solutions:
        question["id"] = anchor(docname, "exercise-" + title.split(".")[0])
    if solutions:
        print_exercises_note(soup, exercises, docname)
    section = soup.new_tag("section", attrs={"class": "print-page", "id": anchor(docname)})
    section.extend(list(article.contents))
    return section, solutions


def print_exercises_note(soup, exercises, docname: str) -> None:
    """Where the solutions are, in place of the page's note on its answer cells and notebooks
    (which paper has not), or, without that note, after the section's heading."""
    note = fragment(
        '<p class="print-note">The exercises marked <em>write it</em> ask for a few lines of code, or a'
        " number; in the chapter's notebook, from the book's web pages, the cell left for the answer"
        f' checks it. The solutions are at the end of the book, in <a href="#{anchor(docname, "solutions")}">'
        f"“{SOLUTIONS_TITLE}”</a>.</p>",
    )
    first = exercises.find("p")
    if first is not None and first.get_text().startswith("The exercises marked"):
        first.replace_with(note)
    else:
        exercises.find(["h2", "h3"]).insert_after(note)


def fragment(markup: str):
    """The element ``markup`` describes, parsed, to put into a document."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser").contents[0]


def print_document(outdir: Path, order: list[str], site: str = "") -> str:
    """One HTML document with every page's article, in ``order``, and the solutions last. It
    lives in the site's ``book/`` folder, whose relative links to images and MathJax it keeps.
    ``site`` is the address the site is published at (:func:`print_article`)."""
    from bs4 import BeautifulSoup

    head = BeautifulSoup("<head><meta charset='utf-8'></head>", "html.parser")
    body = BeautifulSoup("<body></body>", "html.parser")
    styles, scripts, solutions = [], [], []
    for docname in order:
        soup = BeautifulSoup(Path(outdir, f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('head link[rel="stylesheet"]'):
            if link["href"] not in styles:
                styles.append(link["href"])
        if not scripts:  # MathJax's configuration and its script, from the first page with math
            scripts = [s for s in soup.select("head script") if "mathjax" in (s.get_text() + s.get("src", "")).lower()]
        section, found = print_article(soup, docname, set(order), site)
        body.body.append(section)
        title = section.find("h1").get_text().strip()
        solutions += [(title, docname, exercise, question, elements) for exercise, question, elements in found]
    if solutions:
        body.body.append(solutions_part(body, solutions))
    for href in styles:
        head.head.append(head.new_tag("link", attrs={"rel": "stylesheet", "href": href}))
    style = head.new_tag("style")
    style.string = PRINT_CSS.read_text(encoding="utf-8")
    head.head.append(style)
    for script in scripts:
        head.head.append(copy.copy(script))
    return f"{DOCTYPE}{head}{body}</html>"


def solutions_part(soup, solutions) -> object:
    section = soup.new_tag("section", attrs={"class": "print-page", "id": anchor("solutions")})
    heading = soup.new_tag("h1")
    heading.string = SOLUTIONS_TITLE
    section.append(heading)
    chapter = None
    for title, docname, exercise, question, elements in solutions:
        if title != chapter:
            chapter = title
            section.append(soup.new_tag("h2", attrs={"id": anchor(docname, "solutions")}))
            section.contents[-1].string = title
        section.append(soup.new_tag("h3"))
        section.contents[-1].string = exercise
        section.append(fragment(f'<p class="print-note"><a href="#{question["id"]}">The question</a></p>'))
        section.extend(elements)
    return section


def front_matter(head: str, book: dict[str, str], contents: list[tuple[str, list[tuple[int, str, int]]]]) -> str:
    """The title page and the contents: ``book`` has its title, author and repository's address;
    ``contents`` is ``(part, [(level, heading, page)])``; ``head`` is the print document's, for
    the same styles."""
    from html import escape

    lines = [
        '<section class="print-title-page">',
        f"<h1>{escape(book['title'])}</h1>",
        f'<p class="print-author">{escape(book["author"])}</p>',
        f'<p class="print-made">Printed from the executed chapters on {time.strftime("%Y-%m-%d")}.</p>',
        (
            '<p class="print-made">The chapters as notebooks to run, with their sliders and the code'
            f' behind them: <a href="{escape(book["repository"])}">{escape(book["repository"])}</a></p>'
            if book.get("repository")
            else ""
        ),
        "</section>",
        '<section class="print-contents"><h1>Contents</h1>',
    ]
    for part, entries in contents:
        if part:
            lines.append(f'<p class="print-contents-part">{escape(part)}</p>')
        for level, heading, page in entries:
            lines.append(
                f'<p class="print-contents-entry level-{level}"><span>{escape(heading)}</span>'
                f'<span class="print-contents-page">{page}</span></p>'
            )
    lines.append("</section>")
    return f"{DOCTYPE}{head}<body>{''.join(lines)}</body></html>"


def headings_and_pages(html: str, pdf: bytes) -> list[tuple[int, str, int]]:
    """``(level, heading, page)`` of every heading of the print document ``html``, on the pages
    (from 1) of the outline Chromium wrote into ``pdf``. The outline's own titles are not used:
    Chromium writes a heading that wraps without the space at the break, and some twice."""
    from pypdf import PdfReader

    pages = [page + 1 for page, _ in outline_places(PdfReader(io.BytesIO(pdf)))]
    headings = headings_of(html)
    if len(headings) != len(pages):
        raise ValueError(f"the printed outline has {len(pages)} headings, the print document {len(headings)}")
    return [(level, heading, page) for (level, heading), page in zip(headings, pages)]


def headings_of(html: str) -> list[tuple[int, str]]:
    """``(level, text)`` of every heading of the print document ``html``, in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [(int(h.name[1]), " ".join(h.get_text().split())) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def outline_places(reader) -> list[tuple[int, float]]:
    """``(page, top)`` of each entry of the outline Chromium wrote, in order: the page from 0, and
    the height of the heading's top above the page's foot, in points."""
    places: list[tuple[int, float]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                places.append((reader.get_destination_page_number(item), _top(reader, item)))

    walk(reader.outline)
    return places


def _top(reader, destination) -> float:
    top = destination.top
    return float(top) if top is not None else float(reader.pages[0].mediabox.top)


@dataclass
class Layout:
    """Where the print document's text went, read back from the PDF Chromium printed."""

    pages: int  # how many
    headings: list[tuple[int, int, float]]  # (level, page, top) of every heading, in the outline's order
    places: dict[str, tuple[int, float]]  # (page, top) of every link's target, by its id
    #: by page: the lines of text (:func:`text_lines`) of each page of the book's last printed
    #: page, and of the one before it
    lines: dict[int, list[float]]

    def ends(self) -> list[tuple[int, int]]:
        """The first and last printed page of each page of the book (its heading's level is 1)."""
        starts = [page for level, page, _ in self.headings if level == 1]
        return [(start, end - 1) for start, end in zip(starts, starts[1:] + [self.pages])]


def text_lines(page) -> list[float]:
    """The heights above the page's foot of the lines of text on a PDF page, from the top: the
    baselines of its words, those less than 6 pt from the next counted in one line (an inline
    formula's subscripts, a code span), but not the page number in the bottom margin."""
    heights: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        height = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and height > FOOTER_TOP_PT:
            heights.append(height)

    page.extract_text(visitor_text=visit)
    lines: list[float] = []
    previous = None
    for height in sorted(heights, reverse=True):
        if previous is None or previous - height >= 6:
            lines.append(height)
        previous = height
    return lines


def layout_of(pdf: bytes, levels: list[int]) -> Layout:
    """The :class:`Layout` of the print document printed as ``pdf``; ``levels`` are its headings'."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    places = outline_places(reader)
    if len(places) != len(levels):
        raise ValueError(f"the printed outline has {len(places)} headings, the print document {len(levels)}")
    layout = Layout(
        pages=len(reader.pages),
        headings=[(level, page, top) for level, (page, top) in zip(levels, places)],
        # Chromium writes the top of a link's target (unlike a heading's in the outline) as high
        # above the element's top as the page's top margin (measured: the first baseline of an
        # exercise's question is 62 pt below it, of a heading 16 pt below its outline entry)
        places={
            name.lstrip("/"): (reader.get_destination_page_number(place), _top(reader, place) - MARGIN_TOP_PT)
            for name, place in reader.named_destinations.items()
        },
        lines={},
    )
    for start, last in layout.ends():
        for page in {last - 1, last} - {start - 1}:
            layout.lines[page] = text_lines(reader.pages[page])
    return layout


def breaks_for_short_endings(layout: Layout) -> dict[int, tuple[str, int | str]]:
    """Where to break the print document so that no page of the book, printed on more than one
    page, leaves fewer than :data:`FEWEST_LINES` lines on its last: for each page of the book (by
    its index) that would, the lowest heading (``("heading", index)``) or exercise question
    (``("id", element id)``) on the page before, from which on that page has enough lines to make
    up the last page's, and above which it keeps as many. Those that cannot be helped so are left."""
    marks = [(page, top, ("heading", i)) for i, (level, page, top) in enumerate(layout.headings) if level > 1]
    marks += [(page, top, ("id", name)) for name, (page, top) in layout.places.items() if _EXERCISE.search(name)]
    breaks = {}
    for index, (start, last) in enumerate(layout.ends()):
        short = len(layout.lines[last])
        if last == start or short >= FEWEST_LINES:
            continue
        before = layout.lines[last - 1]
        for _, top, mark in sorted(mark for mark in marks if mark[0] == last - 1):
            # the mark's own lines: their baselines are below its top (4 pt of tolerance)
            below = sum(height < top + 4 for height in before)
            if below + short >= FEWEST_LINES and len(before) - below >= FEWEST_LINES:
                breaks[index] = mark
                break
    return breaks


#: The id of an exercise's question in the print document (:func:`print_article` sets it).
_EXERCISE = re.compile(r"--exercise-\d+$")


def retitle_outline(writer, titles: list[str]) -> None:
    """Give the outline's entries (the PDF viewer's bookmarks), in order, the headings' own text
    (:func:`headings_and_pages` says why Chromium's will not do)."""
    from pypdf.generic import NameObject, TextStringObject

    entries = []

    def walk(item) -> None:
        while item is not None:
            item = item.get_object()
            entries.append(item)
            walk(item.get("/First"))
            item = item.get("/Next")

    walk(writer.root_object["/Outlines"].get_object().get("/First"))
    if len(entries) != len(titles):
        raise ValueError(f"the outline has {len(entries)} entries, the print document {len(titles)} headings")
    for entry, title in zip(entries, titles):
        entry[NameObject("/Title")] = TextStringObject(title)


def contents_of(headings: list[tuple[int, str, int]], book_parts: list[tuple[str, list[str]]]):
    """The contents: each part's pages (``book_parts``: part, page titles) and their sections,
    levels 1 and 2 of the printed ``headings``, with their pages."""
    starts = {title: i for i, (level, title, _) in enumerate(headings) if level == 1}
    contents = []
    for part, titles in book_parts:
        entries = []
        for title in titles:
            if title not in starts:
                raise ValueError(f"the printed outline has no heading {title!r}")
            entries.append(headings[starts[title]])
            for heading in headings[starts[title] + 1 :]:
                if heading[0] == 1:
                    break
                if heading[0] == 2:
                    entries.append(heading)
        contents.append((part, entries))
    return contents


@functools.cache
def _chromium() -> str | None:
    return shutil.which("chromium")


def print_pdf(outdir: Path, order: list[str], book_parts, book: dict[str, str]) -> bytes:
    """Print the book: the body once, then the title page and contents, merged with pypdf."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    # pypdf logs that Chromium's cross-reference table counts fewer objects than it holds, which
    # every reader repairs; it is not the reader's business
    std_logging.getLogger("pypdf").setLevel(std_logging.ERROR)

    document = Path(outdir, PurePosixPath(order[0]).parent, ".print-book.html")
    front = document.with_name(".print-front.html")
    handler = functools.partial(_QuietHandler, directory=str(outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{document.relative_to(outdir).parent.as_posix()}"
    try:
        html = print_document(Path(outdir), order, book.get("site", ""))
        document.write_text(html, encoding="utf-8")
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
            flags = ["--headless", "--no-sandbox", "--disable-gpu"]
            browser = playwright.chromium.launch_persistent_context(
                profile, executable_path=_chromium(), args=flags, headless=True
            )
            page = browser.new_page()
            page.set_viewport_size({"width": TEXT_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print")
            page.goto(f"{base}/{document.name}", wait_until="load")
            # MathJax typesets after the page loads; print only once every equation is drawn
            missing = page.evaluate(TYPESET)
            if missing:
                raise ValueError(f"equations not typeset, or fonts not loaded: {missing[:5]}")
            page.evaluate(FIT_EQUATIONS)
            body = print_with_full_endings(page, [level for level, _ in headings_of(html)])
            titles = {docname: _page_title(Path(outdir, f"{docname}.html")) for docname in order}
            book_parts = [(part, [titles[docname] for docname in docnames]) for part, docnames in book_parts]
            if f">{SOLUTIONS_TITLE}</h1>" in html:
                book_parts[-1][1].append(SOLUTIONS_TITLE)
            headings = headings_and_pages(html, body)
            contents = contents_of(headings, book_parts)
            head = html[html.index("<head>") : html.index("</head>") + len("</head>")]
            front.write_text(front_matter(head, book, contents), encoding="utf-8")
            page.goto(f"{base}/{front.name}", wait_until="load")
            start = page.pdf(format="A4", margin=MARGIN, print_background=True)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        document.unlink(missing_ok=True)
        front.unlink(missing_ok=True)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body)))
    retitle_outline(writer, [heading for _, heading, _ in headings])
    front_pages = len(PdfReader(io.BytesIO(start)).pages)
    writer.merge(0, PdfReader(io.BytesIO(start)))
    writer.set_page_label(0, front_pages - 1, style="/r")
    writer.set_page_label(front_pages, len(writer.pages) - 1, style="/D", start=1)
    writer.add_metadata({"/Title": book["title"], "/Author": book["author"]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_with_full_endings(page, levels: list[int]) -> bytes:
    """The body printed with its links' page numbers settled, and no page of the book ending with
    a few lines on a page of their own (:func:`breaks_for_short_endings`). Page numbers in the text
    can move what follows, and so can a break: it prints again until neither changes. The first
    printing has a page number of three digits after each link, so that it is laid out nearly as
    the last; a page of the book still short when printed again moves its break (one break in
    each). ``levels`` are the print document's headings'."""
    placed: dict[int, tuple[str, int | str]] = {}
    page.evaluate(PAGE_REFERENCES, None)
    for _ in range(5):
        body = print_body(page)
        moved = False
        for index, mark in breaks_for_short_endings(layout_of(body, levels)).items():
            if placed.get(index) != mark:
                if index in placed:
                    page.evaluate(BREAK_BEFORE, [placed[index], False])
                page.evaluate(BREAK_BEFORE, [mark, True])
                placed[index], moved = mark, True
        if not page.evaluate(PAGE_REFERENCES, destination_pages(body)) and not moved:
            return body
    raise ValueError("the page numbers of the links, or the page breaks, did not settle in five printings")


def print_body(page) -> bytes:
    return page.pdf(
        format="A4", margin=MARGIN, print_background=True, outline=True, tagged=True,
        display_header_footer=True, header_template="<div></div>", footer_template=FOOTER,
    )  # fmt: skip


def destination_pages(pdf: bytes) -> dict[str, int]:
    """The printed page (from 1) of each link target, by its id: Chromium names each target's
    destination in the PDF after the element's id."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {
        name.lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def _page_title(path: Path) -> str:
    """A built page's title: the text of its article's first heading, as Chromium's outline has it."""
    from bs4 import BeautifulSoup

    heading = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text().split())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def web_address(repository: str) -> str:
    """Where GitHub Pages publishes the site of a GitHub ``repository`` (README: *Publish*), or
    "" for a repository elsewhere: ``https://github.com/OWNER/NAME`` is served at
    ``https://OWNER.github.io/NAME/``, and a repository named ``OWNER.github.io`` at its root."""
    found = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", repository)
    if found is None:
        return ""
    owner, name = found.groups()
    root = f"https://{owner.lower()}.github.io/"
    return root if name.lower() == f"{owner.lower()}.github.io" else f"{root}{name}/"


def pdf_path(app) -> Path:
    return Path(app.outdir, app.config.book_pdf)


def forget_pdf(app, env, docnames):
    """A build that re-reads pages is about to change what the PDF printed: delete it now, so an
    interrupted build leaves no PDF rather than one with other numbers than the site's."""
    if docnames:
        pdf_path(app).unlink(missing_ok=True)


def offer_pdf(app, pagename, templatename, context, doctree):
    """The whole book in the download menu, after the theme's "print this page"."""
    if _chromium() is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](app.config.book_pdf, 1),
                    "text": "book .pdf",
                    "tooltip": "Download the whole book as a PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def write_pdf(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    if _chromium() is None:
        logger.warning("no chromium on the PATH: the book's PDF is not printed (apt-get install chromium)")
        return
    order = reading_order(app.env)
    pages = [Path(app.outdir, f"{docname}.html") for docname in order]
    pdf = pdf_path(app)
    # the pages it prints, and how it prints them
    inputs = pages + [Path(__file__), PRINT_CSS]
    if pdf.exists() and pdf.stat().st_mtime >= max(path.stat().st_mtime for path in inputs):
        return
    start = time.perf_counter()
    repository = app.config.html_theme_options.get("repository_url", "")
    book = {
        "title": app.config.html_title or app.config.project,  # Jupyter Book sets the first
        "author": app.config.author,
        "repository": repository,
        "site": app.config.html_baseurl or web_address(repository),
    }
    try:
        data = print_pdf(Path(app.outdir), order, parts(app.env), book)
    except Exception as error:  # the site is built; say in one line why its PDF is not
        logger.warning(f"the book's PDF was not printed: {type(error).__name__}: {error}")
        return
    write_atomically(pdf, data)
    logger.info(f"printed the book: {pdf.name}, {time.perf_counter() - start:.1f} s")


def setup(app):
    # The PDF's name, at the root of the built site.
    app.add_config_value("book_pdf", "learning-to-classify.pdf", "html")
    app.connect("env-before-read-docs", forget_pdf)
    app.connect("html-page-context", offer_pdf, priority=520)
    app.connect("build-finished", write_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
