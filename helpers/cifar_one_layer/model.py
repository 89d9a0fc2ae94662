"""The one-layer network ``s = W x + b`` and its two losses, with hand-written gradients.

Both costs add an L2 penalty ``lam * ||W||^2`` (not on ``b``) to the mean loss over the batch:

- softmax + cross-entropy: ``l = -log softmax(s)_y``; ``dl/ds = softmax(s) - y``;
- sigmoid + multiple binary cross-entropy (each class its own yes/no question):
  ``l = -(1/K) sum_k [y_k log p_k + (1 - y_k) log(1 - p_k)]``, ``p = sigmoid(s)``;
  ``dl/ds = (p - y) / K``.

Then ``dJ/dW = (dl/ds)^T X / n + 2 lam W`` and ``dJ/db = mean(dl/ds)``. Everything works in the
dtype of its inputs (float64 for gradient checks).
"""

from __future__ import annotations

import numpy as np

from ..softmax import (
    CROSS_ENTROPY,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
    sigmoid,
    softmax,
)
from .data import N_FEATURES

N_CLASSES = 10
LOSSES = (CROSS_ENTROPY, "mbce")


def init_params(seed: int = 0, std: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """``W`` ``(10, 3072)`` and then ``b`` ``(10,)`` from N(0, std^2), float64: the DD2424
    assignment's initialisation ("Initialize each entry to have Gaussian random values with zero
    mean and standard deviation .01"), for both. ``std=0`` starts from zero."""
    rng = np.random.default_rng(seed)
    W = std * rng.standard_normal((N_CLASSES, N_FEATURES))
    return W, std * rng.standard_normal(N_CLASSES)


def probabilities(W, b, X, loss: str) -> np.ndarray:
    """What the network outputs under its own nonlinearity: softmax for cross-entropy, sigmoid for ``mbce``."""
    scores = X @ W.T + b
    return softmax(scores) if loss == CROSS_ENTROPY else sigmoid(scores)


def loss_and_cost(W, b, X, labels, lam: float, loss: str) -> tuple[float, float]:
    """The mean loss over the examples, and the cost: loss + ``lam * ||W||^2``."""
    return loss_and_cost_from_scores(X @ W.T + b, W, labels, lam, loss)


def loss_and_cost_from_scores(scores, W, labels, lam: float, loss: str) -> tuple[float, float]:
    Y = one_hot(labels, N_CLASSES, scores.dtype)  # no silent upcast
    if loss == CROSS_ENTROPY:
        mean_loss = cross_entropy(scores, Y).mean()
    else:
        mean_loss = binary_cross_entropy(scores, Y).mean()  # mean over examples and the K classes
    return float(mean_loss), float(mean_loss + lam * np.sum(W * W))


def d_scores_of(scores, Y, loss: str) -> np.ndarray:
    """``dl/ds`` for each example: ``softmax(s) - y`` for cross-entropy,
    ``(sigmoid(s) - y) / K`` for ``mbce``."""
    if loss == CROSS_ENTROPY:
        return cross_entropy_grad(scores, Y)
    return binary_cross_entropy_grad(scores, Y) / N_CLASSES


def gradients(
    W,
    b,
    X,
    labels,
    lam: float,
    loss: str,
) -> tuple[np.ndarray, np.ndarray]:
    """``(dJ/dW, dJ/db)`` of the cost, written out."""
    # one-hot labels in the inputs' dtype: no silent upcast to float64
    scores, Y = X @ W.T + b, one_hot(labels, N_CLASSES, X.dtype)
    d_scores = d_scores_of(scores, Y, loss)
    return d_scores.T @ X / len(X) + 2 * lam * W, d_scores.mean(axis=0)


def accuracy(W, b, X, labels) -> float:
    return float(np.mean((X @ W.T + b).argmax(axis=1) == labels))


def winning_confidence(W, b, X, loss: str) -> np.ndarray:
    """For each example, the output of the class the network picks, under its own nonlinearity."""
    return probabilities(W, b, X, loss).max(axis=1)


def roughness(W) -> float:
    """How far each template is from smooth: the mean squared difference between neighbouring
    pixels of a channel (across and down), over twice the template's variance, averaged over the
    classes. About 1 for independent noise, near 0 for a template that changes slowly."""
    T = np.asarray(W, dtype=np.float64).reshape(len(W), 3, 32, 32)
    across = (np.diff(T, axis=3) ** 2).mean(axis=(1, 2, 3))
    down = (np.diff(T, axis=2) ** 2).mean(axis=(1, 2, 3))
    return float(np.mean((across + down) / 2 / (2 * T.var(axis=(1, 2, 3)))))


def mirror_symmetry(W) -> float:
    """How alike each template is to its left-right mirror image: the mean over the classes of
    the correlation between the two (1 for a perfectly symmetric template)."""
    from .data import flip_horizontal

    return float(np.mean([np.corrcoef(w, m)[0, 1] for w, m in zip(W, flip_horizontal(W))]))


def calibration_error(confidence, correct, bins=10):
    """Expected calibration error: in each bin of confidence, the gap
    between the mean confidence and the accuracy, weighted by the bin's share
    of the images."""
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap = abs(correct[inside].mean() - confidence[inside].mean())
            error += inside.mean() * gap
    return float(error)
