"""Benchmark: what one move of chapter 1's live lr / momentum slider costs.

A slider update retrains the network from its initialisation for the full number of epochs at the
new (lr, momentum), redraws the logit curves, and encodes the PNG the widget shows: exactly
``frame_png(live_render(config), point)``, which ``live_sliders`` calls on every move. This script
times that over many updates at settings spread over the slider's range, and, for information,
its two parts separately. The target is 100 ms per update.

    python benchmarks/slider_update.py [--updates 40]
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from helpers.ch01_regression_argmax import TrainConfig, input_grid, three_classes, train_many  # noqa: E402
from helpers.ch01_regression_argmax.figures import LogitCanvas  # noqa: E402
from helpers.ch01_regression_argmax.sliders import LR_VALUES, MOMENTUM_VALUES, live_render  # noqa: E402
from helpers.sliders import frame_png  # noqa: E402

TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=40, help="slider updates to time (default 40)")
    args = parser.parse_args()

    config = TrainConfig()
    data = three_classes(config.data_seed)
    x, y = data.x[:, 0].numpy(), data.y.numpy()
    rng = np.random.default_rng(0)
    settings = zip(
        10 ** rng.uniform(np.log10(min(LR_VALUES)), np.log10(max(LR_VALUES)), args.updates),
        rng.uniform(min(MOMENTUM_VALUES), max(MOMENTUM_VALUES), args.updates),
    )
    render = live_render(config)
    frame_png(render, {"lr": 0.1, "momentum": 0.9})  # warm-up: imports, font cache, allocator
    canvas = LogitCanvas(input_grid()[:, 0].numpy(), x, y)
    parts = {"train": [], "redraw": [], "update": []}
    for lr, momentum in settings:
        start = time.perf_counter()
        frame_png(render, {"lr": lr, "momentum": momentum})  # the whole update, as the widget runs it
        parts["update"].append(1000 * (time.perf_counter() - start))

        start = time.perf_counter()  # the same work again, part by part
        history = train_many(
            data, [lr], [momentum], config.epochs, config.hidden, config.init_seed, record_history=False
        )
        trained = time.perf_counter()
        canvas.png(history.grid_logits[0, -1], f"lr {lr:.3g}, momentum {momentum:.2f}")
        done = time.perf_counter()
        parts["train"].append(1000 * (trained - start))
        parts["redraw"].append(1000 * (done - trained))

    print(
        f"one slider update of chapter 1 ({config.epochs} epochs of full-batch training on "
        f"{len(y)} points), median of {args.updates}:"
    )
    for name, values in parts.items():
        print(f"  {name:7} {statistics.median(values):6.1f} ms   (min {min(values):.1f}, max {max(values):.1f})")
    verdict = "within" if statistics.median(parts["update"]) <= TARGET_MS else "OVER"
    print(f"  {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
