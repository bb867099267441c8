"""The online trainer learns a scripted player from its frames, within a game-time budget."""

import numpy as np

from pymodel.formats import weights
from pymodel.learn.trainer import OnlineTrainer, TrainerConfig
from pymodel.sim import bots, game
from pymodel.sim.features import N_FEATURES, approaching, observe

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
        trainer.record(np.zeros(N_FEATURES), i % 3, True, 10.0)
    trainer.owe(0.5)
    assert trainer.train() == 30
    trainer.owe(0.5)
    assert trainer.train(max_steps=10) == 10
    assert trainer.train(deadline=0.0, clock=lambda: 1.0) == 0


def test_reset_gives_fresh_weights_and_empty_buffer():
    trainer = OnlineTrainer(np.random.default_rng(0))
    teach(trainer, 5.0)
    trainer.reset(np.random.default_rng(5))
    assert trainer.buffer.size == 0 and trainer.steps == 0 and trainer.hold_size == 0


def test_a_loaded_clone_trains_on_adams_fast_path_and_plays_the_same():
    a = OnlineTrainer(np.random.default_rng(0))
    teach(a, 5.0)
    b = OnlineTrainer(np.random.default_rng(1))
    weights.load_into(b, weights.export_clone(a))
    x = np.random.default_rng(2).uniform(-1, 1, size=(20, N_FEATURES))
    assert (a.decide(x)[0] == b.decide(x)[0]).all()
    teach(b, 2.0)
    assert b.adam._tiled is not None  # one flat buffer: the one-call update
    assert b.steps > 0


def test_unbudgeted_training_runs_to_its_limit_and_leaves_the_debt():
    trainer = OnlineTrainer(np.random.default_rng(0))
    for i in range(200):
        trainer.record(np.zeros(N_FEATURES), i % 3, True, 10.0)
    assert trainer.train(max_steps=25, budgeted=False) == 25
    assert trainer.owed == 0.0


def test_holdout_every_zero_holds_nothing_out():
    from pymodel.learn.trainer import TrainerConfig

    trainer = OnlineTrainer(np.random.default_rng(0), TrainerConfig(holdout_every=0))
    teach(trainer, 2.0)
    assert trainer.hold_size == 0 and trainer.seen == 240


def test_with_ema_the_clone_plays_a_running_average_of_its_weights():
    """``ema``: the played weights trail the trained ones (an average of the path), the same
    run twice gives the same average, and a reset forgets it."""
    plain = OnlineTrainer(np.random.default_rng(0))
    assert plain.play_params is plain.params
    avg = [OnlineTrainer(np.random.default_rng(0), TrainerConfig(ema=0.99)) for _ in range(2)]
    for t in (plain, *avg):
        teach(t, 5.0)
    a, b = avg
    keys = list(a.params)
    assert all(np.array_equal(a.params[k], plain.params[k]) for k in keys)  # training as before
    assert any(not np.allclose(a.play_params[k], a.params[k]) for k in keys)  # plays the average
    assert all(np.array_equal(a.play_params[k], b.play_params[k]) for k in keys)
    a.reset(np.random.default_rng(1))
    assert a.play_params is a.params
