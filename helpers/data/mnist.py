"""MNIST: 70,000 handwritten digits, 28x28 grayscale, from the four official idx files."""

from __future__ import annotations

import os
from typing import Literal

from .checks import check_labels
from .download import ensure_mnist
from .errors import reports_os_errors
from .idx import read_idx
from .labelled import LabelledImages
from .locations import MNIST_FILES, MNIST_SPLIT_SIZES, resolve_data_dir

MNIST_CLASSES = tuple(str(digit) for digit in range(10))
MNIST_IMAGE_SHAPE = (28, 28)
IMAGES_MAGIC = 0x00000803  # uint8, 3 dimensions
LABELS_MAGIC = 0x00000801  # uint8, 1 dimension


@reports_os_errors
def load_mnist(
    split: Literal["train", "test"] = "train",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> LabelledImages:
    """The MNIST ``train`` (60,000) or ``test`` (10,000) split.

    Returns ``images`` uint8 ``(N, 28, 28)`` in 0..255 (0 is background) and ``labels`` int64
    ``(N,)`` in 0..9. ``data_dir`` as in :func:`~helpers.data.locations.resolve_data_dir`;
    missing files are downloaded (md5-verified) unless ``download`` is false.
    """
    if split not in MNIST_FILES:
        raise ValueError(f"split must be one of {sorted(MNIST_FILES)}, not {split!r}")
    folder = ensure_mnist(resolve_data_dir(data_dir), download)
    images_name, labels_name = MNIST_FILES[split]
    n_images = MNIST_SPLIT_SIZES[split]
    images = read_idx(folder / images_name, IMAGES_MAGIC, (n_images, *MNIST_IMAGE_SHAPE))
    labels = read_idx(folder / labels_name, LABELS_MAGIC, (n_images,))
    labels = check_labels(folder / labels_name, labels, len(MNIST_CLASSES), len(images))
    return LabelledImages(images, labels, MNIST_CLASSES)
