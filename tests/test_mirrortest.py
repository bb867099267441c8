"""The mirror test: replays cut from a recording, the clone played out fresh from the same
state, a balanced answer key, judges that are always right or always pick one side, and a
machine judge that tells a very different player apart."""

from __future__ import annotations

import numpy as np
import pytest

from pymodel.lab import mirrortest as mt
from pymodel.sim import bots, game
from pymodel.sim.features import observe
from pymodel.sim.game import GameParams
from pymodel.sim.recording import Recording, record_bot, state_at, tick_offset

CFG = mt.MirrorConfig()


@pytest.fixture(scope="module")
def rec() -> Recording:
    return record_bot("late", 3, 200.0)


def lazy():
    return bots.Lazy().act


def late():
    return bots.Late().act


def answered(test: mt.MirrorTest, judge) -> dict:
    for i, r in enumerate(test.rounds):
        test.answer(i, judge(i, r))
    return test.result(1.7e12, 200.0, 1234)


def test_state_at_rebuilds_the_state_play_goes_on_from():
    params, rng = GameParams(), np.random.default_rng([5, 0])
    s, opp, me = game.initial(rng, params), bots.opponent(), bots.Tracker()
    rec, states = Recording(params, capacity=6000), []
    for _ in range(6000):
        la = me.act(observe(s, "left", params), rng)
        ra = opp.act(observe(s, "right", params), rng)
        new, events = game.transition(s, la, ra, rng, params)
        rec.append(s, la, ra, events, tick_offset(events, new))
        states.append(s)
        s = new
    cols = rec.decoded()
    for i in (1, 700, 2345, 4000, 5999):
        got, want = state_at(cols, i, params), states[i]
        assert got.tick == want.tick and got.t == pytest.approx(want.t)
        for name in ("ball_x", "ball_y", "left_y", "right_y"):
            assert getattr(got, name) == pytest.approx(getattr(want, name), abs=3e-5), name
        for name in ("ball_vx", "ball_vy"):
            assert getattr(got, name) == pytest.approx(getattr(want, name), abs=1e-4), name
        for name in ("left_vy", "right_vy"):
            assert getattr(got, name) == pytest.approx(getattr(want, name), abs=0.01), name
        for name in ("left_hit_t", "right_hit_t", "turn_t", "serve_timer"):
            assert getattr(got, name) == pytest.approx(getattr(want, name), abs=1e-6), name
        assert got.serve_dir == want.serve_dir or i < 200  # known once a serve was seen
        assert got.left_hit_offset == pytest.approx(want.left_hit_offset, abs=0.01)
    with pytest.raises(IndexError):
        state_at(cols, 6000, params)


def test_replays_have_one_length_and_the_clone_starts_where_the_player_did(rec):
    test = mt.build(rec, lazy, "engineered", 7, CFG)
    ticks = int(round(CFG.clip_s / rec.params.dt))
    cols = rec.decoded(last=int(CFG.window_s / rec.params.dt))
    assert len(test.rounds) == CFG.rounds
    starts = []
    for r in test.rounds:
        assert len(r.player["tick"]) == len(r.clone["tick"]) == ticks
        row = int(np.flatnonzero(cols["tick"] == r.player["tick"][0])[0])
        starts.append(row)
        for k in ("ball_x", "ball_y", "ball_vx", "left_y", "right_y", "serve_timer"):
            assert r.clone[k][0] == r.player[k][0], k  # the same state, the same quantisation
            np.testing.assert_array_equal(r.player[k], cols[k][row : row + ticks])
        assert r.player["ball_vx"][0] < 0  # the ball comes the player's way
        assert not np.array_equal(r.player["left_y"], r.clone["left_y"])  # a real other player
    starts.sort()
    assert all(b - a >= ticks for a, b in zip(starts, starts[1:], strict=False))  # no overlap
    clips = test.clips()
    assert clips["rounds"] == CFG.rounds and clips["fps"] == 60
    assert all(len(p[s]["ball_x"]) == ticks // 2 for p in clips["pairs"] for s in "ab")
    assert "key" not in str(clips)


def test_the_key_is_balanced_and_the_test_is_repeatable(rec):
    a = mt.build(rec, lazy, "engineered", 11, CFG)
    b = mt.build(rec, lazy, "engineered", 11, CFG)
    c = mt.build(rec, lazy, "engineered", 12, CFG)
    assert a.key() == b.key() and a.clips() == b.clips()
    assert a.clips() != c.clips()
    for seed in range(20):
        key = mt.balanced_key(10, np.random.default_rng(seed))
        assert key.count("a") == key.count("b") == 5
    odd = mt.balanced_key(7, np.random.default_rng(0))
    assert abs(odd.count("a") - odd.count("b")) == 1


def test_a_judge_always_right_is_never_fooled_one_picking_a_is_fooled_half(rec):
    right = answered(mt.build(rec, late, "engineered", 1, CFG), lambda i, r: r.key)
    assert right["entry"]["fooled"] == 0 and right["entry"]["rounds"] == 10
    assert "0 of 10 rounds (0%)" in right["sentence"]
    left = answered(mt.build(rec, late, "engineered", 1, CFG), lambda i, r: "a")
    assert left["entry"]["fooled"] == 5 and "5 of 10 rounds (50%)" in left["sentence"]
    assert left["entry"] | {"fooled": 0} == right["entry"]  # the same test, the same entry
    assert set(left["entry"]) == {"kind", "at", "game_seconds", "steps", "rounds", "fooled",
                                  "machine_right", "clip_s"}  # fmt: skip
    assert 0 <= left["entry"]["machine_right"] <= 10


def test_answers_come_in_order_and_only_once(rec):
    test = mt.build(rec, lazy, "engineered", 2, CFG)
    with pytest.raises(ValueError, match="answer round 0 next"):
        test.answer(1, "a")
    with pytest.raises(ValueError, match="pick must be one of"):
        test.answer(0, "left")
    for i in range(CFG.rounds):
        test.answer(i, "b")
    with pytest.raises(ValueError, match="is over"):
        test.answer(0, "a")


def test_the_machine_judge_tells_another_player_apart_but_not_the_same_kind(rec):
    """Beside a late, holding person (the recording), a lazy clone and a drifting person are
    named apart in every round; a fresh player of the very same kind leaves it at chance."""
    for other in (lazy, lambda: bots.Drifter().act):
        right = [machine_right(rec, other, s) for s in (0, 1)]
        assert min(right) >= 9, right
    same = [machine_right(rec, late, s) for s in range(4)]
    assert 3 <= np.mean(same) <= 7, same


def machine_right(rec: Recording, maker, seed: int) -> int:
    return answered(mt.build(rec, maker, "engineered", seed, CFG), lambda i, r: r.key)["entry"][
        "machine_right"
    ]


def test_too_little_play_is_refused_with_what_is_missing():
    with pytest.raises(mt.TooLittlePlay, match="needs 120 s of your play, and 60 s"):
        mt.build(record_bot("late", 0, 60.0), lazy, "engineered", 0, CFG)
    with pytest.raises(ValueError, match="2 to 20 rounds"):
        mt.MirrorConfig(rounds=30)
