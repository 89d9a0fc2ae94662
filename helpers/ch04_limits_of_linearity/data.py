"""MNIST as in-memory tensors, standardised once: every stage of chapter 4 trains on exactly these."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch

from ..data import load_mnist


@dataclass(frozen=True)
class MnistTensors:
    """``x_*``: float32 ``(N, 784)``, pixels scaled to 0..1 then standardised with the training set's
    mean and standard deviation (one number each); ``y_*``: int64 ``(N,)`` labels."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def load_tensors(data_dir: str | os.PathLike | None = None) -> MnistTensors:
    train, test = load_mnist("train", data_dir), load_mnist("test", data_dir)
    x_train = torch.from_numpy(train.images.reshape(len(train), -1)).float() / 255
    x_test = torch.from_numpy(test.images.reshape(len(test), -1)).float() / 255
    mean, std = x_train.mean(), x_train.std()
    return MnistTensors(
        (x_train - mean) / std, torch.from_numpy(train.labels), (x_test - mean) / std, torch.from_numpy(test.labels)
    )
