"""The chapters' code fits the page: the book's code column shows about 80 characters.

Every line of a code cell counts, its metadata header (captions, tags) included: that is the text
a reader edits in the chapter's file, and in Jupyter the lines a reader sees."""

from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
COLUMNS = 80


def code_cell_lines(text: str) -> list[str]:
    """The lines inside every ```{code-cell} block of a MyST notebook, headers included."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("```{code-cell}"):
            inside = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def test_code_cell_lines_include_the_metadata_header():
    text = "prose\n```{code-cell} ipython3\n---\ntags: [x]\n---\nprint(1)\n```\nmore prose\n"
    assert code_cell_lines(text) == ["---", "tags: [x]", "---", "print(1)"]


@pytest.mark.parametrize("chapter", sorted(p.name for p in BOOK.glob("0*.md")))
def test_every_line_of_chapter_code_fits_in_80_columns(chapter):
    long_lines = [line for line in code_cell_lines((BOOK / chapter).read_text()) if len(line) > COLUMNS]
    assert long_lines == [], f"{chapter}: {len(long_lines)} code lines over {COLUMNS} columns"
