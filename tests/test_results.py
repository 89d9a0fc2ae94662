"""Chapters save their numbers, with what produced them, where the reproduction report reads them
back; the report refuses, in one line naming the file, any results it cannot vouch for."""

import json
import math

import pytest

from helpers import results
from helpers.results import (
    ENV_VAR,
    EXPECTED_RUNS_VAR,
    PAGE_VAR,
    RUN_SECONDS,
    RUN_VAR,
    MissingResults,
    ResultsError,
    load_results,
    results_dir,
    save_results,
)

SEEDS = range(3)
VALUES = {"accuracy": [41.5, 40.0, 42.0], "gradient error": 1e-15}


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A results folder, as a test run sets it: its own folder and run."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    monkeypatch.setenv(RUN_VAR, "this-run")
    monkeypatch.delenv(PAGE_VAR, raising=False)
    monkeypatch.delenv(EXPECTED_RUNS_VAR, raising=False)
    return tmp_path


def one_line_refusal(chapter="ch", seeds=SEEDS) -> str:
    with pytest.raises(ResultsError) as refused:
        load_results(chapter, seeds=seeds)
    (line,) = refused.value._render_traceback_()  # what a notebook cell shows: one line
    assert "\n" not in line
    return line


def edit(path, change):
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record))


def test_results_outside_a_build_or_test_run_go_to_the_books_notebook_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    chapter_dir = tmp_path / "book"
    chapter_dir.mkdir()
    monkeypatch.chdir(chapter_dir)  # chapters run with book/ as their working directory
    assert results_dir() == tmp_path / "_build" / "notebook-results"  # never the build's _build/results


def test_this_test_run_saves_in_a_folder_of_its_own():
    """The root conftest.py gives pytest (and the chapters nbval runs) their own folder and run."""
    assert "_build" not in results_dir().parts
    assert results.os.environ[RUN_VAR].startswith("pytest-")


def test_saved_results_read_back_as_plain_floats_with_their_provenance(store, monkeypatch):
    import numpy as np

    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    path = save_results("ch", {"accuracy": np.float32(41.5) * np.ones(3), "epochs": 3}, seeds=SEEDS)
    loaded = load_results("ch", seeds=SEEDS)
    seconds = loaded.pop(RUN_SECONDS)  # how long the run took before it saved
    assert loaded == {"accuracy": [41.5] * 3, "epochs": 3.0} and seconds > 0
    record = json.loads(path.read_text())
    assert (record["run"], record["seeds"], record["numerics"]["ATEN_CPU_CAPABILITY"]) == (
        "this-run",
        [0, 1, 2],
        "default",
    )
    assert "helpers/results.py" in record["helpers"]  # the code that saved them, by sha256
    assert list(store.iterdir()) == [path]  # no temporary file left behind


def test_missing_results_name_the_chapter_and_what_to_do(store):
    with pytest.raises(MissingResults, match="no results of chapter 'ch03_cifar_one_layer'.*run that chapter first"):
        load_results("ch03_cifar_one_layer", seeds=SEEDS)


@pytest.mark.parametrize(
    "damage, refusal",
    [
        (lambda path: path.write_text(path.read_text()[:40]), "is not valid JSON"),  # truncated
        (lambda path: path.write_text("{"), "is not valid JSON"),
        (lambda path: path.write_bytes(b"\xff\xfe"), "is not valid JSON"),
        (lambda path: path.write_text("[1, 2]"), "is not a results file of this book"),
        (lambda path: edit(path, lambda r: r.pop("seeds")), "'seeds' missing or wrong"),
        (lambda path: edit(path, lambda r: r["values"].update(accuracy=r["values"]["accuracy"][:2])), "short"),
        (lambda path: edit(path, lambda r: r.update(seeds=[0, 1])), "short, over seeds [0, 1], not [0, 1, 2]"),
        (lambda path: path.write_text(path.read_text().replace("41.5", "NaN")), "not finite"),
        (lambda path: edit(path, lambda r: r["values"].update(accuracy=[1, "2", 3])), "not finite numbers"),
        (lambda path: edit(path, lambda r: r.update(run="pytest-another")), "foreign, saved by another test run"),
        (lambda path: edit(path, lambda r: r.update(run=None)), "foreign, saved by a run outside the build"),
        (lambda path: edit(path, lambda r: r["numerics"].update(OPENBLAS_CORETYPE="Zen")), "other CPU kernels"),
        (lambda path: edit(path, lambda r: r["helpers"].update({"helpers/results.py": "0" * 64})), "stale"),
    ],
    ids=[
        "truncated",
        "brace",
        "binary",
        "not-a-record",
        "no-seeds",
        "short-list",
        "other-seeds",
        "nan",
        "text",
        "another-test-run",
        "notebook-run",
        "other-kernels",
        "changed-helpers",
    ],
)
def test_a_damaged_or_foreign_file_is_refused_in_one_line_naming_it(store, damage, refusal):
    path = save_results("ch", VALUES, seeds=SEEDS)
    damage(path)
    line = one_line_refusal()
    assert str(path) in line and refusal in line, line


def test_in_a_build_only_the_run_shown_on_the_chapters_page_is_accepted(store, monkeypatch):
    monkeypatch.setenv(RUN_VAR, "build-1")
    monkeypatch.setenv(PAGE_VAR, "book/ch")
    save_results("ch", VALUES, seeds=SEEDS)
    monkeypatch.setenv(RUN_VAR, "build-2")  # a later build executes only the report page
    monkeypatch.setenv(PAGE_VAR, "book/report")
    monkeypatch.setenv(EXPECTED_RUNS_VAR, json.dumps({"book/ch": "build-1"}))
    assert load_results("ch", seeds=SEEDS).keys() == {*VALUES, RUN_SECONDS}
    monkeypatch.setenv(EXPECTED_RUNS_VAR, json.dumps({"book/ch": "build-2"}))  # its page shows build-2's run
    assert "stale, saved by an earlier run of book/ch" in one_line_refusal()
    monkeypatch.setenv(EXPECTED_RUNS_VAR, json.dumps({"book/other": "build-1"}))
    assert "foreign, saved by a build's run of book/ch" in one_line_refusal()


def test_a_run_that_diverged_saves_nothing(store):
    with pytest.raises(ResultsError, match="'accuracy' = \\[1.0, nan, 2.0\\], not finite: a run diverged"):
        save_results("ch", {"accuracy": [1.0, math.nan, 2.0]}, seeds=SEEDS)
    with pytest.raises(ResultsError, match="'accuracy' has 2 numbers for 3 seeds"):
        save_results("ch", {"accuracy": [1.0, 2.0]}, seeds=SEEDS)
    assert list(store.iterdir()) == []


def deep(path):
    path.write_text("[" * 100_000 + "]" * 100_000)


def fifo(path):
    path.unlink()
    import os

    os.mkfifo(path)


def link_to_zero(path):
    path.unlink()
    path.symlink_to("/dev/zero")


def folder(path):
    path.unlink()
    path.mkdir()


def sparse(path):
    with path.open("r+b") as file:
        file.truncate(1 << 30)


@pytest.mark.parametrize(
    "damage, refusal",
    [
        (deep, "is not valid JSON"),
        (lambda path: path.write_text(path.read_text().replace("41.5", "1" * 400)), "not finite numbers"),
        (lambda path: edit(path, lambda r: r.update(helpers={})), "'helpers' empty or wrong"),
        (lambda path: edit(path, lambda r: r["helpers"].update({"/etc/passwd": "0"})), "'helpers' empty or wrong"),
        (lambda path: edit(path, lambda r: r["helpers"].update({"helpers/../x.py": "0"})), "'helpers' empty or wrong"),
        (fifo, "is not a regular file"),
        (link_to_zero, "is not a regular file"),
        (folder, "is not a regular file"),
        (sparse, "larger than 10,000,000 bytes"),
    ],
    ids=["deep", "huge-int", "no-helpers", "absolute-helpers", "escaping-helpers", "fifo", "dev-zero", "dir", "1GB"],
)
def test_a_hostile_results_file_is_refused_in_one_line_quickly(store, damage, refusal):
    import time

    path = save_results("ch", VALUES, seeds=SEEDS)
    damage(path)
    start = time.monotonic()
    line = one_line_refusal()
    assert str(path) in line and refusal in line and time.monotonic() - start < 2, line


def test_a_malformed_list_of_expected_runs_is_one_line(store, monkeypatch):
    save_results("ch", VALUES, seeds=SEEDS)
    monkeypatch.setenv(EXPECTED_RUNS_VAR, "{not json")
    assert "$LESSONS_EXPECTED_RUNS is not a JSON object" in one_line_refusal()


@pytest.mark.parametrize("chapter", ["../escaped", "/tmp/x", "ch/../../y", ""])
def test_a_chapter_name_that_is_a_path_is_refused(store, chapter):
    with pytest.raises(ResultsError, match="is not a chapter's name"):
        save_results(chapter, VALUES, seeds=SEEDS)
    with pytest.raises(ResultsError, match="is not a chapter's name"):
        load_results(chapter, seeds=SEEDS)
    assert list(store.iterdir()) == [] and not (store.parent / "escaped.json").exists()  # nothing written
