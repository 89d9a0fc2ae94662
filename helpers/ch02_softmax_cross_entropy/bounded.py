"""Chapter 2's bounded values (``"ch2 ..."`` in :mod:`helpers.bounds`), each computed by one function.

The page's hidden checks call these functions on its own runs; :func:`measure` makes the same runs
for another seed, as the page makes seed 0's, and calls the same functions, for
``benchmarks/seed_sweep.py``. A seed changes what the page draws with its seeds: the random
logits and labels of the gradient check, which examples of logistic regression's data set train
(the data set is the page's), the blobs and their minibatch order, chapter 1's points and the
initial weights of its lines, and MNIST's validation split and minibatch order.

Where the page's visible code is the computation it teaches (the gradient check's
``gradient_errors``, the lines fitted to chapter 1's points, the choice of MNIST's learning
rate), :func:`measure` repeats it, and ``tests/test_sweep_runs_the_pages.py`` guards the copy.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from ..gradcheck import numeric_gradient, relative_error
from ..softmax import cross_entropy, cross_entropy_grad, entropy, one_hot, softmax
from ..three_classes import input_grid, three_classes
from ..tiny_net import fit
from .linear_models import fit_logistic_regression, fit_softmax_regression, three_blobs

#: The ``random_state`` of the page's logistic-regression data and split (its seed 0).
LOGISTIC_RANDOM_STATE = 42


def gradient_check_inputs(seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The logits ``o`` and the labels of each kind the page's gradient check draws: its
    generator, seeded with ``seed``, after the draws the page makes with it before (the linear
    model's ``W``, ``b`` and ``X``, the softmax check's logits and the cross-entropy's labels)."""
    rng = np.random.default_rng(seed)
    rng.normal(size=(3, 4)), rng.normal(size=3), rng.uniform(size=(5, 4))
    rng.normal(scale=4, size=(1000, 10)), rng.integers(0, 10, size=1000)
    o = rng.normal(scale=3, size=(8, 5))
    label_kinds = {
        "one-hot labels": one_hot(rng.integers(0, 5, 8), 5),
        "soft labels": softmax(rng.normal(size=(8, 5))),
    }
    return o, label_kinds


def gradient_errors(o: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``softmax(o) - y`` against autograd (relative error) and against centred finite
    differences (largest gap), as the page's ``gradient_errors`` computes them."""
    ours = cross_entropy_grad(o, y)
    t = torch.from_numpy(o).requires_grad_()
    torch.nn.functional.cross_entropy(t, torch.from_numpy(y), reduction="sum").backward()
    numeric = numeric_gradient(lambda logits: cross_entropy(logits, y).sum(), o, h=1e-5)
    return relative_error(ours, t.grad.numpy()), np.abs(ours - numeric).max()


def logistic_agreement(model, reference, X_test: np.ndarray) -> tuple[float, int]:
    """Logistic regression from scratch (``model``) against scikit-learn's (``reference``) on the
    test inputs: the largest gap between their probabilities, and how many predictions differ."""
    probability_gap = np.abs(model.predict_proba(X_test) - reference.predict_proba(X_test)[:, 1]).max()
    differ = int(np.sum((model.predict_proba(X_test) > 0.5) != reference.predict(X_test)))
    return probability_gap, differ


def weight_norm_changes(weight_norms: dict[tuple[float, int], float]) -> tuple[float, float]:
    """From ``|w|`` by (L2 penalty, epochs) on separable data: how much it grows from 4000 to
    16000 epochs without the penalty, and how much it moves with ``lambda = 0.01``."""
    return (
        weight_norms[0.0, 16000] - weight_norms[0.0, 4000],
        abs(weight_norms[0.01, 16000] - weight_norms[0.01, 4000]),
    )


def misaligned_weights(model, X: np.ndarray, labels: np.ndarray) -> int:
    """How many rows ``w_k`` of softmax regression's ``W`` make a smaller angle with another
    class's mean than with their own class's."""
    class_means = np.stack([X[labels == k].mean(axis=0) for k in range(len(model.W))])
    cosines = (model.W @ class_means.T) / np.outer(np.linalg.norm(model.W, axis=1), np.linalg.norm(class_means, axis=1))
    return int(np.sum(cosines.argmax(axis=1) != np.arange(len(model.W))))


def accuracy_minus_best_rule(accuracy: float, line) -> float:
    """A training accuracy on chapter 1's points minus the nearest-centre rule's."""
    return accuracy - line.bayes_accuracy()


def bits_above_label_entropy(model, X_test: np.ndarray, test) -> float:
    """Exercise 3: the MNIST model's mean test cross-entropy minus the test labels' entropy, in
    bits (negative: the bits per label the model's predictions save)."""
    before = entropy(test.class_counts() / len(test), base=2)
    after = cross_entropy(model.logits(X_test), one_hot(test.labels, 10)).mean() / np.log(2)
    return after - before


@functools.cache
def _mnist():
    """MNIST as the page prepares it: pixels in 0..1, one row per image."""
    from ..data import load_mnist

    train, test = load_mnist("train"), load_mnist("test")
    X = train.images.reshape(len(train), -1).astype(np.float32) / 255
    X_test = test.images.reshape(len(test), -1).astype(np.float32) / 255
    return X, train.labels, X_test, test


def measure(seed: int) -> dict[str, float]:
    """Every ``ch2`` bound, for the page's runs made with ``seed`` in place of its seed 0."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    # The gradient check, for each kind of labels (the page checks both: the worst counts).
    o, label_kinds = gradient_check_inputs(seed)
    relative, numeric = np.max([gradient_errors(o, y) for y in label_kinds.values()], axis=0)

    # Logistic regression from scratch against scikit-learn's: the page's data set (the bound is
    # about it: other draws of make_classification can be separable, with no minimum to agree
    # on), and the seed draws which of its examples train.
    X_all, y_all = make_classification(n_samples=1000, n_features=20, n_classes=2, random_state=LOGISTIC_RANDOM_STATE)
    X_train, X_test, y_train, y_test = train_test_split(
        X_all, y_all, test_size=0.3, random_state=LOGISTIC_RANDOM_STATE + seed
    )
    logistic = fit_logistic_regression(X_train, y_train, lr=0.1, epochs=2000, log_every=500)
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X_train, y_train)
    probability_gap, differ = logistic_agreement(logistic, reference, X_test)

    # Two separable classes, without and with the L2 penalty (the epochs the bounds compare).
    X_sep, y_sep = three_blobs(n_per_class=50, radius=2.5, spread=0.6, seed=seed)
    X_sep, y_sep = X_sep[y_sep < 2], y_sep[y_sep < 2]
    weight_norms = {
        (l2, epochs): np.linalg.norm(
            fit_logistic_regression(X_sep, y_sep, lr=0.5, epochs=epochs, l2=l2, log_every=epochs).w
        )
        for l2 in (0.0, 0.01)
        for epochs in (4000, 16000)
    }
    growth_free, change_penalised = weight_norm_changes(weight_norms)

    # Softmax regression on the three blobs.
    X_blobs, y_blobs = three_blobs(n_per_class=100, radius=2.5, spread=1.0, seed=seed)
    blobs_model = fit_softmax_regression(X_blobs, y_blobs, 3, lr=0.5, epochs=20, batch_size=30, seed=seed)

    # Chapter 1's line, fitted without a hidden layer by squared error and by cross-entropy.
    line = three_classes(data_seed=seed)
    losses_and_targets = {
        "squared error": (torch.nn.functional.mse_loss, line.one_hot()),
        "cross-entropy": (torch.nn.functional.cross_entropy, line.y),
    }
    middle_wins, line_accuracy = {}, {}
    for name, (loss_function, targets) in losses_and_targets.items():
        torch.manual_seed(seed)
        model = torch.nn.Linear(1, 3)
        fit(model, line.x, targets, loss_function, epochs=500, lr=0.05, momentum=0.9)
        with torch.no_grad():
            grid_outputs = model(input_grid()).numpy()
            predicted = model(line.x).argmax(dim=1)
        middle_wins[name] = int(np.bincount(grid_outputs.argmax(axis=1), minlength=3)[1])
        line_accuracy[name] = (predicted == line.y).float().mean().item()

    # MNIST: the learning rate and the epoch chosen on a validation set, then the test set.
    X_mnist, labels, X_mnist_test, test = _mnist()
    order = np.random.default_rng(seed).permutation(len(X_mnist))
    held_out, kept = order[:10_000], order[10_000:]
    X_kept, X_held_out = X_mnist[kept], X_mnist[held_out]
    candidates = {
        lr: fit_softmax_regression(
            X_kept,
            labels[kept],
            10,
            lr=lr,
            epochs=8,
            seed=seed,
            X_validation=X_held_out,
            labels_validation=labels[held_out],
        )
        for lr in (0.05, 0.5, 5.0)
    }
    best_accuracy = {lr: model.history[model.best_epoch - 1]["validation_accuracy"] for lr, model in candidates.items()}
    mnist_model = candidates[max(best_accuracy, key=best_accuracy.get)]

    return {
        "ch2 cross-entropy gradient: relative error vs autograd": relative,
        "ch2 cross-entropy gradient: largest gap to finite differences": numeric,
        "ch2 logistic regression: largest test-probability gap to scikit-learn": probability_gap,
        "ch2 logistic regression: test predictions that differ from scikit-learn's": differ,
        "ch2 separable data: |w| after 16000 epochs minus after 4000, no penalty": growth_free,
        "ch2 separable data: |w| change from 4000 to 16000 epochs, lambda 0.01": change_penalised,
        "ch2 softmax regression on three blobs: training accuracy": blobs_model.accuracy(X_blobs, y_blobs),
        "ch2 three blobs: w_k at a smaller angle to another class's mean": misaligned_weights(
            blobs_model, X_blobs, y_blobs
        ),
        "ch2 chapter 1's line: grid points the middle class wins, squared error": middle_wins["squared error"],
        "ch2 chapter 1's line: grid points the middle class wins, cross-entropy": middle_wins["cross-entropy"],
        "ch2 chapter 1's line: cross-entropy accuracy minus the best rule's": accuracy_minus_best_rule(
            line_accuracy["cross-entropy"], line
        ),
        "ch2 softmax regression on MNIST: test accuracy": mnist_model.accuracy(X_mnist_test, test.labels),
        "ch2 exercise: test cross-entropy minus the label entropy (bits)": bits_above_label_entropy(
            mnist_model, X_mnist_test, test
        ),
    }
