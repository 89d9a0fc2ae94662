"""Publishing by hand (_ext/publish_site.py) takes only what CI would publish: the record a build
leaves beside the site (_ext/build_record.py) must say a clean tree, -W without warnings, every
page read, and the commit checked out. On a small book built for the test, in a git repository."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "_ext"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
sys.path.insert(0, str(EXT))
import publish_site  # noqa: E402


def git(book: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
    subprocess.run(command, cwd=book, check=True, capture_output=True)


@pytest.fixture
def book(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    config = f"title: t\nonly_build_toc_files: true\nsphinx:\n  local_extensions:\n    build_record: {EXT}\n"
    (book / "_config.yml").write_text(config)
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n")
    (book / "intro.md").write_text("# Intro\n")
    (book / "page.md").write_text("# A page\n\nText.\n")
    (book / ".gitignore").write_text("_build/\n")
    git(book, "init", "-q")
    git(book, "add", "-A")
    git(book, "commit", "-q", "-m", "a book")
    return book


def build(book: Path, *flags: str) -> dict:
    done = subprocess.run([str(JUPYTER_BOOK), "build", *flags, str(book)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads((book / "_build" / "html" / "build.json").read_text())


def publish(book: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, str(EXT / "publish_site.py"), "--dry-run", "--book", str(book)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_a_clean_full_w_build_is_published_and_a_later_incremental_dirty_one_is_not(book):
    record = build(book, "-W", "--keep-going")
    assert record["clean"] and record["full"] and record["warnings_are_errors"] and record["warnings"] == 0
    done = publish(book)
    assert done.returncode == 0 and done.stdout.startswith("would publish "), done.stderr

    (book / "page.md").write_text("# A page\n\nOther text.\n")  # an uncommitted change, built incrementally
    record = build(book, "-W")
    assert not record["clean"] and not record["full"]
    done = publish(book)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "built from a tree with uncommitted changes" in done.stderr

    git(book, "commit", "-q", "-am", "the change")  # committed now: the site is still an incremental build
    record = build(book, "-W")
    done = publish(book)
    assert done.returncode == 1 and "was built incrementally" in done.stderr


@pytest.mark.parametrize(
    "record, words",
    [
        (None, "has no record of a finished build"),
        ("[]", "is not a build record"),
        ({"clean": True, "warnings_are_errors": False, "warnings": 0, "full": True}, "without -W"),
        ({"clean": True, "warnings_are_errors": True, "warnings": 2, "full": True}, "with warnings"),
        ({"clean": True, "warnings_are_errors": True, "warnings": 0, "full": True, "commit": "0" * 40}, "not the one"),
    ],
)
def test_a_site_that_ci_would_not_publish_is_refused(tmp_path, record, words):
    site = tmp_path / "_build" / "html"
    site.mkdir(parents=True)
    if record is not None:
        (site / "build.json").write_text(record if isinstance(record, str) else json.dumps(record))
    assert words in publish_site.refusal(site, REPO)
