"""The reproduction report compares the book's numbers with the published ones."""

import pytest

from helpers.ch05_reproduction_report.report import Comparison, compare, comparison_table
from helpers.published import Published


def test_an_accuracy_is_reached_at_the_precision_shown():
    published = Published(97.5, "%", "somewhere")
    assert Comparison("x", 97.49999999999999, "%", published).reached  # 100 * 0.975 in floating point
    assert not Comparison("x", 97.49, "%", published).reached
    assert Comparison("x", 97.51, "%", published).cells() == ["x", "97.51%", "97.50%", "+0.01 points", "yes"]
    assert Comparison("x", 96.0, "%", published).cells()[3:] == ["-1.50 points", "**no**"]


def test_an_error_is_reached_within_an_order_of_magnitude():
    published = Published(1e-15, "relative error", "somewhere")
    assert Comparison("g", 3e-15, "relative error", published).reached
    assert Comparison("g", 1e-17, "relative error", published).reached
    assert not Comparison("g", 2e-14, "relative error", published).reached
    assert Comparison("g", 3e-15, "relative error", published).cells() == ["g", "3.0e-15", "1e-15", "x3", "yes"]


def test_rows_without_a_published_number_are_shown_but_not_judged():
    row = Comparison("setting 1", 23.5, "%", None)
    assert row.reached is None
    assert row.cells() == ["setting 1", "23.50%", "not published", "", ""]
    assert Comparison("finite differences", 5.7e-10, "error", None).cells()[1] == "5.7e-10"


def test_compare_keeps_the_order_asked_and_fails_on_a_number_the_chapter_did_not_save():
    book = {"b": 92.0, "a": 97.0}
    rows = compare(book, {"a": Published(97.5, "%", "s")}, ["a", "b"])
    assert [(r.name, r.published is not None) for r in rows] == [("a", True), ("b", False)]
    with pytest.raises(KeyError, match="rerun the chapter"):
        compare(book, {}, ["a", "c"])
    with pytest.raises(ValueError, match="another unit"):
        compare(book, {"a": Published(1e-15, "relative error", "s")}, ["a"])
    assert comparison_table(rows).data.splitlines()[2].startswith("| a | 97.00% | 97.50% | -0.50 points | **no** |")
