"""A reader for the CIFAR-10 python batches that never lets the file choose what runs.

The batches are pickles, and ``pickle.load`` calls whatever the file names: even with an
allow-list, numpy's own constructors (``dtype.__setstate__``, ``ndarray.__setstate__``) trust
their arguments, so a 69-byte file could crash the interpreter and a 151-byte one could claim a
million images. This module does not unpickle. It interprets the few opcodes that the official
files (protocol 2) and copies re-pickled by Python 3 (protocols 2 to 5) use, with its own code for every one of them:

- dicts, lists, tuples, ints, ``None``/booleans, byte strings and text, and the memo;
- the numpy globals that describe an array (``_reconstruct``/``ndarray``/``dtype`` and
  ``BUILD``, or protocol 5's ``_frombuffer``), the numpy scalar of an integer label, and the
  two ways Python 3 writes ``bytes`` in protocol 2 (``_codecs.encode(text, 'latin1')`` and
  ``bytes()``). They are matched as *names*; nothing named by the file is ever imported or
  called. An array is built only after its declared type (unsigned or signed integers),
  shape and byte count agree with each other and with a limit, by :func:`numpy.frombuffer`
  over the bytes that are in the file. Any other global, or an argument of an unexpected
  form, is refused.

Memory and time are bounded by the file: at most :data:`MAX_FILE_BYTES` are read, every length
is checked against the bytes left before anything is sliced, and at most :data:`MAX_OPCODES`
opcodes are interpreted (an official batch has about 10,000). The interpreter keeps its own
stack and never recurses, so deep nesting costs nothing but the objects themselves.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

import numpy as np

#: A batch is 30.7 MB; protocol 2 from Python 3 stores its pixels as UTF-8 text (up to twice that).
MAX_FILE_BYTES = 80 * 2**20
#: An official batch has ~10,100 opcodes; with file names and a memo entry per object, ~50,000.
MAX_OPCODES = 200_000
#: The largest array a CIFAR-10 file holds: one batch of pixels.
MAX_ARRAY_ELEMENTS = 10_000 * 3072
#: numpy dtype codes an array or a scalar may declare: integers only (pixels and labels).
INTEGER_CODES = {f"{kind}{size}": np.dtype(f"{kind}{size}") for kind in "ui" for size in (1, 2, 4, 8)}
#: ``_codecs.encode``'s second argument in a protocol-2 ``bytes``: the spellings of latin-1.
LATIN1_NAMES = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1"}

NUMPY_MODULES = ("numpy.core", "numpy._core")
RECONSTRUCT = {(f"{m}.multiarray", "_reconstruct") for m in NUMPY_MODULES}
FROMBUFFER = {(f"{m}.numeric", "_frombuffer") for m in NUMPY_MODULES}
SCALAR = {(f"{m}.multiarray", "scalar") for m in NUMPY_MODULES}
NDARRAY = {("numpy", "ndarray")}
DTYPE = {("numpy", "dtype")}
CODECS_ENCODE = {("_codecs", "encode")}
BYTES = {("__builtin__", "bytes"), ("builtins", "bytes")}
KNOWN_GLOBALS = RECONSTRUCT | FROMBUFFER | SCALAR | NDARRAY | DTYPE | CODECS_ENCODE | BYTES


class NotABatch(Exception):
    """The file is not a CIFAR-10 pickle this reader accepts; the message says why, in a phrase."""


class Truncated(NotABatch):
    """The file ends before its pickle does."""


@dataclass(frozen=True)
class Global:
    """A global the file names: only a name here, never an imported object."""

    module: str
    name: str

    def key(self) -> tuple[str, str]:
        return (self.module, self.name)


@dataclass
class DtypeSpec:
    """A ``numpy.dtype(code)`` the file asks for, with the byte order its ``BUILD`` state sets."""

    code: str
    order: str = "="

    def dtype(self) -> np.dtype:
        return INTEGER_CODES[self.code].newbyteorder(self.order)


@dataclass
class PendingArray:
    """``_reconstruct(ndarray, (0,), b'b')``: an empty array that the following ``BUILD`` fills."""

    array: np.ndarray | None = field(default=None)


class _Mark:
    """The marker the MARK opcode pushes."""


MARK = _Mark()


def _integer_array(buffer, dtype: DtypeSpec, shape) -> np.ndarray:
    """The array of ``shape`` over ``buffer``, after checking that the three agree."""
    if not isinstance(dtype, DtypeSpec):
        raise NotABatch("an array whose type is not an integer dtype")
    if not isinstance(shape, tuple) or not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 4:
        raise NotABatch("an array with an invalid shape")
    elements = math.prod(shape)
    if elements > MAX_ARRAY_ELEMENTS:
        raise NotABatch(f"an array of {elements} elements, more than a CIFAR-10 file holds")
    if isinstance(buffer, str):  # protocol 0..2 from Python 3 without _codecs: not expected, but exact
        raise NotABatch("array data stored as text")
    if not isinstance(buffer, (bytes, bytearray, memoryview)):
        raise NotABatch("array data that is not a byte string")
    itemsize = dtype.dtype().itemsize
    if len(buffer) != elements * itemsize:
        raise NotABatch(f"an array of shape {shape} with {len(buffer)} bytes of data, not {elements * itemsize}")
    return np.frombuffer(buffer, dtype=dtype.dtype()).reshape(shape)


def _short_text(value) -> str | None:
    """A short name given as text or (Python 2 pickles) as ASCII bytes; else None."""
    if isinstance(value, bytes) and len(value) <= 16:
        value = value.decode("latin1")
    return value if isinstance(value, str) and len(value) <= 16 else None


def _reduce(function, args):
    """What ``REDUCE`` yields for the few calls a batch makes; each is checked, none is called."""
    if not isinstance(function, Global) or not isinstance(args, tuple):
        raise NotABatch("a call of something that is not a known global")
    key = function.key()
    if key in RECONSTRUCT:
        if len(args) == 3 and isinstance(args[0], Global) and args[0].key() in NDARRAY and args[1] == (0,):
            return PendingArray()
        raise NotABatch("an array reconstruction with unexpected arguments")
    if key in DTYPE:
        code = _short_text(args[0]) if args else None
        if len(args) == 3 and code in INTEGER_CODES and args[1] in (0, False) and args[2] in (1, True):
            return DtypeSpec(code)
        raise NotABatch("a dtype other than an integer type")
    if key in FROMBUFFER:  # protocol 5: _frombuffer(buffer, dtype, shape, order)
        if len(args) == 4 and _short_text(args[3]) == "C":
            return _integer_array(args[0], args[1], args[2])
        raise NotABatch("an array from a buffer with unexpected arguments")
    if key in SCALAR:  # a numpy integer: scalar(dtype, its bytes)
        if len(args) == 2 and isinstance(args[0], DtypeSpec) and isinstance(args[1], bytes):
            return int(_integer_array(args[1], args[0], (1,))[0])
        raise NotABatch("a numpy scalar that is not an integer")
    if key in CODECS_ENCODE:  # protocol 2's bytes from Python 3: encode(text, 'latin1')
        if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], str):
            if args[1].lower() in LATIN1_NAMES:
                try:
                    return args[0].encode("latin1")
                except UnicodeEncodeError:
                    raise NotABatch("a latin-1 byte string with characters beyond latin-1") from None
        raise NotABatch("a text encoding other than latin-1")
    if key in BYTES:  # protocol 2's b'' from Python 3: bytes()
        if args == ():
            return b""
        raise NotABatch("bytes() with arguments")
    raise NotABatch(f"a call of {function.module}.{function.name}")


def _build(target, state) -> None:
    """``BUILD``: the state of a pending array or a dtype; checked, then applied by this code."""
    if isinstance(target, DtypeSpec):
        # (version 3, byte order, subarray, names, fields, elsize, alignment, flags)
        if not (isinstance(state, tuple) and len(state) == 8 and state[0] == 3):
            raise NotABatch("a dtype state of an unexpected form")
        order = _short_text(state[1])
        if order not in ("<", ">", "|", "=") or state[2:5] != (None, None, None):
            raise NotABatch("a dtype that is not a plain integer type")
        target.order = order
    elif isinstance(target, PendingArray):
        # (version 1, shape, dtype, Fortran order, data)
        if not (isinstance(state, tuple) and len(state) == 5 and state[0] == 1 and state[3] in (0, False)):
            raise NotABatch("an array state of an unexpected form")
        if target.array is not None:
            raise NotABatch("an array built twice")
        target.array = _integer_array(state[4], state[2], state[1])
    else:
        raise NotABatch("object state for something that is not an array or a dtype")


class _Reader:
    """Bounds-checked reads from the file's bytes."""

    def __init__(self, data: memoryview):
        self.data, self.pos = data, 0

    def take(self, n: int) -> memoryview:
        if n < 0 or n > len(self.data) - self.pos:
            raise Truncated(f"the file ends before a {n}-byte field")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unsigned(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")

    def line(self) -> str:
        end = bytes(self.data[self.pos : self.pos + 256]).find(b"\n")
        if end < 0:
            raise NotABatch("a global name that is missing or too long")
        text = bytes(self.take(end + 1)[:-1])
        try:
            return text.decode("ascii")
        except UnicodeDecodeError:
            raise NotABatch("a global name that is not ASCII") from None

    def text(self, n: int) -> str:
        try:
            return str(self.take(n), "utf-8")
        except UnicodeDecodeError:
            raise NotABatch("text that is not UTF-8") from None


def _pop_mark(stack: list, marks: list) -> list:
    """The items pushed since the last MARK, removed from the stack."""
    if not marks:
        raise NotABatch("a collection opcode without a MARK")
    start = marks.pop()
    items = stack[start:]
    del stack[start:]
    return items


def _set_items(target, items) -> None:
    if not isinstance(target, dict) or len(items) % 2:
        raise NotABatch("dict items for something that is not a dict")
    for key, value in zip(items[::2], items[1::2]):
        # text, bytes or numbers only: hashing a tuple nested 100,000 deep would overflow C's stack
        if type(key) not in (str, bytes, int):
            raise NotABatch("a dict key that is not text, bytes or a number")
        target[key] = value


def read_pickle(data: bytes) -> object:
    """The object a CIFAR-10 pickle describes, interpreted as the module docstring says.

    Raises :class:`NotABatch` (or :class:`Truncated`) with a short reason for anything else.
    """
    reader = _Reader(memoryview(data))
    stack: list = []
    marks: list[int] = []
    memo: dict[int, object] = {}

    def pop():
        if len(stack) <= (marks[-1] if marks else 0):
            raise NotABatch("an opcode with too few arguments")
        return stack.pop()

    def top():
        if not stack:
            raise NotABatch("an opcode with too few arguments")
        return stack[-1]

    def get(index: int):
        if index not in memo:
            raise NotABatch("a reference to an object that was never stored")
        stack.append(memo[index])

    for _ in range(MAX_OPCODES):
        op = bytes(reader.take(1))
        if op == b".":  # STOP
            if len(stack) != 1 or marks:
                raise NotABatch("a pickle that does not end with one object")
            if reader.pos != len(reader.data):
                raise NotABatch(f"{len(reader.data) - reader.pos} bytes after the end of the pickle")
            return stack[0]
        elif op == b"\x80":  # PROTO
            if reader.unsigned(1) > 5:
                raise NotABatch("an unknown pickle protocol")
        elif op == b"\x95":  # FRAME: only a hint for buffering; its length must fit the file
            if reader.unsigned(8) > len(reader.data) - reader.pos:
                raise Truncated("a frame longer than the rest of the file")
        elif op == b"(":  # MARK
            marks.append(len(stack))
        elif op in (b"}", b"]", b")"):  # EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE
            stack.append({b"}": dict, b"]": list, b")": tuple}[op]())
        elif op == b"d":  # DICT
            items = _pop_mark(stack, marks)
            stack.append({})
            _set_items(stack[-1], items)
        elif op == b"l":  # LIST
            stack.append(_pop_mark(stack, marks))
        elif op == b"t":  # TUPLE
            stack.append(tuple(_pop_mark(stack, marks)))
        elif op in (b"\x85", b"\x86", b"\x87"):  # TUPLE1..3
            n = op[0] - 0x84
            items = [pop() for _ in range(n)][::-1]
            stack.append(tuple(items))
        elif op == b"a":  # APPEND
            value = pop()
            if not isinstance(top(), list):
                raise NotABatch("APPEND to something that is not a list")
            stack[-1].append(value)
        elif op == b"e":  # APPENDS
            items = _pop_mark(stack, marks)
            if not isinstance(top(), list):
                raise NotABatch("APPENDS to something that is not a list")
            stack[-1].extend(items)
        elif op == b"s":  # SETITEM
            value, key = pop(), pop()
            _set_items(top(), [key, value])
        elif op == b"u":  # SETITEMS
            items = _pop_mark(stack, marks)
            _set_items(top(), items)
        elif op == b"J":  # BININT
            stack.append(struct.unpack("<i", reader.take(4))[0])
        elif op == b"K":  # BININT1
            stack.append(reader.unsigned(1))
        elif op == b"M":  # BININT2
            stack.append(reader.unsigned(2))
        elif op == b"\x8a":  # LONG1: a label never needs more than 8 bytes
            n = reader.unsigned(1)
            if n > 8:
                raise NotABatch("an integer of more than 64 bits")
            stack.append(int.from_bytes(reader.take(n), "little", signed=True))
        elif op == b"N":
            stack.append(None)
        elif op in (b"\x88", b"\x89"):  # NEWTRUE, NEWFALSE
            stack.append(op == b"\x88")
        elif op == b"U":  # SHORT_BINSTRING: Python 2's str, read as bytes
            stack.append(bytes(reader.take(reader.unsigned(1))))
        elif op == b"T":  # BINSTRING: kept as a view of the file until an array is built on it
            n = struct.unpack("<i", reader.take(4))[0]
            stack.append(reader.take(n) if n >= 2**16 else bytes(reader.take(n)))
        elif op == b"C":  # SHORT_BINBYTES
            stack.append(bytes(reader.take(reader.unsigned(1))))
        elif op in (b"B", b"\x8e", b"\x96"):  # BINBYTES, BINBYTES8, BYTEARRAY8
            n = reader.unsigned(4 if op == b"B" else 8)
            chunk = reader.take(n)
            stack.append(chunk if n >= 2**16 else bytes(chunk))
        elif op == b"\x8c":  # SHORT_BINUNICODE
            stack.append(reader.text(reader.unsigned(1)))
        elif op in (b"X", b"\x8d"):  # BINUNICODE, BINUNICODE8
            stack.append(reader.text(reader.unsigned(4 if op == b"X" else 8)))
        elif op == b"q":  # BINPUT
            memo[reader.unsigned(1)] = top()
        elif op == b"r":  # LONG_BINPUT
            memo[reader.unsigned(4)] = top()
        elif op == b"\x94":  # MEMOIZE
            memo[len(memo)] = top()
        elif op == b"h":  # BINGET
            get(reader.unsigned(1))
        elif op == b"j":  # LONG_BINGET
            get(reader.unsigned(4))
        elif op in (b"c", b"\x93"):  # GLOBAL, STACK_GLOBAL
            if op == b"c":
                module, name = reader.line(), reader.line()
            else:
                name, module = pop(), pop()
                if not (isinstance(module, str) and isinstance(name, str)):
                    raise NotABatch("a global whose name is not text")
            if (module, name) not in KNOWN_GLOBALS:
                raise NotABatch(f"refused global {module[:60]!r}.{name[:60]!r}")
            stack.append(Global(module, name))
        elif op == b"R":  # REDUCE
            args = pop()
            stack.append(_reduce(pop(), args))
        elif op == b"b":  # BUILD
            state = pop()
            _build(top(), state)
        else:
            raise NotABatch(f"pickle opcode {op!r} at byte {reader.pos - 1}, which no CIFAR-10 file uses")
    raise NotABatch(f"more than {MAX_OPCODES} pickle opcodes, far more than a CIFAR-10 file has")


def resolve(value):
    """``value``, with a filled pending array replaced by its array."""
    if isinstance(value, PendingArray):
        if value.array is None:
            raise NotABatch("an array that was never filled")
        return value.array
    return value
