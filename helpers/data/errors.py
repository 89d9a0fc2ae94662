"""The errors the data loaders raise.

Every message is one line that says what is wrong and what to do, so that the command line
(`python -m helpers.data`) and a failing chapter cell can show it as it is. An ``OSError``
met while reading (a file without read permission, a folder where a file belongs, a full disk
while downloading) becomes a :class:`DataAccessError` naming the path, never a traceback.
"""

from __future__ import annotations

import errno
import functools


class DataError(Exception):
    """Base class: the data cannot be used as it is."""


class DataMissingError(DataError):
    """Files are missing and could not be (or were not allowed to be) downloaded."""


class DataFormatError(DataError):
    """A file exists but is truncated, corrupt or not in the expected format."""


class DataAccessError(DataError):
    """A file or folder exists but cannot be read or written (permissions, wrong kind, disk)."""


#: What to do about the operating system errors a data folder can produce.
ADVICE = {
    errno.EACCES: "give yourself read permission (chmod u+r) or copy the file again",
    errno.EPERM: "give yourself read permission (chmod u+r) or copy the file again",
    errno.EISDIR: "a folder stands where a data file belongs: remove it and copy the file there",
    errno.ENOTDIR: "a file stands where a folder belongs: move it away",
    errno.ENOSPC: "the disk is full: free some space and try again",
    errno.ELOOP: "a symbolic link points to itself: replace it with the file",
}


def access_error(error: OSError) -> DataAccessError:
    """``error`` as one line: the path, what the system said, what to do."""
    where = error.filename if error.filename is not None else "the data folder"
    advice = ADVICE.get(error.errno, "check the path and its permissions")
    return DataAccessError(f"{where}: {error.strerror or type(error).__name__}; {advice}")


def reports_os_errors(loader):
    """Decorate a loader so that an ``OSError`` leaves it as a :class:`DataAccessError`."""

    @functools.wraps(loader)
    def wrapper(*args, **kwargs):
        try:
            return loader(*args, **kwargs)
        except OSError as error:
            raise access_error(error) from None

    return wrapper
