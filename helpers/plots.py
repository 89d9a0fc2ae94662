"""Figures that several chapters draw: grids of example images and class counts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .data import LabelledImages


def examples_per_class(labels: np.ndarray, n_classes: int, per_class: int, seed: int = 0) -> np.ndarray:
    """Indices of ``per_class`` distinct examples of each class, drawn with ``seed``.

    Returns an int array ``(n_classes, per_class)`` whose row ``c`` indexes examples of class ``c``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for label in range(n_classes):
        candidates = np.flatnonzero(labels == label)
        if len(candidates) < per_class:
            raise ValueError(f"class {label} has {len(candidates)} examples, fewer than {per_class}")
        rows.append(rng.choice(candidates, size=per_class, replace=False))
    return np.stack(rows)


def as_displayable(images: np.ndarray) -> np.ndarray:
    """Images as ``imshow`` wants them: ``(N, H, W)`` stays, ``(N, C, H, W)`` becomes ``(N, H, W, C)``."""
    return images if images.ndim == 3 else images.transpose(0, 2, 3, 1)


def class_grid(data: LabelledImages, per_class: int = 8, seed: int = 0, title: str = "") -> plt.Figure:
    """A grid of example images: one row per class, labelled with the class name."""
    picks = examples_per_class(data.labels, len(data.classes), per_class, seed)
    images = as_displayable(data.images)
    fig, axes = plt.subplots(
        len(data.classes), per_class, figsize=(per_class * 0.9, len(data.classes) * 0.95), squeeze=False
    )
    for label, row in enumerate(picks):
        for ax, index in zip(axes[label], row):
            ax.imshow(images[index], cmap="gray_r" if images.ndim == 3 else None, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        axes[label, 0].set_ylabel(data.classes[label], rotation=0, ha="right", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def class_count_bars(splits: dict[str, LabelledImages], title: str = "") -> plt.Figure:
    """Grouped bars: for each class, how many examples each split has."""
    first = next(iter(splits.values()))
    positions = np.arange(len(first.classes))
    width = 0.8 / len(splits)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for offset, (name, data) in enumerate(splits.items()):
        ax.bar(positions + (offset - (len(splits) - 1) / 2) * width, data.class_counts(), width, label=name)
    ax.set_xticks(positions, first.classes, rotation=30 if max(map(len, first.classes)) > 2 else 0)
    ax.set_xlabel("class")
    ax.set_ylabel("number of images")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="split")
    fig.tight_layout()
    return fig


def weight_images(
    weights: np.ndarray, image_shape: tuple[int, ...], classes, title: str = "", columns: int = 5
) -> plt.Figure:
    """One image per class from a linear layer's weights ``(n_classes, n_inputs)``.

    The book's layout (and ``torch.nn.Linear``'s): one row per class or unit. Each row is
    reshaped to ``image_shape`` (``(H, W)`` grey, or ``(3, H, W)`` colour, each scaled to its
    own range). Grey images use a diverging map centred on zero: red pixels raise the class's
    logit, blue pixels lower it.
    """
    rows = -(-len(classes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.9 * columns, 2.1 * rows), squeeze=False, layout="constrained")
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= len(classes):
            ax.set_visible(False)
            continue
        show_weight_image(ax, weights[k].reshape(image_shape))
        ax.set_title(str(classes[k]))
    fig.suptitle(title)  # constrained layout keeps each title clear of the row above
    return fig


def show_weight_image(ax, image: np.ndarray) -> None:
    """One class's weights as an image: colour ``(3, H, W)`` scaled to its own range, or grey
    ``(H, W)`` on a diverging map centred on zero."""
    if image.ndim == 3:
        low, high = image.min(), image.max()
        ax.imshow(((image - low) / (high - low)).transpose(1, 2, 0), interpolation="nearest")
    else:
        limit = np.abs(image).max()
        ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
