"""How sharp the loss is, and how large a step SGD with Nesterov momentum can take there.

On a quadratic bowl whose steepest direction has curvature ``sharpness`` (the largest eigenvalue
of the Hessian), the update of :func:`~helpers.ch01_regression_argmax.net.nesterov_step` converges exactly
when ``lr * sharpness < (2 + 2 * momentum) / (1 + 2 * momentum)``: 2 without momentum, 1.5 at
momentum 0.5, about 1.36 at 0.9. Near a minimum every smooth loss looks like such a bowl.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.func import functional_call

from .data import ThreeClasses
from .net import PARAM_NAMES, make_model


def sharpness(state: dict[str, torch.Tensor], data: ThreeClasses, hidden: int = 8) -> float:
    """The largest eigenvalue of the Hessian of the MSE at ``state``, in float64."""
    model = make_model(hidden).double()
    shapes = [state[name].shape for name in PARAM_NAMES]
    sizes = [int(np.prod(shape)) for shape in shapes]
    x, targets = data.x.double(), data.one_hot().double()

    def loss(theta):
        parts = torch.split(theta, sizes)
        params = {name: p.reshape(shape) for name, p, shape in zip(PARAM_NAMES, parts, shapes)}
        return torch.nn.functional.mse_loss(functional_call(model, params, (x,)), targets)

    theta = torch.cat([state[name].reshape(-1) for name in PARAM_NAMES]).double()
    return float(torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, theta)).max())


def stable_lr_limit(momentum: float, sharpness: float) -> float:
    """The largest learning rate at which Nesterov SGD converges on a bowl of this sharpness."""
    return (2 + 2 * momentum) / ((1 + 2 * momentum) * sharpness)
