"""How far the book's own choices for chapter 3's improved networks move a verdict.

The study names its improved networks' schedule ("learning rate decay when validation loss
plateaus") but not its numbers, nor how many epochs they train: chapter 3 chose 20 epochs and a
patience of two epochs (:data:`helpers.cifar_one_layer.search.PLATEAU`). The report trains a
plateau network again with other patiences, for 40 epochs, and reads each run after 20 and after
40 (``test_at``: the first 20 epochs of a 40-epoch run are a 20-epoch run). The variants of a seed
train in lockstep, sharing each batch of images.
"""

from __future__ import annotations

from dataclasses import replace

from ..cifar_one_layer.data import CifarSplits
from ..cifar_one_layer.training import TrainConfig, train_together
from ..parallel import map_seeds
from ..spread import Spread

PATIENCES = (1, 2, 4)
EPOCHS = (20, 40)


def variants(
    configs: dict[str, TrainConfig], all_data: CifarSplits, seeds, patiences=PATIENCES, epochs=EPOCHS
) -> dict[tuple[str, int, int, str], Spread]:
    """``{(network, patience, epochs, split): accuracy spread (%)}`` over ``seeds``, ``split`` being
    ``"train"`` or ``"test"``: each of ``configs`` with each patience, read after each of ``epochs``."""
    longest = max(epochs)
    grid = [(name, patience) for name in configs for patience in patiences]

    def one_seed(seed: int) -> list[dict]:
        runs = train_together(
            [replace(configs[name], patience=patience, epochs=longest, seed=seed) for name, patience in grid],
            all_data,
            curves=False,
            test_at=epochs,
        )
        return [{row["epoch"]: row for row in run.history if "test_accuracy" in row} for run in runs]

    by_seed = map_seeds(one_seed, seeds)
    return {
        (name, patience, epoch, split): Spread.of(100 * rows[i][epoch][f"{split}_accuracy"] for rows in by_seed)
        for i, (name, patience) in enumerate(grid)
        for epoch in epochs
        for split in ("train", "test")
    }
