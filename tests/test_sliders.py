"""The slider helpers: one image per grid point and one control per axis."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from helpers.sliders import Axis, live_sliders, static_sliders


def render(a, b):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.set_title(f"a={a} b={b}")
    ax.plot([0, 1], [a, b])
    return fig


AXES = [Axis("a", "alpha", (1.0, 2.0, 3.0), 2.0, log=True), Axis("b", "beta", (0.0, 0.5), 0.5)]


def test_static_sliders_embed_one_image_per_grid_point_and_one_range_per_axis():
    widget = static_sliders(AXES, render, dpi=40)
    markup = widget._repr_html_()
    assert widget.n_frames == 6
    keys = re.findall(r'<img data-key="([0-9-]+)" src="data:image/png;base64,', markup)
    assert sorted(keys) == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1"]
    ranges = re.findall(r'<input type="range" name="(\w+)" min="0" max="(\d+)" step="1" value="(\d+)"', markup)
    assert ranges == [("a", "2", "1"), ("b", "1", "1")]
    # without JavaScript, exactly the initial point's image is visible
    assert re.findall(r'<img data-key="([0-9-]+)" src="[^"]*" alt="[^"]*">', markup) == ["1-1"]
    assert "http" not in markup  # nothing to fetch from a CDN


def test_static_sliders_are_deterministic():
    assert static_sliders(AXES, render, dpi=40).html == static_sliders(AXES, render, dpi=40).html


def test_initial_value_must_be_on_the_grid():
    with pytest.raises(ValueError, match="initial value 0.7 is not one of"):
        Axis("b", "beta", (0.0, 0.5), 0.7)


def test_live_sliders_rerender_when_a_value_changes():
    calls = []

    def recording_render(a, b):
        calls.append((a, b))
        return render(a, b)

    widget = live_sliders(AXES, recording_render)
    alpha, beta = widget.children[:2]
    assert (alpha.description, type(alpha).__name__) == ("alpha", "FloatLogSlider")
    assert (beta.description, type(beta).__name__) == ("beta", "FloatSlider")
    assert calls[-1] == (2.0, 0.5)
    beta.value = 0.25
    assert calls[-1] == (2.0, 0.25)


def test_a_render_that_returns_png_bytes_is_used_as_it_is():
    from helpers.sliders import frame_png

    png = frame_png(lambda a: b"\x89PNG fake " + str(a).encode(), {"a": 2})
    assert png == b"\x89PNG fake 2"
