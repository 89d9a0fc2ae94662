"""The exact optimum of a linear model under MSE on one-hot targets: ordinary least squares."""

from __future__ import annotations

import torch

from ..softmax import one_hot
from .models import N_CLASSES


def least_squares(
    x: torch.Tensor,
    y: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights ``(10, d)`` and biases ``(10,)`` that minimise
    ``mean((x W^T + b - onehot(y))^2)`` over the training set.

    Solved in float64, with a column of ones for the bias: the lowest
    training MSE any linear model can reach, whatever its optimiser. The
    normal equations ``(X^T X) w = X^T Y`` are solved for their minimum-norm
    solution (``gelsd``), which is ``X``'s own least-squares solution even
    though pixels that are 0 in every image make ``X^T X`` singular; forming
    the small ``(d+1) x (d+1)`` system first is three times faster than
    factorising ``X``.
    """
    ones = torch.ones(len(x), 1, dtype=torch.float64)
    design = torch.cat([x.double(), ones], dim=1)
    targets = one_hot(y, N_CLASSES, torch.float64)
    gram, moments = design.T @ design, design.T @ targets
    solution = torch.linalg.lstsq(gram, moments, driver="gelsd").solution
    return solution[:-1].T.float(), solution[-1].float()
