"""Spreads over seeds and the verdict rule the chapters and the report state."""

import pytest

from helpers.spread import BELOW, REACHED, WITHIN, Spread, verdict


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
        ([39.0, 39.5, 40.0], 39.5, REACHED),  # mean at the published number
        ([39.0, 39.5, 40.0], 39.9, WITHIN),  # inside the range
        ([39.0, 39.1, 39.2], 39.3, WITHIN),  # outside the range, within two std (0.1) of the mean
        ([39.0, 39.1, 39.2], 39.4, BELOW),  # 0.3 above the mean: three std
        ([39.0, 39.1, 39.2], 41.0, BELOW),
    ],
)
def test_the_verdict_follows_the_stated_rule(values, published, expected):
    assert verdict(Spread.of(values), published) == expected
