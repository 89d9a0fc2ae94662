"""Chapter 4: the limits of linearity on MNIST, five stages under one training protocol.

- :func:`load_tensors`: MNIST as in-memory tensors, split (by a seed) and scaled as the original project does.
- :func:`build_model`: ``linear`` or ``mlp`` (with optional dropout and BatchNorm).
- :func:`train_stage`: a stage's network, trained by :func:`train` (PyTorch's loop: Adam, lr 1e-3,
  batch 128, 5 epochs by default); history per epoch.
- :func:`train_seeds`: stages with other seeds, a seed's stages in lockstep with hand-written
  gradients (:func:`train_together`), seeds in parallel.
- :func:`least_squares`: the exact optimum of a linear model under MSE.
- :mod:`.bounded`: each quantity the page checks against a bound, and ``measure(seed)``, which makes
  a seed's runs as the page makes seed 0's (the seed sweep's).
- ``python -m helpers.ch04_limits_of_linearity`` is the CLI; ``benchmarks/mnist_epoch.py`` times an epoch.
"""

from .data import MnistTensors, all_training_images_standardised, load_tensors
from .least_squares import least_squares
from .models import build_model, count_parameters, describe
from .training import (
    StageConfig,
    StageResult,
    evaluate,
    loss_function,
    measure,
    train,
    train_seeds,
    train_stage,
    train_together,
)

__all__ = [
    "MnistTensors",
    "StageConfig",
    "StageResult",
    "all_training_images_standardised",
    "build_model",
    "count_parameters",
    "describe",
    "evaluate",
    "least_squares",
    "load_tensors",
    "loss_function",
    "measure",
    "train",
    "train_seeds",
    "train_stage",
    "train_together",
]
