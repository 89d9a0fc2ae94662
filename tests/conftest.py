"""Fixtures shared by the unit tests."""

from pathlib import Path

import pytest
from data_files import SMALL_SIZES, make_dataset_dir, use_sizes


@pytest.fixture
def small_sizes(monkeypatch):
    """The loaders expect the small files of :func:`make_dataset_dir` (the real sizes are restored after)."""
    use_sizes(monkeypatch.setitem, **SMALL_SIZES)


@pytest.fixture
def data_dir(tmp_path: Path, small_sizes) -> Path:
    return make_dataset_dir(tmp_path / "data")
