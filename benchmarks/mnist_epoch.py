"""Benchmark: one training epoch of chapter 4's MLP against its compute floor.

The floor is the epoch's floating-point work divided by how fast this machine multiplies matrices,
measured in the same run. The work is counted from the Linear layers: per example, the forward
pass costs 2*in*out per layer, the backward pass the same for the weight gradient and again for
the input gradient (except at the first layer, whose input needs none). Elementwise work (ReLU,
softmax, Adam) is left out, so the floor is optimistic. Throughput is measured three ways, each
the median of three trials: a large square matrix product (the machine's peak, the strictest
floor); the first layer's forward product at this batch size; and the exact set of matrix
products one training step performs (forward, weight gradients, input gradient), whose shapes
at batch 128 run well below peak. The target is an epoch within 2x the floor.

    python benchmarks/mnist_epoch.py [--epochs 4]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from helpers.ch04_limits_of_linearity import StageConfig, build_model, load_tensors, train_stage

TARGET_RATIO = 2.0


def flops_per_example(model: torch.nn.Module) -> int:
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    total = 0
    for index, layer in enumerate(linears):
        multiply_adds = 2 * layer.in_features * layer.out_features
        total += multiply_adds * (2 if index == 0 else 3)  # forward + weight grad (+ input grad)
    return total


def products_rate(shapes: list[tuple[int, int, int]], repeats: int) -> float:
    """FLOP/s of computing every ``(m, k) @ (k, n)`` product in ``shapes``, median of 3 trials."""
    operands = [(torch.randn(m, k), torch.randn(k, n)) for m, k, n in shapes]
    work = sum(2 * m * k * n for m, k, n in shapes) * repeats
    rates = []
    for _ in range(3):
        for a, b in operands:
            a @ b
        start = time.perf_counter()
        for _ in range(repeats):
            for a, b in operands:
                a @ b
        rates.append(work / (time.perf_counter() - start))
    return statistics.median(rates)


def step_products(batch: int, hidden: int) -> list[tuple[int, int, int]]:
    """The matrix products of one training step of the 784-hidden-10 MLP."""
    return [
        (batch, 784, hidden),
        (batch, hidden, 10),  # forward
        (10, batch, hidden),
        (batch, 10, hidden),  # layer 2: weight grad, input grad
        (hidden, batch, 784),
    ]  # layer 1: weight grad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="epochs to run; the first is a warm-up (default 4)")
    args = parser.parse_args()

    config = StageConfig(model="mlp", epochs=args.epochs)
    data = load_tensors()
    result = train_stage(config, data)
    epoch_seconds = statistics.median(row["seconds"] for row in result.history[1:])

    work = flops_per_example(build_model("mlp", config.hidden)) * len(data.x_train)
    rates = {
        "peak, 2048x2048 matmul": products_rate([(2048, 2048, 2048)], 5),
        f"first layer's forward, {config.batch_size}x784x{config.hidden}": products_rate(
            [(config.batch_size, 784, config.hidden)], 200
        ),
        "the step's own matrix products": products_rate(step_products(config.batch_size, config.hidden), 200),
    }
    print(f"MLP 784-{config.hidden}-10, batch {config.batch_size}, Adam: {torch.get_num_threads()} threads")
    print(f"  epoch time (median of {args.epochs - 1} after a warm-up): {epoch_seconds:.3f} s")
    print(f"  work per epoch: {work / 1e9:.1f} GFLOP (forward + backward, Linear layers)")
    for name, rate in rates.items():
        floor = work / rate
        verdict = "within" if epoch_seconds <= TARGET_RATIO * floor else "OVER"
        print(
            f"  floor at {rate / 1e9:.0f} GFLOP/s ({name}): {floor:.3f} s -> epoch = {epoch_seconds / floor:.2f}x "
            f"the floor ({verdict} the {TARGET_RATIO:g}x target)"
        )


if __name__ == "__main__":
    main()
