"""Sampler: bounded buffer, knob validation, relevance favours approach frames."""

import numpy as np
import pytest

from pymodel.learn.buffer import ReplayBuffer
from pymodel.learn.sampler import Sampler, make_knobs


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
        sampler.note_action(1)
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
        ("relevance", {"after_hit_window": 6}, "after_hit_window must be a number in [0, 5]"),
        ("relevance", {"min_keep": True}, "min_keep must be a number in [0, 1]"),
        ("relevance", {"impact_window": 0.3}, "unknown knobs"),
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


def test_keep_probability_changes_no_state_and_note_action_does():
    sampler = Sampler(np.random.default_rng(0), "relevance")
    shares = sampler.stats.shares.copy()
    first = sampler.keep_probability(1, True, 10.0)
    assert all(sampler.keep_probability(1, True, 10.0) == first for _ in range(100))
    assert (sampler.stats.shares == shares).all()
    for _ in range(2000):
        sampler.note_action(1)
    assert sampler.stats.shares[1] > shares[1]
    assert sampler.keep_probability(1, True, 10.0) < first


def test_knob_ranges_are_the_field_metadata():
    from dataclasses import fields

    from pymodel.learn.sampler import RelevanceKnobs

    for f in fields(RelevanceKnobs):
        lo, hi = f.metadata["min"], f.metadata["max"]
        make_knobs("relevance", {f.name: lo})
        make_knobs("relevance", {f.name: hi})
        with pytest.raises(ValueError, match=f.name):
            make_knobs("relevance", {f.name: hi + 0.5})
        assert lo <= f.default <= hi and f.metadata["help"]
