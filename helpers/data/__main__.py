"""``python -m helpers.data [--data-dir DIR] [--download]``: what a data directory holds.

Prints, for each dataset, the number of images per split and per class. Any problem (a missing,
truncated or corrupt file) is one line on stderr, and the exit status is 1.
"""

from __future__ import annotations

from ..cli import OneLineParser, print_error, run
from . import DataError, LabelledImages, load_cifar10, load_mnist, resolve_data_dir
from .locations import DEFAULT_DATA_DIR, ENV_VAR

LOADERS = {"MNIST": load_mnist, "CIFAR-10": load_cifar10}
SPLITS = ("train", "test")


def count_table(name: str, splits: dict[str, LabelledImages]) -> str:
    """A plain-text table: one row per class, one column per split, and a total row."""
    first = next(iter(splits.values()))
    shape = "x".join(str(d) for d in first.images.shape[1:])
    width = max(len(c) for c in first.classes + ("total",))
    lines = [f"{name}: images {shape} {first.images.dtype}, {len(first.classes)} classes"]
    lines.append(f"  {'class':<{width}}" + "".join(f"{s:>8}" for s in splits))
    counts = {split: data.class_counts() for split, data in splits.items()}
    for label, cls in enumerate(first.classes):
        lines.append(f"  {cls:<{width}}" + "".join(f"{counts[s][label]:>8}" for s in splits))
    lines.append(f"  {'total':<{width}}" + "".join(f"{len(d):>8}" for d in splits.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m helpers.data",
        description="Check the book's datasets and print the number of images per split and class.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder holding mnist/ and cifar-10/ (default: ${ENV_VAR}, else {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--download",
        action="store_true",
        help="download missing files from the official sources (md5-verified); needs a network",
    )
    args = parser.parse_args(argv)
    try:
        root = resolve_data_dir(args.data_dir)
    except DataError as error:
        return print_error(error)
    print(f"data directory: {root}")
    failed = False
    for name, load in LOADERS.items():
        try:
            splits = {split: load(split, root, download=args.download) for split in SPLITS}
        except (DataError, OSError) as error:
            print_error(error)
            failed = True
            continue
        print(count_table(name, splits))
    return 1 if failed else 0


if __name__ == "__main__":
    run(main, "nothing partial was kept")
