"""The online trainer learns a scripted player from its frames, within a game-time budget."""

import numpy as np

from pymodel import bots, game
from pymodel.features import approaching, observe
from pymodel.trainer import OnlineTrainer

P = game.GameParams()


def teach(trainer: OnlineTrainer, seconds: float, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    teacher, opp = bots.EdgeHitter(), bots.opponent()
    s = game.initial(rng, P)
    for _ in range(round(seconds / P.dt)):
        obs = observe(s, "left", P)
        la = teacher.act(obs, rng)
        trainer.record(obs, la, approaching(s, "left"), s.t - s.left_hit_t)
        trainer.owe(P.dt)
        trainer.train()
        s, _ = game.transition(s, la, opp.act(observe(s, "right", P), rng), rng, P)


def test_trainer_learns_a_bot_well_above_chance():
    trainer = OnlineTrainer(np.random.default_rng(0))
    assert trainer.mirror_score() == {"approach": None, "away": None, "all": None}
    teach(trainer, 40.0)
    m = trainer.metrics()
    assert m["mirror"]["approach"] > 0.8 and m["mirror"]["all"] > 0.8
    assert 2300 < m["steps"] <= 40 * 60  # 60 steps per game second, less the warm-up
    assert m["seen"] + 40 * 12 == 40 * 120  # every 10th frame held out
    assert 0 < m["kept"] <= m["seen"]
    assert m["loss"] is not None and m["loss"] < 0.5


def test_budget_is_per_game_second_and_waits_for_a_full_batch():
    trainer = OnlineTrainer(np.random.default_rng(0))
    trainer.owe(1.0)
    assert trainer.train() == 0  # empty buffer: nothing to learn from yet
    for i in range(200):
        trainer.record(np.zeros(9), i % 3, True, 10.0)
    trainer.owe(0.5)
    assert trainer.train() == 30
    trainer.owe(0.5)
    assert trainer.train(max_steps=10) == 10
    assert trainer.train(deadline=0.0) == 0


def test_reset_gives_fresh_weights_and_empty_buffer():
    trainer = OnlineTrainer(np.random.default_rng(0))
    teach(trainer, 5.0)
    trainer.reset(np.random.default_rng(5))
    assert trainer.buffer.size == 0 and trainer.steps == 0 and trainer.hold_size == 0


def test_relevance_replay_weights_reach_the_buffer_and_uniform_stays_unweighted():
    knobs = {"impact_window": 0.3, "impact_weight": 3, "switch_window": 0.1, "switch_weight": 2}
    rel = OnlineTrainer(np.random.default_rng(0), strategy="relevance", knobs=knobs)
    uni = OnlineTrainer(np.random.default_rng(0), strategy="uniform")
    teach(rel, 10.0)
    teach(uni, 10.0)
    w = rel.buffer.weights[: rel.buffer.size]
    assert rel.buffer.weighted and set(np.unique(w)) <= {1.0, 2.0, 3.0, 6.0}
    assert (w == 3.0).any() and (w == 2.0).any()
    assert not uni.buffer.weighted and uni.buffer.weights.max() == 1.0


def test_replay_phase_one_keeps_every_frame_and_replays_away_frames_less():
    knobs = {"replay_phase": 1.0, "away_weight": 0.2, "after_hit_weight": 1.0, "stay_balance": 0}
    rel = OnlineTrainer(np.random.default_rng(0), strategy="relevance", knobs=knobs)
    teach(rel, 10.0)
    assert rel.kept == rel.seen  # no data thrown away
    buf = rel.buffer
    w, app = buf.weights[: buf.size], buf.approach[: buf.size]
    assert buf.weighted and (w[app] == 1.0).all() and (w[~app] == 0.2).all()
    x, _ = buf.sample(20_000)
    rows = {tuple(r) for r in buf.obs[: buf.size][~app]}
    away_share = np.mean([tuple(r) in rows for r in x])
    expected = 0.2 * (~app).sum() / (0.2 * (~app).sum() + app.sum())
    assert abs(away_share - expected) < 0.03
