"""A validating reader for the idx format of the MNIST files.

An idx file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type, ``NN`` the
number of dimensions), then ``NN`` big-endian uint32 sizes, then the elements. The reader
checks every part of that against the bytes actually present, so a truncated or corrupt file
is an error rather than silently misshapen training data. It reads the header first and then
exactly as many bytes as the header (and the caller's expected shape) promise, plus one to
detect trailing data: memory never exceeds the size of a genuine file, whatever a gzip bomb or
a header claims.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from math import prod
from pathlib import Path

import numpy as np

from .errors import DataFormatError

#: idx element-type codes and the numpy dtypes they denote (multi-byte types are big-endian).
IDX_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

#: Refuse a file whose header promises more than this: the largest MNIST file holds 47 MB.
MAX_BYTES = 256 * 2**20


def _read(stream, n: int, path: Path) -> bytes:
    """Up to ``n`` bytes of ``stream``, with gzip's own errors as one line."""
    try:
        return stream.read(n)
    except EOFError:
        raise DataFormatError(f"{path}: truncated gzip stream; delete the file and fetch it again") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        raise DataFormatError(f"{path}: corrupt gzip data ({error}); delete the file and fetch it again") from None


def read_idx(
    path: str | Path, expected_magic: int | None = None, expected_shape: tuple[int, ...] | None = None
) -> np.ndarray:
    """Read an idx file (gzipped if its name ends in ``.gz``) into a native-endian numpy array.

    ``expected_magic`` (e.g. ``0x0803`` for uint8 images, ``0x0801`` for uint8 labels) pins the
    element type and number of dimensions the caller needs; ``expected_shape`` the sizes, which
    are compared with the header before any data is read.
    """
    path = Path(path)
    with (gzip.open if path.suffix == ".gz" else open)(path, "rb") as stream:
        head = _read(stream, 4, path)
        if len(head) < 4:
            raise DataFormatError(f"{path}: {len(head)} bytes is too short for an idx header; file truncated")
        magic = int.from_bytes(head, "big")
        type_code, ndim = head[2], head[3]
        if head[:2] != b"\0\0" or type_code not in IDX_TYPES or ndim == 0:
            raise DataFormatError(f"{path}: magic number 0x{magic:08x} is not an idx header; wrong or corrupt file")
        if expected_magic is not None and magic != expected_magic:
            raise DataFormatError(
                f"{path}: magic number 0x{magic:08x}, expected 0x{expected_magic:08x}; wrong or corrupt file"
            )
        sizes = _read(stream, 4 * ndim, path)
        if len(sizes) < 4 * ndim:
            raise DataFormatError(f"{path}: header cut short ({4 + len(sizes)} of {4 + 4 * ndim} bytes); truncated")
        shape = struct.unpack(f">{ndim}I", sizes)
        if expected_shape is not None and shape != tuple(expected_shape):
            raise DataFormatError(
                f"{path}: header declares shape {shape}, but the file must hold {tuple(expected_shape)}; "
                "wrong, damaged or partial file: fetch it again"
            )
        dtype = IDX_TYPES[type_code]
        expected = prod(shape) * dtype.itemsize
        if expected > MAX_BYTES:
            raise DataFormatError(f"{path}: header promises {expected} bytes, more than any MNIST file; corrupt")
        raw = _read(stream, expected + 1, path)
    if len(raw) != expected:
        state = "truncated" if len(raw) < expected else "has trailing bytes"
        found = f"{len(raw)}" if len(raw) <= expected else "more"
        raise DataFormatError(f"{path}: header promises shape {shape} ({expected} bytes) but {found} follow; {state}")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # a native, writable copy
