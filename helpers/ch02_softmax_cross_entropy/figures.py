"""Figures of chapter 2: temperature, surprisal, decision boundaries, learning curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..softmax import softmax


def temperature_figure(logits: np.ndarray, temperatures, labels) -> plt.Figure:
    """``softmax(o / T)`` as bars, one panel per temperature."""
    fig, axes = plt.subplots(1, len(temperatures), figsize=(3 * len(temperatures), 2.8), sharey=True)
    for ax, temperature in zip(axes, temperatures):
        ax.bar(labels, softmax(logits / temperature), color="tab:blue")
        ax.set_title(f"T = {temperature:g}")
        ax.set_xlabel("class")
    axes[0].set_ylabel("probability")
    fig.suptitle("softmax(o / T): the same logits at different temperatures")
    fig.tight_layout()
    return fig


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


def learning_curves_figure(history: list[dict]) -> plt.Figure:
    """Training loss and train / test accuracy per epoch, from a ``history`` of dict rows."""
    epochs = [row["epoch"] for row in history]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(epochs, [row["train_loss"] for row in history], marker="o")
    left.set(xlabel="epoch", ylabel="mean cross-entropy (nats)", title="Training loss")
    right.plot(epochs, [100 * row["train_accuracy"] for row in history], marker="o", label="train")
    right.plot(epochs, [100 * row["test_accuracy"] for row in history], marker="o", label="test")
    right.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
    right.legend()
    fig.tight_layout()
    return fig
