"""The container every loader returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LabelledImages:
    """Images with integer labels and the names of their classes.

    - ``images``: ``uint8`` array, values 0..255; MNIST ``(N, 28, 28)``, CIFAR-10
      ``(N, 3, 32, 32)`` (channels first, as PyTorch expects).
    - ``labels``: ``int64`` array ``(N,)`` with values in ``0..len(classes)-1``.
    - ``classes``: class names, indexed by label.
    """

    images: np.ndarray
    labels: np.ndarray
    classes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def class_counts(self) -> np.ndarray:
        """How many examples each class has, indexed by label."""
        return np.bincount(self.labels, minlength=len(self.classes))
