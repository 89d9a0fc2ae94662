"""The setup cell of a published notebook, run as a reader would: in a fresh virtual environment
that lacks the book's helpers and some of the pinned packages, beside a ``helpers.py`` of the
student's own; the chapters' import cells must then work.

The new environment sees this one's installed packages (a ``.pth`` file naming a folder of links
to them), except the book's helpers, MyST-NB (a reader needs no Sphinx) and four small pinned
packages, which the cell must install itself, from the package index as on a laptop. The book's
helpers come from a wheel of this repository in a folder named after the commit, where a
published notebook names GitHub's archive of that commit (which needs the network).
"""

import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from helpers.notebooks import reader_requirements, setup_cells

ROOT = Path(__file__).resolve().parents[1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
#: Left out of the new environment, for the setup cell to install (pure Python, small).
MISSING = ("tqdm", "joblib", "threadpoolctl", "pooch")
#: Left out because a reader does not need them: the book's own package and the Sphinx stack's glue.
NOT_A_READERS = ("dl_lessons_helpers", "__editable__", "myst_nb", "myst-nb", "helpers")


def left_out(entry: str) -> bool:
    name = re.split(r"[-.]", entry.replace("_", "-").lower(), maxsplit=1)[0]
    return entry.startswith(NOT_A_READERS) or name in MISSING or entry.endswith(".pth")


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """A fresh virtual environment, and the folder of a notebook with a student's helpers.py."""
    where = tmp_path_factory.mktemp("reader")
    ours = Path(site.getsitepackages()[0])
    linked = where / "installed"
    linked.mkdir()
    for entry in ours.iterdir():
        if not left_out(entry.name):
            (linked / entry.name).symlink_to(entry)
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    theirs = subprocess.run(
        [python, "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True
    )
    Path(theirs.stdout.strip(), "installed.pth").write_text(f"{linked}\n")
    # The package's sources, copied: setuptools would leave its build/ folder in the repository.
    source = where / "source"
    shutil.copytree(ROOT / "helpers", source / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = where / "wheels" / COMMIT  # the commit in the address, as in GitHub's archive's
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", wheels, source],
        check=True,
        cwd=where,
    )
    (wheel,) = wheels.glob("dl_lessons_helpers-*.whl")
    notebook = where / "notebook"
    notebook.mkdir()
    (notebook / "helpers.py").write_text("def mine():\n    return 'a helper of my own'\n")
    return python, notebook, wheel


def the_setup_code(wheel: Path) -> str:
    code = setup_cells("https://github.com/org/book", COMMIT, reader_requirements(ROOT), "https://x/")[1].source
    book = re.compile(r"^BOOK = .*$", re.MULTILINE)
    assert book.search(code), "the setup cell no longer names the book's package in one line"
    return book.sub(f"BOOK = {f'dl-lessons-helpers @ {wheel.as_uri()}'!r}", code)


def import_cells() -> str:
    """Each chapter's first code cell: the imports."""
    cells = []
    for chapter in sorted((ROOT / "book").glob("0[1-4]_*.md")):
        cells.append(next(c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"))
    return "\n".join(cells)


def run(python: Path, cwd: Path, code: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([python, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_setup_cell_installs_what_is_missing_and_the_chapters_imports_then_work(reader):
    python, notebook, wheel = reader
    before = run(python, notebook, "import helpers; print(helpers.mine())")
    assert before.stdout.strip() == "a helper of my own"  # the student's module, first on the path
    setup = the_setup_code(wheel)
    check = (
        "\nimport importlib.metadata as m, helpers, helpers.glue\n"
        "print('helpers', helpers.__file__)\n"
        f"print('pinned', *[m.version(name) for name in {MISSING!r}])\n"
        "print('glue', helpers.glue.glue.__module__)\n"
    )
    ran = run(python, notebook, setup + "\n" + import_cells() + check)
    assert ran.returncode == 0, ran.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in ran.stdout.splitlines() if " " in line)
    installed = Path(lines["helpers"])
    assert installed.parent.parent.name == "site-packages" and notebook not in installed.parents
    pins = dict(pin.split("==") for pin in reader_requirements(ROOT)[1])
    assert lines["pinned"].split() == [pins[name] for name in MISSING]
    assert lines["glue"] == "helpers.glue"  # the stand-in: no MyST-NB, no Sphinx
    assert ran.stdout.splitlines()[0] == (
        f"{notebook / 'helpers.py'} is not the book's helpers; rename it: `import helpers` is the book's here"
    )
    again = run(python, notebook, setup)  # a second run finds everything: only the two lines
    assert again.returncode == 0, again.stderr
    assert [line.split(" ")[0] for line in again.stdout.splitlines()] == [str(notebook / "helpers.py"), "ready:"]


def test_the_setup_cell_replaces_another_builds_helpers(reader):
    python, notebook, wheel = reader
    assert run(python, notebook, the_setup_code(wheel)).returncode == 0  # this build's helpers
    other = "f" * 40  # a notebook of another build
    moved = wheel.parent.parent / other / wheel.name
    moved.parent.mkdir(exist_ok=True)
    moved.write_bytes(wheel.read_bytes())
    setup = the_setup_code(wheel).replace(COMMIT, other).replace(wheel.as_uri(), moved.as_uri())
    origin = "import importlib.metadata as m; print(m.distribution('dl-lessons-helpers').read_text('direct_url.json'))"
    assert COMMIT in run(python, notebook, origin).stdout
    ran = run(python, notebook, setup + "\n" + origin)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert other in ran.stdout.splitlines()[-1]
