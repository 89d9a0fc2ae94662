"""Verified, validated loaders for the book's real datasets.

- :func:`load_mnist` (``train`` 60,000 / ``test`` 10,000) and :func:`load_cifar10`
  (``train`` 50,000 / ``test`` 10,000); :func:`load_cifar10_batches` for single batches.
- The data directory is the ``data_dir`` argument, else ``$LESSONS_DATA``, else
  :data:`DEFAULT_DATA_DIR`. Missing files are downloaded from the official sources where a
  network exists, verified against the published md5; offline, the error says which files to
  put where.
- Every file is validated as it is read (sizes against the official ones, before anything is
  allocated); problems, including the operating system's, raise a :class:`DataError` with a
  one-line message. ``python -m helpers.data`` reports what a data directory holds.
"""

from .cifar10 import load_cifar10, load_cifar10_batches
from .errors import DataAccessError, DataError, DataFormatError, DataMissingError
from .labelled import LabelledImages
from .locations import DEFAULT_DATA_DIR, ENV_VAR, resolve_data_dir
from .mnist import load_mnist

__all__ = [
    "DEFAULT_DATA_DIR",
    "ENV_VAR",
    "DataAccessError",
    "DataError",
    "DataFormatError",
    "DataMissingError",
    "LabelledImages",
    "load_cifar10",
    "load_cifar10_batches",
    "load_mnist",
    "resolve_data_dir",
]
