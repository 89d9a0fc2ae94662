"""Results a chapter saves from its run, for the reproduction report to read back, with a record of
what produced them, so that the report shows only numbers of the run behind each chapter's page.

A chapter calls ``save_results("ch03_cifar_one_layer", {...}, seeds=SEEDS)``; the report page
reads them with ``load_results("ch03_cifar_one_layer", seeds=SEEDS)``. A results file is JSON:

- ``values``: each name to one number, or to one number per seed;
- ``seeds``: the seeds those lists are over;
- ``page`` and ``run``: the page that saved them and the run it was part of. A build of the book
  names both for every page it executes (``_ext/page_runs.py``), ``pytest`` names its own run
  (the root ``conftest.py``), a chapter run by hand in Jupyter names neither;
- ``numerics``: the variables that choose the CPU kernels, as the run saw them;
- ``helpers``: the sha256 of every ``helpers`` module the run had imported;
- ``saved``: when (UTC).

:func:`load_results` refuses with one line, naming the file and what to do, a file that is not
there (missing); that is not a results file of this book (invalid: truncated, not JSON, a field
missing or of the wrong kind); that another run saved than the one it must come from (foreign: in
a build, any run but the one whose output that chapter's page shows; in a test run, any other
run; or a run with other CPU kernels); that was saved before a ``helpers`` module it ran was
changed (stale); whose lists hold other seeds than asked, or fewer numbers (short); or that holds
a number that is not finite.

Where the files are: the folder named by ``LESSONS_RESULTS`` (a build sets ``_build/results``,
``pytest`` a temporary folder of its own); without it, in a clone of the book, its
``_build/notebook-results`` (so a chapter run in Jupyter never writes over the build's), and
elsewhere ``~/.cache/dl-lessons/results``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from helpers.numerics import NUMERIC_VARIABLES
from helpers.one_line import OneLineError

ENV_VAR = "LESSONS_RESULTS"  # the folder
RUN_VAR = "LESSONS_RUN"  # the run this process is part of: a build's, or a test run's
PAGE_VAR = "LESSONS_PAGE"  # the page a build is executing
EXPECTED_RUNS_VAR = "LESSONS_EXPECTED_RUNS"  # JSON {page: run}: whose results a page may read
FORMAT = 2
HELPERS_ROOT = Path(__file__).resolve().parent


class ResultsError(OneLineError):
    """A results file cannot be used: the message names it, says why and what to do."""


class MissingResults(ResultsError, FileNotFoundError):
    """A chapter's results are not there: that chapter has not run where this page looks."""


def book_root(start: Path | None = None) -> Path | None:
    """The book folder (holding ``_toc.yml``) that ``start`` (the working directory) is in."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "_toc.yml").is_file()), None)


def results_dir(start: Path | None = None) -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    root = book_root(start)
    if root is not None:
        return root / "_build" / "notebook-results"
    return Path.home() / ".cache" / "dl-lessons" / "results"  # a chapter run outside the book


def numerics() -> dict[str, str | None]:
    """The variables that choose the CPU kernels, as this process sees them."""
    return {name: os.environ.get(name) for name in NUMERIC_VARIABLES}


def helpers_fingerprint() -> dict[str, str]:
    """The sha256 of every ``helpers`` module this process has imported, by path in the package."""
    files = {
        Path(module.__file__).resolve()
        for module in list(sys.modules.values())
        if getattr(module, "__file__", None) and Path(module.__file__).resolve().is_relative_to(HELPERS_ROOT)
    }
    return {str(path.relative_to(HELPERS_ROOT.parent)): sha256(path) for path in sorted(files)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checked_numbers(chapter: str, values: dict, seeds: list[int]) -> dict[str, float | list[float]]:
    """``values`` as plain floats; a list must hold one number per seed, and every number be finite."""
    numbers = {}
    for name, value in values.items():
        many = isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) > 0  # a list, or an array
        if many and len(value) != len(seeds):
            raise ResultsError(f"chapter '{chapter}': '{name}' has {len(value)} numbers for {len(seeds)} seeds")
        numbers[name] = [float(v) for v in value] if many else float(value)
        if not all(map(math.isfinite, numbers[name] if many else [numbers[name]])):
            raise ResultsError(
                f"chapter '{chapter}' computed '{name}' = {numbers[name]}, not finite: a run diverged; "
                "see that chapter's output, fix the run and run the chapter again"
            )
    return numbers


#: When this module was first imported: a chapter imports it in its first cell, so the time from
#: then to :func:`save_results` is how long the chapter ran before it saved (the report states it).
IMPORTED = time.monotonic()
RUN_SECONDS = "run: seconds from the chapter's first cell to saving"


#: A chapter's name, as a results file's name: a package name of the book, never a path.
CHAPTER_NAME = re.compile(r"[a-z][a-z0-9_]*")
#: A ``helpers`` entry of a results file: a module of the package, by its path inside it.
HELPERS_ENTRY = re.compile(r"helpers(/[A-Za-z_][A-Za-z0-9_]*)*/[A-Za-z_][A-Za-z0-9_]*\.py")
#: The largest results file read: a chapter's holds a few hundred numbers.
LARGEST_FILE = 10_000_000


def _checked_chapter(chapter: str) -> str:
    if not isinstance(chapter, str) or not CHAPTER_NAME.fullmatch(chapter):
        raise ResultsError(f"{chapter!r} is not a chapter's name (lowercase letters, digits and _)")
    return chapter


def _finite(value) -> bool:
    """A finite JSON number (an integer too large for a float is not one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return abs(value) <= sys.float_info.max and (isinstance(value, int) or math.isfinite(value))


def save_results(chapter: str, values: dict[str, float | list[float]], seeds: Iterable[int]) -> Path:
    """Write ``values`` (names to a number, or to one number per seed of ``seeds``) with their
    provenance as ``<chapter>.json``, whole or not at all; :data:`RUN_SECONDS` is added."""
    _checked_chapter(chapter)
    seeds = [int(seed) for seed in seeds]
    values = {**values, RUN_SECONDS: time.monotonic() - IMPORTED}
    record = {
        "format": FORMAT,
        "chapter": chapter,
        "page": os.environ.get(PAGE_VAR),
        "run": os.environ.get(RUN_VAR),
        "saved": datetime.now(UTC).isoformat(timespec="seconds"),
        "numerics": numerics(),
        "helpers": helpers_fingerprint(),
        "seeds": seeds,
        "values": _checked_numbers(chapter, values, seeds),
    }
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chapter}.json"
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as tmp:
        json.dump(record, tmp, indent=1, sort_keys=True, allow_nan=False)
    os.replace(tmp.name, path)
    return path


def _who(record: dict) -> str:
    if record.get("page") and record.get("run"):
        return f"a build's run of {record['page']} ({record['saved']})"
    if record.get("run"):
        return f"another test run ({record['saved']})"
    return f"a run outside the build ({record['saved']})"


def _read(path: Path, chapter: str) -> dict:
    again = f"delete it and run chapter '{chapter}' again"
    try:
        record = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResultsError(f"{path} is not valid JSON (a truncated or edited file?): {again}") from None
    except OSError as error:
        raise ResultsError(f"{path} cannot be read ({error.strerror}): {again}") from None
    kinds = {
        "format": int,
        "chapter": str,
        "saved": str,
        "numerics": dict,
        "helpers": dict,
        "seeds": list,
        "values": dict,
    }
    for field, kind in kinds.items():
        if not isinstance(record, dict) or not isinstance(record.get(field), kind):
            raise ResultsError(f"{path} is not a results file of this book ('{field}' missing or wrong): {again}")
    if record["format"] != FORMAT or record["chapter"] != chapter:
        raise ResultsError(f"{path} holds results in another format or of another chapter: {again}")
    # The modules the run imported: at least this one, each a module of the package by its path.
    if not record["helpers"] or not all(
        HELPERS_ENTRY.fullmatch(str(name)) and isinstance(digest, str) for name, digest in record["helpers"].items()
    ):
        raise ResultsError(f"{path} is not a results file of this book ('helpers' empty or wrong): {again}")
    return record


def _check_run(path: Path, record: dict, chapter: str) -> None:
    expected = os.environ.get(EXPECTED_RUNS_VAR)
    if expected is not None:  # a build: the run whose output is on the chapter's page
        try:
            runs = json.loads(expected)
        except (ValueError, RecursionError):
            runs = None
        if not isinstance(runs, dict):
            raise ResultsError(
                f"${EXPECTED_RUNS_VAR} is not a JSON object of pages and runs; unset it (a build sets it itself)"
            )
        page = record.get("page")
        if page not in runs or runs[page] is None:
            raise ResultsError(
                f"{path}: foreign, saved by {_who(record)}, not by this build; rebuild the book (jupyter-book build .)"
            )
        if record.get("run") != runs[page]:
            raise ResultsError(
                f"{path}: stale, saved by an earlier run of {page} ({record['saved']}), not the one its page "
                "shows; rebuild the book (jupyter-book build .; delete _build/ first if this repeats)"
            )
    elif os.environ.get(RUN_VAR) and record.get("run") != os.environ[RUN_VAR]:  # a test run: its own
        raise ResultsError(
            f"{path}: foreign, saved by {_who(record)}, not by this run; "
            f"run chapter '{chapter}' before this page, in the same run"
        )


def load_results(chapter: str, seeds: Iterable[int]) -> dict[str, float | list[float]]:
    """The numbers ``chapter`` saved, once every check in the module's docstring has passed."""
    seeds = [int(seed) for seed in seeds]
    path = results_dir() / f"{_checked_chapter(chapter)}.json"
    try:
        status = path.stat()  # a link is followed
    except FileNotFoundError:
        status = None
    except OSError as error:
        again = f"delete it and run chapter '{chapter}' again"
        raise ResultsError(f"{path} cannot be read ({error.strerror}); {again}") from None
    if status is None:
        raise MissingResults(
            f"no results of chapter '{chapter}' at {path}: run that chapter first, in the same build "
            "or test run (building the book runs every chapter before this page)"
        )
    if not stat.S_ISREG(status.st_mode) or status.st_size > LARGEST_FILE:
        kind = "not a regular file" if not stat.S_ISREG(status.st_mode) else f"larger than {LARGEST_FILE:,} bytes"
        raise ResultsError(f"{path} is {kind}, not a results file: delete it and run chapter '{chapter}' again")
    record = _read(path, chapter)
    _check_run(path, record, chapter)
    again = f"run chapter '{chapter}' again"
    if record["numerics"] != numerics():
        theirs = ", ".join(f"{k}={v}" for k, v in sorted(record["numerics"].items()) if v is not None) or "none set"
        raise ResultsError(f"{path}: foreign, computed with other CPU kernels ({theirs}) than this run; {again}")
    for name, digest in record["helpers"].items():
        file = HELPERS_ROOT.parent / name  # inside the package: the entry's form is checked (_read)
        if not file.is_file() or sha256(file) != digest:
            raise ResultsError(f"{path}: stale, {name} changed after it was saved ({record['saved']}); {again}")
    if record["seeds"] != seeds:
        raise ResultsError(f"{path}: short, over seeds {record['seeds']}, not {seeds}; {again} with those seeds")
    for name, value in record["values"].items():
        numbers = value if isinstance(value, list) else [value]
        if isinstance(value, list) and len(value) != len(seeds):
            raise ResultsError(f"{path}: short, '{name}' has {len(value)} numbers for {len(seeds)} seeds; {again}")
        if not all(map(_finite, numbers)):
            raise ResultsError(f"{path}: '{name}' holds {value!r}, not finite numbers; {again}")
    return record["values"]
