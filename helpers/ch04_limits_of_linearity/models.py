"""The five architectures of chapter 4, all ``nn.Sequential`` from 784 pixels to 10 logits."""

from __future__ import annotations

from torch import nn

N_INPUTS, N_CLASSES = 784, 10


def build_model(
    model="linear",
    hidden=256,
    dropout=0.0,
    batchnorm=False,
    relu=True,
):
    """784 pixels to 10 logits: "linear", or "mlp" with one hidden layer.

    BatchNorm normalises the hidden pre-activations (before the ReLU),
    Dropout acts on the activations (after it). relu=False leaves the
    ReLU out: two Linear layers in a row, one linear map.
    """
    if model == "linear":
        return nn.Sequential(nn.Linear(N_INPUTS, N_CLASSES))
    if model != "mlp":
        raise ValueError(f"model must be 'linear' or 'mlp', not {model!r}")
    layers = [nn.Linear(N_INPUTS, hidden)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(hidden))
    if relu:
        layers.append(nn.ReLU())
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(hidden, N_CLASSES))
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def describe(model: nn.Sequential) -> str:
    """The layers in order, e.g. ``784 -> Linear(256) -> BatchNorm -> ReLU -> Linear(10)``."""
    names = []
    for layer in model:
        if isinstance(layer, nn.Linear):
            names.append(f"Linear({layer.out_features})")
        elif isinstance(layer, nn.BatchNorm1d):
            names.append("BatchNorm")
        elif isinstance(layer, nn.Dropout):
            names.append(f"Dropout({layer.p:g})")
        else:
            names.append(type(layer).__name__)
    return " -> ".join([str(N_INPUTS), *names])
