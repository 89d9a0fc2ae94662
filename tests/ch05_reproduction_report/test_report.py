"""The reproduction report compares the book's spreads over seeds with the published numbers."""

import pytest

from helpers.ch05_reproduction_report.report import compare, comparison_table, error_within_reach
from helpers.published import Published


def test_each_row_has_the_spread_the_published_number_and_a_verdict():
    published = {"a": Published(97.5, "%", "somewhere"), "b": Published(92.0, "%", "somewhere")}
    rows = compare({"a": [97.4, 97.6, 97.7], "b": [91.0, 91.1, 91.2]}, published, ["a", "b"])
    assert [r.verdict for r in rows] == ["reached", "below"]
    assert rows[0].cells() == ["a", "97.57 ± 0.15<br>(97.40–97.70)", "97.50", "+0.07", "reached"]
    assert comparison_table(rows).data.splitlines()[3].startswith("| b | 91.10 ± 0.10<br>(91.00–91.20) | 92.00 |")


def test_a_missing_number_or_a_single_run_is_an_error():
    published = {"a": Published(97.5, "%", "s")}
    with pytest.raises(KeyError, match="rerun the chapter"):
        compare({}, published, ["a"])
    with pytest.raises(ValueError, match="single runs"):
        compare({"a": 97.0}, published, ["a"])


def test_an_error_is_matched_within_an_order_of_magnitude():
    published = Published(1e-15, "relative error", "somewhere")
    assert error_within_reach(3e-15, published) and error_within_reach(1e-17, published)
    assert not error_within_reach(2e-14, published)
