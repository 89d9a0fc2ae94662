"""The reproduction report shows the same numbers as the chapters it reports on."""

import re

import pytest

REPORT = "book/05_reproduction_report"
SOURCES = ["book/03_cifar_one_layer", "book/04_limits_of_linearity"]


def table_rows(page) -> list[list[str]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('article table tbody tr'))
        .map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))""")


def tables(page) -> list[tuple[list[str], list[list[str]]]]:
    """Each table of the page: its header cells and its rows' cells."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('article table')).map(t => [
        Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim()),
        Array.from(t.querySelectorAll('tbody tr')).map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))])""")


VERDICT = re.compile(r"^(consistent|(higher|lower) \(×(\d+\.\d|inf)\))$")


def comparisons_and_peers(page) -> tuple[list[list[str]], list[list[str]]]:
    """The rows that set the book's spread beside a published number, and the other tables' rows."""
    compared, others = [], []
    for header, rows in tables(page):
        (compared if header[:2] == ["result", "this book (%)"] else others).extend(rows)
    return compared, others


def test_every_number_of_the_report_is_the_one_its_chapter_shows_or_a_quotation(page, site_url):
    chapter_text = ""
    for docname in SOURCES:
        page.goto(f"{site_url}/{docname}.html")
        chapter_text += page.locator("article").inner_text()
    page.goto(f"{site_url}/{REPORT}.html")
    compared, others = comparisons_and_peers(page)
    assert len(compared) == 17, compared  # every accuracy the two studies published
    for name, book, *_ in compared:
        assert book in chapter_text, f"report: {name} = {book} is nowhere in the chapters"
    # the other reproductions' numbers are quotations, each as helpers.published keeps it
    from helpers.published import PEERS

    peers = [row for row in others if " @ " in row[0] and len(row) == 5]  # owner/repository, path @ commit
    assert len(peers) == len(PEERS), others
    for row, peer in zip(peers, PEERS):
        assert row[0].startswith(peer.repository), (row[0], peer.repository)
        quoted = ["–" if value is None else f"{value:.2f}" for value in peer.settings_test]
        assert row[1:] == quoted, f"report: {row[0]} shows {row[1:]}, helpers.published has {quoted}"


def test_the_report_compares_with_the_published_numbers_by_its_rule(page, site_url):
    """Each row's verdict says where the published number lies against the interval it shows."""
    page.goto(f"{site_url}/{REPORT}.html")
    compared, _ = comparisons_and_peers(page)
    for name, book, interval, published, verdict in compared:
        low, high = (float(x) for x in interval.split("–"))
        mean, value = float(book.split(" ± ")[0]), float(published)
        assert low < mean < high, (name, book, interval)
        found = VERDICT.match(verdict)
        assert found, (name, verdict)
        if found.group(1) == "consistent":
            assert low - 0.005 <= value <= high + 0.005, (name, interval, published)
        if found.group(2) == "higher":
            assert value <= low + 0.005 and mean > value, (name, interval, published)
        if found.group(2) == "lower":
            assert value >= high - 0.005 and mean < value, (name, interval, published)
    text = page.locator("article").inner_text()
    assert text.count("“consistent” if the published number") == 1  # the rule, stated once
    assert "McNemar’s exact test" in text.replace("'", "’")  # the paired rule, typeset with a curly apostrophe
    assert "contradicts" not in text and "real gain" not in text
    assert page.errors == []


@pytest.mark.parametrize("docname", SOURCES)
def test_the_chapters_link_to_the_report(page, site_url, docname):
    page.goto(f"{site_url}/{docname}.html")
    assert page.locator("article a[href$='05_reproduction_report.html']").count() >= 1


def test_the_assignment_run_and_the_original_code_control_are_shown_as_quoted(page, site_url):
    from helpers.published import ASSIGNMENT_EXAMPLE_RUN, ORIGINAL_CODE_SEED_42, ORIGINAL_CODE_SEEDS

    page.goto(f"{site_url}/{REPORT}.html")
    (assignment,) = [row for row in table_rows(page) if row[0].startswith("DD2424 Assignment 1")]
    assert assignment[2] == f"{ASSIGNMENT_EXAMPLE_RUN.value:.2f}"  # setting 2's column
    by_header = {header[1]: rows for header, rows in tables(page) if len(header) > 1}
    judged, beside = by_header["original code, seeds 0–4 (%)"], by_header["original code, seed 42 (%)"]
    assert [row[0] for row in judged] == [row[0] for row in beside] == list(ORIGINAL_CODE_SEEDS)
    for row, other in zip(judged, beside):
        values = ORIGINAL_CODE_SEEDS[row[0]]
        assert row[1].startswith(f"{sum(values) / len(values):.2f} ± ") and VERDICT.match(row[4])
        assert other[1] == f"{ORIGINAL_CODE_SEED_42[row[0]]:.2f}"
