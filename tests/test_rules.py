"""Match rules: first to N, win by two, and refusals of matches nobody could win."""

import pytest

from pymodel.sim.rules import MatchRules


def test_first_to_eleven_by_two():
    r = MatchRules()
    assert r.winner(11, 9) == "left" and r.winner(3, 11) == "right"
    assert r.winner(11, 10) is None and r.winner(10, 10) is None
    assert r.winner(12, 10) == "left" and r.winner(14, 16) == "right"


def test_a_short_match_and_bad_rules():
    assert MatchRules(points=5).winner(5, 3) == "left"
    assert MatchRules(points=1, win_by=1).winner(1, 0) == "left"
    for bad in (
        {"points": 0},
        {"points": 100},
        {"points": 5, "win_by": 0},
        {"points": 2, "win_by": 3},
    ):
        with pytest.raises(ValueError):
            MatchRules(**bad)
