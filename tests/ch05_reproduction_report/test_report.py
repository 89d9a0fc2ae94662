"""The reproduction report compares the book's spreads over seeds with the published numbers."""

import pytest

from helpers.ch05_reproduction_report.claims import CLAIMS, claims_table, stability_relative
from helpers.ch05_reproduction_report.claims import verdict as claim_verdict
from helpers.ch05_reproduction_report.report import Comparison, compare, comparison_table, error_within_reach
from helpers.published import Published


def test_each_row_has_the_spread_its_interval_the_published_number_and_a_verdict():
    published = {"a": Published(97.5, "%", "somewhere", decimals=1), "b": Published(92.0, "%", "somewhere")}
    rows = compare({"a": [97.4, 97.6, 97.7], "b": [91.0, 91.1, 91.2]}, published, ["a", "b"])
    # b: 91.1 ± 4.303 · 0.1 · sqrt(4/3) + 0.005 = ± 0.502; 92.0 is 0.9 / 0.502 = 1.8 half-widths above
    assert [r.verdict for r in rows] == ["consistent", "lower (×1.8)"]
    # a: 97.57 ± 4.303 · 0.153 · sqrt(4/3) + 0.05 (the published number's rounding) = ± 0.81
    assert rows[0].cells() == ["a", "97.57 ± 0.15<br>(97.40–97.70)", "96.76–98.38", "97.5", "consistent"]
    long = compare(
        {"sigmoid + multiple binary cross-entropy, improved, test accuracy": [1.0, 2.0]},
        {"sigmoid + multiple binary cross-entropy, improved, test accuracy": published["b"]},
        ["sigmoid + multiple binary cross-entropy, improved, test accuracy"],
    )
    assert long[0].label == "sigmoid + MBCE, improved, test"
    assert Comparison("setting 2 (eta 0.001, lambda 0), train accuracy", rows[0].book, published["a"]).label == (
        "setting 2 (η 0.001, λ 0), train"
    )
    assert comparison_table(rows).data.splitlines()[3].startswith("| b | 91.10 ± 0.10<br>(91.00–91.20) | 90.60–91.60 |")


def test_a_missing_number_or_a_single_run_is_an_error():
    published = {"a": Published(97.5, "%", "s")}
    with pytest.raises(KeyError, match="rerun the chapter"):
        compare({}, published, ["a"])
    with pytest.raises(ValueError, match="single runs"):
        compare({"a": 97.0}, published, ["a"])


def test_an_error_is_matched_within_an_order_of_magnitude():
    published = Published(1e-15, "relative error", "somewhere")
    assert error_within_reach(3e-15, published) and error_within_reach(1e-17, published)
    assert not error_within_reach(2e-14, published)


def test_a_claim_is_judged_seed_by_seed():
    assert claim_verdict([True] * 5) == "holds for every seed"
    assert claim_verdict([False] * 5) == "fails for every seed"
    assert claim_verdict([True, False, True, True, False]) == "holds for 3 of 5 seeds"
    assert claim_verdict([True] * 5, [True, False] * 2 + [True]) == (
        "holds for every seed, significant over the images in 3 of 5"
    )
    # a claim that fails: how often the opposite is significant, not the claim's own way
    assert claim_verdict([False] * 5, [False] * 5, [True] * 4 + [False]) == (
        "fails for every seed; the opposite is significant over the images in 4 of 5"
    )


def test_a_claim_about_two_networks_counts_the_seeds_whose_paired_test_goes_its_way():
    """Dropout's claim (stage 4 above stage 3): significant only where McNemar's p < 0.05 and the
    images favour stage 4; a significant difference the other way does not count."""
    from helpers.ch05_reproduction_report.claims import DROPOUT, MLP, pairs

    (claim,) = [c for c in CLAIMS if c.paired and c.paired[0][1:3] == (MLP, DROPOUT)]
    key = f"paired, {MLP} | {DROPOUT}: only the {{}} right"
    mnist = {key.format("first"): [100, 100, 160], key.format("second"): [160, 110, 100]}
    assert pairs(mnist, MLP, DROPOUT) == [(100, 160), (100, 110), (160, 100)]
    assert claim.significant({}, mnist) == [True, False, False]
    assert claim.significant({}, mnist, opposite=True) == [False, False, True]


def test_the_claims_read_the_chapters_numbers_seed_by_seed():
    """On results made up so that every comparison comes out one way for seed 0 and the other way
    for seed 1, every tested claim holds for exactly one of the two seeds."""
    calls = []

    class Results(dict):
        def __missing__(self, name):  # any name a claim reads: two seeds, in opposite order
            calls.append(name)
            return [1.0, 2.0] if "train" in name or "start" in name else [2.0, 1.0]

    for claim in CLAIMS:
        if claim.holds is not None:
            outcomes = claim.holds(Results(), Results())
            assert len(outcomes) == 2, claim.says
    relative = "fluctuation of the last epoch's loss, relative"  # the second reading, per seed
    steadier_in_seed_0 = {f"5. + BatchNorm, {relative}": [1.0, 3.0], f"3. MLP + ReLU, {relative}": [2.0, 2.0]}
    assert stability_relative({}, steadier_in_seed_0) == [True, False]
    assert calls  # the claims read the results, not constants
    assert {c.study for c in CLAIMS} == {"CIFAR-10 study", "MNIST project"}
    assert all(c.untested for c in CLAIMS if c.holds is None)
    mnist = Results({"running-loss level": 0.1, "running-loss window": 100})
    table = claims_table(Results(), mnist).data
    assert "reaches 0.1 nats" in table and "last 100 steps" in table  # chapter 4's level and window
    assert table.count("\n") == len(CLAIMS) + 1  # a header, its rule, a row per claim


def test_the_peers_table_has_a_row_per_peer_then_the_assignment_the_book_and_the_study():
    from helpers.ch05_reproduction_report.report import peers_table
    from helpers.published import PEERS

    lines = peers_table([30.0, 39.0, 39.5, 37.0], [29.0, 39.92, 39.5, 37.5], 38.83).data.splitlines()
    assert lines[0] == "| reproduction / setting | 1 | 2 | 3 | 4 |" and len(lines) == 2 + len(PEERS) + 3
    assert lines[-3] == "| DD2424 Assignment 1, the instructor's run | – | 38.83 | – | – |"
    assert lines[-2] == "| this book, mean of 5 seeds | 30.00 | 39.00 | 39.50 | 37.00 |"
    assert lines[-1] == "| the study | 29.00 | 39.92 | 39.50 | 37.50 |"
    with pytest.raises(ValueError):
        peers_table([30.0], [29.0], 38.83)


def test_the_sensitivity_runs_read_each_variant_after_each_epoch_budget(tmp_path, small_sizes):
    """Every (network, patience, epochs, split) gets a spread over the seeds, and patience 2 read
    after 2 epochs is the 2-epoch run chapter 3 would train with the same seed."""
    import numpy as np
    from data_files import make_dataset_dir

    from helpers.ch05_reproduction_report.sensitivity import variants
    from helpers.cifar_one_layer.data import load_splits
    from helpers.cifar_one_layer.search import final_runs
    from helpers.cifar_one_layer.training import TrainConfig

    data = load_splits(3, validation_size=4, data_dir=make_dataset_dir(tmp_path / "data"), dtype=np.float32)
    configs = {"net": TrainConfig(lr=0.01, epochs=2, batch_size=5, flip=True, decay=0.5, patience=2)}
    spreads = variants(configs, data, seeds=[0, 1], patiences=(1, 2), epochs=(2, 3))
    assert set(spreads) == {("net", p, e, s) for p in (1, 2) for e in (2, 3) for s in ("train", "test")}
    assert all(len(spread.values) == 2 for spread in spreads.values())
    chapter = [100 * final_runs(configs, data, seed)["net"].test_accuracy for seed in (0, 1)]
    assert list(spreads[("net", 2, 2, "test")].values) == chapter


def test_a_study_s_claims_table_holds_its_claims_alone_without_a_study_column():
    from helpers.ch05_reproduction_report.claims import CIFAR_STUDY

    class Results(dict):
        def __missing__(self, name):
            return [1.0, 2.0]

    mnist = Results({"running-loss level": 0.1, "running-loss window": 100})
    lines = claims_table(Results(), mnist, CIFAR_STUDY).data.splitlines()
    assert lines[0] == "| claim | the book's test, per seed | verdict |"
    assert len(lines) == 2 + sum(c.study == CIFAR_STUDY for c in CLAIMS)
