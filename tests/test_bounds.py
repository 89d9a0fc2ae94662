"""The bounds on training outcomes: checked where they are named, and each backed by the sweep."""

import re
from pathlib import Path

import pytest

from helpers.bounds import BOUNDS, Bound, check

ROOT = Path(__file__).parent.parent
CALL = re.compile(r'check\(\s*(f?)"([^"]+)"')


def named_checks() -> list[tuple[str, str]]:
    """``(kind, name)`` of every ``check("...")`` call in the chapters and the tests."""
    sources = [*sorted((ROOT / "book").glob("*.md")), *sorted((ROOT / "tests").rglob("test_*.py"))]
    return [
        match.groups() for path in sources if path.name != "test_bounds.py" for match in CALL.finditer(path.read_text())
    ]


def test_a_bound_holds_or_fails_with_one_line_naming_it():
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


def test_every_named_check_is_a_bound_and_every_bound_is_checked():
    checks = named_checks()
    literal = {name for kind, name in checks if not kind}
    templates = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(name))) for kind, name in checks if kind]
    assert literal <= set(BOUNDS), literal - set(BOUNDS)
    unchecked = [name for name in BOUNDS if name not in literal and not any(t.fullmatch(name) for t in templates)]
    assert not unchecked, unchecked


def test_the_seed_sweep_measures_every_bound():
    sweep = (ROOT / "benchmarks" / "seed_sweep.py").read_text()
    assert [name for name in BOUNDS if f'"{name}"' not in sweep] == []
