"""Chapter 1's trainer against what strangers do: impossible or busy output folders, folders from an
earlier run, Ctrl-C at any moment, diverging settings and huge numbers of epochs. Each run is a
child process, as from a shell: one line, its own exit status, bounded time and memory."""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import random
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import torch
from processes import run_measured

from helpers.ch01_regression_argmax import files
from helpers.ch01_regression_argmax.__main__ import main

COMMAND = [sys.executable, "-m", "helpers.ch01_regression_argmax"]
# Bounded time: a hang detector, not a speed claim. 100,000 epochs took 15.7 s on a slow 2-core
# session (machines differ by 1.5x between sessions), so the budget leaves room for that.
MAX_SECONDS, MAX_MB = 30, 1024


def trainer(*flags, cwd, timeout=60):
    outcome = run_measured([*COMMAND, *flags], timeout=timeout, cwd=cwd)
    assert outcome.seconds < MAX_SECONDS and outcome.peak_mb < MAX_MB, (outcome.seconds, outcome.peak_mb)
    return outcome


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def occupied_by_a_file(tmp_path):
    (tmp_path / "out").write_text("a file")
    return "out", "is a file, not a folder"


def below_a_file(tmp_path):
    (tmp_path / "out").write_text("a file")
    return "out/sub", "Not a directory"


def symlink_loop(tmp_path):
    (tmp_path / "out").symlink_to("out")
    return "out", "looping symbolic link"


def in_proc(tmp_path):
    return "/proc/sys/kernel", "cannot create or write in it"


def in_sys(tmp_path):
    return "/sys/kernel/lessons", "cannot create or write in it"


IMPOSSIBLE = {
    "a file": occupied_by_a_file,
    "below a file": below_a_file,
    "symbolic-link loop": symlink_loop,
    "/proc": in_proc,
    "/sys": in_sys,
}


@pytest.mark.parametrize("case", IMPOSSIBLE)
def test_an_impossible_folder_is_refused_before_training(tmp_path, case):
    folder, what = IMPOSSIBLE[case](tmp_path)
    before = names(tmp_path)
    outcome = trainer("--epochs", "10000", "--save-logits", "--save-logit-dir", folder, cwd=tmp_path)
    assert outcome.status == 1 and what in outcome.one_line_error()
    assert outcome.seconds < 5  # refused at start, not after 10,000 epochs
    assert names(tmp_path) == before


def test_a_folder_from_an_earlier_run_is_refused_unless_overwrite(tmp_path):
    assert trainer("--epochs", "50", "--save-checkpoints", "--save-checkpoint-dir", "ck", cwd=tmp_path).status == 0
    assert len(names(tmp_path / "ck")) == 51
    (tmp_path / "ck" / "notes.txt").write_text("mine")

    refused = trainer("--epochs", "5", "--save-checkpoints", "--save-checkpoint-dir", "ck", cwd=tmp_path)
    assert refused.status == 1 and "already holds 52 files" in refused.one_line_error()
    assert len(names(tmp_path / "ck")) == 52

    flags = ("--epochs", "5", "--save-checkpoints", "--save-checkpoint-dir", "ck", "--overwrite")
    assert trainer(*flags, cwd=tmp_path).status == 0
    # the earlier run's 51 checkpoints are gone, the reader's own file is not, no lock is left
    assert names(tmp_path / "ck") == [f"epoch_00{e}.pt" for e in range(6)] + ["notes.txt"]


def test_overwrite_never_removes_a_folder(tmp_path):
    (tmp_path / "ck" / "epoch_003.pt").mkdir(parents=True)
    flags = ("--epochs", "5", "--save-checkpoints", "--save-checkpoint-dir", "ck", "--overwrite")
    outcome = trainer(*flags, cwd=tmp_path)
    assert outcome.status == 1 and "epoch_003.pt is a folder" in outcome.one_line_error()
    assert names(tmp_path / "ck") == ["epoch_003.pt"]


def test_a_folder_in_use_by_another_run_is_refused_and_a_stale_lock_is_taken_over(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".lock").write_text(f"{os.getpid()}\n")  # this test process is alive
    busy = trainer("--epochs", "5", "--save-logits", "--save-logit-dir", "out", cwd=tmp_path)
    assert busy.status == 1 and f"in use by another run (process {os.getpid()}" in busy.one_line_error()

    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    (tmp_path / "out" / ".lock").write_text(f"{finished.pid}\n")  # left by a run that was killed
    assert trainer("--epochs", "5", "--save-logits", "--save-logit-dir", "out", cwd=tmp_path).status == 0
    assert names(tmp_path / "out") == ["logits.npz"]


def test_two_runs_at_once_never_share_a_folder(tmp_path):
    flags = ["--epochs", "3000", "--save-checkpoints", "--save-checkpoint-dir", "out"]
    runs = [subprocess.Popen([*COMMAND, *flags], cwd=tmp_path, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(run.wait(timeout=60), run.stderr.read()) for run in runs]
    assert sorted(status for status, _ in outcomes) == [0, 1]
    assert any("in use by another run" in err or "already holds" in err for _, err in outcomes)
    assert names(tmp_path / "out") == [files.checkpoint_name(e, 3000) for e in range(3001)]


def test_a_full_disk_while_saving_is_one_line_naming_the_complete_files(tmp_path, monkeypatch, capsys):
    saved, save = [], torch.save

    def save_until_full(state, stream):
        if len(saved) == 7:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        saved.append(state)
        save(state, stream)

    monkeypatch.setattr(files.torch, "save", save_until_full)
    monkeypatch.chdir(tmp_path)
    assert main(["--epochs", "20", "--save-checkpoints", "--save-checkpoint-dir", "ck"]) == 1
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and "could not write" in line and "epoch_007.pt: No space left on device" in line
    assert "the 7 files before it (epoch_000.pt .. epoch_006.pt) are complete" in line
    assert names(tmp_path / "ck") == [f"epoch_00{e}.pt" for e in range(7)]  # no temporary file, no lock


def test_divergence_stops_at_its_epoch_with_status_3_and_leaves_nothing(tmp_path):
    outcome = trainer("--lr", "1e6", "--epochs", "10000", "--save-logits", "--save-logit-dir", "out", cwd=tmp_path)
    assert outcome.status == 3
    assert outcome.one_line_error().startswith("error: diverged at epoch ")
    assert outcome.one_line_error().endswith("; try a smaller --lr")
    assert names(tmp_path) == []  # the folder it created is removed again


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--init_seed", "100000000000000000000000"], "--init-seed must be in 0..4294967295"),
        (["--data-seed", "-1"], "--data-seed must be in 0..4294967295"),
        (["--hidden", "1000000000000"], "--hidden must be in 1..10,000"),
        (["--lr", "1e308"], "--lr must be in (0, 1e+06]"),
        (["--epochs", "1000000000000"], "--epochs must be in 1..10,000,000"),
        (["--epochs", "20000", "--save-logits"], "--epochs must be in 1..10,000 when saving"),
    ],
)
def test_numbers_beyond_what_the_program_can_do_are_bad_flags(tmp_path, flags, message):
    outcome = trainer(*flags, cwd=tmp_path)
    assert outcome.status == 2 and message in outcome.one_line_error()
    assert names(tmp_path) == []


def test_many_epochs_keep_memory_flat_and_show_progress_on_a_terminal(tmp_path):
    few = trainer("--epochs", "100", cwd=tmp_path)
    many = trainer("--epochs", "100000", cwd=tmp_path)
    assert few.status == many.status == 0
    assert many.peak_mb - few.peak_mb < 20, (few.peak_mb, many.peak_mb)  # 100,000 epochs of logits: 290 MB

    terminal, child_side = pty.openpty()
    fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a window of 100 columns
    run = subprocess.Popen([*COMMAND, "--epochs", "20000"], stderr=child_side, stdout=subprocess.DEVNULL)
    os.close(child_side)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    assert run.wait(timeout=60) == 0
    assert b"epoch/s" in shown and b"/20000" in shown


def interrupt(flags, cwd, when, times=1):
    """Start the trainer, wait until ``when(cwd)`` is true, then press Ctrl-C ``times`` times."""
    run = subprocess.Popen([*COMMAND, *flags], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not when(cwd) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    for _ in range(times):
        run.send_signal(signal.SIGINT)
        time.sleep(0.001)
    return run.wait(timeout=60), run.stderr.read()


def test_ctrl_c_while_saving_leaves_only_complete_files(tmp_path):
    """Interrupts at random moments of saving 10,001 checkpoints, once or twice in a row."""
    rng = random.Random(0)
    flags = ["--epochs", "10000", "--save-checkpoints", "--save-checkpoint-dir", "ck"]
    for attempt in range(6):
        cwd = tmp_path / str(attempt)
        cwd.mkdir()
        delay, seen = rng.uniform(0, 0.5), {}

        def saving(cwd, delay=delay, seen=seen):
            if (cwd / "ck" / "epoch_00000.pt").exists():
                seen.setdefault("at", time.monotonic())
                return time.monotonic() - seen["at"] > delay
            return False

        status, stderr = interrupt(flags, cwd, saving, times=1 + attempt % 2)
        assert status == 130 and "Traceback" not in stderr, stderr
        assert stderr.strip().splitlines() == [
            "error: interrupted; the files already written are complete, none is half-written"
        ]
        written = names(cwd / "ck")
        assert written and all(name.startswith("epoch_") and name.endswith(".pt") for name in written), written
        last = cwd / "ck" / written[-1]
        assert torch.load(last, weights_only=True).keys() == torch.load(cwd / "ck" / written[0]).keys()


def test_ctrl_c_while_starting_is_one_line(tmp_path):
    status, stderr = interrupt(["--epochs", "10"], tmp_path, lambda cwd: time.sleep(0.3) or True)
    assert status == 130 and stderr.strip().splitlines() == ["error: interrupted while starting; nothing was written"]


def test_ctrl_c_while_training_removes_the_folder_it_made(tmp_path):
    appeared = {}

    def training(cwd):  # the folder is made just before training, which takes about a second here
        if (cwd / "out").exists():
            appeared.setdefault("at", time.monotonic())
            return time.monotonic() - appeared["at"] > 0.05
        return False

    flags = ["--epochs", "10000", "--save-logits", "--save-logit-dir", "out"]
    status, stderr = interrupt(flags, tmp_path, training)
    assert status == 130 and "Traceback" not in stderr
    assert names(tmp_path) == []
