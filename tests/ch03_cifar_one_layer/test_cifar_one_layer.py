"""Chapter 3's one-layer network: hand-written gradients, splits, flips, training and the CLI."""

import subprocess
from dataclasses import replace

import numpy as np
import pytest
from bounded_training import three_cifar_epochs, tiny_cifar_splits
from data_files import command_with_sizes, make_dataset_dir

from helpers.bounds import check
from helpers.ch03_cifar_one_layer import (
    TrainConfig,
    flip_horizontal,
    gradients,
    init_params,
    load_splits,
    loss_and_cost,
    train,
)
from helpers.ch03_cifar_one_layer.__main__ import main
from helpers.ch03_cifar_one_layer.gradcheck import autograd_gradients, numeric_gradients
from helpers.cifar_one_layer.model import mirror_symmetry, roughness, winning_confidence
from helpers.cifar_one_layer.search import PLATEAU, final_runs
from helpers.cifar_one_layer.training import Schedule, train_together
from helpers.gradcheck import relative_error
from helpers.parallel import map_seeds


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    W, b = init_params(seed, std=0.5)
    b = rng.normal(size=10)
    return W, b, rng.normal(size=(20, 3072)), rng.integers(0, 10, 20)


@pytest.mark.parametrize("loss", ["crossentropy", "mbce"])
@pytest.mark.parametrize("lam", [0.0, 0.1])
def test_hand_written_gradients_match_autograd_in_float64(loss, lam):
    W, b, X, y = small_problem()
    ours, reference = gradients(W, b, X, y, lam, loss), autograd_gradients(W, b, X, y, lam, loss)
    assert relative_error(ours[0], reference[0]) <= 1e-12
    assert relative_error(ours[1], reference[1]) <= 1e-12


@pytest.mark.parametrize("loss", ["crossentropy", "mbce"])
def test_hand_written_gradients_match_finite_differences(loss):
    W, b, X, y = small_problem(1)
    rng = np.random.default_rng(2)
    weights = [(int(k), int(j)) for k, j in zip(rng.integers(0, 10, 30), rng.integers(0, 3072, 30))]
    grad_W, grad_b = gradients(W, b, X, y, 0.1, loss)
    numeric_W, numeric_b = numeric_gradients(W, b, X, y, 0.1, loss, weights)
    assert np.abs(np.array([grad_W[i] for i in weights]) - numeric_W).max() <= 1e-6
    assert np.abs(grad_b - numeric_b).max() <= 1e-6


def test_cost_is_loss_plus_the_l2_penalty():
    W, b, X, y = small_problem()
    loss, cost = loss_and_cost(W, b, X, y, 0.5, "crossentropy")
    assert cost == pytest.approx(loss + 0.5 * np.sum(W**2))


def test_flip_mirrors_each_channel_left_to_right():
    x = np.arange(2 * 3072, dtype=float).reshape(2, 3072)
    flipped = flip_horizontal(x)
    channel, row, col = 2, 5, 3
    assert flipped[1, channel * 1024 + row * 32 + col] == x[1, channel * 1024 + row * 32 + (31 - col)]
    np.testing.assert_array_equal(flip_horizontal(flipped), x)


def test_splits_follow_the_study_or_hold_out_validation_images(tmp_path, small_sizes):
    root = make_dataset_dir(tmp_path / "data")
    study = load_splits(1, data_dir=root)
    assert (len(study.x_train), len(study.x_val), len(study.x_test)) == (10, 10, 10)
    np.testing.assert_allclose(study.x_train.mean(axis=0), 0, atol=1e-12)
    more = load_splits(3, validation_size=4, seed=1, data_dir=root)
    assert (len(more.x_train), len(more.x_val)) == (26, 4)
    with pytest.raises(ValueError, match="train_batches must be in 1..5"):
        load_splits(6, data_dir=root)


def test_training_lowers_the_cost_and_records_each_epoch(tmp_path, small_sizes):
    result, cost_change = three_cifar_epochs(tiny_cifar_splits(tmp_path))
    assert [row["epoch"] for row in result.history] == [1, 2, 3]
    assert [row["lr"] for row in result.history] == pytest.approx([0.01, 0.009, 0.0081])
    check("tests: three CIFAR epochs, final cost minus the initial cost", cost_change)


def test_the_initial_weights_scale_with_init_std_and_zero_starts_from_zero(tmp_path, small_sizes):
    data = load_splits(1, data_dir=make_dataset_dir(tmp_path / "data"))
    first_W = {}
    for std in (0.0, 0.01, 1.0):
        config = TrainConfig(lr=1e-12, epochs=1, batch_size=5, init_std=std)  # a step too small to move W
        first_W[std] = train(config, data).W
    assert np.abs(first_W[0.0]).max() < 1e-9
    assert first_W[1.0].std() == pytest.approx(100 * first_W[0.01].std(), rel=1e-3)


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--lr", "-0.1"], "--lr must be in (0, 1e+06]"),
        (["--loss", "svm"], "invalid choice: 'svm'"),
        (["--epochs", "0"], "--epochs must be in 1..10,000"),
        (["--train-batches", "6"], "--train-batches must be in 1..5"),
        (["--train-batches", "0"], "--train-batches must be in 1..5"),
        (["--lam", "-1"], "--lam must be in [0, 1e+06]"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(flags)
    stderr = capsys.readouterr().err
    assert exit_.value.code == 2 and stderr.count("\n") == 1 and message in stderr


def test_cli_ends_with_train_validation_and_test_accuracy(tmp_path):
    env = {"LESSONS_DATA": str(make_dataset_dir(tmp_path / "data")), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        command_with_sizes("helpers.ch03_cifar_one_layer", "--epochs", "2", "--loss", "mbce"),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert "train " in last and "validation " in last and last.rstrip().endswith("%") and "test " in last


@pytest.fixture
def small_splits(tmp_path, small_sizes):
    return load_splits(3, validation_size=4, data_dir=make_dataset_dir(tmp_path / "data"), dtype=np.float32)


@pytest.mark.parametrize("flip", [False, True])
def test_models_trained_together_end_as_if_trained_alone(small_splits, flip):
    configs = [
        TrainConfig(lr=0.01, lam=0.0, epochs=3, batch_size=5, flip=flip, seed=4),
        TrainConfig(loss="mbce", lr=0.1, lam=0.01, epochs=3, batch_size=5, flip=flip, seed=4, decay=0.9),
        TrainConfig(lr=0.02, epochs=3, batch_size=5, flip=flip, seed=4, init_std=0.0, decay=0.5, patience=1),
    ]
    together = train_together(configs, small_splits)
    for config, result in zip(configs, together):
        alone = train(config, small_splits)
        assert result.config == config
        np.testing.assert_allclose(result.W, alone.W, rtol=1e-5, atol=1e-7)
        assert [row["lr"] for row in result.history] == [row["lr"] for row in alone.history]
        assert result.test_accuracy == alone.test_accuracy


def test_only_runs_that_share_a_seed_and_a_budget_train_together(small_splits):
    with pytest.raises(ValueError, match="must share seed, epochs and batch_size"):
        train_together([TrainConfig(seed=0, epochs=1), TrainConfig(seed=1, epochs=1)], small_splits)


def test_the_plateau_schedule_decays_after_patience_epochs_without_a_new_lowest_loss():
    schedule = Schedule(TrainConfig(decay=0.5, patience=2))
    factors = [schedule.factor(loss) for loss in (3.0, 2.0, 2.5, 2.1, 2.4, 1.9, 1.95, 1.95)]
    assert factors == [1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 0.5]
    assert [Schedule(TrainConfig(decay=0.9)).factor(loss) for loss in (1.0, 2.0)] == [0.9, 0.9]


def test_without_curves_the_data_is_measured_after_the_last_epoch_only(small_splits):
    config = TrainConfig(lr=0.01, epochs=3, batch_size=5, decay=0.9)
    with_curves, without = train(config, small_splits), train_together([config], small_splits, curves=False)[0]
    assert [("train_accuracy" in row, "val_loss" in row) for row in without.history] == [(False, False)] * 2 + [
        (True, True)
    ]
    assert without.history[-1] == with_curves.history[-1]  # the decay went on all the same
    plateau = train_together([TrainConfig(epochs=3, batch_size=5, patience=1)], small_splits, curves=False)[0]
    assert all("val_loss" in row for row in plateau.history)  # its schedule needs them


def test_standardising_in_float32_matches_float64(small_splits, tmp_path):
    wide = load_splits(3, validation_size=4, data_dir=tmp_path / "data", dtype=np.float64)
    np.testing.assert_allclose(small_splits.x_test, wide.x_test, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(wide.x_train.mean(axis=0), 0, atol=1e-12)


@pytest.mark.parametrize("loss, lam", [("crossentropy", 0.0), ("mbce", 0.1)])
def test_a_training_step_is_the_written_out_gradient_step(small_splits, loss, lam):
    config = TrainConfig(loss=loss, lr=0.05, lam=lam, epochs=1, batch_size=len(small_splits.x_train), init_std=0.01)
    W, b = (p.astype(np.float32) for p in init_params(config.seed, config.init_std))
    grad_W, grad_b = gradients(W, b, small_splits.x_train, small_splits.y_train, lam, loss)
    stepped = train(config, small_splits)  # one full batch: the order of the images changes nothing
    np.testing.assert_allclose(stepped.W, W - config.lr * grad_W, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(stepped.b, b - config.lr * grad_b, rtol=1e-5, atol=1e-7)


def test_seeds_mapped_over_processes_give_what_they_give_in_this_one(small_splits):
    def job(seed):
        return train(TrainConfig(lr=0.01, epochs=2, batch_size=5, seed=seed), small_splits).W

    here = [job(seed) for seed in (1, 2, 3)]
    for ours, theirs in zip(here, map_seeds(job, (1, 2, 3))):
        np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-7)


def test_mirror_symmetry_is_one_for_symmetric_templates_and_lower_for_others():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((10, 3072))
    symmetric = W + flip_horizontal(W)
    assert mirror_symmetry(symmetric) == pytest.approx(1.0)
    assert abs(mirror_symmetry(W)) < 0.1


def test_roughness_is_about_one_for_noise_and_near_zero_for_slowly_changing_templates():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((10, 3072))
    assert roughness(noise) == pytest.approx(1.0, abs=0.05)
    rows, columns = np.meshgrid(np.arange(32), np.arange(32), indexing="ij")
    ramp = np.tile(np.sin(rows / 10.0) + np.cos(columns / 10.0), (10, 3, 1, 1)).reshape(10, 3072)
    assert roughness(ramp) < 0.01
    assert roughness(3 * noise) == pytest.approx(roughness(noise))  # the scale does not matter


def test_final_runs_use_the_seed_and_the_study_schedule(small_splits):
    configs = {"a": TrainConfig(lr=0.01, epochs=2, batch_size=5, flip=True, decay=0.9)}
    run = final_runs(configs, small_splits, seed=3)["a"]
    assert (run.config.seed, run.config.decay, run.config.patience) == (3, PLATEAU["decay"], PLATEAU["patience"])
    confidence = winning_confidence(run.W, run.b, small_splits.x_test, "crossentropy")
    assert confidence.shape == (len(small_splits.x_test),) and (confidence >= 0.1).all()


def test_weight_rows_draw_a_row_of_templates_per_network():
    from helpers.ch03_cifar_one_layer.figures import weight_rows_figure

    rng = np.random.default_rng(0)
    weights = {"first": rng.normal(size=(3, 3 * 4 * 4)), "second": rng.normal(size=(3, 3 * 4 * 4))}
    fig = weight_rows_figure(weights, ["a", "b", "c"], image_shape=(3, 4, 4))
    axes = np.array(fig.axes).reshape(2, 3)
    assert [ax.get_title() for ax in axes[0]] == ["a", "b", "c"] and axes[1, 0].get_title() == ""
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["first", "second"]
    # row 2, class c: the second network's last template, scaled to 0..1, channels last
    shown = axes[1, 2].images[0].get_array()
    template = weights["second"][2].reshape(3, 4, 4).transpose(1, 2, 0)
    np.testing.assert_allclose(shown, (template - template.min()) / (template.max() - template.min()))


def test_accuracy_spread_reads_each_seeds_last_epoch_of_one_run():
    from helpers.cifar_one_layer.search import accuracy_spread
    from helpers.cifar_one_layer.training import TrainResult

    def result(train, test):
        run = TrainResult(config=None, W=None, b=None, history=[{"train_accuracy": 0.0}, {"train_accuracy": train}])
        run.test_accuracy = test
        return run

    by_seed = [{"a": result(0.5, 0.25), "b": result(0.9, 0.9)}, {"a": result(0.7, 0.75), "b": result(0.1, 0.1)}]
    assert accuracy_spread(by_seed, "a", "train").values == pytest.approx((50, 70))
    assert accuracy_spread(by_seed, "a", "test").values == pytest.approx((25, 75))


def test_final_runs_by_seed_keep_the_first_and_train_each_other_seed(small_splits):
    from helpers.cifar_one_layer.search import final_runs_by_seed

    configs = {"a": TrainConfig(lr=0.01, epochs=2, batch_size=5)}
    first = {"a": "seed 0's run, trained elsewhere"}
    runs = final_runs_by_seed(configs, small_splits, first, (1, 2))
    assert runs[0] is first and [r["a"].config.seed for r in runs[1:]] == [1, 2]
    np.testing.assert_allclose(runs[2]["a"].W, final_runs(configs, small_splits, seed=2)["a"].W, rtol=1e-5, atol=1e-7)


def test_result_tables_fit_the_page_and_mark_the_chosen_point():
    from helpers.ch03_cifar_one_layer.tables import grid_table, setting_label, settings_table
    from helpers.cifar_one_layer.search import SETTINGS
    from helpers.cifar_one_layer.training import TrainResult
    from helpers.spread import Spread

    assert setting_label("setting 1 (eta 0.1, lambda 0)") == "setting 1<br>η 0.1, λ 0"
    spreads = {(name, split): Spread.of([30.0, 31.0]) for name in SETTINGS for split in ("train", "val", "test")}
    rows = settings_table(spreads).data.splitlines()
    assert len(rows) == 2 + len(SETTINGS) and rows[2].count("30.50 ± 0.71<br>(30.00–31.00)") == 3
    grid = {
        (eta, lam): TrainResult(config=None, W=None, b=None, history=[{"val_accuracy": eta + lam}])
        for eta in (0.1, 0.2)
        for lam in (0.0, 0.5)
    }
    lines = grid_table("coarse", grid, chosen=(0.2, 0.5)).data.splitlines()
    assert lines[0] == "| coarse: η | λ 0 | λ 0.5 |"
    assert lines[2:] == ["| 0.1 | 10.00 | 60.00 |", "| 0.2 | 20.00 | **70.00** |"]


def test_a_learning_curve_is_rough_where_it_zigzags_not_where_it_climbs():
    from helpers.cifar_one_layer.training import curve_roughness

    assert curve_roughness([10, 20, 30, 40]) == 0.0  # steep, but straight
    assert curve_roughness([10, 12, 10, 12]) == 4.0  # second differences -4, +4
    assert curve_roughness([10, 11, 10, 11]) < curve_roughness([10, 12, 10, 12])


def test_calibration_error_is_the_weighted_gap_between_confidence_and_accuracy():
    from helpers.cifar_one_layer.model import calibration_error

    # one bin, confidence 0.9, right 6 times in 10: overconfident by 0.3
    assert calibration_error(np.full(10, 0.9), np.arange(10) < 6) == pytest.approx(0.3)
    # two bins, each calibrated: no error
    confidence = np.array([0.25] * 4 + [0.75] * 4)
    correct = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=bool)
    assert calibration_error(confidence, correct) == pytest.approx(0.0)
    # a confidence of exactly 1 falls in the last bin, not past it
    assert calibration_error(np.array([1.0, 1.0]), np.array([True, False])) == pytest.approx(0.5)
    # each bin weighted by its share: 3 of 4 images at 0.55, 2 of them right; 1 at 0.95, wrong
    confidence = np.array([0.55] * 3 + [0.95])
    correct = np.array([True, False, True, False])
    expected = 0.75 * abs(2 / 3 - 0.55) + 0.25 * 0.95
    assert calibration_error(confidence, correct) == pytest.approx(expected)


def test_the_biases_start_from_the_same_normal_as_the_weights():
    """The DD2424 assignment draws W and b from N(0, 0.01^2); std 0 starts both from zero."""
    W, b = init_params(0, std=0.01)
    assert b.shape == (10,) and 0 < np.abs(b).max() < 0.05 and np.abs(W).max() < 0.1
    assert np.array_equal(init_params(0, std=0.01)[1], b)  # the seed fixes them
    assert not np.any(init_params(0, std=0.0)[1]) and not np.any(init_params(0, std=0.0)[0])


def test_a_longer_run_read_at_an_earlier_epoch_is_the_shorter_run(small_splits):
    """``test_at``: after epoch 2 of a 4-epoch run, the accuracies a 2-epoch run ends with."""
    config = TrainConfig(lr=0.01, epochs=2, batch_size=5, flip=True, decay=0.5, patience=1, seed=2)
    short = train_together([config], small_splits, curves=False)[0]
    longer = train_together([replace(config, epochs=4)], small_splits, curves=False, test_at=(2, 4))[0]
    read = {row["epoch"]: row for row in longer.history if "test_accuracy" in row}
    assert sorted(read) == [2, 4] and read[4]["test_accuracy"] == longer.test_accuracy
    assert read[2]["test_accuracy"] == short.test_accuracy
    assert read[2]["train_accuracy"] == short.history[-1]["train_accuracy"]


def test_the_bound_functions_measure_each_ch3_bound_once():
    """The page's checks and the sweep's ``measure`` share these functions: together they give
    every chapter 3 bound, each once, as a float."""
    from types import SimpleNamespace

    from helpers.bounds import BOUNDS, group
    from helpers.ch03_cifar_one_layer import bounded
    from helpers.ch03_cifar_one_layer.gradcheck import GradientErrors
    from helpers.cifar_one_layer.search import IMPROVEMENTS, SETTINGS, ZERO_START
    from helpers.cifar_one_layer.training import TrainResult

    rng = np.random.default_rng(0)

    def run():
        last = {"train_accuracy": rng.random(), "val_accuracy": rng.random()}
        W, b = rng.normal(size=(10, 3072)).astype(np.float32), rng.normal(size=10).astype(np.float32)
        return TrainResult(config=None, W=W, b=b, history=[last], test_accuracy=rng.random())

    settings = {name: run() for name in [*SETTINGS, ZERO_START]}
    improvement_runs = {name: run() for name in IMPROVEMENTS}
    errors = {
        ("crossentropy", 0.0): GradientErrors(1e-15, 3e-10, 0, 0, 0),
        ("mbce", 0.1): GradientErrors(2e-15, 1e-10, 0, 0, 0),
    }
    parts = [
        bounded.gradient_check_bounds(errors),
        bounded.l2_bounds(settings),
        bounded.zero_start_bounds(settings),
        bounded.accuracy_bounds(run(), run(), run()),
        bounded.confidence_bounds(run(), run(), SimpleNamespace(x_test=rng.normal(size=(20, 3072)).astype(np.float32))),
        bounded.mirror_bounds(improvement_runs),
        bounded.batch_size_bounds({25: 0.005, 100: 0.01, 400: 0.04}),
    ]
    names = [name for part in parts for name in part]
    assert sorted(names) == sorted(name for name in BOUNDS if group(name) == "ch3")
    assert all(type(value) is float for part in parts for value in part.values())
    assert list(parts[0].values()) == [2e-15, 3e-10] and list(parts[-1].values()) == [3.0]
