"""A restricted unpickler for the CIFAR-10 python batches.

``pickle.load`` runs whatever callable a pickle names, so a crafted "batch" can run any code.
The CIFAR-10 batches only need dicts, lists, bytes, str, numbers and numpy arrays; the unpickler
below resolves exactly the globals those use (numpy's array reconstruction under its old and
new module names, plus the latin-1 bytes codec of Python 3 protocol-2 pickles) and refuses every
other one before it is called.
"""

from __future__ import annotations

import codecs
import io
import pickle
from pathlib import Path

import numpy as np

from .errors import DataFormatError

try:  # numpy >= 2 renamed numpy.core to numpy._core; importing the old name warns.
    from numpy._core.multiarray import _reconstruct, scalar
    from numpy._core.numeric import _frombuffer
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core.multiarray import _reconstruct, scalar
    from numpy.core.numeric import _frombuffer


def _latin1_encode(text: str, encoding: str = "latin1") -> bytes:
    """What ``_codecs.encode`` does in a protocol-2 pickle of ``bytes``, and nothing more."""
    if codecs.lookup(encoding).name != "iso8859-1":
        raise pickle.UnpicklingError(f"codec {encoding!r} is not allowed")
    return text.encode("latin1")


#: (module, name) -> object: the only globals a batch may reference.
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,  # arrays in protocol-5 pickles
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy.core.multiarray", "scalar"): scalar,  # numpy numbers, e.g. np.int64 labels
    ("numpy._core.multiarray", "scalar"): scalar,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): _latin1_encode,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only :data:`ALLOWED_GLOBALS`."""

    def find_class(self, module: str, name: str):
        try:
            return ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refused global {module}.{name}") from None


def load_restricted(path: str | Path):
    """Unpickle ``path`` with :class:`RestrictedUnpickler` (Python 2 strings become bytes).

    Raises :class:`DataFormatError` for a refused global, a truncated or a corrupt file.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        return RestrictedUnpickler(io.BytesIO(data), encoding="bytes").load()
    except pickle.UnpicklingError as error:
        if str(error).startswith("refused global"):
            raise DataFormatError(
                f"{path}: {error}; this is not a CIFAR-10 batch and it was not run. "
                "Replace the file with an official copy"
            ) from None
        raise DataFormatError(f"{path}: corrupt pickle ({error}); fetch the file again") from None
    except EOFError:
        raise DataFormatError(f"{path}: pickle ends early; file truncated, fetch it again") from None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, MemoryError) as error:
        raise DataFormatError(
            f"{path}: corrupt pickle ({type(error).__name__}: {error}); fetch the file again"
        ) from None
