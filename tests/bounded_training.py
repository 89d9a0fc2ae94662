"""The training the unit tests check against bounds (``"tests: ..."`` in :mod:`helpers.bounds`),
as ``benchmarks/seed_sweep.py`` runs it for other seeds."""

from __future__ import annotations

import operator
import tempfile
from pathlib import Path
from unittest.mock import patch

import numpy as np
import torch


def measure(seed: int) -> dict[str, float]:
    """The bounds the unit tests check, measured with ``seed`` in place of their fixed seeds."""
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
