"""Benchmark: chapter 3's training throughput against its floors, one model and models in lockstep.

An epoch of the one-layer network reads every training image once (3072 float32 values, 12 KB)
and multiplies it by the weights twice (scores, then the weight gradient): 2 x 2 x 3072 x 10
floating-point operations per image and model. So an epoch has two floors, both measured in the
same run: the **memory floor**, the time to stream the training set through the processor once
(a reduction over it, which reads every byte and computes almost nothing), and the **compute
floor**, the epoch's matrix-product work at the rate this machine reaches on the step's own
shapes (a batch of 100 images against the stacked weights of all the models). Models trained in
lockstep (``train_together``) share the reading; their products grow with their number.

    python benchmarks/cifar_epoch.py [--models 1 4 9] [--epochs 6]

(The last epoch's measurement of the training set is spread over the epochs timed.)
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from helpers.ch03_cifar_one_layer import TrainConfig, load_splits
from helpers.ch03_cifar_one_layer.training import train_together


def median_seconds(work, trials: int = 3) -> float:
    times = []
    for _ in range(trials):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[1, 4, 9])
    parser.add_argument("--epochs", type=int, default=6)
    args = parser.parse_args()

    data = load_splits(1, dtype=np.float32)
    n, features = data.x_train.shape
    stream = median_seconds(lambda: data.x_train.sum(axis=0))
    print(
        f"training set: {n} images, {data.x_train.nbytes / 1e6:.0f} MB; streamed once in {1e3 * stream:.0f} ms "
        f"({data.x_train.nbytes / stream / 1e9:.1f} GB/s): the memory floor of an epoch"
    )
    print("| models | epoch (ms) | per model (ms) | memory floor (ms) | compute floor (ms) | epoch / max(floors) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for models in args.models:
        weights = np.random.default_rng(0).standard_normal((10 * models, features)).astype(np.float32)
        batch = data.x_train[:100]
        product = median_seconds(lambda b=batch, w=weights: [(b @ w.T).T @ b for _ in range(100)])
        compute_floor = product / 100 * (n / 100)  # both products of every batch of the epoch
        configs = [TrainConfig(lr=0.001 * (1 + m), epochs=args.epochs) for m in range(models)]
        epoch = median_seconds(lambda c=configs: train_together(c, data, curves=False), trials=1) / args.epochs
        floor = max(stream, compute_floor)
        print(
            f"| {models} | {1e3 * epoch:.0f} | {1e3 * epoch / models:.0f} | {1e3 * stream:.0f} | "
            f"{1e3 * compute_floor:.0f} | {epoch / floor:.1f} |"
        )


if __name__ == "__main__":
    main()
