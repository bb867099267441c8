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
    assert set(same) == set(pm.SHOWN)
    judged = [n for n in pm.SHOWN if pm.within(n, same[n]) is not None]
    assert "switches_per_rally" in judged and "hold_s" in judged
    assert all(0.5 < same[n] < 2.0 for n in judged), same
    other = pm.ratios(report("late", "tracker"))  # a tracker taps: far shorter presses
    assert pm.within("hold_s", other["hold_s"]) is False, other
    assert pm.within("returns", other["returns"]) is None  # shown, never judged


def test_medians_skip_runs_that_measured_nothing_and_the_table_marks_misses():
    rows = [
        {n: 1.0 for n in pm.SHOWN},
        {n: 2.0 for n in pm.SHOWN} | {"hold_s": None},
        {n: 3.0 for n in pm.SHOWN},
    ]
    med = pm.medians(rows)
    assert med["switches_per_rally"] == 2.0 and med["hold_s"] == 2.0
    assert pm.medians([{n: None for n in pm.SHOWN}])["hold_s"] is None
    lines = pm.table(rows, [(0.5, 1.0)] * 3).splitlines()
    assert len(lines) == 5 and lines[-1].startswith("median")
    assert "2.00*" in lines[-1] and "1.00 " in lines[1]  # 2x is outside 0.7-1.4x; 1x is not
