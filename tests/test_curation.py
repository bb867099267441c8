"""The curating strategies (rare, mistakes) on hand-made frames with known answers, their
determinism, and the extra bots' claimed styles."""

import numpy as np
import pytest

from pymodel.lab.engine import LabConfig, frames_of
from pymodel.learn.sampler import FRAMES_PER_SECOND, N_CELLS, Frame, Sampler, cell_of
from pymodel.learn.trainer import OnlineTrainer
from pymodel.sim import bots, style
from pymodel.sim.features import index_of
from pymodel.sim.recording import record_bot

IDX = index_of("engineered")

STAY_AWAY = np.array([0.8, 0.0, -0.5, 0.1, 0.0, 0.0, 0.0, 0.0, 1.0])  # ball going, at my height
COMING = np.array([0.4, 0.6, 0.5, 0.2, 0.0, 0.0, 0.3, 0.25, 0.3])  # ball coming, far below


def test_cells_separate_phase_action_and_gap():
    cells = {
        cell_of(STAY_AWAY, 1, False, IDX),
        cell_of(STAY_AWAY, 2, False, IDX),
        cell_of(COMING, 2, True, IDX),
        cell_of(COMING * np.array([1, 1, 1, 1, 1, 1, 1, -1, 1]), 2, True, IDX),  # ball above
    }
    assert len(cells) == 4 and all(0 <= c < N_CELLS for c in cells)


def test_rare_thins_out_repeats_and_keeps_new_situations():
    sampler = Sampler(np.random.default_rng(0), "rare", {"cell_cap": 10, "memory": 300})
    assert sampler.keep_probability(1, False, 9.0, STAY_AWAY) == 1.0
    kept = sum(sampler.keep(1, False, 9.0, STAY_AWAY) for _ in range(600))
    # p = cap / n beyond the cap: n grows like sqrt(2 * cap * frames) = 110, not 600
    assert 80 <= kept <= 140
    assert sampler.keep_probability(1, False, 9.0, STAY_AWAY) < 0.5
    assert sampler.keep_probability(2, True, 9.0, COMING) == 1.0  # a new situation


def test_rare_forgets_with_its_memory():
    sampler = Sampler(np.random.default_rng(0), "rare", {"cell_cap": 5, "memory": 1})
    for _ in range(50):
        sampler.current.note(Frame(STAY_AWAY, 1, False, 9.0), kept=True)
    low = sampler.keep_probability(1, False, 9.0, STAY_AWAY)
    for _ in range(5 * FRAMES_PER_SECOND):  # five memories of other frames
        sampler.note_action(0)
    assert low == 0.1 and sampler.keep_probability(1, False, 9.0, STAY_AWAY) == 1.0


def test_mistakes_keeps_what_the_clone_gets_wrong_after_warmup():
    sampler = Sampler(np.random.default_rng(0), "mistakes", {"right_keep": 0.1, "warmup": 1})
    sampler.predict = lambda obs: np.array([0.05, 0.9, 0.05])  # the clone says: stay
    assert sampler.keep_probability(1, False, 9.0, STAY_AWAY) == 1.0  # warming up
    for _ in range(FRAMES_PER_SECOND):
        sampler.note_action(1)
    assert sampler.keep_probability(1, False, 9.0, STAY_AWAY) == 0.1  # right: rarely kept
    assert sampler.keep_probability(0, False, 9.0, STAY_AWAY) == 1.0  # wrong: kept
    sampler.predict = lambda obs: np.array([0.3, 0.5, 0.2])  # right, but not sure
    assert sampler.keep_probability(1, False, 9.0, STAY_AWAY) == 1.0


def test_keep_probability_of_new_strategies_changes_no_state():
    for strategy in ("rare", "mistakes"):
        sampler = Sampler(np.random.default_rng(0), strategy, {})
        sampler.predict = lambda obs: np.array([0.1, 0.8, 0.1])
        cells = getattr(sampler.current, "cells", np.zeros(1))
        before = (cells.copy(), sampler.stats.noted, sampler.stats.shares.copy())
        for _ in range(50):
            sampler.keep_probability(1, False, 9.0, STAY_AWAY)
        assert (cells == before[0]).all() and sampler.stats.noted == before[1]
        assert (sampler.stats.shares == before[2]).all()


@pytest.mark.parametrize("strategy", ["rare", "mistakes"])
def test_curating_trainers_are_deterministic_and_bounded(strategy):
    f = frames_of(record_bot("edge", 3, 40.0), LabConfig())
    out = []
    for _ in range(2):
        tr = OnlineTrainer(np.random.default_rng([3, 1]), strategy=strategy)
        for i in range(len(f.actions)):
            tr.record(f.obs[i], f.actions[i], f.approaching[i], f.since_hit[i])
            tr.owe(f.dt)
            tr.train()
        assert tr.buffer.size <= tr.config.capacity and 0 < tr.kept < tr.seen
        out.append((tr.kept, tr.params["W1"].copy()))
    assert out[0][0] == out[1][0] and np.array_equal(out[0][1], out[1][1])


def test_the_extra_bots_have_the_style_they_claim():
    fp = {b: style.fingerprint(record_bot(b, 0, 120.0).decoded(), "left") for b in bots.BOTS}
    assert abs(fp["laggy"]["wait_y"]["median"] - 0.68) < 0.05  # waits below the centre
    assert fp["laggy"]["reaction_s"]["median"] >= 0.12  # 18 ticks late
    assert fp["laggy"]["hit_offset"]["spread"] > fp["edge"]["hit_offset"]["spread"]  # aim noise
    assert abs(fp["topedge"]["wait_y"]["median"] - 0.25) < 0.05  # waits high
    assert fp["topedge"]["hit_offset"]["median"] < -0.4  # meets the ball with its top end
    assert fp["edge"]["hit_offset"]["median"] > 0.4


def test_a_sampler_that_reads_features_refuses_a_set_without_them():
    with pytest.raises(
        ValueError, match="rare sampler reads the features.*'raw' feature set lacks"
    ):
        Sampler(np.random.default_rng(0), "rare", None, "raw")
    Sampler(np.random.default_rng(0), "relevance", None, "raw")  # reads none: fine


def test_rare_counts_situations_without_the_ball_distance_when_the_set_has_none():
    rare = Sampler(np.random.default_rng(0), "rare", None, "where+time")  # no ball_x: accepted
    assert rare.current.name == "rare"
    eng, where = index_of("engineered"), index_of("where+time")
    near, far = np.zeros(len(eng)), np.zeros(len(eng))
    near[eng["ball_x"]], far[eng["ball_x"]] = 0.1, 0.9
    assert cell_of(near, 1, True, eng) != cell_of(far, 1, True, eng)  # engineered: two bins
    obs = np.zeros(len(where))
    assert cell_of(obs, 1, True, where) == cell_of(near, 1, True, eng)  # one bin, the nearest


def test_keyframe_keeps_the_moments_a_move_changes():
    sampler = Sampler(np.random.default_rng(0), "keyframe", {"window": 0.25, "other_keep": 0.0})
    acts = [1] * 50 + [2] * 50 + [1] * 200  # two changes: at frame 50 and at 100
    kept = [sampler.keep(a, True, 9.0) for a in acts]
    window = int(0.25 * FRAMES_PER_SECOND)
    assert [i for i, k in enumerate(kept) if k] == [
        *range(50, 50 + window),
        *range(100, 100 + window),
    ]
