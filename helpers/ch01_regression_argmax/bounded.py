"""Chapter 1's bounded quantities (``"ch1 ..."`` in :mod:`helpers.bounds`), each computed by one
function, and :func:`measure`, which makes the chapter's runs for any seed and measures them.

The page's hidden check cells call these functions on its own runs and pass the results to
:func:`helpers.bounds.check`; ``benchmarks/seed_sweep.py`` calls :func:`measure`, which calls
the same functions on the runs the page makes, made for ``seed`` instead of 0. For seed 0 the
two agree to the last bit (``tests/test_sweep_runs_the_pages.py``).
"""

from __future__ import annotations

import numpy as np
import torch

from ..three_classes import ThreeClasses, input_grid, posterior, three_classes
from ..tiny_net import fit, make_model
from .live_training import float64_gap, reference_runs
from .sliders import SliderGrid, slider_grid
from .training import History, Run, TrainConfig, train, train_many

#: The learning rates of the page's plain gradient descent (``plain_lrs``), without momentum.
PLAIN_LRS = [0.01, 0.1, 0.5, 2.0]


def torch_optim_difference(run: Run) -> float:
    """The largest difference between the final weights of ``run`` (the written-out training)
    and of :func:`helpers.tiny_net.fit` (autograd and ``torch.optim.SGD``) from the same start."""
    config = run.config
    reference = make_model(config.hidden, config.init_seed)
    fit(
        reference,
        run.data.x,
        run.data.one_hot(),
        torch.nn.functional.mse_loss,
        config.epochs,
        config.lr,
        config.momentum,
    )
    return max((run.final_state[name] - p).abs().max().item() for name, p in reference.state_dict().items())


def accuracy_minus_rule(run: Run) -> float:
    """The run's final training accuracy minus the nearest-centre rule's on the same points."""
    return float(run.accuracy[-1] - run.data.bayes_accuracy())


def rule_minus_network_on_fresh(trained: torch.nn.Module, fresh: ThreeClasses) -> float:
    """The nearest-centre rule's accuracy minus the ``trained`` network's on ``fresh`` points."""
    with torch.no_grad():
        predictions = trained(fresh.x).argmax(dim=1)
    return fresh.bayes_accuracy() - (predictions == fresh.y).float().mean().item()


def posterior_gap(run: Run, within: float = 4.0) -> float:
    """The largest gap between the final logits on the grid and the true ``P(k | x)``, for
    ``|x| <= within``."""
    final = run.grid_logits[-1]
    true_probabilities = posterior(torch.from_numpy(run.grid[:, None])).numpy()
    inside = np.abs(run.grid) <= within
    return float(np.abs(final - true_probabilities)[inside].max())


def logit_range(run: Run) -> tuple[float, float]:
    """The smallest and the largest final logit on the grid."""
    final = run.grid_logits[-1]
    return float(final.min()), float(final.max())


def share_changed_by_uneven_shift(run: Run) -> float:
    """The share of the grid's decisions that adding 0.3 to class 1's logit alone changes."""
    final = run.grid_logits[-1]
    return _share_changed(final, final + np.array([0.0, 0.3, 0.0]))


def share_changed_by_negation(run: Run) -> float:
    """The share of the grid's decisions that multiplying every logit by -1 changes."""
    final = run.grid_logits[-1]
    return _share_changed(final, -1.0 * final)


def _share_changed(logits: np.ndarray, changed: np.ndarray) -> float:
    return float(np.mean(changed.argmax(axis=1) != logits.argmax(axis=1)))


def plain_descent_outcomes(plain: History, lrs) -> tuple[int, int, float]:
    """Of plain gradient descent at learning rates ``lrs`` (0.01, 0.1, 0.5 and 2, in any order):
    how many of the runs at 0.01, 0.1 and 0.5 diverged, whether the run at 2 did, and the final
    loss at 0.01 minus at 0.1."""
    at = {lr: i for i, lr in enumerate(lrs)}
    diverged = plain.diverged()
    return (
        int(sum(diverged[at[lr]] for lr in (0.01, 0.1, 0.5))),
        int(diverged[at[2.0]]),
        float(plain.loss[at[0.01], -1] - plain.loss[at[0.1], -1]),
    )


def diverged_alone(grid: SliderGrid, heavy_ball_grid: SliderGrid) -> tuple[int, int]:
    """The settings of the accuracy map where only Nesterov's momentum diverges, and where only
    heavy ball's does."""
    nesterov, heavy_ball = grid.diverged(), heavy_ball_grid.diverged()
    return int((nesterov & ~heavy_ball).sum()), int((heavy_ball & ~nesterov).sum())


def middle_class_wins(linear: torch.nn.Module) -> int:
    """How many inputs of the grid the middle class wins, for a model of the line."""
    with torch.no_grad():
        logits = linear(input_grid()).numpy()
    return int(np.bincount(logits.argmax(axis=1), minlength=3)[1])


def fit_without_hidden_layer(data: ThreeClasses, seed: int) -> torch.nn.Linear:
    """Exercise 1's model: one straight line per class, fitted by MSE to the one-hot targets as
    the page's solution fits it (PyTorch's initialisation after ``torch.manual_seed(seed)``)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        linear = torch.nn.Linear(1, 3)
    fit(linear, data.x, data.one_hot(), torch.nn.functional.mse_loss, epochs=500, lr=0.05, momentum=0.9)
    return linear


def measure(seed: int) -> dict[str, float]:
    """Every ``"ch1 ..."`` bound, measured on the chapter's runs made with ``seed``: it draws the
    data (``data_seed``), the initial weights (``init_seed``) and exercise 1's initialisation."""
    config = TrainConfig(data_seed=seed, init_seed=seed)
    data = three_classes(config.data_seed)
    plain = train_many(data, PLAIN_LRS, [0.0] * len(PLAIN_LRS), config.epochs, config.hidden, config.init_seed)
    run = train(config)
    fresh = three_classes(config.data_seed + 1000, n_per_class=10000)
    float64_runs = reference_runs(config)
    grid, heavy_ball_grid = slider_grid(config), slider_grid(config, nesterov=False)
    linear = fit_without_hidden_layer(data, seed)

    plain_diverged, lr_2_diverged, slow_minus_fast = plain_descent_outcomes(plain, PLAIN_LRS)
    low, high = logit_range(run)
    only_nesterov, only_heavy_ball = diverged_alone(grid, heavy_ball_grid)
    return {
        "ch1 written-out vs torch.optim training: largest weight difference": torch_optim_difference(run),
        "ch1 default run: training accuracy minus the best rule's": accuracy_minus_rule(run),
        "ch1 default run: the rule's accuracy minus the network's on fresh points": rule_minus_network_on_fresh(
            run.final_model(), fresh
        ),
        "ch1 default run: smallest logit on the grid": low,
        "ch1 default run: largest logit on the grid": high,
        "ch1 default run: share of decisions a +0.3 on class 1 changes": share_changed_by_uneven_shift(run),
        "ch1 default run: largest gap to P(k | x) for |x| <= 4": posterior_gap(run),
        "ch1 plain gradient descent: runs at lr 0.01, 0.1 and 0.5 that diverge": plain_diverged,
        "ch1 plain gradient descent: the run at lr 2 diverges": lr_2_diverged,
        "ch1 plain gradient descent: final loss at lr 0.01 minus at lr 0.1": slow_minus_fast,
        "ch1 accuracy map: settings where only Nesterov diverges": only_nesterov,
        "ch1 accuracy map: settings where only heavy ball diverges": only_heavy_ball,
        "ch1 live sliders: float64 vs float32 logits at the default": float64_gap(run, float64_runs[0]),
        "ch1 exercise 1: grid points the middle class wins without a hidden layer": middle_class_wins(linear),
        "ch1 exercise 2: runs that more momentum rescues from divergence": grid.rescued_by_momentum(),
        "ch1 exercise 4: share of decisions that a = -1 changes": share_changed_by_negation(run),
    }
