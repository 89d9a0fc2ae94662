"""The tiny ``tanh`` network of chapter 1 and the one loop that trains any model with PyTorch.

Chapter 1 trains its classifier with this loop (and checks its own written-out training against
it), chapter 2 fits linear models on chapter 1's data with it, and the going-further page trains
a regression with it. The loop is the one every PyTorch program runs: predict, measure the loss,
backpropagate, update. (Chapters 3 and 4 train with loops of their own, in mini-batches.)
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def make_model(hidden: int = 8, init_seed: int = 0, n_outputs: int = 3) -> nn.Sequential:
    """``Linear(1, hidden) -> Tanh -> Linear(hidden, n_outputs)`` with PyTorch's default init."""
    with torch.random.fork_rng():  # seed the initialisation without touching the caller's RNG
        torch.manual_seed(init_seed)
        return nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, n_outputs))


def fit(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    epochs: int,
    lr: float,
    momentum: float = 0.0,
    nesterov: bool = True,
) -> list[float]:
    """Full-batch gradient descent with torch.optim.SGD; returns the
    loss of every epoch. With momentum > 0, Nesterov's momentum, or
    heavy-ball momentum if nesterov=False."""
    optimizer = torch.optim.SGD(
        model.parameters(),
        lr=lr,
        momentum=momentum,
        nesterov=nesterov and momentum > 0,
    )
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)  # predict, then measure
        loss.backward()  # backpropagate
        optimizer.step()  # update
        losses.append(loss.item())
    return losses
