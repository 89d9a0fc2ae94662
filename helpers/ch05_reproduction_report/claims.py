"""The studies' qualitative claims, each with the book's test of it and a verdict from the seeds.

Beside their tables, both studies say what their runs show: that a penalty narrows the gap
between training and test accuracy, that one loss gives smoother learning, that batch
normalisation converges faster. The book trains every run those sentences are about, so each
becomes a comparison made seed by seed, on the numbers the chapters save
(:mod:`helpers.results`). A claim holds for a seed when the comparison comes out as the study
says; the verdict counts the seeds (:func:`verdict`), the book's rule for any comparison between
runs. A claim that no run can test is listed with the reason.

Where a claim compares two networks' accuracy on the same images, each seed's pair of runs also
gets McNemar's test over those images (:mod:`helpers.paired`, saved by the chapters as counts of
the images only one of the two gets right), and the verdict says in how many seeds the difference
goes the claim's way and is significant. Seeds that agree are not yet a significant difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from IPython.display import Markdown

from ..paired import ALPHA, counts_from_results, mcnemar_p
from ..tables import markdown_table

S1, S2, S3, S4 = (
    "setting 1 (eta 0.1, lambda 0)",
    "setting 2 (eta 0.001, lambda 0)",
    "setting 3 (eta 0.001, lambda 0.1)",
    "setting 4 (eta 0.001, lambda 1)",
)
CE, MBCE = "softmax + cross-entropy", "sigmoid + multiple binary cross-entropy"
MLP, DROPOUT, BATCHNORM, NO_RELU = "3. MLP + ReLU", "4. + Dropout(0.5)", "5. + BatchNorm", "3 without ReLU"

CIFAR_STUDY, MNIST_PROJECT = "CIFAR-10 study", "MNIST project"


@dataclass(frozen=True)
class Claim:
    study: str
    says: str  # the claim, in the study's words where quoted
    test: str  # the comparison the book makes, for each seed
    holds: Callable[[dict, dict], list[bool]] | None = None  # (cifar, mnist) -> one outcome per seed
    untested: str = ""  # why no run tests it
    #: ``(chapter, first, second, better)``: two runs the chapter scored on the same images, and
    #: which of them the claim says does better ("first" or "second"); each is tested by McNemar.
    paired: tuple[tuple[str, str, str, str], ...] = ()

    def significant(self, cifar: dict, mnist: dict, opposite: bool = False, alpha: float = ALPHA) -> list[bool]:
        """Per seed: every paired difference goes the claim's way (or, with ``opposite``, the
        other way) and is significant."""
        results = {"ch3": cifar, "ch4": mnist}
        per_pair = []
        for chapter, first, second, better in self.paired:
            second_better = (better == "second") != opposite
            per_pair.append(
                [
                    mcnemar_p(a, b) < alpha and (b > a if second_better else a > b)
                    for a, b in pairs(results[chapter], first, second)
                ]
            )
        return [all(seed) for seed in zip(*per_pair, strict=True)]


def pairs(results: dict, first: str, second: str) -> list[tuple[int, int]]:
    """Per seed, the images only ``first`` gets right and those only ``second`` gets right."""
    return counts_from_results(results, first, second)


def per_seed(*lists: list[float]) -> list[tuple[float, ...]]:
    return list(zip(*lists, strict=True))


def gap(results: dict, name: str) -> list[float]:
    """Training minus test accuracy (points), per seed."""
    return [
        train - test for train, test in per_seed(results[f"{name}, train accuracy"], results[f"{name}, test accuracy"])
    ]


def mnist_gap(results: dict, stage: str) -> list[float]:
    return [train - test for train, test in per_seed(results[f"{stage}, train accuracy"], results[stage])]


def sigmoid_gap_smaller(cifar: dict, mnist: dict) -> list[bool]:
    """The improved sigmoid network's training-minus-test gap below the softmax one's, per seed."""
    return [s < x for s, x in per_seed(gap(cifar, f"{MBCE}, improved"), gap(cifar, f"{CE}, improved"))]


CLAIMS = (
    Claim(
        CIFAR_STUDY,
        "a high learning rate (η=0.1) “led to instability and divergence”: divergence",
        "setting 1's training loss ends above where it started (or is not finite): read as "
        "divergence, though its training accuracy ends far above chance (the table above)",
        lambda c, m: [
            not (end < start)
            for start, end in per_seed(
                c[f"{S1}, training loss at the start"], c[f"{S1}, training loss after the last epoch"]
            )
        ],
    ),
    Claim(
        CIFAR_STUDY,
        "a high learning rate (η=0.1) “led to instability and divergence”: instability",
        "",
        untested="the book records setting 1's learning curves for one seed only (seed 0, drawn in chapter 3)",
    ),
    Claim(
        CIFAR_STUDY,
        "increasing λ “reduced the gap between training and test accuracies”",
        "the training-minus-test gap falls from setting 2 (λ 0) to 3 (λ 0.1) to 4 (λ 1)",
        lambda c, m: [g2 > g3 > g4 for g2, g3, g4 in per_seed(gap(c, S2), gap(c, S3), gap(c, S4))],
    ),
    Claim(
        CIFAR_STUDY,
        "increasing λ “degraded performance when too large”",
        "setting 4's test accuracy (λ 1) is below settings 2's and 3's",
        lambda c, m: [t4 < min(t2, t3) for t2, t3, t4 in per_seed(*(c[f"{s}, test accuracy"] for s in (S2, S3, S4)))],
        paired=(("ch3", S2, S4, "first"), ("ch3", S3, S4, "first")),
    ),
    Claim(
        CIFAR_STUDY,
        "“clearer features emerge with increased regularization” (the weight images)",
        "the templates' roughness (chapter 3) falls from setting 2 to 3 to 4",
        lambda c, m: [r2 > r3 > r4 for r2, r3, r4 in per_seed(*(c[f"{s}, template roughness"] for s in (S2, S3, S4)))],
    ),
    Claim(
        CIFAR_STUDY,
        "the improvements (more data, decay, grid search, flips) “further improved generalization”",
        "the improved softmax network's test accuracy is above setting 2's",
        lambda c, m: [imp > s2 for imp, s2 in per_seed(c[f"{CE}, improved, test accuracy"], c[f"{S2}, test accuracy"])],
        paired=(("ch3", S2, f"{CE}, improved", "second"),),
    ),
    Claim(
        CIFAR_STUDY,
        "the improvements “narrowed the train/test accuracy gap”",
        "the improved softmax network's training-minus-test gap is below setting 2's",
        lambda c, m: [imp < s2 for imp, s2 in per_seed(gap(c, f"{CE}, improved"), gap(c, S2))],
    ),
    Claim(
        CIFAR_STUDY,
        "sigmoid + MBCE “exhibited smaller generalization gaps” than softmax + CE",
        "the improved sigmoid network's training-minus-test gap is below the softmax one's",
        sigmoid_gap_smaller,
    ),
    Claim(
        CIFAR_STUDY,
        "sigmoid + MBCE is “more robust to overfitting”",
        "read as the row above: the improved sigmoid network's gap is below the softmax one's",
        sigmoid_gap_smaller,
    ),
    Claim(
        CIFAR_STUDY,
        "sigmoid + MBCE had “smoother learning dynamics”",
        "the improved sigmoid network's validation-accuracy curve is less rough (mean absolute second "
        "difference, points) than the softmax one's",
        lambda c, m: [
            s < x
            for s, x in per_seed(
                c[f"{MBCE}, improved, validation accuracy roughness (points)"],
                c[f"{CE}, improved, validation accuracy roughness (points)"],
            )
        ],
    ),
    Claim(
        MNIST_PROJECT,
        "linear, stage 1: “learns only linear boundaries”",
        "",
        untested="true of every linear model by construction (its regions are bounded by hyperplanes), "
        "whatever the seed",
    ),
    Claim(
        MNIST_PROJECT,
        "linear + softmax, stage 2: “proper classification objective”",
        "",
        untested="a judgement of the loss, not an outcome of a run",
    ),
    Claim(
        MNIST_PROJECT,
        "MLP + ReLU, stage 3: “nonlinearity unlocks expressivity”",
        "stage 3's training accuracy (how well it can fit) is above that of the same network without "
        "its ReLU, a linear map",
        lambda c, m: [
            mlp > linear for mlp, linear in per_seed(m[f"{MLP}, train accuracy"], m[f"{NO_RELU}, train accuracy"])
        ],
        paired=(("ch4", NO_RELU, f"{MLP}, training images", "second"),),
    ),
    Claim(
        MNIST_PROJECT,
        "dropout, stage 4: “improves generalization”: accuracy",
        "stage 4's test accuracy is above stage 3's",
        lambda c, m: [d > p for d, p in per_seed(m[DROPOUT], m[MLP])],
        paired=(("ch4", MLP, DROPOUT, "second"),),
    ),
    Claim(
        MNIST_PROJECT,
        "dropout, stage 4: “improves generalization”: gap",
        "stage 4's training-minus-test gap is below stage 3's",
        lambda c, m: [d < p for d, p in per_seed(mnist_gap(m, DROPOUT), mnist_gap(m, MLP))],
    ),
    Claim(
        MNIST_PROJECT,
        "BatchNorm, stage 5: “faster … convergence”",
        "stage 5's running training loss (mean of the last {window} steps) reaches {level} nats in "
        "fewer steps than stage 3's",
        lambda c, m: [
            bn < plain
            for bn, plain in per_seed(
                m[f"{BATCHNORM}, steps to the running-loss level"],
                m[f"{MLP}, steps to the running-loss level"],
            )
        ],
    ),
    Claim(
        MNIST_PROJECT,
        "BatchNorm, stage 5: “more stable convergence”",
        "stage 5's training loss moves less from step to step in the last epoch than stage 3's "
        "(standard deviation of consecutive differences, nats)",
        lambda c, m: [
            bn < plain
            for bn, plain in per_seed(
                m[f"{BATCHNORM}, fluctuation of the last epoch's loss"],
                m[f"{MLP}, fluctuation of the last epoch's loss"],
            )
        ],
    ),
)


def stability_relative(cifar: dict, mnist: dict) -> list[bool]:
    """The "more stable" comparison with each fluctuation divided by its epoch's mean loss: a
    second reading of the claim, which the report gives beside the table's."""
    name = "fluctuation of the last epoch's loss, relative"
    return [bn < plain for bn, plain in per_seed(mnist[f"{BATCHNORM}, {name}"], mnist[f"{MLP}, {name}"])]


def verdict(
    outcomes: list[bool],
    significant: list[bool] | None = None,
    opposite: list[bool] | None = None,
    comparisons: str = "",
) -> str:
    """``holds for every seed``, ``fails for every seed``, or ``holds for k of n seeds``; for a
    claim about two networks on the same images, with how many seeds' difference is significant
    over the images (``significant``: the claim's way, ``opposite``: the other way, per seed, from
    :meth:`Claim.significant`; ``comparisons`` says when a seed needs several tests)."""
    held, n = sum(outcomes), len(outcomes)
    if held == n:
        said = "holds for every seed"
    elif held == 0:
        said = "fails for every seed"
    else:
        said = f"holds for {held} of {n} seeds"
    if significant is None:
        return said
    its_way, other_way = sum(significant), sum(opposite or [False] * n)
    over = f"over the images{comparisons}"
    if held == n:
        return f"{said}, significant {over} in {its_way} of {n}"
    if held == 0:
        return f"{said}; the opposite is significant {over} in {other_way} of {n}"
    return f"{said}; significant {over} its way in {its_way}, the other way in {other_way}"


def claim_verdict(claim: Claim, cifar: dict, mnist: dict) -> str:
    """:func:`verdict` for a tested claim, with its paired tests if it has any."""
    if not claim.paired:
        return verdict(claim.holds(cifar, mnist))
    both = f" (all {len(claim.paired)} comparisons)" if len(claim.paired) > 2 else " (both comparisons)"
    return verdict(
        claim.holds(cifar, mnist),
        claim.significant(cifar, mnist),
        claim.significant(cifar, mnist, opposite=True),
        both if len(claim.paired) > 1 else "",
    )


def claims_table(cifar: dict, mnist: dict, study: str | None = None) -> Markdown:
    """The claims (of ``study``, without a column naming it, or of both studies), each with the
    book's test and its verdict."""
    rows = []
    for claim in (c for c in CLAIMS if study in (None, c.study)):
        if claim.holds is None:
            row = [claim.says, f"not tested: {claim.untested}", "–"]
        else:
            test = claim.test.format(  # as chapter 4 measured it
                level=f"{mnist['running-loss level']:g}", window=f"{mnist['running-loss window']:.0f}"
            )
            row = [claim.says, test, claim_verdict(claim, cifar, mnist)]
        rows.append(row if study else [claim.study, *row])
    header = ["claim", "the book's test, per seed", "verdict"]
    return markdown_table(header if study else ["study", *header], rows, align="lll" if study else "llll")
