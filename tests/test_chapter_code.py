"""The chapters' code fits the page: the book's code column shows about 80 characters."""

from pathlib import Path

import jupytext
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
COLUMNS = 80


@pytest.mark.parametrize("chapter", sorted(p.name for p in BOOK.glob("0*.md")))
def test_every_line_of_chapter_code_fits_in_80_columns(chapter):
    notebook = jupytext.read(BOOK / chapter)
    long_lines = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line) > COLUMNS
    ]
    assert long_lines == [], f"{chapter}: {len(long_lines)} code lines over {COLUMNS} columns"
