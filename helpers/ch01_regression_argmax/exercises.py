"""Chapter 1's self-checking exercises: the Nesterov step, and the gradient of the mean squared
error with respect to the logits.

The reference answers carry the names the chapter's answer cells use: ``solution()`` shows their
source as the student's own cell would read.
"""

from __future__ import annotations

import numpy as np

from ..exercises import Case, Exercise


def my_nesterov_step(w, v, g, lr, momentum):
    """One step of gradient descent with Nesterov momentum, as
    ``torch.optim.SGD(nesterov=True)`` takes it: new weights, new velocity."""
    v = momentum * v + g
    w = w - lr * (g + momentum * v)
    return w, v


def my_mse_gradient(logits, targets):
    """dL/d(logits) of ``L = mean((logits - targets) ** 2)``, the mean over
    all ``n * K`` entries, for logits and one-hot targets ``(n, K)``."""
    return 2 * (logits - targets) / logits.size


def _nesterov_cases():
    w, g = np.array([1.0, -2.0]), np.array([0.5, 1.0])
    return [
        Case(
            "the first step (v = 0)",
            (w, np.zeros(2), g, 0.1, 0.9),
            "the step of w is lr * (g + momentum * v), not lr * v alone, with v already updated to momentum * v + g",
        ),
        Case(
            "a later step (v = [2, -1])",
            (w, np.array([2.0, -1.0]), g, 0.1, 0.9),
            "update v first (v = momentum * v + g), then use the new v in the step of w",
        ),
    ]


def _mse_cases():
    rng = np.random.default_rng(1)
    return [
        Case(
            "one point with 3 logits",
            (np.array([[0.5, -1.0, 2.0]]), np.array([[0.0, 1.0, 0.0]])),
            "d/do of (o - y)^2 is 2 (o - y), and the loss is a mean over all n * K entries",
        ),
        Case(
            "4 points with 3 logits each",
            (rng.normal(size=(4, 3)), np.eye(3)[[0, 2, 1, 1]]),
            "the mean runs over all n * K squared differences: divide by logits.size",
        ),
    ]


def _heavy_ball(w, v, g, lr, momentum):
    v = momentum * v + g
    return w - lr * v, v


def _old_velocity(w, v, g, lr, momentum):
    step = lr * (g + momentum * v)  # the velocity of the previous step
    return w - step, momentum * v + g


def _no_factor_two(logits, targets):
    return (logits - targets) / logits.size


def _mean_over_points(logits, targets):
    return 2 * (logits - targets) / len(logits)


def _wrong_sign(logits, targets):
    return 2 * (targets - logits) / logits.size


nesterov_step = Exercise(
    name="nesterov_step",
    reference=my_nesterov_step,
    verified="takes torch.optim.SGD(nesterov=True)'s step, from v = 0 and from a later velocity",
    hint_text=(
        "update the velocity first; then step the weights along the gradient plus momentum times the new velocity"
    ),
    cases=_nesterov_cases,
    returns=("w", "v"),
    mistakes={
        "the heavy-ball step w - lr v": (_heavy_ball, "g + momentum * v"),
        "the previous step's velocity": (_old_velocity, "already updated"),
    },
)

mse_gradient = Exercise(
    name="mse_gradient",
    reference=my_mse_gradient,
    verified="gives the gradient of the mean squared error, the mean over all n * K entries",
    hint_text="differentiate (o - y) ** 2 for one entry, then divide by the number of entries the mean runs over",
    cases=_mse_cases,
    mistakes={
        "no factor 2": (_no_factor_two, "2 (o - y)"),
        "a mean over the points only": (_mean_over_points, "n * K"),
        "the gradient of the wrong sign": (_wrong_sign, "2 (o - y)"),
    },
)
