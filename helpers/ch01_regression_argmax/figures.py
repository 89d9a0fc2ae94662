"""Figures of chapter 1: logit curves with their argmax regions, training curves, evolution."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from ..three_classes import CLASS_COLORS, argmax_regions


def class_histograms(x, y, title: str = "") -> plt.Figure:
    """How the training points of each class spread over the line, one colour per class."""
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    bins = np.linspace(-6, 6, 49)
    for k, color in enumerate(CLASS_COLORS):
        ax.hist(x[y == k], bins=bins, color=color, alpha=0.6, label=f"class {k}")
    ax.set_xlabel("input x")
    ax.set_ylabel("number of points")
    ax.set_title(title)
    ax.legend()
    return fig


def draw_logit_frame(ax, grid, x=None, y=None, ylim=(-0.6, 1.4), legend=True):
    """What every logit plot has, whatever the logits: limits, axes, training points, legend."""
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(*ylim)
    if x is not None:
        height = ylim[0] + 0.06 * (ylim[1] - ylim[0])
        for k, color in enumerate(CLASS_COLORS):
            ax.plot(x[y == k], np.full((y == k).sum(), height), "|", color=color, ms=9, alpha=0.6)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axhline(1, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("input x")
    ax.set_ylabel("logit")
    if legend:
        handles = [Line2D([], [], color=color, lw=2) for color in CLASS_COLORS]
        ax.legend(
            handles,
            [f"logit of class {k}" for k in range(len(CLASS_COLORS))],
            loc="upper left",
            fontsize="small",
            framealpha=0.9,
        )


def draw_logit_curves(ax, grid, logits, animated: bool = False) -> list:
    """The three logit curves and the argmax regions they make (or a note that they diverged)."""
    if not np.isfinite(logits).all():
        return [
            ax.text(
                0.5,
                0.5,
                "diverged: the logits are no longer finite numbers",
                transform=ax.transAxes,
                ha="center",
                va="center",
                animated=animated,
            )
        ]
    artists = [
        ax.axvspan(start, end, color=CLASS_COLORS[label], alpha=0.13, lw=0, animated=animated)
        for start, end, label in argmax_regions(grid, logits)
    ]
    artists += [
        ax.plot(grid, logits[:, k], color=color, lw=2, animated=animated)[0] for k, color in enumerate(CLASS_COLORS)
    ]
    return artists


def draw_logits(ax, grid, logits, x=None, y=None, title: str = "", ylim=(-0.6, 1.4), legend=True):
    """The three logit curves over the inputs, the argmax regions shaded, the training points below."""
    draw_logit_frame(ax, grid, x, y, ylim, legend)
    draw_logit_curves(ax, grid, logits)
    ax.set_title(title)


LOGIT_FIGSIZE = (7.5, 3.6)
LOGIT_MARGINS = dict(left=0.1, right=0.98, bottom=0.14, top=0.9)


def logit_figure(grid, logits, x=None, y=None, title: str = "", figsize=LOGIT_FIGSIZE) -> plt.Figure:
    fig, ax = plt.subplots(figsize=figsize)
    draw_logits(ax, grid, logits, x, y, title)
    fig.subplots_adjust(**LOGIT_MARGINS)
    return fig


class LogitCanvas:
    """A logit figure that redraws in a few milliseconds, for live sliders.

    The parts that never change (axes, ticks, labels, training points, legend) are rendered once;
    each :meth:`png` restores that background, draws only the curves, regions and title on top
    (blitting), and encodes the canvas as PNG. It looks like :func:`logit_figure`.
    """

    def __init__(self, grid, x=None, y=None, dpi: int = 80):
        self.grid = grid
        # Not through pyplot: Jupyter's inline backend would show the figure once and then close it.
        self.fig = Figure(figsize=LOGIT_FIGSIZE, dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(**LOGIT_MARGINS)
        draw_logit_frame(self.ax, grid, x, y)
        self.title = self.ax.set_title("", animated=True)
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, logits, title: str) -> bytes:
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        artists = draw_logit_curves(self.ax, self.grid, logits, animated=True)
        self.title.set_text(title)
        for artist in [*artists, self.ax.get_legend(), self.title]:
            self.ax.draw_artist(artist)
        for artist in artists:
            artist.remove()
        width, height = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def training_curves(loss, accuracy, best_accuracy: float, population_accuracy: float) -> plt.Figure:
    """Training loss (log scale) and accuracy per epoch, side by side, with the best rule's accuracy
    on the training points and on the whole distribution."""
    epochs = np.arange(len(loss))
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.semilogy(epochs, loss)
    left.set_xlabel("epoch")
    left.set_ylabel("training MSE (log scale)")
    left.set_title("Loss")
    right.plot(epochs, 100 * np.asarray(accuracy), label="network")
    right.axhline(100 * best_accuracy, color="0.4", ls="--", label="nearest-centre rule, these points")
    right.axhline(100 * population_accuracy, color="0.4", ls=":", label="nearest-centre rule, new points")
    right.legend(loc="lower right", fontsize="small")
    right.set_xlabel("epoch")
    right.set_ylabel("training accuracy (%)")
    right.set_title("Accuracy")
    fig.tight_layout()
    return fig


def evolution_figure(grid, logits_per_epoch, epochs, x=None, y=None, columns: int = 3) -> plt.Figure:
    """Small multiples: the logit curves and regions after each of ``epochs``."""
    rows = -(-len(epochs) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4 * columns, 2.8 * rows), sharex=True, sharey=True, squeeze=False)
    for ax, epoch in zip(axes.flat, epochs):
        draw_logits(ax, grid, logits_per_epoch[epoch], x, y, title=f"after {epoch} epochs", legend=False)
    for ax in axes.flat[len(epochs) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def bowl_paths_figure(paths: dict[float, np.ndarray]) -> plt.Figure:
    """The weight ``w`` after each step of gradient descent on a one-dimensional bowl, one line per
    value of the learning rate times the curvature (the keys of ``paths``)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for product, path in paths.items():
        ax.plot(path, marker="o", ms=3, lw=1, label=rf"$\eta\kappa = {product:g}$")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set(xlabel="step t", ylabel="weight $w_t$", ylim=(-2.2, 2.2))
    ax.set_title(r"Gradient descent on the bowl $L(w) = \kappa w^2 / 2$")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


def learning_rate_losses_figure(losses: dict[str, np.ndarray]) -> plt.Figure:
    """Training MSE per epoch (log scale) of runs at several learning rates; a run that overflowed
    ends where its loss stopped being a number."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for label, curve in losses.items():
        ax.semilogy(np.where(np.isfinite(curve), curve, np.nan), lw=1.2, label=label)
    ax.set(xlabel="epoch", ylabel="training MSE (log scale)", ylim=(0.03, 10))
    ax.set_title("Plain gradient descent at four learning rates")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def outputs_and_posteriors_figure(grid, outputs, posteriors, x=None, y=None) -> plt.Figure:
    """The trained network's three outputs (solid) beside the true class probabilities of the
    generating distribution (dashed)."""
    fig, ax = plt.subplots(figsize=LOGIT_FIGSIZE)
    draw_logit_frame(ax, grid, x, y, legend=False)
    for k, color in enumerate(CLASS_COLORS):
        ax.plot(grid, outputs[:, k], color=color, lw=2, label=f"output $o_{k}(x)$")
        ax.plot(grid, posteriors[:, k], color=color, lw=1.2, ls="--", label=f"$\\Pr(k = {k} \\mid x)$")
    ax.set_ylabel("output, probability")
    ax.set_title("The network's outputs and the true class probabilities")
    ax.legend(fontsize="small", ncols=3, loc="upper center")
    fig.tight_layout()
    return fig
