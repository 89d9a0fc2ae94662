"""Which CPU kernels compute the book's numbers: PyTorch's and numpy's BLAS.

Both pick their kernels from the CPU, and kernels round differently; over many training steps
that acts like a change of seed. Environment variables force another set, up to what the CPU
supports: ``ATEN_CPU_CAPABILITY`` (``default``, ``avx2``, ``avx512``) for PyTorch's own kernels,
``MKL_ENABLE_INSTRUCTIONS`` (``AVX2``, ``AVX512``) for the MKL that computes PyTorch's matrix
products, and ``OPENBLAS_CORETYPE`` (for instance ``Haswell``) for numpy's OpenBLAS. They are
read when the library loads, so they must be set before ``torch`` or ``numpy`` is imported.
"""

from __future__ import annotations

#: What ``pytest`` runs the chapters with (set in the root ``conftest.py`` unless already set):
#: other kernels than the build's, so that CI executes every chapter under two configurations.
ALTERNATIVE_KERNELS = {
    "ATEN_CPU_CAPABILITY": "default",
    "OPENBLAS_CORETYPE": "Haswell",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
}

#: Every variable that changes how the book's numbers round: the kernels, and the number of
#: threads a matrix product is split over. A saved result records them (``helpers.results``), and
#: a build that sees other values than the last one re-executes every page (``_ext/page_runs.py``).
NUMERIC_VARIABLES = (*ALTERNATIVE_KERNELS, "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def blas_kernels() -> str:
    """OpenBLAS's kernel architecture (for instance ``SkylakeX``), or the BLAS's name."""
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl inspects)
    from threadpoolctl import threadpool_info

    for library in threadpool_info():
        if library.get("user_api") == "blas":
            return library.get("architecture") or library.get("internal_api", "unknown")
    return "unknown"


def describe_numerics() -> str:
    """One line: PyTorch's kernels, numpy's BLAS kernels, and the number of threads."""
    import torch

    return (
        f"torch kernels {torch.backends.cpu.get_cpu_capability()}, "
        f"OpenBLAS kernels {blas_kernels()}, {torch.get_num_threads()} threads"
    )


def matmul_rate(size: int = 2048, trials: int = 5) -> float:
    """This machine's rate at a large float32 matrix product, in FLOP/s (the best of ``trials``,
    with PyTorch's threads): the yardstick by which the benchmarks state their floors, and by
    which CI states its build time, since machines differ in speed from one session to the next."""
    import time

    import torch

    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best
