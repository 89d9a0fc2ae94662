"""An incremental `jupyter-book build` re-executes exactly the pages whose text or imported helper
modules changed (_ext/helper_dependencies.py), and no page of the site ever shows a number that
the run behind it did not produce: not after Ctrl-C or a kill at any phase of a build
(_ext/safe_rebuilds.py), not after a test run, not with two builds at once, and the report page
reads only the results of the runs shown on the pages it reads (_ext/page_runs.py,
helpers/results.py). All on a small book built for the test, whose pages save and read results
through the book's own helpers.results."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "_ext"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
sys.path.insert(0, str(EXT))
from safe_rebuilds import INTERRUPTED  # noqa: E402

HEADER = """\
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

"""

# A chapter: computes a number from its helper module and a fresh random draw (so that every run
# gives another number), prints it, saves it; a test can make it stop its own build here.
CHAPTER = """\
```{{code-cell}} ipython3
import os
import random
import signal
import time
from pathlib import Path

from helpers.results import save_results
{imports}

with open(Path.cwd() / "executed.log", "a") as log:
    print("{name}", file=log)
number = value * 1000 + random.randrange(1000)
print(f"{name} number {{number}}")
save_results("{name}", {{"number": number}}, seeds=[])
if os.environ.get("FAIL_IN") == "{name}":
    raise RuntimeError("this page fails")
if os.environ.get("STOP_AT", "").startswith("execute {name} "):
    os.kill(os.getppid(), getattr(signal, os.environ["STOP_AT"].split()[-1]))
    time.sleep(20)
```
"""

REPORT = """\
```{code-cell} ipython3
from pathlib import Path

from helpers.results import load_results

with open(Path.cwd() / "executed.log", "a") as log:
    print("report", file=log)
a = load_results("uses_a", seeds=[])["number"]
c = load_results("uses_c", seeds=[])["number"]
print(f"report says {a:.0f} and {c:.0f}")
```
"""

# Stops the build it is loaded into at a given phase: STOP_AT="<phase> <signal>".
STOPPER = """\
import os
import signal


def stop_at(phase):
    spec = os.environ.get("STOP_AT", "")
    if spec.rsplit(" ", 1)[0] == phase:
        os.kill(os.getpid(), getattr(signal, spec.split()[-1]))


def setup(app):
    app.connect("env-updated", lambda app, env: stop_at("before saving the environment"), priority=999)
    app.connect("env-check-consistency", lambda app, env: stop_at("after saving the environment"))
    app.connect("html-page-context", lambda app, page, *rest: stop_at(f"write {page}"))
    app.connect("build-finished", lambda app, exception: stop_at("finish"))
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture
def book(tmp_path):
    book = tmp_path / "book"
    write(
        book / "_config.yml",
        f"""\
        title: t
        only_build_toc_files: true
        execute:
          execute_notebooks: force
        sphinx:
          local_extensions:
            helper_dependencies: {EXT}
            page_runs: {EXT}
            safe_rebuilds: {EXT}
            published_notebooks: {EXT}
            stopper: {book}
          config:
            dependency_packages: [toy]
            nb_execution_raise_on_error: true
            page_dependencies:
              report: [uses_a, uses_c]
        """,
    )
    write(
        book / "_toc.yml",
        "format: jb-book\nroot: intro\nchapters:\n  - file: uses_a\n  - file: uses_c\n  - file: report\n",
    )
    write(book / "intro.md", "# Intro\n")
    write(book / "stopper.py", STOPPER)
    (book / "uses_a.md").write_text(
        HEADER.format(name="uses_a") + CHAPTER.format(name="uses_a", imports="from toy.a import value")
    )
    (book / "uses_c.md").write_text(
        HEADER.format(name="uses_c") + CHAPTER.format(name="uses_c", imports="from toy.c import value")
    )
    # the report reads what uses_a and uses_c save: it runs after them, although its name sorts first
    (book / "report.md").write_text(HEADER.format(name="report") + REPORT)
    write(book / "toy" / "__init__.py", "")
    write(book / "toy" / "a.py", "from .b import value\n")
    write(book / "toy" / "b.py", "value = 1\n")
    write(book / "toy" / "c.py", "value = 2\n")
    return book


def environment(book: Path, **variables) -> dict:
    # where the build finds the toy package; no results variables of this test run
    env = {k: v for k, v in os.environ.items() if not k.startswith("LESSONS_")}
    return {**env, "PYTHONPATH": str(book), **variables}


def run_build(book: Path, **variables) -> subprocess.CompletedProcess:
    (book / "executed.log").unlink(missing_ok=True)
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", "-W", str(book)],
        env=environment(book, **variables),
        capture_output=True,
        text=True,
        timeout=300,
    )


def build(book: Path) -> list[str]:
    """Build incrementally; the pages executed by this build, in order."""
    done = run_build(book)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    log = book / "executed.log"
    return log.read_text().split() if log.exists() else []


def site_numbers(book: Path) -> dict[str, str]:
    """Each number as the site shows it, and as the build's results files hold it."""
    html = {page: (book / "_build" / "html" / f"{page}.html").read_text() for page in ("uses_a", "uses_c", "report")}
    results = book / "_build" / "results"
    found = {
        "uses_a page": re.search(r"uses_a number (\d+)", html["uses_a"]).group(1),
        "uses_c page": re.search(r"uses_c number (\d+)", html["uses_c"]).group(1),
        "report on uses_a": re.search(r"report says (\d+) and (\d+)", html["report"]).group(1),
        "report on uses_c": re.search(r"report says (\d+) and (\d+)", html["report"]).group(2),
    }
    for page in ("uses_a", "uses_c"):
        found[f"{page} results"] = str(int(json.loads((results / f"{page}.json").read_text())["values"]["number"]))
    return found


def assert_consistent(book: Path) -> dict[str, str]:
    numbers = site_numbers(book)
    for page in ("uses_a", "uses_c"):
        shown = {numbers[f"{page} page"], numbers[f"report on {page}"], numbers[f"{page} results"]}
        assert len(shown) == 1, numbers
    for notebook in (book / "_build").rglob("*.ipynb"):
        nbformat.validate(nbformat.read(notebook, as_version=4))
    return numbers


def run_chapter_as_pytest_does(book: Path, page: str) -> None:
    """Execute a page outside the build, in its folder, with this test run's variables (the root
    conftest.py's: a results folder and a run of its own), as nbval does."""
    notebook = jupytext.read(book / f"{page}.md")
    client = nbclient.NotebookClient(notebook, resources={"metadata": {"path": str(book)}})
    os.environ["PYTHONPATH"] = str(book)
    try:
        client.execute()
    finally:
        del os.environ["PYTHONPATH"]


def test_rebuild_executes_exactly_the_pages_whose_code_or_helpers_changed(book):
    assert build(book) == ["uses_a", "uses_c", "report"]
    assert build(book) == []  # nothing changed

    (book / "toy" / "b.py").write_text("value = 10\n")  # imported by uses_a, through toy.a
    assert build(book) == ["uses_a", "report"]

    page = book / "uses_a.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    assert build(book) == ["uses_a", "report"]

    report = book / "report.md"
    report.write_text(report.read_text() + "\nOne more sentence.\n")
    assert build(book) == ["report"]
    assert_consistent(book)

    # a test run of a chapter leaves the build's results, hence the report, alone
    results = book / "_build" / "results" / "uses_a.json"
    saved = results.read_bytes()
    run_chapter_as_pytest_does(book, "uses_a")
    assert results.read_bytes() == saved
    report.write_text(report.read_text() + "\nAnd one more.\n")
    assert build(book) == ["report"]
    assert_consistent(book)

    # results that are not those of the run shown on their page are refused, in one line
    record = json.loads(saved)
    record["run"] = "an-earlier-build"
    results.write_text(json.dumps(record))
    report.write_text(report.read_text() + "\nAnd a last one.\n")
    done = run_build(book)
    assert done.returncode != 0
    assert f"ResultsError: {results}: stale, saved by an earlier run of uses_a" in done.stdout + done.stderr


# (where the build is stopped, how, the pages the next build must execute)
STOPS = [
    ("execute uses_c", "SIGINT", ["uses_c", "report"]),  # uses_a, executed before, is kept
    ("execute uses_c", "SIGKILL", ["uses_a", "uses_c", "report"]),
    ("before saving the environment", "SIGINT", []),
    ("after saving the environment", "SIGKILL", []),
    ("write uses_a", "SIGINT", []),  # the report's page is written, uses_a's is not
]


def test_no_page_is_stale_after_a_build_is_stopped_at_any_phase(book):
    """Each stop follows an edit of both helper modules, so every page is re-executed (and gets new
    numbers) by the build that is stopped; the next plain build must leave a consistent site."""
    assert build(book) == ["uses_a", "uses_c", "report"]
    before = assert_consistent(book)
    for step, (phase, how, executed_next) in enumerate(STOPS, start=1):
        (book / "toy" / "b.py").write_text(f"value = {10 + step}\n")
        (book / "toy" / "c.py").write_text(f"value = {20 + step}\n")
        stopped = run_build(book, STOP_AT=f"{phase} {how}")
        if how == "SIGINT":
            assert stopped.returncode == 130, (phase, stopped.stderr[-2000:])
            assert stopped.stderr.strip().splitlines()[-1] == INTERRUPTED, (phase, stopped.stderr[-2000:])
            assert "Traceback" not in stopped.stdout + stopped.stderr, phase
        else:
            assert stopped.returncode == -signal.SIGKILL, (phase, stopped.stderr[-2000:])
        assert build(book) == executed_next, (phase, how)
        after = assert_consistent(book)
        assert after["uses_a page"].startswith(str(10 + step)), (phase, how, after)  # the new code's
        assert after["uses_c page"].startswith(str(20 + step)), (phase, how, after)
        assert after != before
        before = after
    assert not list((book / "_build").rglob("*.tmp")), "a temporary file left behind"


def test_two_builds_at_once_take_turns_and_leave_a_valid_site(book):
    env = environment(book)
    first = subprocess.Popen([str(JUPYTER_BOOK), "build", str(book)], env=env, text=True, stderr=subprocess.PIPE)
    time.sleep(0.3)
    second = subprocess.Popen([str(JUPYTER_BOOK), "build", str(book)], env=env, text=True, stderr=subprocess.PIPE)
    errors = [process.communicate(timeout=300)[1] for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), errors
    # whichever took the lock first (the second may, on a loaded machine), the other waited for it
    waited = [error for error in errors if "another build of this book holds" in error and "waiting" in error]
    assert len(waited) == 1, errors
    assert_consistent(book)


def test_a_build_refuses_another_copys_package_in_one_line(book, tmp_path):
    elsewhere = tmp_path / "other_copy"
    shutil.copytree(book / "toy", elsewhere / "toy")
    env = environment(book)
    env["PYTHONPATH"] = f"{elsewhere}{os.pathsep}{book}"  # another copy's toy comes first
    done = subprocess.run([str(JUPYTER_BOOK), "build", str(book)], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "\n" not in line and line.startswith("error: `toy` is imported from"), done.stderr
    assert str(elsewhere / "toy") in line and "pip install -e" in line
    assert not (book / "_build" / "html" / "uses_a.html").exists()


def test_a_failing_page_keeps_the_pages_executed_before_it(book):
    assert build(book) == ["uses_a", "uses_c", "report"]
    (book / "toy" / "b.py").write_text("value = 3\n")
    (book / "toy" / "c.py").write_text("value = 4\n")
    failed = run_build(book, FAIL_IN="uses_c")
    assert failed.returncode != 0 and "this page fails" in failed.stdout + failed.stderr
    assert build(book) == ["uses_c", "report"]  # uses_a, executed before the failure, is kept
    numbers = assert_consistent(book)
    assert numbers["uses_a page"].startswith("3") and numbers["uses_c page"].startswith("4")
