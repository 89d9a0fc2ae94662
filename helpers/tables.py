"""Tables of computed results, rendered as markdown in the book (and in Jupyter)."""

from __future__ import annotations

from IPython.display import Markdown


def markdown_table(columns: list[str], rows: list[list], align: str | None = None) -> Markdown:
    """A markdown table: ``columns`` are the headers, ``rows`` the cells (turned into text with ``str``).

    ``align`` has one letter per column, ``l`` or ``r`` (default: the first column left, the rest right).
    """
    align = align or "l" + "r" * (len(columns) - 1)
    if not all(str(column).strip() for column in columns):
        # a screen reader announces a cell with its column's header; an empty one names nothing
        raise ValueError(f"every column needs a header: {columns}")
    if len(align) != len(columns) or any(len(row) != len(columns) for row in rows):
        raise ValueError("every row and the alignment need one entry per column")
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return Markdown("\n".join(lines))
