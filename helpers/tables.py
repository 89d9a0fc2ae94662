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


def peers_table(book_means: list[float], study: list[float]) -> Markdown:
    """The other public reproductions' test accuracies (%) for the four CIFAR-10 settings
    (:data:`helpers.published.PEERS`), with the book's mean over seeds and the study's numbers, a
    column per setting. Chapter 3 and the reproduction report show the same table."""
    from .published import PEERS

    def numbers(values) -> list[str]:
        return ["–" if v is None else f"{v:.2f}" for v in values]

    if not len(book_means) == len(study) == 4:
        raise ValueError("one book mean and one study number per setting: four each")
    return markdown_table(
        ["reproduction / setting", "1", "2", "3", "4"],
        # the path as code: MyST's linkify would take a bare README.md for a web address
        [[f"{peer.repository}<br>`{peer.path}` @ {peer.commit[:7]}", *numbers(peer.settings_test)] for peer in PEERS]
        + [["this book, mean of 5 seeds", *numbers(book_means)], ["the study", *numbers(study)]],
    )
