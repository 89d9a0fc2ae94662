"""``python _ext/publish_site.py [--dry-run]``: publish the built site by hand, only if CI would.

The workflow (``.github/workflows/book.yml``) publishes only a site that its tests passed on. By
hand, this command publishes ``_build/html`` to the branch the Colab buttons read
(``notebooks_branch``, ``gh-pages``) with ``ghp-import``, and only if the build that wrote it
(``_build/html/build.json``, :mod:`build_record`) was of the commit checked out now, from a clean
tree, with ``-W`` and no warning, and read every page. Otherwise it prints one line saying what
to do, and exits with status 1, publishing nothing. ``--dry-run`` checks and says what it would
publish.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from build_record import commit_of  # beside this file

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "gh-pages"  # notebooks_branch in _config.yml (a test keeps them equal)
AGAIN = "rm -rf _build && jupyter-book build -W --keep-going ."


def refusal(site: Path, book: Path) -> str | None:
    """Why the site at ``site`` must not be published, or None."""
    try:
        record = json.loads((site / "build.json").read_text())
    except (OSError, ValueError):
        return f"{site} has no record of a finished build (build.json): build it with `{AGAIN}`"
    if not isinstance(record, dict):
        return f"{site / 'build.json'} is not a build record: build again with `{AGAIN}`"
    if not record.get("clean"):
        return f"{site} was built from a tree with uncommitted changes: commit them, then `{AGAIN}`"
    if not record.get("warnings_are_errors") or record.get("warnings") != 0:
        return f"{site} was built without -W, or with warnings: `{AGAIN}`"
    if not record.get("full"):
        return f"{site} was built incrementally (it keeps pages of earlier builds): `{AGAIN}`"
    if record.get("commit") is None or record.get("commit") != commit_of(book):
        return f"{site} was built from commit {record.get('commit')}, not the one checked out: `{AGAIN}`"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python _ext/publish_site.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="check, and say what would be published")
    parser.add_argument("--book", type=Path, default=ROOT, help="the book's folder (default: this one)")
    args = parser.parse_args(argv)
    site = args.book / "_build" / "html"
    if why := refusal(site, args.book):
        print(f"error: not published: {why}", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"would publish {site} to the {BRANCH} branch")
        return 0
    done = subprocess.run(["ghp-import", "-n", "-p", "-f", "-b", BRANCH, str(site)], cwd=args.book)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
