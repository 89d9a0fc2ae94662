"""The numbers the original studies published, which the book reproduces under their protocols.

These are the only results typed by hand in the book, because they are quotations: each names the
document it comes from (the studies' READMEs, copied in ``../shared/studies/``) and where in it.
The book's own numbers are always computed. :data:`PEERS` quotes other public reproductions of the
CIFAR-10 assignment the study answers, as context.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    value: float
    unit: str  # "%" (an accuracy) or "relative error"
    source: str


CIFAR_STUDY = "cifar10-one-layer-study.md"
MNIST_PROJECT = "mnist-limits-of-linearity.md"
SETTINGS_TABLE = f"{CIFAR_STUDY}, Key Results, first table (the four settings)"
IMPROVED_TABLE = f"{CIFAR_STUDY}, Key Results, second table (with the improvements)"
STAGES_TABLE = f"{MNIST_PROJECT}, results table (5 epochs)"

#: The study's four settings: (eta, lambda) -> (train %, test %), in its order.
CIFAR_SETTINGS = {
    "setting 1 (eta 0.1, lambda 0)": (43.43, 28.42),
    "setting 2 (eta 0.001, lambda 0)": (45.54, 39.92),
    "setting 3 (eta 0.001, lambda 0.1)": (44.73, 39.40),
    "setting 4 (eta 0.001, lambda 1)": (40.14, 37.38),
}
#: The study's improved networks (more data, decay on plateaus, grid search, flips): (train %, test %).
CIFAR_IMPROVED = {
    "softmax + cross-entropy, improved": (43.57, 42.17),
    "sigmoid + multiple binary cross-entropy, improved": (41.85, 41.06),
}

#: Every CIFAR-10 number of the study, named "<run>, <train|test> accuracy".
CIFAR_ONE_LAYER = {
    **{
        f"{run}, {split} accuracy": Published(value, "%", SETTINGS_TABLE)
        for run, pair in CIFAR_SETTINGS.items()
        for split, value in zip(("train", "test"), pair)
    },
    **{
        f"{run}, {split} accuracy": Published(value, "%", IMPROVED_TABLE)
        for run, pair in CIFAR_IMPROVED.items()
        for split, value in zip(("train", "test"), pair)
    },
    "gradient check against autograd": Published(
        1e-15, "relative error", f'{CIFAR_STUDY}, Key Results ("relative errors in the range of 1e-15")'
    ),
}

#: Chapter 4: test accuracy of each stage.
MNIST_STAGES = {
    "1. Linear + MSE": Published(92.6, "%", STAGES_TABLE),
    "2. Linear + CE": Published(92.1, "%", STAGES_TABLE),
    "3. MLP + ReLU": Published(97.5, "%", STAGES_TABLE),
    "4. + Dropout(0.5)": Published(97.3, "%", STAGES_TABLE),
    "5. + BatchNorm": Published(97.7, "%", STAGES_TABLE),
}


@dataclass(frozen=True)
class Peer:
    """Another public reproduction of the assignment: its test accuracies for the four settings
    (None where it gives no number), and where they are written."""

    repository: str
    path: str
    settings_test: tuple[float | None, float | None, float | None, float | None]
    note: str = ""


#: Read with the search tool's ``read_file`` on 2026-12-02; numbers only, as each README gives them.
#: A fifth, ``kahoujo1/DD2424-assignments`` (``assignment1/src/ntb.ipynb``), is a working notebook
#: whose stored copy shows no accuracy for the four settings in the parts read: it is not quoted.
PEERS = (
    Peer("ttperr/DD2424-DL-KTH", "Assignment1/README.md", (28.1, 38.53, 38.9, 37.28)),
    Peer("jinye-gong/DD2424-Deep-Learning-in-Data-Science", "assignment1/README.md", (28.29, 39.11, 38.93, 37.53)),
    Peer("K-I-D-1412/DD2424_Deep-Learning-in-Data-Science", "README.md", (29.49, 39.21, 39.30, 37.55)),
    Peer(
        "Jackson0422/KTH-DD-2424", "README.md", (None, 39.48, 39.44, 37.3), "setting 1 described as unstable, no number"
    ),
)
