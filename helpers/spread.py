"""A number measured over several seeds, and how it stands against a published one.

A single training run's accuracy moves by tenths of a point with the seed, so every number the
book puts beside a published one is a :class:`Spread` over seeds: mean +- standard deviation
(min-max). :func:`verdict` applies the book's one rule, :data:`VERDICT_RULE`, stated where it is
used (chapter 3, chapter 4 and the reproduction report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

VERDICT_RULE = (  # plain text: pages insert it with {glue:text}, which shows markup as it is
    "“reached” if the mean over the seeds is at least the published number; “within the seed "
    "spread” if not, but the published number lies within the seeds' range (min to max) or within "
    "two standard deviations of their mean; “below” otherwise"
)
REACHED, WITHIN, BELOW = "reached", "within the seed spread", "below"


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


def verdict(spread: Spread, published: float) -> str:
    """:data:`REACHED`, :data:`WITHIN` or :data:`BELOW`, by :data:`VERDICT_RULE`."""
    if spread.mean >= published:
        return REACHED
    if spread.low <= published <= spread.high or published - spread.mean <= 2 * spread.std:
        return WITHIN
    return BELOW
