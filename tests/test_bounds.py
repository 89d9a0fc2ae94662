"""The bounds on training outcomes: checked where they are named, and each backed by the sweep."""

import json
import re
from pathlib import Path

import pytest

from helpers.bounds import BOUNDS, RECORD_VARIABLE, Bound, check, check_all

ROOT = Path(__file__).parent.parent
CALL = re.compile(r'check\(\s*(f?)"([^"]+)"')


def named_checks() -> list[tuple[str, str]]:
    """``(kind, name)`` of every ``check("...")`` call in the chapters and the tests."""
    sources = [*sorted((ROOT / "book").glob("*.md")), *sorted((ROOT / "tests").rglob("test_*.py"))]
    return [
        match.groups() for path in sources if path.name != "test_bounds.py" for match in CALL.finditer(path.read_text())
    ]


def measured_names() -> str:
    """The source of the modules that measure the bounds (their names are the keys they return)."""
    modules = [*sorted((ROOT / "helpers").glob("ch*/bounded.py")), ROOT / "tests" / "bounded_training.py"]
    return "".join(path.read_text() for path in modules)


def test_a_bound_holds_or_fails_with_one_line_naming_it(monkeypatch):
    monkeypatch.delenv(RECORD_VARIABLE, raising=False)  # examples, not a page's values
    check("ch2 softmax regression on MNIST: test accuracy", 0.95)  # holds: no exception
    with pytest.raises(AssertionError) as failure:
        check("ch2 softmax regression on MNIST: test accuracy", 0.5)
    message = str(failure.value)
    assert "\n" not in message and message.startswith("ch2 softmax regression on MNIST: test accuracy: 0.5 ")
    assert ">= 0.91" in message and "seed_sweep" in message


@pytest.mark.parametrize(
    "op, inside, on_the_bound, outside",
    [(">=", 2.0, True, 0.0), (">", 2.0, False, 0.0), ("<=", 0.0, True, 2.0), ("<", 0.0, False, 2.0)],
)
def test_each_operator_compares_as_written(op, inside, on_the_bound, outside):
    bound = Bound(op, 1.0)
    assert bound.holds(inside) and not bound.holds(outside) and bound.holds(1.0) == on_the_bound
    assert bound.is_lower == op.startswith(">")


def test_every_named_check_is_a_bound_and_every_bound_is_named_where_it_is_checked_or_measured():
    """A typo in a bound's name fails here, before anything runs. That each page checks each of its
    bounds is shown by running it: tests/test_sweep_runs_the_pages.py."""
    checks = named_checks()
    literal = {name for kind, name in checks if not kind}
    templates = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(name))) for kind, name in checks if kind]
    assert literal <= set(BOUNDS), literal - set(BOUNDS)
    measured = measured_names()
    unchecked = [
        name
        for name in BOUNDS
        if name not in literal and f'"{name}"' not in measured and not any(t.fullmatch(name) for t in templates)
    ]
    assert not unchecked, unchecked


def test_check_records_each_value_with_its_seed_when_asked(tmp_path, monkeypatch):
    record = tmp_path / "checks.jsonl"
    monkeypatch.setenv(RECORD_VARIABLE, str(record))
    check_all(
        {"ch2 softmax regression on MNIST: test accuracy": 0.95, "ch1 default run: smallest logit on the grid": -2}
    )
    with pytest.raises(AssertionError):  # a failing value is recorded too: the sweep compares it
        check("ch2 softmax regression on MNIST: test accuracy", 0.5, seed=3)
    entries = [json.loads(line) for line in record.read_text().splitlines()]
    assert [(e["name"][:3], e["seed"], e["value"]) for e in entries] == [
        ("ch2", 0, 0.95),
        ("ch1", 0, -2.0),
        ("ch2", 3, 0.5),
    ]
