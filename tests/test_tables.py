import pytest

from helpers.tables import markdown_table


def test_markdown_table_has_a_header_an_alignment_row_and_one_line_per_row():
    table = markdown_table(["stage", "accuracy"], [["linear", "92.4%"], ["mlp", "97.5%"]]).data.splitlines()
    assert table == ["| stage | accuracy |", "|---|---:|", "| linear | 92.4% |", "| mlp | 97.5% |"]


def test_rows_must_match_the_columns():
    with pytest.raises(ValueError, match="one entry per column"):
        markdown_table(["a", "b"], [["only one"]])


def test_the_peers_table_has_a_row_per_peer_then_the_book_and_the_study():
    from helpers.published import PEERS
    from helpers.tables import peers_table

    lines = peers_table([30.0, 39.0, 39.5, 37.0], [29.0, 39.92, 39.5, 37.5]).data.splitlines()
    assert lines[0] == "| reproduction / setting | 1 | 2 | 3 | 4 |" and len(lines) == 2 + len(PEERS) + 2
    assert lines[-2] == "| this book, mean of 5 seeds | 30.00 | 39.00 | 39.50 | 37.00 |"
    assert lines[-1] == "| the study | 29.00 | 39.92 | 39.50 | 37.50 |"
    with pytest.raises(ValueError):
        peers_table([30.0], [29.0])


@pytest.mark.parametrize("blank", ["", "  "])
def test_every_column_needs_a_header(blank):
    """A screen reader names each cell by its column's header (axe-core: empty-table-header)."""
    with pytest.raises(ValueError, match="every column needs a header"):
        markdown_table([blank, "accuracy"], [["linear", "92.4%"]])
