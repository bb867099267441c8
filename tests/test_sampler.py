"""Sampler: bounded buffer, knob validation, relevance favours approach frames."""

import numpy as np
import pytest

from pymodel.sampler import ReplayBuffer, Sampler, make_knobs


def test_buffer_is_bounded_and_memory_fixed():
    buf = ReplayBuffer(100, 4, np.random.default_rng(0))
    arrays = (buf.obs, buf.actions, buf.approach)
    nbytes = sum(a.nbytes for a in arrays)
    for i in range(10_000):
        buf.add(np.full(4, i, dtype=float), i % 3, i % 2 == 0)
    assert buf.size == 100
    assert all(a is b for a, b in zip(arrays, (buf.obs, buf.actions, buf.approach), strict=True))
    assert sum(a.nbytes for a in arrays) == nbytes
    assert buf.obs[:, 0].min() == 9_900  # only the newest frames remain
    comp = buf.composition()
    total = sum(comp["approach"].values()) + sum(comp["away"].values())
    assert total == comp["size"] == 100
    x, y = buf.sample(64)
    assert x.shape == (64, 4) and y.shape == (64,)


def test_relevance_keeps_approach_more_than_away():
    sampler = Sampler(np.random.default_rng(0), "relevance")
    rng = np.random.default_rng(1)
    kept = {True: 0, False: 0}
    for _ in range(20_000):
        app = bool(rng.random() < 0.5)
        kept[app] += sampler.keep(int(rng.integers(0, 3)), app, since_hit=10.0)
    assert kept[True] > 1.5 * kept[False]  # approach_weight 1.0 vs away_weight 0.5


def test_relevance_drops_frames_right_after_a_hit_and_balances_stay():
    sampler = Sampler(np.random.default_rng(0), "relevance")
    for _ in range(3000):  # a player who mostly stays
        sampler.keep_probability(1, True, 10.0)
    assert sampler.keep_probability(1, True, 10.0) < 0.5
    assert sampler.keep_probability(0, True, 10.0) == 1.0
    assert sampler.keep_probability(0, False, 0.0) < sampler.keep_probability(0, False, 10.0)


def test_uniform_keeps_everything_by_default():
    sampler = Sampler(np.random.default_rng(0), "uniform")
    assert all(sampler.keep(a % 3, a % 2 == 0, 0.0) for a in range(1000))


@pytest.mark.parametrize(
    "strategy,knobs,message",
    [
        ("magic", None, "unknown sampler strategy"),
        ("relevance", {"away_weight": 2.0}, "away_weight must be a number in [0, 1]"),
        ("relevance", {"bogus": 1}, "unknown knobs"),
        ("uniform", {"keep": "all"}, "keep must be"),
        ("relevance", {"after_hit_window": -1}, "after_hit_window"),
        ("relevance", {"impact_weight": 0.5}, "impact_weight must be a number in [1, 10]"),
        ("relevance", {"switch_weight": 11}, "switch_weight must be a number in [1, 10]"),
        ("relevance", {"impact_window": 3}, "impact_window must be a number in [0, 2]"),
        ("relevance", {"switch_window": True}, "switch_window must be a number in [0, 1]"),
    ],
)
def test_bad_knobs_raise_clear_errors(strategy, knobs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        make_knobs(strategy, knobs)


def test_switching_strategy_live_and_bad_switch_changes_nothing():
    sampler = Sampler(np.random.default_rng(0))
    sampler.configure("uniform", {"keep": 0.5})
    assert sampler.strategy == "uniform" and sampler.knob_dict() == {"keep": 0.5}
    with pytest.raises(ValueError):
        sampler.configure("relevance", {"min_keep": 7})
    assert sampler.strategy == "uniform"


def test_agree_weight_downweights_frames_the_clone_already_gets_right():
    sampler = Sampler(np.random.default_rng(0), "relevance", {"agree_weight": 0.25})
    assert sampler.wants_prediction()
    right = sampler.keep_probability(0, True, 10.0, predicted=0)
    wrong = sampler.keep_probability(0, True, 10.0, predicted=2)
    assert right == pytest.approx(0.25 * wrong)
    assert not Sampler(np.random.default_rng(0), "uniform").wants_prediction()


def test_replay_weights_boost_impact_and_switch_frames_only_under_relevance():
    dt = 1 / 120
    knobs = {"impact_window": 0.3, "impact_weight": 4, "switch_window": 0.1, "switch_weight": 2}
    sampler = Sampler(np.random.default_rng(0), "relevance", knobs)
    assert sampler.replay_weight(True, 0.2, 1, dt) == (4.0, False)  # about to hit
    assert sampler.replay_weight(False, 0.2, 1, dt) == (1.0, False)  # moving away
    assert sampler.replay_weight(True, 1.0, 1, dt) == (1.0, False)  # far from impact
    assert not sampler.note_action(1, 100) and sampler.note_action(0, 101)
    assert sampler.replay_weight(True, 0.2, 105, dt) == (8.0, True)
    assert sampler.replay_weight(True, 1.0, 101 + 13, dt) == (1.0, False)  # window is 12 frames
    uniform = Sampler(np.random.default_rng(0), "uniform")
    uniform.note_action(1, 1), uniform.note_action(0, 2)
    assert uniform.replay_weight(True, 0.0, 2, dt) == (1.0, False)
    assert uniform.switch_frames(dt) == 0


def test_weighted_buffer_draws_in_proportion_and_boosts_recent_frames_once():
    buf = ReplayBuffer(10, 1, np.random.default_rng(0))
    for i in range(10):
        buf.add(np.array([float(i)]), 1, True, weight=1.0, frame=i)
    assert not buf.weighted
    buf.boost_since(8, 9.0)  # frames 8 and 9
    buf.boost_since(8, 9.0)  # already boosted: unchanged
    assert buf.weighted and list(buf.weights) == [1.0] * 8 + [9.0, 9.0]
    x, _ = buf.sample(20_000)
    share = np.isin(x[:, 0], (8.0, 9.0)).mean()
    assert abs(share - 18 / 26) < 0.02
    buf.clear()
    assert not buf.weighted and buf.weights.max() == 1.0


def test_replay_phase_moves_the_relevance_from_keeping_to_replaying():
    knobs = {"away_weight": 0.25, "after_hit_weight": 1.0, "stay_balance": 0.0}
    drop = Sampler(np.random.default_rng(0), "relevance", knobs)
    assert drop.keep_probability(0, False, 10.0) == 0.25
    assert drop.replay_weight(False, 1.0, 1, 1 / 120) == (1.0, False)
    full = Sampler(np.random.default_rng(0), "relevance", {**knobs, "replay_phase": 1.0})
    assert full.keep_probability(0, False, 10.0) == 1.0  # every frame is kept ...
    assert full.replay_weight(False, 1.0, 1, 1 / 120) == (0.25, False)  # ... away replayed less
    assert full.keep_probability(0, True, 10.0) == 1.0
    assert full.replay_weight(True, 1.0, 1, 1 / 120) == (1.0, False)
    half = Sampler(np.random.default_rng(0), "relevance", {**knobs, "replay_phase": 0.5})
    assert half.keep_probability(0, False, 10.0) == pytest.approx(0.5)
    assert half.replay_weight(False, 1.0, 1, 1 / 120)[0] == pytest.approx(0.5)
    boosted = Sampler(
        np.random.default_rng(0),
        "relevance",
        {**knobs, "replay_phase": 1.0, "impact_window": 0.3, "impact_weight": 4},
    )
    boosted.keep_probability(0, True, 10.0)
    assert boosted.replay_weight(True, 0.2, 1, 1 / 120) == (4.0, False)  # boosts still multiply
    with pytest.raises(ValueError, match="replay_phase must be a number in \\[0, 1\\]"):
        make_knobs("relevance", {"replay_phase": 1.5})
