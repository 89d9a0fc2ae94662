"""Figures of chapter 2: surprisal, decision boundaries, softmax regions, chapter 1's
line without a hidden layer, learning curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..three_classes import CLASS_COLORS, argmax_regions


def surprisal_figure() -> plt.Figure:
    """Surprisal ``-log p`` in nats and bits, over the probability of the event."""
    p = np.linspace(0.005, 1, 400)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(p, -np.log(p), label="nats: $-\\ln p$")
    ax.plot(p, -np.log2(p), label="bits: $-\\log_2 p$")
    ax.set_xlabel("probability p of what happened")
    ax.set_ylabel("surprisal")
    ax.set_title("Rare events are surprising; certain ones are not")
    ax.set_ylim(0, 8)
    ax.legend()
    fig.tight_layout()
    return fig


def decision_boundary_figure(predict_proba, X, y, title: str) -> plt.Figure:
    """A 2-feature binary classifier: its probability as shading, the 0.5 contour, the points."""
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 200)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 200)
    grid_x, grid_y = np.meshgrid(xs, ys)
    probability = predict_proba(np.column_stack([grid_x.ravel(), grid_y.ravel()])).reshape(grid_x.shape)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    shading = ax.contourf(grid_x, grid_y, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.5)
    ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="k", linewidths=1.5)
    for label, color in ((0, "tab:blue"), (1, "tab:red")):
        ax.scatter(*X[y == label].T, s=12, color=color, edgecolor="white", linewidth=0.3, label=f"class {label}")
    fig.colorbar(shading, ax=ax, label="p(class 1 | x)")
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


_LABEL_BOX = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}


def softmax_regions_figure(panels, X, labels, classes, extent: float = 5.0) -> plt.Figure:
    """Three-class softmax regression in the plane, one panel per ``(title, W, b, shift)``.

    Each panel fills the region where class ``k`` has the largest logit ``w_k . x + b_k`` (``W`` is
    ``(K, 2)``, one row ``w_k`` per class), scatters the points ``X`` coloured by ``labels``, and
    draws each ``w_k`` as an arrow from the origin; ``shift``, if not ``None``, is drawn as a grey
    arrow.
    """
    colors = ["tab:blue", "tab:orange", "tab:green"]
    xs = np.linspace(-extent, extent, 300)
    grid_x, grid_y = np.meshgrid(xs, xs)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.8), squeeze=False)
    for ax, (title, W, b, shift) in zip(axes.flat, panels):
        region = (grid @ W.T + b).argmax(axis=1).reshape(grid_x.shape)
        ax.contourf(grid_x, grid_y, region, levels=[-0.5, 0.5, 1.5, 2.5], colors=colors, alpha=0.2)
        for k, (name, color) in enumerate(zip(classes, colors)):
            ax.scatter(*X[labels == k].T, s=10, color=color, edgecolor="white", linewidth=0.3, label=name)
            ax.annotate("", xy=W[k], xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2.5})
            ax.annotate(
                f"$w_{k}$", W[k], xytext=(4, 4), textcoords="offset points", color=color, fontsize=12, bbox=_LABEL_BOX
            )
        if shift is not None:
            ax.annotate("", xy=shift, xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": "0.4", "lw": 1.5})
            ax.annotate(
                "$v$", shift, xytext=(4, -12), textcoords="offset points", color="0.3", fontsize=12, bbox=_LABEL_BOX
            )
        ax.set(xlim=(-extent, extent), ylim=(-extent, extent), aspect="equal")
        ax.set(xlabel="feature 1 ($x_1$)", ylabel="feature 2 ($x_2$)", title=title)
    axes.flat[0].legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def learning_curves_figure(runs: dict, chosen: tuple[float, int]) -> plt.Figure:
    """Training loss and validation accuracy per epoch of one run per learning rate (``runs`` maps a
    learning rate to a model with a ``history`` of dict rows); ``chosen`` (lr, epoch) is ringed."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    for lr, model in runs.items():
        epochs = [row["epoch"] for row in model.history]
        left.plot(epochs, [row["train_loss"] for row in model.history], marker="o", ms=3, label=f"lr {lr:g}")
        right.plot(epochs, [100 * row["validation_accuracy"] for row in model.history], marker="o", ms=3)
    lr, epoch = chosen
    best = 100 * runs[lr].history[epoch - 1]["validation_accuracy"]
    right.plot([epoch], [best], "o", ms=12, mfc="none", mec="black", label="chosen")
    left.set(xlabel="epoch", ylabel="mean cross-entropy (nats)", title="Training loss")
    right.set(xlabel="epoch", ylabel="validation accuracy (%)", title="Validation accuracy")
    left.legend(fontsize="small")
    right.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


def masking_figure(grid, squared_error_outputs, cross_entropy_probabilities, x, labels) -> plt.Figure:
    """Chapter 1's line, two models without a hidden layer: the outputs of the one fitted by squared
    error to one-hot targets (left) and the probabilities of the one fitted by cross-entropy (right),
    each over the regions its argmax gives."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharex=True)
    panels = [
        (axes[0], squared_error_outputs, "output $o_k(x)$", "Squared error: straight lines"),
        (
            axes[1],
            cross_entropy_probabilities,
            r"probability $\hat y_k(x)$",
            "Cross-entropy: softmax of straight lines",
        ),
    ]
    for ax, curves, ylabel, title in panels:
        for start, end, k in argmax_regions(grid, np.asarray(curves)):
            ax.axvspan(start, end, color=CLASS_COLORS[k], alpha=0.12, lw=0)
        for k, color in enumerate(CLASS_COLORS):
            ax.plot(grid, np.asarray(curves)[:, k], color=color, lw=2, label=f"class {k}")
            ax.plot(x[labels == k], np.full((labels == k).sum(), -0.25), "|", color=color, ms=8, alpha=0.6)
        ax.set(xlabel="input x", ylabel=ylabel, title=title, xlim=(grid[0], grid[-1]), ylim=(-0.35, 1.25))
    axes[0].legend(fontsize="small", loc="upper center", ncols=3)
    fig.tight_layout()
    return fig
