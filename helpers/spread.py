"""A number measured over several seeds, and how it stands against a published one.

A single training run's accuracy moves by tenths of a point with the seed, so every number the
book puts beside a published one is a :class:`Spread` over seeds: mean +- standard deviation
(min-max). :func:`verdict` applies the book's one rule, :data:`VERDICT_RULE`, stated where it is
used (chapter 3, chapter 4 and the reproduction report). The rule judges both ways: a
reproduction far *above* the published number disagrees with it as much as one far below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

VERDICT_RULE = (  # plain text: pages insert it with {glue:text}, which shows markup as it is
    "“consistent” if the published number lies within the seeds' range (lowest to highest) or "
    "within two standard deviations of their mean; otherwise “higher” or “lower”: the book's mean "
    "lies above or below the published number, by the distance given in standard deviations of "
    "the seeds (sd)"
)
CONSISTENT, HIGHER, LOWER = "consistent", "higher", "lower"


@dataclass(frozen=True)
class Spread:
    """Values of one measurement, one per seed."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        values = tuple(float(v) for v in values)
        if not values:
            raise ValueError("a spread needs at least one value")
        return cls(values)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        """The sample standard deviation (0 for a single value)."""
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else 0.0

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def text(self, digits: int = 2) -> str:
        """``mean ± std (min–max)``."""
        return f"{self.mean:.{digits}f} ± {self.std:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"

    def cell(self, digits: int = 2) -> str:
        """:meth:`text` for a table cell: the range on a line below the mean, so that a table of
        spreads fits the page's text column."""
        return f"{self.mean:.{digits}f} ± {self.std:.{digits}f}<br>({self.low:.{digits}f}–{self.high:.{digits}f})"


def distance(spread: Spread, published: float) -> float:
    """How far the book's mean lies from ``published``, in standard deviations of the seeds
    (signed: positive when the book is higher; infinite when the seeds agree exactly and differ)."""
    gap = spread.mean - published
    if spread.std > 0:
        return gap / spread.std
    return 0.0 if gap == 0 else math.copysign(math.inf, gap)


def outcome(spread: Spread, published: float) -> str:
    """:data:`CONSISTENT`, :data:`HIGHER` or :data:`LOWER`, by :data:`VERDICT_RULE`."""
    if spread.low <= published <= spread.high or abs(spread.mean - published) <= 2 * spread.std:
        return CONSISTENT
    return HIGHER if spread.mean > published else LOWER


def verdict(spread: Spread, published: float) -> str:
    """The outcome as a table shows it: ``consistent``, or ``higher (3.1 sd)`` / ``lower (3.1 sd)``."""
    result = outcome(spread, published)
    if result == CONSISTENT:
        return result
    return f"{result} ({abs(distance(spread, published)):.1f} sd)"
