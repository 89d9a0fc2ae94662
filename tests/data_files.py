"""Small datasets for the tests: writers in the real on-disk formats, independent of the readers,
and two in-memory sets that are easy to learn (also used by benchmarks/seed_sweep.py).

A module of its own (not conftest.py): tests/site has a conftest too, and `from conftest import`
would find whichever was imported first."""

from __future__ import annotations

import gzip
import json
import pickle
import struct
import sys
from pathlib import Path

import numpy as np

CIFAR_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]


#: The sizes of the small data sets below (the real ones: 60,000 / 10,000 and 10,000 per batch).
SMALL_SIZES = {"mnist_train": 20, "mnist_test": 10, "cifar_batch": 10}


def use_sizes(setitem, mnist_train: int, mnist_test: int, cifar_batch: int) -> None:
    """Make the loaders expect files of these sizes; ``setitem`` is ``monkeypatch.setitem``
    (or ``operator.setitem`` in a child process)."""
    from helpers.data import locations

    setitem(locations.MNIST_SPLIT_SIZES, "train", mnist_train)
    setitem(locations.MNIST_SPLIT_SIZES, "test", mnist_test)
    for name in locations.CIFAR10_BATCH_SIZES:
        setitem(locations.CIFAR10_BATCH_SIZES, name, cifar_batch)


#: Run a module as ``python -m`` does, after :func:`use_sizes` (argv: sizes as JSON, module, flags).
_RUN_WITH_SIZES = """
import json, operator, runpy, sys
sys.path.insert(0, sys.argv[1])
from data_files import use_sizes
use_sizes(operator.setitem, **json.loads(sys.argv[2]))
module, sys.argv = sys.argv[3], [sys.argv[3], *sys.argv[4:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def command_with_sizes(module: str, *flags: str, sizes: dict = SMALL_SIZES) -> list[str]:
    """The command line that runs ``python -m module flags`` with the loaders expecting ``sizes``."""
    return [sys.executable, "-c", _RUN_WITH_SIZES, str(Path(__file__).parent), json.dumps(sizes), module, *flags]


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


def make_dataset_dir(
    root: Path, n_train: int = SMALL_SIZES["mnist_train"], n_test: int = SMALL_SIZES["mnist_test"], seed: int = 0
) -> Path:
    """A data directory with MNIST and CIFAR-10 in the official layout, at a tiny size: the
    loaders read it after :func:`use_sizes` with :data:`SMALL_SIZES` (the `small_sizes` fixture)."""
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
    import torch  # here, not above: the child processes that import this module stay light

    from helpers.ch04_limits_of_linearity import MnistTensors

    generator = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=generator)
    x = torch.randn(n, 784, generator=generator) * 0.1
    x[torch.arange(n), y] += 4.0  # class k lights up pixel k
    return MnistTensors(x[: n // 2], y[: n // 2], x[n // 2 :], y[n // 2 :])
