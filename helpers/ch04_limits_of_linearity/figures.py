"""Figures of chapter 4: training curves of every stage, the architectures side by side, the ReLU."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch

from ..softmax import CROSS_ENTROPY


def stage_curves_figure(results: dict) -> plt.Figure:
    """Training and validation loss and accuracy per epoch, one line per stage (``name -> StageResult``);
    the loss panels show the cross-entropy stages only, on one axis, and each stage keeps its colour."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 6.5), sharex=True)
    panels = [
        ("train_loss", "training loss"),
        ("val_loss", "validation loss"),
        ("train_accuracy", "training accuracy (%)"),
        ("val_accuracy", "validation accuracy (%)"),
    ]
    for ax, (key, label) in zip(axes.flat, panels):
        for index, (name, result) in enumerate(results.items()):
            if "loss" in key and result.config.loss != CROSS_ENTROPY:
                continue  # a squared error does not share the cross-entropies' axis
            epochs = [row["epoch"] for row in result.history]
            values = [row[key] * (100 if "accuracy" in key else 1) for row in result.history]
            ax.plot(epochs, values, marker="o", ms=3, label=name, color=f"C{index}")
        ax.set_ylabel(label)
        ax.set_title(label[0].upper() + label[1:])
        if "loss" in key:
            ax.set_yscale("log")
    epochs = [row["epoch"] for row in next(iter(results.values())).history]
    for ax in axes[1]:
        ax.set_xlabel("epoch")
        ax.set_xticks(epochs)
    axes[1, 0].legend(fontsize="small", loc="lower right")  # the accuracy panels have every stage
    fig.suptitle("Every stage trained the same way (cross-entropy losses on a log scale)")
    fig.tight_layout()
    return fig


def architecture_diagram(stages: dict[str, tuple[list[str], str]]) -> plt.Figure:
    """One row per stage: its layers as boxes from input to output, then its loss.

    ``stages`` maps a stage name to (layer names, loss name).
    """
    fig, ax = plt.subplots(figsize=(12, 0.9 * len(stages) + 0.6))
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.6, len(stages) - 0.4)
    ax.axis("off")
    colours = {
        "Linear": "#cfe2f3",
        "ReLU": "#d9ead3",
        "Dropout": "#fce5cd",
        "BatchNorm": "#ead1dc",
        "Softmax": "#fff2cc",
    }
    for row, (name, (layers, loss)) in enumerate(stages.items()):
        y = len(stages) - 1 - row
        ax.text(0.0, y, name, ha="left", va="center", fontsize=9, fontweight="bold")
        x = 2.7
        previous = None
        for layer in ["784 pixels", *layers, loss]:
            kind = next((k for k in colours if layer.startswith(k)), None)
            face = colours.get(kind, "#eeeeee") if layer != loss else "#f4cccc"
            box = ax.text(
                x,
                y,
                layer,
                ha="center",
                va="center",
                fontsize=8.5,
                bbox=dict(boxstyle="round,pad=0.35", fc=face, ec="0.4"),
            )
            if previous is not None:
                ax.add_patch(
                    FancyArrowPatch((previous + 0.62, y), (x - 0.62, y), arrowstyle="->", mutation_scale=9, color="0.3")
                )
            previous = x
            x += 1.45
            del box
    ax.set_title("From a linear classifier to a regularised MLP: what each stage adds", fontsize=11)
    fig.tight_layout()
    return fig


def relu_figure(limit: float = 3.0) -> plt.Figure:
    """The ReLU, max(0, z), and its derivative (0 for z < 0, 1 for z > 0; PyTorch uses 0 at z = 0)."""
    z = np.linspace(-limit, limit, 601)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(z, np.maximum(z, 0), color="C0")
    left.set_title("ReLU(z) = max(0, z)")
    left.set_ylabel("ReLU(z)")
    negative, positive = z[z < 0], z[z > 0]
    right.plot(negative, np.zeros_like(negative), color="C1")
    right.plot(positive, np.ones_like(positive), color="C1")
    right.plot([0], [0], "o", color="C1", ms=5)
    right.plot([0], [1], "o", color="C1", ms=5, mfc="white")
    right.set_title("its derivative: 0 for z < 0, 1 for z > 0")
    right.set_ylabel("dReLU/dz")
    right.set_ylim(-0.2, 1.2)
    for ax in (left, right):
        ax.set_xlabel("pre-activation z")
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    fig.tight_layout()
    return fig
