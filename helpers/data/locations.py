"""Where the datasets live: the data directory and the files each dataset needs in it.

The layout below the data directory is the one of the official archives, and the one of the
offline copy in ``../shared/data``::

    DATA_DIR/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
    DATA_DIR/cifar-10/cifar-10-batches-py/{batches.meta,data_batch_1..5,test_batch}
"""

from __future__ import annotations

import os
from pathlib import Path

import pooch

from .errors import DataAccessError, DataMissingError

#: Environment variable that names the data directory when no argument does.
ENV_VAR = "LESSONS_DATA"

#: Used when neither an argument nor ``$LESSONS_DATA`` names a data directory
#: (``~/.cache/dl-lessons`` on Linux, the platform's cache folder elsewhere).
DEFAULT_DATA_DIR = Path(pooch.os_cache("dl-lessons"))

MNIST_SUBDIR = Path("mnist")
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

CIFAR10_SUBDIR = Path("cifar-10") / "cifar-10-batches-py"
CIFAR10_META = "batches.meta"
CIFAR10_BATCHES = {
    "train": tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test": ("test_batch",),
}
CIFAR10_FILES = (CIFAR10_META, *CIFAR10_BATCHES["train"], *CIFAR10_BATCHES["test"])

#: How many images each MNIST split and each CIFAR-10 batch holds. A file that declares another
#: number is refused before its data is read. (The tests, which write small files in the real
#: formats, change these numbers for themselves.)
MNIST_SPLIT_SIZES = {"train": 60_000, "test": 10_000}
CIFAR10_BATCH_SIZES = dict.fromkeys(CIFAR10_FILES[1:], 10_000)


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data directory: ``data_dir``, else ``$LESSONS_DATA``, else the default cache folder.

    A directory named explicitly (argument or environment) must exist: a typo should be an error,
    not a silent download into a new folder. The default cache folder is created when needed.
    A relative path is taken relative to the current working directory (a chapter runs in
    ``book/``), so prefer absolute paths in ``$LESSONS_DATA``.
    """
    if data_dir is None:
        data_dir = os.environ.get(ENV_VAR) or None
        source = f"${ENV_VAR}"
    else:
        source = "the data directory argument"
    if data_dir is None:
        DEFAULT_DATA_DIR.mkdir(parents=True, exist_ok=True)
        return DEFAULT_DATA_DIR
    if not str(data_dir).strip():  # Path("") would silently mean the current folder
        raise DataMissingError(
            f"the data directory (from {source}) is an empty name: give the folder that holds "
            "mnist/ and cifar-10/, or leave it out to use the default"
        )
    path = Path(data_dir).expanduser().resolve()
    if not path.is_dir():
        raise DataMissingError(
            f"data directory {path} (from {source}) does not exist: create it, or point "
            f"{ENV_VAR} / --data-dir at the folder that holds mnist/ and cifar-10/"
        )
    return path


def missing_files(folder: Path, names: tuple[str, ...]) -> list[str]:
    """The names among ``names`` that do not exist in ``folder``.

    Something that exists but is not a regular file (a folder named like a data file, or a file
    named like the folder) is an error, not a file to download.
    """
    for path in (folder, *folder.parents):
        if path.exists() and not path.is_dir():
            raise DataAccessError(f"{path} is a file, but the data layout needs a folder there; move it away")
        if path.is_dir():
            break
    missing = []
    for name in names:
        path = folder / name
        if path.is_symlink() and not path.exists():
            raise DataAccessError(f"{path} is a broken or looping symbolic link; replace it with the file")
        if path.exists() and not path.is_file():
            raise DataAccessError(f"{path} is a folder, not a data file; remove it and copy the file there")
        if not path.exists():
            missing.append(name)
    return missing


def missing_message(dataset: str, folder: Path, missing: list[str], reason: str) -> str:
    """One line naming the files needed, where to put them, and why they are not there."""
    return (
        f"{dataset}: missing {', '.join(missing)} in {folder} ({reason}). Copy the files there, "
        f"or set {ENV_VAR} (or --data-dir) to a folder that has them, "
        f"or run `python -m helpers.data --download` where a network is available"
    )
