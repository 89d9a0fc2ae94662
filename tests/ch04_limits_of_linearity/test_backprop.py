"""Chapter 4's hand-written gradients and lockstep training against PyTorch's autograd."""

import pytest
import torch
from data_files import separable_data
from torch import nn

from helpers.ch04_limits_of_linearity import StageConfig, build_model, train_seeds, train_stage, train_together
from helpers.ch04_limits_of_linearity.backprop import Lockstep

#: Every kind of network and loss chapter 4 trains (and MSE on an MLP's outputs, which it does not).
STAGES = {
    "linear, MSE on probabilities": StageConfig("linear", "mse"),
    "linear, cross-entropy": StageConfig("linear"),
    "linear, MSE on logits": StageConfig("linear", "mse", mse_on="logits"),
    "MLP": StageConfig("mlp", hidden=32),
    "MLP without ReLU": StageConfig("mlp", hidden=32, relu=False),
    "MLP with dropout": StageConfig("mlp", hidden=32, dropout=0.5),
    "MLP with BatchNorm": StageConfig("mlp", hidden=32, batchnorm=True),
    "MLP, MSE on probabilities": StageConfig("mlp", "mse", hidden=32),
}


def short(config: StageConfig, seed: int = 0) -> StageConfig:
    return StageConfig(**{**config.as_dict(), "epochs": 2, "batch_size": 48, "lr": 1e-2, "seed": seed})


def assert_same_training(ours, reference, data):
    """Every step's loss, and the trained network's outputs, to float rounding.

    With BatchNorm the outputs are compared with the batch's own statistics (training mode): the
    batch mean removes the first layer's bias, so its gradient is rounding noise, which Adam
    scales up to steps of size lr in both runs alike. In evaluation mode the running mean, which
    lags behind that bias, lets it show.
    """
    assert len(ours.batch_losses) == len(reference.batch_losses) > 0
    torch.testing.assert_close(
        torch.tensor(ours.batch_losses), torch.tensor(reference.batch_losses), rtol=1e-4, atol=1e-6
    )
    with torch.no_grad():
        outputs = [result.model.train(ours.config.batchnorm)(data.x_test) for result in (ours, reference)]
    torch.testing.assert_close(*outputs, rtol=1e-4, atol=1e-4)
    assert ours.test_accuracy == pytest.approx(reference.test_accuracy, abs=0.01)


@pytest.mark.parametrize("name", STAGES)
def test_hand_written_gradients_train_as_autograd_does(name):
    data, config = separable_data(), short(STAGES[name])
    assert_same_training(train_together([config], data)[0], train_stage(config, data), data)


def test_stages_trained_together_get_what_each_gets_alone():
    data = separable_data()
    configs = [short(config) for config in STAGES.values()]
    for together, config in zip(train_together(configs, data), configs):
        assert_same_training(together, train_stage(config, data), data)


def test_the_gradients_of_one_step_are_autograds():
    data, config = separable_data(), StageConfig("mlp", hidden=16, dropout=0.5, batchnorm=True)
    x, y = data.x_train[:40], data.y_train[:40]
    models = []
    for _ in range(2):
        torch.manual_seed(3)
        models.append(build_model("mlp", 16, 0.5, True))
    generator = torch.Generator().set_state(torch.get_rng_state())
    nn.functional.cross_entropy(models[1](x), y).backward()  # draws its mask from the global generator
    Lockstep([models[0]], [config.loss], [config.mse_on], [generator], 64).step(x, y)
    for ours, theirs in zip(models[0].parameters(), models[1].parameters()):
        torch.testing.assert_close(ours.grad, theirs.grad, rtol=1e-4, atol=1e-6)
    for name, buffer in models[1].named_buffers():  # BatchNorm's running statistics
        torch.testing.assert_close(models[0].get_buffer(name), buffer)


def test_a_trained_network_owns_its_weights():
    first, second = train_together([short(STAGES["MLP"]), short(STAGES["linear, cross-entropy"])], separable_data())
    for result in (first, second):
        layer = result.model[0]
        assert layer.weight.untyped_storage().nbytes() == layer.weight.numel() * 4
        assert all(parameter.grad is None for parameter in result.model.parameters())


def test_stages_of_different_seeds_cannot_train_together():
    with pytest.raises(ValueError, match="must share seed"):
        train_together([short(STAGES["MLP"]), short(STAGES["MLP"], seed=1)], separable_data())


def test_a_network_of_other_layers_is_refused():
    model = nn.Sequential(nn.Linear(784, 8), nn.Tanh(), nn.Linear(8, 10))
    with pytest.raises(ValueError, match="no hand-written backward"):
        Lockstep([model], ["crossentropy"], ["probabilities"], [torch.Generator()], 16)


def test_seeds_in_worker_processes_get_what_they_get_here():
    data, configs = separable_data(), {name: short(STAGES[name]) for name in ("MLP", "MLP with dropout")}
    in_processes = train_seeds(configs, data, [1, 2])
    for seed, runs in zip([1, 2], in_processes):
        for name, config in configs.items():
            assert_same_training(runs[name], train_stage(short(config, seed), data), data)


def test_each_seed_can_train_on_its_own_images():
    """Given a function of the seed (as chapter 4 passes ``load_tensors``: each seed its split),
    every seed trains on what the function gives it."""
    sets = {1: separable_data(seed=1), 2: separable_data(seed=2)}
    configs = {"MLP": short(STAGES["MLP"])}
    for seed, runs in zip([1, 2], train_seeds(configs, sets.__getitem__, [1, 2])):
        assert_same_training(runs["MLP"], train_stage(short(configs["MLP"], seed), sets[seed]), sets[seed])
