"""Independent runs (one per seed) in worker processes of one thread each.

Runs of different seeds cannot share a data order, so they cannot train in lockstep; but they
are independent, and on the chapters' small matrix products two processes of one thread each
do almost twice the work of one process of two threads (``benchmarks/cifar_epoch.py`` and
``benchmarks/mnist_epoch.py`` measure it). Chapters 3 and 4 use it.
"""

from __future__ import annotations

import multiprocessing
import sys

from threadpoolctl import threadpool_limits

_job = None  # what a worker process runs: set before the workers are forked, so never pickled


def _run_job(seed: int):
    if "torch" in sys.modules:  # its own OpenMP and MKL pools, which threadpoolctl may not see
        sys.modules["torch"].set_num_threads(1)
    with threadpool_limits(1):
        return _job(seed)


def map_seeds(job, seeds, processes: int = 2) -> list:
    """``[job(seed) for seed in seeds]``, computed in ``processes`` worker processes.

    The workers are forked: they share the data with this process and receive only a seed.
    Where processes cannot be forked (Windows, macOS), the seeds run here, one after the
    other, with the same results.
    """
    global _job
    seeds = list(seeds)
    if processes < 2 or len(seeds) < 2 or sys.platform != "linux":
        return [job(seed) for seed in seeds]
    _job = job
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return pool.map(_run_job, seeds, chunksize=1)
    finally:
        _job = None
