"""``python -m helpers.data``: a report on success, one line and a non-zero exit on failure."""

import subprocess
import sys

import numpy as np
import pytest
from data_files import CIFAR_NAMES, command_with_sizes, write_idx


def run_cli(*args, env=None):
    """``python -m helpers.data ARGS``, its loaders expecting the small files of the fixture."""
    return subprocess.run(
        command_with_sizes("helpers.data", *args), capture_output=True, text=True, timeout=120, env=env
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_report_counts_per_split_and_class(data_dir):
    result = run_cli("--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "MNIST: images 28x28 uint8, 10 classes" in lines
    assert "CIFAR-10: images 3x32x32 uint8, 10 classes" in lines
    # the fixture's MNIST labels are 0..9 repeated: 2 of each class in 20 train, 1 in 10 test
    assert lines[lines.index("MNIST: images 28x28 uint8, 10 classes") + 2].split() == ["0", "2", "1"]
    cat_row = [line.split() for line in lines if line.split()[:1] == [CIFAR_NAMES[3].decode()]]
    assert cat_row == [["cat", "5", "1"]]
    assert ["total", "50", "10"] in [line.split() for line in lines]


def truncate(path):
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def wrong_magic(path):
    write_idx(path, np.arange(20) % 10, magic=0x0803)


CORRUPTIONS = {
    "truncated images": ("mnist/t10k-images-idx3-ubyte.gz", truncate, "truncated", "CIFAR-10: images"),
    "labels with a wrong magic": ("mnist/train-labels-idx1-ubyte.gz", wrong_magic, "magic number", "CIFAR-10: images"),
    "truncated batch": ("cifar-10/cifar-10-batches-py/data_batch_4", truncate, "truncated", "MNIST: images"),
}


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_damaged_file_is_one_line_and_exit_1(data_dir, case):
    name, damage, words, still_reported = CORRUPTIONS[case]
    damage(data_dir / name)
    result = run_cli("--data-dir", str(data_dir))
    assert_one_line_error(result, name.split("/")[-1], words)
    assert still_reported in result.stdout  # the other dataset is still reported


def test_missing_directory_is_one_line_and_exit_1(tmp_path):
    assert_one_line_error(run_cli("--data-dir", str(tmp_path / "nowhere")), "does not exist")


def test_missing_files_name_what_to_fetch(tmp_path):
    result = run_cli("--data-dir", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2  # one line per dataset
    assert "train-images-idx3-ubyte.gz" in lines[0] and "data_batch_1" in lines[1]


def test_the_real_sizes_refuse_the_small_files(data_dir):
    result = subprocess.run(
        [sys.executable, "-m", "helpers.data", "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    mnist, cifar = result.stderr.strip().splitlines()
    assert "shape (20, 28, 28), but the file must hold (60000, 28, 28)" in mnist
    assert "data is uint8 (10, 3072), expected uint8 (10000, 3072)" in cifar


def test_bad_flag_is_a_usage_error():
    result = run_cli("--data-dri", "x")
    assert result.returncode == 2 and "Traceback" not in result.stderr
