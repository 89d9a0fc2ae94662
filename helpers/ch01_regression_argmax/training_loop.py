"""Chapter 1's one training process: predict, measure the loss, backpropagate, update.

The chapter drives a regression and a classification through this same loop: they differ only
in the model's output, its activation and the loss passed in. (Chapters 3 and 4 train with
loops of their own: hand-written gradients in mini-batches, and Adam in mini-batches.)
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def fit(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    epochs: int,
    lr: float,
    momentum: float = 0.0,
) -> list[float]:
    """Full-batch gradient descent with ``torch.optim.SGD`` (Nesterov momentum
    when ``momentum > 0``); returns the loss of every epoch."""
    optimizer = torch.optim.SGD(
        model.parameters(),
        lr=lr,
        momentum=momentum,
        nesterov=momentum > 0,
    )
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)  # predict, then measure
        loss.backward()  # backpropagate
        optimizer.step()  # update
        losses.append(loss.item())
    return losses
