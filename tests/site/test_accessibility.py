"""Every page of the built site passes axe-core's audit, in Chromium at 1280 pixels.

axe-core (the copy bundled by the ``axe-playwright-python`` package, so offline) runs every rule
it enables by default: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices. A page
passes only with no violation of any impact. Chapter 1 is audited with its live widget running
(its sliders, button and canvas shown) and again after a slider has moved. A last test injects
violations into a page and checks that the audit reports them, so that a passing audit means
something.
"""

from __future__ import annotations

import re

import pytest
from site_pages import SITE

WIDGET_PAGE = "book/01_regression_argmax.html"


def site_pages() -> list[str]:
    """Every HTML page of the site (the book's pages, search, the index), not the theme's files."""
    pages = sorted(path.relative_to(SITE).as_posix() for path in SITE.glob("*.html"))
    return pages + sorted(path.relative_to(SITE).as_posix() for path in SITE.glob("book/*.html"))


def violations(page, context=None) -> list[str]:
    """axe-core's violations on ``page`` (or inside ``context``, a CSS selector), one line each:
    rule, impact, how many elements, and the first elements' selectors."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context).response
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; {[node['target'] for node in v['nodes'][:3]]}"
        for v in results["violations"]
    ]


def open_page(page, site_url, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(f"{site_url}/{path}")
    assert response.ok, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    if page.locator(".math").count():  # audit the typeset formulas, not their TeX
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=20_000)


def test_the_audit_covers_every_page_of_the_book():
    if not (SITE / "index.html").is_file():
        pytest.skip("no built site")
    assert {"index.html", "search.html", "book/intro.html", WIDGET_PAGE} <= set(site_pages())


@pytest.mark.parametrize("path", site_pages() or ["index.html"])
def test_page_has_no_accessibility_violation(page, site_url, path):
    open_page(page, site_url, path)
    if path == "index.html":  # it sends the reader on at once: audit its own markup, held still
        page.wait_for_url(f"{site_url}/book/intro.html")
        markup = (SITE / path).read_text(encoding="utf-8")
        page.set_content(re.sub(r'<meta http-equiv="refresh"[^>]*>', "", markup, flags=re.I))
    if path == WIDGET_PAGE:  # the live widget, as its reader meets it: controls and canvas shown
        page.locator(".live-training-live:not([hidden]) canvas").wait_for(state="visible", timeout=20_000)
        assert page.locator(".live-training-fallback:visible").count() == 0
    assert violations(page) == [], path


def test_the_live_widget_stays_accessible_after_a_slider_moves(page, site_url):
    open_page(page, site_url, WIDGET_PAGE)
    slider = page.locator(".live-training-live input[name=momentum]")
    slider.wait_for(state="visible", timeout=20_000)
    figure = page.locator(".live-training-figure")
    before = figure.get_attribute("aria-label")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "before => document.querySelector('.live-training-figure').getAttribute('aria-label') !== before",
        arg=before,
        timeout=20_000,
    )
    # the canvas's text alternative describes the setting now chosen
    assert "momentum" in figure.get_attribute("aria-label")
    assert violations(page, context=".live-training") == []


def test_the_audit_reports_a_violation_injected_into_a_page(page, site_url):
    open_page(page, site_url, "book/intro.html")
    assert violations(page) == []
    page.evaluate("""() => {
        const article = document.querySelector('article');
        article.insertAdjacentHTML('beforeend',
            '<img src="../_static/nothing.png">' +
            '<table><thead><tr><th></th><th>accuracy</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr></tbody></table>');
    }""")
    found = violations(page)
    assert any(line.startswith("image-alt (critical") for line in found), found
    assert any(line.startswith("empty-table-header") for line in found), found
