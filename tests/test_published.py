"""The published numbers are the studies' own, quoted with their sources."""

import re
from pathlib import Path

import pytest

from helpers.published import CIFAR_ONE_LAYER, IMPROVED_PEERS, MNIST_STAGES, PEER_GRADIENT_CHECK, PEERS

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
