"""Logistic and softmax regression from scratch."""

import numpy as np
import pytest
import torch
from bounded_training import logistic_vs_sklearn, softmax_on_separable_classes
from data_files import separable_classes
from sklearn.datasets import make_classification

from helpers.bounds import check
from helpers.ch02_softmax_cross_entropy.linear_models import (
    LogisticRegression as ScratchLogisticRegression,
)
from helpers.ch02_softmax_cross_entropy.linear_models import (
    SoftmaxRegression,
    fit_logistic_regression,
    fit_softmax_regression,
    logistic_regression_step,
    softmax_regression_step,
    three_blobs,
)
from helpers.softmax import one_hot


def test_logistic_regression_reaches_the_unpenalised_maximum_likelihood_fit():
    ours, gap = logistic_vs_sklearn()
    check("tests: logistic regression, largest probability gap to scikit-learn", gap)
    losses = list(ours.losses.values())
    assert list(ours.losses)[:3] == [0, 100, 200]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(losses, losses[1:]))  # never rises
    assert losses[0] == pytest.approx(np.log(2))  # zero weights: every probability is 1/2


def test_a_logistic_regression_step_is_gradient_descent_on_the_mean_binary_cross_entropy():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 5)), rng.integers(0, 2, 8).astype(float)
    model = ScratchLogisticRegression(rng.normal(size=5), 0.3)
    w = torch.from_numpy(model.w.copy()).requires_grad_()
    b = torch.tensor(model.b, dtype=torch.float64, requires_grad=True)
    z = torch.from_numpy(X) @ w + b
    torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y)).backward()
    logistic_regression_step(model, X, y, lr=0.3)
    np.testing.assert_allclose(model.w, (w - 0.3 * w.grad).detach().numpy(), rtol=1e-12)
    assert model.b == pytest.approx((b - 0.3 * b.grad).item(), rel=1e-12)


def test_a_softmax_regression_step_is_sgd_on_the_mean_cross_entropy():
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(8, 5)), rng.integers(0, 3, 8)
    model = SoftmaxRegression(rng.normal(size=(3, 5)), rng.normal(size=3))  # W is (K, D)
    layer = torch.nn.Linear(5, 3).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(model.W))  # nn.Linear's weight is (K, D) too
        layer.bias.copy_(torch.from_numpy(model.b))
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.3)
    torch.nn.functional.cross_entropy(layer(torch.from_numpy(X)), torch.from_numpy(labels)).backward()
    optimizer.step()
    softmax_regression_step(model, X, one_hot(labels, 3), lr=0.3)
    np.testing.assert_allclose(model.W, layer.weight.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(model.b, layer.bias.detach().numpy(), rtol=1e-12)


def test_softmax_regression_learns_separable_classes_and_records_each_epoch():
    model, accuracy, loss_change = softmax_on_separable_classes()
    assert [row["epoch"] for row in model.history] == [1, 2, 3, 4]
    check("tests: softmax regression on separable classes, test accuracy", accuracy)
    check("tests: softmax regression on separable classes, last epoch's loss minus the first's", loss_change)


def test_three_blobs_are_reproducible_balanced_and_centred_on_a_circle():
    X, labels = three_blobs(n_per_class=2000, radius=2.5, spread=1.0, seed=3)
    again, _ = three_blobs(n_per_class=2000, radius=2.5, spread=1.0, seed=3)
    np.testing.assert_array_equal(X, again)
    assert X.shape == (6000, 2) and np.bincount(labels).tolist() == [2000] * 3
    means = np.stack([X[labels == k].mean(axis=0) for k in range(3)])
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 2.5, atol=0.1)
    np.testing.assert_allclose(means.mean(axis=0), 0, atol=0.1)


def test_softmax_regions_figure_draws_regions_points_and_one_arrow_per_class():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.ch02_softmax_cross_entropy.figures import softmax_regions_figure

    X, labels = three_blobs(n_per_class=5)
    W, b = np.array([[0.0, 1.0], [-1.0, -0.5], [1.0, -0.5]]), np.zeros(3)
    fig = softmax_regions_figure([("a", W, b, None), ("b", W + 1, b, np.ones(2))], X, labels, ["x", "y", "z"])
    left, right = fig.axes
    assert (left.get_xlabel(), left.get_ylabel(), right.get_title()) == ("feature 1 ($x_1$)", "feature 2 ($x_2$)", "b")
    arrow_labels = [text.get_text() for text in right.texts if text.get_text()]
    assert arrow_labels == ["$w_0$", "$w_1$", "$w_2$", "$v$"]


def test_the_l2_penalty_is_gradient_descent_on_the_penalised_loss():
    X, y = make_classification(n_samples=80, n_features=4, random_state=1)
    model = fit_logistic_regression(X, y, lr=0.3, epochs=3, l2=0.05)
    w = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=0.3)
    for _ in range(3):  # from zero the penalty's gradient is zero: the later steps feel it
        optimizer.zero_grad()
        z = torch.from_numpy(X) @ w + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y).double())
        (loss + 0.05 * (w**2).sum()).backward()
        optimizer.step()
    np.testing.assert_allclose(model.w, w.detach().numpy(), rtol=1e-12)
    assert model.b == pytest.approx(b.item(), rel=1e-12)
    free = fit_logistic_regression(X, y, lr=0.3, epochs=50)
    penalised = fit_logistic_regression(X, y, lr=0.3, epochs=50, l2=0.05)
    assert np.linalg.norm(penalised.w) < np.linalg.norm(free.w)


def test_chapter_2_new_figures_are_labelled():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.ch02_softmax_cross_entropy.figures import learning_curves_figure, masking_figure

    grid = np.linspace(-6, 6, 7)
    outputs = np.tile([0.2, 0.3, 0.5], (7, 1))
    left, right = masking_figure(grid, outputs, outputs, np.array([-1.0, 0.0, 1.0]), np.arange(3)).axes
    assert (left.get_xlabel(), right.get_ylabel()) == ("input x", r"probability $\hat y_k(x)$")
    X_train, labels_train, X_val, labels_val = separable_classes()
    runs = {
        lr: fit_softmax_regression(
            X_train, labels_train, 3, lr=lr, epochs=2, X_validation=X_val, labels_validation=labels_val
        )
        for lr in (0.1, 1.0)
    }
    loss_panel, accuracy_panel = learning_curves_figure(runs, (1.0, 2)).axes
    assert [line.get_label() for line in loss_panel.get_lines()] == ["lr 0.1", "lr 1"]
    assert accuracy_panel.get_ylabel() == "validation accuracy (%)"


def test_a_validation_set_is_measured_after_each_epoch_and_zero_epochs_is_the_untrained_model():
    X_train, labels_train, X_val, labels_val = separable_classes()
    model = fit_softmax_regression(
        X_train, labels_train, 3, lr=0.5, epochs=3, batch_size=50, X_validation=X_val, labels_validation=labels_val
    )
    assert [row["epoch"] for row in model.history] == [1, 2, 3]
    kept = model.history[model.best_epoch - 1]  # the weights returned are that epoch's
    assert kept["validation_accuracy"] == model.accuracy(X_val, labels_val)
    logits = torch.from_numpy(model.logits(X_val)).double()
    expected = torch.nn.functional.cross_entropy(logits, torch.from_numpy(labels_val).long()).item()
    assert kept["validation_loss"] == pytest.approx(expected, rel=1e-6)
    untrained = fit_softmax_regression(X_train, labels_train, 3, epochs=0)
    assert not untrained.W.any() and not untrained.b.any() and untrained.history == []


def test_with_a_validation_set_the_model_keeps_its_best_epoch_on_it():
    X_train, labels_train, X_val, labels_val = separable_classes()
    kwargs = dict(lr=5.0, batch_size=50, X_validation=X_val, labels_validation=labels_val, seed=3)
    model = fit_softmax_regression(X_train, labels_train, 3, epochs=6, **kwargs)
    accuracies = [row["validation_accuracy"] for row in model.history]
    assert model.best_epoch == 1 + int(np.argmax(accuracies))  # the first of the best
    assert model.accuracy(X_val, labels_val) == max(accuracies)
    # its weights are those the same run had at that epoch
    shorter = fit_softmax_regression(
        X_train, labels_train, 3, epochs=model.best_epoch, **{**kwargs, "X_validation": None}
    )
    np.testing.assert_array_equal(model.W, shorter.W)
    np.testing.assert_array_equal(model.b, shorter.b)
