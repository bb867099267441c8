"""The Lab's replay engine: same frames for every clone, nothing held out is trained on,
deterministic under a seed, sliceable, censored runs counted; and the summary and sentence."""

import hashlib

import numpy as np
import pytest

from pymodel.lab import engine as lab
from pymodel.lab import report as labreport
from pymodel.lab import variants
from pymodel.learn.networks import Network
from pymodel.learn.trainer import OnlineTrainer, TrainerConfig
from pymodel.sim import bots, style
from pymodel.sim.features import N_FEATURES
from pymodel.sim.recording import record_bot, record_matches

FAST = lab.LabConfig(profile_seconds=5.0, profile_matches=2, min_hits=2)
NEVER = lab.LabConfig(threshold=1.01)  # no clone can pass: every run is censored


@pytest.fixture(scope="module")
def rec():
    return record_bot("edge", 2, 40.0)


def test_replay_is_deterministic_and_slicing_does_not_change_it(rec):
    a = lab.replay(rec, variants.PRESETS["curation"], [0, 1], FAST)
    b = lab.replay(rec, variants.PRESETS["curation"], [0, 1], FAST)
    assert a == b
    run = lab.LabRun(rec, variants.PRESETS["curation"], [0, 1], FAST)
    fractions = []
    while not run.done:
        fractions.append(run.step(333)["fraction"])
    assert run.results() == a
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 10
    assert [(r["variant"], r["seed"]) for r in a] == [
        ("uniform", 0),
        ("relevance", 0),
        ("uniform", 1),
        ("relevance", 1),
    ]


def test_every_clone_gets_the_same_frames_and_never_a_held_out_one(rec, monkeypatch):
    log: dict[int, list] = {}
    original = OnlineTrainer.record

    def spy(self, obs, action, approaching, since_hit):
        log.setdefault(id(self), []).append((obs.copy(), action, approaching, since_hit))
        return original(self, obs, action, approaching, since_hit)

    monkeypatch.setattr(OnlineTrainer, "record", spy)
    small = variants.Variant("small", "relevance", net=Network(hidden=(8,)))
    run = lab.LabRun(rec, (*variants.PRESETS["curation"], small), [0, 1], NEVER)
    while not run.done:
        run.step(1000)
    f = run.frames
    trained = np.flatnonzero(~f.held)
    assert f.held.sum() > 0 and len(log) == len(run.runs) == 6
    n, held_idx = len(f.actions), np.flatnonzero(f.held)  # stretches of the last fifth
    start, block, guard = n - n // 5, 240, 30  # 2 s stretches, 0.25 s guards, at 120 Hz
    assert held_idx[0] == start - guard
    starts = held_idx[np.flatnonzero(np.diff(held_idx) > 1) + 1]
    assert list(np.diff(starts)) == [2 * block] * (len(starts) - 1)  # every other stretch
    assert len(held_idx) / (n // 5) > 0.5  # about half of the last fifth, guards included
    digests = set()
    for calls in log.values():
        obs = np.array([c[0] for c in calls])
        assert np.array_equal(obs, f.obs[trained])  # exactly the non-held frames, in order
        assert [c[1] for c in calls] == [f.actions[i] for i in trained]
        digests.add(hashlib.sha256(repr([c[1:] for c in calls]).encode() + obs.tobytes()).digest())
    assert len(digests) == 1
    held_rows = {f.obs[i].tobytes() for i in np.flatnonzero(f.held)}
    trained_rows = {f.obs[i].tobytes() for i in trained}
    for calls in log.values():  # no row passed to record is a held-out row (unless identical)
        passed = {c[0].tobytes() for c in calls}
        assert passed <= trained_rows and not (passed & held_rows - trained_rows)
    assert {r["seen"] for r in run.results()} == {len(trained)}


def test_same_seed_same_initial_weights_for_the_same_network(rec):
    small = variants.Variant("small", "relevance", net=Network(hidden=(8,)))
    run = lab.LabRun(rec, (*variants.PRESETS["curation"], small), [0, 1], FAST)
    p = [r.trainer.params for r in run.runs]
    assert all(np.array_equal(p[0][k], p[1][k]) for k in p[0])  # uniform/relevance, seed 0
    assert p[2]["W1"].shape == (N_FEATURES, 8)
    assert not np.array_equal(p[0]["W1"], p[3]["W1"])  # seed 1 differs
    assert run.runs[0].trainer.config.holdout_every == 0


def test_censored_runs_are_counted_not_dropped(rec):
    results = lab.replay(rec, variants.PRESETS["curation"], [0, 1, 2], NEVER)
    assert len(results) == 6 and all(r["time"] is None for r in results)
    assert all(len(r["curve"]) == 8 for r in results)  # 40 s / 5 s: the curve is complete
    summary = labreport.summarise(results)
    assert summary["uniform"]["median"] == np.inf
    assert summary["uniform"]["mirrored"] == 0 and summary["uniform"]["runs"] == 3
    curve = summary["relevance"]["curve"]
    assert curve["t"] == [5.0 * k for k in range(1, 9)]
    bands = zip(curve["lo"], curve["median"], curve["hi"], strict=True)
    assert all(lo <= m <= hi for lo, m, hi in bands)
    assert "no variant mirrored within 40 s" in labreport.reading(summary, 40.0)
    assert labreport.jsonable(summary)["uniform"]["median"] is None


def test_a_mirrored_run_stops_when_asked_and_the_table_reads_it(rec):
    easy = lab.LabConfig(
        threshold=0.5, max_w1=1.0, max_median_diff=1.0, min_hits=1, profile_seconds=5.0
    )
    kept = lab.replay(rec, [variants.Variant("relevance", "relevance")], [0], easy)[0]
    assert kept["time"] is not None and kept["curve"][-1][0] == 40.0  # trains to the end
    stop = lab.replay(
        rec,
        [variants.Variant("relevance", "relevance")],
        [0],
        lab.LabConfig(**{**easy.__dict__, "stop_at_mirror": True}),
    )[0]
    assert stop["time"] == kept["time"] and stop["curve"][-1][0] == stop["time"]
    summary = labreport.summarise([kept, {**kept, "seed": 1, "time": None}])
    assert summary["relevance"]["mirrored"] == 1 and summary["relevance"]["median"] == np.inf
    table = labreport.format_table(summary, 40.0)
    two = {**summary, "uniform": {**summary["relevance"], "median": 12.5}}
    assert labreport.reading(two, 40.0).startswith("On this recording, uniform mirrored in 12.5 s")
    assert "relevance did not mirror within 40 s" in labreport.reading(two, 40.0)
    assert "relevance" in table and "1/2" in table and "s1: >40" in table


def test_a_recording_too_short_to_judge_is_never_mirrored():
    run = lab.LabRun(record_bot("edge", 0, 1.0), variants.PRESETS["curation"], [0], FAST)
    assert not run.judgeable and run.eval_frames < FAST.min_eval
    while not run.done:
        run.step(10_000)
    assert all(r["time"] is None and r["agreement"] is None for r in run.results())


@pytest.mark.parametrize(
    "make",
    [
        lambda: variants.Variant("x", "greedy"),
        lambda: variants.Variant("x", "relevance", knobs={"nope": 1}),
        lambda: variants.Variant("x", "relevance", net=Network(hidden=())),
        lambda: variants.Variant("x", "relevance", net=Network(activation="linear")),
        lambda: variants.Variant("x", "relevance", net=Network(feature_set="pixels")),
    ],
)
def test_bad_variants_are_refused(rec, make):
    with pytest.raises(ValueError):
        lab.LabRun(rec, [make()], [0], FAST)


def test_duplicate_variant_names_are_refused(rec):
    with pytest.raises(ValueError, match="distinct"):
        lab.LabRun(rec, [variants.Variant("a", "uniform"), variants.Variant("a", "relevance")], [0])


def test_a_variant_from_data_carries_its_budget_buffer_and_step_size():
    v = variants.variant_from(
        {
            "name": "v",
            "strategy": "mistakes",
            "budget": 10,
            "capacity": 512,
            "lr": 0.01,
            "batch": 32,
            "ema": 0.99,
        }
    )
    c = v.trainer_config(TrainerConfig())
    assert (c.steps_per_game_second, c.capacity, c.lr, c.batch) == (10, 512, 0.01, 32)
    assert v.info()["batch"] == 32 and c.ema == 0.99 and v.info()["ema"] == 0.99
    base = variants.variant_from({"name": "b", "strategy": "uniform"}).trainer_config(
        TrainerConfig()
    )
    assert (base.steps_per_game_second, base.capacity, base.lr) == (60.0, 4096, TrainerConfig().lr)
    with pytest.raises(ValueError, match="lr must be"):
        variants.variant_from({"name": "v", "strategy": "uniform", "lr": 2})
    assert base.batch == TrainerConfig().batch
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="batch must be"):
            variants.variant_from({"name": "v", "strategy": "uniform", "batch": bad})
    with pytest.raises(ValueError, match="ema must be"):
        variants.variant_from({"name": "v", "strategy": "uniform", "ema": 1.0})
    with pytest.raises(ValueError, match="unknown fields"):
        variants.variant_from({"name": "v", "strategy": "uniform", "momentum": 0.9})


# Later checks that a clone of a few seconds' play passes and fails: quick, every 10 s.
EASY_STAY = lab.LabConfig(
    threshold=0.5,
    max_w1=1.0,
    max_median_diff=1.0,
    min_hits=1,
    profile_seconds=5.0,
    profile_matches=1,
    keep_checking=True,
    stay_matches=2,
    stay_every=10.0,
)


def test_later_checks_come_every_stay_every_and_split_which_half_failed(rec, monkeypatch):
    """Once mirrored (keep_checking), a later check comes every ``stay_every`` seconds, plays
    ``stay_matches`` profile games (not ``profile_matches``) and records each half."""
    played: list[int] = []
    real = lab.judge

    def spy(*args, **kwargs):
        played.append(args[8])  # the number of profile matches asked for
        return real(*args, **kwargs)

    monkeypatch.setattr(lab, "judge", spy)
    run = lab.replay(rec, [variants.Variant("uniform", "uniform")], [0], EASY_STAY)[0]
    assert run["time"] is not None
    later = int((40.0 - run["time"]) // 10.0)  # checks at time + 10, + 20, ... up to 40 s
    assert later >= 1 and run["later_checks"] == later
    assert played[-later:] == [2] * later and set(played[:-later]) == {1}
    assert run["stayed_agreement"] is not None and 0.0 <= run["stayed"] <= run["stayed_profile"]
    failed = run["later_failed"]  # each failed later check counts each part that failed once
    missed = round((1.0 - run["stayed"]) * later)
    assert set(failed) <= {"agreement", "hit offset", "waiting height"}
    assert failed.get("agreement", 0) == round((1.0 - run["stayed_agreement"]) * later)
    assert missed <= sum(failed.values()) <= 3 * missed


def test_later_checks_compare_with_the_later_reference_when_given(rec, monkeypatch):
    """``later_reference`` / ``later_fp``: the first pass is judged against the reference,
    every later check against the later one (the race's longer profile of the teacher)."""
    seen: list[tuple[int, int]] = []
    real = lab.judge

    def spy(*args, **kwargs):
        seen.append((id(args[6]), id(args[7])))  # the reference and fingerprint judged against
        return real(*args, **kwargs)

    monkeypatch.setattr(lab, "judge", spy)
    fp = style.fingerprint(rec.decoded(), "left", params=rec.params)
    later_fp = style.fingerprint(rec.decoded(), "left", params=rec.params)
    ref, later_ref = np.zeros(20), np.ones(20)
    v = [variants.Variant("uniform", "uniform")]
    run = lab.LabRun(
        rec,
        v,
        [0],
        EASY_STAY,
        reference=ref,
        player_fp=fp,
        later_reference=later_ref,
        later_fp=later_fp,
    )
    while not run.done:
        run.step()
    out = run.results()[0]
    assert out["time"] is not None and out["later_checks"] >= 1
    first, *later = seen[-1 - out["later_checks"] :]
    assert first == (id(ref), id(fp))
    assert later == [(id(later_ref), id(later_fp))] * out["later_checks"]


def test_the_final_clone_is_judged_on_movement_with_its_returns_shown_beside(rec):
    """``final_traits``: the judged movement ratios, and beside them (not judged) reversals a
    minute and returns, which tell a clone that moves like its player but loses rallies
    sooner (fewer reversals *a rally*) from one that moves less."""
    player = style.fingerprint(
        record_matches(bots.BOTS["edge"]().act, 10.0, 2, rec.params, 4), "left", params=rec.params
    )
    cfg = lab.LabConfig(profile_seconds=10.0, profile_matches=2, min_hits=2, final_traits=True)
    run = lab.replay(rec, [variants.Variant("uniform", "uniform")], [0], cfg, player_fp=player)[0]
    ratios = run["final"]["ratios"]
    assert set(ratios) == {*style.MOVES_TRAITS, *style.MOVES_CONTEXT}
    assert ratios["returns"] is not None and 0.0 <= ratios["returns"] <= 1.5
    assert isinstance(run["final"]["moves"], bool)
