"""The page's training budget: chosen by name, measured, and lowered when the device cannot
keep up (the worker's own decision, said in the settings)."""

import numpy as np
import pytest

from pymodel.lab.variants import preset_variants
from pymodel.learn.budgets import BUDGETS, DEFAULT_BUDGET, LOWEST_STEPS, budget_of
from pymodel.learn.trainer import OnlineTrainer
from pymodel.worker.compute import BEHIND_S, RAISE_AFTER_S, Compute
from pymodel.worker.game_session import Session


def one(session: Session, msg: dict) -> dict:
    return session.handle(msg)[0]


def test_budgets_are_ordered_by_compute_and_refuse_unknown_names():
    steps = [b.steps_per_second for b in BUDGETS]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    with pytest.raises(ValueError, match="budget must be one of"):
        budget_of("turbo")


def test_switching_budget_mid_game_keeps_the_clone_and_the_recording():
    s = Session(seed=4)
    one(s, {"type": "step", "ticks": 600})
    before = (s.trainer.steps, len(s.recording), s.trainer.params["W1"].copy())
    light = one(s, {"type": "set_budget", "budget": "light"})
    assert (
        light["budget"] == "light"
        and light["steps_per_second"] == budget_of("light").steps_per_second
    )
    assert light["sampler"] == budget_of("light").sampler
    assert s.trainer.steps == before[0] and len(s.recording) == before[1]
    assert np.array_equal(s.trainer.params["W1"], before[2])
    err = one(s, {"type": "set_budget", "budget": "nope"})
    assert (
        err["type"] == "error" and one(s, {"type": "get_metrics"})["settings"]["budget"] == "light"
    )
    steps0 = s.trainer.steps
    one(s, {"type": "step", "ticks": 1200})  # ten game seconds
    light_steps = s.trainer.steps - steps0
    one(s, {"type": "set_budget", "budget": "normal"})
    steps1 = s.trainer.steps
    one(s, {"type": "step", "ticks": 1200})
    assert s.trainer.steps - steps1 > light_steps * 2  # normal trains more per game second


def test_a_device_that_cannot_keep_up_gets_a_lower_budget_and_is_told():
    tr = OnlineTrainer(np.random.default_rng(0))
    c = Compute("normal")
    c.apply(tr)
    start = c.steps
    tr.owed = 2 * start  # as far behind as the trainer lets it get
    for _ in range(int(BEHIND_S / 0.1) + 1):
        c.after_advance(tr, 0.1, 0.08, budgeted=True)  # 80 ms of training a 100 ms advance
    assert c.steps < start and c.steps >= LOWEST_STEPS
    assert tr.config.steps_per_game_second == c.steps and "could not keep up" in c.lowered
    keeping = Compute("normal")
    keeping.apply(tr)
    tr.owed = 0.0
    for _ in range(300):  # 10 ms of training per 100 ms of play, for 30 s
        keeping.after_advance(tr, 0.1, 0.01, budgeted=True)
    assert keeping.lowered is None and keeping.steps == budget_of("normal").steps_per_second
    assert keeping.report()["train_ms_per_s"] == pytest.approx(100.0, rel=0.01)
    assert keeping.report()["core_share"] == pytest.approx(0.1, rel=0.01)


def test_the_budgets_preset_races_the_page_budgets_normal_first():
    variants = preset_variants("budgets")
    assert variants[0].budget == budget_of(DEFAULT_BUDGET).steps_per_second
    assert sorted((v.budget, v.strategy) for v in variants) == sorted(
        (b.steps_per_second, b.sampler) for b in BUDGETS
    )
    assert all(v.name.startswith(n) for v, n in zip(variants[1:], ["light", "full"], strict=True))


def test_the_compute_grid_judges_every_budget_the_page_offers():
    grid = {(v.budget, v.strategy) for v in preset_variants("compute")}
    for b in BUDGETS:
        assert (b.steps_per_second, b.sampler) in grid
        assert (b.steps_per_second, "uniform") in grid  # against the baseline, at its budget


def test_a_lowered_budget_comes_back_once_the_device_keeps_up_again():
    """A busy moment lowers the budget; keeping up for RAISE_AFTER_S with room to spare
    doubles it again, up to the player's choice, and the notice goes; a device still near
    its limit stays lowered."""
    tr = OnlineTrainer(np.random.default_rng(0))
    c = Compute("normal")
    c.apply(tr)
    chosen = c.steps
    tr.owed = 2 * chosen
    while c.steps > chosen / 4:  # a long busy spell: lowered twice
        c.after_advance(tr, 0.1, 0.08, budgeted=True)
    assert c.lowered and c.steps == chosen / 4
    tr.owed = 0.0
    for _ in range(int(RAISE_AFTER_S / 0.1) + 1):  # keeping up, 10 ms of training in 100 ms
        c.after_advance(tr, 0.1, 0.01, budgeted=True)
    assert c.steps == chosen / 2 and "raised again" in c.lowered
    assert tr.config.steps_per_game_second == c.steps
    for _ in range(int(RAISE_AFTER_S / 0.1) + 1):
        c.after_advance(tr, 0.1, 0.01, budgeted=True)
    assert c.steps == chosen and c.lowered is None
    slow = Compute("normal")
    slow.apply(tr)
    tr.owed = 2 * chosen
    for _ in range(int(BEHIND_S / 0.1) + 1):
        slow.after_advance(tr, 0.1, 0.08, budgeted=True)
    tr.owed = 0.0
    for _ in range(int(3 * RAISE_AFTER_S / 0.1)):  # keeps up, but with 250 ms a second of
        slow.after_advance(tr, 0.1, 0.025, budgeted=True)  # training: no room to double
    assert slow.steps == chosen / 2 and slow.lowered
