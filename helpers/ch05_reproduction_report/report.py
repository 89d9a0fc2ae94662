"""The reproduction report's comparisons: a number the book computed beside the one a study published."""

from __future__ import annotations

from dataclasses import dataclass

from IPython.display import Markdown

from ..published import Published
from ..tables import markdown_table

ORDER_OF_MAGNITUDE = 10.0  # an error "around 1e-15" is matched by anything within a factor of ten


@dataclass(frozen=True)
class Comparison:
    name: str
    book: float
    unit: str  # "%" (an accuracy, shown with two decimals) or anything else (an error, shown as 1.3e-15)
    published: Published | None  # None: the study published no number for this row

    @property
    def reached(self) -> bool | None:
        """Accuracies: the book's number, at the two decimals shown, is at least the study's.
        Errors: within an order of magnitude of the study's, or smaller."""
        if self.published is None:
            return None
        if self.unit == "%":
            return round(self.book, 2) >= self.published.value
        return self.book <= ORDER_OF_MAGNITUDE * self.published.value

    def cells(self) -> list[str]:
        percent = self.unit == "%"
        book = f"{self.book:.2f}%" if percent else f"{self.book:.1e}"
        if self.published is None:
            return [self.name, book, "not published", "", ""]
        if percent:
            published, difference = (
                f"{self.published.value:.2f}%",
                f"{round(self.book, 2) - self.published.value:+.2f} points",
            )
        else:
            published, difference = f"{self.published.value:.0e}", f"x{self.book / self.published.value:.2g}"
        return [self.name, book, published, difference, "yes" if self.reached else "**no**"]


def compare(
    book: dict[str, float], published: dict[str, Published], names: list[str], unit: str = "%"
) -> list[Comparison]:
    """One comparison per name in ``names``, in that order; a name the study has no number for gets
    ``published=None``. A name the book has no number for is an error (a chapter stopped saving it),
    and so is a published number in another unit."""
    missing = [name for name in names if name not in book]
    if missing:
        raise KeyError(f"the chapter's saved results have no {missing}: rerun the chapter")
    mismatched = [name for name in names if name in published and published[name].unit != unit]
    if mismatched:
        raise ValueError(f"{mismatched} are published in another unit than {unit!r}")
    return [Comparison(name, book[name], unit, published.get(name)) for name in names]


def comparison_table(comparisons: list[Comparison]) -> Markdown:
    return markdown_table(
        ["", "this book", "the study", "difference", "reached"], [c.cells() for c in comparisons], align="lrrrl"
    )
