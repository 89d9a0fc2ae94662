"""Mini-batch gradient descent for the one-layer network, with the improvements of chapter 3."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .data import CifarSplits, flip_horizontal
from .model import accuracy, gradients, init_params, loss_and_cost_from_scores


@dataclass(frozen=True)
class TrainConfig:
    """The study's defaults: cross-entropy, eta 0.001, no L2, 40 epochs of batches of 100.

    ``decay`` multiplies the learning rate after every epoch (1: none); ``flip`` mirrors each
    training image left to right with probability 1/2 each time it is drawn. ``init_std`` is the
    standard deviation of the initial weights (the study's 0.01; 0 starts from zero, which a
    one-layer network can: it has no hidden units whose symmetry must be broken).
    """

    loss: str = "crossentropy"
    lr: float = 0.001
    lam: float = 0.0
    epochs: int = 40
    batch_size: int = 100
    decay: float = 1.0
    flip: bool = False
    seed: int = 0
    init_std: float = 0.01

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    config: TrainConfig
    W: np.ndarray
    b: np.ndarray
    history: list[dict] = field(default_factory=list)  # after each epoch
    test_accuracy: float = 0.0


def measure(W, b, X, y, lam, loss) -> dict:
    """Loss, cost and accuracy on ``(X, y)``, from one computation of the scores."""
    scores = X @ W.T + b
    mean_loss, cost = loss_and_cost_from_scores(scores, W, y, lam, loss)
    return {"loss": mean_loss, "cost": cost, "accuracy": float(np.mean(scores.argmax(axis=1) == y))}


def train(config: TrainConfig, data: CifarSplits, on_batch=None, on_epoch=None) -> TrainResult:
    rng = np.random.default_rng(config.seed)
    W, b = (p.astype(data.x_train.dtype) for p in init_params(config.seed, config.init_std))  # in the data's dtype
    lr = config.lr
    n = len(data.x_train)
    result = TrainResult(config, W, b)
    for epoch in range(1, config.epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, config.batch_size):
            batch = order[start : start + config.batch_size]
            X = data.x_train[batch]
            if config.flip:
                mirrored = rng.random(len(batch)) < 0.5
                X = X.copy()
                X[mirrored] = flip_horizontal(X[mirrored])
            grad_W, grad_b = gradients(W, b, X, data.y_train[batch], config.lam, config.loss)
            W -= lr * grad_W
            b -= lr * grad_b
            if on_batch:
                on_batch()
        lr *= config.decay
        row = {"epoch": epoch, "lr": lr / config.decay}
        for split, X, y in (("train", data.x_train, data.y_train), ("val", data.x_val, data.y_val)):
            row.update({f"{split}_{key}": value for key, value in measure(W, b, X, y, config.lam, config.loss).items()})
        result.history.append(row)
        if on_epoch:
            on_epoch(row)
    result.test_accuracy = accuracy(W, b, data.x_test, data.y_test)
    return result
