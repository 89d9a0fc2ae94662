"""The going-further page's figures: the loss of runs at several learning rates, the largest
stable step on a quadratic bowl, the sharpness along a run, and the softmax at several
temperatures."""

import matplotlib.pyplot as plt
import numpy as np

from ..softmax import softmax


def loss_comparison_figure(losses: dict[str, list[float]], title: str) -> plt.Figure:
    """Training MSE per epoch (log scale) of several runs, one labelled curve each."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for label, curve in losses.items():
        ax.semilogy(curve, label=label, lw=1)
    ax.set(xlabel="epoch", ylabel="training MSE (log scale)", title=title)
    ax.legend()
    fig.tight_layout()
    return fig


def stable_step_figure(momenta, nesterov, heavy_ball) -> plt.Figure:
    """The largest stable ``lr * curvature`` against the momentum, for both kinds of momentum:
    the computed values as dots, the formulas as lines."""
    fig, ax = plt.subplots(figsize=(7, 3.4))
    fine = np.linspace(0, max(momenta), 200)
    ax.plot(fine, 2 + 2 * fine, color="tab:orange", lw=1)
    ax.plot(fine, (2 + 2 * fine) / (1 + 2 * fine), color="tab:blue", lw=1)
    ax.plot(momenta, heavy_ball, "o", color="tab:orange", ms=4, label=r"heavy ball: $2 + 2\mu$")
    ax.plot(momenta, nesterov, "o", color="tab:blue", ms=4, label=r"Nesterov: $(2 + 2\mu)/(1 + 2\mu)$")
    ax.set(xlabel=r"momentum $\mu$", ylabel=r"largest stable $\eta\kappa$", ylim=(0, 4.2))
    ax.set_title("Where a step on a quadratic bowl stops converging")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def sharpness_figure(runs: dict[str, tuple], limit: float) -> plt.Figure:
    """Training MSE (top) and ``lr * sharpness`` (bottom) per epoch of several runs.

    ``runs`` maps a label to ``(losses, epochs measured, sharpness, lr)``; ``limit`` is drawn as
    a dashed line.
    """
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5.2), sharex=True)
    for label, (losses, epochs, values, lr) in runs.items():
        top.semilogy(losses, lw=1, label=label)
        bottom.plot(epochs, lr * np.asarray(values), lw=1, label=label)
    bottom.axhline(limit, color="0.3", ls="--", lw=1, label=f"limit {limit:.2f}")
    top.set(ylabel="training MSE (log scale)")
    bottom.set(xlabel="epoch", ylabel=r"$\eta\ \times$ sharpness")
    top.legend()
    bottom.legend(loc="lower right")
    fig.tight_layout()
    return fig


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
