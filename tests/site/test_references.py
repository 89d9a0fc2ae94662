"""The references page lists the works the book rests on, and every chapter cites them inline."""

import pytest

#: The works the book must credit: datasets, theory, optimisers, regularisers, sources.
REQUIRED = [
    "Krizhevsky",  # CIFAR-10
    "LeCun",  # MNIST
    "Shannon",  # entropy
    "Nesterov",
    "Sutskever",
    "Kingma",  # Adam
    "Srivastava",  # dropout
    "Ioffe",  # batch normalisation
    "Dive into Deep Learning",
    "Image classification with a 1-layer network",  # chapter 3's study
    "Exploring the limits of linearity on MNIST",  # chapter 4's project
    "Classification as regression",  # chapter 1's project
    "Edge of Stability",  # the going-further page, with the catapult and self-stabilisation papers
    "Catapult",
    "Self-Stabilization",
]
CHAPTERS = [
    "book/00_data",
    "book/01_regression_argmax",
    "book/02_softmax_cross_entropy",
    "book/03_cifar_one_layer",
    "book/04_limits_of_linearity",
    "book/05_reproduction_report",
    "book/06_going_further",
]


def test_the_references_page_lists_every_required_work(page, site_url):
    page.goto(f"{site_url}/book/references.html")
    text = page.locator("article").inner_text()
    missing = [work for work in REQUIRED if work.lower() not in text.lower()]
    assert not missing, missing


@pytest.mark.parametrize("docname", CHAPTERS)
def test_each_chapter_cites_inline_and_the_citations_lead_to_the_references(page, site_url, docname):
    page.goto(f"{site_url}/{docname}.html")
    citations = page.locator("article .bibtex-citation a[href*='references.html']")
    assert citations.count() >= 1
    href = citations.first.get_attribute("href")
    page.goto(f"{site_url}/book/{href}")
    assert page.locator(f"[id='{href.split('#')[1]}']").count() == 1
