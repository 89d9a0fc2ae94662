"""Chapter 1's data, trainer and figures."""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch
from bounded_training import (
    OPTIMIZER_SETTINGS,
    batched_vs_separate,
    default_run,
    quiet_divergence,
    written_out_vs_torch_optim,
)

from helpers.bounds import check
from helpers.ch01_regression_argmax import (
    TrainConfig,
    make_model,
    three_classes,
    train,
)
from helpers.ch01_regression_argmax.figures import (
    bowl_paths_figure,
    class_histograms,
    evolution_figure,
    learning_rate_losses_figure,
    logit_figure,
    outputs_and_posteriors_figure,
)
from helpers.ch01_regression_argmax.sliders import MOMENTUM_VALUES, accuracy_map, slider_grid
from helpers.three_classes import argmax_regions, population_bayes_accuracy, posterior


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


@pytest.mark.parametrize("lr, momentum, nesterov", OPTIMIZER_SETTINGS)
def test_written_out_training_matches_autograd_and_torch_sgd(lr, momentum, nesterov):
    weights, losses = written_out_vs_torch_optim(lr, momentum, nesterov)
    check("tests: written-out vs torch.optim training, largest weight difference", weights)
    check("tests: written-out vs torch.optim training, largest relative loss difference", losses)


def test_batched_runs_equal_separate_runs():
    check("tests: batched vs separate runs, largest logit difference", batched_vs_separate())


def test_default_run_learns_and_history_has_an_entry_per_epoch():
    run, loss_ratio, accuracy_gap = default_run(keep_checkpoints=True)
    assert run.loss.shape == run.accuracy.shape == (101,)
    assert run.grid_logits.shape == (101, 241, 3) and len(run.checkpoints) == 101
    check("tests: 100 epochs of the default run, final over initial loss", loss_ratio)
    check("tests: 100 epochs of the default run, accuracy minus the best rule's", accuracy_gap)
    model = make_model(8, 0)
    model.load_state_dict(run.checkpoints[-1])
    with torch.no_grad():
        np.testing.assert_allclose(
            model(torch.from_numpy(run.grid[:, None])).numpy(), run.grid_logits[-1], rtol=1e-5, atol=1e-6
        )


def test_too_large_a_learning_rate_diverges_quietly():
    history, unexpected = quiet_divergence()
    check("tests: runs at lr 5 and 0.1 whose divergence is not as expected", unexpected)
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


def test_rescued_by_momentum_counts_runs_that_more_momentum_brings_back():
    grid = slider_grid(TrainConfig(epochs=5))
    first_lr = grid.history.loss[: len(MOMENTUM_VALUES), -1]  # the runs at LR_VALUES[0], one per momentum
    first_lr[:] = [0.1, np.nan, 0.1, 0.1, 0.1]  # diverged at the second momentum only
    assert grid.rescued_by_momentum() == 1
    first_lr[:] = [0.1, np.nan, np.nan, np.nan, np.nan]  # diverged from the second momentum on
    assert grid.rescued_by_momentum() == 0


def test_the_rules_accuracy_on_new_points_is_the_share_of_each_cloud_on_its_own_side():
    # an outer cloud loses one tail beyond 1.25 standard deviations, the middle cloud two
    tail = 0.5 * math.erfc(1.25 / math.sqrt(2))
    assert population_bayes_accuracy() == pytest.approx(1 - 4 * tail / 3, rel=1e-12)
    sample = three_classes(7, n_per_class=200_000)  # and a large sample agrees, within its noise
    assert abs(sample.bayes_accuracy() - population_bayes_accuracy()) < 0.003


def test_posterior_is_bayes_rule_with_the_clouds_densities():
    x = torch.tensor([[-4.0], [-1.25], [0.3], [2.0]])
    densities = torch.exp(-((x - torch.tensor([-2.5, 0.0, 2.5])) ** 2) / 2)  # equal priors, std 1
    expected = densities / densities.sum(dim=1, keepdim=True)
    torch.testing.assert_close(posterior(x), expected)
    assert posterior(torch.tensor([[1.25]]))[0, 1] == pytest.approx(posterior(torch.tensor([[1.25]]))[0, 2])


def test_heavy_ball_grid_is_a_separate_map_beside_the_nesterov_one():
    config = TrainConfig(epochs=20)
    nesterov, heavy_ball = slider_grid(config), slider_grid(config, nesterov=False)
    assert not np.array_equal(nesterov.final_accuracy(), heavy_ball.final_accuracy())
    figure = accuracy_map(nesterov, heavy_ball)
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    assert titles == ["Nesterov momentum", "heavy-ball momentum"]
    assert figure.get_suptitle() == "Training accuracy after 20 epochs"


def test_chapter_1_new_figures_are_labelled():
    paths = bowl_paths_figure({0.5: np.array([1.0, 0.5, 0.25])}).axes[0]
    assert (paths.get_xlabel(), paths.get_ylabel()) == ("step t", "weight $w_t$")
    assert [text.get_text() for text in paths.get_legend().get_texts()] == [r"$\eta\kappa = 0.5$"]
    losses = learning_rate_losses_figure({"lr 2": np.array([1.0, 10.0, np.inf])}).axes[0]
    assert losses.get_yscale() == "log" and losses.get_xlabel() == "epoch"
    assert np.isnan(losses.get_lines()[0].get_ydata()[-1])  # an overflowed loss is not drawn
    grid = np.linspace(-6, 6, 5)
    figure = outputs_and_posteriors_figure(grid, np.zeros((5, 3)), np.full((5, 3), 1 / 3))
    assert len(figure.axes[0].get_lines()) >= 6 and figure.axes[0].get_xlabel() == "input x"
