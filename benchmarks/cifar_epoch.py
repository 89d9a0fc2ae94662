"""Benchmark: chapter 3's training epochs, as the chapter runs them, against their floors.

An epoch of the one-layer network reads every training image once (3072 float32 values, 12 KB)
and multiplies it by the weights twice (scores, then the weight gradient): 2 x 2 x 3072 x 10
floating-point operations per image and model. So an epoch has two floors, both measured in the
same run: the **memory floor**, the time to stream the training set through the processor once
(a reduction over it, which reads every byte and computes almost nothing), and the **compute
floor**, the epoch's matrix-product work at this machine's peak rate (a 2048x2048 float32
product, ``helpers.numerics.matmul_rate``). Models trained in lockstep (``train_together``)
share the reading; their products grow with their number.

The rows are the chapter's own runs: the study's four settings (and the zero start) on batch 1,
the improvements with the plateau networks on all the training data, and the final networks of
the seeds after the first, two seeds at once in two worker processes of one thread each (their
floors are those of twice the work, on both cores).

    python benchmarks/cifar_epoch.py [--epochs 3]

(An epoch's time includes its share of the last epoch's measurement of the training set.)
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from helpers.ch03_cifar_one_layer import TrainConfig, load_splits
from helpers.cifar_one_layer.search import IMPROVEMENTS, SETTINGS, improved_config, study_schedule
from helpers.cifar_one_layer.training import train_together
from helpers.numerics import matmul_rate
from helpers.parallel import map_seeds

TARGET_RATIO = 1.3


def median_seconds(work, trials: int = 3) -> float:
    times = []
    for _ in range(trials):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def chapter_runs(epochs: int) -> list[tuple[str, int, list[TrainConfig], int]]:
    """(name, training batches, the configs trained together, processes) for each kind of run."""
    settings = [TrainConfig(lr=eta, lam=lam, epochs=epochs) for eta, lam in SETTINGS.values()]
    settings.append(TrainConfig(lr=0.001, epochs=epochs, init_std=0.0))
    eta, lam = 0.005, 0.01  # a grid point; the work does not depend on it

    def improved(loss, decay, flip):
        return TrainConfig(**{**improved_config(loss, eta, lam, decay, flip).as_dict(), "epochs": epochs})

    on_all = [improved("crossentropy", decay, flip) for all_data, decay, flip in IMPROVEMENTS.values() if all_data]
    finals = [study_schedule(improved(loss, True, True)) for loss in ("crossentropy", "mbce")]
    return [
        ("four settings + zero start", 1, settings, 1),
        ("the same, two seeds in two processes", 1, settings, 2),
        ("improvements + plateau networks", 5, on_all + finals, 1),
        ("final networks, two seeds in two processes", 5, finals, 2),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    rate = matmul_rate()
    print(f"peak: {rate / 1e9:.0f} GFLOP/s (2048x2048 float32 product)")
    print("| run | models | images | epoch (ms) | memory floor (ms) | compute floor (ms) | epoch / max(floors) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    splits = {}
    for name, batches, configs, processes in chapter_runs(args.epochs):
        data = splits.setdefault(batches, load_splits(batches, dtype=np.float32))
        n, features = data.x_train.shape
        stream = median_seconds(lambda d=data: d.x_train.sum(axis=0))
        work = 2 * 2 * features * 10 * n * len(configs)
        if processes == 1:
            epoch = median_seconds(lambda c=configs, d=data: train_together(c, d, curves=False), trials=1)
        else:

            def one_seed(seed, c=configs, d=data):
                return train_together([TrainConfig(**{**x.as_dict(), "seed": seed}) for x in c], d, curves=False)

            epoch = median_seconds(lambda f=one_seed, k=processes: map_seeds(f, range(k)), trials=1)
            work *= processes
        epoch /= args.epochs
        floor = max(stream, work / rate)
        verdict = "" if epoch <= TARGET_RATIO * floor else f" (over {TARGET_RATIO:g}x)"
        print(
            f"| {name} | {len(configs) * processes} | {n} | {1e3 * epoch:.0f} | {1e3 * stream:.0f} | "
            f"{1e3 * work / rate:.0f} | {epoch / floor:.1f}{verdict} |"
        )


if __name__ == "__main__":
    main()
