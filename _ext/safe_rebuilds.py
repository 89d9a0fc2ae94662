"""Incremental builds that stay correct when a build is interrupted, and one build at a time.

Sphinx reads (here: executes) the pages that changed, saves its environment, then writes the
HTML of the pages it read. Three gaps, each closed here:

- **A lost write is never made up.** The next build rewrites a page only if its source is newer
  than its HTML. A page re-read for another reason (a ``helpers`` module it imports changed, or a
  page it reads was re-executed) whose write was lost, by Ctrl-C or a crash after the environment
  was saved, would keep its old numbers for good. So the pages a build reads are listed in
  ``pages_to_write.json`` (beside the environment, in the doctree folder) *before* they are read;
  every build writes the pages listed there, from the doctrees saved when they were read, and
  the list is removed only once a build has finished writing.
- **Ctrl-C threw away every page executed so far**, and so did a page whose code fails (which
  ends the build): the environment is saved only after all pages are read. On Ctrl-C while
  reading, or a failing page, the environment is saved as it stands (the page being executed is
  forgotten), the pages still to read are listed in ``pages_to_read.json``, which the next build
  reads first; on Ctrl-C the build then exits with one line and status 130. Ctrl-C at any other
  point exits at once with the same line: the environment on disk and the two lists are
  consistent at every instant, as they must be for a ``kill -9`` anyway.
- **Two builds at once** wrote the same files (the executed notebooks, the HTML) in turn. A build
  holds ``_build/.build.lock`` from before it reads anything until it exits (a lock of the
  operating system, released even when the process is killed); a second build of the same book
  says so in one line and waits.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout
from sphinx.util.build_phase import BuildPhase

INTERRUPTED = "interrupted: the pages executed so far are kept; `jupyter-book build .` goes on from there"


class State:
    lock: FileLock | None = None
    reading: str | None = None  # the page being read (executed) now
    to_read: list[str] = []  # the pages this build reads, in order
    done: set[str] = set()  # those read completely
    interrupted = False
    checkpoint: bytes | None = None  # the environment as saved when reading stopped


def list_file(app, name: str) -> Path:
    return Path(app.doctreedir) / f"{name}.json"


def read_list(app, name: str) -> set[str]:
    try:
        return set(json.loads(list_file(app, name).read_text()))
    except (OSError, ValueError, TypeError):
        return set()  # none, or cut short by a kill: the pages it listed are outdated anyway


#: The mode ``open()`` gives a new file; a temporary file is made readable by its owner only.
_UMASK = os.umask(0o022)  # reading the umask means setting it: set it back at once
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(data)
    os.chmod(tmp.name, FILE_MODE)  # the site's files, readable by whoever serves them
    os.replace(tmp.name, path)


def write_list(app, name: str, pages) -> None:
    write_atomically(list_file(app, name), json.dumps(sorted(pages)).encode())


def one_build_at_a_time(app, config):
    path = Path(app.outdir).parent / ".build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    State.lock = FileLock(path)
    try:
        State.lock.acquire(timeout=0)
    except Timeout:
        print(f"another build of this book holds {path}: waiting for it to finish (Ctrl-C to stop)", file=sys.stderr)
        try:
            State.lock.acquire()
        except KeyboardInterrupt:
            print("interrupted while waiting; nothing was built", file=sys.stderr)
            os._exit(130)


def pages_left_to_read(app, env, added, changed, removed):
    """The pages an interrupted build did not get to (or did not finish)."""
    return sorted(read_list(app, "pages_to_read") & env.found_docs)


def note_pages_to_read(app, env, docnames):
    State.to_read = list(docnames)
    write_list(app, "pages_to_read", docnames)
    write_list(app, "pages_to_write", read_list(app, "pages_to_write") | set(docnames))


def pages_to_write(app, env):
    """Pages read by an earlier build whose HTML that build may not have written."""
    return sorted(read_list(app, "pages_to_write") & env.found_docs)


def environment_saved(app, env):
    """Emitted just after Sphinx has saved the environment, with every page read in it."""
    list_file(app, "pages_to_read").unlink(missing_ok=True)


def pages_written(app, exception):
    if exception is None:
        list_file(app, "pages_to_write").unlink(missing_ok=True)
    elif State.checkpoint is not None:
        # Sphinx deletes the saved environment when a build fails, to force a full rebuild; the
        # one saved when the page failed is consistent (that page is not in it), so it goes back.
        from sphinx.application import ENV_PICKLE_FILENAME

        write_atomically(Path(app.doctreedir) / ENV_PICKLE_FILENAME, State.checkpoint)


def save_what_was_read(app) -> None:
    """Save the environment with the pages read completely so far; list the rest to read."""
    env = app.env
    if State.reading is not None:
        env.all_docs.pop(State.reading, None)  # not read completely: read again next time
    env.temp_data.clear()
    env.ref_context.clear()
    from sphinx.application import ENV_PICKLE_FILENAME

    State.checkpoint = pickle.dumps(env, pickle.HIGHEST_PROTOCOL)
    write_atomically(Path(app.doctreedir) / ENV_PICKLE_FILENAME, State.checkpoint)
    write_list(app, "pages_to_read", set(State.to_read) - State.done)


def child_processes() -> list[int]:
    """This process's children (a page's kernel): from /proc on Linux, from ``pgrep`` elsewhere."""
    me = str(os.getpid())
    proc = Path("/proc")
    if proc.is_dir():
        children = []
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if fields[1] == me:
                children.append(int(stat.parent.name))
        return children
    try:
        found = subprocess.run(["pgrep", "-P", me], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [int(pid) for pid in found.split()]


def stop(app) -> None:
    """After Ctrl-C: keep what can be kept, stop the page's kernel (which would otherwise print
    that it lost its parent, after the build's one line), and exit with Ctrl-C's status."""
    if app.phase == BuildPhase.READING:
        save_what_was_read(app)
    for pid in child_processes():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(130)


def on_interrupt(app):
    def handler(signum, frame):
        if State.interrupted:
            os._exit(130)  # a second Ctrl-C: at once
        State.interrupted = True
        print(f"\n{INTERRUPTED}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        silent = os.open(os.devnull, os.O_WRONLY)  # whatever the libraries print on the way out
        os.dup2(silent, 1)
        os.dup2(silent, 2)
        if State.reading is None:
            stop(app)
        raise KeyboardInterrupt  # let the page's kernel be shut down; read_doc then stops

    return handler


def keep_interrupts_for_the_build() -> None:
    """While a page executes, nbclient puts its own Ctrl-C handler on its event loop
    (``loop.add_signal_handler``): it shuts the kernel down and lets the page fail with a long
    traceback, and afterwards Python's default handler is back instead of ours. asyncio refuses
    that call outside the main thread with ``RuntimeError``, which nbclient expects and ignores; so
    the loop refuses it for SIGINT the same way, and the build's own handler stays in place. (The
    kernel, in a session of its own, never sees the terminal's Ctrl-C; it exits by itself within a
    second once the build is gone: ipykernel polls its parent process.)"""
    import asyncio

    add_signal_handler = asyncio.SelectorEventLoop.add_signal_handler

    def refusing_sigint(loop, signum, callback, *args):
        if signum == signal.SIGINT:
            raise RuntimeError("Ctrl-C is handled by the book's build (_ext/safe_rebuilds.py)")
        return add_signal_handler(loop, signum, callback, *args)

    asyncio.SelectorEventLoop.add_signal_handler = refusing_sigint


def guard_reading(app):
    """Run each page's read under watch; install the Ctrl-C handler."""
    builder = app.builder
    read_doc = builder.read_doc

    def watched_read_doc(docname, *, _cache=True):
        State.reading = docname
        try:
            read_doc(docname, _cache=_cache)
        except BaseException:
            if not State.interrupted:  # a failing page (nb_execution_raise_on_error) ends the build:
                save_what_was_read(app)  # keep the pages executed before it, as on Ctrl-C
                raise
        if State.interrupted:  # even if the page's code caught the interrupt
            stop(app)
        State.done.add(docname)
        State.reading = None

    builder.read_doc = watched_read_doc
    signal.signal(signal.SIGINT, on_interrupt(app))
    keep_interrupts_for_the_build()


def setup(app):
    app.connect("config-inited", one_build_at_a_time, priority=0)
    app.connect("builder-inited", guard_reading)
    app.connect("env-get-outdated", pages_left_to_read)
    app.connect("env-before-read-docs", note_pages_to_read, priority=900)
    app.connect("env-updated", pages_to_write)
    app.connect("env-check-consistency", environment_saved)
    app.connect("build-finished", pages_written)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
