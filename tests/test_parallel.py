"""The book's one parallel map (helpers.parallel): the same results as a plain loop, in order or
as they finish, on forked workers (Linux) and on loky (what macOS and Windows get), one BLAS and
one PyTorch thread per worker."""

import os
import sys

import numpy as np
import pytest

from helpers.parallel import map_parallel, map_seeds, one_thread

DATA = np.arange(1_000_000, dtype=np.float64)  # shared with forked workers, memory-mapped for loky


def work(seed: int):
    import torch
    from threadpoolctl import threadpool_info

    blas = {pool["num_threads"] for pool in threadpool_info()}
    return seed, float(DATA[seed] + np.random.default_rng(seed).normal()), torch.get_num_threads(), blas, os.getpid()


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_the_map_gives_a_loops_results_on_one_thread_per_worker(platform, monkeypatch):
    monkeypatch.setattr(sys, "platform", platform)
    seeds = [3, 1, 4, 1, 5, 9]
    results = map_seeds(work, seeds)
    assert [r[:2] for r in results] == [work(seed)[:2] for seed in seeds]
    assert {r[2] for r in results} == {1} and set().union(*(r[3] for r in results)) == {1}
    assert os.getpid() not in {r[4] for r in results}  # computed in worker processes


def test_results_as_they_finish_are_the_same_set():
    seeds = list(range(6))
    unordered = list(map_parallel(work, seeds, jobs=2, unordered=True))
    assert sorted(r[:2] for r in unordered) == sorted(work(seed)[:2] for seed in seeds)


def test_one_job_or_one_item_runs_here():
    assert [r[4] for r in map_seeds(work, [1, 2], processes=1)] == [os.getpid()] * 2
    assert map_seeds(work, [7])[0][4] == os.getpid()


def test_one_thread_restores_the_callers_thread_counts():
    # a task on one thread (a Dask or loky worker's, or here) must not leave its process on one
    import torch
    from threadpoolctl import threadpool_info

    before = torch.get_num_threads(), [pool["num_threads"] for pool in threadpool_info()]
    result = one_thread(work, 7)
    assert result[2] == 1 and result[3] == {1}  # the task itself ran on one thread
    assert (torch.get_num_threads(), [pool["num_threads"] for pool in threadpool_info()]) == before
