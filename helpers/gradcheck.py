"""Checking a hand-written gradient: how far apart two gradients are, and centred finite differences.

Chapter 2 checks the gradient of the cross-entropy with these, chapter 3 the gradients of its
one-layer network (``helpers.ch03_cifar_one_layer.gradcheck``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest difference relative to the largest entry: ``max |a - b| / max(max |a|, max |b|)``.

    Not elementwise: a gradient entry that is zero up to rounding (1e-16 against entries of 0.1)
    would make an elementwise ratio as large as it likes while both gradients agree to the last bit.
    """
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-300))


def elementwise_relative_errors(a: np.ndarray, b: np.ndarray, eps: float = 1e-10) -> np.ndarray:
    """Entry by entry, ``|a_i - b_i| / max(eps, |a_i| + |b_i|)``.

    The measure gradient checks commonly report (a course's check, and its students'), as its
    largest entry. Where an entry is tiny against the others (a sum whose terms nearly cancel),
    its ratio can be large though the two gradients agree to the last bit of the larger entries:
    the book reports its largest value beside :func:`relative_error`, labelled, with the size of the
    entry where it occurs. ``eps`` keeps an entry that is zero in both from dividing by zero.
    """
    return np.abs(a - b) / np.maximum(eps, np.abs(a) + np.abs(b))


def numeric_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, indices: Iterable | None = None, h: float = 1e-6
) -> np.ndarray:
    """Centred differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` of the scalar function ``f`` at ``x``.

    For every entry of ``x`` (an array of ``x``'s shape), or for the entries listed in ``indices``
    (a 1-D array in that order): checking a subset keeps the check cheap for large weight matrices.
    """
    chosen = list(np.ndindex(x.shape)) if indices is None else list(indices)
    grad = np.empty(len(chosen))
    for i, index in enumerate(chosen):
        step = np.zeros_like(x)
        step[index] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad.reshape(x.shape) if indices is None else grad
