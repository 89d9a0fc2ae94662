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

Output folders (:func:`claimed_folders`): a folder is created and locked (``.lock``, holding the
process id) before training, so an impossible folder or one another run is writing to is refused
in the first second. A folder that already holds files is refused unless ``overwrite``; then the
files an earlier run wrote there (``epoch_*.pt``, ``logits.npz``) are removed first, and anything
else is left alone. Every file is written to a temporary name and renamed into place, with
Ctrl-C held off until the rename (:func:`helpers.cli.uninterruptible`), so an interrupted or
failed run never leaves a half-written or temporary file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..cli import uninterruptible, write_atomically
from .training import Run

LOCK_FILE = ".lock"
#: The names a run writes: what ``overwrite`` may remove.
RUN_FILE = re.compile(r"epoch_\d+\.pt|logits\.npz|\..+\.tmp")


class OutputError(Exception):
    """An output folder cannot be used, or a file cannot be written there; one line."""


LOGITS_FILE = "logits.npz"


def checkpoint_name(epoch: int, epochs: int) -> str:
    return f"epoch_{epoch:0{max(3, len(str(epochs)))}d}.pt"


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on Windows, where probing would end it, assume so)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # it exists, as another user
        return True
    except (OSError, OverflowError):
        return False
    return True


def _lock(folder: Path) -> Path:
    """Create ``folder/.lock`` (the first write into the folder); refuse if a live run holds it.

    The lock appears with its process id already in it: the id is written to a file of this
    process's own and hard-linked to ``.lock``, which fails if ``.lock`` exists. (Creating
    ``.lock`` and then writing the id would let a second run read it empty in between, take it
    for a dead run's and remove it.)
    """
    lock = folder / LOCK_FILE
    mine = folder / f"{LOCK_FILE}.{os.getpid()}"
    mine.write_text(f"{os.getpid()}\n")
    try:
        for _ in range(2):
            try:
                os.link(mine, lock)
                return lock
            except FileExistsError:
                try:
                    pid = int(lock.read_text().strip() or 0)
                except (OSError, ValueError):
                    pid = 0
                if _process_alive(pid):
                    raise OutputError(
                        f"{folder} is in use by another run (process {pid}, {lock}); wait for it to finish "
                        "or choose another folder"
                    ) from None
                lock.unlink(missing_ok=True)  # left by a run that was killed
    finally:
        mine.unlink(missing_ok=True)
    raise OutputError(f"{folder}: could not take the lock {lock}; remove it if no run is using the folder")


def _make_empty(folder: Path, overwrite: bool, flag: str) -> None:
    """Refuse a folder that holds files, unless ``overwrite``: then remove an earlier run's files."""
    # the lock, and the files of runs taking it, are not files of a run
    present = sorted(p.name for p in folder.iterdir() if not p.name.startswith(LOCK_FILE))
    if not present:
        return
    if not overwrite:
        raise OutputError(
            f"{folder} already holds {len(present)} file{'s' * (len(present) > 1)} ({', '.join(present[:2])}"
            f"{', ...' if len(present) > 2 else ''}): choose an empty folder, or pass --overwrite to "
            "replace an earlier run's files"
        )
    for name in present:
        if RUN_FILE.fullmatch(name):
            path = folder / name
            if path.is_dir() and not path.is_symlink():
                raise OutputError(f"{path} is a folder, not an earlier run's file; remove it yourself")
            path.unlink()


def _create(folder: Path) -> bool:
    """Create ``folder`` (and its parents) if needed; whether it was created."""
    if folder.is_symlink() and not folder.exists():
        raise OutputError(f"{folder} is a broken or looping symbolic link")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder")
    existed = folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    return not existed


@contextlib.contextmanager
def claimed_folders(folders: dict[str, Path], overwrite: bool = False) -> Iterator[None]:
    """Create and lock each output folder (``{flag: folder}``) for the length of the block.

    Every problem is an :class:`OutputError` raised before the block starts: the folder cannot be
    created or written (permissions, a file in the way, a symbolic-link loop, ``/proc``, a full
    disk), another run holds it, or it is not empty (see the module docstring). When the block
    ends, however it ends, the locks are removed, and so is a folder this call created that is
    still empty (a run that diverged or was interrupted before saving leaves nothing behind).
    """
    with contextlib.ExitStack() as cleanup:
        for folder, flag in {Path(folder).absolute(): flag for flag, folder in folders.items()}.items():
            try:
                if _create(folder):
                    cleanup.callback(_remove_if_empty, folder)
                with uninterruptible():
                    cleanup.callback(_lock(folder).unlink, missing_ok=True)
                _make_empty(folder, overwrite, flag)
            except OutputError as error:
                raise OutputError(f"{flag}: {error}") from None
            except OSError as error:
                raise OutputError(
                    f"{flag} {folder}: cannot create or write in it ({error.strerror or error}); choose another folder"
                ) from None
        yield


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _save_error(error: OSError, path: Path, written: list[Path]) -> OutputError:
    """One line: which file failed and why, and which files are complete."""
    message = f"could not write {path}: {error.strerror or error}"
    if written:
        message += f"; the {len(written)} files before it ({written[0].name} .. {written[-1].name}) are complete"
    return OutputError(message)


def save_checkpoints(run: Run, folder: Path) -> list[Path]:
    """One state dict per epoch (0..E) in ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for epoch, state in enumerate(run.checkpoints):
        path = folder / checkpoint_name(epoch, run.config.epochs)
        try:
            write_atomically(path, lambda stream, state=state: torch.save(state, stream))
        except OSError as error:
            raise _save_error(error, path, paths) from None
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
    try:
        write_atomically(path, lambda stream: np.savez(stream, **arrays))
    except OSError as error:
        raise _save_error(error, path, []) from None
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
