"""Re-run every training outcome the book asserts over many seeds; print its bound and spread.

    python benchmarks/seed_sweep.py                 # every bound, seeds 0..9 (chapter 3's part is the longest)
    python benchmarks/seed_sweep.py --only ch1 ch4  # the bounds whose names start so
    python benchmarks/seed_sweep.py --seeds 100 --jobs 2                  # seeds 0..99, two processes
    python benchmarks/seed_sweep.py --seeds 100 --scheduler tcp://HOST:8786  # on a Dask cluster

The sweep is a set of independent tasks, one per (group of bounds, seed), run through
:func:`helpers.parallel.map_parallel`: in ``--jobs`` local processes (joblib's loky), or, with
``--scheduler`` (or ``LESSONS_DASK_SCHEDULER``), on the workers of a running Dask scheduler, which
must have this book's ``helpers`` installed; this script and ``tests/data_files.py`` are sent to
them. Each finished task's values are written at once to a small JSON file under ``--results``
(written under a temporary name, then renamed), in a folder named after the code's identity: a
hash of the ``helpers`` package, this script, the test data it uses and the CPU-kernel variables.
Run again after a stop (Ctrl-C, a kill, a lost machine) and only the missing tasks are computed;
after a code change, none of the old values is reused. The table is computed from the stored
results. A task that fails is reported with its seed, the others go on, and the exit status is 1.

The bounds live in :mod:`helpers.bounds`; the chapters and tests assert them with
:func:`helpers.bounds.check`. Each function below runs, for one seed, the code behind a group of
bounds, as the chapter (or test) runs it, and returns the measured value of each. Seed 0 is the
chapter's own run; another seed changes everything random in the run: the data drawn, the
initial weights, the order of the examples, dropout masks and flips.

One row per bound: the bound, min / mean / std / max over the seeds (mean and std over the
seeds whose value is finite), and the margin: how far the worst seed is from the bound, in
standard deviations of the sweep. The rule (CONTRIBUTING.md): a floor
or ceiling needs a margin of at least 1; a comparison (``... minus ...``) must hold for every
seed. Rows that break it are marked, and the exit status is 1.

Run it under other kernels too, for instance ``ATEN_CPU_CAPABILITY=default
OPENBLAS_CORETYPE=Haswell python benchmarks/seed_sweep.py``: the header names the kernels used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import os
import re
import stat
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from unittest.mock import patch

import numpy as np
import torch
from tqdm import tqdm

import helpers
from helpers import cli
from helpers.bounds import BOUNDS
from helpers.numerics import ALTERNATIVE_KERNELS, describe_numerics
from helpers.parallel import map_parallel

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data_files.py"
SCHEDULER_VARIABLE = "LESSONS_DASK_SCHEDULER"

SWEEPS = {}  # name prefix -> function(seed) -> {bound name: value}


def sweep(prefix: str):
    def register(function):
        SWEEPS[prefix] = function
        return function

    return register


@functools.cache
def _mnist_arrays():
    from helpers.data import load_mnist

    train, test = load_mnist("train"), load_mnist("test")
    return (
        train.images.reshape(len(train), -1).astype(np.float32) / 255,
        train.labels,
        test.images.reshape(len(test), -1).astype(np.float32) / 255,
        test.labels,
        test,
    )


@functools.lru_cache(maxsize=1)  # one seed's split at a time: each is 200 MB
def _mnist_tensors(seed: int):
    from helpers.ch04_limits_of_linearity import load_tensors

    return load_tensors(seed)  # the seed draws the split, as in chapter 4


@functools.cache
def _cifar_splits(train_batches: int, seed: int = 0):
    from helpers.ch03_cifar_one_layer import load_splits

    return load_splits(train_batches=train_batches, seed=seed, dtype=np.float32)


@sweep("ch1")
def chapter1(seed: int) -> dict[str, float]:
    from helpers.ch01_regression_argmax import TrainConfig, input_grid, make_model, three_classes, train, train_many
    from helpers.ch01_regression_argmax.live_training import float64_gap, reference_runs
    from helpers.ch01_regression_argmax.sliders import slider_grid
    from helpers.ch06_going_further.curvature import (
        around_spikes,
        fit_measuring_sharpness,
        largest_rise,
        spike_starts,
        stable_lr_limit,
    )
    from helpers.three_classes import posterior
    from helpers.tiny_net import fit

    mse = torch.nn.functional.mse_loss
    config = TrainConfig(data_seed=seed, init_seed=seed)
    data = three_classes(config.data_seed)
    reference = make_model(config.hidden, config.init_seed)
    fit(reference, data.x, data.one_hot(), mse, config.epochs, config.lr, config.momentum)
    run = train(config)
    difference = max((run.final_state[name] - p).abs().max().item() for name, p in reference.state_dict().items())
    final = run.grid_logits[-1]
    decisions = final.argmax(axis=1)
    uneven = final + np.array([0.0, 0.3, 0.0])
    fresh = three_classes(config.data_seed + 1000, n_per_class=10000)
    trained = make_model(config.hidden, config.init_seed)
    trained.load_state_dict(run.final_state)
    with torch.no_grad():
        fresh_accuracy = (trained(fresh.x).argmax(dim=1) == fresh.y).float().mean().item()
    inside = np.abs(run.grid) <= 4
    true_probabilities = posterior(torch.from_numpy(run.grid[:, None])).numpy()
    posterior_gap = float(np.abs(final - true_probabilities)[inside].max())
    plain = train_many(data, [0.01, 0.1, 0.5, 2.0], [0.0] * 4, config.epochs, config.hidden, config.init_seed)
    plain_diverged = plain.diverged()

    torch.manual_seed(seed)
    curve_x = torch.linspace(-3, 3, 120)[:, None]
    curve_y = torch.sin(2 * curve_x) + 0.1 * torch.randn_like(curve_x)
    regressor = make_model(hidden=16, init_seed=seed + 1, n_outputs=1)
    losses = fit(regressor, curve_x, curve_y, mse, epochs=1000, lr=0.05, momentum=0.9)

    torch.manual_seed(seed)
    linear = torch.nn.Linear(1, 3)
    fit(linear, data.x, data.one_hot(), mse, epochs=500, lr=0.05, momentum=0.9)
    with torch.no_grad():
        middle_wins = int((linear(input_grid()).argmax(dim=1) == 1).sum())

    nesterov_grid, heavy_ball_grid = slider_grid(config), slider_grid(config, nesterov=False)
    rescued = nesterov_grid.rescued_by_momentum()
    nesterov_diverged, heavy_ball_diverged = nesterov_grid.diverged(), heavy_ball_grid.diverged()
    float64_default = reference_runs(config, {"default": (config.lr, config.momentum)})[0]

    limit = stable_lr_limit(0.9, 1.0)
    measured = {}
    for lr in (0.09, 0.05):
        start = make_model(hidden=16, init_seed=seed + 1, n_outputs=1)
        losses_lr, epochs_measured, values = fit_measuring_sharpness(
            start, curve_x, curve_y, epochs=1000, lr=lr, momentum=0.9, every=10
        )
        measured[lr] = (losses_lr, epochs_measured, lr * values)
    fast_losses = measured[0.09][0]  # the page's run at 0.09 is the measured one
    rerun_gap = float(np.max(np.abs(np.array(measured[0.05][0]) / np.array(losses) - 1)))
    starts = spike_starts(fast_losses)
    before, after = around_spikes(starts, measured[0.09][1], measured[0.09][2])
    slow_epochs, slow_product = measured[0.05][1], measured[0.05][2]
    nudged = make_model(hidden=16, init_seed=seed + 1, n_outputs=1)
    with torch.no_grad():
        for p in nudged.parameters():
            p.copy_(torch.nextafter(p, torch.full_like(p, np.inf)))
    nudged_losses = fit(nudged, curve_x, curve_y, mse, epochs=1000, lr=0.09, momentum=0.9)
    with np.errstate(invalid="ignore"):
        apart = ~(np.abs(np.array(nudged_losses) / np.array(fast_losses) - 1) <= 0.01)
    return {
        "ch1 written-out vs torch.optim training: largest weight difference": difference,
        "ch1 default run: training accuracy minus the best rule's": float(run.accuracy[-1]) - data.bayes_accuracy(),
        "ch1 default run: the rule's accuracy minus the network's on fresh points": fresh.bayes_accuracy()
        - fresh_accuracy,
        "ch1 default run: smallest logit on the grid": float(final.min()),
        "ch1 default run: largest logit on the grid": float(final.max()),
        "ch1 default run: share of decisions a +0.3 on class 1 changes": float(
            np.mean(uneven.argmax(axis=1) != decisions)
        ),
        "ch1 default run: largest gap to P(k | x) for |x| <= 4": posterior_gap,
        "ch1 plain gradient descent: runs at lr 0.01, 0.1 and 0.5 that diverge": int(plain_diverged[:3].sum()),
        "ch1 plain gradient descent: the run at lr 2 diverges": int(plain_diverged[3]),
        "ch1 plain gradient descent: final loss at lr 0.01 minus at lr 0.1": float(
            plain.loss[0, -1] - plain.loss[1, -1]
        ),
        "ch1 accuracy map: settings where only Nesterov diverges": int(
            (nesterov_diverged & ~heavy_ball_diverged).sum()
        ),
        "ch1 accuracy map: settings where only heavy ball diverges": int(
            (heavy_ball_diverged & ~nesterov_diverged).sum()
        ),
        "ch1 regression demo: final MSE": losses[-1],
        "ch1 spikes: largest rise of the loss at lr 0.09": largest_rise(fast_losses),
        "ch1 spikes: largest rise of the loss at lr 0.05": largest_rise(losses),
        "ch1 live sliders: float64 vs float32 logits at the default": float64_gap(run, float64_default),
        "ch1 exercise 1: grid points the middle class wins without a hidden layer": middle_wins,
        "ch1 exercise 2: runs that more momentum rescues from divergence": rescued,
        "ch1 exercise 4: share of decisions that a = -1 changes": float(np.mean((-final).argmax(axis=1) != decisions)),
        "ch1 sharpness: lr x sharpness before each spike at lr 0.09, minus limit": float(np.nanmin(before) - limit),
        "ch1 sharpness: lr x sharpness before minus after each spike at lr 0.09": float(np.nanmin(before - after)),
        "ch1 sharpness: lr x sharpness before a spike minus after the previous one": float(
            np.nanmin(before[1:] - after[:-1]) if len(starts) > 1 else np.inf
        ),
        "ch1 sharpness: lr x sharpness at lr 0.05, end minus epoch 100": float(
            slow_product[-1] - slow_product[slow_epochs == 100][0]
        ),
        "ch1 spikes: first epoch a one-bit nudge changes the loss by 1%": int(np.argmax(apart))
        if apart.any()
        else len(apart),
        "ch1 spikes: spike starts a one-bit nudge moves": len(set(starts) ^ set(spike_starts(nudged_losses))),
        "ch1 sharpness: the 0.05 rerun's largest relative loss difference": rerun_gap,
    }


@sweep("ch2")
def chapter2(seed: int) -> dict[str, float]:
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    from helpers.ch02_softmax_cross_entropy.linear_models import (
        fit_logistic_regression,
        fit_softmax_regression,
        three_blobs,
    )
    from helpers.gradcheck import numeric_gradient, relative_error
    from helpers.softmax import cross_entropy, cross_entropy_grad, entropy, one_hot, softmax
    from helpers.three_classes import input_grid, three_classes
    from helpers.tiny_net import fit

    rng = np.random.default_rng(seed)
    o = rng.normal(scale=3, size=(8, 5))
    autograd_errors, numeric_errors = [], []
    for y in (one_hot(rng.integers(0, 5, 8), 5), softmax(rng.normal(size=(8, 5)))):
        t = torch.from_numpy(o).requires_grad_()
        torch.nn.functional.cross_entropy(t, torch.from_numpy(y), reduction="sum").backward()
        ours = cross_entropy_grad(o, y)
        numeric = numeric_gradient(lambda logits, y=y: cross_entropy(logits, y).sum(), o, h=1e-5)
        autograd_errors.append(relative_error(ours, t.grad.numpy()))
        numeric_errors.append(np.abs(ours - numeric).max())

    # The data set is the chapter's (a fixed sample); the seed draws which of its points train.
    X_all, y_all = make_classification(n_samples=1000, n_features=20, n_classes=2, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X_all, y_all, test_size=0.3, random_state=42 + seed)
    logistic = fit_logistic_regression(X_train, y_train, lr=0.1, epochs=2000, log_every=100)
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X_train, y_train)
    gap = np.abs(logistic.predict_proba(X_test) - reference.predict_proba(X_test)[:, 1]).max()
    differ = int(np.sum((logistic.predict_proba(X_test) > 0.5) != reference.predict(X_test)))

    # The chapter's choice on a validation set (early stopping); the seed draws the split and the order.
    X, labels, X_test, labels_test, test = _mnist_arrays()
    order = np.random.default_rng(seed).permutation(len(X))
    held_out, kept = order[:10_000], order[10_000:]
    candidates = {
        lr: fit_softmax_regression(
            X[kept],
            labels[kept],
            10,
            lr=lr,
            epochs=8,
            seed=seed,
            X_validation=X[held_out],
            labels_validation=labels[held_out],
        )
        for lr in (0.05, 0.5, 5.0)
    }
    best = {lr: model.history[model.best_epoch - 1]["validation_accuracy"] for lr, model in candidates.items()}
    model = candidates[max(best, key=best.get)]
    before = entropy(test.class_counts() / len(test), base=2)
    after = cross_entropy(model.logits(X_test), one_hot(labels_test, 10)).mean() / np.log(2)

    # Two separable classes, without and with the L2 penalty.
    X_sep, y_sep = three_blobs(n_per_class=50, radius=2.5, spread=0.6, seed=seed)
    X_sep, y_sep = X_sep[y_sep < 2], y_sep[y_sep < 2]
    norms = {
        (l2, epochs): np.linalg.norm(
            fit_logistic_regression(X_sep, y_sep, lr=0.5, epochs=epochs, l2=l2, log_every=epochs).w
        )
        for l2 in (0.0, 0.01)
        for epochs in (4000, 16000)
    }

    # Chapter 1's line, fitted without a hidden layer by squared error and by cross-entropy.
    line = three_classes(data_seed=seed)
    middle_wins, line_accuracy = {}, {}
    for name, loss_function, targets in (
        ("squared error", torch.nn.functional.mse_loss, line.one_hot()),
        ("cross-entropy", torch.nn.functional.cross_entropy, line.y),
    ):
        torch.manual_seed(seed)
        linear = torch.nn.Linear(1, 3)
        fit(linear, line.x, targets, loss_function, epochs=500, lr=0.05, momentum=0.9)
        with torch.no_grad():
            middle_wins[name] = int((linear(input_grid()).argmax(dim=1) == 1).sum())
            line_accuracy[name] = (linear(line.x).argmax(dim=1) == line.y).float().mean().item()

    # The chapter's blobs and training run; the seed draws the points and the minibatch order.
    X_blobs, y_blobs = three_blobs(n_per_class=100, radius=2.5, spread=1.0, seed=seed)
    blobs = fit_softmax_regression(X_blobs, y_blobs, 3, lr=0.5, epochs=20, batch_size=30, seed=seed)
    means = np.stack([X_blobs[y_blobs == k].mean(axis=0) for k in range(3)])
    cosines = (blobs.W @ means.T) / np.outer(np.linalg.norm(blobs.W, axis=1), np.linalg.norm(means, axis=1))
    return {
        "ch2 cross-entropy gradient: relative error vs autograd": max(autograd_errors),
        "ch2 cross-entropy gradient: largest gap to finite differences": max(numeric_errors),
        "ch2 logistic regression: largest test-probability gap to scikit-learn": gap,
        "ch2 logistic regression: test predictions that differ from scikit-learn's": differ,
        "ch2 softmax regression on MNIST: test accuracy": model.accuracy(X_test, labels_test),
        "ch2 exercise: test cross-entropy minus the label entropy (bits)": after - before,
        "ch2 softmax regression on three blobs: training accuracy": blobs.accuracy(X_blobs, y_blobs),
        "ch2 three blobs: w_k at a smaller angle to another class's mean": int(
            np.sum(cosines.argmax(axis=1) != np.arange(3))
        ),
        "ch2 separable data: |w| after 16000 epochs minus after 4000, no penalty": norms[0.0, 16000] - norms[0.0, 4000],
        "ch2 separable data: |w| change from 4000 to 16000 epochs, lambda 0.01": abs(
            norms[0.01, 16000] - norms[0.01, 4000]
        ),
        "ch2 chapter 1's line: grid points the middle class wins, squared error": middle_wins["squared error"],
        "ch2 chapter 1's line: grid points the middle class wins, cross-entropy": middle_wins["cross-entropy"],
        "ch2 chapter 1's line: cross-entropy accuracy minus the best rule's": line_accuracy["cross-entropy"]
        - line.bayes_accuracy(),
    }


@sweep("ch3")
def chapter3(seed: int) -> dict[str, float]:
    from helpers.ch03_cifar_one_layer import init_params
    from helpers.ch03_cifar_one_layer.gradcheck import gradient_errors
    from helpers.cifar_one_layer.model import mirror_symmetry, roughness, winning_confidence
    from helpers.cifar_one_layer.search import (
        SETTINGS,
        ZERO_START,
        best,
        best_eta_by_batch_size,
        final_runs,
        four_settings,
        grid_search,
        improved_config,
        improvements,
    )

    data, all_data = _cifar_splits(1), _cifar_splits(5, seed)
    rng = np.random.default_rng(seed)
    W, b = init_params(seed=seed + 1)
    X, y = data.x_train[:100].astype(np.float64), data.y_train[:100]
    weights = [(int(k), int(j)) for k, j in zip(rng.integers(0, 10, 40), rng.integers(0, 3072, 40))]
    errors = gradient_errors(W, b, X, y, weights).values()

    settings = four_settings(data, seed, curves=False)
    setting2 = settings["setting 2 (eta 0.001, lambda 0)"]
    _, s2, s3, s4 = (settings[name] for name in SETTINGS)

    def gap(run):  # train minus validation accuracy after the last epoch, in points
        return 100 * (run.history[-1]["train_accuracy"] - run.history[-1]["val_accuracy"])

    coarse_etas, coarse_lams = (0.001, 0.005, 0.02), (0.0, 0.01, 0.1)
    eta0, lam0 = best(grid_search(data, coarse_etas, coarse_lams, seed=seed, curves=False))
    fine_lams = sorted({lam0 / 2, lam0, lam0 * 2, 0.001})
    fine = grid_search(data, (eta0 / 2, eta0, eta0 * 2), fine_lams, seed=seed, curves=False)
    rows = improvements(*best(fine), data, all_data, extra={}, seed=seed)  # as the chapter trains them
    best_ce, no_flips = rows["+ flip augmentation"], rows["+ learning-rate decay"]
    coarse_mbce = grid_search(
        data, tuple(10 * e for e in coarse_etas), coarse_lams, loss="mbce", seed=seed, curves=False
    )
    finals = final_runs(
        {
            "crossentropy": improved_config("crossentropy", *best(fine), decay=True, flip=True),
            "mbce": improved_config("mbce", *best(coarse_mbce), decay=True, flip=True),
        },
        all_data,
        seed,
    )
    ce_plateau, best_mbce = finals["crossentropy"], finals["mbce"]

    def confidence(run, loss):
        return winning_confidence(run.W, run.b, all_data.x_test, loss).mean()

    best_eta = best_eta_by_batch_size(data, (0.0025, 0.005, 0.01, 0.02, 0.04), (25, 400), seed=seed)
    return {
        "ch3 gradient check: relative error vs autograd": max(e[0] for e in errors),
        "ch3 gradient check: largest difference from finite differences": max(e[1] for e in errors),
        "ch3 setting 2: test accuracy (%)": 100 * setting2.test_accuracy,
        "ch3 best cross-entropy: test accuracy (%)": 100 * best_ce.test_accuracy,
        "ch3 best sigmoid + MBCE: test accuracy (%)": 100 * best_mbce.test_accuracy,
        "ch3 setting 2: zero init minus N(0, 0.01^2) init (points)": 100
        * (settings[ZERO_START].test_accuracy - setting2.test_accuracy),
        "ch3 setting 2: template roughness, zero init minus N(0, 0.01^2) init": roughness(settings[ZERO_START].W)
        - roughness(s2.W),
        "ch3 L2: weight norm, setting 3 minus setting 2": np.linalg.norm(s3.W) - np.linalg.norm(s2.W),
        "ch3 L2: largest abs weight, setting 3 minus setting 2": np.abs(s3.W).max() - np.abs(s2.W).max(),
        "ch3 L2: template roughness, setting 3 minus setting 2": roughness(s3.W) - roughness(s2.W),
        "ch3 L2: template roughness, setting 4 minus setting 3": roughness(s4.W) - roughness(s3.W),
        "ch3 L2: train-validation gap, setting 3 minus setting 2 (points)": gap(s3) - gap(s2),
        "ch3 L2: train-validation gap, setting 4 minus setting 3 (points)": gap(s4) - gap(s3),
        "ch3 exercise 1: sigmoid mean confidence minus softmax's": confidence(best_mbce, "mbce")
        - confidence(ce_plateau, "crossentropy"),
        "ch3 exercise 2: template mirror symmetry with flips minus without": mirror_symmetry(best_ce.W)
        - mirror_symmetry(no_flips.W),
        "ch3 exercise 3: doublings of the best eta from batch 25 to 400": np.log2(best_eta[400] / best_eta[25]),
    }


@sweep("ch4")
def chapter4(seed: int) -> dict[str, float]:
    from helpers.ch04_limits_of_linearity import StageConfig, build_model, least_squares, train_together

    data = _mnist_tensors(seed)
    stages = {
        "ch4 1. Linear + MSE: test accuracy (%)": StageConfig(model="linear", loss="mse"),
        "ch4 2. Linear + CE: test accuracy (%)": StageConfig(model="linear"),
        "ch4 3. MLP + ReLU: test accuracy (%)": StageConfig(model="mlp"),
        "ch4 4. + Dropout(0.5): test accuracy (%)": StageConfig(model="mlp", dropout=0.5),
        "ch4 5. + BatchNorm: test accuracy (%)": StageConfig(model="mlp", batchnorm=True),
    }
    controls = {
        "on logits": StageConfig(model="linear", loss="mse", mse_on="logits"),
        "no ReLU": StageConfig(model="mlp", relu=False),
    }
    # a seed's networks train together, as the chapter trains its seeds after the first
    configs = [StageConfig(**{**config.as_dict(), "seed": seed}) for config in [*stages.values(), *controls.values()]]
    trained = dict(zip([*stages, *controls], train_together(configs, data, curves=False)))
    results = {name: trained[name] for name in stages}
    on_logits, no_relu = trained["on logits"], trained["no ReLU"]
    weights, bias = least_squares(data.x_train, data.y_train)
    one_hot = torch.nn.functional.one_hot(data.y_train, 10).float()
    with torch.no_grad():
        best_mse = torch.nn.functional.mse_loss(data.x_train @ weights.T + bias, one_hot).item()
        trained_mse = torch.nn.functional.mse_loss(on_logits.model.eval()(data.x_train), one_hot).item()
        dropout_model = results["ch4 4. + Dropout(0.5): test accuracy (%)"].model
        torch.manual_seed(seed)
        noisy = (dropout_model.train()(data.x_test).argmax(dim=1) == data.y_test).float().mean().item()
        clean = (dropout_model.eval()(data.x_test).argmax(dim=1) == data.y_test).float().mean().item()

        def errors(name):
            return int((results[name].model.eval()(data.x_test).argmax(dim=1) != data.y_test).sum())

    values = {name: 100 * result.test_accuracy for name, result in results.items()}
    mlp, linear_ce = values["ch4 3. MLP + ReLU: test accuracy (%)"], values["ch4 2. Linear + CE: test accuracy (%)"]
    torch.manual_seed(seed)
    fresh = build_model("mlp")
    with torch.no_grad():
        start_loss = torch.nn.functional.cross_entropy(fresh(data.x_val), data.y_val).item()
    return {
        **values,
        "ch4 MLP's validation loss before training: distance to ln 10": abs(start_loss - np.log(10)),
        "ch4 3. MLP + ReLU minus the no-ReLU net (points)": mlp - 100 * no_relu.test_accuracy,
        "ch4 no-ReLU net: distance to 2. Linear + CE (points)": abs(100 * no_relu.test_accuracy - linear_ce),
        "ch4 no-ReLU net: gap to MLP minus gap to linear CE": (
            mlp - 100 * no_relu.test_accuracy - abs(100 * no_relu.test_accuracy - linear_ce)
        ),
        "ch4 least squares: training MSE minus Adam's": best_mse - trained_mse,
        "ch4 MSE on probabilities minus MSE on logits (points)": values["ch4 1. Linear + MSE: test accuracy (%)"]
        - 100 * on_logits.test_accuracy,
        "ch4 exercise 2: dropout off minus on at test time (points)": 100 * (clean - noisy),
        "ch4 exercise 3: linear model's test errors minus the MLP's": errors("ch4 2. Linear + CE: test accuracy (%)")
        - errors("ch4 3. MLP + ReLU: test accuracy (%)"),
    }


@sweep("tests")
def unit_tests(seed: int) -> dict[str, float]:
    """The training in tests/, with its fixed seeds replaced by ``seed``."""
    sys.path.insert(0, str(TEST_DATA.parent))  # on a Dask worker, data_files was uploaded to it
    from data_files import SMALL_SIZES, make_dataset_dir, separable_classes, separable_data, use_sizes
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from helpers.ch01_regression_argmax import TrainConfig, make_model, three_classes, train, train_many
    from helpers.ch02_softmax_cross_entropy.linear_models import fit_logistic_regression, fit_softmax_regression
    from helpers.ch03_cifar_one_layer import TrainConfig as CifarConfig
    from helpers.ch03_cifar_one_layer import init_params, load_splits, loss_and_cost
    from helpers.ch03_cifar_one_layer import train as train_cifar
    from helpers.ch04_limits_of_linearity import StageConfig, least_squares, train_stage
    from helpers.tiny_net import fit

    differences, loss_differences = [], []
    for lr, momentum, nesterov in [(0.1, 0.9, True), (0.03, 0.0, True), (0.3, 0.5, True), (0.1, 0.9, False)]:
        data = three_classes(seed)
        model = make_model(8, seed)
        losses = fit(model, data.x, data.one_hot(), torch.nn.functional.mse_loss, 60, lr, momentum, nesterov)
        run = train_many(data, [lr], [momentum], 60, 8, seed, nesterov=nesterov)
        loss_differences.append(np.abs(run.loss[0, :-1] / np.array(losses) - 1).max())
        differences += [(run.final[0][name] - p).abs().max().item() for name, p in model.state_dict().items()]
    data = three_classes(seed + 1)
    together = train_many(data, [0.1, 0.01], [0.9, 0.0], 50, init_seed=seed)
    batched = max(
        np.abs(together.grid_logits[m] - train_many(data, [lr], [m_], 50, init_seed=seed).grid_logits[0]).max()
        for m, (lr, m_) in enumerate([(0.1, 0.9), (0.01, 0.0)])
    )
    default = train(TrainConfig(epochs=100, data_seed=seed, init_seed=seed))
    quiet = train_many(three_classes(seed), [5.0, 0.1], [0.9, 0.9], 100, init_seed=seed, record_history=False)

    X, y = make_classification(n_samples=300, n_features=5, random_state=seed)
    ours = fit_logistic_regression(X, y, lr=1.0, epochs=20000)
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(X, y)
    X_train, labels_train, X_test, labels_test = separable_classes(seed + 1)
    softmax_model = fit_softmax_regression(X_train, labels_train, 3, lr=0.5, epochs=4, batch_size=50, seed=seed)

    stage_accuracies, stage_loss_changes = [], []
    for config in [
        StageConfig("linear", "crossentropy"),
        StageConfig("linear", "mse"),
        StageConfig("linear", "mse", mse_on="logits"),
        StageConfig("mlp", hidden=32, dropout=0.5),
        StageConfig("mlp", hidden=32, batchnorm=True),
    ]:
        config = StageConfig(**{**config.as_dict(), "epochs": 4, "batch_size": 32, "lr": 1e-2, "seed": seed})
        stage = train_stage(config, separable_data(seed=seed))
        stage_accuracies.append(stage.test_accuracy)
        stage_loss_changes.append(stage.history[-1]["train_loss"] - stage.history[0]["train_loss"])
    small = separable_data(n=400, seed=seed)
    weights, bias = least_squares(small.x_train, small.y_train)
    targets = torch.nn.functional.one_hot(small.y_train, 10).float()
    trained = train_stage(
        StageConfig("linear", "mse", mse_on="logits", epochs=20, batch_size=32, lr=1e-2, seed=seed), small
    )
    with torch.no_grad():
        best_mse = torch.nn.functional.mse_loss(small.x_train @ weights.T + bias, targets).item()
        reached = torch.nn.functional.mse_loss(trained.model.eval()(small.x_train), targets).item()
    from helpers.data import locations

    # the loaders expect the tiny files, as in the tests; the real sizes come back after
    with (
        tempfile.TemporaryDirectory() as folder,
        patch.dict(locations.MNIST_SPLIT_SIZES),
        patch.dict(locations.CIFAR10_BATCH_SIZES),
    ):
        use_sizes(operator.setitem, **SMALL_SIZES)
        tiny = load_splits(3, validation_size=4, data_dir=make_dataset_dir(Path(folder) / "data"))
    cifar = train_cifar(CifarConfig(lr=0.01, lam=0.01, epochs=3, batch_size=5, decay=0.9, flip=True, seed=seed), tiny)
    initial_cost = loss_and_cost(*init_params(seed), tiny.x_train, tiny.y_train, 0.01, "crossentropy")[1]
    return {
        "tests: runs at lr 5 and 0.1 whose divergence is not as expected": int(
            sum(quiet.diverged() != np.array([True, False]))
        ),
        "tests: softmax regression on separable classes, last epoch's loss minus the first's": (
            softmax_model.history[-1]["train_loss"] - softmax_model.history[0]["train_loss"]
        ),
        "tests: every MNIST stage on separable data, last epoch's loss minus the first's": max(stage_loss_changes),
        "tests: three CIFAR epochs, final cost minus the initial cost": cifar.history[-1]["train_cost"] - initial_cost,
        "tests: written-out vs torch.optim training, largest weight difference": max(differences),
        "tests: written-out vs torch.optim training, largest relative loss difference": max(loss_differences),
        "tests: batched vs separate runs, largest logit difference": float(batched),
        "tests: 100 epochs of the default run, final over initial loss": float(default.loss[-1] / default.loss[0]),
        "tests: 100 epochs of the default run, accuracy minus the best rule's": float(default.accuracy[-1])
        - default.data.bayes_accuracy(),
        "tests: logistic regression, largest probability gap to scikit-learn": float(
            np.abs(ours.predict_proba(X) - reference.predict_proba(X)[:, 1]).max()
        ),
        "tests: softmax regression on separable classes, test accuracy": softmax_model.accuracy(X_test, labels_test),
        "tests: every MNIST stage on separable data, test accuracy": min(stage_accuracies),
        "tests: least squares, training MSE minus Adam's": best_mse - reached,
    }


def spread(values: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation over the seeds whose value is finite (a diverged run is inf)."""
    finite = values[np.isfinite(values)]
    return (float(finite.mean()), float(finite.std())) if len(finite) else (np.nan, np.nan)


def margin(name: str, values: np.ndarray) -> float:
    """How far the worst seed is from the bound, in standard deviations of the sweep."""
    bound = BOUNDS[name]
    distance = values.min() - bound.bound if bound.is_lower else bound.bound - values.max()
    std = spread(values)[1]
    if not all(bound.holds(v) for v in values):
        return -np.inf if std == 0 else min(distance / std, -1e-9)
    return np.inf if std == 0 or not np.isfinite(distance) else distance / std


def is_comparison(name: str) -> bool:
    return " minus " in name


def verdict(name: str, values: np.ndarray) -> str:
    """ "ok", or what the rule says is wrong with this bound; and how many seeds were infinite."""
    infinite = int(np.sum(~np.isfinite(values)))
    note = f" ({infinite} of {len(values)} seeds inf)" if infinite else ""
    if not all(BOUNDS[name].holds(v) for v in values):
        return "FAILS for some seed" + note
    if not is_comparison(name) and margin(name, values) < 1:
        return "margin < 1 std" + note
    return "ok" + note


#: The ``helpers`` package this process imports: on a Dask worker, the worker's own copy.
HELPERS = Path(helpers.__file__).resolve().parent
#: The most seeds and local processes a sweep takes (a typo must not fill the memory or the CPU).
MOST_SEEDS, MOST_JOBS = 10_000, 64
#: The largest task file read back: a record is a few kilobytes.
LARGEST_RECORD = 1_000_000
#: A Dask scheduler's address: a protocol, a host and perhaps a port, nothing else.
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ucx|inproc)://[A-Za-z0-9_.\-\[\]:]+")


@functools.cache
def code_identity() -> str:
    """A hash of what the values depend on: the ``helpers`` package this process imports, this
    script, the test data builders and the CPU-kernel variables. A task records the identity of
    the process that computed it, and only records of this process's identity are read."""
    digest = hashlib.sha256()
    files = {str(path.relative_to(HELPERS.parent)): path for path in sorted(HELPERS.rglob("*.py"))}
    # on a Dask worker, the test data builders are the copy uploaded beside this script
    data = TEST_DATA if TEST_DATA.is_file() else Path(__file__).with_name(TEST_DATA.name)
    files.update({"seed_sweep.py": Path(__file__).resolve(), "data_files.py": data})
    for name, path in files.items():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    # The kernels chosen, not the thread counts: every task computes on one thread (one_thread), and
    # the worker processes joblib starts set their own *_NUM_THREADS.
    digest.update(json.dumps({name: os.environ.get(name) for name in ALTERNATIVE_KERNELS}).encode())
    return digest.hexdigest()[:16]


def run_task(task: tuple[str, int]) -> dict:
    """One group of bounds for one seed; an error is returned, not raised, so that one failing
    task does not stop the others. The record says which code and kernels computed it."""
    group, seed = task
    start = time.perf_counter()
    made_by = {}
    try:
        made_by = {"identity": code_identity(), "numerics": describe_numerics()}
        values = {name: float(value) for name, value in SWEEPS[group](seed).items()}
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        return {
            "group": group,
            "seed": seed,
            "error": f"{type(error).__name__}: {error} ({where.name}, line {where.lineno})",
            **made_by,
        }
    return {"group": group, "seed": seed, "values": values, "seconds": time.perf_counter() - start, **made_by}


def group_bounds(group: str) -> set[str]:
    """The bounds a task of ``group`` must measure, every one of them."""
    return {name for name in BOUNDS if name.split()[0].rstrip(":") == group}


class StoreUnusable(Exception):
    """The results folder cannot keep a task (checked before any is computed)."""


class ResultStore:
    """One JSON file per finished task: ``<folder>/<group>-seed<seed>.json``, each a record of the
    code that computed it (``identity``): the folder is named after this code's identity, and a
    record is read back only if it is whole, of this identity, and has every bound of its group
    as a finite number."""

    def __init__(self, folder: Path, identity: str):
        self.folder = folder
        self.identity = identity
        self.numerics: dict[tuple[str, int], str] = {}  # the kernels of each task read back

    def path(self, group: str, seed: int) -> Path:
        return self.folder / f"{group}-seed{seed}.json"

    def check(self) -> None:
        """Make the folder and write and remove a file in it, or :class:`StoreUnusable`."""
        probe = self.folder / ".probe.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            cli.write_atomically(probe, lambda stream: stream.write(b"{}"))
            probe.unlink()
        except OSError as error:
            why = f"cannot keep results in {self.folder} ({error.strerror or error})"
            raise StoreUnusable(f"{why}; pass --results with a writable folder") from None

    def load(self, group: str, seed: int) -> dict[str, float] | None:
        """The task's stored values, or None if there is no such record that can be trusted."""
        path = self.path(group, seed)
        try:
            status = path.stat()  # a link is followed: to a regular file only
            if not stat.S_ISREG(status.st_mode) or status.st_size > LARGEST_RECORD:
                return None
            record = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(record, dict) or record.get("identity") != self.identity:
            return None
        if record.get("group") != group or record.get("seed") != seed:
            return None
        values = record.get("values")
        if not isinstance(values, dict) or set(values) != group_bounds(group):
            return None
        numbers = [value for value in values.values() if type(value) in (int, float)]
        if len(numbers) != len(values) or not all(math.isfinite(value) for value in numbers):
            return None
        self.numerics[group, seed] = str(record.get("numerics", "unknown kernels"))
        return {name: float(value) for name, value in values.items()}

    def save(self, record: dict) -> str | None:
        """Keep a finished task, written under a temporary name and renamed (a reader never sees
        half a file); or say in one line why it is not kept."""
        if record.get("identity") != self.identity:
            return (
                f"{record['group']} seed {record['seed']} was computed by other code or kernels "
                f"({record.get('numerics', 'unknown')}, identity {record.get('identity')}, here {self.identity}): "
                "not kept; give every worker this book's helpers and kernel settings"
            )
        data = json.dumps(record).encode()
        try:
            cli.write_atomically(self.path(record["group"], record["seed"]), lambda stream: stream.write(data))
        except OSError as error:
            return f"{record['group']} seed {record['seed']} could not be kept in {self.folder} ({error})"
        return None


class SchedulerUnreachable(Exception):
    pass


def dask_client(address: str):
    """A client of the Dask scheduler at ``address``, its workers sent this script and the test
    data builders (they need this book's ``helpers`` installed)."""
    from dask.distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {address} ({error}); start one (CONTRIBUTING.md: Every machine, "
            "every seed), or leave out --scheduler to run here"
        ) from None
    for path in (Path(__file__).resolve(), TEST_DATA):
        client.upload_file(str(path), load=False)
    return client


def run_tasks(tasks, store: ResultStore, jobs: int, scheduler: str | None) -> list[str]:
    """Compute the tasks, storing each as it finishes; the failures, one line each."""
    failures = []
    client = dask_client(scheduler) if scheduler else None
    try:
        outcomes = map_parallel(run_task, tasks, jobs, unordered=True, backend="dask" if client else None)
        for outcome in tqdm(outcomes, total=len(tasks), desc="tasks", file=sys.stderr):
            if "error" in outcome:
                failures.append(f"{outcome['group']} seed {outcome['seed']} failed: {outcome['error']}")
                tqdm.write(f"error: {failures[-1]}", file=sys.stderr)
            elif refused := store.save(outcome):
                failures.append(refused)
                tqdm.write(f"error: {refused}", file=sys.stderr)
    finally:
        if client is not None:
            client.close()
    return failures


def main(argv=None) -> int:
    parser = cli.OneLineParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=cli.whole_number, default=10, help="run seeds 0..N-1 (default 10)")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(SWEEPS), default=sorted(SWEEPS), help="only these groups of bounds"
    )
    parser.add_argument("--jobs", type=cli.whole_number, default=2, help="local worker processes (default 2)")
    parser.add_argument(
        "--scheduler",
        default=os.environ.get(SCHEDULER_VARIABLE),
        help=f"a Dask scheduler's address, tcp://HOST:8786 (default: ${SCHEDULER_VARIABLE}; none: run locally)",
    )
    parser.add_argument(
        "--results", type=Path, default=ROOT / "_build" / "seed-sweep", help="where finished tasks are kept"
    )
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error("--seeds must be at least 2 (a spread needs two runs)")
    if args.seeds > MOST_SEEDS:
        parser.error(f"--seeds must be at most {MOST_SEEDS:,}")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.jobs > MOST_JOBS:
        parser.error(f"--jobs must be at most {MOST_JOBS} (local processes)")
    if args.scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(args.scheduler):
        given = "--scheduler" if "--scheduler" in (argv or sys.argv) else f"${SCHEDULER_VARIABLE}"
        parser.error(f"{given} {args.scheduler!r} is not a Dask scheduler's address, such as tcp://HOST:8786")
    identity = code_identity()
    store = ResultStore(args.results / identity, identity)
    tasks = [(group, seed) for group in args.only for seed in range(args.seeds)]
    todo = [task for task in tasks if store.load(*task) is None]
    try:
        store.check()
    except StoreUnusable as error:
        return cli.print_error(error)
    args.jobs = min(args.jobs, max(len(todo), 1))
    where = f"the Dask scheduler at {args.scheduler}" if args.scheduler else f"{args.jobs} local processes"
    print(f"# seed sweep over seeds 0..{args.seeds - 1}")
    print(
        f"# {len(tasks) - len(todo)} of {len(tasks)} tasks already done in {store.folder}; "
        f"computing {len(todo)} on {where}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    # loky replaces a worker whose memory grew by 300 MB (a task that loaded MNIST or CIFAR-10)
    # once its task is done, and says so; no task is lost, so the warning only adds noise
    warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
    try:
        failures = run_tasks(todo, store, args.jobs, args.scheduler) if todo else []
    except SchedulerUnreachable as error:
        return cli.print_error(error)
    except KeyboardInterrupt:
        done = sum(store.load(*task) is not None for task in tasks)
        print(
            f"interrupted: {done} of {len(tasks)} tasks are kept in {store.folder}; "
            "run the same command again to compute the rest",
            file=sys.stderr,
        )
        return cli.EXIT_INTERRUPTED
    print(f"# {len(todo)} tasks in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if failures:
        print(f"error: {len(failures)} of {len(tasks)} tasks failed (above); run again to retry them", file=sys.stderr)
        return 1
    measured: dict[str, list[float]] = {}
    for group, seed in tasks:  # the table comes from the stored results, in seed order
        for name, value in store.load(group, seed).items():
            measured.setdefault(name, []).append(value)
    missing = [name for name in BOUNDS if name.split()[0].rstrip(":") in args.only and name not in measured]
    unknown = [name for name in measured if name not in BOUNDS]
    if missing or unknown:
        print(f"error: bounds without a sweep {missing}, sweeps without a bound {unknown}", file=sys.stderr)
        return 1
    for numerics in sorted(set(store.numerics.values())):  # the kernels that computed the table
        print(f"# computed with {numerics}")
    print("| assertion | bound | min | mean | std | max | margin (std) | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    broken = 0
    for name, values in measured.items():
        values = np.array(values)
        bound = BOUNDS[name]
        mean, std = spread(values)
        print(
            f"| {name} | {bound.op} {bound.bound:g} | {values.min():.4g} | {mean:.4g} | "
            f"{std:.2g} | {values.max():.4g} | {margin(name, values):.1f} | {verdict(name, values)} |"
        )
        broken += not verdict(name, values).startswith("ok")
    return 1 if broken else 0


if __name__ == "__main__":
    # Run as the module `seed_sweep` (this folder is first on the path), not as __main__: worker
    # processes then import its functions by name instead of receiving copies of them.
    import seed_sweep

    sys.exit(seed_sweep.main())
