"""The reproduction report shows the same numbers as the chapters it reports on."""

import pytest

REPORT = "book/05_reproduction_report"
SOURCES = ["book/03_cifar_one_layer", "book/04_limits_of_linearity"]


def table_rows(page) -> list[list[str]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('article table tbody tr'))
        .map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))""")


def test_every_number_of_the_report_is_the_one_its_chapter_shows(page, site_url):
    chapter_rows, chapter_text = [], ""
    for docname in SOURCES:
        page.goto(f"{site_url}/{docname}.html")
        chapter_rows += table_rows(page)
        chapter_text += page.locator("article").inner_text()
    page.goto(f"{site_url}/{REPORT}.html")
    report = table_rows(page)
    assert len(report) >= 13, report  # 6 CIFAR accuracies, 2 gradient checks, 5 MNIST stages
    for name, book, *_ in report:
        # the chapter's row for this quantity: the longest label contained in the report's
        labels = [row for row in chapter_rows if row[0] and row[0] in name]
        if labels:
            longest = max(len(row[0]) for row in labels)
            rows = [row for row in labels if len(row[0]) == longest]
            assert any(book in row[1:] for row in rows), f"report: {name} = {book}; chapter rows: {rows}"
        else:  # a number the chapter states in its text (the gradient checks)
            assert book in chapter_text, f"report: {name} = {book} is nowhere in the chapters"


def test_the_report_compares_with_the_published_numbers(page, site_url):
    page.goto(f"{site_url}/{REPORT}.html")
    report = table_rows(page)
    judged = [row for row in report if row[2] != "not published"]
    assert len(judged) >= 9  # 3 CIFAR accuracies, the autograd check, 5 MNIST stages
    for name, book, published, difference, reached in judged:
        if published.endswith("%"):
            expected = float(book.rstrip("%")) - float(published.rstrip("%"))
            assert difference == f"{expected:+.2f} points", (name, difference)
            assert reached == ("yes" if expected >= -1e-9 else "no"), (name, reached)
    assert page.errors == []


@pytest.mark.parametrize("docname", SOURCES)
def test_the_chapters_link_to_the_report(page, site_url, docname):
    page.goto(f"{site_url}/{docname}.html")
    assert page.locator("article a[href$='05_reproduction_report.html']").count() >= 1
