"""Downloads of the official archives, verified by their published checksums.

Downloads go through :func:`pooch.retrieve`: it streams into a temporary file beside the
target, checks the hash, and only then moves the file into place, so an interrupted or
corrupted download never leaves a partial file behind. The CIFAR-10 archive is extracted into
a temporary folder and its files are moved into place one by one (an atomic rename each).
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from pathlib import Path

import pooch
import requests

from .errors import DataFormatError, DataMissingError
from .locations import (
    CIFAR10_FILES,
    CIFAR10_SUBDIR,
    MNIST_FILES,
    MNIST_SUBDIR,
    missing_files,
    missing_message,
)

#: The official MNIST files (LeCun, Cortes & Burges); served from the mirror PyTorch uses,
#: because the original host often refuses automated downloads. Same files, same checksums.
MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

#: The official CIFAR-10 python archive (Krizhevsky, 2009) and its published md5.
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_ARCHIVE = "cifar-10-python.tar.gz"

#: Seconds to wait for the server before giving up (a closed network answers at once).
TIMEOUT_S = 60


class DownloadFailed(Exception):
    """The server could not be reached or the transfer broke off."""


def fetch(url: str, md5: str, target: Path) -> Path:
    """Download ``url`` to ``target`` with a progress bar; verify ``md5``; all or nothing."""
    downloader = pooch.HTTPDownloader(progressbar=True, timeout=TIMEOUT_S)
    try:
        path = pooch.retrieve(
            url,
            known_hash=f"md5:{md5}",
            fname=target.name,
            path=target.parent,
            downloader=downloader,
        )
    except requests.RequestException as error:
        raise DownloadFailed(f"download of {url} failed: {type(error).__name__}") from error
    except ValueError as error:  # pooch's hash mismatch
        raise DataFormatError(
            f"{url} downloaded but its md5 is not the published {md5}: nothing was kept; "
            "try again later or fetch the file by hand"
        ) from error
    return Path(path)


def ensure_mnist(root: Path, download: bool) -> Path:
    """The MNIST folder below ``root``, downloading missing files if allowed."""
    folder = root / MNIST_SUBDIR
    needed = tuple(name for pair in MNIST_FILES.values() for name in pair)
    missing = missing_files(folder, needed)
    if missing and not download:
        raise DataMissingError(missing_message("MNIST", folder, missing, "download disabled"))
    for name in missing:
        try:
            fetch(MNIST_URL + name, MNIST_MD5[name], folder / name)
        except DownloadFailed as error:
            raise DataMissingError(missing_message("MNIST", folder, missing, str(error))) from None
    return folder


def ensure_cifar10(root: Path, download: bool) -> Path:
    """The CIFAR-10 batches folder below ``root``, downloading the archive if allowed."""
    folder = root / CIFAR10_SUBDIR
    missing = missing_files(folder, CIFAR10_FILES)
    if not missing:
        return folder
    if not download:
        raise DataMissingError(missing_message("CIFAR-10", folder, missing, "download disabled"))
    try:
        archive = fetch(CIFAR10_URL, CIFAR10_MD5, folder.parent / CIFAR10_ARCHIVE)
    except DownloadFailed as error:
        raise DataMissingError(missing_message("CIFAR-10", folder, missing, str(error))) from None
    extract_members(archive, CIFAR10_SUBDIR.name, missing, folder)
    return folder


def extract_members(archive: Path, inner: str, names: list[str], folder: Path) -> None:
    """Move ``inner/name`` for each name out of ``archive`` into ``folder``, each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".extract-") as tmp:
        with tarfile.open(archive) as tar:
            members = [tar.getmember(f"{inner}/{name}") for name in names]
            tar.extractall(tmp, members=members, filter="data")
        for name in names:
            os.replace(Path(tmp) / inner / name, folder / name)
