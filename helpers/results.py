"""Results a chapter saves from its run, for the reproduction report to read back.

A chapter calls ``save_results("ch03_cifar_one_layer", {...})`` with the numbers it computed; the
report page, executed after the chapters, reads them with ``load_results``. The files are JSON in
``_build/results/`` of the book (the folder holding ``_toc.yml``, searched upwards from the working
directory), or in the folder named by ``LESSONS_RESULTS``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

ENV_VAR = "LESSONS_RESULTS"


class MissingResults(FileNotFoundError):
    """A chapter's results are not there: that chapter has not run since the build folder was made."""


def results_dir(start: Path | None = None) -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder / "_build" / "results"
    return Path.home() / ".cache" / "dl-lessons" / "results"  # a chapter run outside the book


def save_results(chapter: str, values: dict[str, float | list[float]]) -> Path:
    """Write ``values`` (names to a number, or to one number per seed) as ``<chapter>.json``, whole
    or not at all."""
    numbers = {
        name: [float(v) for v in value] if isinstance(value, (list, tuple)) else float(value)
        for name, value in values.items()
    }
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chapter}.json"
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as tmp:
        json.dump(numbers, tmp, indent=1, sort_keys=True)
    os.replace(tmp.name, path)
    return path


def load_results(chapter: str) -> dict[str, float | list[float]]:
    path = results_dir() / f"{chapter}.json"
    if not path.is_file():
        raise MissingResults(
            f"no results of chapter '{chapter}' at {path}: run that chapter first "
            "(building the book runs every chapter before this page)"
        )
    return json.loads(path.read_text())
