"""Chapter 1: classification as three regressions plus argmax, on three classes on a line.

- :func:`three_classes`: the data, reproducible from ``data_seed``.
- :func:`train` / :func:`train_many`: full-batch gradient descent with Nesterov momentum on the MSE between the
  three logits and one-hot targets, for one setting or a batch of settings at once.
- :mod:`.files`: checkpoints and per-epoch logits on disk; :mod:`.figures`: the chapter's plots;
  :mod:`.sliders`: the lr / momentum sliders. ``python -m helpers.ch01_regression_argmax`` is the CLI.
"""

from ..three_classes import ThreeClasses, input_grid, three_classes
from ..tiny_net import make_model
from .files import load_logits
from .training import History, Run, TrainConfig, train, train_many

__all__ = [
    "History",
    "Run",
    "ThreeClasses",
    "TrainConfig",
    "input_grid",
    "load_logits",
    "make_model",
    "three_classes",
    "train",
    "train_many",
]
