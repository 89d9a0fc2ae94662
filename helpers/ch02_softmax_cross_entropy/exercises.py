"""Chapter 2's self-checking exercises: a softmax that never overflows, and the gradients of
softmax regression with its bias.

The reference answers carry the names the chapter's answer cells use (``my_softmax``, ...):
``solution()`` shows their source as the student's own cell would read.
"""

from __future__ import annotations

import numpy as np

from ..exercises import Case, Exercise, scaled
from ..softmax import softmax


def my_softmax(logits):
    """The softmax of each row of ``logits`` ``(n, K)``, even huge ones."""
    # a shift leaves the softmax as it is; after this one, no exponent is > 0
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def my_gradients(X, W, b, Y):
    """``(dL/dW, dL/db)`` of softmax regression's mean cross-entropy, for
    inputs ``X`` ``(n, D)``, weights ``W`` ``(K, D)``, bias ``b`` ``(K,)`` and
    one-hot labels ``Y`` ``(n, K)``."""
    logits = X @ W.T + b  # one row o = W x + b per example
    G = (softmax(logits) - Y) / len(X)  # dL/dO: the loss is a mean over n
    return G.T @ X, G.sum(axis=0)


def _softmax_cases():
    return [
        Case(
            "one row of logits [[1, 2, 3]]",
            (np.array([[1.0, 2.0, 3.0]]),),
            "exponentiate each logit, then divide by the sum of its row's exponentials",
        ),
        Case(
            "two rows [[1, 2, 3], [0, 0, 0]]",
            (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),),
            "each row is one example: normalise each row by its own sum "
            "(axis=1, keepdims=True), not the whole array or the columns",
        ),
        Case(
            "logits [[1000, 1001, 1002]]",
            (np.array([[1000.0, 1001.0, 1002.0]]),),
            "exp(1000) overflows to inf; subtract each row's largest logit first "
            "(a shift leaves the softmax unchanged)",
        ),
        Case(
            "logits [[-1000, 0, 1000]]",
            (np.array([[-1000.0, 0.0, 1000.0]]),),
            "shift by the row's largest logit: after that shift no exponent is positive, so none overflows",
        ),
        Case(
            "two rows [[1000, 1001, 1002], [0, 0, 0]]",
            (np.array([[1000.0, 1001.0, 1002.0], [0.0, 0.0, 0.0]]),),
            "shift each row by its own largest logit (axis=1, keepdims=True): one shift for the whole "
            "array leaves the small row's exponentials all 0",
        ),
    ]


def _gradient_cases():
    rng = np.random.default_rng(2)
    W, b = rng.normal(size=(3, 2)), np.array([0.5, -1.0, 0.25])

    def labels(*classes):
        return np.eye(3)[list(classes)]

    return [
        Case(
            "one example with 2 features and 3 classes",
            (rng.normal(size=(1, 2)), W, b, labels(1)),
            "for one example, dL/dO = softmax(O) - Y; carry it to W through O = X W^T + b: "
            "dL/dW has W's shape (K, D), and the bias has a gradient too",
        ),
        Case(
            "a batch of 4 examples",
            (rng.normal(size=(4, 2)), W, b, labels(0, 2, 1, 1)),
            "the loss is the mean over the n examples: divide by n",
        ),
    ]


def _naive_softmax(logits):
    return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


def _whole_array_softmax(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum()


def _one_shift_for_all_rows(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum(axis=1, keepdims=True)


def _shift_by_smallest(logits):
    exps = np.exp(logits - logits.min(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def _no_bias_gradient(X, W, b, Y):
    dW, db = my_gradients(X, W, b, Y)
    return dW, np.zeros_like(db)


def _transposed(X, W, b, Y):
    dW, db = my_gradients(X, W, b, Y)
    return dW.T, db


stable_softmax = Exercise(
    name="stable_softmax",
    reference=my_softmax,
    verified="gives each row's softmax, for logits as large as 1000 and as far apart as 2000",
    hint_text=(
        "the softmax of a row does not change when one number is subtracted from all its logits: "
        "choose that number so that no exponent can overflow"
    ),
    cases=_softmax_cases,
    mistakes={
        "the textbook formula, which overflows": (_naive_softmax, "overflows"),
        "one sum over the whole array": (_whole_array_softmax, "normalise each row"),
        "a shift by the smallest logit": (_shift_by_smallest, "largest logit"),
        "one shift for the whole array": (_one_shift_for_all_rows, "its own largest logit"),
    },
)

softmax_regression_gradients = Exercise(
    name="softmax_regression_gradients",
    reference=my_gradients,
    verified="gives dL/dW and dL/db of the mean cross-entropy, with W's shape and the bias's",
    hint_text=(
        "start from the gradient at the logits, softmax(O) - Y, averaged over the batch; then carry "
        "it through O = X W^T + b to W and to b"
    ),
    cases=_gradient_cases,
    returns=("dW", "db"),
    mistakes={
        "no gradient for the bias": (_no_bias_gradient, "the bias has a gradient too"),
        "a transposed weight gradient": (_transposed, "W's shape"),
        "a sum where the mean belongs": (scaled(my_gradients, lambda X, *rest: len(X)), "mean over the n examples"),
    },
)
