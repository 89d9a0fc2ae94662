"""The five architectures of chapter 4, all ``nn.Sequential`` from 784 pixels to 10 logits."""

from __future__ import annotations

from torch import nn

N_INPUTS, N_CLASSES = 784, 10


def build_model(
    model: str = "linear", hidden: int = 256, dropout: float = 0.0, batchnorm: bool = False, relu: bool = True
) -> nn.Sequential:
    """``linear``: 784 -> 10. ``mlp``: 784 -> Linear(hidden) [-> BatchNorm] -> ReLU [-> Dropout] -> 10.

    BatchNorm sits between the first Linear layer and its ReLU (normalising pre-activations), and
    Dropout after the ReLU, on the hidden activations. ``relu=False`` leaves the ReLU out: two
    Linear layers in a row, which compute one linear map (chapter 4's control for the ReLU).
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
