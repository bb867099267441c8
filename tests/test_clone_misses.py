"""scripts/clone_misses.py's pure parts: every ball sent towards the left paddle is split by
what sent it (a serve or the opponent's hit), its speed, whether it came back and whether a
key was pressed, and the counts agree with the game's own events."""

import sys
from pathlib import Path

import numpy as np

from pymodel.sim import bots
from pymodel.sim.game import EVENT_BITS, STAY, GameParams
from pymodel.sim.recording import record_matches

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import clone_misses as cm  # noqa: E402

PARAMS = GameParams()


def games(policy, matches: int = 4, seconds: float = 20.0) -> dict:
    """``matches`` games of ``policy`` in the left seat against the race's opponent."""
    return record_matches(policy, seconds, 3, PARAMS, matches, first=100)


def count(cols: dict, event: str) -> int:
    return int(np.sum(cols["events"] & EVENT_BITS[event] != 0))


def test_a_player_who_never_moves_loses_every_ball_it_misses_standing_still():
    cols = games(lambda obs, rng: STAY)
    balls = cm.approaches(cols, PARAMS)
    s = cm.summary(balls)
    assert s["misses"] == count(cols, "score_right") > 0 and s["still"] == s["misses"]
    assert s["serve"][0] + s["rally"][0] == count(cols, "hit_left")
    assert s["serve"][1] >= 4  # every game serves, and every lost point is served again
    assert not any(b["moved"] for b in balls)
    # a served ball leaves at the serve speed, well under the top speed
    serves = [b["speed"] for b in balls if b["kind"] == "serve"]
    assert np.allclose(serves, PARAMS.serve_speed / PARAMS.max_speed, rtol=1e-3)  # as recorded
    assert s["slow"][1] >= len(serves) and s["top"] == 0


def test_a_good_player_returns_most_balls_and_long_rallies_reach_the_top_speed():
    cols = games(bots.BOTS["tracker"]().act, matches=1, seconds=60.0)
    balls = cm.approaches(cols, PARAMS)
    s = cm.summary(balls)
    assert s["serve"][0] + s["rally"][0] == count(cols, "hit_left")
    assert s["rally"][1] > s["serve"][1]  # a tracker's rallies go on: most balls are returns
    assert (s["rally"][0] + s["serve"][0]) / (s["rally"][1] + s["serve"][1]) > 0.9
    assert s["top"] > 0 and max(b["speed"] for b in balls) < 1.001
    assert s["still"] <= s["misses"]


def test_the_table_adds_seeds_up():
    cols = games(lambda obs, rng: STAY)
    s = cm.summary(cm.approaches(cols, PARAMS))
    row = {"bot": "lazy", "seed": 0, "recording": s, "teacher": s, "clone": s}
    text = cm.table([row, dict(row, seed=1)])
    assert text.count("| lazy |") == 2  # one row in each table
    faced = s["serve"][1] + s["rally"][1]
    assert f"0 of {2 * faced}" in text and f"{2 * s['still']} of {2 * s['misses']}" in text
