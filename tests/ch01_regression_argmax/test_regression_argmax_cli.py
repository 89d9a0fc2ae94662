"""``python -m helpers.ch01_regression_argmax``: files that load back, reproducibility, refused flags
(folders, Ctrl-C, divergence and extreme numbers: test_hostile_runs.py)."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from helpers.ch01_regression_argmax import TrainConfig, load_logits, make_model, train
from helpers.ch01_regression_argmax.__main__ import main


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "helpers.ch01_regression_argmax", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_saved_checkpoints_and_logits_load_back(tmp_path):
    result = run_cli(
        "--epochs",
        "20",
        "--lr",
        "0.2",
        "--save_checkpoints",
        "--save_checkpoint_dir",
        "ck",
        "--save_logits",
        "--save_logit_dir",
        "lg",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    checkpoints = sorted((tmp_path / "ck").iterdir())
    assert [p.name for p in checkpoints[:2]] == ["epoch_000.pt", "epoch_001.pt"] and len(checkpoints) == 21

    saved = load_logits(tmp_path / "lg" / "logits.npz")
    assert saved.logits.shape == (21, len(saved.grid), 3) and saved.logits.dtype == np.float32
    assert saved.loss.shape == saved.accuracy.shape == (21,)
    assert saved.x.shape == saved.y.shape == (300,)
    assert saved.config["lr"] == 0.2 and saved.config["epochs"] == 20

    # each checkpoint is the network whose logits were saved for that epoch
    model = make_model(saved.config["hidden"], saved.config["init_seed"])
    for epoch in (0, 7, 20):
        model.load_state_dict(torch.load(checkpoints[epoch], weights_only=True))
        with torch.no_grad():
            logits = model(torch.from_numpy(saved.grid[:, None])).numpy()
        np.testing.assert_allclose(logits, saved.logits[epoch], rtol=1e-5, atol=1e-6)
    assert f"{saved.accuracy[-1]:.1%}" in result.stdout
    # and they are the run chapter 1 trains with the same settings
    run = train(TrainConfig(lr=0.2, epochs=20))
    np.testing.assert_allclose(saved.logits, run.grid_logits, rtol=1e-6)
    np.testing.assert_allclose(saved.grid, run.grid)


def test_same_seed_same_logits_other_seed_other_logits(tmp_path):
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        assert (
            run_cli(
                "--epochs", "10", "--data_seed", seed, "--save_logits", "--save_logit_dir", name, cwd=tmp_path
            ).returncode
            == 0
        )
    a, b, c = (load_logits(tmp_path / name / "logits.npz").logits for name in "abc")
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_epoches_is_the_original_spelling_of_epochs(tmp_path):
    result = run_cli("--epoches", "3", "--save_logits", cwd=tmp_path)
    assert result.returncode == 0 and load_logits(tmp_path / "logits/logits.npz").logits.shape[0] == 4


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--lr", "0"], "--lr must be in (0, 1e+06]"),
        (["--lr", "-0.5"], "--lr must be in (0, 1e+06]"),
        (["--lr", "fast"], "'fast' is not a number"),
        (["--lr", "inf"], "not a finite number"),
        (["--momentum", "1"], "--momentum must be in [0, 1)"),
        (["--momentum", "-0.1"], "--momentum must be in [0, 1)"),
        (["--epochs", "0"], "--epochs must be in 1..10,000 when saving"),
        (["--epoches", "2.5"], "'2.5' is not a whole number"),
        (["--data_seed", "x"], "'x' is not a whole number"),
    ],
)
def test_bad_flags_are_refused_in_one_line_and_write_nothing(tmp_path, flags, message, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # in-process: the same parser and exit as the command, without a torch import
    with pytest.raises(SystemExit) as exit_:
        main(["--save_checkpoints", "--save_logits", *flags])
    stderr = capsys.readouterr().err
    assert exit_.value.code == 2
    assert stderr.count("\n") == 1 and message in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_flag_from_the_shell_is_one_line_without_traceback(tmp_path):
    result = run_cli("--momentum", "1.5", "--save_logits", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_documents_every_flag(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    for flag in (
        "--lr",
        "--momentum",
        "--data_seed",
        "--epoches",
        "--epochs",
        "--save_checkpoints",
        "--save_checkpoint_dir",
        "--save_logits",
        "--save_logit_dir",
    ):
        assert flag in result.stdout
