"""Every page of the built book, in a real browser with the network blocked: it loads cleanly, its
images load, its formulas are typeset, it fetches nothing from outside the site, and search works."""

import pytest
from site_pages import SCREENSHOTS, toc_docnames


def toc_pages() -> list[str]:
    return [f"{name}.html" for name in toc_docnames()]


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_without_errors_and_every_image_loads(page, site_url, path):
    response = page.goto(f"{site_url}/{path}")
    assert response.ok, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.getAttribute('src').slice(0, 80))""")
    assert broken == [], f"{path}: images that did not load: {broken}"
    if page.locator(".math").count():  # formulas are typeset by the site's own MathJax
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=20_000)
        assert page.locator("mjx-merror").count() == 0, f"{path}: MathJax could not typeset a formula"
    raw_tables = page.evaluate(r"""() => Array.from(document.querySelectorAll('article p'))
        .map(p => p.textContent)
        .filter(text => text.split('\n').filter(line => /^\|.*\|\s*$/.test(line)).length > 1)""")
    assert raw_tables == [], f"{path}: markdown tables shown as text: {raw_tables}"
    assert page.errors == [], f"{path}: JavaScript errors: {page.errors}"
    assert page.blocked == [], f"{path}: needs the network for {page.blocked}"
    # MyST's linkify turns a bare file name (README.md, data.py) into a link to a web site
    file_links = page.evaluate(r"""() => Array.from(document.querySelectorAll('article a[href]'))
        .map(a => a.getAttribute('href'))
        .filter(href => /^https?:\/\/[^\/]+\.(md|py|txt|ipynb|json|yml)(\/|$)/i.test(href))""")
    assert file_links == [], f"{path}: file names turned into web links: {file_links}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "_").removesuffix(".html") + ".png")), full_page=True)


def test_search_finds_softmax(page, site_url):
    page.goto(f"{site_url}/search.html?q=softmax")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("02_softmax_cross_entropy" in href for href in hrefs), hrefs
    assert page.errors == []


@pytest.mark.parametrize("path", toc_pages())
def test_no_code_cell_scrolls_sideways_in_a_1280_pixel_window(page, site_url, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/{path}")
    page.wait_for_load_state("load")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    too_wide = page.evaluate(r"""() => Array.from(document.querySelectorAll('.cell_input pre'))
        .filter(pre => pre.scrollWidth > pre.clientWidth)
        .map(pre => pre.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a)))""")
    assert too_wide == [], f"{path}: code cells that scroll sideways; their longest lines: {too_wide}"
