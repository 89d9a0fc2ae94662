"""Checks of the hand-written gradients: against PyTorch autograd, and against finite differences."""

from __future__ import annotations

import numpy as np
import torch

from .model import N_CLASSES, loss_and_cost


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest difference relative to the largest entry: ``max |a - b| / max(max |a|, max |b|)``.

    Not elementwise: a gradient entry that is zero up to rounding (1e-16 against entries of 0.1)
    would make an elementwise ratio as large as it likes while both gradients agree to the last bit.
    """
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-300))


def autograd_gradients(W, b, X, labels, lam: float, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """The same cost built from PyTorch's own loss functions, differentiated by autograd (float64)."""
    Wt = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    scores = torch.from_numpy(X).double() @ Wt.T + bt
    targets = torch.from_numpy(labels)
    if loss == "ce":
        mean_loss = torch.nn.functional.cross_entropy(scores, targets)
    else:
        one_hot = torch.nn.functional.one_hot(targets, N_CLASSES).double()
        mean_loss = torch.nn.functional.binary_cross_entropy_with_logits(scores, one_hot)
    (mean_loss + lam * (Wt * Wt).sum()).backward()
    return Wt.grad.numpy(), bt.grad.numpy()


def numeric_gradients(W, b, X, labels, lam: float, loss: str, weights, h: float = 1e-6):
    """Centred differences of the cost for the listed ``(class, feature)`` weights and every bias."""
    def cost(W_, b_):
        return loss_and_cost(W_, b_, X, labels, lam, loss)[1]

    grad_W = np.zeros(len(weights))
    for i, index in enumerate(weights):
        step = np.zeros_like(W)
        step[index] = h
        grad_W[i] = (cost(W + step, b) - cost(W - step, b)) / (2 * h)
    grad_b = np.array([(cost(W, b + h * e) - cost(W, b - h * e)) / (2 * h) for e in np.eye(len(b))])
    return grad_W, grad_b
