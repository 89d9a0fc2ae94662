"""An incremental `jupyter-book build` re-executes exactly the pages whose text or imported helper
modules changed (_ext/helper_dependencies.py), on a two-page book built for the test."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[1] / "_ext"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {name}

```{{code-cell}} ipython3
from pathlib import Path
{imports}
with open(Path.cwd() / "executed.log", "a") as log:
    print("{name}", file=log)
```
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture
def book(tmp_path):
    write(
        tmp_path / "_config.yml",
        f"""\
        title: t
        only_build_toc_files: true
        execute:
          execute_notebooks: force
        sphinx:
          local_extensions:
            helper_dependencies: {EXT}
          config:
            dependency_packages: [toy]
            page_dependencies:
              report: [uses_a]
        """,
    )
    write(
        tmp_path / "_toc.yml",
        "format: jb-book\nroot: intro\nchapters:\n  - file: uses_a\n  - file: uses_c\n  - file: report\n",
    )
    write(tmp_path / "intro.md", "# Intro\n")
    write(tmp_path / "uses_a.md", PAGE.format(name="uses_a", imports="from toy.a import value"))
    write(tmp_path / "uses_c.md", PAGE.format(name="uses_c", imports="import toy.c"))
    # "report" reads what uses_a saves: it must run after uses_a, although its name sorts first
    write(
        tmp_path / "report.md", PAGE.format(name="report", imports="assert (Path.cwd() / 'saved').read_text() == 'a'")
    )
    (tmp_path / "uses_a.md").write_text(
        (tmp_path / "uses_a.md")
        .read_text()
        .replace("from toy.a import value", "from toy.a import value\n(Path.cwd() / 'saved').write_text('a')")
    )
    write(tmp_path / "toy" / "__init__.py", "")
    write(tmp_path / "toy" / "a.py", "from .b import value\n")
    write(tmp_path / "toy" / "b.py", "value = 1\n")
    write(tmp_path / "toy" / "c.py", "value = 2\n")
    return tmp_path


def build(book: Path) -> list[str]:
    """Build incrementally; the pages executed by this build, in order."""
    log = book / "executed.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(book)}  # where the build finds the toy package
    done = subprocess.run([str(JUPYTER_BOOK), "build", "-W", str(book)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return log.read_text().split() if log.exists() else []


def test_rebuild_executes_exactly_the_pages_whose_code_or_helpers_changed(book):
    assert build(book) == ["uses_a", "uses_c", "report"]
    assert build(book) == []  # nothing changed

    (book / "toy" / "b.py").write_text("value = 10\n")  # imported by uses_a, through toy.a
    assert build(book) == ["uses_a", "report"]

    page = book / "uses_a.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    assert build(book) == ["uses_a", "report"]

    page = book / "report.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    assert build(book) == ["report"]
