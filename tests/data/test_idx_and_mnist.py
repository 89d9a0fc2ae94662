"""The idx reader and the MNIST loader on small files in the official format."""

import gzip

import numpy as np
import pytest
from data_files import use_sizes, write_idx

from helpers.data import DataFormatError, load_mnist
from helpers.data.idx import read_idx


def test_mnist_loader_returns_the_arrays_written(data_dir, monkeypatch):
    use_sizes(monkeypatch.setitem, mnist_train=20, mnist_test=3, cifar_batch=10)
    images = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    write_idx(data_dir / "mnist/t10k-images-idx3-ubyte.gz", images)
    write_idx(data_dir / "mnist/t10k-labels-idx1-ubyte.gz", [7, 0, 9])

    test = load_mnist("test", data_dir, download=False)

    assert test.images.dtype == np.uint8 and test.images.shape == (3, 28, 28)
    np.testing.assert_array_equal(test.images, images)
    assert test.labels.dtype == np.int64
    assert test.labels.tolist() == [7, 0, 9]
    assert test.classes == tuple("0123456789")
    assert test.class_counts().tolist() == [1, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert test.images.flags.writeable


def test_multibyte_idx_types_are_read_big_endian(tmp_path):
    path = tmp_path / "ints.idx"
    path.write_bytes(
        bytes([0, 0, 0x0C, 1]) + (2).to_bytes(4, "big") + (1).to_bytes(4, "big") + (258).to_bytes(4, "big")
    )
    assert read_idx(path).tolist() == [1, 258]


def test_truncated_gzip_stream_is_an_error(data_dir):
    path = data_dir / "mnist/train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(DataFormatError, match="truncated"):
        load_mnist("train", data_dir, download=False)


def test_idx_with_fewer_bytes_than_its_header_promises_is_an_error(data_dir):
    path = data_dir / "mnist/train-images-idx3-ubyte.gz"
    content = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(content[:-28]))
    with pytest.raises(DataFormatError, match=r"shape \(20, 28, 28\).*truncated"):
        load_mnist("train", data_dir, download=False)


def test_label_file_with_wrong_magic_is_an_error(data_dir):
    write_idx(data_dir / "mnist/train-labels-idx1-ubyte.gz", np.arange(20) % 10, magic=0x0803)
    with pytest.raises(DataFormatError, match="magic number 0x00000803, expected 0x00000801"):
        load_mnist("train", data_dir, download=False)


def test_file_that_is_not_idx_at_all_is_an_error(data_dir):
    (data_dir / "mnist/train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"<html>404</html>"))
    with pytest.raises(DataFormatError, match="not an idx header"):
        load_mnist("train", data_dir, download=False)


def test_file_that_is_not_gzip_is_an_error(data_dir):
    (data_dir / "mnist/train-labels-idx1-ubyte.gz").write_bytes(b"plain text, not gzip")
    with pytest.raises(DataFormatError, match="corrupt gzip"):
        load_mnist("train", data_dir, download=False)


def test_label_out_of_range_is_an_error(data_dir):
    write_idx(data_dir / "mnist/train-labels-idx1-ubyte.gz", [10] + [0] * 19)
    with pytest.raises(DataFormatError, match="labels range 0..10, expected 0..9"):
        load_mnist("train", data_dir, download=False)


def test_images_and_labels_of_different_lengths_are_an_error(data_dir):
    write_idx(data_dir / "mnist/train-labels-idx1-ubyte.gz", np.zeros(19))
    with pytest.raises(DataFormatError, match=r"shape \(19,\), but the file must hold \(20,\)"):
        load_mnist("train", data_dir, download=False)


def test_images_of_the_wrong_size_are_an_error(data_dir):
    write_idx(data_dir / "mnist/train-images-idx3-ubyte.gz", np.zeros((20, 32, 32)))
    with pytest.raises(DataFormatError, match=r"shape \(20, 32, 32\), but the file must hold \(20, 28, 28\)"):
        load_mnist("train", data_dir, download=False)


def test_unknown_split_is_refused(data_dir):
    with pytest.raises(ValueError, match="split must be one of"):
        load_mnist("validation", data_dir, download=False)
