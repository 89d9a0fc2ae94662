"""The static sliders on the built pages respond in a real browser, with no kernel and no network."""

import pytest

PAGES_WITH_SLIDERS = ["book/03_cifar_one_layer.html"]


def shown_image(widget):
    """The data-key and src of the one image the widget shows."""
    shown = widget.locator("img[data-key]:visible")
    assert shown.count() == 1
    return shown.get_attribute("data-key"), shown.get_attribute("src")


@pytest.mark.parametrize("path", PAGES_WITH_SLIDERS)
def test_moving_each_slider_changes_the_figure(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    widgets = page.locator(".static-sliders")
    assert widgets.count() >= 1
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        widget.scroll_into_view_if_needed()
        sliders = widget.locator("input[type=range]")
        assert sliders.count() == 2
        for s in range(sliders.count()):
            slider, readout = sliders.nth(s), widget.locator("output").nth(s)
            key, src = shown_image(widget)
            value = readout.text_content()
            at_max = slider.get_attribute("value") == slider.get_attribute("max")
            slider.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            new_key, new_src = shown_image(widget)
            assert new_key != key and new_src != src
            assert readout.text_content() != value
            loaded = widget.locator("img[data-key]:visible").evaluate("img => img.complete && img.naturalWidth > 0")
            assert loaded
    assert page.errors == []
