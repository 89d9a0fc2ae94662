"""Library code shown on a page fits the page's code column, or the build says which line does not."""

import pytest

from helpers.source import PAGE_COLUMNS, show_source


def narrow(x):
    """A function that fits."""
    return x + 1


def wide(x):
    return x + 1  # a comment that runs past the eighty columns the book's code column holds, on purpose


def test_a_shown_function_is_one_highlighted_python_block_of_its_source():
    shown = show_source(narrow, narrow).data
    assert shown.startswith("```python\ndef narrow(x):\n") and shown.endswith("return x + 1\n```")
    assert shown.count("def narrow") == 2


def test_a_line_wider_than_the_page_is_refused_with_its_function_and_line():
    with pytest.raises(
        ValueError, match=rf"wide, line 2 of its source, has \d+ characters; the page holds {PAGE_COLUMNS}"
    ):
        show_source(narrow, wide)
