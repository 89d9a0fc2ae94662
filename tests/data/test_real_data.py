"""The loaders on the real datasets; runs when $LESSONS_DATA names them (as in CI)."""

import hashlib
import os

import numpy as np
import pytest

from helpers.data import load_cifar10, load_cifar10_batches, load_mnist
from helpers.data.download import MNIST_MD5
from helpers.data.locations import MNIST_SUBDIR

pytestmark = pytest.mark.skipif(
    not os.environ.get("LESSONS_DATA"), reason="set LESSONS_DATA to a folder with the real datasets"
)


def test_mnist_files_match_the_checksums_downloads_are_verified_with():
    folder = os.path.join(os.environ["LESSONS_DATA"], MNIST_SUBDIR)
    for name, expected in MNIST_MD5.items():
        with open(os.path.join(folder, name), "rb") as stream:
            assert hashlib.md5(stream.read()).hexdigest() == expected, name


def test_mnist_splits_have_the_published_sizes():
    train, test = load_mnist("train", download=False), load_mnist("test", download=False)
    assert train.images.shape == (60000, 28, 28) and test.images.shape == (10000, 28, 28)
    assert set(np.unique(train.labels)) == set(range(10))
    assert 0 < train.images.mean() < 255 and train.images.max() == 255


def test_cifar10_splits_have_the_published_sizes_and_statistics():
    train = load_cifar10("train", download=False)
    assert train.images.shape == (50000, 3, 32, 32) and len(load_cifar10("test", download=False)) == 10000
    assert train.class_counts().tolist() == [5000] * 10
    pixels = train.images.transpose(1, 0, 2, 3).reshape(3, -1) / 255.0
    # the per-channel mean and std published with CIFAR-10 (and used by torchvision recipes)
    np.testing.assert_allclose(pixels.mean(axis=1), [0.4914, 0.4822, 0.4465], atol=5e-4)
    np.testing.assert_allclose(pixels.std(axis=1), [0.2470, 0.2435, 0.2616], atol=5e-4)


def test_single_batches_are_the_parts_of_the_train_split():
    first = load_cifar10_batches(["data_batch_1"], download=False)
    assert len(first) == 10000
    np.testing.assert_array_equal(first.images[:5], load_cifar10("train", download=False).images[:5])
