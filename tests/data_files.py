"""Small datasets for the tests: writers in the real on-disk formats, independent of the readers,
and two in-memory sets that are easy to learn (also used by benchmarks/seed_sweep.py).

A module of its own (not conftest.py): tests/site has a conftest too, and `from conftest import`
would find whichever was imported first."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np
import torch

CIFAR_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]


def write_idx(path: Path, array: np.ndarray, magic: int | None = None) -> None:
    """An idx file as the MNIST distribution has it (uint8, big-endian sizes), gzipped."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.tobytes())


def write_batch(path: Path, data: np.ndarray, labels, protocol: int = 2) -> None:
    """A CIFAR-10 python batch: a dict with bytes keys, as the official files are."""
    with open(path, "wb") as stream:
        pickle.dump(
            {b"batch_label": b"test", b"labels": [int(y) for y in labels], b"data": data}, stream, protocol=protocol
        )


def make_dataset_dir(root: Path, n_train: int = 20, n_test: int = 10, seed: int = 0) -> Path:
    """A data directory with MNIST and CIFAR-10 in the official layout, at a tiny size."""
    rng = np.random.default_rng(seed)
    mnist = root / "mnist"
    mnist.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(mnist / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        write_idx(mnist / f"{prefix}-labels-idx1-ubyte.gz", np.arange(n) % 10)
    cifar = root / "cifar-10" / "cifar-10-batches-py"
    cifar.mkdir(parents=True)
    with open(cifar / "batches.meta", "wb") as stream:
        pickle.dump({b"num_cases_per_batch": n_test, b"label_names": CIFAR_NAMES, b"num_vis": 3072}, stream, protocol=2)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, (n_test, 3072), dtype=np.uint8)
        write_batch(cifar / name, data, (np.arange(n_test) + 3) % 10)
    return root


def separable_classes(seed=1):
    """600 points in three well-separated clusters: 500 to train on, 100 to test."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, 600)
    X = np.eye(3)[labels] * 3 + rng.normal(scale=0.5, size=(600, 3))
    return X[:500], labels[:500], X[500:], labels[500:]


def separable_data(n=512, seed=0):
    """MNIST-shaped tensors in which class k lights up pixel k: half to train on, half to test."""
    from helpers.ch04_limits_of_linearity import MnistTensors

    generator = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=generator)
    x = torch.randn(n, 784, generator=generator) * 0.1
    x[torch.arange(n), y] += 4.0  # class k lights up pixel k
    return MnistTensors(x[: n // 2], y[: n // 2], x[n // 2 :], y[n // 2 :])
