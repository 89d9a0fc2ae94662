"""What the trainer writes: a checkpoint per epoch and the logits on the input grid per epoch.

Checkpoints: ``DIR/epoch_000.pt`` (the initialisation) to ``DIR/epoch_{E}.pt``, each a plain
``state_dict`` (tensors only), which ``torch.load(path, weights_only=True)`` reads and
``make_model(hidden, init_seed).load_state_dict`` accepts.

Logits: ``DIR/logits.npz`` (``numpy.load(path)``, no pickle needed) with the arrays

===============  ==================  ============================================================
``logits``       float32 (E+1, G, 3)  the three logits at each grid input, after each epoch
``grid``         float32 (G,)        the inputs the logits were computed at
``loss``         float32 (E+1,)      training MSE after each epoch
``accuracy``     float32 (E+1,)      training accuracy after each epoch
``x``, ``y``     float32 / int64 (N,)  the training inputs and labels
``config``       str (0-d)           the run's settings, as JSON
===============  ==================  ============================================================

Index ``e`` of the per-epoch arrays is the state after ``e`` epochs (``0``: before training).
Every file is written to a temporary name first and renamed into place, so an interrupted run
never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .training import Run

LOGITS_FILE = "logits.npz"


def checkpoint_name(epoch: int, epochs: int) -> str:
    return f"epoch_{epoch:0{max(3, len(str(epochs)))}d}.pt"


def _write_atomically(path: Path, write) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save_checkpoints(run: Run, folder: Path) -> list[Path]:
    """One state dict per epoch (0..E) in ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for epoch, state in enumerate(run.checkpoints):
        path = folder / checkpoint_name(epoch, run.config.epochs)
        _write_atomically(path, lambda stream, state=state: torch.save(state, stream))
        paths.append(path)
    return paths


def save_logits(run: Run, folder: Path) -> Path:
    """The per-epoch logits on the grid, with what is needed to read them, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = dict(
        logits=run.grid_logits.astype(np.float32),
        grid=run.grid.astype(np.float32),
        loss=run.loss.astype(np.float32),
        accuracy=run.accuracy.astype(np.float32),
        x=run.data.x[:, 0].numpy(),
        y=run.data.y.numpy(),
        config=np.array(json.dumps(run.config.as_dict())),
    )
    path = folder / LOGITS_FILE
    _write_atomically(path, lambda stream: np.savez(stream, **arrays))
    return path


@dataclass(frozen=True)
class SavedLogits:
    """The content of a ``logits.npz`` (see the module docstring for shapes)."""

    logits: np.ndarray
    grid: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    x: np.ndarray
    y: np.ndarray
    config: dict


def load_logits(path: str | os.PathLike) -> SavedLogits:
    """Read a ``logits.npz`` written by :func:`save_logits` (or the CLI's ``--save_logits``)."""
    with np.load(path, allow_pickle=False) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["config"] = json.loads(str(arrays["config"]))
    return SavedLogits(**arrays)
