"""Logistic and softmax regression from scratch."""

import numpy as np
import pytest
import torch
from data_files import separable_classes
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from helpers.bounds import check
from helpers.ch02_softmax_cross_entropy.linear_models import (
    SoftmaxRegression,
    fit_logistic_regression,
    fit_softmax_regression,
    softmax_regression_step,
)
from helpers.softmax import one_hot


def test_logistic_regression_reaches_the_unpenalised_maximum_likelihood_fit():
    X, y = make_classification(n_samples=300, n_features=5, random_state=0)
    ours = fit_logistic_regression(X, y, lr=1.0, epochs=20000)
    # scikit-learn's default tolerance stops about 4e-4 short of the optimum; ask it to converge
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(X, y)
    check(
        "tests: logistic regression, largest probability gap to scikit-learn",
        np.abs(ours.predict_proba(X) - reference.predict_proba(X)[:, 1]).max(),
    )
    losses = list(ours.losses.values())
    assert list(ours.losses)[:3] == [0, 100, 200]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(losses, losses[1:]))  # never rises
    assert losses[0] == pytest.approx(np.log(2))  # zero weights: every probability is 1/2


def test_a_softmax_regression_step_is_sgd_on_the_mean_cross_entropy():
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(8, 5)), rng.integers(0, 3, 8)
    model = SoftmaxRegression(rng.normal(size=(5, 3)), rng.normal(size=3))
    layer = torch.nn.Linear(5, 3).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(model.W.T))
        layer.bias.copy_(torch.from_numpy(model.b))
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.3)
    torch.nn.functional.cross_entropy(layer(torch.from_numpy(X)), torch.from_numpy(labels)).backward()
    optimizer.step()
    softmax_regression_step(model, X, one_hot(labels, 3), lr=0.3)
    np.testing.assert_allclose(model.W, layer.weight.detach().numpy().T, rtol=1e-12)
    np.testing.assert_allclose(model.b, layer.bias.detach().numpy(), rtol=1e-12)


def test_softmax_regression_learns_separable_classes_and_records_each_epoch():
    X_train, labels_train, X_test, labels_test = separable_classes()
    model = fit_softmax_regression(
        X_train, labels_train, 3, lr=0.5, epochs=4, batch_size=50, X_test=X_test, labels_test=labels_test
    )
    assert [row["epoch"] for row in model.history] == [1, 2, 3, 4]
    check("tests: softmax regression on separable classes, test accuracy", model.history[-1]["test_accuracy"])
    check(
        "tests: softmax regression on separable classes, last epoch's loss minus the first's",
        model.history[-1]["train_loss"] - model.history[0]["train_loss"],
    )
