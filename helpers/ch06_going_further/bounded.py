"""The going-further page's bounded quantities (``"ch6 ..."`` in :mod:`helpers.bounds`: chapter
1's regression, its spikes and its sharpness), each computed by one function, and
:func:`measure`, which makes the page's runs for any seed and measures them.

The page's hidden check cells call these functions on its own runs and pass the results to
:func:`helpers.bounds.check`; ``benchmarks/seed_sweep.py`` calls :func:`measure`, which calls
the same functions on the runs the page makes, made for ``seed`` instead of 0. For seed 0 the
two agree to the last bit (``tests/test_sweep_runs_the_pages.py``).
"""

from __future__ import annotations

import numpy as np
import torch

from ..tiny_net import fit, make_model
from .curvature import around_spikes, fit_measuring_sharpness, largest_rise, spike_starts, stable_lr_limit

#: The page's settings of every regression run (``settings``), and its two learning rates.
SETTINGS = {"epochs": 1000, "momentum": 0.9}
FAST_LR, SLOW_LR = 0.09, 0.05


def largest_relative_difference(losses, reference) -> float:
    """The largest ``|losses / reference - 1|`` over the epochs."""
    return float(np.max(np.abs(np.array(losses) / np.array(reference) - 1)))


def sharpness_at_spikes(losses, epochs, sharpness, lr: float, momentum: float) -> tuple[float, float, float]:
    """For a run at ``lr`` whose loss spikes, from its losses and the sharpness measured at
    ``epochs``, with ``lr * sharpness`` around each spike start (:func:`.curvature.around_spikes`):

    - before each spike, its lowest value minus the stable limit of Nesterov's ``momentum``;
    - the smallest drop from before a spike to after it;
    - the smallest climb from after a spike to before the next (``inf`` with fewer than two).
    """
    starts = spike_starts(losses)
    before, after = around_spikes(starts, epochs, lr * sharpness)
    climbs = np.nanmin(before[1:] - after[:-1]) if len(starts) > 1 else np.inf
    return (
        float(np.nanmin(before) - stable_lr_limit(momentum, 1.0)),
        float(np.nanmin(before - after)),
        float(climbs),
    )


def sharpness_rise(epochs, sharpness, lr: float, since: int = 100) -> float:
    """How much ``lr * sharpness`` rose from epoch ``since`` to the end of the run."""
    product = lr * sharpness
    return float(product[-1] - product[epochs == since][0])


def first_epoch_apart(losses, reference, tolerance: float = 0.01) -> int:
    """The first epoch at which ``losses`` differs from ``reference`` by more than ``tolerance``,
    relatively (an overflowed loss differs from any other); the number of epochs if none does."""
    with np.errstate(invalid="ignore"):
        apart = ~(np.abs(np.array(losses) / np.array(reference) - 1) <= tolerance)
    return int(np.argmax(apart)) if apart.any() else len(apart)


def moved_spike_starts(losses, reference) -> int:
    """How many spike starts (:func:`.curvature.spike_starts`) one run has and the other has not."""
    return len(set(spike_starts(losses)) ^ set(spike_starts(reference)))


def sine_curve(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The page's 120 noisy points of ``sin(2x)``, the noise drawn after ``torch.manual_seed(seed)``."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        curve_x = torch.linspace(-3, 3, 120)[:, None]
        curve_y = torch.sin(2 * curve_x) + 0.1 * torch.randn_like(curve_x)
    return curve_x, curve_y


def regressor(seed: int) -> torch.nn.Sequential:
    """The page's regression network, 1 -> 16 ``tanh`` units -> 1, initialised with ``seed + 1``."""
    return make_model(hidden=16, init_seed=seed + 1, n_outputs=1)


def nudged(model: torch.nn.Module) -> torch.nn.Module:
    """``model`` with every weight and bias up by one unit in the last place."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.nextafter(p, torch.full_like(p, np.inf)))
    return model


def measure(seed: int) -> dict[str, float]:
    """Every ``"ch6 ..."`` bound, measured on the page's regression runs made with ``seed``: it
    draws the noise of the points and (as ``seed + 1``) the initial weights."""
    mse = torch.nn.functional.mse_loss
    curve_x, curve_y = sine_curve(seed)
    regression_losses = fit(regressor(seed), curve_x, curve_y, mse, lr=SLOW_LR, **SETTINGS)
    fast_losses, fast_epochs, fast_sharpness = fit_measuring_sharpness(
        regressor(seed), curve_x, curve_y, lr=FAST_LR, **SETTINGS
    )
    slow_losses, slow_epochs, slow_sharpness = fit_measuring_sharpness(
        regressor(seed), curve_x, curve_y, lr=SLOW_LR, **SETTINGS
    )
    nudged_losses = fit(nudged(regressor(seed)), curve_x, curve_y, mse, lr=FAST_LR, **SETTINGS)

    above_limit, drop, climb = sharpness_at_spikes(
        fast_losses, fast_epochs, fast_sharpness, FAST_LR, SETTINGS["momentum"]
    )
    return {
        "ch6 regression demo: final MSE": regression_losses[-1],
        "ch6 spikes: largest rise of the loss at lr 0.09": largest_rise(fast_losses),
        "ch6 spikes: largest rise of the loss at lr 0.05": largest_rise(regression_losses),
        "ch6 sharpness: lr x sharpness before each spike at lr 0.09, minus limit": above_limit,
        "ch6 sharpness: lr x sharpness before minus after each spike at lr 0.09": drop,
        "ch6 sharpness: lr x sharpness before a spike minus after the previous one": climb,
        "ch6 sharpness: lr x sharpness at lr 0.05, end minus epoch 100": sharpness_rise(
            slow_epochs, slow_sharpness, SLOW_LR
        ),
        "ch6 spikes: first epoch a one-bit nudge changes the loss by 1%": first_epoch_apart(nudged_losses, fast_losses),
        "ch6 spikes: spike starts a one-bit nudge moves": moved_spike_starts(fast_losses, nudged_losses),
        "ch6 sharpness: the 0.05 rerun's largest relative loss difference": largest_relative_difference(
            slow_losses, regression_losses
        ),
    }
