"""Spreads over seeds and the verdict rule the chapters and the report state."""

import pytest

from helpers.spread import CONSISTENT, HIGHER, LOWER, Spread, distance, outcome, verdict


def test_a_spread_reports_mean_sample_std_and_range():
    spread = Spread.of([39.0, 39.5, 40.0])
    assert spread.mean == pytest.approx(39.5) and spread.std == pytest.approx(0.5)
    assert (spread.low, spread.high) == (39.0, 40.0)
    assert spread.text() == "39.50 ± 0.50 (39.00–40.00)"
    assert spread.cell(1) == "39.5 ± 0.5<br>(39.0–40.0)"  # the range below, in a table
    assert Spread.of([1.0]).std == 0.0
    with pytest.raises(ValueError):
        Spread.of([])


@pytest.mark.parametrize(
    "values, published, expected",
    [
        ([39.0, 39.5, 40.0], 39.5, CONSISTENT),  # the mean
        ([39.0, 39.5, 40.0], 39.9, CONSISTENT),  # inside the range
        ([39.0, 39.1, 39.2], 39.3, CONSISTENT),  # outside the range, within two std (0.1) of the mean
        ([39.0, 39.1, 39.2], 38.9, CONSISTENT),  # the same, below
        ([39.0, 39.1, 39.2], 39.4, "lower (3.0 sd)"),  # the book 0.3 below: three std
        ([39.0, 39.1, 39.2], 38.0, "higher (11.0 sd)"),  # far above is no better than far below
        ([39.0, 39.0, 39.0], 38.0, "higher (inf sd)"),  # seeds that agree exactly
    ],
)
def test_the_verdict_follows_the_stated_rule_both_ways(values, published, expected):
    assert verdict(Spread.of(values), published) == expected


def test_the_distance_is_signed_in_standard_deviations():
    spread = Spread.of([39.0, 39.1, 39.2])
    assert distance(spread, 39.4) == pytest.approx(-3.0)
    assert distance(spread, 38.8) == pytest.approx(3.0)
    assert (outcome(spread, 39.4), outcome(spread, 38.8), outcome(spread, 39.1)) == (LOWER, HIGHER, CONSISTENT)
