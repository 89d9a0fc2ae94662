"""Chapter 1's live widget: sliders that retrain the network in the reader's browser.

On the static site there is no Python kernel, but the network is tiny (43 parameters, 300 points,
200 full-batch steps), so the page retrains it in plain JavaScript on every slider move. The
JavaScript lives next to this module, in ``js/``, one file per job:

- ``train.js``: the network, the MSE against one-hot targets and the Nesterov update of
  :mod:`.net`, written out for the browser (float64);
- ``draw.js``: the figure on a ``<canvas>``: the logit curves and argmax regions, as
  :func:`.figures.logit_figure` draws them, and the loss and accuracy over the epochs;
- ``wire.js``: the controls: learning rate (log scale) and momentum sliders, an epoch scrubber
  with play/pause, the settings in the URL fragment (``#lr=0.05&momentum=0.8``).

:func:`live_training_widget` exports what the page needs from Python (the data, the initial
weights, the settings) as inline JSON, and reference runs of the same formulas in float64 at a
few settings (:data:`REFERENCE_SETTINGS`), against which the browser tests check the JavaScript.
The HTML includes the three files inline, so it works wherever a notebook's HTML output runs
scripts (the built site, a trusted notebook in Jupyter) and needs no network. Without JavaScript,
the figure of the default settings is shown instead.
"""

from __future__ import annotations

import base64
import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.colors import to_hex

from ..sliders import frame_png
from ..three_classes import CLASS_COLORS, argmax_regions, three_classes
from ..tiny_net import make_model
from .figures import logit_figure
from .net import flatten
from .sliders import figure_title
from .training import Run, TrainConfig, train_many

JS_FOLDER = Path(__file__).with_name("js")
#: In the order the page runs them: wire.js uses the other two.
JS_FILES = ("train.js", "draw.js", "wire.js")

#: The sliders' ranges. The learning-rate slider moves in steps of 0.005 in log10 (601 positions,
#: each 1.2 % above the last); the momentum slider in steps of 0.001 (991 positions).
LR_RANGE = (1e-3, 1.0)
LR_LOG10_STEP = 0.005
MOMENTUM_RANGE = (0.0, 0.99)
MOMENTUM_STEP = 0.001

#: Settings at which the Python formulas are run in float64 and exported, for the browser tests.
REFERENCE_SETTINGS = {
    "the chapter's default": (0.1, 0.9),
    "slow: the smallest learning rate, no momentum": (0.001, 0.0),
    "between the old grid's points": (0.05, 0.8),
    "fast: a large learning rate with momentum": (0.5, 0.9),
    "diverging": (1.0, 0.95),
}

#: A loss beyond the largest float32 is where the chapter's float32 trainer overflows; a float64
#: run (the browser's, the reference's) is called diverged there too (``LARGEST_LOSS`` in train.js).
LARGEST_LOSS = float(np.finfo(np.float32).max)


def diverged_at(loss: np.ndarray) -> int | None:
    """The first epoch whose loss is not a number below :data:`LARGEST_LOSS`, or ``None``."""
    beyond = np.flatnonzero(~(np.asarray(loss) < LARGEST_LOSS))
    return int(beyond[0]) if len(beyond) else None


def reference_runs(config: TrainConfig = TrainConfig(), settings: dict = REFERENCE_SETTINGS) -> list[dict]:
    """:func:`.train_many` in float64 at each of ``settings``: what the page must reproduce.

    For each: the final logits on the input grid, loss and accuracy (``None`` once diverged), and
    the epoch it diverged at (``None`` if it did not).
    """
    data = three_classes(config.data_seed)
    lrs, momenta = zip(*settings.values())
    history = train_many(data, lrs, momenta, config.epochs, config.hidden, config.init_seed, dtype=np.float64)
    runs = []
    for m, (name, (lr, momentum)) in enumerate(settings.items()):
        epoch = diverged_at(history.loss[m])
        runs.append(
            {
                "name": name,
                "lr": lr,
                "momentum": momentum,
                "divergedAt": epoch,
                "loss": None if epoch is not None else float(history.loss[m, -1]),
                "accuracy": None if epoch is not None else float(history.accuracy[m, -1]),
                # 10 significant digits: 1e-10 of rounding, far below what the tests accept
                "logits": None if epoch is not None else np.vectorize(_digits)(history.grid_logits[m, -1]).tolist(),
            }
        )
    return runs


def _digits(value: float, digits: int = 10) -> float:
    return float(f"{value:.{digits}g}")


def float64_gap(run: Run, reference: dict) -> float:
    """The largest difference between the final logits of ``run`` (the chapter's float32 trainer)
    and of ``reference``, the float64 run of the same setting (:func:`reference_runs`)."""
    if (reference["lr"], reference["momentum"]) != (run.config.lr, run.config.momentum):
        raise ValueError(f"the reference {reference['name']!r} is not the run's setting")
    return float(np.abs(np.array(reference["logits"]) - run.grid_logits[-1]).max())


def widget_data(run: Run, references: list[dict]) -> dict:
    """Everything the page computes from, as JSON-ready numbers (float32 values, exactly): the
    data and initial weights of ``run``, its setting as the sliders' default, and ``references``."""
    config, data = run.config, run.data
    if not (LR_RANGE[0] <= config.lr <= LR_RANGE[1] and MOMENTUM_RANGE[0] <= config.momentum <= MOMENTUM_RANGE[1]):
        raise ValueError(f"the default setting lr {config.lr}, momentum {config.momentum} is off the sliders")
    return {
        "x": data.x[:, 0].tolist(),
        "y": data.y.tolist(),
        "hidden": config.hidden,
        "theta0": flatten(make_model(config.hidden, config.init_seed).state_dict()).tolist(),
        "grid": run.grid.tolist(),
        "epochs": config.epochs,
        "lr": config.lr,
        "momentum": config.momentum,
        "bestAccuracy": data.bayes_accuracy(),
        "colors": [to_hex(name) for name in CLASS_COLORS],
        "references": references,
    }


def describe(lr, momentum, epoch, accuracy, loss, regions) -> str:
    """A sentence that says what the figure shows: the setting, the result, the regions."""
    where = []
    for i, (start, end, label) in enumerate(regions):
        if len(regions) == 1:
            where.append(f"class {label} wins everywhere")
        elif i == 0:
            where.append(f"class {label} wins below x = {end:.2f}")
        elif i == len(regions) - 1:
            where.append(f"class {label} above x = {start:.2f}")
        else:
            where.append(f"class {label} between {start:.2f} and {end:.2f}")
    return (
        f"Logit curves at learning rate {lr:.3g} and momentum {momentum:.3g} after {epoch} epochs: "
        f"{accuracy:.1%} of the training points correct, loss {loss:.4f}; " + ", ".join(where) + "."
    )


@dataclass(frozen=True)
class LiveTrainingWidget:
    """The widget's HTML; Jupyter and MyST-NB display it as HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


def _script(text: str) -> str:
    """Text made safe to sit inside a ``<script>`` element (which ends at the first ``</``)."""
    return text.replace("</", "<\\/")


def live_training_widget(run: Run, references: list[dict]) -> LiveTrainingWidget:
    """The live widget for the data and network of ``run`` (a :func:`.train` run, with its
    history), its setting selected, with the float64 ``references`` the browser tests check.

    Without JavaScript the page shows ``run``'s figure (drawn by matplotlib from the chapter's
    float32 trainer) and says why the sliders are missing; with JavaScript, wire.js replaces it
    with the controls and the canvas.
    """
    config, data = run.config, widget_data(run, references)
    title = figure_title(config.lr, config.momentum, float(run.accuracy[-1]), config.epochs)
    x, y = run.data.x[:, 0].numpy(), run.data.y.numpy()
    png = frame_png(lambda: logit_figure(run.grid, run.grid_logits[-1], x, y, title), {})
    alt = describe(
        config.lr,
        config.momentum,
        config.epochs,
        float(run.accuracy[-1]),
        float(run.loss[-1]),
        argmax_regions(run.grid, run.grid_logits[-1]),
    )
    lr_position = round(math.log10(config.lr) / LR_LOG10_STEP) * LR_LOG10_STEP
    controls = "".join(
        [
            _range("lr", "learning rate", *np.log10(LR_RANGE), LR_LOG10_STEP, lr_position, f"{config.lr:g}"),
            _range("momentum", "momentum", *MOMENTUM_RANGE, MOMENTUM_STEP, config.momentum, f"{config.momentum:g}"),
            _range("epoch", "epoch", 0, config.epochs, 1, config.epochs, str(config.epochs)),
            '<button type="button" class="live-training-play" aria-pressed="false">Play</button>',
        ]
    )
    scripts = "\n".join((JS_FOLDER / name).read_text() for name in JS_FILES)
    markup = (
        f'<div class="live-training">{_STYLE}'
        f'<img class="live-training-fallback" src="data:image/png;base64,{base64.b64encode(png).decode()}" '
        f'alt="{html.escape(alt)}">'
        '<p class="live-training-fallback"><em>This is the figure of the default settings. In the '
        "book's web pages, with JavaScript on, sliders here retrain the network in your browser.</em></p>"
        f'<div class="live-training-live" hidden><form class="live-training-controls" onsubmit="return false">'
        f"{controls}</form>"
        '<p class="live-training-status" role="status" aria-live="polite"></p>'
        '<canvas class="live-training-figure" role="img" aria-label=""></canvas></div>'
        f'<script type="application/json" class="live-training-data">{_script(json.dumps(data))}</script>'
        f"<script>{_script(scripts)}</script></div>"
    )
    return LiveTrainingWidget(markup)


_STYLE = """<style>
.live-training-controls { display: flex; flex-wrap: wrap; gap: 0.3em 1.5em; align-items: center; }
.live-training-setting input[type=range] { vertical-align: middle; width: 12em; }
.live-training-setting output { display: inline-block; min-width: 3.5em; font-variant-numeric: tabular-nums; }
.live-training-status { min-height: 1.5em; margin: 0.3em 0; }
.live-training-status.diverged { color: #b00020; font-weight: bold; }
.live-training-figure { width: 100%; max-width: 760px; display: block; }
.live-training-fallback { max-width: 100%; }
</style>"""


def _range(name: str, label: str, low: float, high: float, step: float, value: float, shown: str) -> str:
    """A labelled slider and its readout; ``aria-valuetext`` says the value a screen reader should
    read (the learning-rate slider's own value is its log10)."""
    return (
        f'<label class="live-training-setting">{html.escape(label)} '
        f'<input type="range" name="{name}" min="{low:g}" max="{high:g}" step="{step:g}" value="{value:g}" '
        f'aria-valuetext="{html.escape(shown)}"> <output>{html.escape(shown)}</output></label>'
    )
