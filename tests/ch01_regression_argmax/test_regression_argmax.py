"""Chapter 1's data, trainer and figures."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from helpers.bounds import check
from helpers.ch01_regression_argmax import (
    TrainConfig,
    largest_rise,
    make_model,
    spike_summary,
    three_classes,
    train,
    train_many,
)
from helpers.ch01_regression_argmax.curvature import sharpness, stable_lr_limit
from helpers.ch01_regression_argmax.figures import (
    argmax_regions,
    class_histograms,
    evolution_figure,
    logit_figure,
    loss_comparison_figure,
)
from helpers.ch01_regression_argmax.net import flatten, mse_gradient, nesterov_step
from helpers.ch01_regression_argmax.sliders import MOMENTUM_VALUES, slider_grid
from helpers.ch01_regression_argmax.training_loop import fit


def test_data_is_reproducible_from_its_seed():
    a, b, c = three_classes(3), three_classes(3), three_classes(4)
    assert torch.equal(a.x, b.x) and not torch.equal(a.x, c.x)
    assert a.x.shape == (300, 1) and a.x.dtype == torch.float32
    assert torch.bincount(a.y).tolist() == [100, 100, 100]


def test_data_seed_does_not_disturb_the_global_generator():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    three_classes(5), make_model(8, 5)
    assert torch.equal(torch.rand(3), expected)


def test_bayes_accuracy_is_the_nearest_centre_rule():
    data = three_classes(0)
    nearest = np.abs(data.x.numpy() - np.array([-2.5, 0.0, 2.5])).argmin(axis=1)
    assert data.bayes_accuracy() == pytest.approx(np.mean(nearest == data.y.numpy()))


@pytest.mark.parametrize("lr, momentum", [(0.1, 0.9), (0.03, 0.0), (0.3, 0.5)])
def test_written_out_training_matches_autograd_and_torch_sgd(lr, momentum):
    config = TrainConfig(lr=lr, momentum=momentum, epochs=60)
    data = three_classes(config.data_seed)
    model = make_model(config.hidden, config.init_seed)
    losses = fit(model, data.x, data.one_hot(), torch.nn.functional.mse_loss, config.epochs, lr, momentum)

    run = train(config)

    difference = max((run.final_state[name] - p).abs().max().item() for name, p in model.state_dict().items())
    check("tests: written-out vs torch.optim training, largest weight difference", difference)
    check(
        "tests: written-out vs torch.optim training, largest relative loss difference",
        np.abs(run.loss[:-1] / np.array(losses) - 1).max(),
    )


def test_batched_runs_equal_separate_runs():
    data = three_classes(1)
    together = train_many(data, [0.1, 0.01], [0.9, 0.0], 50)
    for m, (lr, momentum) in enumerate([(0.1, 0.9), (0.01, 0.0)]):
        alone = train_many(data, [lr], [momentum], 50)
        check(
            "tests: batched vs separate runs, largest logit difference",
            np.abs(together.grid_logits[m] - alone.grid_logits[0]).max(),
        )


def test_default_run_learns_and_history_has_an_entry_per_epoch():
    run = train(TrainConfig(epochs=100), keep_checkpoints=True)
    assert run.loss.shape == run.accuracy.shape == (101,)
    assert run.grid_logits.shape == (101, 241, 3) and len(run.checkpoints) == 101
    check("tests: 100 epochs of the default run, final over initial loss", run.loss[-1] / run.loss[0])
    check(
        "tests: 100 epochs of the default run, accuracy minus the best rule's",
        run.accuracy[-1] - run.data.bayes_accuracy(),
    )
    model = make_model(8, 0)
    model.load_state_dict(run.checkpoints[-1])
    with torch.no_grad():
        np.testing.assert_allclose(
            model(torch.from_numpy(run.grid[:, None])).numpy(), run.grid_logits[-1], rtol=1e-5, atol=1e-6
        )


def test_too_large_a_learning_rate_diverges_quietly():
    history = train_many(three_classes(0), [5.0, 0.1], [0.9, 0.9], 100, record_history=False)
    check(
        "tests: runs at lr 5 and 0.1 whose divergence is not as expected",
        sum(history.diverged() != np.array([True, False])),
    )
    assert history.grid_logits.shape == (2, 1, 241, 3)


def test_argmax_regions_cover_the_grid_and_change_where_the_winner_changes():
    grid = np.linspace(-3, 3, 7)
    logits = np.zeros((7, 3))
    logits[:2, 0], logits[2:5, 1], logits[5:, 2] = 1, 1, 1
    assert argmax_regions(grid, logits) == [(-3.0, -1.5, 0), (-1.5, 1.5, 1), (1.5, 3.0, 2)]


def test_figures_have_labelled_axes_and_report_divergence():
    run = train(TrainConfig(epochs=5))
    fig = logit_figure(run.grid, run.grid_logits[-1], title="default")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("input x", "logit", "default")
    assert len(ax.get_lines()) >= 3
    broken = logit_figure(run.grid, np.full_like(run.grid_logits[-1], np.nan))
    assert "diverged" in broken.axes[0].texts[0].get_text()
    assert len(evolution_figure(run.grid, run.grid_logits, [0, 2, 5]).axes) == 3
    histogram = class_histograms(run.data.x[:, 0].numpy(), run.data.y.numpy(), "data").axes[0]
    assert sum(bar.get_height() for bar in histogram.patches) == len(run.data.y)
    assert (histogram.get_xlabel(), histogram.get_ylabel()) == ("input x", "number of points")


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
    assert sharpness(state, data) == pytest.approx(np.linalg.eigvalsh((hessian + hessian.T) / 2).max(), rel=1e-4)


def test_live_canvas_looks_like_the_static_figure():
    import io

    from PIL import Image

    from helpers.ch01_regression_argmax.figures import LogitCanvas

    run = train(TrainConfig(epochs=50))
    x, y = run.data.x[:, 0].numpy(), run.data.y.numpy()
    canvas = LogitCanvas(run.grid, x, y, dpi=60)
    canvas.png(run.grid_logits[10], "an earlier frame")  # leaves nothing behind on the canvas
    live = np.asarray(Image.open(io.BytesIO(canvas.png(run.grid_logits[-1], "same"))).convert("RGB"), float)
    buffer = io.BytesIO()
    logit_figure(run.grid, run.grid_logits[-1], x, y, "same").savefig(buffer, format="png", dpi=60)
    static = np.asarray(Image.open(buffer).convert("RGB"), float)
    assert live.shape == static.shape
    assert np.abs(live - static).mean() < 1.0  # out of 255: the same picture, up to antialiasing
    other = np.asarray(Image.open(io.BytesIO(canvas.png(run.grid_logits[0], "same"))).convert("RGB"), float)
    assert np.abs(other - static).mean() > 3.0  # and a different state is a different picture


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


def test_rescued_by_momentum_counts_runs_that_more_momentum_brings_back():
    grid = slider_grid(TrainConfig(epochs=5))
    first_lr = grid.history.loss[: len(MOMENTUM_VALUES), -1]  # the runs at LR_VALUES[0], one per momentum
    first_lr[:] = [0.1, np.nan, 0.1, 0.1, 0.1]  # diverged at the second momentum only
    assert grid.rescued_by_momentum() == 1
    first_lr[:] = [0.1, np.nan, np.nan, np.nan, np.nan]  # diverged from the second momentum on
    assert grid.rescued_by_momentum() == 0


def test_loss_comparison_figure_draws_one_labelled_curve_per_run():
    figure = loss_comparison_figure({"a": [1.0, 0.5], "b": [1.0, 0.1]}, "two runs")
    ax = figure.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert (ax.get_xlabel(), ax.get_yscale(), ax.get_title()) == ("epoch", "log", "two runs")
