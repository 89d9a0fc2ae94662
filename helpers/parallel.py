"""Independent runs in worker processes, on joblib: the chapters' seeds and the seed sweep's tasks.

Runs of different seeds cannot share a data order, so they cannot train in lockstep; but they
are independent, and on the chapters' small matrix products two processes of one thread each
do almost twice the work of one process of two threads (``benchmarks/cifar_epoch.py`` and
``benchmarks/mnist_epoch.py`` measure it). Chapters 3 and 4 and ``benchmarks/seed_sweep.py``
use :func:`map_parallel`.

Where the work goes is joblib's choice of backend:

- **Forked workers** (Linux, results in order): joblib's ``multiprocessing`` backend, whose
  workers are forked after the function is known. They share this process's memory (the
  chapters' data sets, hundreds of MB) and receive only an item: nothing large is copied.
- **loky** (macOS and Windows, or results as they finish): joblib's default. The function is
  sent to each task with cloudpickle; NumPy arrays it holds are memory-mapped, not copied.
- **Dask** (``backend="dask"``): with a ``dask.distributed.Client`` connected, the tasks run on
  its cluster, from a laptop's ``LocalCluster`` to Kubernetes or Slurm, with the same code (as
  Dask tasks: joblib's Dask backend would run them all in the client on a one-thread cluster).

Every worker computes with one BLAS and one PyTorch thread, so that ``jobs`` workers use
``jobs`` cores and no more.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator

from joblib import Parallel, delayed, parallel_config
from threadpoolctl import threadpool_limits

_function = None  # what a forked worker runs: set before the workers are forked, so never pickled


def one_thread(function: Callable, item):
    """``function(item)`` with one BLAS and one PyTorch thread; the process's thread counts
    are restored after (with one job the items run in the caller's process)."""
    import torch  # imported now, if it was not, so that it cannot start later with more threads

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # its own OpenMP and MKL pools, which threadpoolctl may not see
    try:
        with threadpool_limits(1):
            return function(item)
    finally:
        torch.set_num_threads(threads)


def _forked_call(item):
    return one_thread(_function, item)


def map_parallel(
    function: Callable, items: Iterable, jobs: int = 2, unordered: bool = False, backend: str | None = None
) -> Iterator:
    """``function(item)`` for each item, computed in ``jobs`` worker processes.

    Yields the results in the items' order, or, with ``unordered=True``, each as soon as it is
    done (then on loky, since forked workers cannot stream). ``backend="dask"`` sends the tasks
    to the connected Dask client's cluster (``jobs`` is then the cluster's). With one job or one
    item, the items run here, one after the other, with the same results. An exception in a task
    stops the map: a caller that must not lose the other tasks catches it inside ``function``.
    """
    global _function
    items = list(items)
    if backend is None and (jobs < 2 or len(items) < 2):
        yield from (function(item) for item in items)
        return
    if backend is None and not unordered and sys.platform == "linux":
        _function = function
        try:
            parallel = Parallel(n_jobs=jobs, backend="multiprocessing", batch_size=1)
            yield from parallel(delayed(_forked_call)(item) for item in items)
        finally:
            _function = None
        return
    if backend == "dask":
        yield from _on_dask_cluster(function, items, unordered)
        return
    return_as = "generator_unordered" if unordered else "generator"
    with parallel_config(backend="loky", n_jobs=jobs):
        parallel = Parallel(batch_size=1, return_as=return_as)
        yield from parallel(delayed(one_thread)(function, item) for item in items)


def _on_dask_cluster(function: Callable, items: list, unordered: bool) -> Iterator:
    """Each item as a task of the connected Dask client's cluster. Not through joblib's Dask
    backend: it counts the cluster's threads, and with one thread it runs every task here, in the
    client, while the caller believes the cluster computes them."""
    from dask.distributed import as_completed, get_client

    futures = get_client().map(one_thread, [function] * len(items), items, pure=False)
    yield from (future.result() for future in (as_completed(futures) if unordered else futures))


def map_seeds(job: Callable, seeds: Iterable[int], processes: int = 2) -> list:
    """``[job(seed) for seed in seeds]``, computed in ``processes`` worker processes."""
    return list(map_parallel(job, seeds, processes))
