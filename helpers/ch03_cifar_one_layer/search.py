"""Chapter 3's procedure: a grid search on the validation set, then the improvements one by one.

A function each, so that the chapter shows them and ``benchmarks/seed_sweep.py`` re-runs exactly
them with other seeds (``seed`` goes into every run, and into the held-out validation split).
"""

from __future__ import annotations

from .data import CifarSplits
from .training import TrainConfig, TrainResult, train

#: Each improvement adds one change to the ones before: (all data, decay, flips).
IMPROVEMENTS = {
    "grid-search choice, batch 1": (False, False, False),
    "+ all the training data": (True, False, False),
    "+ learning-rate decay": (True, True, False),
    "+ flip augmentation": (True, True, True),
}


def grid_search(
    data: CifarSplits, etas, lams, loss: str = "crossentropy", epochs: int = 10, seed: int = 0
) -> dict[tuple[float, float], TrainResult]:
    """One run of ``epochs`` epochs at every ``(eta, lambda)``."""
    return {
        (eta, lam): train(TrainConfig(loss=loss, lr=eta, lam=lam, epochs=epochs, seed=seed), data)
        for eta in etas
        for lam in lams
    }


def best(grid: dict[tuple[float, float], TrainResult]) -> tuple[float, float]:
    """The ``(eta, lambda)`` with the best validation accuracy after the last epoch."""
    return max(grid, key=lambda point: grid[point].history[-1]["val_accuracy"])


def improved(
    loss: str,
    eta: float,
    lam: float,
    use_all_data: bool,
    decay: bool,
    flip: bool,
    data: CifarSplits,
    all_data: CifarSplits,
    seed: int = 0,
) -> TrainResult:
    """20 epochs on batch 1 or on all the data, with or without decay (x0.9 per epoch) and flips."""
    config = TrainConfig(loss=loss, lr=eta, lam=lam, epochs=20, decay=0.9 if decay else 1.0, flip=flip, seed=seed)
    return train(config, all_data if use_all_data else data)
