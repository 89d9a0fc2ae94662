"""Chapter 3: a one-layer network on CIFAR-10 with hand-written gradients.

- :func:`load_splits`: batch 1 / batch 2 / test, or more training batches with a held-out validation set.
- :mod:`.model`: ``s = Wx + b``; softmax + cross-entropy or sigmoid + multiple binary cross-entropy,
  each with an L2 penalty; gradients written out. :mod:`.gradcheck` checks them.
- :func:`train`: mini-batch gradient descent with optional learning-rate decay and flips.
- ``python -m helpers.ch03_cifar_one_layer`` is the CLI.
"""

from .data import CifarSplits, flip_horizontal, load_splits
from .model import accuracy, gradients, init_params, loss_and_cost, probabilities
from .training import TrainConfig, TrainResult, train

__all__ = [
    "CifarSplits",
    "TrainConfig",
    "TrainResult",
    "accuracy",
    "flip_horizontal",
    "gradients",
    "init_params",
    "load_splits",
    "loss_and_cost",
    "probabilities",
    "train",
]
