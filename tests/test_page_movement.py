"""scripts/page_movement.py's pure parts: a style report turned into the clone's ratios over
its player, judged against the traits' tolerances, and the medians over runs."""

import sys
from pathlib import Path

import numpy as np

from pymodel.sim import bots, game, style
from pymodel.sim.game import GameParams
from pymodel.sim.recording import play_out

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import page_movement as pm  # noqa: E402


def report(left: str, right: str) -> dict:
    """``get_style``'s reply for 60 s of two bots playing each other."""
    params, rng = GameParams(), np.random.default_rng(5)
    rec = play_out(
        game.initial(rng, params), bots.BOTS[left]().act, bots.BOTS[right]().act, rng, 7200, params
    )
    return style.compare(rec.decoded(), params=params)


def test_a_player_against_itself_is_within_every_tolerance_and_another_is_not():
    same = pm.ratios(report("late", "late"))
    assert set(same) == {*pm.SHOWN, "misses"} and same["misses"] == []
    judged = [n for n in pm.SHOWN if pm.within(n, same) is not None]
    assert "switches_per_rally" in judged and "hold_s" in judged
    assert all(pm.within(n, same) for n in judged) and all(0.5 < same[n] < 2 for n in judged)
    other = pm.ratios(report("late", "tracker"))  # a tracker taps: far shorter presses
    assert "hold_s" in other["misses"] and pm.within("hold_s", other) is False, other
    assert pm.within("returns", other) is None  # shown, never judged


def test_medians_skip_runs_that_measured_nothing_and_the_table_counts_runs_within():
    rows = [
        {n: 1.0 for n in pm.SHOWN} | {"misses": []},
        {n: 2.0 for n in pm.SHOWN} | {"hold_s": None, "misses": ["switches_per_rally"]},
        {n: 3.0 for n in pm.SHOWN} | {"misses": ["switches_per_rally", "hold_s"]},
    ]
    med = pm.medians(rows)
    assert med["switches_per_rally"] == 2.0 and med["hold_s"] == 2.0
    assert pm.medians([{n: None for n in pm.SHOWN}])["hold_s"] is None
    lines = pm.table(rows, [(0.5, 1.0)] * 3).splitlines()
    assert len(lines) == 6 and lines[-2].startswith("median") and lines[-1].startswith("within")
    assert "2.00*" in lines[2] and "1.00*" not in lines[1]  # run 1 missed, run 0 did not
    cells = dict(zip(pm.SHOWN, lines[-1].split()[1:], strict=True))
    assert cells["switches_per_rally"] == "1/3" and cells["hold_s"] == "1/2"
    assert cells["returns"] == "-"  # not judged
