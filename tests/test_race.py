"""The race and the command line: structure, censoring, chart, bench."""

from dataclasses import replace

import numpy as np

from pymodel.__main__ import main
from pymodel.lab import judge, race
from pymodel.lab.charts import race_svg
from pymodel.lab.report import fmt_time
from pymodel.sim import bots, game, style
from pymodel.sim.recording import hit_offsets, record_bot, record_matches


def test_censored_median():
    assert judge.censored_median([10.0, 20.0, None]) == 20.0
    assert judge.censored_median([10.0, None, None]) == np.inf
    assert fmt_time(np.inf, 100.0) == ">100"


def test_wasserstein_and_profile_match():
    a = np.array([0.1, 0.2, 0.3] * 4)
    assert judge.wasserstein1(a, a) == 0.0
    assert judge.wasserstein1(a, a + 0.5) == 0.5
    cfg = race.RACE_LAB
    assert judge.profile_match(a, a, cfg)["ok"]
    assert not judge.profile_match(a, a + 0.5, cfg)["ok"]
    assert not judge.profile_match(a[:3], a, cfg)["ok"]  # too few hits to judge


def test_a_short_race_reports_every_strategy_and_draws_a_chart():
    cfg = race.RaceConfig(lab=replace(race.RACE_LAB, profile_seconds=5.0), max_seconds=20.0)
    runs = race.run_race(["edge"], 1, cfg)
    assert {r["strategy"] for r in runs} == set(race.DEFAULT_VARIANTS)
    assert all(r["time"] is None or r["time"] <= 20.0 for r in runs)
    assert all(len(r["curve"]) == 2 for r in runs if r["time"] is None)
    summary = race.summarise(runs, cfg)
    assert set(summary["table"]) == {"edge", "all"}
    svg = race_svg(summary)
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_race_command_takes_a_budget_and_a_first_seed(capsys):
    argv = ["race", "--bots", "edge", "--seeds", "1", "--first-seed", "7", "--max-seconds", "10"]
    assert main([*argv, "--workers", "1", "--steps-per-second", "15"]) == 0
    out = capsys.readouterr().out
    assert "seeds 7..7" in out and "budget 15 steps (batch 64) per game second" in out
    assert main([*argv, "--steps-per-second", "0"]) == 2
    assert main([*argv, "--stay", "--stay-matches", "0"]) == 2
    assert "--stay-matches must be at least 1" in capsys.readouterr().err


def test_bench_prints_its_figures(capsys):
    assert main(["bench", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "steps/s" in out and "ticks/s" in out and "batch 64" in out


def test_style_criterion_needs_the_waiting_height_too():
    params, cfg = game.GameParams(), race.RACE_LAB
    cols = record_matches(bots.EdgeHitter().act, 20.0, 0, params, 2)
    edge_fp = style.fingerprint(cols, "left", params=params)
    offsets = hit_offsets(cols)
    assert len(offsets) >= cfg.min_hits and np.median(offsets) > 0.3  # edge: low down
    # Same hits as edge, but waits high: the hit test passes, the style test does not.
    waits_high = bots.EdgeHitter()
    high = bots.TopEdge(offset=0.6)
    same = judge.judge(waits_high.act, "style", 20.0, 0, params, cfg, offsets, edge_fp, 2, 100)
    hit = judge.judge(high.act, "hit", 20.0, 0, params, cfg, offsets, edge_fp, 2, 100)
    styled = judge.judge(high.act, "style", 20.0, 0, params, cfg, offsets, edge_fp, 2, 100)
    assert same["ok"] and hit["ok"] and not styled["ok"]
    assert any("waiting height" in r for r in styled["reasons"])


def test_race_table_labels_its_columns_and_ratio():
    cfg = race.RaceConfig(lab=replace(race.RACE_LAB, criterion="style"), max_seconds=100.0)
    runs = [
        {"bot": "edge", "strategy": "uniform", "time": 40.0},
        {"bot": "edge", "strategy": "rare", "time": 20.0},
        {"bot": "lazy", "strategy": "uniform", "time": 50.0},
        {"bot": "lazy", "strategy": "rare", "time": None},
    ]
    lines = race.format_table(race.summarise(runs, cfg), cfg).splitlines()
    assert lines[1].split() == ["teacher", "uniform", "rare", "rare/uniform"]
    assert lines[2].split() == ["edge", "40", "(1/1)", "20", "(1/1)", "0.50"]
    assert lines[3].split()[-1] == "n/a" and ">100" in lines[3]
    assert "criterion style" in lines[0]


def test_movement_table_gives_medians_over_seeds_of_stay_and_trait_ratios():
    def run(seed: int, stayed: float | None, rev: float, ok: bool) -> dict:
        ratios = {n: 1.0 for n in (*style.MOVES_TRAITS, *style.MOVES_CONTEXT)}
        ratios |= {"switches_per_rally": rev, "returns": rev / 2}
        final = {"ratios": ratios, "moves": ok, "reasons": []}
        return {"bot": "edge", "seed": seed, "strategy": "v", "stayed": stayed, "final": final}

    text = race.movement_table(
        [run(0, 1.0, 0.2, False), run(1, 0.5, 0.9, True), run(2, None, 3.0, True)]
    )
    head, row = text.splitlines()[1], text.splitlines()[2]
    assert "stay" in head and "switches_per_rally" in head and "moves" in head
    cells = dict(zip(head.split()[2:], row.split()[2:], strict=True))
    assert cells["stay"] == "0.75"  # the censored run has no later checks: left out
    assert cells["switches_per_rally"] == "0.90" and cells["moves"] == "2/3"
    assert cells["returns"] == "0.45" and cells["reversals_per_min"] == "1.00"  # shown beside
    assert "stay_agreement" not in head  # no halves recorded: no columns for them


def test_movement_table_splits_staying_mirrored_into_its_two_halves():
    rows = [
        {
            "bot": "lazy",
            "seed": s,
            "strategy": "v",
            "stayed": st,
            "stayed_agreement": a,
            "stayed_profile": p,
            "teacher_stayed": 1.0 - s / 4,
            "later_failed": f,
        }
        for s, st, a, p, f in [
            (0, 0.2, 0.9, 0.3, {"hit offset": 3, "agreement": 1}),
            (1, 0.4, 0.5, 0.5, {"hit offset": 2, "waiting height": 1}),
            (2, None, None, None, {}),
        ]
    ]
    head, row = race.movement_table(rows).splitlines()[1:3]
    row, why = row.split("  failed: ")
    cells = dict(zip(head.split()[2:], row.split()[2:], strict=True))
    want = {"stay": "0.30", "stay_agreement": "0.70", "stay_profile": "0.40"}
    assert cells == want | {"stay_teacher": "0.75"}
    assert why == "agreement 1, hit offset 5, waiting height 1"  # summed over the seeds


def test_against_its_longer_profile_a_noisy_teacher_passes_its_own_later_checks():
    """Why later checks compare with ``later_reference_factor`` times the clone's games: laggy
    (seed 202) fails most of its own later checks against a nine-game profile of itself, whose
    hit offsets are off by chance, and passes them against a 36-game one."""
    params = record_bot("laggy", 202, 1.0).params
    cfg = race.RaceConfig(lab=replace(race.RACE_LAB, criterion="style", keep_checking=True))
    assert cfg.lab.profile_matches * cfg.later_reference_factor == 36
    short = race.teacher_profile("laggy", 202, cfg, params)
    long = race.teacher_profile("laggy", 202, cfg, params, cfg.later_reference_factor)
    assert race.teacher_ceiling("laggy", 202, cfg, params, *short) <= 0.5
    assert race.teacher_ceiling("laggy", 202, cfg, params, *long) >= 0.875


def test_with_stay_the_race_hands_the_engine_the_teachers_longer_profile(monkeypatch):
    """``run_seed`` with later checks: the first pass gets the nine-game profile, later checks
    the ``later_reference_factor`` one (the same games, and more)."""
    seen: dict = {}

    def replay(*args, **kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr(race.engine, "replay", replay)
    lab = replace(race.RACE_LAB, criterion="style", keep_checking=True, profile_seconds=2.0)
    cfg = race.RaceConfig(lab=replace(lab, stay_matches=1), max_seconds=5.0)
    race.run_seed("edge", 4, cfg)
    params = record_bot("edge", 4, 1.0).params
    ref, _ = race.teacher_profile("edge", 4, cfg, params)
    later, later_fp = race.teacher_profile("edge", 4, cfg, params, cfg.later_reference_factor)
    assert np.array_equal(seen["reference"], ref) and len(later) > len(ref)
    assert np.array_equal(seen["later_reference"], later)
    assert seen["later_fp"] == later_fp != seen["player_fp"]


def test_the_teachers_own_ceiling_is_high_for_a_steady_bot_and_nil_when_unjudgeable():
    """``teacher_ceiling``: the teacher judged like a clone's later check, against itself."""
    params = record_bot("edge", 3, 1.0).params
    cfg = race.RaceConfig(lab=replace(race.RACE_LAB, criterion="style", stay_matches=6))
    ref, fp = race.teacher_profile("edge", 3, cfg, params)
    assert race.teacher_ceiling("edge", 3, cfg, params, ref, fp) >= 0.75
    strict = replace(cfg, lab=replace(cfg.lab, min_hits=10_000))  # never enough hits
    assert race.teacher_ceiling("edge", 3, strict, params, ref, fp) == 0.0
