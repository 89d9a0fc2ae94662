"""The numbers the original studies published, which the book reproduces under their protocols.

These are the only results typed by hand in the book, because they are quotations: each comes
from the README of the study named in its ``source``. The book's own numbers are always computed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    value: float
    unit: str  # "%" (test accuracy) or "relative error"
    source: str


CIFAR_STUDY = "the one-layer CIFAR-10 study's README"
MNIST_PROJECT = "the original MNIST project's README (5 epochs)"

# Chapter 3. The study gives a test accuracy for setting 2 only, of its four settings.
CIFAR_ONE_LAYER = {
    "setting 2 (eta 0.001, lambda 0)": Published(39.92, "%", CIFAR_STUDY),
    "best cross-entropy": Published(42.17, "%", CIFAR_STUDY),
    "best sigmoid + multiple binary cross-entropy": Published(41.06, "%", CIFAR_STUDY),
    "gradient check against autograd": Published(1e-15, "relative error", CIFAR_STUDY + ' ("around 1e-15")'),
}

# Chapter 4, one entry per stage.
MNIST_STAGES = {
    "1. Linear + MSE": Published(92.6, "%", MNIST_PROJECT),
    "2. Linear + CE": Published(92.1, "%", MNIST_PROJECT),
    "3. MLP + ReLU": Published(97.5, "%", MNIST_PROJECT),
    "4. + Dropout(0.5)": Published(97.3, "%", MNIST_PROJECT),
    "5. + BatchNorm": Published(97.7, "%", MNIST_PROJECT),
}
