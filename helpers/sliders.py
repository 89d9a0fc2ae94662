"""Sliders over a figure: live in Jupyter (ipywidgets), precomputed on the static site.

Both take the same description of the sliders (:class:`Axis`) and a ``render`` function, which
maps one value per axis (as keyword arguments) to a matplotlib figure (or to PNG bytes, see
:func:`frame_png`):

- :func:`live_sliders` re-renders on every change: it needs a running kernel.
- :func:`static_sliders` renders every point of the grid once, at build time, and embeds the
  images in the page with two ``<input type="range">`` controls and a few lines of JavaScript
  that show the image of the selected point. It needs no kernel, no CDN and no network, so it
  works on the static site (and in Jupyter as well).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt


@dataclass(frozen=True)
class Axis:
    """One slider: the keyword ``name`` it sets, its ``label``, and the grid of ``values``.

    ``log`` makes the live slider move on a log scale; ``initial`` is the value shown first
    (it must be one of ``values``); ``fmt`` formats values for display.
    """

    name: str
    label: str
    values: Sequence[float]
    initial: float
    log: bool = False
    fmt: str = "{:g}"

    def __post_init__(self):
        if self.initial not in self.values:
            raise ValueError(f"{self.name}: initial value {self.initial} is not one of {list(self.values)}")

    def show(self, value: float) -> str:
        return self.fmt.format(value)


#: Pixels per inch of slider frames: sharp enough to read, small enough to redraw fast.
FRAME_DPI = 80


def frame_png(render: Callable[..., plt.Figure | bytes], point: dict, dpi: int = FRAME_DPI) -> bytes:
    """``render(**point)`` as PNG bytes: what one slider position shows.

    ``render`` returns a matplotlib figure, which is drawn once (no ``bbox_inches="tight"``, which
    Jupyter's inline backend uses at the price of a second draw), encoded with fast compression
    and closed; or PNG bytes it made itself, which are used as they are (a renderer that keeps its
    figure and redraws only what changes is several times faster: see
    :class:`helpers.ch01_regression_argmax.figures.LogitCanvas`).
    """
    fig = render(**point)
    if isinstance(fig, bytes):
        return fig
    try:
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format="png",
            dpi=dpi,
            metadata={"Software": None},  # no version stamp
            pil_kwargs={"compress_level": 1},
        )
        return buffer.getvalue()
    finally:
        plt.close(fig)


_SCRIPT = """(function () {
  var root = document.getElementById(%(id)s);
  var inputs = root.querySelectorAll("input[type=range]");
  var labels = %(labels)s;
  function update() {
    var key = Array.prototype.map.call(inputs, function (input) { return input.value; }).join("-");
    root.querySelectorAll("img[data-key]").forEach(function (img) {
      img.style.display = img.getAttribute("data-key") === key ? "" : "none";
    });
    inputs.forEach(function (input, i) {
      root.querySelectorAll("output")[i].textContent = labels[i][Number(input.value)];
    });
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();"""


@dataclass(frozen=True)
class StaticSliders:
    """The HTML of a precomputed slider widget; Jupyter and MyST-NB display it as HTML."""

    html: str
    n_frames: int

    def _repr_html_(self) -> str:
        return self.html


def static_sliders(
    axes: Sequence[Axis], render: Callable[..., plt.Figure], dpi: int = FRAME_DPI, alt: str = "figure"
) -> StaticSliders:
    """Render ``render(**point)`` for every point of the grid and wrap the images in sliders."""
    frames = {}
    for indices in itertools.product(*(range(len(axis.values)) for axis in axes)):
        point = {axis.name: axis.values[i] for axis, i in zip(axes, indices)}
        png = base64.b64encode(frame_png(render, point, dpi)).decode("ascii")
        frames["-".join(map(str, indices))] = (point, "data:image/png;base64," + png)
    widget_id = "sliders-" + hashlib.sha1("".join(uri for _, uri in frames.values()).encode()).hexdigest()[:12]
    initial = "-".join(str(list(axis.values).index(axis.initial)) for axis in axes)
    controls = "".join(
        f'<label style="display:block;margin:0.2em 0">{html.escape(axis.label)} '
        f'<input type="range" name="{html.escape(axis.name)}" min="0" max="{len(axis.values) - 1}" step="1" '
        f'value="{list(axis.values).index(axis.initial)}" aria-label="{html.escape(axis.label)}" '
        f'style="vertical-align:middle;width:14em"> <output>{html.escape(axis.show(axis.initial))}</output></label>'
        for axis in axes
    )
    images = "".join(
        f'<img data-key="{key}" src="{uri}" alt="{html.escape(alt)}: '
        f'{html.escape(", ".join(f"{a.label} {a.show(point[a.name])}" for a in axes))}"'
        f"{'' if key == initial else ' style=display:none'}>"
        for key, (point, uri) in frames.items()
    )
    labels = json.dumps([[axis.show(v) for v in axis.values] for axis in axes])
    script = _SCRIPT % {"id": json.dumps(widget_id), "labels": labels}
    markup = (
        f'<div class="static-sliders" id="{widget_id}"><form onsubmit="return false">{controls}</form>'
        f"{images}<script>{script}</script></div>"
    )
    return StaticSliders(markup, len(frames))


def live_sliders(axes: Sequence[Axis], render: Callable[..., plt.Figure], steps: int = 40, dpi: int = FRAME_DPI):
    """ipywidgets sliders that call ``render`` with the chosen values and show its figure.

    A log axis gets a ``FloatLogSlider``; the others a ``FloatSlider``. Both span the axis's
    values and update when the slider is released.
    """
    import ipywidgets
    from IPython.display import Image, display

    controls = {}
    for axis in axes:
        low, high = min(axis.values), max(axis.values)
        if axis.log:
            controls[axis.name] = ipywidgets.FloatLogSlider(
                value=axis.initial,
                base=10,
                min=math.log10(low),
                max=math.log10(high),
                step=(math.log10(high) - math.log10(low)) / steps,
                description=axis.label,
                continuous_update=False,
                readout_format=".3g",
                style={"description_width": "initial"},
            )
        else:
            controls[axis.name] = ipywidgets.FloatSlider(
                value=axis.initial,
                min=low,
                max=high,
                step=(high - low) / steps,
                description=axis.label,
                continuous_update=False,
                readout_format=".3g",
                style={"description_width": "initial"},
            )

    def show(**point):
        display(Image(data=frame_png(render, point, dpi), format="png"))

    return ipywidgets.interactive(show, **controls)
