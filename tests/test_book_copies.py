"""A second copy of the book that shares the first one's virtual environment would import the first
copy's ``helpers`` and run its code, silently. A chapter run, a command and a test run each stop in
one line instead (the build's own refusal: tests/test_incremental_build.py)."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def other_copy(tmp_path, monkeypatch):
    """Another copy's ``helpers``, first on the path of every process started from here on."""
    shutil.copytree(REPO / "helpers", tmp_path / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path / "helpers"


def test_a_chapter_run_in_the_book_refuses_another_copys_helpers_in_one_line(other_copy):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import helpers.spread")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(notebook, resources={"metadata": {"path": str(REPO / "book")}})
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        client.execute()
    (error,) = notebook.cells[0].outputs
    (line,) = error["traceback"]  # what the cell shows
    assert line.startswith(f"ForeignHelpers: `helpers` is imported from {other_copy}, not from this book's")
    assert f"pip install -e {REPO}" in line


def test_a_command_run_in_the_book_refuses_another_copys_helpers_in_one_line(other_copy):
    done = subprocess.run(
        [sys.executable, "-m", "helpers.data"], cwd=REPO / "book", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: `helpers` is imported from {other_copy}") and done.stderr.count("\n") == 1


def test_a_test_run_refuses_another_copys_helpers_in_one_line(other_copy):
    pytest_command = Path(sys.executable).parent / "pytest"
    done = subprocess.run(
        [str(pytest_command), "--collect-only", "-q", "tests/test_spread.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert done.stderr.startswith(f"error: `helpers` is imported from {other_copy}") and done.stderr.count("\n") == 1


def test_outside_any_copy_of_the_book_helpers_imports_from_anywhere(other_copy, tmp_path):
    """Colab, or a downloaded notebook: no book around, nothing to refuse."""
    done = subprocess.run(
        [sys.executable, "-c", "import helpers; print(helpers.__file__)"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == str(other_copy / "__init__.py")
