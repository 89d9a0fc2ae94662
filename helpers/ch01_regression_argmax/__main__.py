"""``python -m helpers.ch01_regression_argmax``: train the chapter-1 network from the command line.

Trains the 1 -> hidden -> 3 network on three classes on a line (MSE against one-hot targets,
full-batch gradient descent with Nesterov momentum), prints the result, and optionally saves a checkpoint and
the logits on the input grid for every epoch. Bad flags exit with status 2 before anything is
written; an output folder that cannot be used with status 1, before training; a run whose loss
stops being finite with status 3 at that epoch (see :mod:`helpers.cli`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from .. import cli
from .files import LOGITS_FILE, OutputError, checkpoint_name, claimed_folders, save_checkpoints, save_logits
from .training import TrainConfig, train

DEFAULTS = TrainConfig()
#: What the program can do: a learning rate beyond this overflows float32 in the first step; an
#: epoch takes ~60 microseconds (1e7 take ten minutes); every saved epoch keeps a checkpoint and
#: 3 KB of logits in memory until the end; a wider hidden layer than this has no lesson to teach.
MAX_LR, MAX_EPOCHS, MAX_SAVED_EPOCHS, MAX_HIDDEN = 1e6, 10**7, 10**4, 10**4


def build_parser() -> argparse.ArgumentParser:
    parser = cli.OneLineParser(
        prog="python -m helpers.ch01_regression_argmax",
        description="Train a 1-input, 3-logit network as three regressions on one-hot targets "
        "(MSE, full-batch gradient descent with Nesterov momentum) and classify by argmax.",
    )
    parser.add_argument(
        "--lr",
        type=cli.finite_float,
        default=DEFAULTS.lr,
        help=f"learning rate, in (0, {MAX_LR:g}] (default {DEFAULTS.lr})",
    )
    parser.add_argument(
        "--momentum",
        type=cli.finite_float,
        default=DEFAULTS.momentum,
        help=f"Nesterov momentum, in [0, 1) (default {DEFAULTS.momentum})",
    )
    parser.add_argument(
        "--data-seed",
        "--data_seed",
        dest="data_seed",
        type=cli.whole_number,
        default=DEFAULTS.data_seed,
        help=f"seed of the training data, in 0..2**32-1 (default {DEFAULTS.data_seed})",
    )
    parser.add_argument(
        "--epochs",
        "--epoches",
        dest="epochs",
        type=cli.whole_number,
        default=DEFAULTS.epochs,
        help=f"number of epochs, 1..{MAX_EPOCHS:,} ({MAX_SAVED_EPOCHS:,} when saving); each is one "
        f"full-batch step (default {DEFAULTS.epochs})",
    )
    parser.add_argument(
        "--hidden",
        type=cli.whole_number,
        default=DEFAULTS.hidden,
        help=f"hidden units, 1..{MAX_HIDDEN:,} (default {DEFAULTS.hidden})",
    )
    parser.add_argument(
        "--init-seed",
        "--init_seed",
        dest="init_seed",
        type=cli.whole_number,
        default=DEFAULTS.init_seed,
        help=f"seed of the initial weights, in 0..2**32-1 (default {DEFAULTS.init_seed})",
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
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="allow output folders that hold files: an earlier run's epoch_*.pt and logits.npz there are "
        "removed first (without it, a folder that is not empty is refused)",
    )
    return parser


def validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse out-of-range values (exit 2, one line) before anything is written."""
    saving = args.save_checkpoints or args.save_logits
    max_epochs = MAX_SAVED_EPOCHS if saving else MAX_EPOCHS
    cli.check_ranges(
        parser,
        (0 < args.lr <= MAX_LR, "--lr", f"in (0, {MAX_LR:g}]", args.lr),
        (0 <= args.momentum < 1, "--momentum", "in [0, 1)", args.momentum),
        (
            1 <= args.epochs <= max_epochs,
            "--epochs",
            f"in 1..{max_epochs:,}" + (" when saving" if saving else ""),
            args.epochs,
        ),
        (1 <= args.hidden <= MAX_HIDDEN, "--hidden", f"in 1..{MAX_HIDDEN:,}", args.hidden),
        cli.seed_check("--data-seed", args.data_seed),
        cli.seed_check("--init-seed", args.init_seed),
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    validate(parser, args)
    config = cli.config_from_args(TrainConfig, args)
    folders = {}
    if args.save_checkpoints:
        folders["--save-checkpoint-dir"] = args.save_checkpoint_dir
    if args.save_logits:
        folders["--save-logit-dir"] = args.save_logit_dir
    try:
        with claimed_folders(folders, args.overwrite):
            return train_and_save(args, config)
    except OutputError as error:
        return cli.print_error(error)


def train_and_save(args: argparse.Namespace, config: TrainConfig) -> int:
    """Train with a progress bar, stopping at divergence; then print the result and save."""
    # a progress bar on a terminal only (disable=None), so that logs and pipes get clean lines
    with tqdm(total=config.epochs, unit="epoch", leave=False, file=sys.stderr, mininterval=0.5, disable=None) as bar:

        def on_epoch(epoch: int, loss: float) -> None:
            cli.stop_if_diverged(epoch, loss)
            bar.update(epoch > 0)

        run = train(config, keep_checkpoints=args.save_checkpoints, record_history=args.save_logits, on_epoch=on_epoch)
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
    paths = []
    if args.save_checkpoints:
        paths = save_checkpoints(run, args.save_checkpoint_dir)
        print(
            f"saved {len(paths)} checkpoints to {args.save_checkpoint_dir}/ "
            f"({paths[0].name} .. {paths[-1].name}; {checkpoint_name(0, config.epochs)} is the initialisation)"
        )
    if args.save_logits:
        try:
            path = save_logits(run, args.save_logit_dir)
        except OutputError as error:
            raise OutputError(f"{error}; the {len(paths)} checkpoints are complete" if paths else error) from None
        print(f"saved logits after each of {config.epochs} epochs on {len(run.grid)} inputs to {path}")
    return 0


if __name__ == "__main__":
    cli.run(main, "the files already written are complete, none is half-written")
