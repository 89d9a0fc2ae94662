"""Softmax, cross-entropy, sigmoid and binary cross-entropy, written out in numpy (chapter 2).

Every function is numerically safe for logits of any size (tested at +-1000): exponentials are
only ever taken of numbers <= 0, and logarithms of probabilities are computed from the logits
(log-sum-exp) rather than from rounded probabilities. Leading axes are batch axes; classes lie
along the last axis.
"""

from __future__ import annotations

import numpy as np

#: The name of the softmax + cross-entropy loss wherever a trainer or chapter names a loss.
CROSS_ENTROPY = "crossentropy"


def one_hot(labels, n_classes: int, dtype=None):
    """Integer labels ``(N,)`` as one-hot rows ``(N, n_classes)``: 1 in the label's column.

    The one definition every chapter uses. numpy labels give a numpy array (float64 unless
    ``dtype`` says otherwise); a torch tensor of labels gives a tensor (float32 by default).
    """
    if hasattr(labels, "new_zeros"):  # a torch tensor (torch is imported only by who has one)
        import torch

        return torch.nn.functional.one_hot(labels, n_classes).to(dtype or torch.float32)
    return np.eye(n_classes, dtype=dtype or np.float64)[np.asarray(labels)]


def logsumexp(o: np.ndarray) -> np.ndarray:
    """``log(sum(exp(o)))`` over the last axis, computed as ``max + log(sum(exp(o - max)))``."""
    top = o.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(o - top).sum(axis=-1, keepdims=True)))[..., 0]


def softmax(o: np.ndarray) -> np.ndarray:
    """``exp(o) / sum(exp(o))`` over the last axis, after subtracting the
    max (which changes nothing but keeps ``exp`` from overflowing)."""
    e = np.exp(o - o.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(o: np.ndarray) -> np.ndarray:
    """``log(softmax(o))`` without ever taking the log of a rounded-to-zero probability."""
    return o - logsumexp(o)[..., None]


def cross_entropy(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-example cross-entropy ``-sum_j y_j log softmax(o)_j`` for one-hot or soft labels ``y``.

    For one-hot ``y`` this is ``logsumexp(o) - o_true``.
    """
    return -(y * log_softmax(o)).sum(axis=-1)


def cross_entropy_grad(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of :func:`cross_entropy` with respect to the logits:
    ``softmax(o) - y``.

    (For labels that sum to 1, as probabilities do.)
    """
    return softmax(o) - y


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))``, taking ``exp`` only of ``-|z|``."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def binary_cross_entropy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-example ``-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]`` from the logit ``z``.

    Written as ``max(z, 0) - z y + log(1 + exp(-|z|))``: the same quantity, with no overflow and
    no ``log(0)``.
    """
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def binary_cross_entropy_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of :func:`binary_cross_entropy` with respect to ``z``: ``sigmoid(z) - y``."""
    return sigmoid(z) - y


def entropy(p: np.ndarray, base: float = np.e) -> np.ndarray:
    """``H[P] = -sum p log p`` over the last axis (terms with ``p = 0`` contribute 0)."""
    p = np.asarray(p, dtype=float)
    terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1)), 0.0)
    return terms.sum(axis=-1) / np.log(base)


def kl_divergence(p: np.ndarray, q: np.ndarray, base: float = np.e) -> np.ndarray:
    """``KL(P || Q) = sum p log(p / q)`` over the last axis."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    safe = np.where(p > 0, p, 1)
    return np.where(p > 0, p * (np.log(safe) - np.log(np.where(p > 0, q, 1))), 0.0).sum(axis=-1) / np.log(base)
