"""What a build was, written beside the site it built: ``_build/html/build.json``.

A site may be published by hand (``python _ext/publish_site.py``) only if it is what CI publishes:
a build of one commit, from a clean tree, with warnings as errors (``-W``) and none, that read
every page (not an incremental build, which keeps pages of earlier builds). Each build deletes
the record when it starts and writes it, whole, only when it finishes without an error, so that
a record always describes the site beside it:

- ``commit``: ``git rev-parse HEAD`` of the book's folder (``null`` outside a git repository);
- ``clean``: ``git status --porcelain`` printed nothing (ignored files aside);
- ``warnings_are_errors``: the build ran with ``-W`` (with or without ``--keep-going``);
- ``warnings``: how many warnings it logged;
- ``full``: it read (executed) every page of the book.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from safe_rebuilds import write_atomically  # the book's other extension, beside this one

RECORD = "build.json"


def forget_the_last_build(app) -> None:
    Path(app.outdir, RECORD).unlink(missing_ok=True)
    app.book_pages_read = set()


def count_pages_read(app, env, docnames) -> None:
    app.book_pages_read.update(docnames)


def git(folder, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)


def commit_of(folder) -> str | None:
    """The commit checked out in ``folder`` (``None`` outside a git repository)."""
    head = git(folder, "rev-parse", "HEAD")
    return head.stdout.strip() if head.returncode == 0 else None


def record_the_build(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    commit, status = commit_of(app.srcdir), git(app.srcdir, "status", "--porcelain")
    record = {
        "commit": commit,
        "clean": commit is not None and status.returncode == 0 and not status.stdout.strip(),
        "warnings_are_errors": bool(app.warningiserror or app.keep_going),
        "warnings": app._warncount,
        "full": app.book_pages_read >= set(app.env.found_docs),
    }
    write_atomically(Path(app.outdir, RECORD), json.dumps(record, indent=1).encode())


def setup(app):
    app.connect("builder-inited", forget_the_last_build)
    app.connect("env-before-read-docs", count_pages_read, priority=950)  # after safe_rebuilds adds its own
    # last of all: after the PDF, whose failure is a warning
    app.connect("build-finished", record_the_build, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
