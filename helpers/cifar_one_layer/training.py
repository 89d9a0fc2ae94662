"""Mini-batch gradient descent for the one-layer network, with the improvements of chapter 3."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from ..softmax import one_hot
from .data import CifarSplits, flip_horizontal
from .model import N_CLASSES, accuracy, d_scores_of, init_params, loss_and_cost_from_scores


@dataclass(frozen=True)
class TrainConfig:
    """Setting 2's: cross-entropy, eta 0.001, no L2, 40 epochs (the DD2424 assignment's example
    run, as its public reproductions train the four settings) of batches of 100 (the study's).

    ``decay`` multiplies the learning rate after every epoch (1: none), or, with ``patience`` > 0,
    only after ``patience`` epochs in a row without a new lowest validation loss (the study's
    "Learning rate decay when validation loss plateaus"). ``flip`` mirrors each training image
    left to right with probability 1/2 each time it is drawn. ``init_std`` is the standard
    deviation of the initial weights and biases (0.01, the DD2424 assignment's; 0 starts
    from zero, which a one-layer network can: it has no hidden units whose symmetry must be
    broken).
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
    patience: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


class Schedule:
    """The learning-rate factor after each epoch: ``decay`` every epoch, or on a plateau."""

    def __init__(self, config: TrainConfig):
        self.decay, self.patience = config.decay, config.patience
        self.lowest, self.waited = np.inf, 0

    def factor(self, val_loss: float | None) -> float:
        if not self.patience:
            return self.decay
        if val_loss < self.lowest:
            self.lowest, self.waited = val_loss, 0
            return 1.0
        self.waited += 1
        if self.waited < self.patience:
            return 1.0
        self.waited = 0
        return self.decay


@dataclass
class TrainResult:
    config: TrainConfig
    W: np.ndarray
    b: np.ndarray
    history: list[dict] = field(default_factory=list)  # after each epoch
    test_accuracy: float = 0.0


def _measure_all(W, b, X, y, configs) -> list[dict]:
    """Loss, cost and accuracy on ``(X, y)`` for every model of a group, from one matrix product."""
    scores = (X @ W.reshape(-1, W.shape[-1]).T).reshape(len(X), len(W), -1) + b
    return [
        dict(
            zip(
                ("loss", "cost"),
                loss_and_cost_from_scores(scores[:, m], W[m], y, config.lam, config.loss),
            ),
            accuracy=float(np.mean(scores[:, m].argmax(axis=1) == y)),
        )
        for m, config in enumerate(configs)
    ]


def _step(W, b, X, Y, group: slice, losses: list[tuple[slice, str]], lam, lr) -> None:
    """One gradient step for the models ``W[group]``, all on the same inputs ``X``; ``losses``
    gives each loss's models as slices of the group."""
    n, d = X.shape
    scores = (X @ W[group].reshape(-1, d).T).reshape(n, -1, N_CLASSES) + b[group]
    d_scores = np.empty_like(scores)
    for models, loss in losses:
        d_scores[:, models] = d_scores_of(scores[:, models], Y[:, None], loss)
    grad_W = (d_scores.reshape(n, -1).T @ X).reshape(-1, N_CLASSES, d)
    grad_W /= n
    if lam[group].any():  # adding 2 * 0 * W would change no bit
        grad_W += 2 * lam[group] * W[group]
    grad_W *= lr[group]
    W[group] -= grad_W
    b[group] -= lr[group][:, :, 0] * d_scores.mean(axis=0)


def _groups(configs: list[TrainConfig]) -> list[tuple[bool, slice, list[tuple[slice, str]]]]:
    """For configs sorted by (flip, loss): per flip setting its slice, and per loss its slice in that."""
    groups = []
    for flip in (False, True):
        members = [m for m, c in enumerate(configs) if c.flip == flip]
        if members:
            start = members[0]
            losses = [
                (slice(ms[0] - start, ms[-1] - start + 1), loss)
                for loss in dict.fromkeys(configs[m].loss for m in members)
                for ms in [[m for m in members if configs[m].loss == loss]]
            ]
            groups.append((flip, slice(start, members[-1] + 1), losses))
    return groups


def train_together(
    configs: Sequence[TrainConfig],
    data: CifarSplits,
    on_batch=None,
    on_epoch=None,
    curves: bool = True,
    test_at: Collection[int] = (),
) -> list[TrainResult]:
    """Train several models in lockstep: each batch of images is gathered once for all of them.

    Reading the images is what an epoch of one model costs (the matrix products are small), so a
    group of models trains in little more time than one. The group shares one random stream,
    hence what it decides: the configs must agree on ``seed``, ``epochs`` and ``batch_size``;
    every model sees the same images in the same order, and the models with ``flip`` the same
    mirrored images. Each keeps its own loss, learning rate and schedule, penalty and initial
    scale. A group of one model is :func:`train`. ``on_epoch(rows)`` gets one row per model.
    Without ``curves`` the training and validation sets are measured after the last epoch only
    (the validation set after every epoch if a model's schedule waits for plateaus): a third less
    work on all the data. After each epoch of ``test_at`` the training and test sets are measured
    too (``train_accuracy`` and ``test_accuracy`` in its row): what a shorter run would have
    reached, since the epochs before it do not depend on how many follow.
    """
    given = list(configs)
    shared = {(c.seed, c.epochs, c.batch_size) for c in given}
    if len(shared) != 1:
        raise ValueError(f"models trained together must share seed, epochs and batch_size, not {shared}")
    (seed, epochs, batch_size), n = shared.pop(), len(data.x_train)
    order_of = sorted(range(len(given)), key=lambda m: (given[m].flip, given[m].loss))  # contiguous groups
    configs = [given[m] for m in order_of]
    dtype = data.x_train.dtype
    rng = np.random.default_rng(seed)
    initial = [init_params(c.seed, c.init_std) for c in configs]
    W = np.stack([w for w, _ in initial]).astype(dtype)  # (models, 10, 3072)
    b = np.stack([b for _, b in initial]).astype(dtype)
    lr = np.array([c.lr for c in configs], dtype=dtype)[:, None, None]
    lam = np.array([c.lam for c in configs], dtype=dtype)[:, None, None]
    schedules = [Schedule(c) for c in configs]
    groups = _groups(configs)
    histories: list[list[dict]] = [[] for _ in configs]
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            X, Y = data.x_train[batch], one_hot(data.y_train[batch], N_CLASSES, dtype)
            for flip, group, losses in groups:
                if flip:
                    mirrored = rng.random(len(batch)) < 0.5
                    X = X.copy()
                    X[mirrored] = flip_horizontal(X[mirrored])
                _step(W, b, X, Y, group, losses, lam, lr)
            if on_batch:
                on_batch()
        measured = curves or epoch == epochs or epoch in test_at
        nothing = [{}] * len(configs)
        train_rows = _measure_all(W, b, data.x_train, data.y_train, configs) if measured else nothing
        plateaus = any(c.patience for c in configs)
        val_rows = _measure_all(W, b, data.x_val, data.y_val, configs) if measured or plateaus else nothing
        for m, (train_row, val_row) in enumerate(zip(train_rows, val_rows)):
            row = {"epoch": epoch, "lr": float(lr[m, 0, 0])}
            row.update({f"train_{key}": value for key, value in train_row.items()})
            row.update({f"val_{key}": value for key, value in val_row.items()})
            if epoch in test_at:
                row["test_accuracy"] = accuracy(W[m], b[m], data.x_test, data.y_test)
            lr[m] *= schedules[m].factor(row.get("val_loss"))  # measured whenever a schedule needs it
            histories[m].append(row)
        if on_epoch:
            on_epoch([histories[order_of.index(m)][-1] for m in range(len(given))])
    results = [
        TrainResult(c, W[m], b[m], histories[m], accuracy(W[m], b[m], data.x_test, data.y_test))
        for m, c in enumerate(configs)
    ]
    return [results[order_of.index(m)] for m in range(len(given))]


def train(config: TrainConfig, data: CifarSplits, on_batch=None, on_epoch=None) -> TrainResult:
    """Mini-batch gradient descent on ``data.x_train`` as ``config`` says; ``on_batch()`` after each
    step, ``on_epoch(row)`` after each epoch (train and validation loss, cost and accuracy)."""
    return train_together([config], data, on_batch, (lambda rows: on_epoch(rows[0])) if on_epoch else None)[0]


def curve_roughness(values) -> float:
    """How jagged a learning curve is: the mean absolute second difference of its values, in their
    unit (0 for a straight line, however steep). The book's measure of the study's "smoother
    learning dynamics", on the validation accuracy after each epoch."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.abs(np.diff(values, n=2)).mean()) if len(values) > 2 else 0.0
