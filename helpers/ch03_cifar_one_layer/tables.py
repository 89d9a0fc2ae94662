"""Chapter 3's result tables, as markdown that fits the page's text column."""

from __future__ import annotations

from IPython.display import Markdown

from ..cifar_one_layer.search import SETTINGS
from ..cifar_one_layer.training import TrainResult
from ..spread import Spread
from ..tables import markdown_table

SPLITS = {"train": "train (%)", "val": "validation (%)", "test": "test (%)"}


def setting_label(name: str) -> str:
    """``'setting 1<br>η 0.1, λ 0'`` for ``'setting 1 (eta 0.1, lambda 0)'``."""
    eta, lam = SETTINGS[name]
    return f"{name.split(' (')[0]}<br>η {eta:g}, λ {lam:g}"


def settings_table(spreads: dict[tuple[str, str], Spread]) -> Markdown:
    """A row per setting, a column per split: each a spread over seeds, the range below the mean."""
    return markdown_table(
        ["5 seeds", *SPLITS.values()],
        [[setting_label(name), *(spreads[(name, split)].cell() for split in SPLITS)] for name in SETTINGS],
    )


def grid_table(label: str, grid: dict[tuple[float, float], TrainResult], chosen: tuple[float, float]) -> Markdown:
    """Validation accuracy (%) after the last epoch: a row per eta, a column per lambda; the chosen
    point in bold."""
    etas = sorted({eta for eta, _ in grid})
    lams = sorted({lam for _, lam in grid})

    def cell(point):
        text = f"{100 * grid[point].history[-1]['val_accuracy']:.2f}"
        return f"**{text}**" if point == chosen else text

    return markdown_table(
        [f"{label}: η", *(f"λ {lam:g}" for lam in lams)],
        [[f"{eta:g}", *(cell((eta, lam)) for lam in lams)] for eta in etas],
    )
