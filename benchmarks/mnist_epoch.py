"""Benchmark: one training epoch of chapter 4's MLP against its compute floor.

The floor is the epoch's floating-point work divided by how fast this machine multiplies matrices,
measured in the same run. The work is counted from the Linear layers: per example, the forward
pass costs 2*in*out per layer, the backward pass the same for the weight gradient and again for
the input gradient (except at the first layer, whose input needs none). Elementwise work (ReLU,
softmax, Adam) is left out, so the floor is optimistic. Throughput is measured twice: a large
square matrix product (the machine's peak) and products of the layer's own shapes at this batch
size. The target is an epoch within 2x the floor.

    python benchmarks/mnist_epoch.py [--epochs 4]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from helpers.mnist_stages import StageConfig, build_model, load_tensors, train_stage

TARGET_RATIO = 2.0


def flops_per_example(model: torch.nn.Module) -> int:
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    total = 0
    for index, layer in enumerate(linears):
        multiply_adds = 2 * layer.in_features * layer.out_features
        total += multiply_adds * (2 if index == 0 else 3)  # forward + weight grad (+ input grad)
    return total


def matmul_rate(m: int, k: int, n: int, repeats: int) -> float:
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * m * k * n * repeats / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="epochs to run; the first is a warm-up (default 4)")
    args = parser.parse_args()

    config = StageConfig(model="mlp", epochs=args.epochs)
    data = load_tensors()
    result = train_stage(config, data)
    epoch_seconds = statistics.median(row["seconds"] for row in result.history[1:])

    work = flops_per_example(build_model("mlp", config.hidden)) * len(data.x_train)
    peak = matmul_rate(2048, 2048, 2048, 10)
    shaped = matmul_rate(config.batch_size, 784, config.hidden, 300)
    print(f"MLP 784-{config.hidden}-10, batch {config.batch_size}, Adam: {torch.get_num_threads()} threads")
    print(f"  epoch time (median of {args.epochs - 1} after a warm-up): {epoch_seconds:.3f} s")
    print(f"  work per epoch: {work / 1e9:.1f} GFLOP (forward + backward, Linear layers)")
    for name, rate in (("peak, 2048x2048 matmul", peak), (f"layer shape {config.batch_size}x784x{config.hidden}", shaped)):
        floor = work / rate
        verdict = "within" if epoch_seconds <= TARGET_RATIO * floor else "OVER"
        print(f"  floor at {rate / 1e9:.0f} GFLOP/s ({name}): {floor:.3f} s -> epoch = {epoch_seconds / floor:.2f}x "
              f"the floor ({verdict} the {TARGET_RATIO:g}x target)")


if __name__ == "__main__":
    main()
