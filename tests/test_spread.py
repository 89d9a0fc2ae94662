"""Spreads over seeds and the verdict rule the chapters and the report state."""

import numpy as np
import pytest

from helpers.spread import (
    CONSISTENT,
    HIGHER,
    LOWER,
    Spread,
    distance,
    half_unit,
    outcome,
    prediction_interval,
    t_quantile,
    verdict,
)


def test_a_spread_reports_mean_sample_std_and_range():
    spread = Spread.of([39.0, 39.5, 40.0])
    assert spread.mean == pytest.approx(39.5) and spread.std == pytest.approx(0.5)
    assert (spread.low, spread.high) == (39.0, 40.0)
    assert spread.text() == "39.50 ± 0.50 (39.00–40.00)"
    assert spread.cell(1) == "39.5 ± 0.5<br>(39.0–40.0)"  # the range below, in a table
    assert Spread.of([1.0]).std == 0.0
    with pytest.raises(ValueError):
        Spread.of([])


def test_the_interval_is_for_one_new_run():
    """mean ± t(0.975, n-1) · sd · sqrt(1 + 1/n), then the rounding on each side."""
    assert t_quantile(4) == pytest.approx(2.7764, abs=1e-4) and t_quantile(2) == pytest.approx(4.3027, abs=1e-4)
    spread = Spread.of([39.0, 39.1, 39.2])  # mean 39.1, sd 0.1, n 3
    half = 4.3027 * 0.1 * np.sqrt(4 / 3)
    assert prediction_interval(spread) == pytest.approx((39.1 - half, 39.1 + half), abs=1e-4)
    assert prediction_interval(spread, 0.05) == pytest.approx((39.05 - half, 39.15 + half), abs=1e-4)
    assert half_unit(1) == pytest.approx(0.05) and half_unit(2) == pytest.approx(0.005)
    with pytest.raises(ValueError, match="two seeds"):
        prediction_interval(Spread.of([39.0]))


@pytest.mark.parametrize(
    "values, published, rounding, expected",
    [
        ([39.0, 39.1, 39.2], 39.1, 0.0, CONSISTENT),  # the mean
        ([39.0, 39.1, 39.2], 39.55, 0.0, CONSISTENT),  # outside the range, inside the interval (± 0.497)
        ([39.0, 39.1, 39.2], 39.62, 0.0, "lower (×1.0)"),  # just outside: 0.52 / 0.497
        ([39.0, 39.1, 39.2], 39.62, 0.05, CONSISTENT),  # a number rounded to 0.1 may be 0.05 off
        ([39.0, 39.1, 39.2], 39.7, 0.0, "lower (×1.2)"),  # 0.6 / 0.497 half-widths
        ([39.0, 39.1, 39.2], 38.0, 0.0, "higher (×2.2)"),  # far above is no better than far below
        ([39.0, 39.0, 39.0], 38.0, 0.0, "higher (×inf)"),  # seeds that agree exactly
        ([39.0, 39.0, 39.0], 38.0, 0.5, "higher (×2.0)"),  # ... with only the rounding for width
    ],
)
def test_the_verdict_follows_the_stated_rule_both_ways(values, published, rounding, expected):
    assert verdict(Spread.of(values), published, rounding) == expected


def test_the_distance_is_signed_in_half_widths():
    spread = Spread.of([39.0, 39.1, 39.2])
    half = (prediction_interval(spread)[1] - prediction_interval(spread)[0]) / 2
    assert distance(spread, 39.1 + 2 * half) == pytest.approx(-2.0)
    assert distance(spread, 39.1 - 3 * half) == pytest.approx(3.0)
    assert (outcome(spread, 39.8), outcome(spread, 38.4), outcome(spread, 39.1)) == (LOWER, HIGHER, CONSISTENT)


@pytest.mark.parametrize("sd", [0.04, 0.15, 1.0])
def test_a_faithful_reproduction_is_called_consistent_95_percent_of_the_time(sd):
    """Five seeds and a sixth run (the "published" number) drawn from one normal distribution, as
    if the study had run the book's code: the rule calls them consistent about 95 % of the time,
    and at least 94 % when the published number is rounded to 0.1 (the MNIST project's), however
    small the spread."""
    draws = np.random.default_rng(0).normal(97.4, sd, size=(10_000, 6))
    exact = np.mean([outcome(Spread.of(d[:5]), d[5]) == CONSISTENT for d in draws])
    assert 0.94 <= exact <= 0.96
    rounded = np.mean([outcome(Spread.of(d[:5]), round(d[5], 1), half_unit(1)) == CONSISTENT for d in draws])
    assert rounded >= 0.94


def test_a_range_below_zero_reads_with_minus_signs_and_to():
    assert Spread.of([-0.63, -0.33, -0.45]).text() == "−0.47 ± 0.15 (−0.63 to −0.33)"
    assert Spread.of([-0.2, 0.1]).cell() == "−0.05 ± 0.21<br>(−0.20 to 0.10)"
