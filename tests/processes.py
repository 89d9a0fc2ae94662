"""Run a command as a reader would, and measure what it cost: exit status, output, wall time and
the command's own peak memory.

On Linux a process's peak-memory figure survives ``exec``: a child forked from pytest (which has
PyTorch loaded) would report pytest's size. So a small launcher process starts the command and
reads its peak with ``os.wait4``, which reports the resources of exactly that child."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_LAUNCHER = """
import json, os, subprocess, sys, threading
report, timeout, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
child = subprocess.Popen(command)
timer = threading.Timer(timeout, child.kill)
timer.start()
_, status, usage = os.wait4(child.pid, 0)
timer.cancel()
child.returncode = os.waitstatus_to_exitcode(status)
with open(report, "w") as stream:
    json.dump({"status": child.returncode, "peak_kb": usage.ru_maxrss}, stream)
"""


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def one_line_error(self) -> str:
        """The single line on stderr, after checking that there is exactly one and no traceback."""
        lines = self.stderr.strip().splitlines()
        assert "Traceback" not in self.stderr and len(lines) == 1, self.stderr[-2000:]
        return lines[0]


def run_measured(command: list[str], timeout: float = 60, env: dict | None = None, cwd=None) -> Outcome:
    """Run ``command``; it is killed after ``timeout`` seconds (its status is then -9)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(report), str(timeout), *command],
            capture_output=True,
            env=env,
            cwd=cwd,
            timeout=timeout + 30,
        )
        seconds = time.perf_counter() - start
        measured = json.loads(report.read_text())
    return Outcome(
        measured["status"],
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
        seconds,
        measured["peak_kb"] / 1024,
    )
