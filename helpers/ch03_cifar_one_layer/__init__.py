"""Chapter 3: a one-layer network on CIFAR-10 with hand-written gradients.

The network itself, its data, training and procedure are in :mod:`helpers.cifar_one_layer`, which
the reproduction report uses too; the names most used are re-exported here. What only chapter 3
uses lives in this package:

- :mod:`.gradcheck` checks the written-out gradients against autograd and finite differences;
- :mod:`.bounded` computes each quantity the page checks against a bound, and ``measure(seed)``
  makes a seed's runs as the page makes seed 0's (the seed sweep's);
- :mod:`.figures` and :mod:`.tables` draw and tabulate the chapter's runs;
- :mod:`.exercises` checks the student's answers;
- ``python -m helpers.ch03_cifar_one_layer`` is the CLI.
"""

from ..cifar_one_layer.data import CifarSplits, flip_horizontal, load_splits
from ..cifar_one_layer.model import accuracy, gradients, init_params, loss_and_cost, probabilities
from ..cifar_one_layer.training import TrainConfig, TrainResult, train

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
