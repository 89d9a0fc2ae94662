"""The reproduction report's comparisons: the book's numbers, each over seeds, beside the published
ones, with a verdict by :data:`helpers.spread.VERDICT_RULE`."""

from __future__ import annotations

from dataclasses import dataclass

from IPython.display import Markdown

from ..published import IMPROVED_PEERS, PEERS, Published
from ..spread import Spread, prediction_interval, verdict
from ..tables import markdown_table

ORDER_OF_MAGNITUDE = 10.0  # an error "in the range of 1e-15" is matched by anything within a factor of ten


def interval_text(spread: Spread, rounding: float = 0.0, digits: int = 2) -> str:
    """The 95 % prediction interval for one new run, ``low–high``."""
    low, high = prediction_interval(spread, rounding)
    return f"{low:.{digits}f}–{high:.{digits}f}"


@dataclass(frozen=True)
class Comparison:
    """A published accuracy and the book's spread of the same measurement over seeds."""

    name: str
    book: Spread
    published: Published

    @property
    def verdict(self) -> str:
        return verdict(self.book, self.published.value, self.published.rounding)

    @property
    def label(self) -> str:
        """The name as a table row shows it, short enough to leave the numbers room: "setting 2
        (η 0.001, λ 0), test", "softmax + CE, improved, train"."""
        label = self.name.replace("eta ", "η ").replace("lambda ", "λ ")
        label = label.replace("softmax + cross-entropy", "softmax + CE")
        label = label.replace("sigmoid + multiple binary cross-entropy", "sigmoid + MBCE")
        return label.removesuffix(" accuracy")

    def cells(self) -> list[str]:
        return [
            self.label,
            self.book.cell(),
            interval_text(self.book, self.published.rounding),
            f"{self.published.value:.{self.published.decimals}f}",
            self.verdict,
        ]


def compare(book: dict[str, list[float]], published: dict[str, Published], names: list[str]) -> list[Comparison]:
    """One comparison per name. A name the book has no numbers for (a chapter stopped saving it), or
    has a single number for instead of one per seed, is an error; so is a name nobody published."""
    missing = [name for name in names if name not in book]
    if missing:
        raise KeyError(f"the chapter's saved results have no {missing}: rerun the chapter")
    single = [name for name in names if not isinstance(book[name], list)]
    if single:
        raise ValueError(f"{single} were saved as single runs, not one number per seed: rerun the chapter")
    return [Comparison(name, Spread.of(book[name]), published[name]) for name in names]


def comparison_table(comparisons: list[Comparison]) -> Markdown:
    return markdown_table(
        ["result", "this book (%)", "95 % interval, one run", "published (%)", "verdict"],
        [c.cells() for c in comparisons],
        align="lrrrl",
    )


def control_tables(
    book: dict[str, list[float]],
    control_seeds: dict[str, tuple[float, ...]],
    control_default: dict[str, float],
    published: dict[str, Published],
) -> tuple[Markdown, Markdown]:
    """The original code's own runs beside the published numbers, by the same rule: its seeds'
    spread, their interval and verdict, then its default seed's run and the book minus the
    original code seed by seed (the same seed draws the same split in both): two tables, each
    narrow enough for the page."""
    judged, beside = [], []
    for name, values in control_seeds.items():
        original, target = Spread.of(values), published[name]
        difference = Spread.of(b - o for b, o in zip(book[name], values, strict=True))
        judged.append(
            [
                name,
                original.cell(),
                interval_text(original, target.rounding),
                f"{target.value:.{target.decimals}f}",
                verdict(original, target.value, target.rounding),
            ]
        )
        beside.append([name, f"{control_default[name]:.2f}", Spread.of(book[name]).cell(), difference.cell()])
    return (
        markdown_table(
            ["stage", "original code, seeds 0–4 (%)", "95 % interval, one run", "published (%)", "verdict"],
            judged,
            align="lrrrl",
        ),
        markdown_table(
            ["stage", "original code, seed 42 (%)", "this book, seeds 0–4 (%)", "book − original code, by seed"],
            beside,
            align="lrrr",
        ),
    )


def error_within_reach(book: float, published: Published) -> bool:
    """A gradient check's error matches one published as "around 1e-15" if it is at most ten times that."""
    return book <= ORDER_OF_MAGNITUDE * published.value


def improved_peers_table(book: dict[str, list[float]], study: dict[str, float]) -> Markdown:
    """The improved networks of other reproductions (:data:`helpers.published.IMPROVED_PEERS`),
    each with what it changed, then the book's (a spread per loss, ``book``) and the study's."""
    # the path as code: MyST's linkify would take a bare README.md for a web address
    rows = [
        [f"{p.repository}<br>`{p.path}` @ {p.commit[:7]}", p.what, p.note, f"{p.value:.2f}"] for p in IMPROVED_PEERS
    ]
    rows += [["this book", name, "chapter 3's plateau network", Spread.of(v).cell()] for name, v in book.items()]
    rows += [["the study", name, "", f"{value:.2f}"] for name, value in study.items()]
    return markdown_table(["reproduction", "output", "what it changed", "test (%)"], rows, align="lllr")


def peers_table(book_means: list[float], study: list[float], assignment_setting2: float) -> Markdown:
    """The other public reproductions' test accuracies (%) for the four CIFAR-10 settings
    (:data:`helpers.published.PEERS`), the assignment's example run (setting 2's eta and lambda),
    the book's mean over seeds and the study's numbers, a column per setting."""

    def numbers(values) -> list[str]:
        return ["–" if v is None else f"{v:.2f}" for v in values]

    if not len(book_means) == len(study) == 4:
        raise ValueError("one book mean and one study number per setting: four each")
    return markdown_table(
        ["reproduction / setting", "1", "2", "3", "4"],
        # the path as code: MyST's linkify would take a bare README.md for a web address
        [[f"{peer.repository}<br>`{peer.path}` @ {peer.commit[:7]}", *numbers(peer.settings_test)] for peer in PEERS]
        + [
            ["DD2424 Assignment 1, the instructor's run", *numbers([None, assignment_setting2, None, None])],
            ["this book, mean of 5 seeds", *numbers(book_means)],
            ["the study", *numbers(study)],
        ],
    )
