"""The bench request: flat-out training, turbo advance, and tick / advance timings."""

import pytest

from pymodel.sim.features import N_FEATURES
from pymodel.worker.game_session import Session
from pymodel.worker.probe import BENCH_MIN_BUFFER


def bench(session: Session, **fields) -> dict:
    replies = session.handle({"type": "bench", "id": 7, **fields})
    assert len(replies) == 1 and replies[0]["id"] == 7
    return replies[0]


def test_train_fills_an_empty_buffer_and_trains_for_the_time_asked():
    s = Session(seed=4)
    assert s.trainer.buffer.size == 0
    w_before = s.trainer.params["W1"].copy()
    r = bench(s, mode="train", seconds=0.2)
    assert r["type"] == "bench_result" and r["mode"] == "train"
    assert s.trainer.buffer.size >= BENCH_MIN_BUFFER
    assert r["steps"] > 0 and r["steps"] == s.trainer.steps
    assert r["seconds"] == pytest.approx(0.2, abs=0.15)
    assert r["steps_per_s"] == pytest.approx(r["steps"] / r["seconds"])
    assert r["batch"] == 64 and r["sizes"] == [N_FEATURES, 32, 32, 3]
    assert (s.trainer.params["W1"] != w_before).any()
    assert s.trainer.owed == 0.0  # no debt left behind for normal play


def test_turbo_trains_past_the_game_time_budget_and_reports_what_it_did():
    def steps_in_one_game_second(turbo: bool) -> int:
        s = Session(seed=1)
        bench(s, mode="train", seconds=0.01)  # a buffer to learn from
        before = s.trainer.steps
        if turbo:
            assert bench(s, mode="turbo", on=True)["steps"] == 0
        for _ in range(60):
            s.handle({"type": "advance", "dt": 1 / 60, "train_ms": 5})
        if turbo:
            off = bench(s, mode="turbo", on=False)
            assert off["on"] is False and off["ticks"] == 120
            assert off["steps"] == s.trainer.steps - before
            assert off["seconds"] > 0 and off["steps_per_s"] > 0
        return s.trainer.steps - before

    normal = steps_in_one_game_second(turbo=False)
    assert normal <= 61  # the budget: 60 steps per game second
    assert steps_in_one_game_second(turbo=True) > 2 * normal


def test_turbo_off_returns_to_the_budget():
    s = Session(seed=2)
    bench(s, mode="train", seconds=0.01)
    bench(s, mode="turbo", on=True)
    bench(s, mode="turbo", on=False)
    before = s.trainer.steps
    for _ in range(60):
        s.handle({"type": "advance", "dt": 1 / 60, "train_ms": 5})
    assert s.trainer.steps - before <= 61


def test_stats_time_ticks_and_advances_and_reset_clears_them():
    s = Session()
    empty = bench(s, mode="stats")
    assert empty["tick_ms"] == {"n": 0, "median": None, "p99": None}
    for _ in range(10):
        s.handle({"type": "advance", "dt": 1 / 60, "train_ms": 1})
    r = bench(s, mode="stats", reset=True)
    assert r["tick_ms"]["n"] == 20 and r["advance_ms"]["n"] == 10
    assert 0 < r["tick_ms"]["median"] <= r["tick_ms"]["p99"]
    assert r["advance_ms"]["median"] >= r["tick_ms"]["median"]
    assert bench(s, mode="stats")["advance_ms"]["n"] == 0


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"mode": "fly"}, "bench mode must be"),
        ({}, "bench mode must be"),
        ({"mode": "train", "seconds": 0}, "must be in"),
        ({"mode": "train", "seconds": 31}, "must be in"),
        ({"mode": "turbo"}, "true or false"),
    ],
)
def test_bad_bench_requests_are_error_replies(fields, message):
    r = bench(Session(), **fields)
    assert r["type"] == "error" and r["request"] == "bench"
    assert message in r["message"]
