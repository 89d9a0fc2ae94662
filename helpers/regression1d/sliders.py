"""Chapter 1's learning-rate and momentum sliders, live and static (see :mod:`helpers.sliders`)."""

from __future__ import annotations

from dataclasses import replace

from ..sliders import Axis
from .data import three_classes
from .figures import logit_figure
from .training import TrainConfig, train_many

#: The static grid: 6 learning rates (log-spaced) x 5 momenta, 30 precomputed runs.
LR_VALUES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MOMENTUM_VALUES = (0.0, 0.5, 0.8, 0.9, 0.95)


def slider_axes(config: TrainConfig = TrainConfig()) -> list[Axis]:
    return [Axis("lr", "learning rate", LR_VALUES, config.lr, log=True),
            Axis("momentum", "momentum", MOMENTUM_VALUES, config.momentum)]


def _title(lr: float, momentum: float, accuracy: float, epochs: int) -> str:
    return f"lr {lr:.3g}, momentum {momentum:.3g}: {accuracy:.1%} correct after {epochs} epochs"


def live_render(config: TrainConfig = TrainConfig()):
    """``render(lr, momentum)``: train one network with those settings, then draw its logits."""
    data = three_classes(config.data_seed)
    x, y = data.x[:, 0].numpy(), data.y.numpy()

    def render(lr: float, momentum: float):
        history = train_many(data, [lr], [momentum], config.epochs, config.hidden, config.init_seed,
                             record_history=False)
        title = _title(lr, momentum, history.accuracy[0, -1], config.epochs)
        return logit_figure(history.grid, history.grid_logits[0, -1], x, y, title)

    return render


def static_render(config: TrainConfig = TrainConfig()):
    """``render(lr, momentum)`` for the grid points, all trained up front in one batched run."""
    data = three_classes(config.data_seed)
    x, y = data.x[:, 0].numpy(), data.y.numpy()
    points = [(lr, m) for lr in LR_VALUES for m in MOMENTUM_VALUES]
    history = train_many(data, [p[0] for p in points], [p[1] for p in points], config.epochs,
                         config.hidden, config.init_seed, record_history=False)

    def render(lr: float, momentum: float):
        index = points.index((lr, momentum))
        title = _title(lr, momentum, history.accuracy[index, -1], config.epochs)
        return logit_figure(history.grid, history.grid_logits[index, -1], x, y, title)

    return render
