"""Logistic and softmax regression trained from scratch: numpy, gradients by formula (chapter 2).

No autograd and no ``nn.Module``: the gradient of the mean loss with respect to the logits is
``sigmoid(z) - y`` (binary) or ``softmax(o) - y`` (multi-class), and the chain rule through
``z = Xw + b`` (binary) or ``O = X W^T + b`` (multi-class, ``W`` of shape ``(K, D)``, one row per
class, the book's convention) multiplies it by the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..softmax import (
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
    sigmoid,
)


@dataclass
class LogisticRegression:
    """``p(y = 1 | x) = sigmoid(x . w + b)``; ``losses`` maps an epoch to the mean training BCE."""

    w: np.ndarray
    b: float
    losses: dict[int, float] = field(default_factory=dict)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(X @ self.w + self.b)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean((self.predict_proba(X) > 0.5) == y))


def logistic_regression_step(
    model: LogisticRegression,
    X: np.ndarray,
    y: np.ndarray,
    lr: float,
) -> None:
    """One gradient step on the mean binary cross-entropy of ``X``, ``y``."""
    z = X @ model.w + model.b  # one logit per example
    grad_z = (sigmoid(z) - y) / len(y)  # d(mean BCE) / dz
    model.w -= lr * (X.T @ grad_z)  # X^T (sigmoid(z) - y) / n
    model.b -= lr * float(grad_z.sum())  # the mean of sigmoid(z) - y


def fit_logistic_regression(
    X: np.ndarray, y: np.ndarray, lr: float = 0.1, epochs: int = 1000, log_every: int = 100, l2: float = 0.0
) -> LogisticRegression:
    """Full-batch gradient descent on the mean binary cross-entropy (plus ``l2 * |w|^2``), from zero
    weights: each epoch is one :func:`logistic_regression_step` on the whole training set. The
    recorded losses are the cross-entropy alone."""
    model = LogisticRegression(np.zeros(X.shape[1]), 0.0)
    for epoch in range(epochs + 1):
        if epoch % log_every == 0 or epoch == epochs:
            z = X @ model.w + model.b
            model.losses[epoch] = float(binary_cross_entropy(z, y).mean())
        if epoch < epochs:
            decay = 2 * lr * l2 * model.w  # the step of the penalty's gradient, 2 l2 w
            logistic_regression_step(model, X, y, lr)
            model.w -= decay
    return model


@dataclass
class SoftmaxRegression:
    """``p(y | x) = softmax(W x + b)`` with ``W`` ``(K, D)``, one row per class; ``history`` holds
    one row per epoch."""

    W: np.ndarray
    b: np.ndarray
    history: list[dict] = field(default_factory=list)
    #: With a validation set: the epoch whose weights these are (the best on validation).
    best_epoch: int | None = None

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.W.T + self.b  # O = X W^T + b, one row of logits per example

    def accuracy(self, X: np.ndarray, labels: np.ndarray) -> float:
        return float(np.mean(self.logits(X).argmax(axis=1) == labels))


def softmax_regression_step(
    model: SoftmaxRegression,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float,
) -> None:
    """One gradient step on the mean cross-entropy of the minibatch ``X``
    with one-hot labels ``Y``."""
    # d(mean CE) / dO = (P - Y) / n, with P = softmax(O)
    grad_o = cross_entropy_grad(model.logits(X), Y) / len(X)
    model.W -= lr * (grad_o.T @ X)  # dL/dW = (P - Y)^T X / n, shape (K, D)
    model.b -= lr * grad_o.sum(axis=0)  # dL/db = column means of P - Y


def fit_softmax_regression(
    X,
    labels,
    n_classes: int,
    lr: float = 0.5,
    epochs: int = 5,
    batch_size: int = 100,
    seed: int = 0,
    X_validation=None,
    labels_validation=None,
) -> SoftmaxRegression:
    """Mini-batch SGD from zero weights; after each epoch, record the training loss and accuracy,
    and the loss and accuracy on the validation set if one is given (never the test set's).

    With a validation set, the model returned has the weights of the epoch with the highest
    validation accuracy (the first such epoch), not those of the last: early stopping."""
    rng = np.random.default_rng(seed)
    Y = one_hot(labels, n_classes, X.dtype)
    if X_validation is not None:
        Y_validation = one_hot(labels_validation, n_classes, X.dtype)
    model = SoftmaxRegression(np.zeros((n_classes, X.shape[1]), X.dtype), np.zeros(n_classes, X.dtype))
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            softmax_regression_step(model, X[batch], Y[batch], lr)
        logits = model.logits(X)
        row = {
            "epoch": epoch,
            "train_loss": float(cross_entropy(logits, Y).mean()),
            "train_accuracy": float(np.mean(logits.argmax(axis=1) == labels)),
        }
        if X_validation is not None:
            logits = model.logits(X_validation)
            row["validation_loss"] = float(cross_entropy(logits, Y_validation).mean())
            row["validation_accuracy"] = float(np.mean(logits.argmax(axis=1) == labels_validation))
            best_so_far = model.history[model.best_epoch - 1]["validation_accuracy"] if model.best_epoch else -1.0
            if row["validation_accuracy"] > best_so_far:
                best_weights, model.best_epoch = (model.W.copy(), model.b.copy()), epoch
        model.history.append(row)
    if model.best_epoch is not None:
        model.W, model.b = best_weights
    return model


def three_blobs(n_per_class: int = 100, seed: int = 0, radius: float = 2.5, spread: float = 1.0):
    """Three Gaussian blobs in the plane: ``(X, labels)`` with ``X`` ``(3 n, 2)``.

    Class ``k`` is drawn around the centre at angle ``90 + 120 k`` degrees and distance ``radius``
    from the origin, with standard deviation ``spread`` in each coordinate, from
    ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    labels = np.repeat(np.arange(3), n_per_class)
    return centres[labels] + spread * rng.normal(size=(len(labels), 2)), labels
