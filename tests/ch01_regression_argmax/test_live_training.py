"""What chapter 1's live widget exports from Python, and the float64 runs it is checked against.

The JavaScript itself runs in tests/site/test_live_training_in_the_browser.py, in a real browser.
"""

import html.parser
import json

import numpy as np
import pytest

from helpers.bounds import check
from helpers.ch01_regression_argmax import TrainConfig, input_grid, make_model, three_classes, train, train_many
from helpers.ch01_regression_argmax.live_training import (
    JS_FILES,
    JS_FOLDER,
    LARGEST_LOSS,
    REFERENCE_SETTINGS,
    diverged_at,
    float64_gap,
    live_training_widget,
    reference_runs,
)
from helpers.ch01_regression_argmax.net import flatten
from helpers.ch01_regression_argmax.sliders import SLIDER_SETTINGS, slider_grid


class Elements(html.parser.HTMLParser):
    """Every element's tag and attributes, and each ``<script>``'s class and text."""

    def __init__(self, markup: str):
        super().__init__()
        self.elements, self.scripts, self._in_script = [], [], False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append([dict(attrs).get("class"), ""])

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1] += data

    def find(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def default_run():
    return train(TrainConfig())


@pytest.fixture(scope="module")
def markup(default_run):
    return live_training_widget(default_run, reference_runs()).html


@pytest.fixture(scope="module")
def widget(markup):
    return Elements(markup)


def test_diverged_at_is_the_first_epoch_beyond_float32():
    assert diverged_at(np.array([0.5, 0.4, 0.3])) is None
    assert diverged_at(np.array([0.5, 3e38, 3.5e38, 0.1])) == 2
    assert diverged_at(np.array([0.5, np.inf])) == 1
    assert diverged_at(np.array([np.nan, 0.5])) == 0
    assert LARGEST_LOSS == float(np.finfo(np.float32).max)


def test_the_float64_trainer_is_the_float32_one_in_double_precision():
    data = three_classes(0)
    single = train_many(data, [0.1], [0.9], 50)
    double = train_many(data, [0.1], [0.9], 50, dtype=np.float64)
    assert double.grid_logits.dtype == np.float64 and single.grid_logits.dtype == np.float32
    # the same run, rounded differently: close, and not identical
    gap = np.abs(double.grid_logits - single.grid_logits).max()
    assert 0 < gap < 1e-4


def test_the_float64_line_of_divergence_marks_the_same_grid_runs_as_float32_overflow():
    """The page says "diverged" for exactly the runs the chapter's accuracy map marks."""
    config = TrainConfig()
    lrs, momenta = zip(*SLIDER_SETTINGS)
    double = train_many(three_classes(config.data_seed), lrs, momenta, config.epochs, dtype=np.float64)
    marked = np.array([diverged_at(loss) is not None for loss in double.loss])
    assert marked.any() and not marked.all()
    np.testing.assert_array_equal(marked, slider_grid(config).history.diverged())


def test_reference_runs_cover_a_slow_a_fast_and_a_diverging_setting():
    runs = reference_runs(TrainConfig(epochs=200))
    assert [(r["lr"], r["momentum"]) for r in runs] == list(REFERENCE_SETTINGS.values())
    default = runs[0]
    assert (default["lr"], default["momentum"]) == (TrainConfig().lr, TrainConfig().momentum)
    assert np.shape(default["logits"]) == (len(input_grid()), 3)
    diverging = [r for r in runs if r["divergedAt"] is not None]
    assert len(diverging) == 1 and diverging[0]["logits"] is None and diverging[0]["loss"] is None
    # the slow run has barely moved from its start, the default has learned the classes
    slow = next(r for r in runs if r["lr"] == min(lr for lr, _ in REFERENCE_SETTINGS.values()))
    assert slow["accuracy"] < 0.6 < 0.85 < default["accuracy"]


def test_the_page_gets_the_chapter_data_and_initial_weights_exactly(widget):
    config = TrainConfig()
    data = json.loads(dict(widget.scripts)["live-training-data"])
    chapter = three_classes(config.data_seed)
    np.testing.assert_array_equal(np.array(data["x"], dtype=np.float32), chapter.x[:, 0].numpy())
    assert np.array(data["x"]).tolist() == chapter.x[:, 0].double().tolist()  # float32 values, not rounded
    assert data["y"] == chapter.y.tolist()
    assert data["theta0"] == flatten(make_model(config.hidden, config.init_seed).state_dict()).tolist()
    assert data["grid"] == input_grid()[:, 0].tolist()
    assert (data["lr"], data["momentum"], data["epochs"], data["hidden"]) == (0.1, 0.9, 200, 8)


def test_the_page_runs_the_repository_javascript_and_fetches_nothing(widget, markup):
    code = dict(widget.scripts)[None]
    for name in JS_FILES:
        assert (JS_FOLDER / name).read_text().replace("</", "<\\/") in code
    assert "http://" not in markup and "https://" not in markup and ' src="/' not in markup
    assert "</script" not in code


def test_the_controls_are_labelled_and_hidden_until_javascript_shows_them(widget, default_run):
    sliders = {a["name"]: a for a in widget.find("input", type="range")}
    assert set(sliders) == {"lr", "momentum", "epoch"}
    lr, momentum = sliders["lr"], sliders["momentum"]
    positions = (float(lr["max"]) - float(lr["min"])) / float(lr["step"]) + 1
    assert positions >= 200 and (float(lr["min"]), float(lr["max"])) == (-3, 0)  # log10 of 0.001 and 1
    assert (float(momentum["min"]), float(momentum["max"])) == (0, 0.99)
    assert (float(momentum["max"]) - float(momentum["min"])) / float(momentum["step"]) >= 200
    assert lr["aria-valuetext"] == "0.1"
    (live,) = widget.find("div", **{"class": "live-training-live"})
    assert "hidden" in live
    (fallback,) = widget.find("img", **{"class": "live-training-fallback"})
    assert fallback["src"].startswith("data:image/png;base64,") and len(fallback["src"]) > 10_000
    assert fallback["alt"].startswith("Logit curves at learning rate 0.1 and momentum 0.9 after 200 epochs")
    assert f"{default_run.accuracy[-1]:.1%} of the training points correct" in fallback["alt"]


def test_a_default_off_the_sliders_is_refused():
    with pytest.raises(ValueError, match="off the sliders"):
        live_training_widget(train(TrainConfig(lr=5.0, epochs=1)), [])


def test_the_float64_gap_compares_a_run_with_the_reference_of_its_own_setting(default_run):
    # the page's references (every one of REFERENCE_SETTINGS, trained together), whose first is
    # the default: the bound is checked on the value the page checks
    same, other = reference_runs()[:2]
    gap = float64_gap(default_run, same)
    assert gap > 0  # the same run, rounded differently
    check("ch1 live sliders: float64 vs float32 logits at the default", gap)
    with pytest.raises(ValueError, match="not the run's setting"):
        float64_gap(default_run, other)
