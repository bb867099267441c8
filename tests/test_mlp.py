"""The MLP: gradients against finite differences, Adam's guard, prediction shapes."""

import numpy as np
import pytest

from pymodel.learn import mlp


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_gradients_match_central_finite_differences(activation):
    rng = np.random.default_rng(0)
    params = mlp.init_params([5, 7, 6, 3], rng, activation)
    for k in params:
        if k.startswith("b"):
            params[k] += rng.normal(0, 0.3, size=params[k].shape)
    x = rng.normal(size=(8, 5))
    y = rng.integers(0, 3, size=8)
    _, grads = mlp.loss_and_grads(params, x, y, activation)
    assert set(grads) == set(params)
    eps = 1e-6
    for k, p in params.items():
        num = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            lp, _ = mlp.loss_and_grads(params, x, y, activation)
            p[idx] = old - eps
            lm, _ = mlp.loss_and_grads(params, x, y, activation)
            p[idx] = old
            num[idx] = (lp - lm) / (2 * eps)
        np.testing.assert_allclose(grads[k], num, rtol=1e-5, atol=1e-7, err_msg=k)


def test_fast_tanh_matches_numpy():
    z = np.linspace(-30, 30, 2001)
    np.testing.assert_allclose(mlp._tanh(z), np.tanh(z), atol=1e-15)


def test_softmax_is_stable_and_sums_to_one():
    p = mlp.softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_adam_learns_and_refuses_non_finite_updates():
    rng = np.random.default_rng(1)
    params = mlp.init_params([4, 16, 3], rng)
    x = rng.normal(size=(64, 4))
    y = (x[:, 0] > 0).astype(int) * 2  # up or down by the sign of one input
    adam = mlp.Adam()
    first, _ = mlp.loss_and_grads(params, x, y)
    for _ in range(300):
        _, g = mlp.loss_and_grads(params, x, y)
        assert adam.step(params, g)
    last, _ = mlp.loss_and_grads(params, x, y)
    assert last < first * 0.3

    before = {k: v.copy() for k, v in params.items()}
    bad = {k: np.zeros_like(v) for k, v in params.items()}
    bad["W1"][0, 0] = np.nan
    assert adam.step(params, bad) is False
    bad["W1"][0, 0] = np.inf
    assert adam.step(params, bad) is False
    huge = {k: np.full_like(v, 1e308) for k, v in params.items()}
    assert adam.step(params, huge) is False
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    assert adam.refused == 3


def test_predict_shapes():
    rng = np.random.default_rng(2)
    params = mlp.init_params([9, 32, 32, 3], rng)
    actions, probs = mlp.predict(params, rng.normal(size=(5, 9)))
    assert actions.shape == (5,) and probs.shape == (5, 3)
    assert mlp.layer_sizes(params) == [9, 32, 32, 3]
