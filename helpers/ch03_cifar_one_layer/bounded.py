"""Chapter 3's bounds (``"ch3 ..."`` in :mod:`helpers.bounds`): the functions that measure them,
and :func:`measure`, which ``benchmarks/seed_sweep.py`` runs for each seed.

The page's hidden checks call the functions below on the page's own runs and pass what they
return to :func:`helpers.bounds.check_all`; :func:`measure` makes one seed's runs as the page
makes seed 0's (the same functions, arguments and data, trained together as the page trains
them, without the learning curves, which change no weight) and measures them with the same
functions. So ``measure(0)`` is what the page checked, to the last bit
(``tests/test_sweep_runs_the_pages.py`` compares the two).
"""

from __future__ import annotations

import functools

import numpy as np

from ..cifar_one_layer.data import CifarSplits, load_splits
from ..cifar_one_layer.model import init_params, mirror_symmetry, roughness, winning_confidence
from ..cifar_one_layer.search import (
    SETTINGS,
    ZERO_START,
    best,
    best_eta_by_batch_size,
    four_settings,
    grid_search,
    improved_config,
    improvements,
    study_schedule,
)
from ..cifar_one_layer.training import TrainResult
from .gradcheck import GradientErrors, gradient_errors

SETTING_2, SETTING_3, SETTING_4 = list(SETTINGS)[1:]  # eta 0.001: lambda 0, 0.1, 1


def gradient_check_bounds(errors: dict[tuple[str, float], GradientErrors]) -> dict[str, float]:
    """The worst of :func:`~.gradcheck.gradient_errors`' results over the losses and penalties:
    against autograd, then against finite differences (the page unpacks them in this order)."""
    return {
        "ch3 gradient check: relative error vs autograd": max(e.vs_autograd for e in errors.values()),
        "ch3 gradient check: largest difference from finite differences": max(e.vs_numeric for e in errors.values()),
    }


def l2_bounds(settings: dict[str, TrainResult]) -> dict[str, float]:
    """What the L2 penalty does to one seed's :func:`four_settings`: smaller weights, smoother
    templates, a narrower train-validation gap."""
    w2, w3, w4 = (settings[name].W for name in (SETTING_2, SETTING_3, SETTING_4))

    def gap(name):  # train minus validation accuracy after the last epoch, in points
        last = settings[name].history[-1]
        return 100 * (last["train_accuracy"] - last["val_accuracy"])

    return {
        "ch3 L2: weight norm, setting 3 minus setting 2": float(np.linalg.norm(w3) - np.linalg.norm(w2)),
        "ch3 L2: largest abs weight, setting 3 minus setting 2": float(np.abs(w3).max() - np.abs(w2).max()),
        "ch3 L2: template roughness, setting 3 minus setting 2": roughness(w3) - roughness(w2),
        "ch3 L2: template roughness, setting 4 minus setting 3": roughness(w4) - roughness(w3),
        "ch3 L2: train-validation gap, setting 3 minus setting 2 (points)": gap(SETTING_3) - gap(SETTING_2),
        "ch3 L2: train-validation gap, setting 4 minus setting 3 (points)": gap(SETTING_4) - gap(SETTING_3),
    }


def zero_start_bounds(settings: dict[str, TrainResult]) -> dict[str, float]:
    """Setting 2 from zero weights against setting 2, in one seed's :func:`four_settings`."""
    zero, random_start = settings[ZERO_START], settings[SETTING_2]
    return {
        "ch3 setting 2: zero init minus N(0, 0.01^2) init (points)": (
            100 * zero.test_accuracy - 100 * random_start.test_accuracy
        ),
        "ch3 setting 2: template roughness, zero init minus N(0, 0.01^2) init": (
            roughness(zero.W) - roughness(random_start.W)
        ),
    }


def accuracy_bounds(setting2: TrainResult, network_x09: TrainResult, plateau_sigmoid: TrainResult) -> dict[str, float]:
    """The test accuracies (%) with a floor: setting 2, the x0.9 network, the sigmoid plateau one."""
    return {
        "ch3 setting 2: test accuracy (%)": 100 * setting2.test_accuracy,
        "ch3 best cross-entropy: test accuracy (%)": 100 * network_x09.test_accuracy,
        "ch3 best sigmoid + MBCE: test accuracy (%)": 100 * plateau_sigmoid.test_accuracy,
    }


def confidence_bounds(softmax_run: TrainResult, sigmoid_run: TrainResult, splits: CifarSplits) -> dict[str, float]:
    """Exercise 1: the two plateau networks' mean confidence in the class they pick, on the test set."""
    softmax_conf = winning_confidence(softmax_run.W, softmax_run.b, splits.x_test, "crossentropy")
    sigmoid_conf = winning_confidence(sigmoid_run.W, sigmoid_run.b, splits.x_test, "mbce")
    return {"ch3 exercise 1: sigmoid mean confidence minus softmax's": float(sigmoid_conf.mean() - softmax_conf.mean())}


def mirror_bounds(improvement_runs: dict[str, TrainResult]) -> dict[str, float]:
    """Exercise 2: how much more mirror-symmetric flips make the templates (the last two rows)."""
    with_flips = mirror_symmetry(improvement_runs["+ flip augmentation"].W)
    without = mirror_symmetry(improvement_runs["+ learning-rate decay"].W)
    return {"ch3 exercise 2: template mirror symmetry with flips minus without": with_flips - without}


def batch_size_bounds(best_eta: dict[int, float]) -> dict[str, float]:
    """Exercise 3: how many times the best learning rate doubles from batches of 25 to 400."""
    doublings = np.log2(best_eta[400] / best_eta[25])
    return {"ch3 exercise 3: doublings of the best eta from batch 25 to 400": float(doublings)}


@functools.cache
def _splits(train_batches: int) -> CifarSplits:
    """The page's splits (one held-out set for every seed, as the page's seeds share it)."""
    return load_splits(train_batches=train_batches, dtype=np.float32)


def measure(seed: int) -> dict[str, float]:
    """Every ch3 bound for ``seed``: the page's seed-0 steps, with ``seed`` in place of 0. The
    steps the page writes out in visible code (the gradient check's inputs, the grids, the plateau
    networks' configs, exercise 3's rates and batch sizes) are repeated here as the page has them."""
    data, all_data = _splits(1), _splits(5)

    # the gradient check: the page draws the sampled weights with seed 0 and W, b with seed 1
    rng = np.random.default_rng(seed)
    W, b = init_params(seed=seed + 1)
    X, y = data.x_train[:100].astype(np.float64), data.y_train[:100]
    weights = [(int(k), int(j)) for k, j in zip(rng.integers(0, 10, 40), rng.integers(0, 3072, 40))]
    errors = gradient_errors(W, b, X, y, weights)

    # four settings and the grid searches; without the learning curves the page draws for seed 0:
    # they measure after each epoch and change no weight, and the bounds read the last epoch's row
    settings = four_settings(data, seed=seed, curves=False)
    coarse_etas, coarse_lams = (0.001, 0.005, 0.02), (0.0, 0.01, 0.1)
    eta0, lam0 = best(grid_search(data, coarse_etas, coarse_lams, seed=seed, curves=False))
    fine = grid_search(
        data, (eta0 / 2, eta0, eta0 * 2), sorted({lam0 / 2, lam0, lam0 * 2, 0.001}), curves=False, seed=seed
    )
    eta_best, lam_best = best(fine)
    coarse_mbce = grid_search(
        data, tuple(10 * e for e in coarse_etas), coarse_lams, loss="mbce", curves=False, seed=seed
    )
    eta_mbce, lam_mbce = best(coarse_mbce)

    # the improvements, with the two plateau networks trained beside them
    plateau = {
        name: study_schedule(improved_config(loss, eta, lam, decay=True, flip=True, seed=seed))
        for name, loss, eta, lam in [
            ("softmax + cross-entropy", "crossentropy", eta_best, lam_best),
            ("sigmoid + multiple binary cross-entropy", "mbce", eta_mbce, lam_mbce),
        ]
    }
    trained = improvements(eta_best, lam_best, data, all_data, extra=plateau, seed=seed)
    plateau_softmax, plateau_sigmoid = (trained[name] for name in plateau)

    best_eta = best_eta_by_batch_size(data, (0.0025, 0.005, 0.01, 0.02, 0.04), (25, 100, 400), seed=seed)
    return {
        **gradient_check_bounds(errors),
        **l2_bounds(settings),
        **zero_start_bounds(settings),
        **accuracy_bounds(settings[SETTING_2], trained["+ flip augmentation"], plateau_sigmoid),
        **confidence_bounds(plateau_softmax, plateau_sigmoid, all_data),
        **mirror_bounds(trained),
        **batch_size_bounds(best_eta),
    }
