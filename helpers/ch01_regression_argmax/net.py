"""The tiny network (1 input -> tanh hidden layer -> 3 logits), its gradients and its update.

The network is an ordinary :class:`torch.nn.Sequential`: its initialisation is PyTorch's, and
checkpoints are plain state dicts. Training it is a different matter. A slider must retrain it
in a few milliseconds, and at this size (43 parameters, 300 points) every PyTorch operation
costs more in dispatch than in arithmetic. So training flattens each network's parameters into
a vector, stacks the vectors of many networks (one per learning rate and momentum of a slider
grid) into a numpy matrix ``(M, P)``, and trains them all at once with the gradient of the mean
squared error and the Nesterov update written out: a few batched matrix products per step.
The tests check that this reproduces autograd plus ``torch.optim.SGD(nesterov=True)``.
"""

from __future__ import annotations

import numpy as np
import torch

#: The parameters in :func:`helpers.tiny_net.make_model`'s ``state_dict``, in the order they are flattened.
PARAM_NAMES = ("0.weight", "0.bias", "2.weight", "2.bias")


def flatten(state: dict[str, torch.Tensor]) -> np.ndarray:
    """A state dict as one float32 parameter vector ``(P,)``."""
    return torch.cat([state[name].reshape(-1) for name in PARAM_NAMES]).numpy().astype(np.float32)


def unflatten(theta: np.ndarray, hidden: int, n_outputs: int = 3) -> list[np.ndarray]:
    """Views ``[W1 (M,H,1), b1 (M,H), W2 (M,K,H), b2 (M,K)]`` into stacked vectors ``(M, P)``."""
    m = len(theta)
    w1, b1, w2, b2 = np.split(theta, np.cumsum([hidden, hidden, n_outputs * hidden]), axis=1)
    return [w1.reshape(m, hidden, 1), b1, w2.reshape(m, n_outputs, hidden), b2]


def state_dict_of(theta: np.ndarray, index: int, hidden: int) -> dict[str, torch.Tensor]:
    """Network ``index`` of stacked vectors, as a state dict :func:`helpers.tiny_net.make_model` can load."""
    return {name: torch.from_numpy(p[index].copy()) for name, p in zip(PARAM_NAMES, unflatten(theta, hidden))}


def forward(theta: np.ndarray, hidden: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(M, N, K)`` and hidden activations ``(M, N, H)`` for inputs ``x`` ``(N, 1)``."""
    w1, b1, w2, b2 = unflatten(theta, hidden)
    activations = np.tanh(x @ w1.transpose(0, 2, 1) + b1[:, None, :])
    return activations @ w2.transpose(0, 2, 1) + b2[:, None, :], activations


def mse_gradient(theta, hidden, x, targets) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(M, N, K)`` and the gradient ``(M, P)`` of the MSE against ``targets`` ``(N, K)``.

    The loss is ``nn.functional.mse_loss``'s: the mean over all ``N * K`` squared differences.
    """
    _, _, w2, _ = unflatten(theta, hidden)
    logits, activations = forward(theta, hidden, x)
    d_logits = (logits - targets) * (2.0 / targets.size)
    d_pre = (d_logits @ w2) * (1 - activations * activations)  # back through Linear 2, then tanh
    grads = (d_pre.transpose(0, 2, 1) @ x, d_pre.sum(1), d_logits.transpose(0, 2, 1) @ activations, d_logits.sum(1))
    return logits, np.concatenate([g.reshape(len(theta), -1) for g in grads], axis=1)


def nesterov_step(theta, velocity, grad, lr: np.ndarray, momentum: np.ndarray) -> None:
    """One step of gradient descent with Nesterov momentum, as ``torch.optim.SGD(nesterov=True)`` takes it::

        v <- momentum * v + g          (v starts at 0, so the first v is g)
        w <- w - lr * (g + momentum * v)

    ``lr`` and ``momentum`` are ``(M, 1)``: one value per network. Updates in place.
    """
    velocity *= momentum
    velocity += grad
    theta -= lr * (grad + momentum * velocity)


def heavy_ball_step(theta, velocity, grad, lr: np.ndarray, momentum: np.ndarray) -> None:
    """One step of heavy-ball momentum, as ``torch.optim.SGD(nesterov=False)`` takes it::

        v <- momentum * v + g
        w <- w - lr * v

    The control beside :func:`nesterov_step` on the accuracy map. Updates in place.
    """
    velocity *= momentum
    velocity += grad
    theta -= lr * velocity
