"""Stylometry (pymodel/lab/stylometry.py): a player's play is named after the teacher whose
style it carries, and the traits set by how well one plays do not decide the name."""

import copy

import numpy as np
import pytest

from pymodel.lab import stylometry
from pymodel.sim import bots, style
from pymodel.sim.game import GameParams
from pymodel.sim.recording import record_matches

CFG = stylometry.StylometryConfig()
TEACHERS = ("edge", "late", "drifter")  # two built like people, close in style, and a bot


@pytest.fixture(scope="module")
def references() -> dict[str, dict]:
    return {b: stylometry.reference(b, 0, CFG, GameParams()) for b in TEACHERS}


def test_a_minute_of_a_teachers_own_play_is_named_after_it(references):
    for b in TEACHERS:
        # Three fresh 20-second games (serve seeds the references never used).
        cols = record_matches(bots.BOTS[b]().act, 20.0, 5, GameParams(), 3, first=300)
        guess, dist = stylometry.attribute(style.fingerprint(cols, "left"), references)
        assert guess == b, (b, dist)


def test_returns_and_rally_lengths_do_not_decide_whose_style_it_is(references):
    late = references["late"]
    # A clone of late that loses many more balls: the same style, a weaker player.
    weak_late = copy.deepcopy(late)
    for name, factor in (("returns", 0.6), ("points_per_min", 0.3), ("switches_per_rally", 0.3)):
        weak_late[name]["value"] *= factor
    # Another teacher, a little off late's hit offsets, who plays exactly as weakly.
    other = copy.deepcopy(weak_late)
    other["hit_offset"]["quantiles"] = list(np.add(late["hit_offset"]["quantiles"], 0.06))
    other["hit_offset"]["median"] += 0.06
    refs = {"late": late, "other": other}
    assert set(style.STYLE_TRAITS).isdisjoint({"returns", "points_per_min", "switches_per_rally"})
    # Over every trait the weaker player is nearest; over the style traits, late is.
    all_traits = {n: style.distance(weak_late, r)["overall"] for n, r in refs.items()}
    assert min(all_traits, key=all_traits.__getitem__) == "other"
    assert stylometry.attribute(weak_late, refs)[0] == "late"
