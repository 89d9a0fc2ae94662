"""helpers.gradcheck: the relative error between two gradients, and centred finite differences."""

import numpy as np
import pytest

from helpers.gradcheck import elementwise_relative_errors, numeric_gradient, relative_error


def test_numeric_gradient_of_every_entry_has_the_shape_of_x():
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = numeric_gradient(lambda v: np.sum(v**3), x, h=1e-5)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 3 * x**2, atol=1e-8)


def test_numeric_gradient_of_listed_entries_comes_in_their_order():
    x = np.arange(6.0).reshape(2, 3)
    grad = numeric_gradient(lambda v: np.sum(v * np.arange(6.0).reshape(2, 3) ** 2), x, [(1, 2), (0, 1)])
    np.testing.assert_allclose(grad, [25.0, 1.0], rtol=1e-7)
    assert np.all(x == np.arange(6.0).reshape(2, 3))  # x is not modified


def test_relative_error_is_relative_to_the_largest_entry_not_entrywise():
    a, b = np.array([0.1, 1e-17]), np.array([0.1, -1e-17])  # agree, except an entry that is zero up to rounding
    assert relative_error(a, b) == pytest.approx(2e-16)
    assert relative_error(a, a) == 0.0
    assert relative_error(np.array([2.0]), np.array([1.0])) == 0.5
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_the_elementwise_error_is_large_where_an_entry_is_tiny():
    a = np.array([0.1, 1e-6, -0.3])
    b = a + np.array([1e-17, 1e-17, 0.0])  # the same rounding on every entry
    errors = elementwise_relative_errors(a, b)
    assert errors[0] == pytest.approx(5e-17, rel=0.1) and errors[1] == pytest.approx(5e-12, rel=0.1)
    assert relative_error(a, b) == pytest.approx(1e-17 / 0.3, rel=0.1)  # by the largest entry: tiny
    assert elementwise_relative_errors(np.zeros(2), np.zeros(2)).max() == 0.0  # no division by zero
