"""One protocol for every stage: the same split (for a seed), epochs, batch size, optimiser and
learning rate.

Batches come from tensors held in memory: each epoch gathers the training set once in a seeded
random order, into buffers reused from epoch to epoch (a fresh 169 MB tensor per epoch costs
more in page faults than the copy itself), and slices it into batches (no per-sample transforms,
no DataLoader).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import torch
from torch import nn

from ..parallel import map_seeds
from ..softmax import CROSS_ENTROPY, one_hot
from .backprop import Lockstep
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


def measure(model, loss_fn, data: MnistTensors, epoch: int) -> dict:
    """Loss and accuracy on the training, validation and test sets, in evaluation mode (a split
    with no images, like the validation split of the tests' small data, is left out)."""
    row = dict(epoch=epoch)
    for split, x, y in [
        ("train", data.x_train, data.y_train),
        ("val", data.x_val, data.y_val),
        ("test", data.x_test, data.y_test),
    ]:
        if len(x):
            row[f"{split}_loss"], row[f"{split}_accuracy"] = evaluate(model, loss_fn, x, y)
    return row


def train(model, loss_fn, data, config, curves=True):
    """Adam on shuffled mini-batches: PyTorch's training loop."""
    # fused: one kernel updates all the weights (the same rule, faster)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, fused=True)
    result = StageResult(config, model, optimizer_settings=optimizer.defaults)
    order = torch.Generator().manual_seed(config.seed)  # the images' order
    for epoch in range(1, config.epochs + 1):
        model.train()  # dropout on; BatchNorm uses the batch's statistics
        shuffled = torch.randperm(len(data.x_train), generator=order)
        for batch in shuffled.split(config.batch_size):
            logits = model(data.x_train[batch])
            loss = loss_fn(logits, data.y_train[batch])
            optimizer.zero_grad()  # forget the last step's gradients
            loss.backward()  # the gradient of every weight, in .grad
            optimizer.step()  # move every weight by Adam's rule
            result.batch_losses.append(loss.item())
        if curves or epoch == config.epochs:  # measured in model.eval()
            result.history.append(measure(model, loss_fn, data, epoch))
    return result


def train_stage(config, data, curves=True):
    """One stage: its network, initialised with its seed, and trained."""
    torch.manual_seed(config.seed)  # initial weights, then dropout's masks
    c = config
    model = build_model(c.model, c.hidden, c.dropout, c.batchnorm, c.relu)
    return train(model, loss_function(config), data, config, curves)


def _built(config: StageConfig) -> tuple[nn.Sequential, torch.Generator]:
    """``config``'s network as ``torch.manual_seed(config.seed)`` initialises it, and a generator
    in the state the global one is in right after: where the network's dropout masks start."""
    torch.manual_seed(config.seed)
    model = build_model(config.model, config.hidden, config.dropout, config.batchnorm, config.relu)
    return model, torch.Generator().set_state(torch.get_rng_state())


def train_together(
    configs: list[StageConfig], data: MnistTensors, on_batch=None, on_epoch=None, curves: bool = True
) -> list[StageResult]:
    """Train several stages in lockstep (:class:`~.backprop.Lockstep`): every batch is gathered
    once and goes through all of them. Each stage gets the numbers it gets alone, to float
    rounding. They share the order of the images, so they must share ``seed``, ``epochs``,
    ``batch_size`` and ``lr``. ``on_epoch(rows)`` gets one row per stage."""
    shared = {(c.seed, c.epochs, c.batch_size, c.lr) for c in configs}
    if len(shared) != 1:
        raise ValueError(f"stages trained together must share seed, epochs, batch_size and lr, not {shared}")
    ((seed, epochs, batch_size, lr),) = shared
    models, generators = zip(*(_built(config) for config in configs))
    lockstep = Lockstep(
        list(models), [c.loss for c in configs], [c.mse_on for c in configs], list(generators), batch_size
    )
    parameters = [p for model in models for p in model.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=lr, fused=True)
    results = [StageResult(c, m, optimizer_settings=dict(optimizer.defaults)) for c, m in zip(configs, models)]
    loss_fns = [loss_function(config) for config in configs]
    losses = []
    for epoch, x_epoch, y_epoch in _epochs(data, seed, epochs):
        start = time.perf_counter()
        for model in models:
            model.train()
        for x, y in zip(x_epoch.split(batch_size), y_epoch.split(batch_size)):
            losses.append(lockstep.step(x, y))
            optimizer.step()
            if on_batch:
                on_batch()
        seconds = time.perf_counter() - start
        if not curves and epoch < epochs:
            continue
        rows = []
        for result, model, loss_fn in zip(results, models, loss_fns):
            row = dict(epoch=epoch, seconds=seconds / len(results))  # the CLI prints it
            row |= measure(model, loss_fn, data, epoch)
            result.history.append(row)
            rows.append(row)
        if on_epoch:
            on_epoch(rows)
    lockstep.release()
    for result, column in zip(results, torch.stack(losses).T.tolist() if losses else [[]] * len(results)):
        result.batch_losses = column
    return results


def _epochs(data: MnistTensors, seed: int, epochs: int):
    """``(epoch, x, y)`` for each epoch: the training set in that epoch's seeded random order,
    in buffers reused from epoch to epoch."""
    order = torch.Generator().manual_seed(seed)
    x_epoch, y_epoch = torch.empty_like(data.x_train), torch.empty_like(data.y_train)
    for epoch in range(1, epochs + 1):
        permutation = torch.randperm(len(data.x_train), generator=order)
        torch.index_select(data.x_train, 0, permutation, out=x_epoch)
        torch.index_select(data.y_train, 0, permutation, out=y_epoch)
        yield epoch, x_epoch, y_epoch


def train_seeds(
    configs: dict[str, StageConfig], data: MnistTensors | Callable[[int], MnistTensors], seeds, curves: bool = False
) -> list[dict[str, StageResult]]:
    """Every stage of ``configs`` with each of ``seeds`` (by default measured after the last
    epoch only): ``{name: result}`` per seed. ``data`` is the images every seed trains on, or a
    function that gives a seed its own (:func:`.data.load_tensors`: its split). A seed's stages
    train together (:func:`train_together`), and the seeds in worker processes, one per core
    (:func:`helpers.parallel.map_seeds`)."""

    def one_seed(seed: int) -> dict[str, StageResult]:
        stages = [replace(config, seed=seed) for config in configs.values()]
        images = data(seed) if callable(data) else data
        return dict(zip(configs, train_together(stages, images, curves=curves)))

    return map_seeds(one_seed, seeds)
