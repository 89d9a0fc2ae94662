"""MNIST as in-memory tensors, as the original project feeds it: every stage of chapter 4 trains on
exactly these.

The original project (``src/data.py`` of whiteOsky/mnist_linearity_project) scales the pixels to
0..1 (``ToTensor()``, no standardisation) and holds out 10 % of the training images with
``random_split`` right after ``torch.manual_seed(seed)`` (42 by default), so each seed draws its
own split. That split is ``torch.randperm(60000)`` under the seed, its first 54,000 indices for
training and the last 6,000 for validation; the same draw here gives the same split for the same
seed. Chapter 4 draws it from each seed as the original does, so that its spread over seeds
contains the split's variance, as a new run of the original's would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import torch

from ..data import load_mnist

VALIDATION_FRACTION = 0.1


@dataclass(frozen=True)
class MnistTensors:
    """``x_*``: float32 ``(N, 784)``, pixels in 0..1; ``y_*``: int64 ``(N,)`` labels. ``train`` and
    ``val`` are a seed's split of the 60,000 training images, as the original project draws it;
    ``test`` the 10,000."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    x_val: torch.Tensor = field(default_factory=lambda: torch.empty(0, 784))
    y_val: torch.Tensor = field(default_factory=lambda: torch.empty(0, dtype=torch.int64))


def original_split(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices of the training and validation images, as ``random_split`` draws them right after
    ``torch.manual_seed(seed)`` (``int(n * 0.1)`` images for validation, the rest for training)."""
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val = int(n * VALIDATION_FRACTION)
    return order[: n - n_val], order[n - n_val :]


def pixels_and_labels(split: str, data_dir=None) -> tuple[torch.Tensor, torch.Tensor]:
    """A split's images as float32 ``(N, 784)`` in 0..1 (as ``ToTensor()`` gives them), and labels."""
    images = load_mnist(split, data_dir)
    return torch.from_numpy(images.images.reshape(len(images), -1)).float() / 255, torch.from_numpy(images.labels)


def load_tensors(seed: int = 0, data_dir: str | os.PathLike | None = None) -> MnistTensors:
    """MNIST with ``seed``'s split of the training images (:func:`original_split`)."""
    (x, y), (x_test, y_test) = pixels_and_labels("train", data_dir), pixels_and_labels("test", data_dir)
    fit, val = original_split(len(x), seed)
    return MnistTensors(x[fit], y[fit], x_test, y_test, x[val], y[val])


def all_training_images_standardised(data_dir: str | os.PathLike | None = None) -> MnistTensors:
    """The protocol of the book's earlier chapter 4 (its exercise 4): all 60,000 training images,
    no validation split, pixels in 0..1 standardised with the training set's mean and standard
    deviation (one number each)."""
    (x, y), (x_test, y_test) = pixels_and_labels("train", data_dir), pixels_and_labels("test", data_dir)
    mean, std = x.mean(), x.std()
    return MnistTensors((x - mean) / std, y, (x_test - mean) / std, y_test)
