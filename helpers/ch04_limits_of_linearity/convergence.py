"""How fast and how steadily a stage's training loss falls: the statistics by which the book tests
the original project's claim that batch normalisation gives "faster & more stable convergence".

Both read the loss of every training step (``StageResult.batch_losses``), which the training
loop has at no extra cost: one batch's loss is noisy, so speed is read from a running mean.
"""

from __future__ import annotations

import numpy as np

#: A training loss (cross-entropy, nats) that every cross-entropy stage reaches within the protocol's
#: five epochs; "faster" is the step at which a stage's running loss first gets there.
CONVERGED_LOSS = 0.1
WINDOW = 100  # steps in the running mean: about a quarter of an epoch of 422 steps


def steps_to_loss(batch_losses: list[float], level: float = CONVERGED_LOSS, window: int = WINDOW) -> int:
    """The first step (counted from 1) at which the mean loss of the last ``window`` steps is at most
    ``level``; one more than the number of steps if it never is."""
    losses = np.asarray(batch_losses, dtype=np.float64)
    if len(losses) < window:
        return len(losses) + 1
    running = np.convolve(losses, np.ones(window) / window, mode="valid")  # running[i]: steps i+1..i+window
    reached = np.flatnonzero(running <= level)
    return int(reached[0] + window) if len(reached) else len(losses) + 1


def fluctuation(batch_losses: list[float], steps: int) -> float:
    """How much the loss of the last ``steps`` steps (the last epoch) moves from step to step: the
    standard deviation of consecutive differences, in the loss's unit. (Not divided by the mean
    loss: that would count a lower loss as a less stable one.)"""
    last = np.asarray(batch_losses[-steps:], dtype=np.float64)
    return float(np.std(np.diff(last)))
