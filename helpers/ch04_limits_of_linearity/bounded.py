"""Chapter 4's bounded quantities, each computed by one function, and :func:`measure`, which
makes a seed's runs as the page makes seed 0's and measures them with those functions.

The page's hidden checks call these functions on its own runs and pass what they return to
:func:`helpers.bounds.check`; the seed sweep (``benchmarks/seed_sweep.py``) calls
:func:`measure` for each seed, and ``tests/test_sweep_runs_the_pages.py`` requires
``measure(0)`` to give, bit for bit, what the page checked.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import torch
from torch import nn

from ..softmax import one_hot
from .data import MnistTensors, load_tensors
from .least_squares import least_squares
from .models import N_CLASSES, build_model
from .training import StageConfig, StageResult, train_stage

#: The five stages, as the page defines them (its seed 0 is the protocol's).
STAGES = {
    "1. Linear + MSE": StageConfig(model="linear", loss="mse", mse_on="probabilities"),
    "2. Linear + CE": StageConfig(model="linear", loss="crossentropy"),
    "3. MLP + ReLU": StageConfig(model="mlp", loss="crossentropy"),
    "4. + Dropout(0.5)": StageConfig(model="mlp", loss="crossentropy", dropout=0.5),
    "5. + BatchNorm": StageConfig(model="mlp", loss="crossentropy", batchnorm=True),
}
#: Stage 1's model and loss, with the squared error on the raw logits.
MSE_ON_LOGITS = StageConfig(model="linear", loss="mse", mse_on="logits")


def accuracy_percent(run: StageResult) -> float:
    """A run's test accuracy after its last epoch, in %."""
    return 100 * run.test_accuracy


def mse_on_probabilities_minus_logits(on_probabilities: StageResult, on_logits: StageResult) -> float:
    """Test accuracy (points) of stage 1 (MSE on the softmax) minus MSE on the logits."""
    return accuracy_percent(on_probabilities) - accuracy_percent(on_logits)


@torch.no_grad()
def least_squares_minus_adam(weights, bias, model: nn.Module, data: MnistTensors) -> float:
    """Training MSE on the one-hot targets of the least-squares solution ``(weights, bias)``
    minus that of ``model`` (trained by Adam on that loss), in evaluation mode."""
    targets, mse = one_hot(data.y_train, N_CLASSES), nn.functional.mse_loss
    best_mse = mse(data.x_train @ weights.T + bias, targets).item()
    trained_mse = mse(model.eval()(data.x_train), targets).item()
    return best_mse - trained_mse


def no_relu_gaps(no_relu: StageResult, linear: StageResult, mlp: StageResult) -> tuple[float, float, float]:
    """Where the network without ReLU lies, from one seed's runs, in points of test accuracy:
    the MLP's minus its own, its distance to the linear model's (cross-entropy), and the first
    minus the second."""
    to_mlp = 100 * (mlp.test_accuracy - no_relu.test_accuracy)
    to_linear = 100 * abs(linear.test_accuracy - no_relu.test_accuracy)
    return to_mlp, to_linear, to_mlp - to_linear


@torch.no_grad()
def distance_to_ln_10(model: nn.Module, data: MnistTensors) -> float:
    """How far the validation cross-entropy of ``model`` (untrained) is from ln 10."""
    start_loss = nn.functional.cross_entropy(model(data.x_val), data.y_val).item()
    return abs(start_loss - math.log(10))


@torch.no_grad()
def dropout_off_minus_on(model: nn.Module, data: MnistTensors, seed: int) -> float:
    """Test accuracy (points) of a dropout network in evaluation mode minus in training mode
    (dropout left on, its masks drawn after ``torch.manual_seed(seed)``); ``model`` is left in
    evaluation mode."""

    def test_accuracy(network):
        predicted = network(data.x_test).argmax(dim=1)
        return (predicted == data.y_test).float().mean().item()

    torch.manual_seed(seed)
    noisy = test_accuracy(model.train())
    clean = test_accuracy(model.eval())
    return 100 * (clean - noisy)


@torch.no_grad()
def linear_minus_mlp_errors(linear: nn.Module, mlp: nn.Module, data: MnistTensors) -> int:
    """Test images the linear model gets wrong minus those the MLP gets wrong."""

    def errors(model):
        return int((model.eval()(data.x_test).argmax(dim=1) != data.y_test).sum())

    return errors(linear) - errors(mlp)


@functools.lru_cache(maxsize=1)  # one seed's split at a time: each is 200 MB
def _tensors(seed: int) -> MnistTensors:
    return load_tensors(seed)  # the seed draws the split, as the page's seeds do


def measure(seed: int) -> dict[str, float]:
    """Every ch4 bound, for ``seed``: the page's seed-0 runs (each stage, MSE on the logits and
    the network without ReLU, one by one with :func:`train_stage`), made with ``seed``."""
    data = _tensors(seed)
    # Curves (every epoch measured) change no weight: the runs measure the last epoch only.
    mse_on_logits = train_stage(replace(MSE_ON_LOGITS, seed=seed), data, curves=False)
    results = {name: train_stage(replace(config, seed=seed), data, curves=False) for name, config in STAGES.items()}
    no_relu = train_stage(replace(STAGES["3. MLP + ReLU"], relu=False, seed=seed), data, curves=False)
    weights, bias = least_squares(data.x_train, data.y_train)
    torch.manual_seed(seed)
    fresh = build_model("mlp")
    to_mlp, to_linear, difference = no_relu_gaps(no_relu, results["2. Linear + CE"], results["3. MLP + ReLU"])
    return {
        **{f"ch4 {name}: test accuracy (%)": accuracy_percent(run) for name, run in results.items()},
        "ch4 MSE on probabilities minus MSE on logits (points)": mse_on_probabilities_minus_logits(
            results["1. Linear + MSE"], mse_on_logits
        ),
        "ch4 least squares: training MSE minus Adam's": least_squares_minus_adam(
            weights, bias, mse_on_logits.model, data
        ),
        "ch4 3. MLP + ReLU minus the no-ReLU net (points)": to_mlp,
        "ch4 no-ReLU net: distance to 2. Linear + CE (points)": to_linear,
        "ch4 no-ReLU net: gap to MLP minus gap to linear CE": difference,
        "ch4 MLP's validation loss before training: distance to ln 10": distance_to_ln_10(fresh, data),
        "ch4 exercise 2: dropout off minus on at test time (points)": dropout_off_minus_on(
            results["4. + Dropout(0.5)"].model, data, seed
        ),
        "ch4 exercise 3: linear model's test errors minus the MLP's": linear_minus_mlp_errors(
            results["2. Linear + CE"].model, results["3. MLP + ReLU"].model, data
        ),
    }
