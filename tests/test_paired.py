"""McNemar's exact test on two networks' answers to the same images, and its reading over seeds."""

import numpy as np
import pytest
from scipy import stats

from helpers.paired import discordant, mcnemar_p, reading


def test_only_the_images_the_two_disagree_on_count():
    first = np.array([1, 1, 0, 0, 1, 0], dtype=bool)
    second = np.array([1, 0, 1, 1, 1, 0], dtype=bool)
    assert discordant(first, second) == (1, 2)
    with pytest.raises(ValueError, match="same images"):
        discordant(first, second[:5])


def test_the_p_value_is_the_exact_two_sided_binomial_tail():
    # 10 disagreements split 1 to 9: P(X <= 1) + P(X >= 9) for X ~ Binomial(10, 1/2) = 22 / 1024
    assert mcnemar_p(1, 9) == pytest.approx(22 / 1024) and mcnemar_p(9, 1) == pytest.approx(22 / 1024)
    assert mcnemar_p(5, 5) == 1.0 and mcnemar_p(0, 0) == 1.0
    assert mcnemar_p(100, 140) < 0.05 < mcnemar_p(100, 120)


def test_two_equally_good_networks_are_called_significant_about_5_percent_of_the_time():
    """Disagreements that favour either network by a fair coin: p < 0.05 in at most 5 % of trials
    (the exact test is conservative), and well above 0 %."""
    rng = np.random.default_rng(0)
    n = rng.integers(50, 400, size=4000)
    only_second = rng.binomial(n, 0.5)
    rate = np.mean([mcnemar_p(int(t - s), int(s)) < 0.05 for t, s in zip(n, only_second)])
    assert 0.02 < rate <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / len(n))
    assert stats.binomtest(10, 10).pvalue == pytest.approx(mcnemar_p(0, 10))


def test_the_reading_says_what_was_shown():
    big_gain, small_gain, small_loss = (100, 160), (100, 110), (110, 100)
    assert reading([big_gain] * 3 + [small_gain] * 2) == "better in every seed, significant in 3 of 5"
    assert reading([(160, 100)] * 5) == "worse in every seed, significant in 5 of 5"
    assert reading([small_gain] * 5) == "better in every seed, significant in 0 of 5"
    assert reading([small_gain] * 3 + [small_loss] * 2) == "not distinguishable (3 seeds up, 2 down, none significant)"
    assert reading([big_gain] + [small_loss] * 4) == "no one direction (1 seed up, 4 down), significant in 1 of 5"


def test_counts_saved_as_results_read_back_as_pairs():
    from helpers.paired import counts_as_results, counts_from_results

    saved = counts_as_results({("a", "b"): [(3, 7), (5, 1)]})
    assert sorted(saved) == ["paired, a | b: only the first right", "paired, a | b: only the second right"]
    assert counts_from_results({k: [float(v) for v in vs] for k, vs in saved.items()}, "a", "b") == [(3, 7), (5, 1)]
