"""Chapter 1's learning-rate and momentum sliders in Jupyter (see :mod:`helpers.sliders`), and the
grid of settings behind the accuracy map. The sliders of the static site retrain in the browser
(:mod:`.live_training`)."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from ..sliders import Axis
from ..three_classes import ThreeClasses, input_grid, three_classes
from .figures import LogitCanvas
from .training import History, TrainConfig, train_many

#: The grid: 6 learning rates (log-spaced) x 5 momenta; SLIDER_SETTINGS lists its 30 (lr, momentum) runs.
LR_VALUES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MOMENTUM_VALUES = (0.0, 0.5, 0.8, 0.9, 0.95)
SLIDER_SETTINGS = [(lr, m) for lr in LR_VALUES for m in MOMENTUM_VALUES]


def slider_axes(config: TrainConfig = TrainConfig()) -> list[Axis]:
    return [
        Axis("lr", "learning rate", LR_VALUES, config.lr, log=True),
        Axis("momentum", "momentum", MOMENTUM_VALUES, config.momentum),
    ]


def figure_title(lr: float, momentum: float, accuracy: float, epochs: int) -> str:
    return f"lr {lr:.3g}, momentum {momentum:.3g}: {accuracy:.1%} correct after {epochs} epochs"


def live_render(config: TrainConfig = TrainConfig()):
    """``render(lr, momentum)``: train one network with those settings; its logits as PNG bytes.

    The figure is kept between calls and only its curves are redrawn (:class:`LogitCanvas`).
    """
    data = three_classes(config.data_seed)
    canvas = LogitCanvas(input_grid()[:, 0].numpy(), data.x[:, 0].numpy(), data.y.numpy())

    def render(lr: float, momentum: float) -> bytes:
        history = train_many(
            data, [lr], [momentum], config.epochs, config.hidden, config.init_seed, record_history=False
        )
        title = figure_title(lr, momentum, history.accuracy[0, -1], config.epochs)
        return canvas.png(history.grid_logits[0, -1], title)

    return render


@dataclass
class SliderGrid:
    """Every (lr, momentum) of the accuracy map's grid, trained in one batched run."""

    config: TrainConfig
    data: ThreeClasses
    history: History
    nesterov: bool = True

    def final_accuracy(self) -> np.ndarray:
        """``(len(LR_VALUES), len(MOMENTUM_VALUES))`` training accuracy after the last epoch."""
        return self.history.accuracy[:, -1].reshape(len(LR_VALUES), len(MOMENTUM_VALUES))

    def diverged(self) -> np.ndarray:
        return self.history.diverged().reshape(len(LR_VALUES), len(MOMENTUM_VALUES))

    def rescued_by_momentum(self) -> int:
        """How many (lr, momentum) runs diverged although the next larger momentum converged.

        0 means divergence only spreads as momentum grows, at every learning rate of the grid."""
        diverged = self.diverged()
        return int((diverged[:, :-1] & ~diverged[:, 1:]).sum())


def slider_grid(config: TrainConfig = TrainConfig(), nesterov: bool = True) -> SliderGrid:
    """Every setting of the grid trained with Nesterov's momentum (or, ``nesterov=False``, heavy ball)."""
    data = three_classes(config.data_seed)
    history = train_many(
        data,
        [p[0] for p in SLIDER_SETTINGS],
        [p[1] for p in SLIDER_SETTINGS],
        config.epochs,
        config.hidden,
        config.init_seed,
        record_history=False,
        nesterov=nesterov,
    )
    return SliderGrid(config, data, history, nesterov)


def accuracy_map(*grids: SliderGrid) -> plt.Figure:
    """Final training accuracy for every (lr, momentum) of each grid, side by side, diverged runs marked."""
    fig, axes = plt.subplots(
        1, len(grids), figsize=(6 if len(grids) == 1 else 10, 3.8), squeeze=False, sharey=True, layout="constrained"
    )
    for ax, grid in zip(axes[0], grids):
        image = _accuracy_panel(ax, grid)
    axes[0, 0].set_ylabel("learning rate")
    fig.suptitle(f"Training accuracy after {grids[0].config.epochs} epochs")
    fig.colorbar(image, ax=axes[0].tolist(), label="training accuracy (%)")
    return fig


def _accuracy_panel(ax, grid: SliderGrid):
    accuracy, diverged = grid.final_accuracy(), grid.diverged()
    image = ax.imshow(
        np.where(diverged, np.nan, 100 * accuracy), cmap="viridis", vmin=30, vmax=100, origin="lower", aspect="auto"
    )
    for i, j in np.ndindex(accuracy.shape):
        text = "diverged" if diverged[i, j] else f"{accuracy[i, j]:.0%}"
        ax.text(
            j,
            i,
            text,
            ha="center",
            va="center",
            fontsize=8,
            color="white" if not diverged[i, j] and accuracy[i, j] < 0.8 else "black",
        )
    ax.set_xticks(range(len(MOMENTUM_VALUES)), [f"{m:g}" for m in MOMENTUM_VALUES])
    ax.set_yticks(range(len(LR_VALUES)), [f"{lr:g}" for lr in LR_VALUES])
    ax.set_xlabel("momentum")
    ax.set_title("Nesterov momentum" if grid.nesterov else "heavy-ball momentum")
    return image
