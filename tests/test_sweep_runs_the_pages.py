"""The seed sweep runs what the pages run: for each group of bounds (a page, or the unit tests),
the values its checks received for seed 0 in this test run are the values the sweep's
``measure(0)`` computes, with the same kernels and the same thread count, to the last bit.

The pages and tests record what :func:`helpers.bounds.check` receives (``conftest.py`` names the
file), and these tests run after them (marker ``after_pages``). A group whose page or tests were
not all run in this session (or were selected with ``-k``/``-m``) is skipped, saying which:
``pytest book/03_cifar_one_layer.md tests/test_sweep_runs_the_pages.py`` compares chapter 3
alone (chapter 1 also needs ``tests/ch01_regression_argmax/test_live_training.py``, which checks
one of its bounds). Edit a step of a page (a learning rate, an epoch count) without its
``measure`` and the group's test fails, naming the bounds whose values moved.

It costs what ``measure(0)`` costs for every group: each page's seed-0 runs are trained a second
time (chapter 3's most).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from helpers.bounds import BOUNDS, RECORD_VARIABLE, group, worst

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("seed_sweep_for_pages", ROOT / "benchmarks" / "seed_sweep.py")
seed_sweep = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(seed_sweep)


def sources(group_name: str) -> list[Path]:
    """The page of a chapter's group (``ch3``: ``book/03_*.md``), and the test files that check a
    bound of the group (they name it, or call the unit tests' ``bounded_training``)."""
    pages = sorted((ROOT / "book").glob(f"{int(group_name[2:]):02d}_*.md")) if group_name[2:].isdigit() else []
    names = [f'"{name}"' for name in BOUNDS if group(name) == group_name]
    if group_name == "tests":
        names.append("from bounded_training import")
    tests_of_bounds = {Path(__file__).resolve(), ROOT / "tests" / "test_bounds.py"}  # they name bounds as examples
    tests = [
        path
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        if path.resolve() not in tests_of_bounds and any(name in path.read_text() for name in names)
    ]
    return pages + tests


def recorded(group_name: str, seed: int = 0) -> dict[int | None, dict[str, list[float]]]:
    """What the checks of the group received for ``seed`` in this run: by the PyTorch thread
    count they ran with (a page's kernel has the machine's default, a unit test whatever the
    tests before it left), then by bound."""
    values = defaultdict(lambda: defaultdict(list))
    path = Path(os.environ[RECORD_VARIABLE])
    for line in path.read_text().splitlines() if path.exists() else []:
        entry = json.loads(line)
        if group(entry["name"]) == group_name and entry["seed"] == seed:
            values[entry["threads"]][entry["name"]].append(entry["value"])
    return values


#: ``measure(group, 0)`` for each group named, in one fresh process (as a page's kernel is one)
#: with THREADS PyTorch threads.
MEASURE = """
import json, sys
import torch
if sys.argv[1] != "None":
    torch.set_num_threads(int(sys.argv[1]))
sys.path.insert(0, "benchmarks")
import seed_sweep
values = {group: seed_sweep.measure(group, 0) for group in sys.argv[2:]}
print(json.dumps({group: {name: float(v) for name, v in measured.items()} for group, measured in values.items()}))
"""
_measured: dict[int | None, dict[str, dict[str, float]]] = {}  # by thread count, then group


def measured_in_a_fresh_process(group_name: str, threads: int | None, groups: list[str]) -> dict[str, float]:
    """``measure(group_name, 0)``, computed in one process per thread count with those of
    ``groups`` (the ones this session compares) that were checked at that count: one start and
    one import for all of them, and no group measured at a count none of its checks ran with."""
    if threads not in _measured:
        wanted = [group for group in groups if threads in recorded(group)]
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(threads), *wanted], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        _measured[threads] = json.loads(done.stdout.splitlines()[-1])
    return _measured[threads][group_name]


def disagreements(checked: dict[str, list[float]], measured: dict[str, float]) -> list[str]:
    """One line per bound whose checked and measured values differ, or that one side lacks."""
    lines = [f"{name}: checked, not measured by the sweep" for name in sorted(set(checked) - set(measured))]
    lines += [f"{name}: measured by the sweep, not checked" for name in sorted(set(measured) - set(checked))]
    for name in sorted(set(checked) & set(measured)):
        page, sweep = worst(name, checked[name]), measured[name]
        if not (page == sweep or (page != page and sweep != sweep)):  # NaN only equals NaN
            lines.append(f"{name}: the page checked {page!r}, the sweep measures {sweep!r}")
    return lines


def test_disagreements_names_each_difference():
    checked = {
        "ch1 default run: largest logit on the grid": [2.0, 1.5],
        "ch1 default run: smallest logit on the grid": [-1.0],
    }
    assert (
        disagreements(
            checked,
            {"ch1 default run: largest logit on the grid": 1.5, "ch1 default run: smallest logit on the grid": -1.0},
        )
        == []
    )
    lines = disagreements(checked, {"ch1 default run: largest logit on the grid": 1.5000001})
    assert lines == [
        "ch1 default run: smallest logit on the grid: checked, not measured by the sweep",
        "ch1 default run: largest logit on the grid: the page checked 1.5, the sweep measures 1.5000001",
    ]


def test_every_bound_belongs_to_a_group_the_sweep_measures():
    assert {group(name) for name in BOUNDS} == set(seed_sweep.GROUPS)


def why_not_compared(group_name: str, request) -> str | None:
    """Why this session cannot compare the group (``None``: it can)."""
    if request.config.getoption("keyword") or request.config.getoption("markexpr"):
        return "-k or -m may have left out some of the group's checks: run the files whole"
    collected = {Path(item.path).resolve() for item in request.session.items}
    absent = [path.relative_to(ROOT) for path in sources(group_name) if path.resolve() not in collected]
    return f"not run in this session: {', '.join(map(str, absent))}" if absent else None


@pytest.mark.after_pages
@pytest.mark.parametrize("group_name", sorted(seed_sweep.GROUPS))
def test_the_sweep_measures_what_the_pages_checked(group_name, request):
    if why := why_not_compared(group_name, request):
        pytest.skip(why)
    compared = [group for group in sorted(seed_sweep.GROUPS) if why_not_compared(group, request) is None]
    by_threads = recorded(group_name)
    checked = {name for values in by_threads.values() for name in values}
    lines = [
        f"{name}: measured by the sweep, not checked" for name in sorted(seed_sweep.group_bounds(group_name) - checked)
    ]
    for threads, values in by_threads.items():  # a page's kernel and a unit test may differ
        measured = measured_in_a_fresh_process(group_name, threads, compared)
        lines += [line for line in disagreements(values, measured) if not line.endswith(", not checked")]
    assert lines == []
