"""The shared figure helpers."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from helpers.data import LabelledImages
from helpers.plots import as_displayable, class_count_bars, class_grid, examples_per_class


@pytest.fixture
def colour_images():
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 2])
    images = np.arange(10 * 3 * 4 * 4, dtype=np.uint8).reshape(10, 3, 4, 4)
    return LabelledImages(images, labels, ("a", "b", "c"))


def test_examples_per_class_picks_distinct_members_of_each_class(colour_images):
    picks = examples_per_class(colour_images.labels, 3, 3, seed=1)
    assert picks.shape == (3, 3)
    for label, row in enumerate(picks):
        assert (colour_images.labels[row] == label).all() and len(set(row)) == 3
    np.testing.assert_array_equal(picks, examples_per_class(colour_images.labels, 3, 3, seed=1))


def test_examples_per_class_refuses_a_class_too_small(colour_images):
    with pytest.raises(ValueError, match="class 0 has 3 examples, fewer than 4"):
        examples_per_class(colour_images.labels, 3, 4)


def test_channels_first_images_become_channels_last(colour_images):
    shown = as_displayable(colour_images.images)
    assert shown.shape == (10, 4, 4, 3)
    assert shown[2, 1, 3, 0] == colour_images.images[2, 0, 1, 3]


def test_class_grid_has_a_labelled_row_per_class(colour_images):
    fig = class_grid(colour_images, per_class=2, title="examples")
    assert len(fig.axes) == 6
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["a", "b", "c"]
    assert fig._suptitle.get_text() == "examples"


def test_class_count_bars_show_the_counts_of_each_split(colour_images):
    fig = class_count_bars({"train": colour_images}, title="counts")
    ax = fig.axes[0]
    assert [bar.get_height() for bar in ax.patches] == [3, 3, 4]
    assert ax.get_xlabel() == "class" and ax.get_ylabel() == "number of images"


def test_weight_images_draw_one_titled_image_per_class():
    from helpers.plots import weight_images

    weights = np.arange(3 * 12, dtype=float).reshape(3, 12)  # one row per class
    fig = weight_images(weights, (3, 4), ["a", "b", "c"], columns=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["a", "b", "c"]
    np.testing.assert_array_equal(visible[1].images[0].get_array(), weights[1].reshape(3, 4))


def test_chapter2_figures_label_their_axes():
    from helpers.ch02_softmax_cross_entropy.figures import (
        decision_boundary_figure,
        surprisal_figure,
    )
    from helpers.ch06_going_further.figures import temperature_figure

    fig = temperature_figure(np.array([1.0, 2.0, 3.0]), [0.5, 1, 5], ["a", "b", "c"])
    heights = [round(bar.get_height(), 6) for bar in fig.axes[2].patches]
    assert heights == sorted(heights) and fig.axes[0].get_ylabel() == "probability"
    assert surprisal_figure().axes[0].get_xlabel() == "probability p of what happened"
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    fig = decision_boundary_figure(lambda Z: (Z.sum(axis=1) > 1).astype(float), X, np.array([0, 1]), "t")
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_title()) == ("feature 1", "t")
