"""The seed sweep as independent tasks: on local processes or a Dask cluster with the same table,
and resumable after Ctrl-C or a kill without recomputing what was finished."""

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.bounds import BOUNDS

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "benchmarks" / "seed_sweep.py"
#: The cheapest group of bounds (the unit tests' own), over eight seeds: eight tasks of well under
#: a second each once a worker has imported what they need.
GROUP = "tests"
SMALL = ["--only", GROUP, "--seeds", "8"]
TASKS = 8


def sweep(*args, results: Path, groups=SMALL, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SWEEP), *groups, "--results", str(results), *args],
        capture_output=True,
        text=True,
        timeout=900,
        **kwargs,
    )


def table(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(f"| {GROUP}")]


def task_files(results: Path) -> dict[str, float]:
    """The stored tasks, and when each was written."""
    return {path.name: path.stat().st_mtime_ns for path in results.rglob("*.json")}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """An uninterrupted run on two local processes: the reference table."""
    results = tmp_path_factory.mktemp("local")
    done = sweep("--jobs", "2", results=results)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"# 0 of {TASKS} tasks already done" in done.stderr
    assert f"computing {TASKS} on 2 local processes" in done.stderr and "Warning" not in done.stderr
    rows = len([name for name in BOUNDS if name.startswith(f"{GROUP}: ")])
    assert len(table(done.stdout)) == rows and len(task_files(results)) == TASKS
    # the kernels the workers computed with (one thread each), read from the records
    assert re.search(r"^# computed with torch kernels \w+, .*, 1 threads$", done.stdout, re.MULTILINE), done.stdout
    return done, results


def test_a_second_run_computes_nothing_and_prints_the_same_table(local_run):
    first, results = local_run
    written = task_files(results)
    again = sweep("--jobs", "2", results=results)
    assert again.returncode == 0 and f"# {TASKS} of {TASKS} tasks already done" in again.stderr
    assert "computing 0" in again.stderr
    assert table(again.stdout) == table(first.stdout) and task_files(results) == written


def test_a_dask_cluster_computes_the_same_table(local_run, tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = sweep("--scheduler", cluster.scheduler_address, results=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"on the Dask scheduler at {cluster.scheduler_address}" in done.stderr
    assert table(done.stdout) == table(local_run[0].stdout)


def wait_for(condition, seconds: float = 300):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start(results: Path) -> subprocess.Popen:
    command = [sys.executable, str(SWEEP), *SMALL, "--jobs", "2", "--results", str(results)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_a_sweep_stopped_by_ctrl_c_or_killed_goes_on_where_it_stopped(local_run, tmp_path):
    # Ctrl-C after the first task is stored: one line, and what was finished is kept
    run = start(tmp_path)
    wait_for(lambda: len(task_files(tmp_path)) >= 1)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr[-3000:]
    last = stderr.splitlines()[-1]
    assert re.search(rf"interrupted: \d of {TASKS} tasks are kept in .*; run the same command again", last), last
    assert "Traceback" not in stderr
    after_interrupt = task_files(tmp_path)
    assert 1 <= len(after_interrupt) < TASKS

    # kill -9 once more is stored: whatever it was writing is never read back
    run = start(tmp_path)
    wait_for(lambda: len(task_files(tmp_path)) > len(after_interrupt))
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    after_kill = task_files(tmp_path)
    assert {name: after_kill[name] for name in after_interrupt} == after_interrupt  # not recomputed

    # a half-written task file left by a crash elsewhere is not read as a result
    identity = next(tmp_path.iterdir())
    missing = sorted({f"{GROUP}-seed{seed}.json" for seed in range(TASKS)} - set(after_kill))
    if missing:
        (identity / missing[0]).write_text('{"group": "ch')
    (identity / f".{GROUP}-seed0.json.crashed.tmp").write_text('{"group"')

    done = sweep("--jobs", "2", results=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    computed = int(re.search(r"computing (\d+) on", done.stderr).group(1))
    assert computed == TASKS - len(after_kill)  # only what was missing (the half-written one among it)
    final = task_files(tmp_path)
    assert len(final) == TASKS and {name: final[name] for name in after_kill} == after_kill
    assert table(done.stdout) == table(local_run[0].stdout)


def sweep_module():
    # from its file: a Dask scheduler in this process (the test above) may have put a copy on the path
    spec = importlib.util.spec_from_file_location("seed_sweep_under_test", SWEEP)
    seed_sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seed_sweep)
    return seed_sweep


def test_a_change_of_code_or_kernels_changes_the_identity_results_are_kept_under(tmp_path, monkeypatch):
    seed_sweep = sweep_module()
    (tmp_path / "helpers").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "helpers" / "model.py").write_text("lr = 0.1\n")
    monkeypatch.setattr(seed_sweep, "HELPERS", tmp_path / "helpers")
    test_code = [tmp_path / "tests" / "bounded_training.py", tmp_path / "tests" / "data_files.py"]
    monkeypatch.setattr(seed_sweep, "TEST_CODE", test_code)
    for path in test_code:
        path.write_text("seed = 0\n")
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")

    def identity():
        seed_sweep.code_identity.cache_clear()
        return seed_sweep.code_identity()

    first = identity()
    assert identity() == first  # the same code and kernels: the same folder
    (tmp_path / "helpers" / "model.py").write_text("lr = 0.2\n")
    second = identity()
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
    third = identity()
    test_code[0].write_text("seed = 1\n")
    fourth = identity()
    test_code[1].write_text("seed = 1\n")
    assert len({first, second, third, fourth, identity()}) == 5


def test_a_failing_task_is_reported_with_its_seed_and_the_others_are_kept(tmp_path):
    # ch2's MNIST loader fails on a data folder that does not exist: each ch2 task fails, ch1's are stored
    env = {**os.environ, "LESSONS_DATA": str(tmp_path / "no-data")}
    groups = ["--only", "ch1", "ch2", "--seeds", "2"]
    done = sweep("--jobs", "2", results=tmp_path / "results", groups=groups, env=env)
    assert done.returncode == 1
    failed = [line for line in done.stderr.splitlines() if line.startswith("error: ch2 seed ")]
    assert sorted(line.split(" failed:")[0] for line in failed) == ["error: ch2 seed 0", "error: ch2 seed 1"]
    assert "error: 2 of 4 tasks failed (above); run again to retry them" in done.stderr
    assert sorted(task_files(tmp_path / "results")) == ["ch1-seed0.json", "ch1-seed1.json"]


def test_bad_flags_and_an_unreachable_scheduler_get_one_line(tmp_path):
    for args, words in [
        (["--seeds", "1"], "--seeds must be at least 2"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
    ]:
        done = sweep(*args, results=tmp_path)
        lines = [line for line in done.stderr.splitlines() if not line.startswith(("#", "tasks"))]
        assert done.returncode in (1, 2) and len(lines) == 1 and words in lines[0], done.stderr[-2000:]
    assert not list(tmp_path.rglob("*.json"))


def record(seed_sweep, **changes) -> dict:
    values = dict.fromkeys(seed_sweep.group_bounds(GROUP), 0.5)
    return {"group": GROUP, "seed": 0, "values": values, "identity": "this-code", **changes}


@pytest.mark.parametrize(
    "change",
    [
        {"values": {}},
        {"values": "dropped"},
        {"identity": "other-code"},
        {"seed": 1},
        "one bound missing",
        "a value -1e9 as text",
        "a value true",
        "a value NaN",
    ],
)
def test_a_stored_record_is_read_only_if_whole_a_number_each_and_of_this_code(tmp_path, change):
    seed_sweep = sweep_module()
    store = seed_sweep.ResultStore(tmp_path, "this-code")
    stored = record(seed_sweep)
    assert store.save(stored) is None and store.load(GROUP, 0) == stored["values"]  # the control
    if isinstance(change, dict):
        stored.update(change)
    else:
        name = sorted(stored["values"])[0]
        if change == "one bound missing":
            del stored["values"][name]
        else:
            stored["values"][name] = {"a value -1e9 as text": "-1e9", "a value true": True}.get(change, float("nan"))
    store.path(GROUP, 0).write_text(json.dumps(stored))
    assert store.load(GROUP, 0) is None


def test_an_infinite_value_is_kept_and_counted_apart_in_the_table(tmp_path):
    # a diverged run's loss, or a sharpness rise with fewer than two spikes, is inf: an outcome
    seed_sweep = sweep_module()
    store = seed_sweep.ResultStore(tmp_path, "this-code")
    stored = record(seed_sweep)
    name = sorted(stored["values"])[0]
    stored["values"][name] = float("inf")
    assert store.save(stored) is None and store.load(GROUP, 0)[name] == float("inf")
    values = seed_sweep.np.array([float("inf"), 0.0, 0.0])
    assert "(1 of 3 seeds inf)" in seed_sweep.verdict(name, values)
    assert seed_sweep.spread(values) == (0.0, 0.0)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "sparse", "folder", "deep"])
def test_a_task_file_that_is_not_a_small_regular_file_is_not_read(tmp_path, kind):
    seed_sweep = sweep_module()
    store = seed_sweep.ResultStore(tmp_path, "this-code")
    path = store.path(GROUP, 0)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "/dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "sparse":
        with path.open("wb") as file:
            file.truncate(1 << 30)
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_text("[" * 100_000 + "]" * 100_000)
    start = time.monotonic()
    assert store.load(GROUP, 0) is None and time.monotonic() - start < 1


def test_a_record_computed_by_other_code_is_not_kept():
    seed_sweep = sweep_module()
    store = seed_sweep.ResultStore(Path("/nonexistent"), "this-code")
    refused = store.save(record(seed_sweep, identity="a-worker's", numerics="torch default"))
    assert "computed by other code or kernels (torch default, identity a-worker's, here this-code)" in refused


def test_a_dask_worker_with_other_helpers_has_its_results_refused_not_reused(tmp_path, monkeypatch):
    from dask.distributed import LocalCluster

    other = tmp_path / "other"  # this book's helpers, and one more module: other code
    shutil.copytree(ROOT / "helpers", other / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    (other / "helpers" / "extra.py").write_text("CHANGED = True\n")
    here = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    # The worker processes start with it on their path (multiprocessing gives them this process's
    # sys.path), the sweep without it.
    monkeypatch.setenv("PYTHONPATH", str(other))
    monkeypatch.syspath_prepend(str(other))
    monkeypatch.chdir(tmp_path)  # outside this book, whose helpers would refuse another copy's (helpers/__init__.py)
    groups = ["--only", GROUP, "--seeds", "2"]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = sweep("--scheduler", cluster.scheduler_address, results=tmp_path / "results", groups=groups, env=here)
    assert done.returncode == 1, done.stderr[-3000:]
    refused = [line for line in done.stderr.splitlines() if "computed by other code or kernels" in line]
    assert len(refused) == 2 and not list((tmp_path / "results").rglob("*.json"))
    # the original code, here; and no more processes than tasks, whatever --jobs says
    done = sweep("--jobs", "40", results=tmp_path / "results", groups=groups, env=here)
    assert done.returncode == 0 and "# 0 of 2 tasks already done" in done.stderr, done.stderr[-3000:]
    assert "computing 2 on 2 local processes" in done.stderr


def test_flags_without_bounds_and_bad_schedulers_are_refused_before_any_work(tmp_path, monkeypatch, capsys):
    seed_sweep = sweep_module()  # in this process: each case takes milliseconds
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    cases = [
        (["--seeds", "1000000000000"], {}, 2, "--seeds must be at most 10,000"),
        (["--jobs", "400"], {}, 2, "--jobs must be at most 64"),
        (["--seeds", "ten"], {}, 2, "'ten' is not a whole number"),
        (["--scheduler", "garbage"], {}, 2, "--scheduler 'garbage' is not a Dask scheduler's address"),
        (["--scheduler", "tcp://host name:8786"], {}, 2, "is not a Dask scheduler's address"),
        (["--scheduler", "http://127.0.0.1:8786"], {}, 2, "is not a Dask scheduler's address"),
        ([], {"LESSONS_DASK_SCHEDULER": "no such"}, 2, "$LESSONS_DASK_SCHEDULER 'no such' is not a Dask"),
        (["--results", str(a_file)], {}, 1, f"cannot keep results in {a_file}"),
        (["--results", "/proc/seed-sweep"], {}, 1, "cannot keep results in /proc/seed-sweep"),
    ]
    for args, env, status, words in cases:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        start = time.monotonic()
        try:
            returned = seed_sweep.main([*SMALL, "--results", str(tmp_path / "results"), *args])
        except SystemExit as exit:
            returned = exit.code
        lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("#", "tasks"))]
        assert returned == status and len(lines) == 1 and words in lines[0], (args, lines)
        assert time.monotonic() - start < 5
        for name in env:
            monkeypatch.delenv(name)
    assert not list(tmp_path.rglob("*.json"))
