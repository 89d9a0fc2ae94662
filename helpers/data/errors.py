"""The errors the data loaders raise.

Every message is one line that says what is wrong and what to do, so that the command line
(`python -m helpers.data`) and a failing chapter cell can show it as it is.
"""


class DataError(Exception):
    """Base class: the data cannot be used as it is."""


class DataMissingError(DataError):
    """Files are missing and could not be (or were not allowed to be) downloaded."""


class DataFormatError(DataError):
    """A file exists but is truncated, corrupt or not in the expected format."""
