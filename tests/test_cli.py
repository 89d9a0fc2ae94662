"""The three trainers share one command-line style, and keep the original projects' spellings."""

import importlib

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
