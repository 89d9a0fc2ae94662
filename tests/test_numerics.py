"""pytest computes with other CPU kernels than the build (the root conftest.py chooses them)."""

import os
import platform

import pytest
import torch

from helpers.numerics import ALTERNATIVE_KERNELS, blas_kernels, describe_numerics


def test_the_kernels_in_use_are_the_ones_the_environment_asks_for():
    # conftest.py sets these before numpy or torch is loaded, unless the caller set them
    assert all(variable in os.environ for variable in ALTERNATIVE_KERNELS)
    if os.environ["ATEN_CPU_CAPABILITY"] == "default":
        assert torch.backends.cpu.get_cpu_capability() == "DEFAULT"
    if platform.machine().lower() not in ("x86_64", "amd64") or blas_kernels() in ("unknown", "openblas"):
        pytest.skip("OPENBLAS_CORETYPE names x86 kernels, and only OpenBLAS reads it")
    assert blas_kernels().lower() == os.environ["OPENBLAS_CORETYPE"].lower()


def test_the_description_names_both_libraries_kernels_and_the_threads():
    line = describe_numerics()
    assert torch.backends.cpu.get_cpu_capability() in line and blas_kernels() in line
    assert f"{torch.get_num_threads()} threads" in line and "\n" not in line
