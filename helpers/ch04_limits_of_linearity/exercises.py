"""Chapter 4's self-checking exercises: backpropagation through one hidden layer with ReLU, and
the parameters batch normalisation adds.

The reference answers carry the names the chapter's answer cells use: ``solution()`` shows their
source as the student's own cell would read.
"""

from __future__ import annotations

import numpy as np

from ..exercises import Case, Exercise, scaled
from .models import build_model, count_parameters


def my_backprop(X, Y, W1, b1, W2, b2):
    """``(dW1, db1, dW2, db2)`` of the mean cross-entropy of the MLP
    ``O = relu(X W1^T + b1) W2^T + b2``, with weights as ``nn.Linear`` holds
    them: ``W1`` ``(H, D)``, ``W2`` ``(K, H)``; ``Y`` one-hot ``(n, K)``."""
    Z = X @ W1.T + b1  # pre-activations (n, H)
    A = np.maximum(Z, 0)  # hidden activations
    logits = A @ W2.T + b2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    G = (P / P.sum(axis=1, keepdims=True) - Y) / len(X)  # dL/dO, mean over n
    dA = G @ W2  # back through the second layer
    dZ = dA * (Z > 0)  # ReLU passes the gradient only where its input was > 0
    return dZ.T @ X, dZ.sum(axis=0), G.T @ A, G.sum(axis=0)


def _backprop_cases():
    rng = np.random.default_rng(5)
    D, H, K = 3, 4, 3
    W1, b1 = rng.normal(size=(H, D)), np.full(H, 0.1)
    W2, b2 = rng.normal(size=(K, H)), np.array([0.2, -0.1, 0.0])
    x = np.array([[1.0, -0.5, 0.25]])
    active = np.abs(W1) * np.sign(x)  # every pre-activation of x is positive
    return [
        Case(
            "one example, every hidden unit active",
            (x, np.eye(K)[[1]], active, b1, W2, b2),
            "with Z = X W1^T + b1 and A = relu(Z), go backwards from G = (softmax(O) - Y) / n: "
            "the second layer, then the ReLU, then the first layer; each gradient has the shape of its parameter",
        ),
        Case(
            "one example, some hidden units off",
            (x, np.eye(K)[[1]], W1, b1, W2, b2),
            "ReLU passes the gradient only where its input was positive: dZ = dA * (Z > 0)",
        ),
        Case(
            "a batch of 5 examples",
            (rng.normal(size=(5, D)), np.eye(K)[[0, 1, 2, 2, 1]], W1, b1, W2, b2),
            "the loss is the mean over the n examples: divide G by n",
        ),
    ]


def _no_relu_gradient(X, Y, W1, b1, W2, b2):
    Z = X @ W1.T + b1
    A = np.maximum(Z, 0)
    logits = A @ W2.T + b2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    G = (P / P.sum(axis=1, keepdims=True) - Y) / len(X)
    dZ = G @ W2  # as if the ReLU were not there
    return dZ.T @ X, dZ.sum(axis=0), G.T @ A, G.sum(axis=0)


def _transposed_first_layer(X, Y, W1, b1, W2, b2):
    dW1, db1, dW2, db2 = my_backprop(X, Y, W1, b1, W2, b2)
    return dW1.T, db1, dW2, db2


def _added_by_batchnorm(hidden: int = 256) -> int:
    plain = build_model("mlp", hidden=hidden)
    return count_parameters(build_model("mlp", hidden=hidden, batchnorm=True)) - count_parameters(plain)


backprop = Exercise(
    name="backprop",
    reference=my_backprop,
    verified="gives all four gradients of the mean cross-entropy, through the ReLU",
    hint_text=(
        "keep the forward pass's Z and A, and go backwards one layer at a time: a layer that "
        "multiplied by W on the way forward multiplies by W on the way back, and its weights get "
        "(gradient)^T (its input)"
    ),
    cases=_backprop_cases,
    returns=("dW1", "db1", "dW2", "db2"),
    mistakes={
        "no ReLU in the backward pass": (_no_relu_gradient, "dZ = dA * (Z > 0)"),
        "a sum where the mean belongs": (scaled(my_backprop, lambda X, *rest: len(X)), "mean over the n examples"),
        "a transposed first-layer gradient": (_transposed_first_layer, "the shape of its parameter"),
    },
)

batchnorm_parameters = Exercise(
    name="batchnorm_parameters",
    reference=_added_by_batchnorm(),
    verified="a scale and a shift for each of the 256 hidden units; the running mean and "
    "variance are buffers, not parameters",
    hint_text="count only what the optimiser trains (the model's parameters()), not what BatchNorm merely keeps",
    mistakes={
        "the running statistics counted too": (4 * 256, "optimiser trains"),
        "one number per unit": (256, "optimiser trains"),
    },
)
