"""Feature sets and network sizes: mirrored, in range, vectorised == scalar, through the
weights file and the live session (set_network), and the priors/frontier reports."""

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pytest

from pymodel.formats import weights
from pymodel.formats.weights import WeightsError, load, to_json
from pymodel.lab import engine as lab
from pymodel.lab import report as priors
from pymodel.lab import variants
from pymodel.lab.charts import frontier_svg, priors_svg
from pymodel.learn import mlp
from pymodel.learn.networks import HIDDEN_CHOICES, Network, n_params
from pymodel.learn.trainer import OnlineTrainer, TrainerConfig, fresh_clone
from pymodel.sim import game
from pymodel.sim.features import (
    FEATURE_RANGES,
    FEATURE_SETS,
    index_of,
    n_features,
    observe,
    observe_columns,
)
from pymodel.sim.recording import record_bot
from pymodel.worker.game_session import Session
from pymodel.worker.schema import schema

from .helpers import mirror_state, states_of

P = game.GameParams()
SETS = list(FEATURE_SETS)


def random_play(seed: int, ticks: int):
    """States of a game where both sides press random keys (long rallies, every corner)."""
    rng = np.random.default_rng(seed)
    s = game.initial(rng, P)
    for _ in range(ticks):
        yield s
        s, _ = game.transition(s, int(rng.integers(3)), int(rng.integers(3)), rng, P)


@pytest.mark.parametrize("fs", SETS)
def test_each_set_is_mirrored_and_stays_in_its_documented_ranges(fs):
    lo = np.array([FEATURE_RANGES[f][0] for f in FEATURE_SETS[fs]]) - 1e-9
    hi = np.array([FEATURE_RANGES[f][1] for f in FEATURE_SETS[fs]]) + 1e-9
    for i, s in enumerate(random_play(4, 120 * 240)):
        left = observe(s, "left", P, feature_set=fs)
        right = observe(s, "right", P, feature_set=fs)
        assert left.shape == (n_features(fs),)
        assert np.all(left >= lo) and np.all(left <= hi) and np.all(right >= lo)
        assert np.all(right <= hi)
        if i % 7 == 0:
            m = mirror_state(s, P)
            np.testing.assert_allclose(left, observe(m, "right", P, feature_set=fs), atol=1e-12)


def test_raw_shows_no_intercept_and_unknown_sets_are_refused():
    assert "intercept_dy" not in FEATURE_SETS["raw"]
    assert "time_to_impact" not in FEATURE_SETS["raw"]
    with pytest.raises(ValueError, match="known"):
        observe(game.initial(np.random.default_rng(0), P), "left", P, feature_set="pixels")


def test_where_time_cannot_tell_a_slow_ball_from_a_fast_one():
    """The same ball, in the same place and direction, at its speed and at another (half to
    all of the top speed): ``where+time`` sees one state, ``engineered+time`` two; and
    ``coming`` says what ``time_to_impact < 1`` says."""
    rng = np.random.default_rng(3)
    seen = 0
    for s in random_play(5, 120 * 60):
        speed = math.hypot(s.ball_vx, s.ball_vy)
        if s.serve_timer > 0.0 or speed == 0.0:
            continue
        k = P.max_speed / speed * (0.5 + 0.5 * rng.random())
        fast = replace(s, ball_vx=s.ball_vx * k, ball_vy=s.ball_vy * k)
        for side in ("left", "right"):
            np.testing.assert_allclose(
                observe(s, side, P, feature_set="where+time"),
                observe(fast, side, P, feature_set="where+time"),
                atol=1e-9,
            )
            e = observe(s, side, P, feature_set="engineered+time")
            assert not np.allclose(e, observe(fast, side, P, feature_set="engineered+time"))
            tti = observe(s, side, P)[index_of("engineered")["time_to_impact"]]
            coming = observe(s, side, P, feature_set="where+time")[index_of("where+time")["coming"]]
            assert coming in (0.0, 1.0) and (coming == 1.0 or tti == 1.0)  # tti < 1: coming
        seen += 1
    assert seen > 1000


def test_where_away_says_where_the_ball_is_level_and_which_way_it_goes_only_while_it_goes():
    """While the ball moves away, ``level_offset`` is where on my paddle the ball is level
    (hit-offset scale: 0 for a paddle level with it) and ``away_vy`` tells where the ball was a
    tick ago, which a player who sees it late steers by; while it comes both are 0, so a slow
    coming ball still looks like a fast one."""
    fs = "where+away"
    i = index_of(fs)
    rng = np.random.default_rng(7)
    away = coming = 0
    prev = None
    for s in random_play(8, 120 * 120):
        for side, own in (("left", s.left_y), ("right", s.right_y)):
            now = observe(s, side, P, feature_set=fs)
            if now[i["coming"]] == 1.0:
                assert now[i["level_offset"]] == 0.0 and now[i["away_vy"]] == 0.0
                k = 0.5 + 0.5 * rng.random()
                slow = replace(s, ball_vx=s.ball_vx * k, ball_vy=s.ball_vy * k)
                np.testing.assert_allclose(now, observe(slow, side, P, feature_set=fs), atol=1e-9)
                coming += 1
                continue
            level = (s.ball_y - own) / (P.paddle_h / 2.0) / 2.0
            if abs(level) < 1.0:
                assert now[i["level_offset"]] == pytest.approx(level, abs=1e-9)
            stay = replace(s, left_y=s.ball_y) if side == "left" else replace(s, right_y=s.ball_y)
            assert observe(stay, side, P, feature_set=fs)[i["level_offset"]] == 0.0
            if prev is not None and prev.ball_vy == s.ball_vy and s.serve_timer <= 0.0:
                was = s.ball_y - now[i["away_vy"]] * P.max_speed * P.dt
                assert was == pytest.approx(prev.ball_y, abs=1e-9)  # no wall between: exact
                away += 1
        prev = s
    assert away > 1000 and coming > 1000


def test_meet_offset_is_the_hit_offset_a_paddle_that_stays_still_gets():
    """Whenever the ball starts coming, ``meet_offset`` says where on the paddle it will land
    if the paddle stays put: played out with both paddles still, a hit's offset is twice the
    feature, and a ball it says misses the paddle (beyond its ends) is missed."""
    fs, hits, misses = "where+meet", 0, 0
    i, coming = index_of(fs)["meet_offset"], index_of(fs)["coming"]
    was = {"left": 1.0, "right": 1.0}  # whether the ball came the tick before, for each side
    for s in random_play(6, 120 * 300):
        for side in ("left", "right"):
            now = observe(s, side, P, feature_set=fs)
            first, was[side] = was[side] != 1.0 and now[coming] == 1.0, now[coming]
            if not first:
                continue  # only the first tick of an approach
            t, rng = s, np.random.default_rng(0)
            for _ in range(120 * 10):
                t, events = game.transition(t, 1, 1, rng, P)
                if f"hit_{side}" in events or any(e.startswith("score") for e in events):
                    break
            if f"hit_{side}" in events:
                offset = t.left_hit_offset if side == "left" else t.right_hit_offset
                # (the ball's radius lets it meet an end: the game clamps that offset to +-1)
                assert offset == pytest.approx(np.clip(2.0 * now[i], -1.0, 1.0), abs=0.03)
                hits += 1
            elif abs(now[i]) > 0.6:  # well beyond the paddle's ends (0.5)
                misses += 1
            else:
                assert abs(now[i]) > 0.45, now[i]  # a miss it placed on the paddle: its edge
    assert hits > 20 and misses > 20


@pytest.mark.parametrize("fs", SETS)
def test_vectorised_equals_scalar_for_each_set(fs):
    rec = record_bot("tracker", 1, 20.0)
    cols = observe_columns(rec.decoded(), "left", P, fs)
    rows = np.array([observe(s, "left", P, feature_set=fs) for s, *_ in states_of(rec)])
    assert cols.shape == rows.shape == (len(rec), n_features(fs))
    np.testing.assert_allclose(cols, rows, atol=1e-9)


@pytest.mark.parametrize("fs", SETS)
def test_each_set_round_trips_through_the_weights_file(fs):
    params = mlp.init_params([n_features(fs), 8, 3], np.random.default_rng(2))
    text = to_json(params, "tanh", {"k": 1}, feature_set=fs)
    assert json.loads(text)["features"] == list(FEATURE_SETS[fs])
    back = load(text)
    assert back.feature_set == fs and back.meta == {"k": 1}
    for k in params:
        np.testing.assert_array_equal(params[k], back.params[k])
    tr = OnlineTrainer(np.random.default_rng(0))
    weights.load_into(tr, text)
    assert tr.feature_set == fs and tr.buffer.obs.shape[1] == n_features(fs)


def _raw_text(**change) -> str:
    params = mlp.init_params([6, 4, 3], np.random.default_rng(0))
    doc = json.loads(to_json(params, "tanh", feature_set="raw"))
    doc.update(change)
    return json.dumps(doc)


def test_bad_feature_lists_are_refused_each_with_its_own_message():
    raw = list(FEATURE_SETS["raw"])
    with pytest.raises(WeightsError, match="'raw' in the wrong order"):
        load(_raw_text(features=raw[::-1]))
    with pytest.raises(WeightsError, match="not a known feature set.*engineered.*raw"):
        load(_raw_text(features=[*raw, "pixels"]))
    with pytest.raises(WeightsError, match="first layer has 6 inputs.*'engineered' has 9"):
        load(_raw_text(features=list(FEATURE_SETS["engineered"])))
    load(_raw_text())  # the untouched file is fine


def test_a_raw_clone_imported_into_a_session_plays():
    tr = fresh_clone(5, Network("raw", (8,)))
    s = Session()
    [imported] = s.handle({"type": "import", "text": weights.export_clone(tr)})
    assert imported["type"] == "imported" and imported["feature_set"] == "raw"
    assert imported["layer_sizes"] == [6, 8, 3]
    s.handle({"type": "input", "target": 0.8})
    assert s.handle({"type": "step", "ticks": 240})[0]["type"] == "frame"
    assert s.trainer.buffer.size > 0 and s.trainer.buffer.obs.shape[1] == 6
    ok = s.handle({"type": "decide", "observations": [[0.1] * 6, [0.0] * 6]})[0]
    assert ok["type"] == "decisions" and len(ok["actions"]) == 2
    bad = s.handle({"type": "decide", "observations": [[0.1] * 9]})[0]
    assert bad["type"] == "error"
    ready = s.handle({"type": "init", "weights": weights.export_clone(tr)})[0]
    assert ready["features"] == list(FEATURE_SETS["raw"])
    assert ready["settings"]["feature_set"] == "raw"


def test_set_network_switches_and_a_bad_one_changes_nothing():
    s = Session(seed=3)
    s.handle({"type": "step", "ticks": 60})
    [reply] = s.handle({"type": "set_network", "feature_set": "raw", "hidden": [8, 8][:1]})
    assert reply["type"] == "settings", reply
    assert reply["feature_set"] == "raw" and reply["hidden"] == [8] and reply["seed"] == 3
    assert s.trainer.layer_sizes() == [6, 8, 3] and s.match.last_obs.shape == (6,)
    s.handle({"type": "step", "ticks": 120})
    assert s.trainer.buffer.obs.shape[1] == 6 and s.trainer.buffer.size > 0
    before = s.trainer
    for bad in (
        {"feature_set": "pixels"},
        {"hidden": [5]},
        {"hidden": "32x32"},
        {"activation": "sigmoid"},
    ):
        [err] = s.handle({"type": "set_network", **bad})
        assert err["type"] == "error" and err["request"] == "set_network"
        assert s.trainer is before and s.match.feature_set == "raw"
    settings = s.handle({"type": "set_learning", "on": True})[0]
    assert settings["feature_set"] == "raw" and settings["hidden"] == [8]


def test_schema_offers_the_sets_and_sizes_with_parameter_counts():
    sch = schema()
    assert [f["name"] for f in sch["feature_sets"]] == SETS
    assert all(f["help"] and f["features"] for f in sch["feature_sets"])
    assert [c["hidden"] for c in sch["hidden_choices"]] == [list(h) for h in HIDDEN_CHOICES]
    c = sch["hidden_choices"][0]
    assert c["params"]["raw"] == n_params([6, 4, 3]) == 7 * 4 + 5 * 3
    assert {p["name"] for p in sch["lab_presets"]} >= {"priors", "frontier"}


def test_priors_preset_replays_each_set_on_its_own_frames():
    rec = record_bot("edge", 2, 20.0)
    run = lab.LabRun(rec, variants.PRESETS["priors"], [0], lab.LabConfig(threshold=1.01))
    assert run.frames_by_set["raw"].obs.shape[1] == 6
    assert run.frames_by_set["engineered"].obs.shape[1] == 9
    while not run.done:
        run.step()
    res = run.results()
    assert {r["feature_set"] for r in res} == {"engineered", "raw"}
    assert all(r["time"] is None for r in res)
    raw = [r for r in res if r["feature_set"] == "raw"]
    assert all(r["params"] == n_params([6, 32, 32, 3]) for r in raw)


def test_frontier_preset_options():
    vs = variants.preset_variants("frontier", "raw", "tanh")
    assert [v.hidden for v in vs] == list(HIDDEN_CHOICES)
    assert all(v.feature_set == "raw" and v.activation == "tanh" for v in vs)
    with pytest.raises(ValueError, match="compares feature sets"):
        variants.preset_variants("priors", "raw")


def _cell(times):
    from pymodel.lab.judge import censored_median

    return {
        "median": censored_median(times),
        "mirrored": sum(t is not None for t in times),
        "runs": len(times),
        "times": times,
    }


def test_frontier_marks_the_smallest_network_within_120_s_and_draws_censored_runs_open():
    vs = variants.preset_variants("frontier", "raw", "tanh")
    infos = [v.info() for v in vs]
    times = {"4": [None, None, 200.0], "8": [150.0, 130.0, None], "16": [100.0, 110.0, 90.0]}
    cells = {v.name: _cell(times.get(v.name, [50.0, 60.0, 70.0])) for v in vs}
    rows = priors.frontier_rows(cells, infos)
    assert [r["name"] for r in rows if r["frontier"]] == ["16"]
    assert rows[0]["params"] < rows[-1]["params"]
    text = priors.frontier_table(rows, 300.0)
    assert "16 " in text and " *" in text
    assert "smallest network mirroring within 120 s is 16" in priors.frontier_reading(rows, 300)
    svg = frontier_svg(rows, 300.0, 120.0, "reading")
    ET.fromstring(svg)
    assert 'fill="white"' in svg  # the censored runs and the censored median of "4"


def test_priors_table_and_reading():
    infos = [v.info() for v in variants.PRESETS["priors"]]
    cells = {
        "engineered uniform": _cell([40.0, 50.0, 60.0]),
        "engineered relevance": _cell([30.0, 40.0, 50.0]),
        "raw uniform": _cell([None, None, 200.0]),
        "raw relevance": _cell([100.0, 150.0, None]),
    }
    table = priors.priors_table(cells, infos, 300.0)
    assert ">300 (1/3)" in table and "150 (2/3)" in table
    reading = priors.priors_reading(cells, infos, 300.0)
    assert "at least 250 s with uniform" in reading and "110 s with relevance" in reading
    assert "0.80 with the prior" in reading and "n/a without" in reading
    ET.fromstring(priors_svg(priors.priors_grid(cells, infos), 300.0, reading))
    assert not math.isnan(cells["raw uniform"]["median"])


def test_trainer_refuses_a_config_whose_width_is_not_its_set():
    with pytest.raises(ValueError, match="feature set 'raw' has 6"):
        OnlineTrainer(np.random.default_rng(0), TrainerConfig(feature_set="raw"))
