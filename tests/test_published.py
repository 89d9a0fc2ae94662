"""The published numbers are the studies' own, quoted with their sources."""

import re
from pathlib import Path

import pytest

from helpers.published import (
    ASSIGNMENT_EXAMPLE_RUN,
    ASSIGNMENT_FACTS,
    CIFAR_ONE_LAYER,
    IMPROVED_PEERS,
    MNIST_STAGES,
    ORIGINAL_CODE_CONTROL,
    ORIGINAL_CODE_SEED_42,
    ORIGINAL_CODE_SEEDS,
    PEER_GRADIENT_CHECK,
    PEERS,
)

STUDIES = Path(__file__).resolve().parents[1].parent / "shared" / "studies"


def test_all_seventeen_accuracies_and_the_gradient_check_are_quoted():
    accuracies = [p for p in (*CIFAR_ONE_LAYER.values(), *MNIST_STAGES.values()) if p.unit == "%"]
    assert len(accuracies) == 17
    assert CIFAR_ONE_LAYER["gradient check against autograd"].value == 1e-15


@pytest.mark.skipif(not STUDIES.is_dir(), reason="../shared/studies is not beside the repository")
def test_every_quoted_number_is_written_in_the_document_it_cites():
    for published in (*CIFAR_ONE_LAYER.values(), *MNIST_STAGES.values()):
        document = (STUDIES / published.source.split(",")[0]).read_text()
        if published.unit == "%":
            written = f"{published.value:.2f}%" if "cifar" in published.source else f"{published.value:.1f}%"
            assert written in document, (published, written)
        else:  # a phrase, quoted as the study writes it
            phrase = re.search(r'"(.+)"', published.source).group(1)
            assert phrase in document, (published, phrase)


def written(value: float, quote: str) -> bool:
    """``value`` appears in ``quote`` as a number, with the digits the quote gives it."""
    numbers = [float(n) for n in re.findall(r"\d+\.\d+(?:e-\d+)?", quote)]
    return value in numbers


def test_every_peer_number_is_written_in_the_line_it_is_quoted_from():
    assert len(PEERS) >= 5 and len(IMPROVED_PEERS) >= 3
    for peer in PEERS:
        assert len(peer.settings_test) == 4 and peer.repository.count("/") == 1 and len(peer.commit) == 40
        lines = " ".join(peer.quotes)
        for value in peer.settings_test:
            assert value is None or written(value, lines), (peer.repository, value)
        # each setting's number in its own line, in order, where the peer gives one line per setting
        if len(peer.quotes) == 4:
            assert all(v is None or written(v, q) for v, q in zip(peer.settings_test, peer.quotes))
    for number in (*IMPROVED_PEERS, PEER_GRADIENT_CHECK):
        assert len(number.commit) == 40 and written(number.value, number.quote), number


def test_a_number_not_in_its_quote_is_caught():
    assert not written(39.92, "| `λ = 0`, `η = 0.001` | **39.11%** |")
    assert written(4.583e-15, "max relative error for `W`: **4.583e-15**")


@pytest.mark.skipif(not STUDIES.is_dir(), reason="../shared/studies is not beside the repository")
def test_the_assignment_run_and_the_original_code_control_are_quoted_from_their_files():
    assert f"**{ASSIGNMENT_EXAMPLE_RUN.value:.2f} %**" in (STUDIES / ASSIGNMENT_FACTS).read_text()
    rows = {
        line.split("|")[1].strip(): line
        for line in (STUDIES / ORIGINAL_CODE_CONTROL).read_text().splitlines()
        if line.startswith("| ") and line[2].isdigit()
    }
    assert len(rows) == len(MNIST_STAGES) == len(ORIGINAL_CODE_SEEDS) == len(ORIGINAL_CODE_SEED_42)
    for (stage, seed_42), seeds, row in zip(ORIGINAL_CODE_SEED_42.items(), ORIGINAL_CODE_SEEDS.values(), rows.values()):
        cells = [cell.strip() for cell in row.split("|")[1:-1]]
        assert stage.split(".")[0] == cells[0].split(".")[0]  # the same stage, in the same order
        assert cells[1] == f"{MNIST_STAGES[stage].value:.1f}" and cells[2] == f"{seed_42:.2f}"
        assert cells[4] == ", ".join(f"{value:.2f}" for value in seeds)


def test_a_number_is_judged_with_the_rounding_it_was_written_with():
    assert MNIST_STAGES["3. MLP + ReLU"].rounding == pytest.approx(0.05)
    assert CIFAR_ONE_LAYER["setting 2 (eta 0.001, lambda 0), test accuracy"].rounding == pytest.approx(0.005)
