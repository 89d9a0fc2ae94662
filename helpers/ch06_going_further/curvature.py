"""How sharp a loss is, how large a step gradient descent with momentum can take, and spikes.

On a quadratic bowl whose steepest direction has curvature ``sharpness`` (the largest eigenvalue
of the Hessian), the update of chapter 1 (that is,
``torch.optim.SGD(nesterov=True)``) converges exactly when
``lr * sharpness < (2 + 2 * momentum) / (1 + 2 * momentum)``: 2 without momentum, 1.5 at
momentum 0.5, about 1.36 at 0.9. Heavy-ball momentum (``nesterov=False``) converges when
``lr * sharpness < 2 + 2 * momentum`` instead. The going-further page derives both from the
2x2 matrix of one step on ``f(w) = sharpness * w**2 / 2``.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch.func import functional_call


def hessian_sharpness(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """The largest eigenvalue of the Hessian of the MSE of ``model`` at its weights, in float64."""
    model64 = copy.deepcopy(model).double()
    names, params = zip(*((name, p.detach()) for name, p in model64.named_parameters()))
    shapes, sizes = [p.shape for p in params], [p.numel() for p in params]
    x, y = inputs.double(), targets.double()

    def loss(theta):
        parts = {name: p.reshape(shape) for name, p, shape in zip(names, theta.split(sizes), shapes)}
        return torch.nn.functional.mse_loss(functional_call(model64, parts, (x,)), y)

    theta = torch.cat([p.reshape(-1) for p in params])
    hessian = torch.autograd.functional.hessian(loss, theta).numpy()
    if not np.isfinite(hessian).all():
        return float("nan")
    return float(np.linalg.eigvalsh((hessian + hessian.T) / 2).max())


def fit_measuring_sharpness(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    epochs: int,
    lr: float,
    momentum: float,
    every: int = 10,
) -> tuple[list[float], np.ndarray, np.ndarray]:
    """Train as :func:`~helpers.tiny_net.fit` does with the MSE (the
    same steps, so the same losses) and measure the sharpness every ``every`` epochs.

    Returns the loss of every epoch, the epochs measured (0, every, ..., epochs) and the
    sharpness at the weights with which each of those epochs starts (epoch ``epochs``: the end).
    """
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, nesterov=momentum > 0)
    losses, measured, values = [], [], []
    for epoch in range(epochs + 1):
        if epoch % every == 0 or epoch == epochs:
            measured.append(epoch)
            values.append(hessian_sharpness(model, inputs, targets))
        if epoch == epochs:
            break
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, np.array(measured), np.array(values)


def stable_lr_limit(momentum: float, sharpness: float) -> float:
    """The largest learning rate at which Nesterov momentum converges on a bowl of this sharpness."""
    return (2 + 2 * momentum) / ((1 + 2 * momentum) * sharpness)


def spike_starts(losses, after: int = 100, factor: float = 2.0) -> list[int]:
    """The epochs ``t >= after`` at which the loss climbs past ``factor`` times its lowest value so
    far (the start of each spike; a loss that overflowed counts as far above)."""
    losses = np.nan_to_num(np.asarray(losses, dtype=np.float64), nan=np.inf)
    high = losses > factor * np.minimum.accumulate(losses)
    return [t for t in range(after, len(losses)) if high[t] and not high[t - 1]]


def around_spikes(starts, epochs, values, window: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """For each spike start ``t``: the largest of ``values`` measured at ``epochs`` in
    ``(t - window, t]``, and the smallest in ``(t, t + window]`` (NaN where none is finite)."""
    epochs, values = np.asarray(epochs), np.asarray(values, dtype=np.float64)
    before, after = [], []
    for t in starts:
        ahead = values[(epochs > t - window) & (epochs <= t)]
        behind = values[(epochs > t) & (epochs <= t + window)]
        before.append(np.nanmax(ahead) if np.isfinite(ahead).any() else np.nan)
        after.append(np.nanmin(behind) if np.isfinite(behind).any() else np.nan)
    return np.array(before), np.array(after)


def largest_rise(losses, after: int = 100) -> float:
    """How far the loss ever climbs back up: the largest ``loss[t] / min(loss[:t])`` for ``t >= after``.

    1 for a loss that only falls; a spike of the loss shows as a large factor; a loss that stopped
    being a finite number as ``inf``. The first ``after`` epochs are left out, where momentum's
    early oscillation is expected.
    """
    losses = np.asarray(losses, dtype=np.float64)
    if not np.isfinite(losses).all():
        return float("inf")
    lowest_before = np.minimum.accumulate(losses)[after - 1 : -1]
    return float((losses[after:] / lowest_before).max())


def spike_summary(losses, after: int = 100, recent: int = 200) -> tuple[str, str]:
    """Two phrases for the text about a run whose loss may spike: how far it climbed back up
    (:func:`largest_rise`), and where it stopped. It stopped mid-spike if its last loss is more
    than twice the lowest of its last ``recent`` epochs."""
    rise = largest_rise(losses, after)
    if not np.isfinite(rise):
        return "so far that the numbers overflow", "ended after the numbers overflowed"
    losses = np.asarray(losses, dtype=np.float64)
    stopped = (
        "stopped in the middle of a spike"
        if losses[-1] > 2 * losses[-recent:].min()
        else ("happened to stop between spikes")
    )
    return f"by a factor of up to {rise:.0f}", stopped
