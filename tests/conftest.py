"""Fixtures shared by the unit tests."""

from pathlib import Path

import pytest
from data_files import make_dataset_dir


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_dataset_dir(tmp_path / "data")
