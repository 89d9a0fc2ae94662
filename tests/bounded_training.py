"""The training the unit tests check against bounds (``"tests: ..."`` in :mod:`helpers.bounds`),
each bounded value computed by one function here.

The unit tests call these functions with their fixed seeds and check what they return;
:func:`measure`, which ``benchmarks/seed_sweep.py`` runs for other seeds, calls the same functions
with ``seed`` and, for a test run over several cases, keeps the case nearest the bound. This
module is uploaded to the sweep's Dask workers: it imports only ``data_files`` (beside it),
``helpers`` and installed packages, never pytest.
"""

from __future__ import annotations

import operator
import tempfile
from pathlib import Path
from unittest.mock import patch

import numpy as np
import torch
from data_files import SMALL_SIZES, make_dataset_dir, separable_classes, separable_data, use_sizes
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from helpers.bounds import worst
from helpers.ch01_regression_argmax import TrainConfig, make_model, three_classes, train, train_many
from helpers.ch02_softmax_cross_entropy.linear_models import fit_logistic_regression, fit_softmax_regression
from helpers.ch03_cifar_one_layer import TrainConfig as CifarConfig
from helpers.ch03_cifar_one_layer import init_params, load_splits, loss_and_cost
from helpers.ch03_cifar_one_layer import train as train_cifar
from helpers.ch04_limits_of_linearity import StageConfig, least_squares, train_stage
from helpers.tiny_net import fit

#: The (lr, momentum, nesterov) at which written-out training is compared with torch.optim's.
OPTIMIZER_SETTINGS = [(0.1, 0.9, True), (0.03, 0.0, True), (0.3, 0.5, True), (0.1, 0.9, False)]

#: Chapter 4's stages, small enough for separable data (:func:`stage_on_separable_data` sets
#: their training protocol).
STAGES = [
    StageConfig("linear", "crossentropy"),
    StageConfig("linear", "mse"),
    StageConfig("linear", "mse", mse_on="logits"),
    StageConfig("mlp", hidden=32, dropout=0.5),
    StageConfig("mlp", hidden=32, batchnorm=True),
]


def written_out_vs_torch_optim(lr: float, momentum: float, nesterov: bool, seed: int = 0) -> tuple[float, float]:
    """Chapter 1's network trained 60 epochs by the written-out loop (``fit``) and by
    ``train_many`` (torch.optim): the largest difference of their final weights, and the
    largest relative difference of their losses."""
    data = three_classes(seed)
    model = make_model(8, seed)
    losses = fit(model, data.x, data.one_hot(), torch.nn.functional.mse_loss, 60, lr, momentum, nesterov)
    history = train_many(data, [lr], [momentum], 60, 8, seed, nesterov=nesterov)
    final_state = history.final[0]
    weights = max((final_state[name] - p).abs().max().item() for name, p in model.state_dict().items())
    return weights, np.abs(history.loss[0, :-1] / np.array(losses) - 1).max()


def batched_vs_separate(seed: int = 0) -> float:
    """Two runs of chapter 1's network trained together against each trained alone: the
    largest difference of their logits on the grid."""
    data = three_classes(seed + 1)
    together = train_many(data, [0.1, 0.01], [0.9, 0.0], 50, init_seed=seed)
    return max(
        np.abs(together.grid_logits[m] - train_many(data, [lr], [momentum], 50, init_seed=seed).grid_logits[0]).max()
        for m, (lr, momentum) in enumerate([(0.1, 0.9), (0.01, 0.0)])
    )


def default_run(seed: int = 0, keep_checkpoints: bool = False):
    """Chapter 1's default run, 100 epochs, and its final over initial loss and its training
    accuracy minus the best rule's: ``(run, ratio, accuracy gap)``."""
    run = train(TrainConfig(epochs=100, data_seed=seed, init_seed=seed), keep_checkpoints=keep_checkpoints)
    return run, run.loss[-1] / run.loss[0], run.accuracy[-1] - run.data.bayes_accuracy()


def quiet_divergence(seed: int = 0):
    """Runs at lr 5 and 0.1 (momentum 0.9, 100 epochs) without their history, and how many of
    them do not diverge as expected (the first should, the second not): ``(history, count)``."""
    history = train_many(three_classes(seed), [5.0, 0.1], [0.9, 0.9], 100, init_seed=seed, record_history=False)
    return history, int(sum(history.diverged() != np.array([True, False])))


def logistic_vs_sklearn(seed: int = 0):
    """Logistic regression from scratch, and the largest gap between its training probabilities
    and those of scikit-learn's, unpenalised and converged tightly: ``(model, gap)``."""
    X, y = make_classification(n_samples=300, n_features=5, random_state=seed)
    ours = fit_logistic_regression(X, y, lr=1.0, epochs=20000)
    # scikit-learn's default tolerance stops about 4e-4 short of the optimum; ask it to converge
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(X, y)
    return ours, np.abs(ours.predict_proba(X) - reference.predict_proba(X)[:, 1]).max()


def softmax_on_separable_classes(seed: int = 0):
    """Softmax regression trained 4 epochs on three separable classes, its test accuracy, and
    its last epoch's training loss minus its first's: ``(model, accuracy, loss change)``."""
    X_train, labels_train, X_test, labels_test = separable_classes(seed + 1)
    model = fit_softmax_regression(X_train, labels_train, 3, lr=0.5, epochs=4, batch_size=50, seed=seed)
    loss_change = model.history[-1]["train_loss"] - model.history[0]["train_loss"]
    return model, model.accuracy(X_test, labels_test), loss_change


def stage_on_separable_data(config: StageConfig, seed: int = 0):
    """One of :data:`STAGES` trained 4 epochs on separable MNIST-shaped data, its last epoch's
    training loss minus its first's, and its test accuracy: ``(result, loss change, accuracy)``."""
    config = StageConfig(**{**config.as_dict(), "epochs": 4, "batch_size": 32, "lr": 1e-2, "seed": seed})
    result = train_stage(config, separable_data(seed=seed))
    return result, result.history[-1]["train_loss"] - result.history[0]["train_loss"], result.test_accuracy


def least_squares_vs_adam(seed: int = 0):
    """The least-squares fit of a linear model on small separable data and its training MSE,
    and that MSE minus the one Adam reaches in 20 epochs: ``((data, weights, bias, mse), gap)``."""
    data = separable_data(n=400, seed=seed)
    weights, bias = least_squares(data.x_train, data.y_train)
    targets = torch.nn.functional.one_hot(data.y_train, 10).float()
    best = torch.nn.functional.mse_loss(data.x_train @ weights.T + bias, targets)
    config = StageConfig("linear", "mse", mse_on="logits", epochs=20, batch_size=32, lr=1e-2, seed=seed)
    trained = train_stage(config, data)
    with torch.no_grad():
        reached = torch.nn.functional.mse_loss(trained.model.eval()(data.x_train), targets)
    return (data, weights, bias, best), (best - reached).item()


def tiny_cifar_splits(folder: Path):
    """Chapter 3's splits of a tiny CIFAR-10 written in ``folder``; the loaders must expect
    :data:`data_files.SMALL_SIZES`."""
    return load_splits(3, validation_size=4, data_dir=make_dataset_dir(folder / "data"))


def three_cifar_epochs(data, seed: int = 0):
    """Chapter 3's network trained 3 epochs on ``data`` (:func:`tiny_cifar_splits`), and its final
    training cost minus the initial one: ``(result, cost change)``."""
    config = CifarConfig(lr=0.01, lam=0.01, epochs=3, batch_size=5, decay=0.9, flip=True, seed=seed)
    result = train_cifar(config, data)
    initial_cost = loss_and_cost(*init_params(seed), data.x_train, data.y_train, 0.01, "crossentropy")[1]
    return result, result.history[-1]["train_cost"] - initial_cost


def measure(seed: int) -> dict[str, float]:
    """The bounds the unit tests check, measured with ``seed`` in place of their fixed seeds."""
    weights, losses = zip(*(written_out_vs_torch_optim(*setting, seed=seed) for setting in OPTIMIZER_SETTINGS))
    _, loss_ratio, accuracy_gap = default_run(seed)
    _, separable_accuracy, separable_loss_change = softmax_on_separable_classes(seed)
    _, stage_loss_changes, stage_accuracies = zip(*(stage_on_separable_data(config, seed) for config in STAGES))
    # the loaders expect the tiny files, as in the tests; the real sizes come back after
    from helpers.data import locations

    with (
        tempfile.TemporaryDirectory() as folder,
        patch.dict(locations.MNIST_SPLIT_SIZES),
        patch.dict(locations.CIFAR10_BATCH_SIZES),
    ):
        use_sizes(operator.setitem, **SMALL_SIZES)
        tiny = tiny_cifar_splits(Path(folder))
    values = {
        "tests: written-out vs torch.optim training, largest weight difference": weights,
        "tests: written-out vs torch.optim training, largest relative loss difference": losses,
        "tests: batched vs separate runs, largest logit difference": batched_vs_separate(seed),
        "tests: 100 epochs of the default run, final over initial loss": loss_ratio,
        "tests: 100 epochs of the default run, accuracy minus the best rule's": accuracy_gap,
        "tests: runs at lr 5 and 0.1 whose divergence is not as expected": quiet_divergence(seed)[1],
        "tests: logistic regression, largest probability gap to scikit-learn": logistic_vs_sklearn(seed)[1],
        "tests: softmax regression on separable classes, test accuracy": separable_accuracy,
        "tests: softmax regression on separable classes, last epoch's loss minus the first's": separable_loss_change,
        "tests: every MNIST stage on separable data, last epoch's loss minus the first's": stage_loss_changes,
        "tests: every MNIST stage on separable data, test accuracy": stage_accuracies,
        "tests: least squares, training MSE minus Adam's": least_squares_vs_adam(seed)[1],
        "tests: three CIFAR epochs, final cost minus the initial cost": three_cifar_epochs(tiny, seed)[1],
    }
    # a test that checks a bound over several cases: the case nearest the bound
    return {name: worst(name, value) if isinstance(value, tuple) else value for name, value in values.items()}
