"""The published numbers are the studies' own, quoted with their sources."""

from pathlib import Path

import pytest

from helpers.published import CIFAR_ONE_LAYER, MNIST_STAGES, PEERS

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


def test_peers_quote_four_settings_each():
    assert len(PEERS) >= 4
    assert all(len(peer.settings_test) == 4 and peer.repository.count("/") == 1 for peer in PEERS)
