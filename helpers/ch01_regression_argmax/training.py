"""Full-batch training of the tiny network on one-hot targets, for one or many (lr, momentum)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ..three_classes import ThreeClasses, input_grid, three_classes
from ..tiny_net import make_model
from .net import flatten, forward, heavy_ball_step, mse_gradient, nesterov_step, state_dict_of


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run. The defaults are the chapter's default run."""

    lr: float = 0.1
    momentum: float = 0.9
    epochs: int = 200
    data_seed: int = 0
    hidden: int = 8
    init_seed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class History:
    """What training recorded for ``M`` models after each of ``E`` epochs (index 0: before training).

    - ``loss``, ``accuracy``: ``(M, E + 1)`` training MSE and training accuracy (argmax of logits);
    - ``grid_logits``: ``(M, E + 1, G, 3)`` logits on the input grid ``grid`` ``(G,)``;
    - ``params``: for each network, its state dict after each epoch (for checkpoints), if recorded;
    - ``final``: for each network, its state dict after the last epoch.

    Without ``record_history``, the epoch axis has a single entry: the final state.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    grid: np.ndarray
    grid_logits: np.ndarray
    params: list[list[dict[str, torch.Tensor]]] | None
    final: list[dict[str, torch.Tensor]]

    def diverged(self) -> np.ndarray:
        """``(M,)``: whether a model's loss stopped being a finite number."""
        return ~np.isfinite(self.loss[:, -1])


def train_many(
    data: ThreeClasses,
    lrs,
    momenta,
    epochs: int,
    hidden: int = 8,
    init_seed: int = 0,
    record_history: bool = True,
    record_params: bool = False,
    on_epoch: Callable[[int, np.ndarray], None] | None = None,
    dtype=np.float32,
    nesterov: bool = True,
) -> History:
    """Train one network per ``(lrs[m], momenta[m])``, all from the same initialisation, together.

    Each epoch is one step of gradient descent with Nesterov momentum on the mean squared error between the
    three logits and the one-hot targets of the whole training set. With ``record_history``
    false, only the final state is measured (what a slider needs, faster, and in memory that does
    not grow with the epochs). ``on_epoch(epoch, losses)`` is called after measuring each epoch's
    losses ``(M,)``, before its step (a command line shows progress and stops a diverged run).
    ``dtype=np.float64`` trains the same float32 data and initial weights in double precision,
    as the browser's JavaScript does (:mod:`.live_training`). ``nesterov=False`` takes heavy-ball
    steps instead (:func:`.net.heavy_ball_step`).
    """
    step = nesterov_step if nesterov else heavy_ball_step
    lr = np.asarray(lrs, dtype=dtype).reshape(-1, 1)
    momentum = np.asarray(momenta, dtype=dtype).reshape(-1, 1)
    theta = np.tile(flatten(make_model(hidden, init_seed).state_dict()).astype(dtype), (len(lr), 1))
    velocity = np.zeros_like(theta)
    x, y, targets = data.x.numpy().astype(dtype), data.y.numpy(), data.one_hot().numpy().astype(dtype)
    grid = input_grid().numpy().astype(dtype)
    losses, accuracies, grid_logits, snapshots = [], [], [], []
    with np.errstate(over="ignore", invalid="ignore"):  # a too-large lr diverges: that is a result
        for epoch in range(epochs + 1):
            logits, grad = mse_gradient(theta, hidden, x, targets)
            if record_history or epoch == epochs or on_epoch:
                loss = ((logits - targets) ** 2).mean(axis=(1, 2))
                if on_epoch:
                    on_epoch(epoch, loss)
            if record_history or epoch == epochs:
                losses.append(loss)
                accuracies.append((logits.argmax(axis=2) == y).mean(axis=1))
                grid_logits.append(forward(theta, hidden, grid)[0])
            if record_params:
                snapshots.append(theta.copy())
            if epoch < epochs:
                step(theta, velocity, grad, lr, momentum)
    return History(
        loss=np.stack(losses, 1),
        accuracy=np.stack(accuracies, 1).astype(np.float32),
        grid=grid[:, 0],
        grid_logits=np.stack(grid_logits, 1),
        params=[[state_dict_of(t, m, hidden) for t in snapshots] for m in range(len(lr))] if record_params else None,
        final=[state_dict_of(theta, m, hidden) for m in range(len(lr))],
    )


@dataclass
class Run:
    """One training run: its configuration, data, history (``M = 1`` squeezed) and final model."""

    config: TrainConfig
    data: ThreeClasses
    loss: np.ndarray
    accuracy: np.ndarray
    grid: np.ndarray
    grid_logits: np.ndarray
    final_state: dict[str, torch.Tensor]
    checkpoints: list[dict[str, torch.Tensor]] | None

    def final_model(self) -> torch.nn.Sequential:
        """The trained network as an ``nn.Module``."""
        model = make_model(self.config.hidden, self.config.init_seed)
        model.load_state_dict(self.final_state)
        return model


def train(
    config: TrainConfig = TrainConfig(),
    keep_checkpoints: bool = False,
    record_history: bool = True,
    on_epoch: Callable[[int, float], None] | None = None,
) -> Run:
    """Train the network of ``config`` on its data; keep a state dict per epoch if asked.

    Without ``record_history`` only the final epoch is measured (``loss``, ``accuracy`` and
    ``grid_logits`` then hold one entry); ``on_epoch(epoch, loss)`` as in :func:`train_many`.
    """
    data = three_classes(config.data_seed)
    history = train_many(
        data,
        [config.lr],
        [config.momentum],
        config.epochs,
        config.hidden,
        config.init_seed,
        record_history=record_history,
        record_params=keep_checkpoints,
        on_epoch=(lambda epoch, losses: on_epoch(epoch, float(losses[0]))) if on_epoch else None,
    )
    return Run(
        config,
        data,
        history.loss[0],
        history.accuracy[0],
        history.grid,
        history.grid_logits[0],
        history.final[0],
        history.params[0] if keep_checkpoints else None,
    )
