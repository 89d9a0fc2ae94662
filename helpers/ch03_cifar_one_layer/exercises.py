"""Chapter 3's self-checking exercises: the gradients of sigmoid + multiple binary cross-entropy,
and the horizontal flip of a flattened CIFAR-10 image.

The reference answers carry the names the chapter's answer cells use: ``solution()`` shows their
source as the student's own cell would read.
"""

from __future__ import annotations

import numpy as np

from ..exercises import Case, Exercise, scaled


def my_mbce_gradients(X, W, b, Y):
    """``(dJ/dW, dJ/db)`` of the mean over the examples of the multiple binary
    cross-entropy ``l = -(1/K) sum_k [y_k log p_k + (1 - y_k) log(1 - p_k)]``,
    with ``p = sigmoid(X W^T + b)``."""
    n, K = Y.shape
    P = 1 / (1 + np.exp(-(X @ W.T + b)))
    dS = (P - Y) / K / n  # K yes/no questions: a mean over K, then over n
    return dS.T @ X, dS.sum(axis=0)


def my_flip(X):
    """Each flattened channel-first image ``(N, 3072)``, mirrored."""
    images = X.reshape(len(X), 3, 32, 32)  # (image, channel, row, column)
    return images[:, :, :, ::-1].reshape(len(X), 3 * 32 * 32)


def _mbce_cases():
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(3, 2)), np.array([0.5, -1.0, 0.25])
    return [
        Case(
            "one example with 2 features and 3 classes",
            (rng.normal(size=(1, 2)), W, b, np.eye(3)[[2]]),
            "each class is its own yes/no question: dl/ds_k = (sigmoid(s_k) - y_k) / K, "
            "with a sigmoid, not a softmax, and the 1/K of the mean over classes",
        ),
        Case(
            "a batch of 4 examples",
            (rng.normal(size=(4, 2)), W, b, np.eye(3)[[0, 2, 1, 1]]),
            "the loss is the mean over the n examples: divide by n as well as by K",
        ),
    ]


def _flip_cases():
    numbered = np.arange(3072, dtype=np.float64)[None]
    return [
        Case(
            "one image whose values are numbered 0 to 3071",
            (numbered,),
            "mirroring left to right reverses the order of the columns only, the last axis of "
            "(N, 3, 32, 32) = (image, channel, row, column); rows and channels keep theirs",
        ),
        Case(
            "a batch of 2 random images",
            (np.random.default_rng(4).normal(size=(2, 3072)),),
            "flip each image on its own: keep the first axis, the images, as it is",
        ),
    ]


def _softmax_in_place_of_sigmoid(X, W, b, Y):
    S = X @ W.T + b
    P = np.exp(S - S.max(axis=1, keepdims=True))
    dS = (P / P.sum(axis=1, keepdims=True) - Y) / Y.shape[1] / len(X)
    return dS.T @ X, dS.sum(axis=0)


def _upside_down(X):
    return X.reshape(len(X), 3, 32, 32)[:, :, ::-1, :].reshape(len(X), -1)


def _reversed_vector(X):
    return X[:, ::-1]


mbce_gradients = Exercise(
    name="mbce_gradients",
    reference=my_mbce_gradients,
    verified="gives dJ/dW and dJ/db of the mean multiple binary cross-entropy",
    hint_text=(
        "each score gets the gradient of its own binary cross-entropy, sigmoid(s) - y, averaged "
        "over the K classes and the n examples; then carry it through S = X W^T + b"
    ),
    cases=_mbce_cases,
    returns=("dW", "db"),
    mistakes={
        "a softmax in place of the sigmoids": (_softmax_in_place_of_sigmoid, "not a softmax"),
        "no 1/K": (scaled(my_mbce_gradients, lambda X, W, b, Y: Y.shape[1]), "1/K"),
        "a sum over the examples": (scaled(my_mbce_gradients, lambda X, *rest: len(X)), "mean over the n examples"),
    },
)

horizontal_flip = Exercise(
    name="horizontal_flip",
    reference=my_flip,
    verified="mirrors every image left to right, each channel on its own",
    hint_text=(
        "view the batch as (N, 3, 32, 32), that is (image, channel, row, column): which axis runs from left to right?"
    ),
    cases=_flip_cases,
    mistakes={
        "an upside-down flip": (_upside_down, "the columns only"),
        "the whole vector reversed": (_reversed_vector, "the columns only"),
    },
)
