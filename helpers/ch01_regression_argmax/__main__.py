"""``python -m helpers.ch01_regression_argmax``: train the chapter-1 network from the command line.

Trains the 1 -> hidden -> 3 network on three classes on a line (MSE against one-hot targets,
full-batch SGD with Nesterov momentum), prints the result, and optionally saves a checkpoint and
the logits on the input grid for every epoch. Bad flags exit with status 2 before anything is
written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..cli import OneLineParser, check_ranges, config_from_args, finite_float, run, whole_number
from .files import LOGITS_FILE, checkpoint_name, save_checkpoints, save_logits
from .training import TrainConfig, train

DEFAULTS = TrainConfig()


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m helpers.ch01_regression_argmax",
        description="Train a 1-input, 3-logit network as three regressions on one-hot targets "
        "(MSE, full-batch SGD with Nesterov momentum) and classify by argmax.",
    )
    parser.add_argument(
        "--lr", type=finite_float, default=DEFAULTS.lr, help=f"learning rate, > 0 (default {DEFAULTS.lr})"
    )
    parser.add_argument(
        "--momentum",
        type=finite_float,
        default=DEFAULTS.momentum,
        help=f"Nesterov momentum, in [0, 1) (default {DEFAULTS.momentum})",
    )
    parser.add_argument(
        "--data-seed",
        "--data_seed",
        dest="data_seed",
        type=whole_number,
        default=DEFAULTS.data_seed,
        help=f"seed of the training data (default {DEFAULTS.data_seed})",
    )
    parser.add_argument(
        "--epochs",
        "--epoches",
        dest="epochs",
        type=whole_number,
        default=DEFAULTS.epochs,
        help=f"number of epochs, >= 1; each is one full-batch step (default {DEFAULTS.epochs})",
    )
    parser.add_argument(
        "--hidden", type=whole_number, default=DEFAULTS.hidden, help=f"hidden units, >= 1 (default {DEFAULTS.hidden})"
    )
    parser.add_argument(
        "--init-seed",
        "--init_seed",
        dest="init_seed",
        type=whole_number,
        default=DEFAULTS.init_seed,
        help=f"seed of the initial weights (default {DEFAULTS.init_seed})",
    )
    parser.add_argument(
        "--save-checkpoints",
        "--save_checkpoints",
        dest="save_checkpoints",
        action="store_true",
        help="save the state_dict after every epoch (epoch_000.pt is the initialisation)",
    )
    parser.add_argument(
        "--save-checkpoint-dir",
        "--save_checkpoint_dir",
        dest="save_checkpoint_dir",
        type=Path,
        default=Path("checkpoints"),
        metavar="DIR",
        help="folder for the checkpoints, created if needed (default: checkpoints)",
    )
    parser.add_argument(
        "--save-logits",
        "--save_logits",
        dest="save_logits",
        action="store_true",
        help=f"save the logits on the input grid after every epoch to DIR/{LOGITS_FILE}",
    )
    parser.add_argument(
        "--save-logit-dir",
        "--save_logit_dir",
        dest="save_logit_dir",
        type=Path,
        default=Path("logits"),
        metavar="DIR",
        help="folder for the logits, created if needed (default: logits)",
    )
    return parser


def creatable_dir_problem(path: Path) -> str | None:
    """Why ``path`` cannot be used as an output folder, or None; creates nothing."""
    path = path.absolute()
    if path.exists():
        if not path.is_dir():
            return f"{path} exists and is not a folder"
        return None if os.access(path, os.W_OK | os.X_OK) else f"{path} is not writable"
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{path} cannot be created: {parent} is a file"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{path} cannot be created: {parent} is not writable"
    return None


def validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse out-of-range values (exit 2, one line) before anything is written."""
    check_ranges(
        parser,
        (args.lr > 0, "--lr", "> 0", args.lr),
        (0 <= args.momentum < 1, "--momentum", "in [0, 1)", args.momentum),
        (args.epochs >= 1, "--epochs", ">= 1", args.epochs),
        (args.hidden >= 1, "--hidden", ">= 1", args.hidden),
    )
    for wanted, flag, folder in (
        (args.save_checkpoints, "--save-checkpoint-dir", args.save_checkpoint_dir),
        (args.save_logits, "--save-logit-dir", args.save_logit_dir),
    ):
        problem = creatable_dir_problem(folder) if wanted else None
        if problem:
            parser.error(f"{flag}: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    validate(parser, args)
    config = config_from_args(TrainConfig, args)
    run = train(config, keep_checkpoints=args.save_checkpoints)
    n_params = sum(p.numel() for p in run.final_state.values())
    print(
        f"data: {len(run.data.y)} points in 3 classes (data_seed {config.data_seed}); "
        f"model: 1-{config.hidden}-3 with tanh, {n_params} parameters"
    )
    print(
        f"after {config.epochs} epochs at lr {config.lr:g}, Nesterov momentum {config.momentum:g}: "
        f"MSE {run.loss[-1]:.4f}, training accuracy {run.accuracy[-1]:.1%} "
        f"(best possible rule on this sample: {run.data.bayes_accuracy():.1%})"
    )
    if args.save_checkpoints:
        paths = save_checkpoints(run, args.save_checkpoint_dir)
        print(
            f"saved {len(paths)} checkpoints to {args.save_checkpoint_dir}/ "
            f"({paths[0].name} .. {paths[-1].name}; {checkpoint_name(0, config.epochs)} is the initialisation)"
        )
    if args.save_logits:
        path = save_logits(run, args.save_logit_dir)
        print(f"saved logits after each of {config.epochs} epochs on {len(run.grid)} inputs to {path}")
    return 0


if __name__ == "__main__":
    run(main, "the files already written are complete, none is half-written")
