"""CIFAR-10 splits for chapter 3, flattened and standardised, plus horizontal flips.

The split of assignment 1 of KTH's course DD2424, whose four settings the study the chapter
reproduces trains: train on ``data_batch_1``, validate on ``data_batch_2``, test on
``test_batch``. With more training batches ("more data"), the validation images are held out of
the training batches instead, chosen with a seed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..data import load_cifar10_batches

N_FEATURES = 3 * 32 * 32


@dataclass(frozen=True)
class CifarSplits:
    """``x_*``: ``(N, 3072)`` (float64 unless asked otherwise) standardised with the training set's
    per-feature mean and std (the feature order is the batches': 1024 red values, 1024 green, 1024
    blue); ``y_*``: int64."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: tuple[str, ...]


def load_splits(
    train_batches: int = 1,
    validation_size: int = 1000,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    dtype=np.float64,
) -> CifarSplits:
    """``train_batches == 1``: batch 1 / batch 2 / test. Otherwise batches ``1..train_batches`` less
    ``validation_size`` images (drawn with ``seed``) for training, those images for validation."""
    if not 1 <= train_batches <= 5:
        raise ValueError(f"train_batches must be in 1..5, not {train_batches}")
    test = load_cifar10_batches(["test_batch"], data_dir)
    if train_batches == 1:
        train = load_cifar10_batches(["data_batch_1"], data_dir)
        val = load_cifar10_batches(["data_batch_2"], data_dir)
        x_train, y_train, x_val, y_val = train.images, train.labels, val.images, val.labels
    else:
        pool = load_cifar10_batches([f"data_batch_{i}" for i in range(1, train_batches + 1)], data_dir)
        held_out = np.random.default_rng(seed).permutation(len(pool))[:validation_size]
        keep = np.ones(len(pool), bool)
        keep[held_out] = False
        x_train, y_train = pool.images[keep], pool.labels[keep]
        x_val, y_val = pool.images[held_out], pool.labels[held_out]
    x_train, x_val, x_test = standardise(x_train, x_val, test.images, dtype=dtype)
    return CifarSplits(x_train, y_train, x_val, y_val, x_test, test.labels, test.classes)


def standardise(train: np.ndarray, *others: np.ndarray, dtype=np.float64) -> list[np.ndarray]:
    """Images flattened and standardised per feature with the training set's mean and std (scaling
    to 0..1 first would change nothing). The statistics come from exact integer sums of the
    pixels; the arrays are made directly in ``dtype`` (in float32, ten times faster and a quarter
    of the memory of standardising in float64 and converting)."""
    flat = train.reshape(len(train), -1)
    total, squares = np.zeros(flat.shape[1], np.int64), np.zeros(flat.shape[1], np.int64)
    for start in range(0, len(flat), 4096):  # exact integer sums, a block of rows at a time
        block = flat[start : start + 4096].astype(np.uint16)  # 255**2 fits in 16 bits
        total += block.sum(axis=0, dtype=np.int64)
        squares += (block * block).sum(axis=0, dtype=np.int64)
    mean = total / len(flat)  # in pixel units, 0..255
    std = np.sqrt(squares / len(flat) - mean**2)
    shift, scale = mean.astype(dtype), (1 / std).astype(dtype)
    result = []
    for images in (train, *others):
        x = images.reshape(len(images), -1).astype(dtype)
        x -= shift
        x *= scale
        result.append(x)
    return result


def flip_horizontal(x: np.ndarray) -> np.ndarray:
    """Mirror flattened channel-first images ``(N, 3072)`` left to right."""
    return x.reshape(-1, 3, 32, 32)[..., ::-1].reshape(len(x), N_FEATURES)
