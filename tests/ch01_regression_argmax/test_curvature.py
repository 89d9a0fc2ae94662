"""Chapter 1's curvature helpers: the sharpness, a run that measures it, and spikes."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from helpers.ch01_regression_argmax import make_model
from helpers.ch01_regression_argmax.curvature import (
    around_spikes,
    fit_measuring_sharpness,
    hessian_sharpness,
    spike_starts,
)
from helpers.ch01_regression_argmax.figures import sharpness_figure, stable_step_figure
from helpers.ch01_regression_argmax.training_loop import fit


def test_sharpness_of_a_line_fit_is_the_top_eigenvalue_of_its_known_hessian():
    x = torch.linspace(-1, 2, 50)[:, None]
    y = 3 * x + 0.5
    line = torch.nn.Linear(1, 1)
    # the MSE of w x + b has the constant Hessian 2 [[mean x^2, mean x], [mean x, 1]]
    xs = x[:, 0].double().numpy()
    hessian = 2 * np.array([[np.mean(xs**2), np.mean(xs)], [np.mean(xs), 1.0]])
    expected = np.linalg.eigvalsh(hessian).max()
    assert hessian_sharpness(line, x, y) == pytest.approx(expected, rel=1e-12)


def test_measuring_the_sharpness_does_not_change_the_run():
    torch.manual_seed(0)
    x = torch.linspace(-3, 3, 40)[:, None]
    y = torch.sin(2 * x)
    mse = torch.nn.functional.mse_loss
    losses = fit(make_model(hidden=4, init_seed=1, n_outputs=1), x, y, mse, 25, 0.1, 0.9)
    measured, epochs, values = fit_measuring_sharpness(
        make_model(hidden=4, init_seed=1, n_outputs=1), x, y, 25, 0.1, 0.9, every=10
    )
    assert measured == losses
    assert epochs.tolist() == [0, 10, 20, 25]
    assert values.shape == (4,) and (values > 0).all()


def test_spike_starts_and_the_values_around_them():
    losses = [1.0] * 100 + [0.5, 0.4, 3.0, 5.0, 0.3, 0.2, 0.7, np.inf]
    assert spike_starts(losses) == [102, 106]
    epochs = np.arange(0, 110, 2)
    values = epochs.astype(float)
    before, after = around_spikes([102], epochs, values, window=4)
    assert before.tolist() == [102.0] and after.tolist() == [104.0]


def test_curvature_figures_are_labelled():
    ax = stable_step_figure([0.0, 0.5], [2.0, 1.5], [2.0, 3.0]).axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and len(ax.get_lines()) == 4
    fig = sharpness_figure({"a": ([1.0, 0.5, 0.4], [0, 2], [1.0, 2.0], 0.1)}, limit=1.36)
    assert [ax.get_ylabel() != "" for ax in fig.axes] == [True, True]
    assert fig.axes[1].get_xlabel() == "epoch"
