"""Figures of chapter 3: learning curves, confidence histograms, grid-search curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..plots import show_weight_image


def settings_curves_figure(results: dict) -> plt.Figure:
    """Loss (top) and cost (bottom) per epoch, training vs validation, one column per setting."""
    fig, axes = plt.subplots(2, len(results), figsize=(3.4 * len(results), 5.2), squeeze=False)
    for column, (name, result) in enumerate(results.items()):
        epochs = [row["epoch"] for row in result.history]
        for row_index, key in enumerate(("loss", "cost")):
            ax = axes[row_index, column]
            ax.plot(epochs, [row[f"train_{key}"] for row in result.history], label="training")
            ax.plot(epochs, [row[f"val_{key}"] for row in result.history], label="validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(key)
            ax.set_title(f"{name}: {key}", fontsize=9)
    axes[0, 0].legend()
    fig.tight_layout()
    return fig


def weight_rows_figure(weights: dict[str, np.ndarray], classes, image_shape=(3, 32, 32)) -> plt.Figure:
    """Several networks' templates in one figure: a row per network, labelled with its name, a
    column per class. Each network's weights are ``(n_classes, n_inputs)``, one row per class."""
    fig, axes = plt.subplots(
        len(weights), len(classes), figsize=(1.2 + 1.3 * len(classes), 0.3 + 1.35 * len(weights)), squeeze=False
    )
    for row, (name, W) in enumerate(weights.items()):
        for k, ax in enumerate(axes[row]):
            show_weight_image(ax, W[k].reshape(image_shape))
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(str(classes[k]), fontsize=9)
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def confidence_histograms(confidences: dict, title: str = "") -> plt.Figure:
    """For each model: the confidence of its prediction, for correct and incorrect test images.

    ``confidences`` maps a model name to ``(confidence array, correct boolean array)``.
    """
    fig, axes = plt.subplots(1, len(confidences), figsize=(5 * len(confidences), 3.3), squeeze=False)
    bins = np.linspace(0, 1, 26)
    for ax, (name, (confidence, correct)) in zip(axes[0], confidences.items()):
        ax.hist(confidence[correct], bins=bins, alpha=0.6, label=f"correct ({correct.sum()})", color="tab:green")
        ax.hist(confidence[~correct], bins=bins, alpha=0.6, label=f"incorrect ({(~correct).sum()})", color="tab:red")
        ax.set_xlabel("confidence: the output for the predicted class")
        ax.set_ylabel("test images")
        ax.set_title(name)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def grid_curves_figure(history: list[dict], title: str) -> plt.Figure:
    """Training and validation accuracy per epoch of one grid-search run (a static-slider frame)."""
    fig, ax = plt.subplots(figsize=(6, 3.4))
    epochs = [row["epoch"] for row in history]
    ax.plot(epochs, [100 * row["train_accuracy"] for row in history], label="training")
    ax.plot(epochs, [100 * row["val_accuracy"] for row in history], label="validation")
    ax.set_ylim(10, 55)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
