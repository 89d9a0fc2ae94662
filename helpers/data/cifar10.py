"""CIFAR-10: 60,000 colour images of 10 classes, 32x32, from the python-pickle batches.

The batches are read by :mod:`helpers.data.cifar_pickle`, which interprets the pickle itself and
constructs nothing the file names. What it returns is then checked against the format: a dict
with ``data``, a ``uint8`` array of exactly ``(10000, 3072)``, and ``labels``, a flat list (or
1-D integer array) of exactly 10,000 labels in 0..9; ``batches.meta`` names 10 classes in
UTF-8. A file whose size alone rules it out is refused before it is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np

from .checks import check_labels
from .cifar_pickle import MAX_FILE_BYTES, NotABatch, Truncated, read_pickle, resolve
from .download import ensure_cifar10
from .errors import DataFormatError, reports_os_errors
from .labelled import LabelledImages
from .locations import CIFAR10_BATCH_SIZES, CIFAR10_BATCHES, CIFAR10_FILES, CIFAR10_META, resolve_data_dir

CIFAR10_IMAGE_SHAPE = (3, 32, 32)
N_CLASSES = 10
#: ``batches.meta`` is 158 bytes; class names are short words.
MAX_META_BYTES = 2**16
MAX_CLASS_NAME = 64


def read_record(path: Path, max_bytes: int) -> dict:
    """The dict a CIFAR-10 file holds, read by the safe interpreter; one-line errors."""
    if path.stat().st_size > max_bytes:
        raise DataFormatError(f"{path}: {path.stat().st_size} bytes, far more than a CIFAR-10 file; wrong file")
    with open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew while we looked
        raise DataFormatError(f"{path}: more than {max_bytes} bytes; not a CIFAR-10 file")
    try:
        record = read_pickle(data)
    except Truncated as error:
        raise DataFormatError(f"{path}: truncated ({error}); fetch the file again") from None
    except NotABatch as error:
        raise DataFormatError(
            f"{path}: not a CIFAR-10 file: it holds {error}. Nothing in it was run; replace it with an official copy"
        ) from None
    if not isinstance(record, dict):
        raise DataFormatError(f"{path}: holds a {type(record).__name__}, expected a dict; not a CIFAR-10 file")
    return record


def _field(path: Path, record: dict, key: str):
    """``record[key]``, accepting the bytes keys of the official (Python 2) pickles."""
    for candidate in (key.encode(), key):
        if candidate in record:
            try:
                return resolve(record[candidate])
            except NotABatch as error:
                raise DataFormatError(f"{path}: {key}: {error}; corrupt file") from None
    raise DataFormatError(f"{path}: no {key!r} entry; not a CIFAR-10 file")


def _class_name(path: Path, name) -> str:
    if isinstance(name, bytes):
        try:
            name = name.decode("utf-8")
        except UnicodeDecodeError:
            raise DataFormatError(f"{path}: a class name is not UTF-8 text; corrupt file") from None
    if not isinstance(name, str) or not 0 < len(name) <= MAX_CLASS_NAME or not name.isprintable():
        raise DataFormatError(f"{path}: a class name is not a short line of text; corrupt file")
    return name


def cifar10_classes(folder: Path) -> tuple[str, ...]:
    """The ten class names from ``batches.meta``."""
    path = folder / CIFAR10_META
    names = _field(path, read_record(path, MAX_META_BYTES), "label_names")
    if not isinstance(names, list) or len(names) != N_CLASSES:
        raise DataFormatError(f"{path}: label_names is not a list of {N_CLASSES} names; corrupt file")
    return tuple(_class_name(path, name) for name in names)


def _labels(path: Path, labels, n_images: int) -> np.ndarray:
    """The labels as int64, after checking that they are ``n_images`` integers in 0..9.

    The count and the flatness are checked before an array is made of them: ``numpy.array``
    on nested lists that share their sublists takes time exponential in the nesting.
    """
    if isinstance(labels, list):
        if not all(type(label) is int for label in labels):
            raise DataFormatError(f"{path}: labels are not a flat list of integers; corrupt file")
    elif not isinstance(labels, np.ndarray):
        raise DataFormatError(f"{path}: labels are a {type(labels).__name__}, expected a list; corrupt file")
    if len(labels) != n_images:
        raise DataFormatError(f"{path}: {len(labels)} labels, expected {n_images}; damaged or partial file")
    return check_labels(path, np.asarray(labels), N_CLASSES, n_images)


def read_batch(path: Path, n_images: int) -> tuple[np.ndarray, np.ndarray]:
    """One batch file as (images uint8 ``(N, 3, 32, 32)``, labels int64 ``(N,)``), validated.

    The images are a read-only view of the file's bytes; the loaders copy them once, when they
    concatenate the batches.
    """
    record = read_record(path, MAX_FILE_BYTES)
    data = _field(path, record, "data")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.shape != (n_images, 3072):
        found = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise DataFormatError(f"{path}: data is {found}, expected uint8 ({n_images}, 3072); damaged or wrong file")
    labels = _labels(path, _field(path, record, "labels"), n_images)
    return data.reshape(-1, *CIFAR10_IMAGE_SHAPE), labels


@reports_os_errors
def load_cifar10_batches(
    names: tuple[str, ...] | list[str],
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> LabelledImages:
    """The named batches (``data_batch_1`` .. ``data_batch_5``, ``test_batch``) concatenated.

    Chapter 3 trains on ``("data_batch_1",)``, validates on ``("data_batch_2",)`` and tests
    on ``("test_batch",)``, the split of assignment 1 of KTH's DD2424, whose four settings the
    study it reproduces trains.
    """
    unknown = [name for name in names if name not in CIFAR10_FILES or name == CIFAR10_META]
    if unknown or not names:
        raise ValueError(f"unknown CIFAR-10 batch names {unknown}; choose from {CIFAR10_FILES[1:]}")
    folder = ensure_cifar10(resolve_data_dir(data_dir), download)
    classes = cifar10_classes(folder)
    parts = [read_batch(folder / name, CIFAR10_BATCH_SIZES[name]) for name in names]
    images = np.concatenate([images for images, _ in parts])  # a writable copy
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
