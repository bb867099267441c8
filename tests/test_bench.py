"""The benchmark: the worker's bench request (flat-out training, turbo advance, tick and
advance timings), and the pure parts of scripts/bench/ (the report built from FIGURES and
GOALS, input latencies, the trace breakdown, the command line)."""

import subprocess
import sys
from pathlib import Path

import pytest

from pymodel.learn.networks import play_network
from pymodel.worker.game_session import Session
from pymodel.worker.probe import BENCH_MIN_BUFFER

N_FEATURES = play_network().sizes[0]  # a new game's clone's inputs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench import budgets, play, report, trace  # noqa: E402


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
    assert empty["tick_ms"] == {"n": 0, "median": None, "p99": None, "total": 0.0}
    for _ in range(10):
        s.handle({"type": "advance", "dt": 1 / 60, "train_ms": 1})
    r = bench(s, mode="stats", reset=True)
    assert r["tick_ms"]["n"] == 20 and r["advance_ms"]["n"] == 10
    assert 0 < r["tick_ms"]["median"] <= r["tick_ms"]["p99"] <= r["tick_ms"]["total"]
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


# ---------------------------------------------------------------- scripts/bench/ (no browser)
def test_every_goal_is_a_row_of_the_report_and_every_row_has_a_section():
    keys = [f.key for f in report.FIGURES]
    assert len(keys) == len(set(keys))
    assert {g.key for g in report.GOALS} <= set(keys)
    assert {k.split(".")[0] for k in keys} <= set(report.SECTIONS)


def row_of(text: str, label: str) -> list[str]:
    line = next(x for x in text.splitlines() if x.strip().startswith(label))
    return line[len(line) - len(line.lstrip()) + len(label) :].split()


def test_the_report_shows_each_site_with_its_load_and_each_goal_met_or_not():
    runs = {
        "before": {"phone4x": {"frames_per_min": 595, "interval_p99_ms": 333.4, "load": 1.25}},
        "after": {"phone4x": {"frames_per_min": 3512, "interval_p99_ms": 51.0, "load": 1.75}},
    }
    text = report.report(runs, ["context line"])
    assert "4. phone 390x844" in text and text.rstrip().endswith("context line")
    assert row_of(text, "frames drawn a minute (rAF)") == [
        "595", "1.2", "3,512", "1.8", ">=", "3,300", "NOT", "MET", "met"
    ]  # fmt: skip
    assert row_of(text, "rAF interval p99") == [
        "333.4", "ms", "1.2", "51.0", "ms", "1.8", "<=", "50", "ms", "NOT", "MET", "NOT", "MET"
    ]  # fmt: skip
    boot = ["-", "1.2", "-", "1.8", "<=", "3", "s", "-", "-"]  # measured by nobody here
    assert row_of(text, "warm boot (median of reloads)") == boot
    assert "2. desktop" not in text  # sections nobody measured are left out
    assert report.summary(runs) == ["goals not met: phone 4x rAF p99 (<= 50 ms)"]


def test_lookup_follows_dotted_keys_and_says_none_for_what_is_missing():
    run = {"desktop": {"tick_ms": {"median": 0.5, "p99": None}}}
    assert report.lookup(run, "desktop.tick_ms.median") == 0.5
    assert report.lookup(run, "desktop.tick_ms.p99") is None
    assert report.lookup(run, "boot.warm_ms") is None


def draws_moving(start_ms: float, step: float, n: int = 40) -> list[list[float]]:
    """Draws every 16 ms of a paddle at rest at 0.5 until start_ms, then moving by step."""
    out, y = [], 0.5
    for i in range(n):
        t = i * 16.0
        if t > start_ms:
            y += step
        out.append([t, y])
    return out


def test_key_latency_is_the_first_draw_that_moves_the_pressed_way():
    draws = draws_moving(200, 0.01)
    lat, excluded = play.input_latencies(
        draws, [[190, "down", "ArrowDown"], [190, "up", "ArrowDown"]]
    )
    assert lat == [18.0] and excluded == 0  # the draw at 208 ms is the first one moved
    lat, excluded = play.input_latencies(draws, [[190, "down", "ArrowUp"]])
    assert lat == [] and excluded == 1  # it never moved up: not counted as a latency


def test_finger_latency_counts_new_inputs_only():
    draws = draws_moving(200, 0.01)
    lat, excluded = play.touch_latencies(draws, [(150, 0.9)])  # below a paddle at rest
    assert lat == [58.0] and excluded == 0
    # Moving down already (from 208 ms): a finger further down asks for nothing new.
    assert play.touch_latencies(draws, [(300, 1.0)]) == ([], 0)
    assert play.touch_latencies(draws, [(150, 0.51)]) == ([], 0)  # too close to ask a move
    assert play.touch_latencies(draws, [(150, 0.1)]) == ([], 1)  # up: it never went


def node(i: int, name: str, url: str = "", parent: int | None = 1) -> dict:
    out = {"id": i, "callFrame": {"functionName": name, "url": url}}
    return out if parent is None else {**out, "parent": parent}


def span(name: str, ts: int, dur: int) -> dict:
    return {"ph": "X", "name": name, "pid": 7, "tid": 7, "ts": ts, "dur": dur}


def synthetic_trace() -> list[dict]:
    """A main thread with a script task (a layout forced inside it) and a paint, and CPU
    samples of 1 ms."""
    nodes = [
        node(1, "(root)", parent=None),
        node(2, "(idle)"),
        node(3, "(program)"),
        node(4, "loop", "http://x/app/game/renderer.js"),
        node(5, "onMetrics", "http://x/app/dashboard/training.js"),
        node(6, "fitCanvas", "http://x/app/ui/charts.js?v=1", parent=5),
        node(7, "getBoundingClientRect", parent=4),
    ]
    samples = [2, 2, 4, 4, 4, 6, 6, 7, 3, 3]  # sample i at 1000 + 1000 * (i + 1) us
    chunk = {"cpuProfile": {"nodes": nodes, "samples": samples}, "timeDeltas": [1000] * 10}
    main = {"pid": 7, "tid": 7}
    return [
        {"ph": "M", "name": "thread_name", **main, "args": {"name": "CrRendererMain"}},
        span("FunctionCall", 2500, 7000),
        span("Layout", 8500, 1000),
        span("Paint", 9500, 1000),
        {"ph": "P", "name": "Profile", **main, "id": "0x1", "args": {"data": {"startTime": 1000}}},
        {
            "ph": "P",
            "name": "ProfileChunk",
            "pid": 7,
            "tid": 99,
            "id": "0x1",
            "args": {"data": chunk},
        },
    ]


def test_the_trace_breakdown_gives_each_sample_one_job():
    events = synthetic_trace()
    assert trace.main_thread(events) == (7, 7)
    out = trace.breakdown(events, seconds=1.0)
    ms = out["ms_per_s"]
    assert ms["court drawing"] == 3.0  # renderer.js on the stack
    assert ms["charts"] == 2.0  # charts.js counts for the training card that called it
    assert ms["layout and style recalculation"] == 1.0  # a forced layout inside the script
    assert ms["paint, composite, commit"] == 1.0
    assert ms["other"] == 0.0  # the last sample has no next one to give it a duration
    assert out["busy_ms_per_s"] == 7.0  # all but the two idle samples
    assert out["share"]["court drawing"] == pytest.approx(3 / 7)


@pytest.mark.parametrize("how", ["folder", "module"])
def test_the_bench_runs_as_a_folder_and_as_a_module(how):
    cmd, cwd = (
        ([sys.executable, "scripts/bench", "--help"], ROOT)
        if how == "folder"
        else ([sys.executable, "-m", "bench", "--help"], ROOT / "scripts")
    )
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    for option in ("--boot-only", "--before", "--trace", "--quick", "--json", "--jobs"):
        assert option in out.stdout


def test_an_unknown_job_is_refused_with_the_known_ones():
    out = subprocess.run(
        [sys.executable, "scripts/bench", "--jobs", "phone4x,nosuch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "nosuch" in out.stderr and "phone4x" in out.stderr and "budgets" in out.stderr


def test_a_budget_is_one_more_address_parameter():
    assert budgets.with_param("http://h/", "budget", "light") == "http://h/?budget=light"
    assert (
        budgets.with_param("http://h/?seed=3", "budget", "full") == "http://h/?seed=3&budget=full"
    )
