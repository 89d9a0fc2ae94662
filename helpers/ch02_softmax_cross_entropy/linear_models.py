"""Logistic and softmax regression trained from scratch: numpy, gradients by formula (chapter 2).

No autograd and no ``nn.Module``: the gradient of the mean loss with respect to the logits is
``sigmoid(z) - y`` (binary) or ``softmax(o) - y`` (multi-class), and the chain rule through
``z = Xw + b`` multiplies it by the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..softmax import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
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


def fit_logistic_regression(
    X: np.ndarray, y: np.ndarray, lr: float = 0.1, epochs: int = 1000, log_every: int = 100
) -> LogisticRegression:
    """Full-batch gradient descent on the mean binary cross-entropy, from zero weights."""
    model = LogisticRegression(np.zeros(X.shape[1]), 0.0)
    for epoch in range(epochs + 1):
        z = X @ model.w + model.b
        if epoch % log_every == 0 or epoch == epochs:
            model.losses[epoch] = float(binary_cross_entropy(z, y).mean())
        if epoch < epochs:
            grad_z = binary_cross_entropy_grad(z, y) / len(y)  # sigmoid(z) - y: d(mean BCE) / dz
            model.w -= lr * (X.T @ grad_z)
            model.b -= lr * float(grad_z.sum())
    return model


@dataclass
class SoftmaxRegression:
    """``p(y | x) = softmax(x W + b)`` with ``W`` ``(d, K)``; ``history`` holds one row per epoch."""

    W: np.ndarray
    b: np.ndarray
    history: list[dict] = field(default_factory=list)

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.W + self.b

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
    # d(mean CE) / dO = (softmax(O) - Y) / n
    grad_o = cross_entropy_grad(model.logits(X), Y) / len(X)
    model.W -= lr * (X.T @ grad_o)
    model.b -= lr * grad_o.sum(axis=0)


def fit_softmax_regression(
    X,
    labels,
    n_classes: int,
    lr: float = 0.5,
    epochs: int = 5,
    batch_size: int = 100,
    seed: int = 0,
    X_test=None,
    labels_test=None,
) -> SoftmaxRegression:
    """Mini-batch SGD from zero weights; after each epoch, record the training loss and accuracies."""
    rng = np.random.default_rng(seed)
    Y = one_hot(labels, n_classes, X.dtype)
    model = SoftmaxRegression(np.zeros((X.shape[1], n_classes), X.dtype), np.zeros(n_classes, X.dtype))
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            softmax_regression_step(model, X[batch], Y[batch], lr)
        row = {
            "epoch": epoch,
            "train_loss": float(cross_entropy(model.logits(X), Y).mean()),
            "train_accuracy": model.accuracy(X, labels),
        }
        if X_test is not None:
            row["test_accuracy"] = model.accuracy(X_test, labels_test)
        model.history.append(row)
    return model
