"""Two networks compared on the same test images: McNemar's exact test, seed by seed.

Two runs with the same seed are scored on the same 10,000 test images, so their accuracies are not
independent: most images both get right, some both get wrong, and only the images on which they
disagree say which is better. McNemar's test looks at those alone. If the two networks were
equally good, each disagreement would be as likely to favour one as the other, like a fair coin;
the p-value is the chance of a split at least as lopsided as the one seen (exact, from the
binomial distribution, two-sided).

A seed's test says whether *that pair of runs* differs by more than the test images' luck. It is
no statement about the seeds' spread: "a gain in every seed, significant in 3 of 5" is the
honest summary of five such tests, which :func:`reading` writes ("better in every seed,
significant in 3 of 5"). The five share one test set,
so they are not five independent confirmations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

ALPHA = 0.05  # two-sided, for each seed's test
PAIRED_RULE = (  # plain text, inserted with {glue:text}
    "for each seed, McNemar's exact test on the test images the two networks disagree about "
    "(one right, the other wrong): significant if, with two equally good networks, a split at "
    "least as lopsided would happen less than 5 % of the time (p < 0.05, two-sided)"
)


def discordant(first_right, second_right) -> tuple[int, int]:
    """How many images only the first network gets right, and how many only the second (two
    boolean arrays over the same images)."""
    first, second = np.asarray(first_right, dtype=bool), np.asarray(second_right, dtype=bool)
    if first.shape != second.shape:
        raise ValueError(f"the two networks must be scored on the same images, not {first.shape} and {second.shape}")
    return int(np.sum(first & ~second)), int(np.sum(second & ~first))


def _key(first: str, second: str, which: str) -> str:
    return f"paired, {first} | {second}: only the {which} right"


def counts_as_results(counts: dict[tuple[str, str], list[tuple[int, int]]]) -> dict[str, list[int]]:
    """``{(first, second): [(only first, only second) per seed]}`` as the numbers a chapter saves
    with :func:`helpers.results.save_results`: two lists per pair of networks."""
    return {
        _key(first, second, which): [pair[i] for pair in per_seed]
        for (first, second), per_seed in counts.items()
        for i, which in enumerate(("first", "second"))
    }


def counts_from_results(results: dict, first: str, second: str) -> list[tuple[int, int]]:
    """What :func:`counts_as_results` saved for ``first`` and ``second``, back as pairs per seed."""
    return list(zip(results[_key(first, second, "first")], results[_key(first, second, "second")], strict=True))


def mcnemar_p(only_first: int, only_second: int) -> float:
    """McNemar's exact two-sided p-value: ``only_first`` of the disagreements favour the first
    network, ``only_second`` the second (1 when they never disagree). Counts read back from a
    results file come as floats; they must be whole numbers."""
    if only_first != int(only_first) or only_second != int(only_second):
        raise ValueError(f"counts of images must be whole numbers, not {only_first} and {only_second}")
    only_first, only_second = int(only_first), int(only_second)
    n = only_first + only_second
    if n == 0:
        return 1.0
    return float(stats.binomtest(only_second, n, 0.5).pvalue)


def reading(pairs: Sequence[tuple[int, int]], alpha: float = ALPHA) -> str:
    """What the seeds showed about the second network against the first, given each seed's
    ``(only_first, only_second)``: the direction in every seed and how many seeds' tests are
    significant, or that the two are not distinguishable."""
    n = len(pairs)
    ups = sum(second > first for first, second in pairs)
    downs = sum(second < first for first, second in pairs)
    significant = [mcnemar_p(first, second) < alpha for first, second in pairs]
    k = sum(significant)
    if ups == n:
        return f"better in every seed, significant in {k} of {n}"
    if downs == n:
        return f"worse in every seed, significant in {k} of {n}"
    seeds = f"{ups} {'seed' if ups == 1 else 'seeds'} up, {downs} down"
    if k == 0:
        return f"not distinguishable ({seeds}, none significant)"
    return f"no one direction ({seeds}), significant in {k} of {n}"
