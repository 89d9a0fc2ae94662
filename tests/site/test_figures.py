"""Every figure a chapter draws is a numbered, captioned figure, and the text refers to it by number.

A figure is an image in a cell's output, or a slider widget (chapter 1's live one, chapter 3's
precomputed one), which counts as one figure however many frames it holds.
"""

import re

import pytest

PAGES = {  # page -> the chapter number its figures carry (None: numbered 1, 2, ... on the page)
    "book/00_data.html": None,
    "book/01_regression_argmax.html": 1,
    "book/02_softmax_cross_entropy.html": 2,
    "book/03_cifar_one_layer.html": 3,
    "book/04_limits_of_linearity.html": 4,
    "book/06_going_further.html": None,
}
WIDGETS = ".static-sliders, .live-training"

#: For every figure of the page: whether it sits in a <figure> with a caption, the caption's text,
#: and the figure's id; and for every image that is a figure, its alt text.
FIGURES = f"""() => {{
  const outputs = Array.from(document.querySelectorAll('.cell_output img, {WIDGETS}'))
    .filter(element => element.tagName !== 'IMG' || !element.closest('{WIDGETS}'));
  return outputs.map(element => {{
    const figure = element.closest('figure');
    const caption = figure && figure.querySelector('figcaption');
    return {{
      caption: caption ? caption.textContent.trim() : null,
      id: figure ? figure.id : null,
      alt: element.tagName === 'IMG' ? element.getAttribute('alt') : 'widget',
    }};
  }});
}}"""


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_is_numbered_and_captioned(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    figures = page.evaluate(FIGURES)
    assert figures, "no figures found"
    captions = page.locator("article figcaption")
    assert captions.count() == len(figures)  # one caption per figure, and no caption without one
    chapter = PAGES[path]
    prefix = "" if chapter is None else f"{chapter}."
    for number, figure in enumerate(figures, start=1):
        assert figure["caption"], f"figure {number} has no caption"
        assert re.match(rf"Figure {re.escape(prefix)}{number}\b", figure["caption"]), figure["caption"]
        assert len(figure["caption"]) > len(f"Figure {prefix}{number}") + 20  # says what it shows
        assert figure["alt"] and figure["alt"] not in ("", "png"), f"figure {number} has no text alternative"


@pytest.mark.parametrize("path", PAGES)
def test_the_text_refers_to_every_figure_by_its_number(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    figures = page.evaluate(FIGURES)
    references = page.evaluate(
        """() => Array.from(document.querySelectorAll('article a.reference.internal'))
             .filter(a => /^Figure /.test(a.textContent.trim()))
             .map(a => [a.textContent.trim(), a.getAttribute('href')])"""
    )
    referenced = {href.split("#")[-1]: text for text, href in references}
    for figure in figures:
        assert figure["id"] in referenced, f"the text never refers to {figure['id']}"
        assert figure["caption"].startswith(referenced[figure["id"]])  # the reference names its number
