"""Fixtures for tests of the built site in a real browser (Debian's chromium, PyPI's playwright).

These tests need ``_build/html`` (run ``jupyter-book build .`` first) and a chromium binary. When
either is missing they are skipped, unless ``LESSONS_REQUIRE_SITE=1`` (as ``.ci/run`` sets after
the build), which turns the skip into a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading

import pytest
from site_pages import SITE

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Lines the tests measured (timings, agreements), printed at the end of the run.
MEASUREMENTS: list[str] = []


@pytest.fixture
def measured():
    """``measured(line)`` adds a line to the summary printed after the tests (``.ci/run`` shows it)."""
    return MEASUREMENTS.append


def pytest_terminal_summary(terminalreporter):
    if MEASUREMENTS:
        terminalreporter.section("measured in the browser")
        for line in MEASUREMENTS:
            terminalreporter.write_line(line)


def unavailable(reason: str):
    if os.environ.get("LESSONS_REQUIRE_SITE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on 127.0.0.1 (scripts may not load from file:// pages)."""
    if not (SITE / "index.html").is_file():
        unavailable(f"no built site at {SITE}: run `jupyter-book build .` first")

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # one line per request would bury a failure's report
            pass

    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("no chromium on PATH: `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):
    """A page with the network blocked: any request off 127.0.0.1 is aborted and recorded."""
    page = browser.new_page()
    page.errors = []  # JavaScript errors the page raised
    page.blocked = []  # URLs the page tried to fetch from outside the machine
    page.on("pageerror", lambda error: page.errors.append(error))

    def only_local(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:")):
            route.continue_()
        else:
            page.blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    page.close()
