"""A validating reader for the idx format of the MNIST files.

An idx file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type, ``NN`` the
number of dimensions), then ``NN`` big-endian uint32 sizes, then the elements. The reader
checks every part of that against the bytes actually present, so a truncated or corrupt file
is an error rather than silently misshapen training data.
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

#: Refuse to decompress more than this: the largest MNIST file is 47 MB; a gzip bomb is not.
MAX_BYTES = 256 * 2**20


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed if its name ends in ``.gz``."""
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except EOFError:
        raise DataFormatError(f"{path}: truncated gzip stream; delete the file and fetch it again") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        raise DataFormatError(f"{path}: corrupt gzip data ({error}); delete the file and fetch it again") from None
    if len(raw) > MAX_BYTES:
        raise DataFormatError(f"{path}: decompresses to more than {MAX_BYTES} bytes; not an MNIST file")
    return raw


def read_idx(path: str | Path, expected_magic: int | None = None) -> np.ndarray:
    """Read an idx file (optionally gzipped) into a native-endian numpy array.

    ``expected_magic`` (e.g. ``0x0803`` for uint8 images, ``0x0801`` for uint8 labels) pins the
    element type and number of dimensions the caller needs.
    """
    path = Path(path)
    raw = read_bytes(path)
    if len(raw) < 4:
        raise DataFormatError(f"{path}: {len(raw)} bytes is too short for an idx header; file truncated")
    magic = int.from_bytes(raw[:4], "big")
    type_code, ndim = raw[2], raw[3]
    if raw[:2] != b"\0\0" or type_code not in IDX_TYPES or ndim == 0:
        raise DataFormatError(f"{path}: magic number 0x{magic:08x} is not an idx header; wrong or corrupt file")
    if expected_magic is not None and magic != expected_magic:
        raise DataFormatError(
            f"{path}: magic number 0x{magic:08x}, expected 0x{expected_magic:08x}; wrong or corrupt file"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataFormatError(f"{path}: header cut short ({len(raw)} of {header} bytes); file truncated")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = IDX_TYPES[type_code]
    expected = prod(shape) * dtype.itemsize
    found = len(raw) - header
    if found != expected:
        state = "truncated" if found < expected else "has trailing bytes"
        raise DataFormatError(
            f"{path}: header promises shape {shape} ({expected} bytes) but {found} follow; file {state}"
        )
    array = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # a native, writable copy
