"""The written-out softmax, cross-entropy, sigmoid and BCE: stability, shapes, agreement with torch."""

import numpy as np
import pytest
import torch

from helpers.gradcheck import numeric_gradient, relative_error
from helpers.softmax import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    one_hot,
    sigmoid,
    softmax,
)

EXTREME = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -999.0], [1000.0, 1000.0, 1000.0]])


def test_extreme_logits_give_finite_results():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is correct
        for value in (
            softmax(EXTREME),
            log_softmax(EXTREME),
            logsumexp(EXTREME),
            cross_entropy(EXTREME, one_hot([1, 2, 0], 3)),
            sigmoid(EXTREME.ravel()),
            binary_cross_entropy(EXTREME.ravel(), np.ones(9)),
        ):
            assert np.isfinite(value).all()
    np.testing.assert_allclose(softmax(EXTREME)[2], [1 / 3] * 3)
    assert cross_entropy(EXTREME[:1], one_hot([1], 3))[0] == pytest.approx(2000.0)


def test_agrees_with_torch_on_random_batches():
    rng = np.random.default_rng(0)
    o = rng.normal(scale=5, size=(4, 7, 10))
    labels = rng.integers(0, 10, size=(4, 7))
    t = torch.from_numpy(o)
    np.testing.assert_allclose(softmax(o), torch.softmax(t, -1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(log_softmax(o), torch.log_softmax(t, -1).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(logsumexp(o), torch.logsumexp(t, -1).numpy(), rtol=1e-12)
    expected = (
        torch.nn.functional.cross_entropy(t.reshape(-1, 10), torch.from_numpy(labels).reshape(-1), reduction="none")
        .reshape(4, 7)
        .numpy()
    )
    np.testing.assert_allclose(cross_entropy(o, one_hot(labels, 10)), expected, rtol=1e-12)
    z = rng.normal(scale=30, size=50)
    y = rng.integers(0, 2, size=50).astype(float)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(torch.from_numpy(z)).numpy(), rtol=1e-12)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.from_numpy(z), torch.from_numpy(y), reduction="none"
    ).numpy()
    # absolute: near 0, torch's log(1 + exp(-z)) rounds where log1p does not
    np.testing.assert_allclose(binary_cross_entropy(z, y), bce, rtol=1e-12, atol=1e-13)


def test_batch_shapes_are_kept():
    o = np.zeros((2, 3, 5))
    assert softmax(o).shape == (2, 3, 5) and logsumexp(o).shape == (2, 3)
    assert cross_entropy(o, softmax(o)).shape == (2, 3) and cross_entropy_grad(o, softmax(o)).shape == (2, 3, 5)


def gradient_case(seed=1, soft=False):
    rng = np.random.default_rng(seed)
    o = rng.normal(scale=3, size=(6, 4))
    y = softmax(rng.normal(size=(6, 4))) if soft else one_hot(rng.integers(0, 4, 6), 4)
    return o, y


@pytest.mark.parametrize("soft", [False, True])
def test_cross_entropy_gradient_matches_autograd_and_finite_differences(soft):
    o, y = gradient_case(soft=soft)
    ours = cross_entropy_grad(o, y)
    t = torch.from_numpy(o).requires_grad_()
    torch.nn.functional.cross_entropy(t, torch.from_numpy(y), reduction="sum").backward()
    assert relative_error(ours, t.grad.numpy()) <= 1e-12
    numeric = numeric_gradient(lambda logits: cross_entropy(logits, y).sum(), o, h=1e-5)
    assert np.abs(ours - numeric).max() <= 1e-6


def test_binary_cross_entropy_gradient_matches_autograd():
    rng = np.random.default_rng(2)
    z, y = rng.normal(scale=4, size=20), rng.uniform(size=20)
    t = torch.from_numpy(z).requires_grad_()
    torch.nn.functional.binary_cross_entropy_with_logits(t, torch.from_numpy(y), reduction="sum").backward()
    np.testing.assert_allclose(binary_cross_entropy_grad(z, y), t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_cross_entropy_is_entropy_plus_kl_and_bits_are_nats_over_ln2():
    p, q = np.array([0.5, 0.25, 0.25]), np.array([0.2, 0.3, 0.5])
    assert entropy(p, base=2) == pytest.approx(1.5)
    cross = -(p * np.log(q)).sum()
    assert cross == pytest.approx(entropy(p) + kl_divergence(p, q))
    assert kl_divergence(p, p) == pytest.approx(0.0) and kl_divergence(p, q) > 0
    assert entropy(p, base=2) == pytest.approx(entropy(p) / np.log(2))
    assert entropy(np.array([1.0, 0.0, 0.0])) == 0.0
