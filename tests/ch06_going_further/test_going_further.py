"""The going-further page's helpers: the sharpness, a run that measures it, stability limits, spikes."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from helpers.ch01_regression_argmax import TrainConfig, three_classes, train
from helpers.ch01_regression_argmax.net import flatten, mse_gradient, nesterov_step
from helpers.ch06_going_further.curvature import (
    around_spikes,
    fit_measuring_sharpness,
    hessian_sharpness,
    largest_rise,
    spike_starts,
    spike_summary,
    stable_lr_limit,
)
from helpers.ch06_going_further.figures import loss_comparison_figure, sharpness_figure, stable_step_figure
from helpers.tiny_net import fit, make_model


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


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_stable_lr_limit_separates_convergence_from_divergence_on_a_bowl(momentum):
    curvature = 3.0
    limit = stable_lr_limit(momentum, curvature)
    for lr, converges in ((0.97 * limit, True), (1.03 * limit, False)):
        w, v = np.array([[1.0]]), np.zeros((1, 1))
        for _ in range(2000):  # f(w) = curvature / 2 * w^2, so the gradient is curvature * w
            nesterov_step(w, v, curvature * w, np.array([[lr]]), np.array([[momentum]]))
        assert (abs(w[0, 0]) < 1e-3) == converges


def test_sharpness_is_the_top_eigenvalue_of_the_hessian_of_the_written_out_gradient():
    data = three_classes(0)
    state = train(TrainConfig(epochs=30)).final_state
    theta = flatten(state).astype(np.float64)[None]
    x, targets = data.x.numpy().astype(np.float64), data.one_hot().numpy().astype(np.float64)
    step = 1e-5
    columns = []
    for i in range(theta.shape[1]):  # the Hessian by central differences of the gradient
        e = np.zeros_like(theta)
        e[0, i] = step
        columns.append(
            (mse_gradient(theta + e, 8, x, targets)[1] - mse_gradient(theta - e, 8, x, targets)[1])[0] / (2 * step)
        )
    hessian = np.array(columns)
    model = make_model(8)
    model.load_state_dict(state)
    assert hessian_sharpness(model, data.x, data.one_hot()) == pytest.approx(
        np.linalg.eigvalsh((hessian + hessian.T) / 2).max(), rel=1e-4
    )


def test_largest_rise_is_one_for_a_falling_loss_and_the_spike_factor_otherwise():
    falling = np.linspace(1.0, 0.1, 300)
    assert largest_rise(falling) < 1
    spiked = falling.copy()
    spiked[200] = 10 * spiked[199]  # a spike of x10 over the lowest loss so far
    assert largest_rise(spiked) == pytest.approx(10)
    assert largest_rise(spiked, after=201) < 1  # the spike falls before the window
    spiked[250] = np.nan
    assert largest_rise(spiked) == np.inf


def test_spike_summary_says_how_far_the_loss_climbed_and_where_it_stopped():
    falling = np.linspace(1.0, 0.1, 300)
    assert spike_summary(falling)[1] == "happened to stop between spikes"
    spiked = falling.copy()
    spiked[-1] = 10 * spiked[-2]  # the run ends on a spike ten times its recent best
    assert spike_summary(spiked) == ("by a factor of up to 10", "stopped in the middle of a spike")
    spiked[250] = np.inf
    assert spike_summary(spiked)[1] == "ended after the numbers overflowed"


def test_loss_comparison_figure_draws_one_labelled_curve_per_run():
    figure = loss_comparison_figure({"a": [1.0, 0.5], "b": [1.0, 0.1]}, "two runs")
    ax = figure.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert (ax.get_xlabel(), ax.get_yscale(), ax.get_title()) == ("epoch", "log", "two runs")
