"""``python -m helpers.ch03_cifar_one_layer``: train chapter 3's one-layer network on CIFAR-10.

Shows a progress bar; the last line reports the train, validation and test accuracy. Bad flags
exit with status 2 and one line; missing or damaged data with status 1; a run whose cost stops
being finite with status 3 at that epoch (see :mod:`helpers.cli`).
"""

from __future__ import annotations

import sys

import numpy as np
from tqdm import tqdm

from .. import cli
from ..cifar_one_layer.data import load_splits
from ..cifar_one_layer.model import LOSSES
from ..cifar_one_layer.training import TrainConfig, train
from ..data import DataError

DEFAULTS = TrainConfig()
#: What the program can do: beyond these a float32 step overflows in the first batch; an epoch
#: takes ~0.1 s per 10,000 images (10,000 epochs: hours); a batch is at most the training set.
MAX_LR, MAX_LAM, MAX_EPOCHS, MAX_BATCH = 1e6, 1e6, 10**4, 50_000


def build_parser() -> cli.OneLineParser:
    parser = cli.OneLineParser(
        prog="python -m helpers.ch03_cifar_one_layer",
        description="Train s = Wx + b on CIFAR-10 with mini-batch gradient descent.",
    )
    parser.add_argument(
        "--loss",
        choices=LOSSES,
        default=DEFAULTS.loss,
        help="ce: softmax + cross-entropy; mbce: sigmoid + multiple binary cross-entropy",
    )
    parser.add_argument(
        "--lr",
        type=cli.finite_float,
        default=DEFAULTS.lr,
        help=f"learning rate eta, in (0, {MAX_LR:g}] (default 0.001)",
    )
    parser.add_argument(
        "--lam", type=cli.finite_float, default=DEFAULTS.lam, help=f"L2 penalty lambda, in [0, {MAX_LAM:g}] (default 0)"
    )
    parser.add_argument(
        "--epochs", type=cli.whole_number, default=DEFAULTS.epochs, help=f"epochs, 1..{MAX_EPOCHS:,} (default 40)"
    )
    parser.add_argument(
        "--batch-size",
        type=cli.whole_number,
        default=DEFAULTS.batch_size,
        help=f"batch size, 1..{MAX_BATCH:,} (default 100)",
    )
    parser.add_argument(
        "--decay",
        type=cli.finite_float,
        default=DEFAULTS.decay,
        help="factor applied to the learning rate after each epoch, in (0, 1] (default 1: none)",
    )
    parser.add_argument("--flip", action="store_true", help="mirror training images at random (augmentation)")
    parser.add_argument(
        "--train-batches",
        type=cli.whole_number,
        default=1,
        help="1: train on data_batch_1, validate on data_batch_2; 2..5: train on that many "
        "batches less 1000 held-out validation images (default 1)",
    )
    parser.add_argument(
        "--seed",
        type=cli.whole_number,
        default=DEFAULTS.seed,
        help="seed of the weights, batches and flips, in 0..2**32-1",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    cli.check_ranges(
        parser,
        (0 < args.lr <= MAX_LR, "--lr", f"in (0, {MAX_LR:g}]", args.lr),
        (0 <= args.lam <= MAX_LAM, "--lam", f"in [0, {MAX_LAM:g}]", args.lam),
        (1 <= args.epochs <= MAX_EPOCHS, "--epochs", f"in 1..{MAX_EPOCHS:,}", args.epochs),
        (1 <= args.batch_size <= MAX_BATCH, "--batch-size", f"in 1..{MAX_BATCH:,}", args.batch_size),
        (0 < args.decay <= 1, "--decay", "in (0, 1]", args.decay),
        (1 <= args.train_batches <= 5, "--train-batches", "in 1..5", args.train_batches),
        cli.seed_check("--seed", args.seed),
    )
    config = cli.config_from_args(TrainConfig, args)
    try:
        data = load_splits(args.train_batches, seed=args.seed, dtype=np.float32)
    except DataError as error:
        return cli.print_error(error)
    steps = -(-len(data.x_train) // config.batch_size) * config.epochs
    # a progress bar on a terminal only; overflow is reported as divergence, not as warnings
    with tqdm(total=steps, unit="batch", leave=False, file=sys.stderr, disable=None) as bar, np.errstate(all="ignore"):
        result = train(
            config,
            data,
            on_batch=bar.update,
            on_epoch=lambda row: cli.stop_if_diverged(row["epoch"], row["train_cost"], "--lr or --lam"),
        )
    last = result.history[-1]
    print(
        f"{args.loss}, eta {args.lr:g}, lambda {args.lam:g}, {args.epochs} epochs, "
        f"{len(data.x_train)} training images: train {last['train_accuracy']:.2%}, "
        f"validation {last['val_accuracy']:.2%}, test {result.test_accuracy:.2%}"
    )
    return 0


if __name__ == "__main__":
    cli.run(main, "nothing was written")
