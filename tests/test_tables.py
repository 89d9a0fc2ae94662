import pytest

from helpers.tables import markdown_table


def test_markdown_table_has_a_header_an_alignment_row_and_one_line_per_row():
    table = markdown_table(["stage", "accuracy"], [["linear", "92.4%"], ["mlp", "97.5%"]]).data.splitlines()
    assert table == ["| stage | accuracy |", "|---|---:|", "| linear | 92.4% |", "| mlp | 97.5% |"]


def test_rows_must_match_the_columns():
    with pytest.raises(ValueError, match="one entry per column"):
        markdown_table(["a", "b"], [["only one"]])


@pytest.mark.parametrize("blank", ["", "  "])
def test_every_column_needs_a_header(blank):
    """A screen reader names each cell by its column's header (axe-core: empty-table-header)."""
    with pytest.raises(ValueError, match="every column needs a header"):
        markdown_table([blank, "accuracy"], [["linear", "92.4%"]])
