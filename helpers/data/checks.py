"""Structural checks shared by the loaders: what makes arrays usable training data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import DataFormatError


def check_labels(path: Path, labels: np.ndarray, n_classes: int, n_images: int) -> np.ndarray:
    """``labels`` as int64 after checking their count and range; else :class:`DataFormatError`."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise DataFormatError(f"{path}: labels are {labels.dtype} {labels.shape}, expected a 1-D integer array")
    if len(labels) != n_images:
        raise DataFormatError(f"{path}: {len(labels)} labels for {n_images} images; files do not match")
    if len(labels) and (labels.min() < 0 or labels.max() >= n_classes):
        raise DataFormatError(
            f"{path}: labels range {labels.min()}..{labels.max()}, expected 0..{n_classes - 1}; corrupt file"
        )
    return labels.astype(np.int64)
