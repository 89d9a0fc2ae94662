"""Re-run every training outcome the book asserts over many seeds; print its bound and spread.

    python benchmarks/seed_sweep.py                 # every bound, seeds 0..9 (chapter 3's part is the longest)
    python benchmarks/seed_sweep.py --only ch1 ch4  # the bounds whose names start so
    python benchmarks/seed_sweep.py --seeds 100 --jobs 2                  # seeds 0..99, two processes
    python benchmarks/seed_sweep.py --seeds 100 --scheduler tcp://HOST:8786  # on a Dask cluster

The sweep is a set of independent tasks, one per (group of bounds, seed), run through
:func:`helpers.parallel.map_parallel`: in ``--jobs`` local processes (joblib's loky), or, with
``--scheduler`` (or ``LESSONS_DASK_SCHEDULER``), on the workers of a running Dask scheduler, which
must have this book's ``helpers`` installed; this script and the test modules it imports are
sent to them. Each finished task's values are written at once to a small JSON file under ``--results``
(written under a temporary name, then renamed), in a folder named after the code's identity: a
hash of the ``helpers`` package, this script, the test modules it uses and the CPU-kernel variables.
Run again after a stop (Ctrl-C, a kill, a lost machine) and only the missing tasks are computed;
after a code change, none of the old values is reused. The table is computed from the stored
results. A task that fails is reported with its seed, the others go on, and the exit status is 1.

The bounds live in :mod:`helpers.bounds`; the pages and tests assert them with
:func:`helpers.bounds.check`. This script has no training code of its own: a group's bounds (a
page's, or the unit tests') come from its module's ``measure(seed)`` (``GROUPS`` below), which
makes that seed's runs as the page makes seed 0's and measures them with the functions the
page's checks call (where the page's visible code is itself the lesson, ``measure`` repeats that
step). Seed 0 is the page's own run: ``tests/test_sweep_runs_the_pages.py`` runs ``measure(0)``
at the page's thread count and requires what the page checked; here every task computes on one
thread, so seed 0's row may differ from the page's number by rounding. Another seed changes
everything random the page's seeds change: the initial weights, the order of the examples,
dropout masks and flips, and, where the page draws them with its seed, the data.

One row per bound: the bound, min / mean / std / max over the seeds (mean and std over the
seeds whose value is finite), and the margin: how far the worst seed is from the bound, in
standard deviations of the sweep. The rule (CONTRIBUTING.md): a floor
or ceiling needs a margin of at least 1; a comparison (``... minus ...``) must hold for every
seed. Rows that break it are marked, and the exit status is 1.

Run it under other kernels too, for instance ``ATEN_CPU_CAPABILITY=default
OPENBLAS_CORETYPE=Haswell python benchmarks/seed_sweep.py``: the header names the kernels used.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import math
import os
import re
import stat
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
from tqdm import tqdm

import helpers
from helpers import cli
from helpers.bounds import BOUNDS
from helpers.bounds import group as bound_group
from helpers.numerics import ALTERNATIVE_KERNELS, describe_numerics
from helpers.parallel import map_parallel

ROOT = Path(__file__).resolve().parent.parent
#: The modules of tests/ the sweep imports (the unit tests' training and the data it builds).
TEST_CODE = [ROOT / "tests" / "bounded_training.py", ROOT / "tests" / "data_files.py"]
SCHEDULER_VARIABLE = "LESSONS_DASK_SCHEDULER"

#: Each group of bounds (a page, or the unit tests), and the module whose ``measure(seed)``
#: computes its bounds for one seed: the functions the page calls on its own runs, on the runs
#: that page makes, with its settings, for ``seed`` instead of 0.
GROUPS = {
    "ch1": "helpers.ch01_regression_argmax.bounded",
    "ch2": "helpers.ch02_softmax_cross_entropy.bounded",
    "ch3": "helpers.ch03_cifar_one_layer.bounded",
    "ch4": "helpers.ch04_limits_of_linearity.bounded",
    "ch6": "helpers.ch06_going_further.bounded",
    "tests": "bounded_training",  # tests/bounded_training.py: the training the unit tests check
}


def measure(group: str, seed: int) -> dict[str, float]:
    """The bounds of ``group`` measured for ``seed``, by the code the page (or test) runs."""
    # tests/ holds the unit tests' module; a Dask worker has its uploaded copy on its path already
    tests = str(TEST_CODE[0].parent)
    if tests not in sys.path:
        sys.path.insert(0, tests)
    return importlib.import_module(GROUPS[group]).measure(seed)


def spread(values: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation over the seeds whose value is finite (a diverged run is inf)."""
    finite = values[np.isfinite(values)]
    return (float(finite.mean()), float(finite.std())) if len(finite) else (np.nan, np.nan)


def margin(name: str, values: np.ndarray) -> float:
    """How far the worst seed is from the bound, in standard deviations of the sweep."""
    bound = BOUNDS[name]
    distance = values.min() - bound.bound if bound.is_lower else bound.bound - values.max()
    std = spread(values)[1]
    if not all(bound.holds(v) for v in values):
        return -np.inf if std == 0 else min(distance / std, -1e-9)
    return np.inf if std == 0 or not np.isfinite(distance) else distance / std


def is_comparison(name: str) -> bool:
    return " minus " in name


def verdict(name: str, values: np.ndarray) -> str:
    """ "ok", or what the rule says is wrong with this bound; and how many seeds were infinite."""
    infinite = int(np.sum(~np.isfinite(values)))
    note = f" ({infinite} of {len(values)} seeds inf)" if infinite else ""
    if not all(BOUNDS[name].holds(v) for v in values):
        return "FAILS for some seed" + note
    if not is_comparison(name) and margin(name, values) < 1:
        return "margin < 1 std" + note
    return "ok" + note


#: The ``helpers`` package this process imports: on a Dask worker, the worker's own copy.
HELPERS = Path(helpers.__file__).resolve().parent
#: The most seeds and local processes a sweep takes (a typo must not fill the memory or the CPU).
MOST_SEEDS, MOST_JOBS = 10_000, 64
#: The largest task file read back: a record is a few kilobytes.
LARGEST_RECORD = 1_000_000
#: A Dask scheduler's address: a protocol, a host and perhaps a port, nothing else.
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ucx|inproc)://[A-Za-z0-9_.\-\[\]:]+")


@functools.cache
def code_identity() -> str:
    """A hash of what the values depend on: the ``helpers`` package this process imports, this
    script, the test modules it imports and the CPU-kernel variables. A task records the identity of
    the process that computed it, and only records of this process's identity are read."""
    digest = hashlib.sha256()
    files = {str(path.relative_to(HELPERS.parent)): path for path in sorted(HELPERS.rglob("*.py"))}
    # on a Dask worker, the test modules are the copies uploaded beside this script
    here = Path(__file__).resolve()
    files["seed_sweep.py"] = here
    files.update({path.name: path if path.is_file() else here.with_name(path.name) for path in TEST_CODE})
    for name, path in files.items():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    # The kernels chosen, not the thread counts: every task computes on one thread (one_thread), and
    # the worker processes joblib starts set their own *_NUM_THREADS.
    digest.update(json.dumps({name: os.environ.get(name) for name in ALTERNATIVE_KERNELS}).encode())
    return digest.hexdigest()[:16]


def run_task(task: tuple[str, int]) -> dict:
    """One group of bounds for one seed; an error is returned, not raised, so that one failing
    task does not stop the others. The record says which code and kernels computed it."""
    group, seed = task
    start = time.perf_counter()
    made_by = {}
    try:
        made_by = {"identity": code_identity(), "numerics": describe_numerics()}
        values = {name: float(value) for name, value in measure(group, seed).items()}
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        return {
            "group": group,
            "seed": seed,
            "error": f"{type(error).__name__}: {error} ({where.name}, line {where.lineno})",
            **made_by,
        }
    return {"group": group, "seed": seed, "values": values, "seconds": time.perf_counter() - start, **made_by}


def group_bounds(group: str) -> set[str]:
    """The bounds a task of ``group`` must measure, every one of them."""
    return {name for name in BOUNDS if bound_group(name) == group}


class StoreUnusable(Exception):
    """The results folder cannot keep a task (checked before any is computed)."""


class ResultStore:
    """One JSON file per finished task: ``<folder>/<group>-seed<seed>.json``, each a record of the
    code that computed it (``identity``): the folder is named after this code's identity, and a
    record is read back only if it is whole, of this identity, and has every bound of its group
    as a number (infinite, perhaps, never NaN)."""

    def __init__(self, folder: Path, identity: str):
        self.folder = folder
        self.identity = identity
        self.numerics: dict[tuple[str, int], str] = {}  # the kernels of each task read back

    def path(self, group: str, seed: int) -> Path:
        return self.folder / f"{group}-seed{seed}.json"

    def check(self) -> None:
        """Make the folder and write and remove a file in it, or :class:`StoreUnusable`."""
        probe = self.folder / ".probe.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            cli.write_atomically(probe, lambda stream: stream.write(b"{}"))
            probe.unlink()
        except OSError as error:
            why = f"cannot keep results in {self.folder} ({error.strerror or error})"
            raise StoreUnusable(f"{why}; pass --results with a writable folder") from None

    def load(self, group: str, seed: int) -> dict[str, float] | None:
        """The task's stored values, or None if there is no such record that can be trusted."""
        path = self.path(group, seed)
        try:
            status = path.stat()  # a link is followed: to a regular file only
            if not stat.S_ISREG(status.st_mode) or status.st_size > LARGEST_RECORD:
                return None
            record = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(record, dict) or record.get("identity") != self.identity:
            return None
        if record.get("group") != group or record.get("seed") != seed:
            return None
        values = record.get("values")
        if not isinstance(values, dict) or set(values) != group_bounds(group):
            return None
        numbers = [value for value in values.values() if type(value) in (int, float)]
        # an infinite value is an outcome (a run that diverged, a spike that never came), NaN is not
        if len(numbers) != len(values) or any(math.isnan(value) for value in numbers):
            return None
        self.numerics[group, seed] = str(record.get("numerics", "unknown kernels"))
        return {name: float(value) for name, value in values.items()}

    def save(self, record: dict) -> str | None:
        """Keep a finished task, written under a temporary name and renamed (a reader never sees
        half a file); or say in one line why it is not kept."""
        if record.get("identity") != self.identity:
            return (
                f"{record['group']} seed {record['seed']} was computed by other code or kernels "
                f"({record.get('numerics', 'unknown')}, identity {record.get('identity')}, here {self.identity}): "
                "not kept; give every worker this book's helpers and kernel settings"
            )
        data = json.dumps(record).encode()
        try:
            cli.write_atomically(self.path(record["group"], record["seed"]), lambda stream: stream.write(data))
        except OSError as error:
            return f"{record['group']} seed {record['seed']} could not be kept in {self.folder} ({error})"
        return None


class SchedulerUnreachable(Exception):
    pass


def dask_client(address: str):
    """A client of the Dask scheduler at ``address``, its workers sent this script and the test
    data builders (they need this book's ``helpers`` installed)."""
    from dask.distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {address} ({error}); start one (CONTRIBUTING.md: Every machine, "
            "every seed), or leave out --scheduler to run here"
        ) from None
    for path in (Path(__file__).resolve(), *TEST_CODE):
        client.upload_file(str(path), load=False)
    return client


def run_tasks(tasks, store: ResultStore, jobs: int, scheduler: str | None) -> list[str]:
    """Compute the tasks, storing each as it finishes; the failures, one line each."""
    failures = []
    client = dask_client(scheduler) if scheduler else None
    try:
        outcomes = map_parallel(run_task, tasks, jobs, unordered=True, backend="dask" if client else None)
        for outcome in tqdm(outcomes, total=len(tasks), desc="tasks", file=sys.stderr):
            if "error" in outcome:
                failures.append(f"{outcome['group']} seed {outcome['seed']} failed: {outcome['error']}")
                tqdm.write(f"error: {failures[-1]}", file=sys.stderr)
            elif refused := store.save(outcome):
                failures.append(refused)
                tqdm.write(f"error: {refused}", file=sys.stderr)
    finally:
        if client is not None:
            client.close()
    return failures


def main(argv=None) -> int:
    parser = cli.OneLineParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=cli.whole_number, default=10, help="run seeds 0..N-1 (default 10)")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(GROUPS), default=sorted(GROUPS), help="only these groups of bounds"
    )
    parser.add_argument("--jobs", type=cli.whole_number, default=2, help="local worker processes (default 2)")
    parser.add_argument(
        "--scheduler",
        default=os.environ.get(SCHEDULER_VARIABLE),
        help=f"a Dask scheduler's address, tcp://HOST:8786 (default: ${SCHEDULER_VARIABLE}; none: run locally)",
    )
    parser.add_argument(
        "--results", type=Path, default=ROOT / "_build" / "seed-sweep", help="where finished tasks are kept"
    )
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error("--seeds must be at least 2 (a spread needs two runs)")
    if args.seeds > MOST_SEEDS:
        parser.error(f"--seeds must be at most {MOST_SEEDS:,}")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.jobs > MOST_JOBS:
        parser.error(f"--jobs must be at most {MOST_JOBS} (local processes)")
    if args.scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(args.scheduler):
        given = "--scheduler" if "--scheduler" in (argv or sys.argv) else f"${SCHEDULER_VARIABLE}"
        parser.error(f"{given} {args.scheduler!r} is not a Dask scheduler's address, such as tcp://HOST:8786")
    identity = code_identity()
    store = ResultStore(args.results / identity, identity)
    tasks = [(group, seed) for group in args.only for seed in range(args.seeds)]
    todo = [task for task in tasks if store.load(*task) is None]
    try:
        store.check()
    except StoreUnusable as error:
        return cli.print_error(error)
    args.jobs = min(args.jobs, max(len(todo), 1))
    where = f"the Dask scheduler at {args.scheduler}" if args.scheduler else f"{args.jobs} local processes"
    print(f"# seed sweep over seeds 0..{args.seeds - 1}")
    print(
        f"# {len(tasks) - len(todo)} of {len(tasks)} tasks already done in {store.folder}; "
        f"computing {len(todo)} on {where}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    # loky replaces a worker whose memory grew by 300 MB (a task that loaded MNIST or CIFAR-10)
    # once its task is done, and says so; no task is lost, so the warning only adds noise
    warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
    try:
        failures = run_tasks(todo, store, args.jobs, args.scheduler) if todo else []
    except SchedulerUnreachable as error:
        return cli.print_error(error)
    except KeyboardInterrupt:
        done = sum(store.load(*task) is not None for task in tasks)
        print(
            f"interrupted: {done} of {len(tasks)} tasks are kept in {store.folder}; "
            "run the same command again to compute the rest",
            file=sys.stderr,
        )
        return cli.EXIT_INTERRUPTED
    print(f"# {len(todo)} tasks in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if failures:
        print(f"error: {len(failures)} of {len(tasks)} tasks failed (above); run again to retry them", file=sys.stderr)
        return 1
    measured: dict[str, list[float]] = {}
    for group, seed in tasks:  # the table comes from the stored results, in seed order
        for name, value in store.load(group, seed).items():
            measured.setdefault(name, []).append(value)
    missing = [name for name in BOUNDS if bound_group(name) in args.only and name not in measured]
    unknown = [name for name in measured if name not in BOUNDS]
    if missing or unknown:
        print(f"error: bounds without a sweep {missing}, sweeps without a bound {unknown}", file=sys.stderr)
        return 1
    for numerics in sorted(set(store.numerics.values())):  # the kernels that computed the table
        print(f"# computed with {numerics}")
    print("| assertion | bound | min | mean | std | max | margin (std) | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    broken = 0
    for name, values in measured.items():
        values = np.array(values)
        bound = BOUNDS[name]
        mean, std = spread(values)
        print(
            f"| {name} | {bound.op} {bound.bound:g} | {values.min():.4g} | {mean:.4g} | "
            f"{std:.2g} | {values.max():.4g} | {margin(name, values):.1f} | {verdict(name, values)} |"
        )
        broken += not verdict(name, values).startswith("ok")
    return 1 if broken else 0


if __name__ == "__main__":
    # Run as the module `seed_sweep` (this folder is first on the path), not as __main__: worker
    # processes then import its functions by name instead of receiving copies of them.
    import seed_sweep

    sys.exit(seed_sweep.main())
