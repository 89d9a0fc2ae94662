"""A number measured over several seeds, and how it stands against a published one.

A single training run's accuracy moves by tenths of a point with the seed, so every number the
book puts beside a published one is a :class:`Spread` over seeds: mean +- standard deviation
(min-max). :func:`verdict` applies the book's one rule, :data:`VERDICT_RULE`, stated where it is
used (chapter 3, chapter 4 and the reproduction report).

The rule asks the question a referee asks of a reproduction: if the published number were one more
run of the book's code, could the book's runs tell? Its answer is the 95 % prediction interval for
one new run, ``mean +- t(0.975, n-1) * sd * sqrt(1 + 1/n)``: a new run from the same normal
distribution falls inside it 95 % of the time (``tests/test_spread.py`` simulates it). A published
number is rounded, so the interval is widened on each side by half a unit of its last digit. The
rule judges both ways: a reproduction far *above* the published number disagrees with it as much
as one far below.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95  # of the prediction interval
VERDICT_RULE = (  # plain text: pages insert it with {glue:text}, which shows markup as it is
    "“consistent” if the published number lies inside the 95 % prediction interval for one more "
    "run of the book's: the mean of its n seeds ± t · sd · √(1 + 1/n), where sd is the seeds' "
    "sample standard deviation (dividing by n − 1) and t the 97.5 % point of Student's t "
    "distribution with n − 1 degrees of freedom, "
    "widened on each side by half a unit of the published number's last digit, since it was "
    "rounded; otherwise “higher” or “lower”: the book's mean lies above or below the published "
    "number, by the distance given in half-widths of that interval (×2.0: twice as far from the "
    "mean as the interval's edge). “Consistent” says that n runs cannot tell the published number from one more run of "
    "the book's, not that the two are equal"
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

    def _parts(self, digits: int) -> tuple[str, str]:
        """``mean ± std`` and ``(min–max)``; with a negative lowest value, ``(min to max)`` and
        true minus signs, so that a range never reads "-0.63–-0.33"."""
        mean = f"{self.mean:.{digits}f} ± {self.std:.{digits}f}"
        low, high = f"{self.low:.{digits}f}", f"{self.high:.{digits}f}"
        spread = f"({low}–{high})" if self.low >= 0 else f"({low} to {high})"
        return mean.replace("-", "−"), spread.replace("-", "−")

    def text(self, digits: int = 2) -> str:
        """``mean ± std (min–max)``."""
        mean, spread = self._parts(digits)
        return f"{mean} {spread}"

    def cell(self, digits: int = 2) -> str:
        """:meth:`text` for a table cell: the range on a line below the mean, so that a table of
        spreads fits the page's text column."""
        mean, spread = self._parts(digits)
        return f"{mean}<br>{spread}"


@functools.cache
def t_quantile(degrees_of_freedom: int) -> float:
    """The two-sided 95 % point of Student's t (2.776 for 4 degrees of freedom)."""
    return float(stats.t.ppf(0.5 + LEVEL / 2, degrees_of_freedom))


def prediction_interval(spread: Spread, rounding: float = 0.0) -> tuple[float, float]:
    """The 95 % prediction interval for one new run, widened by ``rounding`` on each side (half a
    unit of a published number's last digit: 0.05 for a number given to 0.1)."""
    n = len(spread.values)
    if n < 2:
        raise ValueError("a prediction interval needs at least two seeds")
    half = t_quantile(n - 1) * spread.std * math.sqrt(1 + 1 / n) + rounding
    return spread.mean - half, spread.mean + half


def half_unit(decimals: int) -> float:
    """Half a unit of the last digit of a number given with ``decimals`` decimals."""
    return 0.5 * 10.0**-decimals


def distance(spread: Spread, published: float, rounding: float = 0.0) -> float:
    """How far the book's mean lies from ``published``, in half-widths of the interval of
    :func:`prediction_interval` (signed: positive when the book is higher; 1 at the interval's
    edge; infinite when the interval has no width and the two differ)."""
    low, high = prediction_interval(spread, rounding)
    gap, half = spread.mean - published, (high - low) / 2
    if half > 0:
        return gap / half
    return 0.0 if gap == 0 else math.copysign(math.inf, gap)


def outcome(spread: Spread, published: float, rounding: float = 0.0) -> str:
    """:data:`CONSISTENT`, :data:`HIGHER` or :data:`LOWER`, by :data:`VERDICT_RULE`."""
    low, high = prediction_interval(spread, rounding)
    if low <= published <= high:
        return CONSISTENT
    return HIGHER if spread.mean > published else LOWER


def verdict(spread: Spread, published: float, rounding: float = 0.0) -> str:
    """The outcome as a table shows it: ``consistent``, or ``higher (×3.1)`` / ``lower (×3.1)``:
    the published number lies 3.1 half-widths of the interval from the book's mean."""
    result = outcome(spread, published, rounding)
    if result == CONSISTENT:
        return result
    return f"{result} (×{abs(distance(spread, published, rounding)):.1f})"
