"""Tell each page a build executes which run it is part of, so that a page that reads what other
pages saved (the reproduction report) can refuse numbers that are not those on their pages.

An incremental build executes only the pages that changed, so the pages of one site come from
several builds. What must agree is each number the report shows and the run whose output is on
its chapter's page. So every build has a run name (random, one per build), and for each page it
executes this extension notes the run in the Sphinx environment (``env.page_runs``, pickled with
it, so it lasts as long as the page's output does). Before the page's kernel starts (MyST-NB
starts it after ``source-read``; it inherits this process's environment variables) it sets:

- ``LESSONS_RESULTS``: the build's results folder, ``results/`` beside the HTML output;
- ``LESSONS_RUN`` and ``LESSONS_PAGE``: this build's run and the page, which
  ``helpers.results.save_results`` writes into every results file;
- ``LESSONS_EXPECTED_RUNS``, for a page listed in ``page_dependencies``: the run that executed
  each page it reads, which ``helpers.results.load_results`` requires of their files.

A site must not mix numbers computed with different CPU kernels either: ``numeric_kernels``, a
configuration value that holds the variables choosing them (``helpers.numerics``), makes Sphinx
re-read every page when a build sees other values than the last one.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

RUN = uuid.uuid4().hex[:12]  # this build's run: one per process


def tell_kernel(app, docname, source):
    """Set the variables the page's kernel will inherit, and note the page's run."""
    os.environ.update(
        LESSONS_RESULTS=str(Path(app.outdir).parent / "results"),
        LESSONS_RUN=RUN,
        LESSONS_PAGE=docname,
    )
    reads = app.config.page_dependencies.get(docname)
    if reads:
        runs = getattr(app.env, "page_runs", {})
        os.environ["LESSONS_EXPECTED_RUNS"] = json.dumps({page: runs.get(page) for page in reads})
    else:
        os.environ.pop("LESSONS_EXPECTED_RUNS", None)
    if not hasattr(app.env, "page_runs"):
        app.env.page_runs = {}
    app.env.page_runs[docname] = RUN


def forget_page(app, env, docname):
    getattr(env, "page_runs", {}).pop(docname, None)


def merge_runs(app, env, docnames, other):
    if not hasattr(env, "page_runs"):
        env.page_runs = {}
    env.page_runs.update({name: run for name, run in getattr(other, "page_runs", {}).items() if name in docnames})


def numeric_kernels(config) -> dict[str, str | None]:
    """The variables that choose the CPU kernels, as this build sees them. (Imported only when
    asked, after ``helper_dependencies`` has checked that ``helpers`` is this book's.)"""
    from helpers.numerics import NUMERIC_VARIABLES

    return {name: os.environ.get(name) for name in NUMERIC_VARIABLES}


def setup(app):
    app.setup_extension("helper_dependencies")  # page_dependencies; and it checks helpers first
    app.add_config_value("numeric_kernels", numeric_kernels, "env")
    app.connect("source-read", tell_kernel)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_runs)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
