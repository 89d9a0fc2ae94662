"""Checks of chapter 3's hand-written gradients: against PyTorch autograd, and against finite differences
(with ``helpers.gradcheck``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from ..cifar_one_layer.model import LOSSES, N_CLASSES, gradients, loss_and_cost
from ..gradcheck import elementwise_relative_errors, numeric_gradient, relative_error


def autograd_gradients(W, b, X, labels, lam: float, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """The same cost built from PyTorch's own loss functions, differentiated by autograd (float64)."""
    Wt = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    scores = torch.from_numpy(X).double() @ Wt.T + bt
    targets = torch.from_numpy(labels)
    if loss == "crossentropy":
        mean_loss = torch.nn.functional.cross_entropy(scores, targets)
    else:
        # PyTorch's own one-hot, like its own losses: the reference owes nothing to helpers
        one_hot = torch.nn.functional.one_hot(targets, N_CLASSES).double()
        mean_loss = torch.nn.functional.binary_cross_entropy_with_logits(scores, one_hot)
    (mean_loss + lam * (Wt * Wt).sum()).backward()
    return Wt.grad.numpy(), bt.grad.numpy()


def numeric_gradients(W, b, X, labels, lam: float, loss: str, weights, h: float = 1e-6):
    """Centred differences of the cost for the listed ``(class, feature)`` weights and every bias."""

    def cost(W_, b_):
        return loss_and_cost(W_, b_, X, labels, lam, loss)[1]

    return (numeric_gradient(lambda W_: cost(W_, b), W, weights, h), numeric_gradient(lambda b_: cost(W, b_), b, h=h))


class GradientErrors(NamedTuple):
    """How far the hand-written gradients are from the references, for one loss and penalty."""

    vs_autograd: float  # largest difference relative to the largest entry (helpers.gradcheck.relative_error)
    vs_numeric: float  # largest absolute difference from centred finite differences (sampled weights, biases)
    elementwise: float  # largest entry-by-entry relative difference from autograd
    elementwise_median: float  # the median entry's
    worst_entry_size: float  # the size of the entry where the largest occurs, over the largest entry's


def elementwise(ours: list[np.ndarray], reference: list[np.ndarray]) -> tuple[float, float, float]:
    """Largest and median entry-by-entry relative difference over all the arrays, and the size of
    the entry with the largest, relative to the largest entry."""
    ratios = np.concatenate([elementwise_relative_errors(a, b).ravel() for a, b in zip(ours, reference)])
    values = np.concatenate([a.ravel() for a in ours])
    worst = ratios.argmax()
    return float(ratios[worst]), float(np.median(ratios)), float(abs(values[worst]) / np.abs(values).max())


def gradient_errors(W, b, X, labels, weights, lams=(0.0, 0.1)) -> dict[tuple[str, float], GradientErrors]:
    """For each loss and penalty, how far :func:`~.model.gradients` is from the two references,
    ``{(loss, lam): GradientErrors}``; the chapter and the seed sweep both run it."""
    errors = {}
    for loss in LOSSES:
        for lam in lams:
            grad_W, grad_b = gradients(W, b, X, labels, lam, loss)
            auto_W, auto_b = autograd_gradients(W, b, X, labels, lam, loss)
            numeric_W, numeric_b = numeric_gradients(W, b, X, labels, lam, loss, weights)
            vs_autograd = max(relative_error(grad_W, auto_W), relative_error(grad_b, auto_b))
            sampled = np.array([grad_W[i] for i in weights])
            vs_numeric = max(np.abs(sampled - numeric_W).max(), np.abs(grad_b - numeric_b).max())
            errors[(loss, lam)] = GradientErrors(
                float(vs_autograd), float(vs_numeric), *elementwise([grad_W, grad_b], [auto_W, auto_b])
            )
    return errors
