"""The CIFAR-10 loader on small files in the official format (hostile files: test_hostile_files.py)."""

import pickle

import numpy as np
import pytest
from data_files import CIFAR_NAMES, use_sizes, write_batch

from helpers.data import DataFormatError, load_cifar10, load_cifar10_batches

BATCHES = "cifar-10/cifar-10-batches-py"


class WritesMarker:
    """Pickles to a call of ``exec`` that creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_batch_pixels_come_back_channels_first(data_dir, monkeypatch, protocol):
    use_sizes(monkeypatch.setitem, 20, 10, cifar_batch=2)
    data = np.arange(2 * 3072, dtype=np.uint64).astype(np.uint8).reshape(2, 3072)
    write_batch(data_dir / BATCHES / "data_batch_1", data, [4, 9], protocol=protocol)

    batch = load_cifar10_batches(["data_batch_1"], data_dir, download=False)

    assert batch.images.shape == (2, 3, 32, 32) and batch.images.dtype == np.uint8
    # the official layout: 1024 red values, then 1024 green, then 1024 blue, each row-major
    channel, row, col = 1, 5, 7
    assert batch.images[1, channel, row, col] == data[1, channel * 1024 + row * 32 + col]
    assert batch.labels.tolist() == [4, 9] and batch.labels.dtype == np.int64
    assert batch.classes == tuple(name.decode() for name in CIFAR_NAMES)


def test_numpy_integer_labels_are_accepted(data_dir, monkeypatch):
    use_sizes(monkeypatch.setitem, 20, 10, cifar_batch=2)
    path = data_dir / BATCHES / "test_batch"
    with open(path, "wb") as stream:
        pickle.dump({b"data": np.zeros((2, 3072), np.uint8), b"labels": list(np.array([1, 2]))}, stream)
    assert load_cifar10("test", data_dir, download=False).labels.tolist() == [1, 2]


def test_splits_concatenate_their_batches(data_dir):
    train, test = load_cifar10("train", data_dir, download=False), load_cifar10("test", data_dir, download=False)
    assert (len(train), len(test)) == (50, 10)
    assert train.class_counts().sum() == 50


def test_truncated_batch_is_an_error(data_dir):
    path = data_dir / BATCHES / "test_batch"
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DataFormatError, match="test_batch.*truncated"):
        load_cifar10("test", data_dir, download=False)


def test_batch_with_wrong_pixel_count_is_an_error(data_dir):
    write_batch(data_dir / BATCHES / "test_batch", np.zeros((10, 1024), np.uint8), range(10))
    with pytest.raises(DataFormatError, match=r"data is uint8 \(10, 1024\), expected uint8 \(10, 3072\)"):
        load_cifar10("test", data_dir, download=False)


def test_batch_with_label_out_of_range_is_an_error(data_dir, monkeypatch):
    use_sizes(monkeypatch.setitem, 20, 10, cifar_batch=2)
    write_batch(data_dir / BATCHES / "test_batch", np.zeros((2, 3072), np.uint8), [3, 12])
    with pytest.raises(DataFormatError, match="labels range 3..12"):
        load_cifar10("test", data_dir, download=False)


def test_batch_without_labels_is_an_error(data_dir):
    with open(data_dir / BATCHES / "test_batch", "wb") as stream:
        pickle.dump({b"data": np.zeros((10, 3072), np.uint8)}, stream, protocol=2)
    with pytest.raises(DataFormatError, match="no 'labels' entry"):
        load_cifar10("test", data_dir, download=False)


def test_crafted_pickle_is_refused_and_runs_nothing(data_dir, tmp_path):
    marker = tmp_path / "code-ran"
    payload = pickle.dumps({b"data": WritesMarker(marker), b"labels": []}, protocol=2)
    (data_dir / BATCHES / "data_batch_3").write_bytes(payload)

    with pytest.raises(DataFormatError, match=r"refused global '(__builtin__|builtins)'\.'exec'.*was run"):
        load_cifar10("train", data_dir, download=False)
    assert not marker.exists()

    pickle.loads(payload)  # the control: an ordinary unpickler does run the payload
    assert marker.exists()


def test_a_batch_of_the_wrong_size_is_refused(data_dir):
    write_batch(data_dir / BATCHES / "test_batch", np.zeros((9, 3072), np.uint8), range(9))
    with pytest.raises(DataFormatError, match=r"data is uint8 \(9, 3072\), expected uint8 \(10, 3072\)"):
        load_cifar10("test", data_dir, download=False)


def test_python3_protocol_2_bytes_are_read_including_the_empty_one(data_dir):
    # Python 3 writes bytes in protocol 2 as _codecs.encode(text, 'latin1'), and b'' as bytes()
    data = np.arange(10 * 3072).astype(np.uint8).reshape(10, 3072)
    record = {b"batch_label": b"", b"labels": list(range(10)), b"data": data, b"filenames": [b"", b"\xff"]}
    (data_dir / BATCHES / "test_batch").write_bytes(pickle.dumps(record, protocol=2))
    batch = load_cifar10("test", data_dir, download=False)
    np.testing.assert_array_equal(batch.images.reshape(10, 3072), data)
    assert batch.images.flags.writeable and batch.labels.tolist() == list(range(10))


def test_images_are_a_copy_that_survives_the_file(data_dir):
    batch = load_cifar10("test", data_dir, download=False)
    expected = batch.images.copy()
    write_batch(data_dir / BATCHES / "test_batch", np.zeros((10, 3072), np.uint8), range(10))
    np.testing.assert_array_equal(batch.images, expected)


def test_unknown_batch_name_is_refused(data_dir):
    with pytest.raises(ValueError, match="unknown CIFAR-10 batch names"):
        load_cifar10_batches(["data_batch_6"], data_dir, download=False)
