"""Benchmark: chapter 4's training epochs, as the chapter runs them, against their compute floor.

The floor is an epoch's matrix-product work divided by this machine's peak rate (a 2048x2048
float32 product with all its threads; ``helpers.numerics.matmul_rate``), the strictest floor
there is. The work is counted from the Linear layers: per example, the forward pass costs
2*in*out per layer, the backward pass the same for the weight gradient and again for the input
gradient (except at the first layer, whose input needs none). Adam, the activations, dropout's
random draws and BatchNorm are elementwise work the floor leaves out, so no run can reach it.

The chapter trains in two ways, and both are timed (after a warm-up epoch, median of the rest):

- seed 0, one network at a time, with PyTorch's threads (one process): the chapter's own loop
  (``train_stage``, autograd), its mean epoch after a warm-up run;
- the seeds after the first: a seed's six networks in lockstep, two seeds at once in two
  worker processes of one thread each. An epoch of the pair does twice the group's work.

For the MLP the same two ways are timed for the MLP alone. The target is 1.3x the floor.

    python benchmarks/mnist_epoch.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from helpers.ch04_limits_of_linearity import StageConfig, build_model, load_tensors, train_seeds, train_stage
from helpers.numerics import matmul_rate

TARGET_RATIO = 1.3

#: The networks chapter 4 trains for every seed: its five stages and the MLP without ReLU.
CHAPTER_STAGES = {
    "1. Linear + MSE": StageConfig(model="linear", loss="mse"),
    "2. Linear + CE": StageConfig(model="linear"),
    "3. MLP + ReLU": StageConfig(model="mlp"),
    "4. + Dropout(0.5)": StageConfig(model="mlp", dropout=0.5),
    "5. + BatchNorm": StageConfig(model="mlp", batchnorm=True),
    "no ReLU": StageConfig(model="mlp", relu=False),
}


def flops_per_example(config: StageConfig) -> int:
    model = build_model(config.model, config.hidden, config.dropout, config.batchnorm, config.relu)
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    total = 0
    for index, layer in enumerate(linears):
        multiply_adds = 2 * layer.in_features * layer.out_features
        total += multiply_adds * (2 if index == 0 else 3)  # forward + weight grad (+ input grad)
    return total


def epoch_seconds(runs) -> float:
    """Median training time of an epoch after the first, for runs trained together (their rows
    share the epoch's time)."""
    epochs = zip(*(run.history for run in runs))
    return statistics.median(sum(row["seconds"] for row in rows) for rows in list(epochs)[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run; the first is a warm-up (default 3)")
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be at least 2 (the first is a warm-up)")

    data = load_tensors()
    rate = matmul_rate()
    n = len(data.x_train)
    print(f"peak: {rate / 1e9:.0f} GFLOP/s (2048x2048 float32 product, {torch.get_num_threads()} threads)")
    print("| how | networks | work per epoch (GFLOP) | epoch (s) | floor (s) | epoch / floor |")
    print("|---|---|---:|---:|---:|---:|")

    def report(how: str, networks: str, work: float, seconds: float) -> None:
        floor = work / rate
        verdict = "" if seconds <= TARGET_RATIO * floor else f" (over {TARGET_RATIO:g}x)"
        ratio = f"{seconds / floor:.2f}{verdict}"
        print(f"| {how} | {networks} | {work / 1e9:.1f} | {seconds:.3f} | {floor:.3f} | {ratio} |")

    def as_chapter(stages: dict[str, StageConfig], networks: str) -> None:
        configs = {name: StageConfig(**{**c.as_dict(), "epochs": args.epochs}) for name, c in stages.items()}
        work = sum(flops_per_example(c) for c in configs.values()) * n
        seconds = 0.0
        for config in configs.values():  # the chapter's loop, after a warm-up run of its own
            train_stage(StageConfig(**{**config.as_dict(), "epochs": 1}), data, curves=False)
            start = time.perf_counter()
            train_stage(config, data, curves=False)
            seconds += (time.perf_counter() - start) / config.epochs
        report("seed 0: the chapter's loop, one at a time", networks, work, seconds)
        pair = train_seeds(configs, data, [1, 2], curves=True)  # every epoch measured, for its time
        seconds = max(epoch_seconds(list(runs.values())) for runs in pair)
        report("other seeds: two at once, two processes", networks, 2 * work, seconds)

    as_chapter({"3. MLP + ReLU": CHAPTER_STAGES["3. MLP + ReLU"]}, "the MLP")
    as_chapter(CHAPTER_STAGES, "the six of a seed")


if __name__ == "__main__":
    main()
