"""The three trainers share one command-line style, keep the original projects' spellings, and meet
hostile numbers, damaged data and Ctrl-C with one line and the exit statuses of helpers.cli."""

import importlib
import os
import signal
import subprocess
import sys
import time

import pytest

TRAINERS = ["helpers.ch01_regression_argmax", "helpers.ch03_cifar_one_layer", "helpers.ch04_limits_of_linearity"]


def parser_of(package):
    return importlib.import_module(f"{package}.__main__").build_parser()


@pytest.mark.parametrize("package", TRAINERS)
def test_every_flag_has_a_kebab_case_spelling_shown_first(package):
    for action in parser_of(package)._actions:
        if action.option_strings and action.dest != "help":
            first = action.option_strings[0]
            assert first.startswith("--") and "_" not in first and first.lower() == first, first


#: Each trainer's command line in the original project's spellings.
ORIGINAL_COMMANDS = {
    "helpers.ch01_regression_argmax": "--lr 0.2 --momentum 0.5 --data_seed 3 --epoches 7 --save_checkpoints "
    "--save_checkpoint_dir a --save_logits --save_logit_dir b --init_seed 4",
    "helpers.ch04_limits_of_linearity": "--model mlp --loss crossentropy --hidden 8 --dropout 0.5 --batchnorm "
    "--epochs 2 --batch_size 16 --mse_on logits",
}


def in_kebab_case(args: list[str]) -> list[str]:
    """The same command in the book's style: ``--data_seed`` -> ``--data-seed``, ``--epoches`` -> ``--epochs``."""
    return ["--epochs" if a == "--epoches" else a.replace("_", "-") if a.startswith("--") else a for a in args]


@pytest.mark.parametrize("package", ORIGINAL_COMMANDS)
def test_the_original_projects_spellings_mean_the_same(package):
    parser, original = parser_of(package), ORIGINAL_COMMANDS[package].split()
    kebab = in_kebab_case(original)
    assert kebab != original
    assert parser.parse_args(original) == parser.parse_args(kebab) != parser.parse_args([])


# What every trainer does with hostile input: one line, its own exit status (helpers.cli), bounded
# time and memory. The data sets are the small ones of data_files, which the loaders are told to expect.

MAX_SECONDS, MAX_MB = 10, 1024


def run_trainer(package, *flags, data_dir, tmp_path):
    from data_files import command_with_sizes
    from processes import run_measured

    env = {**os.environ, "LESSONS_DATA": str(data_dir)}
    outcome = run_measured(command_with_sizes(package, *flags), env=env, cwd=tmp_path)
    assert outcome.seconds < MAX_SECONDS and outcome.peak_mb < MAX_MB, (outcome.seconds, outcome.peak_mb)
    return outcome


#: (trainer, flags, exit status, what the line says)
HOSTILE_RUNS = {
    "ch3 seed -1": ("helpers.ch03_cifar_one_layer", ["--seed", "-1"], 2, "--seed must be in 0..4294967295"),
    "ch3 lr 1e308": ("helpers.ch03_cifar_one_layer", ["--lr", "1e308"], 2, "--lr must be in (0, 1e+06]"),
    "ch3 lam 1e308": ("helpers.ch03_cifar_one_layer", ["--lam", "1e308"], 2, "--lam must be in [0, 1e+06]"),
    "ch3 batch 1e29": ("helpers.ch03_cifar_one_layer", ["--batch-size", "1" + "0" * 29], 2, "--batch-size must be in"),
    "ch3 diverging lam": ("helpers.ch03_cifar_one_layer", ["--lam", "1e6", "--epochs", "50"], 3, "diverged at epoch "),
    "ch4 hidden 1e12": ("helpers.ch04_limits_of_linearity", ["--hidden", "1000000000000"], 2, "--hidden must be in"),
    "ch4 batch 1e29": ("helpers.ch04_limits_of_linearity", ["--batch_size", "1" + "0" * 29], 2, "--batch-size must"),
    "ch4 seed 2**64": ("helpers.ch04_limits_of_linearity", ["--seed", str(2**64)], 2, "--seed must be in"),
    "ch4 BatchNorm batch of 1": (
        "helpers.ch04_limits_of_linearity",
        ["--model", "mlp", "--batchnorm", "--batch-size", "1"],
        2,
        ">= 2 with --batchnorm",
    ),
    "ch4 BatchNorm last batch of 1": (  # 18 of the 20 images train (the original's split), in batches of 17
        "helpers.ch04_limits_of_linearity",
        ["--model", "mlp", "--batchnorm", "--batch-size", "17"],
        2,
        "leaves a last batch of 1 of the 18 training images",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_RUNS)
def test_hostile_numbers_are_one_line_with_their_own_status(case, data_dir, tmp_path):
    package, flags, status, message = HOSTILE_RUNS[case]
    outcome = run_trainer(package, *flags, data_dir=data_dir, tmp_path=tmp_path)
    assert outcome.status == status and message in outcome.one_line_error()


@pytest.mark.parametrize(
    "package, damaged",
    [
        ("helpers.ch03_cifar_one_layer", "cifar-10/cifar-10-batches-py/data_batch_2"),
        ("helpers.ch04_limits_of_linearity", "mnist/t10k-labels-idx1-ubyte.gz"),
    ],
)
def test_damaged_or_misplaced_data_is_one_line_and_status_1(package, damaged, data_dir, tmp_path):
    (data_dir / damaged).unlink()
    (data_dir / damaged).mkdir()  # a folder where the file belongs
    outcome = run_trainer(package, "--epochs", "1", data_dir=data_dir, tmp_path=tmp_path)
    assert outcome.status == 1 and "is a folder, not a data file" in outcome.one_line_error()


@pytest.mark.parametrize("package", [TRAINERS[0], TRAINERS[2]])  # the two that load PyTorch: a second
def test_ctrl_c_while_starting_is_one_line(package, tmp_path):
    run = subprocess.Popen(
        [sys.executable, "-m", package], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.3)  # importing numpy and PyTorch takes about a second
    run.send_signal(signal.SIGINT)
    assert run.wait(timeout=30) == 130
    assert run.stderr.read().splitlines() == ["error: interrupted while starting; nothing was written"]


@pytest.mark.parametrize("package", TRAINERS[1:])
def test_ctrl_c_twice_while_training_is_one_line(package, data_dir, tmp_path):
    from data_files import command_with_sizes

    env = {**os.environ, "LESSONS_DATA": str(data_dir), "PYTHONUNBUFFERED": "1"}
    flags = ["--epochs", "1000" if "ch04" in package else "10000"]
    flags += ["--model", "mlp", "--hidden", "8"] if "ch04" in package else []
    run = subprocess.Popen(
        command_with_sizes(package, *flags), env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if "ch04" in package:
        run.stdout.readline()  # its first line: the model is built, training starts
    else:
        time.sleep(1.5)  # of the ~3 s that 10,000 epochs on 10 images take
    for _ in range(2):
        run.send_signal(signal.SIGINT)
        time.sleep(0.001)
    assert run.wait(timeout=30) == 130
    assert run.stderr.read().decode().splitlines() == ["error: interrupted; nothing was written"]


def test_an_unexpected_error_is_one_line_that_asks_for_a_report(monkeypatch, capsys):
    from helpers import cli

    def broken():
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv(cli.TRACEBACK_VAR, raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.run(broken, "nothing was written")
    line = capsys.readouterr().err
    assert exit_.value.code == 1 and line.count("\n") == 1
    assert "unexpected ZeroDivisionError: division by zero. This is a bug" in line


def test_a_file_written_atomically_has_the_mode_open_would_give_it(tmp_path):
    """Not the temporary file's owner-only mode: a results file or a published notebook must be
    readable by whoever the umask lets read it (a web server serving the site, say)."""
    import stat

    from helpers.cli import write_atomically

    write_atomically(tmp_path / "out.json", lambda stream: stream.write(b"{}"))
    (tmp_path / "plain.json").write_bytes(b"{}")
    mode = stat.S_IMODE((tmp_path / "plain.json").stat().st_mode)
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == mode
