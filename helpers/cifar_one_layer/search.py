"""Chapter 3's procedure: the study's four settings, a grid search on the validation set, the
improvements one by one, and the final networks under the study's schedule.

A function each, so that the chapter shows them and ``benchmarks/seed_sweep.py`` re-runs exactly
them with other seeds. Every function trains its runs in lockstep (:func:`train_together`): the
runs of one call share a seed, so they share the order of the images, which is then read once.
"""

from __future__ import annotations

from dataclasses import replace

from ..parallel import map_seeds
from ..spread import Spread
from .data import CifarSplits
from .training import TrainConfig, TrainResult, train_together

#: The study's four settings (batches of 100, as the study says; 40 epochs, as the DD2424
#: assignment's example run and its public reproductions train them): name -> (eta, lambda).
SETTINGS = {
    "setting 1 (eta 0.1, lambda 0)": (0.1, 0.0),
    "setting 2 (eta 0.001, lambda 0)": (0.001, 0.0),
    "setting 3 (eta 0.001, lambda 0.1)": (0.001, 0.1),
    "setting 4 (eta 0.001, lambda 1)": (0.001, 1.0),
}
#: Setting 2 once more, from all-zero weights, trained beside the four.
ZERO_START = "setting 2 from zero weights"

#: Each improvement adds one change to the ones before: (all data, decay, flips).
IMPROVEMENTS = {
    "grid-search choice, batch 1": (False, False, False),
    "+ all the training data": (True, False, False),
    "+ learning-rate decay": (True, True, False),
    "+ flip augmentation": (True, True, True),
}
#: The study's schedule for its improved networks: the rate is halved after two epochs without
#: a new lowest validation loss (the study names the rule, not its numbers; these are ours).
PLATEAU = {"decay": 0.5, "patience": 2}


def four_settings(data: CifarSplits, seed: int = 0, epochs: int = 40, curves: bool = True) -> dict[str, TrainResult]:
    """The study's four settings and :data:`ZERO_START`, in lockstep (``curves``: see
    :func:`train_together`)."""
    configs = {name: TrainConfig(lr=eta, lam=lam, epochs=epochs, seed=seed) for name, (eta, lam) in SETTINGS.items()}
    configs[ZERO_START] = replace(configs["setting 2 (eta 0.001, lambda 0)"], init_std=0.0)
    return dict(zip(configs, train_together(configs.values(), data, curves=curves)))


def grid_search(
    data: CifarSplits,
    etas,
    lams,
    loss: str = "crossentropy",
    epochs: int = 10,
    seed: int = 0,
    curves: bool = True,
    batch_size: int = 100,
) -> dict[tuple[float, float], TrainResult]:
    """One run of ``epochs`` epochs at every ``(eta, lambda)``.

    The runs share the seed, hence the order of the images, and train
    together, one batch at a time for all of them.
    """
    points = [(eta, lam) for eta in etas for lam in lams]
    configs = [
        TrainConfig(
            loss=loss,
            lr=eta,
            lam=lam,
            epochs=epochs,
            seed=seed,
            batch_size=batch_size,
        )
        for eta, lam in points
    ]
    return dict(zip(points, train_together(configs, data, curves=curves)))


def best(grid: dict[tuple[float, float], TrainResult]) -> tuple[float, float]:
    """The ``(eta, lambda)`` with the best validation accuracy after the
    last epoch."""
    return max(grid, key=lambda point: grid[point].history[-1]["val_accuracy"])


def improved_config(
    loss: str,
    eta: float,
    lam: float,
    decay: bool,
    flip: bool,
    seed: int = 0,
) -> TrainConfig:
    """20 epochs, with or without decay (x0.9 after every epoch) and flips."""
    return TrainConfig(
        loss=loss,
        lr=eta,
        lam=lam,
        epochs=20,
        decay=0.9 if decay else 1.0,
        flip=flip,
        seed=seed,
    )


def improvements(
    eta: float, lam: float, data: CifarSplits, all_data: CifarSplits, extra: dict[str, TrainConfig], seed: int = 0
) -> dict[str, TrainResult]:
    """The rows of :data:`IMPROVEMENTS` for cross-entropy at ``(eta, lambda)``, and the runs of
    ``extra`` (on all the data), those on all the data in lockstep; the training set is measured
    after the last epoch only."""
    configs = {
        name: improved_config("crossentropy", eta, lam, decay, flip, seed)
        for name, (_, decay, flip) in IMPROVEMENTS.items()
    }
    on_all = {name: config for name, config in configs.items() if IMPROVEMENTS[name][0]} | extra
    first = next(name for name, flags in IMPROVEMENTS.items() if not flags[0])
    results = dict(zip(on_all, train_together(on_all.values(), all_data, curves=False)))
    results[first] = train_together([configs[first]], data, curves=False)[0]
    return {name: results[name] for name in (*IMPROVEMENTS, *extra)}


def best_eta_by_batch_size(data: CifarSplits, etas, batch_sizes, epochs: int = 5, seed: int = 0) -> dict[int, float]:
    """For each batch size, the learning rate among ``etas`` with the best validation accuracy
    after ``epochs`` epochs (no penalty); the rates of one batch size train in lockstep."""
    return {
        batch_size: best(
            grid_search(data, etas, (0.0,), epochs=epochs, seed=seed, curves=False, batch_size=batch_size)
        )[0]
        for batch_size in batch_sizes
    }


def final_runs(configs: dict[str, TrainConfig], all_data: CifarSplits, seed: int = 0) -> dict[str, TrainResult]:
    """Each of ``configs`` with ``seed`` and the study's schedule, all in lockstep on all the data."""
    scheduled = [study_schedule(replace(config, seed=seed)) for config in configs.values()]
    return dict(zip(configs, train_together(scheduled, all_data, curves=False)))


def four_settings_by_seed(data: CifarSplits, first: dict[str, TrainResult], seeds) -> list[dict[str, TrainResult]]:
    """``first`` (a seed's :func:`four_settings`, with curves) and, after it, :func:`four_settings`
    for each of ``seeds``, measured after the last epoch only, in worker processes."""
    return [first, *map_seeds(lambda seed: four_settings(data, seed, curves=False), seeds)]


def final_runs_by_seed(
    configs: dict[str, TrainConfig], all_data: CifarSplits, first: dict[str, TrainResult], seeds
) -> list[dict[str, TrainResult]]:
    """``first`` (seed 0's final runs, trained beside the improvements) and :func:`final_runs` for
    each of ``seeds``, in worker processes."""
    return [first, *map_seeds(lambda seed: final_runs(configs, all_data, seed), seeds)]


def study_schedule(config: TrainConfig) -> TrainConfig:
    """``config`` with the study's plateau schedule (:data:`PLATEAU`) instead of its decay."""
    return replace(config, **PLATEAU)


def accuracy_spread(runs_by_seed: list[dict[str, TrainResult]], name: str, split: str) -> Spread:
    """The accuracy (%) of run ``name`` after its last epoch on ``split`` (``"train"``, ``"val"`` or
    ``"test"``) over the seeds: ``runs_by_seed`` holds one ``{name: result}`` per seed."""
    if split == "test":
        return Spread.of(100 * runs[name].test_accuracy for runs in runs_by_seed)
    return Spread.of(100 * runs[name].history[-1][f"{split}_accuracy"] for runs in runs_by_seed)
