"""The lesson in view, the machinery behind it: what a reader of the data page and the chapters sees.

The chapters still run every check when the book is built; these tests make sure that the reader
sees only the code that teaches and prose about the lesson, that each chapter says up front what
it teaches and sums up what it showed, and that the checks are explained once, on their own page.
"""

import re

import pytest
from site_pages import toc_docnames

LESSONS = [name for name in toc_docnames() if re.match(r"book/0[0-4]_", name)]
#: Pages a student reads as lessons: the chapters and the page that goes further than them.
READ_AS_LESSONS = [*LESSONS, "book/06_going_further"]
CHECKS_PAGE = "book/checks"

#: What the page's visible code must not contain: bookkeeping that runs in hidden cells.
BOOKKEEPING = (*(f"{call}(" for call in ("check", "glue", "save_results", "markdown_table")), "perf_counter")
IMPORT_LINE = re.compile(r"^\s*(import \w|from [\w.]+ import )", re.MULTILINE)
#: Words about how the book checks itself, which belong on the checks page only.
MACHINERY = ("seed_sweep", "benchmarks/", "browser test", "unit test", "lockstep", "map_seeds", "nbval")

VISIBLE_CODE = """() => Array.from(document.querySelectorAll('article .cell_input'))
    .filter(cell => cell.checkVisibility())
    .map(cell => cell.innerText)"""


def open_page(page, site_url, docname):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/{docname}.html")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("docname", READ_AS_LESSONS)
def test_visible_code_teaches_and_bookkeeping_is_hidden(page, site_url, docname):
    open_page(page, site_url, docname)
    code = page.evaluate(VISIBLE_CODE)
    assert code, f"{docname}: no visible code at all"
    found = [(word, cell[:70]) for cell in code for word in BOOKKEEPING if word in cell]
    found += [("import", match.group(0).strip()) for cell in code for match in IMPORT_LINE.finditer(cell)]
    assert found == [], f"{docname}: bookkeeping in the visible code: {found}"
    # the hidden cells are on the page as collapsed toggles or not at all, never as visible code
    imports = page.locator("article details.hide").count()
    assert imports >= 1, f"{docname}: no collapsed cell (the imports) for a curious reader"


@pytest.mark.parametrize("docname", READ_AS_LESSONS)
def test_the_prose_is_about_the_lesson_not_the_machinery(page, site_url, docname):
    open_page(page, site_url, docname)
    text = page.locator("article").inner_text().lower()
    found = [word for word in MACHINERY if word in text]
    assert found == [], f"{docname}: says {found}; that belongs on the checks page"
    assert page.locator(f'article a[href$="{CHECKS_PAGE.split("/")[1]}.html"]').count() >= 1 or docname.endswith(
        "00_data"
    ), f"{docname}: no link to how the book checks itself"


@pytest.mark.parametrize("docname", LESSONS)
def test_each_lesson_says_what_it_teaches_and_sums_up_what_it_showed(page, site_url, docname):
    open_page(page, site_url, docname)
    headings = page.locator("article h2").all_inner_texts()
    headings = [h.strip().rstrip("#").strip() for h in headings]
    goals = page.locator("article .admonition", has=page.locator(".admonition-title", has_text="What you will learn"))
    assert goals.count() == 1, f"{docname}: no 'What you will learn' box"
    points = goals.locator("li").count()
    assert 3 <= points <= 5, f"{docname}: {points} learning goals, not 3-5"
    first_section = page.locator("article section section").first
    assert goals.first.evaluate(
        "(box, section) => box.compareDocumentPosition(section) & 4", first_section.element_handle()
    ), f"{docname}: the goals come after the first section"
    assert "Summary" in headings, f"{docname}: no Summary section ({headings})"
    if "Exercises" in headings:
        assert headings.index("Summary") == headings.index("Exercises") - 1, f"{docname}: the summary is not last"
    summary = page.locator("article section", has=page.locator("h2", has_text="Summary")).last
    assert re.search(r"\d", summary.inner_text()), f"{docname}: the summary quotes none of the chapter's numbers"


def test_the_checks_page_tells_how_the_book_checks_itself_and_the_intro_links_to_it(page, site_url):
    open_page(page, site_url, CHECKS_PAGE)
    text = page.locator("article").inner_text()
    for subject in ("seed", "torch.optim", "browser", "kernel"):
        assert subject in text, f"the checks page does not mention {subject!r}"
    page.goto(f"{site_url}/book/intro.html")
    assert page.locator('article a[href$="checks.html"]').count() >= 1, "the introduction does not link to it"


@pytest.mark.parametrize("docname", toc_docnames())
def test_no_table_or_output_runs_past_the_text_column_at_1280_pixels(page, site_url, docname):
    open_page(page, site_url, docname)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    too_wide = page.evaluate(r"""() => {
        const article = document.querySelector('article');
        const right = article.getBoundingClientRect().right;
        const selectors = 'table, pre, .cell_output, .pst-scrollable-table-container, .output, .highlight';
        return Array.from(article.querySelectorAll(selectors))
            .filter(el => el.checkVisibility())
            .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > right + 1)
            .map(el => el.tagName + '.' + el.className + ': ' + el.innerText.split('\n')[0].slice(0, 60));
    }""")
    assert too_wide == [], f"{docname}: elements wider than the text column: {too_wide}"
