"""Game physics, determinism, the fixed-timestep clock and feature mirroring."""

import math

import numpy as np
import pytest

from pymodel.sim import bots, game
from pymodel.sim.features import (
    DEFAULT_FEATURE_SET,
    FEATURES,
    N_FEATURES,
    approaching,
    feature_names,
    observe,
)

from .helpers import mirror_state

P = game.GameParams()


def play(seed: int, ticks: int, left=None, right=None):
    """Run a bot match; yield (state, events) after every tick."""
    rng = np.random.default_rng(seed)
    left = left or bots.Tracker()
    right = right or bots.EdgeHitter()
    s = game.initial(rng, P)
    for _ in range(ticks):
        la = left.act(observe(s, "left", P), rng)
        ra = right.act(observe(s, "right", P), rng)
        s, events = game.transition(s, la, ra, rng, P)
        yield s, events


def test_two_runs_one_seed_identical_at_every_step():
    a = list(play(3, 3000))
    b = list(play(3, 3000))
    assert a == b
    c = list(play(4, 3000))
    assert a != c


def test_transition_does_not_mutate_its_input():
    rng = np.random.default_rng(0)
    s = game.initial(rng, P)
    before = game.GameState(**vars(s))
    game.transition(s, 0, 2, rng, P)
    assert s == before


def test_ball_stays_in_court_vertically_and_speed_is_capped():
    for s, _ in play(1, 120 * 60, right=bots.Lazy()):
        assert P.ball_r - 1e-12 <= s.ball_y <= P.court_h - P.ball_r + 1e-12
        assert math.hypot(s.ball_vx, s.ball_vy) <= P.max_speed + 1e-9
        assert P.paddle_h / 2 - 1e-12 <= s.left_y <= P.court_h - P.paddle_h / 2 + 1e-12


def test_scoring_increments_and_resets_the_ball():
    rng = np.random.default_rng(0)
    s = game.initial(rng, P)
    s.serve_timer, s.ball_x, s.ball_y, s.ball_vx, s.ball_vy = 0.0, 0.005, 0.05, -1.0, 0.0
    s.left_y = 0.8  # far from the ball: a miss
    s, events = game.transition(s, 1, 1, rng, P)
    assert events == ["score_right"]
    assert (s.score_left, s.score_right) == (0, 1)
    assert s.serve_timer == pytest.approx(P.serve_delay)
    served = []
    for _ in range(round(P.serve_delay / P.dt) + 1):
        s, ev = game.transition(s, 1, 1, rng, P)
        served += ev
    assert "serve" in served and s.ball_vx != 0.0


def test_hit_offset_sets_the_bounce_angle():
    rng = np.random.default_rng(0)
    s = game.initial(rng, P)
    s.serve_timer, s.ball_x, s.ball_vx, s.ball_vy = 0.0, 0.08, -1.0, 0.0
    s.left_y, s.ball_y = 0.5, 0.55  # ball meets the paddle below its centre: offset +0.5
    s, events = game.transition(s, 1, 1, rng, P)
    assert "hit_left" in events
    assert s.left_hit_offset == pytest.approx(0.5)
    assert s.ball_vx > 0 and s.ball_vy > 0
    assert math.degrees(math.atan2(s.ball_vy, s.ball_vx)) == pytest.approx(27.5)
    assert math.hypot(s.ball_vx, s.ball_vy) == pytest.approx(1.0 * P.speedup)


def test_clock_runs_fixed_ticks_and_clamps_the_accumulator():
    clock = game.Clock(dt=0.01, max_accumulated=0.25)
    assert clock.advance(0.025) == 2
    assert clock.accumulator == pytest.approx(0.005)
    assert clock.advance(10.0) == 25  # a stalled tab catches up at most 0.25 s
    assert clock.advance(float("nan")) == 0
    assert clock.advance(-1.0) == 0
    total = sum(clock.advance(1 / 60) for _ in range(60))
    assert total in (99, 100, 101)


def test_left_view_of_a_state_equals_right_view_of_its_mirror():
    checked = 0
    for i, (s, _) in enumerate(play(5, 4000)):
        if i % 37:
            continue
        m = mirror_state(s, P)
        np.testing.assert_allclose(observe(s, "left", P), observe(m, "right", P), atol=1e-12)
        np.testing.assert_allclose(observe(s, "right", P), observe(m, "left", P), atol=1e-12)
        assert approaching(s, "left") == approaching(m, "right")
        checked += 1
    assert checked > 100


def test_features_are_normalised():
    assert len(FEATURES) >= N_FEATURES == len(feature_names(DEFAULT_FEATURE_SET))
    for s, _ in play(2, 120 * 30):
        for side in ("left", "right"):
            obs = observe(s, side, P)
            assert obs.shape == (N_FEATURES,) and obs.dtype == np.float64
            assert np.all(np.abs(obs) <= 1.0 + 1e-9)
