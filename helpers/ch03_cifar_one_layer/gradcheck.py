"""Checks of chapter 3's hand-written gradients: against PyTorch autograd, and against finite differences
(with ``helpers.gradcheck``)."""

from __future__ import annotations

import numpy as np
import torch

from ..gradcheck import numeric_gradient
from .model import N_CLASSES, loss_and_cost


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
