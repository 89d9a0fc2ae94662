"""CIFAR-10: 60,000 colour images of 10 classes, 32x32, from the python-pickle batches."""

from __future__ import annotations

import os
from typing import Literal

import numpy as np

from .checks import check_labels
from .download import ensure_cifar10
from .errors import DataFormatError
from .labelled import LabelledImages
from .locations import CIFAR10_BATCHES, CIFAR10_FILES, CIFAR10_META, resolve_data_dir
from .safe_pickle import load_restricted

CIFAR10_IMAGE_SHAPE = (3, 32, 32)


def _field(path, record, key: str):
    """``record[key]``, accepting the bytes keys of the official (Python 2) pickles."""
    if not isinstance(record, dict):
        raise DataFormatError(f"{path}: holds a {type(record).__name__}, expected a dict; not a CIFAR-10 file")
    for candidate in (key.encode(), key):
        if candidate in record:
            return record[candidate]
    raise DataFormatError(f"{path}: no {key!r} entry; not a CIFAR-10 file")


def cifar10_classes(folder) -> tuple[str, ...]:
    """The ten class names from ``batches.meta``."""
    path = folder / CIFAR10_META
    names = _field(path, load_restricted(path), "label_names")
    if not isinstance(names, list) or len(names) != 10 or not all(isinstance(n, (bytes, str)) for n in names):
        raise DataFormatError(f"{path}: label_names is not a list of 10 names; corrupt file")
    return tuple(n.decode() if isinstance(n, bytes) else n for n in names)


def read_batch(path, n_classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """One batch file as (images uint8 ``(N, 3, 32, 32)``, labels int64 ``(N,)``), validated."""
    record = load_restricted(path)
    data = _field(path, record, "data")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        shape = getattr(data, "shape", "?")
        raise DataFormatError(f"{path}: data is {type(data).__name__} {shape}, expected uint8 (N, 3072)")
    labels = check_labels(path, np.asarray(_field(path, record, "labels")), n_classes, len(data))
    return data.reshape(-1, *CIFAR10_IMAGE_SHAPE), labels


def load_cifar10_batches(
    names: tuple[str, ...] | list[str],
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> LabelledImages:
    """The named batches (``data_batch_1`` .. ``data_batch_5``, ``test_batch``) concatenated.

    Chapter 3 trains on ``("data_batch_1",)``, validates on ``("data_batch_2",)`` and tests
    on ``("test_batch",)``, as the study it reproduces did.
    """
    unknown = [name for name in names if name not in CIFAR10_FILES or name == CIFAR10_META]
    if unknown or not names:
        raise ValueError(f"unknown CIFAR-10 batch names {unknown}; choose from {CIFAR10_FILES[1:]}")
    folder = ensure_cifar10(resolve_data_dir(data_dir), download)
    classes = cifar10_classes(folder)
    parts = [read_batch(folder / name, len(classes)) for name in names]
    images = np.concatenate([images for images, _ in parts])
    labels = np.concatenate([labels for _, labels in parts])
    return LabelledImages(images, labels, classes)


def load_cifar10(
    split: Literal["train", "test"] = "train",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> LabelledImages:
    """The CIFAR-10 ``train`` (50,000: all five batches) or ``test`` (10,000) split.

    Returns ``images`` uint8 ``(N, 3, 32, 32)`` in 0..255, channels first (RGB), and ``labels``
    int64 ``(N,)`` in 0..9, with class names from ``batches.meta``.
    """
    if split not in CIFAR10_BATCHES:
        raise ValueError(f"split must be one of {sorted(CIFAR10_BATCHES)}, not {split!r}")
    return load_cifar10_batches(CIFAR10_BATCHES[split], data_dir, download)
