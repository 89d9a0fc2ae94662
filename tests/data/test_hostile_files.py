"""Files from strangers: every crafted, damaged or misplaced data file is one line and exit 1 from
``python -m helpers.data``, in bounded time and memory, and nothing in a file ever runs.

Each case writes one hostile file (or folder) into the small data set of the fixture and runs the
command as a reader would, in a child process whose own peak memory is measured."""

from __future__ import annotations

import gzip
import os
import pickle
import struct

import numpy as np
import pytest
from data_files import CIFAR_NAMES, command_with_sizes, write_batch, write_idx
from processes import run_measured

CIFAR = "cifar-10/cifar-10-batches-py"
MAX_SECONDS, MAX_MB = 10, 1024


def short_string(text: bytes) -> bytes:
    """A pickle SHORT_BINSTRING: how Python 2 wrote a ``str``."""
    return b"U" + bytes([len(text)]) + text


def python2_global(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def dtype_u1(state: bytes) -> bytes:
    """numpy.dtype('u1', 0, 1) followed by BUILD with the given state opcodes."""
    return python2_global("numpy", "dtype") + short_string(b"u1") + b"K\x00K\x01\x87R" + b"(" + state + b"tb"


def batch_with_labels_opcodes(labels_opcodes: bytes, n_images: int = 10) -> bytes:
    """A valid protocol-3 batch whose labels are replaced by the given opcodes."""
    placeholder = b"LABELS-GO-HERE"
    record = {b"data": np.zeros((n_images, 3072), np.uint8), b"labels": placeholder}
    payload = pickle.dumps(record, protocol=3)
    return payload.replace(b"C" + bytes([len(placeholder)]) + placeholder, labels_opcodes)


class RunsCode:
    """Pickles to a call of ``exec`` that creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


class UnknownCodec:
    def __reduce__(self):
        import codecs

        return codecs.encode, ("abc", "no-such-codec")


def shared_sublists(depth: int):
    """A list of two references to a list of two references to ... (2**depth leaves, tiny pickle)."""
    nested = [0, 0]
    for _ in range(depth):
        nested = [nested, nested]
    return nested


def hostile_dtype_state(root, marker):
    # the dtype's BUILD state names fields: numpy's __setstate__ trusted this and crashed
    state = b"K\x03" + short_string(b"|") + b"N" + short_string(b"a") + b"\x85" + b"}NJ\xff\xff\xff\xffK\x00"
    (root / CIFAR / "data_batch_1").write_bytes(b"\x80\x02" + dtype_u1(state) + b".")


def array_of_a_million_images(root, marker):
    # _reconstruct + BUILD claiming 1,040,000 x 3072 pixels, backed by one byte
    array = (
        python2_global("numpy.core.multiarray", "_reconstruct")
        + python2_global("numpy", "ndarray")
        + b"K\x00\x85"
        + short_string(b"b")
        + b"\x87R"
        + b"(K\x01J\x80\xde\x0f\x00M\x00\x0c\x86"
        + dtype_u1(b"K\x03" + short_string(b"|") + b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00")
        + b"\x89"
        + short_string(b"\x00")
        + b"tb"
    )
    payload = b"\x80\x02}(" + short_string(b"data") + array + short_string(b"labels") + b"]u."
    (root / CIFAR / "data_batch_1").write_bytes(payload)


def uninitialised_array(root, marker):
    # numpy.ndarray((1500000, 3072), 'u1') called directly: memory numpy never filled
    call = python2_global("numpy", "ndarray") + b"(J\x60\xe3\x16\x00M\x00\x0c\x86" + short_string(b"u1") + b"tR"
    (root / CIFAR / "data_batch_1").write_bytes(b"\x80\x02}(" + short_string(b"data") + call + b"u.")


def labels_that_share_sublists(root, marker):
    write_batch(root / CIFAR / "test_batch", np.zeros((10, 3072), np.uint8), [])
    record = {b"data": np.zeros((10, 3072), np.uint8), b"labels": shared_sublists(60)}
    (root / CIFAR / "test_batch").write_bytes(pickle.dumps(record, protocol=2))


def labels_nested(depth):
    def craft(root, marker):
        opcodes = b"]" * depth + b"a" * (depth - 1)  # [[[...]]]
        (root / CIFAR / "test_batch").write_bytes(batch_with_labels_opcodes(opcodes))

    return craft


def key_nested_deeply(root, marker):
    depth = 90_000  # hashing this tuple would overflow the C stack
    (root / CIFAR / "test_batch").write_bytes(b"\x80\x02}K\x00" + b"\x85" * depth + b"Ns.")


def unknown_codec(root, marker):
    (root / CIFAR / "data_batch_2").write_bytes(pickle.dumps({b"data": UnknownCodec()}, protocol=2))


def frame_of_two_to_the_63(root, marker):
    (root / CIFAR / "test_batch").write_bytes(b"\x80\x04\x95" + (2**63).to_bytes(8, "little") + b"}.")


def class_names_not_utf8(root, marker):
    names = [b"\xff\xfe\xfd", *CIFAR_NAMES[1:]]
    (root / CIFAR / "batches.meta").write_bytes(pickle.dumps({b"label_names": names}, protocol=2))


def code_running_pickle(root, marker):
    (root / CIFAR / "data_batch_3").write_bytes(pickle.dumps({b"data": RunsCode(marker)}, protocol=2))


def code_running_pickle_protocol_5(root, marker):
    (root / CIFAR / "test_batch").write_bytes(pickle.dumps(RunsCode(marker), protocol=5))


def batch_of_200_megabytes(root, marker):
    with open(root / CIFAR / "data_batch_4", "r+b") as stream:
        stream.truncate(200 * 2**20)  # sparse: costs no disk


def batch_with_nine_images(root, marker):
    write_batch(root / CIFAR / "data_batch_5", np.zeros((9, 3072), np.uint8), [0] * 9)


def mnist_with_no_images(root, marker):
    write_idx(root / "mnist/train-images-idx3-ubyte.gz", np.zeros((0, 28, 28)))
    write_idx(root / "mnist/train-labels-idx1-ubyte.gz", np.zeros(0))


def mnist_header_claiming_billions(root, marker):
    header = struct.pack(">IIII", 0x803, 2**31, 28, 28)
    with gzip.open(root / "mnist/t10k-images-idx3-ubyte.gz", "wb") as stream:
        stream.write(header + bytes(100))


def mnist_gzip_bomb(root, marker):
    # a correct header for the 10 test images, then 300 MB of zeros (300 KB compressed)
    with gzip.open(root / "mnist/t10k-images-idx3-ubyte.gz", "wb", compresslevel=1) as stream:
        stream.write(struct.pack(">IIII", 0x803, 10, 28, 28))
        for _ in range(300):
            stream.write(bytes(2**20))


def mnist_folder_is_a_file(root, marker):
    for path in (root / "mnist").iterdir():
        path.unlink()
    (root / "mnist").rmdir()
    (root / "mnist").write_text("not a folder")


def folder_named_like_a_data_file(root, marker):
    (root / "mnist/t10k-labels-idx1-ubyte.gz").unlink()
    (root / "mnist/t10k-labels-idx1-ubyte.gz").mkdir()


def symlink_loop(root, marker):
    path = root / CIFAR / "test_batch"
    path.unlink()
    path.symlink_to(path.name)


CASES = {
    "dtype state that crashed numpy": (hostile_dtype_state, "data_batch_1", "dtype that is not a plain integer"),
    "1,040,000 images in 151 bytes": (array_of_a_million_images, "data_batch_1", "3194880000 elements"),
    "uninitialised 1.5M x 3072 array": (uninitialised_array, "data_batch_1", "call of numpy.ndarray"),
    "labels of shared sublists": (labels_that_share_sublists, "test_batch", "not a flat list of integers"),
    "labels nested 50,000 deep": (labels_nested(50_000), "test_batch", "not a flat list of integers"),
    "labels nested 100,000 deep": (labels_nested(100_000), "test_batch", "more than 200000 pickle opcodes"),
    "dict key nested 90,000 deep": (key_nested_deeply, "test_batch", "key that is not text, bytes or a number"),
    "unknown codec": (unknown_codec, "data_batch_2", "text encoding other than latin-1"),
    "protocol-4 frame of 2**63 bytes": (frame_of_two_to_the_63, "test_batch", "truncated"),
    "class names that are not UTF-8": (class_names_not_utf8, "batches.meta", "not UTF-8"),
    "pickle that runs code": (code_running_pickle, "data_batch_3", "refused global '__builtin__'.'exec'"),
    "protocol 5 pickle that runs code": (code_running_pickle_protocol_5, "test_batch", "refused global 'builtins'"),
    "200 MB batch": (batch_of_200_megabytes, "data_batch_4", "far more than a CIFAR-10 file"),
    "batch of 9 images": (batch_with_nine_images, "data_batch_5", "expected uint8 (10, 3072)"),
    "MNIST with 0 images": (mnist_with_no_images, "train-images", "shape (0, 28, 28), but the file must hold"),
    "MNIST header claiming 2**31 images": (mnist_header_claiming_billions, "t10k-images", "shape (2147483648, 28"),
    "MNIST gzip bomb": (mnist_gzip_bomb, "t10k-images", "has trailing bytes"),
    "mnist/ is a file": (mnist_folder_is_a_file, "mnist", "is a file, but the data layout needs a folder"),
    "folder named like a data file": (folder_named_like_a_data_file, "t10k-labels", "is a folder, not a data file"),
    "symbolic link loop": (symlink_loop, "test_batch", "looping symbolic link"),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_is_one_line_in_bounded_time_and_memory(data_dir, tmp_path, case):
    craft, where, what = CASES[case]
    marker = tmp_path / "code-ran"
    craft(data_dir, marker)

    outcome = run_measured(command_with_sizes("helpers.data", "--data-dir", str(data_dir)), timeout=60)

    line = outcome.one_line_error()
    assert outcome.status == 1 and line.startswith("error: ") and where in line and what in line, line
    assert outcome.seconds < MAX_SECONDS and outcome.peak_mb < MAX_MB, (outcome.seconds, outcome.peak_mb)
    assert not marker.exists()
    # the other dataset is still checked and reported
    assert ("CIFAR-10: images" in outcome.stdout) != ("MNIST: images" in outcome.stdout)


def test_an_empty_data_dir_is_not_the_current_folder(tmp_path):
    outcome = run_measured(command_with_sizes("helpers.data", "--data-dir", ""), cwd=tmp_path)
    assert outcome.status == 1 and "an empty name" in outcome.one_line_error()
    assert list(tmp_path.iterdir()) == []  # nothing created, nothing downloaded


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_an_unreadable_file_is_one_line(data_dir):
    (data_dir / CIFAR / "test_batch").chmod(0)
    outcome = run_measured(command_with_sizes("helpers.data", "--data-dir", str(data_dir)))
    assert outcome.status == 1 and "test_batch: Permission denied; give yourself read" in outcome.one_line_error()


def test_operating_system_errors_become_data_errors(data_dir, monkeypatch):
    """What a reader without read permission meets (root, who runs CI, cannot be refused)."""
    from helpers.data import DataAccessError, load_mnist

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(gzip, "open", refuse)
    with pytest.raises(DataAccessError, match="train-images-idx3-ubyte.gz: Permission denied; give yourself"):
        load_mnist("train", data_dir, download=False)
