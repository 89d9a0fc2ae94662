"""One protocol for every stage: the same split, epochs, batch size, optimiser and learning rate.

Batches come from tensors held in memory: each epoch gathers the training set once in a seeded
random order, into buffers reused from epoch to epoch (a fresh 188 MB tensor per epoch costs
more in page faults than the copy itself), and slices it into batches (no per-sample transforms,
no DataLoader).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from ..softmax import CROSS_ENTROPY, one_hot
from .data import MnistTensors
from .models import N_CLASSES, build_model

LOSSES = (CROSS_ENTROPY, "mse")


@dataclass(frozen=True)
class StageConfig:
    """A stage. The protocol defaults are the original project's: Adam, lr 1e-3, batch 128, 5 epochs.

    ``mse_on`` says what MSE compares with the one-hot targets: the softmax ``probabilities``
    (the original project) or the raw ``logits`` (chapter 1's regression view). ``relu=False``
    builds the MLP without its ReLU (see :func:`build_model`).
    """

    model: str = "linear"
    loss: str = CROSS_ENTROPY
    mse_on: str = "probabilities"
    hidden: int = 256
    dropout: float = 0.0
    batchnorm: bool = False
    relu: bool = True
    epochs: int = 5
    batch_size: int = 128
    lr: float = 1e-3
    seed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def loss_function(config: StageConfig):
    if config.loss == CROSS_ENTROPY:
        return nn.functional.cross_entropy
    if config.loss != "mse":
        raise ValueError(f"loss must be one of {LOSSES}, not {config.loss!r}")

    def mse(logits, labels):
        outputs = torch.softmax(logits, dim=1) if config.mse_on == "probabilities" else logits
        return nn.functional.mse_loss(outputs, one_hot(labels, N_CLASSES, outputs.dtype))

    return mse


@dataclass
class StageResult:
    config: StageConfig
    model: nn.Sequential
    history: list[dict] = field(default_factory=list)  # one row per epoch
    train_seconds: float = 0.0
    #: The optimiser's settings as it ran them (``lr``, ``betas``, ``eps``, ``weight_decay``, ...).
    optimizer_settings: dict = field(default_factory=dict)
    #: The loss of every training step, on its batch, in training mode (as the step computed it).
    batch_losses: list[float] = field(default_factory=list)

    @property
    def test_accuracy(self) -> float:
        return self.history[-1]["test_accuracy"]


@torch.no_grad()
def evaluate(model, loss_fn, x, y, batch: int = 10_000) -> tuple[float, float]:
    """Mean loss and accuracy on ``(x, y)``, in evaluation mode (no dropout, BatchNorm's running stats)."""
    model.eval()
    total_loss, correct = 0.0, 0
    for start in range(0, len(x), batch):
        logits = model(x[start : start + batch])
        total_loss += loss_fn(logits, y[start : start + batch]).item() * len(logits)
        correct += (logits.argmax(dim=1) == y[start : start + batch]).sum().item()
    return total_loss / len(x), correct / len(x)


def train_stage(
    config: StageConfig, data: MnistTensors, on_batch=None, on_epoch=None, curves: bool = True
) -> StageResult:
    """Train one stage under the protocol; record train and test loss and accuracy after each epoch
    (without ``curves``, after the last epoch only: less work, for runs whose curves are not
    drawn), and the loss of every step.

    ``on_batch()`` is called after every step (for a progress bar), ``on_epoch(row)`` after every
    measured epoch.
    """
    torch.manual_seed(config.seed)
    model = build_model(config.model, config.hidden, config.dropout, config.batchnorm, config.relu)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, fused=True)
    loss_fn = loss_function(config)
    order = torch.Generator().manual_seed(config.seed)
    result = StageResult(config, model, optimizer_settings=dict(optimizer.defaults))
    x_epoch, y_epoch = torch.empty_like(data.x_train), torch.empty_like(data.y_train)
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        model.train()
        permutation = torch.randperm(len(data.x_train), generator=order)
        torch.index_select(data.x_train, 0, permutation, out=x_epoch)
        torch.index_select(data.y_train, 0, permutation, out=y_epoch)
        for x, y in zip(x_epoch.split(config.batch_size), y_epoch.split(config.batch_size)):
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            result.batch_losses.append(loss.item())
            if on_batch:
                on_batch()
        seconds = time.perf_counter() - start
        result.train_seconds += seconds
        if not curves and epoch < config.epochs:
            continue
        row = dict(epoch=epoch, seconds=seconds)
        row["train_loss"], row["train_accuracy"] = evaluate(model, loss_fn, data.x_train, data.y_train)
        row["test_loss"], row["test_accuracy"] = evaluate(model, loss_fn, data.x_test, data.y_test)
        result.history.append(row)
        if on_epoch:
            on_epoch(row)
    return result
