"""``python -m helpers.ch04_limits_of_linearity``: train one stage of chapter 4 on MNIST from the command line.

Prints one line per epoch (with a progress bar while the epoch runs); the last line gives the test
accuracy in %. Bad flags exit with status 2 and one line; missing or damaged data with status 1; a
run whose loss stops being finite with status 3 at that epoch (see :mod:`helpers.cli`).
"""

from __future__ import annotations

import sys

from tqdm import tqdm

from .. import cli
from ..data import DataError
from .data import load_tensors
from .models import build_model, count_parameters, describe
from .training import LOSSES, StageConfig, train_together

DEFAULTS = StageConfig()
#: What the program can do: an epoch of the widest MLP takes seconds, its weights 30 MB; a batch is
#: at most the training set; Adam's step is lr-sized, and beyond this one overflows float32.
MAX_HIDDEN, MAX_EPOCHS, MAX_BATCH, MAX_LR = 10**4, 10**3, 60_000, 1e6


def build_parser() -> cli.OneLineParser:
    parser = cli.OneLineParser(
        prog="python -m helpers.ch04_limits_of_linearity",
        description="Train one stage of chapter 4 (linear or MLP) on MNIST with Adam.",
    )
    parser.add_argument(
        "--model",
        choices=("linear", "mlp"),
        default=DEFAULTS.model,
        help="linear: 784 -> 10; mlp: 784 -> hidden -> 10 with ReLU (default linear)",
    )
    parser.add_argument("--loss", choices=LOSSES, default=DEFAULTS.loss, help="training loss (default crossentropy)")
    parser.add_argument(
        "--mse-on",
        "--mse_on",
        dest="mse_on",
        choices=("probabilities", "logits"),
        default=DEFAULTS.mse_on,
        help="with --loss mse: compare the softmax probabilities (default) or the raw logits with the one-hot targets",
    )
    parser.add_argument(
        "--hidden",
        type=cli.whole_number,
        default=DEFAULTS.hidden,
        help=f"hidden units of the MLP, 1..{MAX_HIDDEN:,} (default 256)",
    )
    parser.add_argument(
        "--dropout",
        type=cli.finite_float,
        default=DEFAULTS.dropout,
        help="dropout probability after the hidden ReLU, in [0, 1) (default 0: none)",
    )
    parser.add_argument(
        "--batchnorm", action="store_true", help="BatchNorm between the first Linear layer and its ReLU"
    )
    parser.add_argument(
        "--epochs", type=cli.whole_number, default=DEFAULTS.epochs, help=f"epochs, 1..{MAX_EPOCHS:,} (default 5)"
    )
    parser.add_argument(
        "--batch-size",
        "--batch_size",
        dest="batch_size",
        type=cli.whole_number,
        default=DEFAULTS.batch_size,
        help=f"batch size, 1..{MAX_BATCH:,}; >= 2 with --batchnorm (default 128)",
    )
    parser.add_argument(
        "--lr",
        type=cli.finite_float,
        default=DEFAULTS.lr,
        help=f"Adam's learning rate, in (0, {MAX_LR:g}] (default 1e-3)",
    )
    parser.add_argument(
        "--seed",
        type=cli.whole_number,
        default=DEFAULTS.seed,
        help="seed of the initial weights and batch order, in 0..2**32-1",
    )
    return parser


def validate(parser, args) -> None:
    cli.check_ranges(
        parser,
        (1 <= args.epochs <= MAX_EPOCHS, "--epochs", f"in 1..{MAX_EPOCHS:,}", args.epochs),
        (0 <= args.dropout < 1, "--dropout", "in [0, 1)", args.dropout),
        (1 <= args.hidden <= MAX_HIDDEN, "--hidden", f"in 1..{MAX_HIDDEN:,}", args.hidden),
        (1 <= args.batch_size <= MAX_BATCH, "--batch-size", f"in 1..{MAX_BATCH:,}", args.batch_size),
        (0 < args.lr <= MAX_LR, "--lr", f"in (0, {MAX_LR:g}]", args.lr),
        (not args.batchnorm or args.batch_size >= 2, "--batch-size", ">= 2 with --batchnorm", args.batch_size),
        cli.seed_check("--seed", args.seed),
    )
    if args.model == "linear" and (args.dropout > 0 or args.batchnorm):
        parser.error("--dropout and --batchnorm need --model mlp (a linear model has no hidden layer)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    validate(parser, args)
    config = cli.config_from_args(StageConfig, args)
    try:
        data = load_tensors(config.seed)  # the seed draws the split too, as in the original
    except DataError as error:
        return cli.print_error(error)
    last_batch = len(data.x_train) % config.batch_size
    if config.batchnorm and last_batch == 1:  # BatchNorm cannot normalise a batch of one image
        parser.error(
            f"--batch-size {config.batch_size} leaves a last batch of 1 of the {len(data.x_train):,} training "
            "images, which BatchNorm cannot normalise; choose another batch size"
        )
    model = build_model(config.model, config.hidden, config.dropout, config.batchnorm)
    print(
        f"{describe(model)}, {count_parameters(model):,} parameters; loss {config.loss}"
        f"{' on ' + config.mse_on if config.loss == 'mse' else ''}; Adam lr {config.lr:g}, "
        f"batch {config.batch_size}, {config.epochs} epochs"
    )
    steps = -(-len(data.x_train) // config.batch_size)
    with tqdm(total=steps * config.epochs, unit="batch", leave=False, file=sys.stderr, disable=None) as bar:

        def report(row):
            cli.stop_if_diverged(row["epoch"], row["train_loss"])
            tqdm.write(
                f"epoch {row['epoch']}/{config.epochs}: train loss {row['train_loss']:.4f}, "
                f"train accuracy {row['train_accuracy']:.2%}, test loss {row['test_loss']:.4f}, "
                f"test accuracy {row['test_accuracy']:.2%} ({row['seconds']:.1f} s)"
            )

        # the hand-written gradients: the same steps as the chapter's loop, and they report progress
        (result,) = train_together([config], data, on_batch=lambda: bar.update(), on_epoch=lambda rows: report(rows[0]))
    print(f"test accuracy: {100 * result.test_accuracy:.2f}%")
    return 0


if __name__ == "__main__":
    cli.run(main, "nothing was written")
