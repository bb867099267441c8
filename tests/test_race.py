"""The race and the command line: structure, censoring, chart, bench."""

import numpy as np

from pymodel import race
from pymodel.__main__ import main
from pymodel.chart import race_svg


def test_censored_median():
    assert race.censored_median([10.0, 20.0, None], 100.0) == 20.0
    assert race.censored_median([10.0, None, None], 100.0) == np.inf
    assert race.fmt_time(np.inf, 100.0) == ">100"


def test_wasserstein_and_profile_match():
    a = np.array([0.1, 0.2, 0.3] * 4)
    assert race.wasserstein1(a, a) == 0.0
    assert race.wasserstein1(a, a + 0.5) == 0.5
    cfg = race.RaceConfig()
    assert race.profile_match(a, a, cfg)["ok"]
    assert not race.profile_match(a, a + 0.5, cfg)["ok"]
    assert not race.profile_match(a[:3], a, cfg)["ok"]  # too few hits to judge


def test_a_short_race_reports_every_strategy_and_draws_a_chart():
    cfg = race.RaceConfig(max_seconds=20.0, eval_every=10.0, profile_seconds=5.0)
    runs = race.run_race(["edge"], 1, cfg, workers=1)
    assert {r["strategy"] for r in runs} == {"uniform", "relevance"}
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


def test_bench_prints_its_figures(capsys):
    assert main(["bench", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "steps/s" in out and "ticks/s" in out and "batch 64" in out
