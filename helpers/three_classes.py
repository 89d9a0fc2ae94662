"""Three classes on a line: chapter 1's data set (chapter 2 fits linear models to it), from a seed.

Each class is a Gaussian cluster on the real line (centres -2.5, 0, 2.5; standard deviation 1).
Neighbouring clusters overlap, so no classifier is perfect, and because the clusters are known,
the best possible classifier is known too: it assigns each point to the nearest centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .softmax import one_hot

CENTERS = (-2.5, 0.0, 2.5)
STD = 1.0
N_CLASSES = len(CENTERS)
#: The input range the logit curves are drawn and saved on.
GRID_RANGE = (-6.0, 6.0)
#: How many inputs of that range (0.05 apart).
N_GRID_INPUTS = 241
#: Each class's colour, the same in every figure of the line (chapters 1 and 2).
CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green")


@dataclass(frozen=True)
class ThreeClasses:
    """``x``: float32 ``(N, 1)`` inputs; ``y``: int64 ``(N,)`` labels in 0..2, class by class."""

    x: torch.Tensor
    y: torch.Tensor

    def one_hot(self) -> torch.Tensor:
        """The regression targets: row ``i`` is 1 in column ``y[i]`` and 0 elsewhere."""
        return one_hot(self.y, N_CLASSES, self.x.dtype)

    def bayes_accuracy(self) -> float:
        """Accuracy of the optimal rule for these clusters (nearest centre) on this sample."""
        nearest = (self.x - torch.tensor(CENTERS)).abs().argmin(dim=1)
        return float((nearest == self.y).float().mean())


def three_classes(data_seed: int = 0, n_per_class: int = 100) -> ThreeClasses:
    """``n_per_class`` points from each cluster, drawn with their own generator seeded by ``data_seed``."""
    generator = torch.Generator().manual_seed(data_seed)
    y = torch.arange(N_CLASSES).repeat_interleave(n_per_class)
    x = torch.tensor(CENTERS)[y] + STD * torch.randn(len(y), generator=generator)
    return ThreeClasses(x[:, None], y)


def input_grid(points: int = N_GRID_INPUTS) -> torch.Tensor:
    """Evenly spaced inputs ``(points, 1)`` over :data:`GRID_RANGE`, where curves are evaluated."""
    return torch.linspace(*GRID_RANGE, points)[:, None]


def posterior(x: torch.Tensor) -> torch.Tensor:
    """``P(class k | x)`` under the generating distribution, ``(N, 3)`` for inputs ``(N, 1)``.

    The classes are equally likely and share one spread, so by Bayes' rule the posterior is the
    softmax of ``-(x - centre_k)^2 / (2 std^2)`` over the classes.
    """
    return torch.softmax(-((x - torch.tensor(CENTERS)) ** 2) / (2 * STD**2), dim=1)


def population_bayes_accuracy() -> float:
    """The nearest-centre rule's accuracy on the whole distribution (on new points, on average).

    A point is classified correctly when it falls on its own side of the midpoints between
    neighbouring centres: an outer class loses one tail, the middle class two.
    """
    correct = 0.0
    for k, centre in enumerate(CENTERS):
        low = (CENTERS[k - 1] + centre) / 2 if k > 0 else -math.inf
        high = (centre + CENTERS[k + 1]) / 2 if k < N_CLASSES - 1 else math.inf
        correct += _normal_cdf((high - centre) / STD) - _normal_cdf((low - centre) / STD)
    return correct / N_CLASSES


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def argmax_regions(grid: np.ndarray, logits: np.ndarray) -> list[tuple[float, float, int]]:
    """Maximal intervals of ``grid`` where one class has the largest logit: ``(start, end, class)``.

    Interval ends lie halfway between the grid points where the winning class changes.
    """
    winners = logits.argmax(axis=1)
    changes = np.flatnonzero(winners[1:] != winners[:-1])
    edges = np.concatenate([[grid[0]], (grid[changes] + grid[changes + 1]) / 2, [grid[-1]]])
    starts = np.concatenate([[0], changes + 1])
    return [(float(edges[i]), float(edges[i + 1]), int(winners[s])) for i, s in enumerate(starts)]
