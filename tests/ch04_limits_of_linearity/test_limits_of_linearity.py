"""Chapter 4's models, training protocol, least squares and CLI, on tiny data."""

import subprocess

import pytest
import torch
from bounded_training import STAGES, least_squares_vs_adam, stage_on_separable_data
from data_files import command_with_sizes, make_dataset_dir, separable_data
from torch import nn

from helpers.bounds import check
from helpers.ch04_limits_of_linearity import (
    StageConfig,
    all_training_images_standardised,
    build_model,
    count_parameters,
    describe,
    load_tensors,
    train_stage,
)
from helpers.ch04_limits_of_linearity.__main__ import main
from helpers.ch04_limits_of_linearity.convergence import fluctuation, steps_to_loss
from helpers.data import load_mnist


def test_architectures_have_the_documented_layers_and_sizes():
    assert count_parameters(build_model("linear")) == 784 * 10 + 10
    assert count_parameters(build_model("mlp")) == 784 * 256 + 256 + 256 * 10 + 10
    bn = build_model("mlp", batchnorm=True)
    assert count_parameters(bn) == count_parameters(build_model("mlp")) + 2 * 256
    assert describe(bn) == "784 -> Linear(256) -> BatchNorm -> ReLU -> Linear(10)"
    assert describe(build_model("mlp", dropout=0.5)) == "784 -> Linear(256) -> ReLU -> Dropout(0.5) -> Linear(10)"
    with pytest.raises(ValueError, match="model must be"):
        build_model("cnn")


@pytest.mark.parametrize("config", STAGES)
def test_every_stage_learns_and_records_each_epoch(config):
    result, loss_change, accuracy = stage_on_separable_data(config)
    assert [row["epoch"] for row in result.history] == [1, 2, 3, 4]
    check("tests: every MNIST stage on separable data, last epoch's loss minus the first's", loss_change)
    check("tests: every MNIST stage on separable data, test accuracy", accuracy)


def test_the_same_seed_gives_the_same_run():
    config = StageConfig("mlp", hidden=16, dropout=0.5, epochs=2, batch_size=64)
    a, b = train_stage(config, separable_data()), train_stage(config, separable_data())
    assert [row["test_loss"] for row in a.history] == [row["test_loss"] for row in b.history]


def test_least_squares_is_the_optimum_of_linear_mse():
    (data, weights, bias, best), gap = least_squares_vs_adam()
    check("tests: least squares, training MSE minus Adam's", gap)
    targets = nn.functional.one_hot(data.y_train, 10).float()
    for _ in range(3):  # and any nearby weights do worse
        nudged = weights + 1e-3 * torch.randn_like(weights)
        assert nn.functional.mse_loss(data.x_train @ nudged.T + bias, targets) > best


def test_tensors_are_split_and_scaled_as_the_original_project_does(tmp_path, small_sizes):
    """Pixels in 0..1 as ToTensor() gives them, and random_split's draw under torch.manual_seed(seed):
    int(10 %) of the training images for validation, the rest for training, none lost or repeated;
    another seed, another split."""
    folder = make_dataset_dir(tmp_path / "data")
    images = torch.from_numpy(load_mnist("train", folder).images.reshape(20, -1)).float() / 255
    splits = []
    for seed in (42, 3):  # the original's default, and one of the book's
        data = load_tensors(seed, folder)
        assert data.x_train.shape == (18, 784) and data.x_val.shape == (2, 784) and data.x_test.shape == (10, 784)
        assert 0 <= data.x_train.min() and data.x_train.max() <= 1
        torch.manual_seed(seed)  # the original's seed, then its split
        fit, val = torch.utils.data.random_split(range(20), [18, 2])
        assert torch.equal(data.x_train, images[list(fit)]) and torch.equal(data.x_val, images[list(val)])
        splits.append(list(val))
    assert splits[0] != splits[1]


def test_the_earlier_protocol_trains_on_every_image_standardised(tmp_path, small_sizes):
    data = all_training_images_standardised(make_dataset_dir(tmp_path / "data"))
    assert data.x_train.shape == (20, 784) and len(data.x_val) == 0
    assert abs(data.x_train.mean().item()) < 1e-5 and abs(data.x_train.std().item() - 1) < 1e-5


def test_convergence_statistics_read_the_running_loss():
    falling = [1.0] * 10 + [0.05] * 10
    # steps 9..12 average (1 + 1 + .05 + .05) / 4 = 0.525; steps 10..13, (1 + 3 * .05) / 4 = 0.29
    assert steps_to_loss(falling, level=0.5, window=4) == 13
    assert steps_to_loss([1.0] * 20, level=0.5, window=4) == 21  # never: one past the last step
    assert fluctuation([1.0, 1.0, 1.0, 1.0], steps=4) == 0.0
    assert fluctuation([1.0, 3.0, 1.0, 3.0], steps=4) > fluctuation([1.0, 1.5, 1.0, 1.5], steps=4)
    assert fluctuation([5.0, 1.0, 3.0, 1.0, 3.0], steps=4) == fluctuation([1.0, 3.0, 1.0, 3.0], steps=4)


def test_cli_prints_a_line_per_epoch_and_ends_with_the_test_accuracy(tmp_path):
    env = {"LESSONS_DATA": str(make_dataset_dir(tmp_path / "data")), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        command_with_sizes(
            "helpers.ch04_limits_of_linearity",
            "--model",
            "mlp",
            "--hidden",
            "8",
            "--epochs",
            "2",
            "--batch_size",
            "4",
        ),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines[1:3]] == ["epoch 1/2", "epoch 2/2"]
    assert lines[-1].startswith("test accuracy: ") and lines[-1].endswith("%")


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--model", "cnn"], "invalid choice: 'cnn'"),
        (["--loss", "hinge"], "invalid choice: 'hinge'"),
        (["--epochs", "0"], "--epochs must be in 1..1,000"),
        (["--dropout", "1"], "--dropout must be in [0, 1)"),
        (["--dropout", "-0.1"], "--dropout must be in [0, 1)"),
        (["--hidden", "0"], "--hidden must be in 1..10,000"),
        (["--lr", "0"], "--lr must be in (0, 1e+06]"),
        (["--epochs", "two"], "'two' is not a whole number"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--model", "mlp", *flags] if flags[0] != "--model" else flags)
    stderr = capsys.readouterr().err
    assert exit_.value.code == 2 and stderr.count("\n") == 1 and message in stderr


def test_missing_data_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LESSONS_DATA", str(tmp_path))
    assert main(["--epochs", "1"]) == 1
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "MNIST: missing" in stderr


def test_without_curves_only_the_last_epoch_is_measured_and_it_is_the_same():
    data = separable_data()
    config = StageConfig(model="mlp", hidden=16, dropout=0.5, epochs=3, batch_size=32, seed=2)
    with_curves, without = train_stage(config, data), train_stage(config, data, curves=False)
    assert [row["epoch"] for row in without.history] == [3]
    assert without.history[-1] | {"seconds": 0} == with_curves.history[-1] | {"seconds": 0}  # no random draws
    assert without.batch_losses == with_curves.batch_losses and len(without.batch_losses) == 3 * 8


def test_without_relu_the_two_layers_are_one_linear_map():
    model = build_model("mlp", hidden=16, relu=False)
    assert describe(model) == "784 -> Linear(16) -> Linear(10)"
    assert count_parameters(model) == count_parameters(build_model("mlp", hidden=16))
    first, second = model
    x = torch.randn(5, 784)
    with torch.no_grad():
        collapsed = x @ (second.weight @ first.weight).T + second.weight @ first.bias + second.bias
        assert torch.allclose(model(x), collapsed, atol=1e-5)


def test_a_stage_without_relu_trains_and_records_the_optimiser_it_used():
    config = StageConfig("mlp", hidden=16, relu=False, epochs=1, batch_size=64, lr=2e-3)
    result = train_stage(config, separable_data(), curves=False)
    assert not any(isinstance(layer, nn.ReLU) for layer in result.model)
    settings = result.optimizer_settings
    assert settings["lr"] == 2e-3 and settings["betas"] == (0.9, 0.999) and settings["eps"] == 1e-8
    assert settings["weight_decay"] == 0


def test_relu_figure_labels_both_panels():
    from helpers.ch04_limits_of_linearity.figures import relu_figure

    fig = relu_figure()
    assert [ax.get_xlabel() for ax in fig.axes] == ["pre-activation z"] * 2
    assert all(ax.get_ylabel() for ax in fig.axes)
    x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    torch.relu(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]  # what the figure draws, at 0 too
