"""Match rules: first to N, win by two, and refusals of matches nobody could win; the
scoreboard that plays matches one after another, and the history kept with a clone."""

import json

import pytest

from pymodel.sim.rules import (
    FIRST_SERVE_S,
    MAX_HISTORY,
    NEXT_MATCH_S,
    PLAY_ON_S,
    MatchRules,
    Scoreboard,
    check_saved,
    rules_for,
)

GOOD = {
    "number": 1,
    "to": 5,
    "left": 5,
    "right": 3,
    "seconds": 40.0,
    "age_min": 1.0,
    "returns": 0.5,
}


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


def play(board: Scoreboard, events_per_tick: list[list[str]], dt: float = 0.01) -> list[str]:
    """Tick ``board`` once per entry; the match events it reported, in order."""
    out: list[str] = []
    for events in events_per_tick:
        out += board.tick(events, dt, learned=True)
    return out


def test_a_match_counts_points_until_won_by_two_and_is_recorded():
    board = Scoreboard(rules_for(3), serve_delay=0.5)
    assert board.state == "countdown" and board.holding()
    assert board.hold == pytest.approx(FIRST_SERVE_S - 0.5)
    assert play(board, [[]]) == ["match_start"]
    play(board, [[]] * 300)  # the countdown runs out: the match is on, the serve is not held
    assert board.state == "playing" and not board.holding()
    points = ["score_left", "score_right", "score_left", "score_right", "score_left"]
    assert play(board, [["hit_right"], ["serve"], ["hit_left", "hit_right"]]) == []
    assert board.rally == 2
    out = play(board, [[p] for p in points])
    assert out == [] and (board.left, board.right) == (3, 2)  # 3-2 does not win by two
    assert not board.holding()  # between points the game's own serve delay is the wait
    assert play(board, [["score_left"]]) == ["match_over"]
    assert board.state == "over" and board.winner == "left" and board.holding()
    [rec] = board.history
    assert rec["number"] == 1 and (rec["left"], rec["right"], rec["to"]) == (4, 2, 3)
    # The clone returned 2 of the 6 balls that reached it (2 hits, 4 of your points).
    assert rec["returns"] == pytest.approx(2 / 6, abs=1e-4)
    assert rec["age_min"] == pytest.approx(board.age_s / 60, abs=1e-3) and rec["seconds"] > 3


def test_a_won_match_waits_until_the_player_moves_on_and_rematch_and_free_play():
    board = Scoreboard(rules_for(1), serve_delay=0.6)
    assert board.rules.win_by == 1  # a match to one point is won by one
    play(board, [[]] * 400 + [["score_right"]])
    assert board.state == "over" and board.winner == "right"
    waiting = int(NEXT_MATCH_S / 0.01) - 2
    assert play(board, [[]] * waiting) == [] and board.state == "over"  # it waits a while
    assert 0 < board.current()["next_in"] < 0.05
    assert play(board, [[]] * 4) == ["match_start"]  # then the next match starts by itself
    assert board.number == 2 and board.state == "playing" and not board.holding()
    board.tick(["score_right"], 0.01, learned=True)
    early = Scoreboard(rules_for(1))
    early.tick(["score_left"], 0.01, learned=True)
    for _ in range(int(PLAY_ON_S / 0.01) - 2):  # still moving right after the end: no rematch
        assert early.tick([], 0.01, learned=True, moved=True) == []
    assert early.state == "over"
    assert early.tick([], 0.03, learned=True, moved=True) == ["match_start"]  # a move: play on
    assert early.number == 2 and (early.left, early.right) == (0, 0)
    board.free()
    play(board, [["score_left"]] * 5)
    assert board.state == "free" and board.left == 5 and len(board.history) == 2
    board.start(rules_for(7))
    assert (board.number, board.rules.points, board.left, board.state) == (3, 7, 0, "countdown")


def test_age_grows_only_while_the_clone_learns_and_the_history_is_bounded():
    board = Scoreboard(rules_for(1), history=[], age_s=60.0)
    board.tick([], 0.5, learned=False)
    assert board.age_s == 60.0
    board.tick([], 0.5, learned=True)
    assert board.age_s == 60.5
    for _ in range(MAX_HISTORY + 5):
        board.start()
        board.tick(["score_left"], 0.01, learned=True)
    assert len(board.history) == MAX_HISTORY
    assert board.history[-1]["number"] == MAX_HISTORY + 6  # match 1 was left unfinished
    saved = check_saved(json.loads(json.dumps(board.saved())))
    assert saved == board.saved()
    again = Scoreboard(rules_for(5), history=saved["history"], age_s=saved["age_s"])
    assert again.number == MAX_HISTORY + 7  # numbers go on from the history


def test_resume_goes_on_with_the_score_after_a_countdown():
    board = Scoreboard(rules_for(5))
    board.resume(4, 3, 2, "playing", 40.0)
    assert (board.number, board.left, board.right, board.state) == (4, 3, 2, "countdown")
    assert board.holding() and board.seconds == 40.0
    board.resume(4, 5, 2, "over", 60.0)
    assert board.state == "over" and board.winner == "left"
    board.resume(4, 2, 2, "over", 60.0)  # not a won score: it goes on instead
    assert board.state == "countdown"
    with pytest.raises(ValueError, match="state"):
        board.resume(4, 2, 2, "halftime", 1.0)


@pytest.mark.parametrize(
    "doc,message",
    [
        ([], "must be an object"),
        ({"age_s": -1}, "age_s must be a number"),
        ({"history": {}}, "must be a list"),
        ({"history": [{"number": 1}]}, "lacks 'to'"),
        ({"history": [dict(GOOD, left=2.5)]}, "a score must be a whole number"),
        ({"history": [dict(GOOD, to=100)]}, "points must be a whole number from 1 to 99"),
        ({"history": [dict(GOOD, returns=1.5)]}, "returns must be a number from 0 to 1"),
        ({"history": [GOOD] * (MAX_HISTORY + 1)}, "too many matches"),
        ({"history": [dict(GOOD, seconds=True)]}, "a match length must be a number"),
    ],
)
def test_a_bad_saved_history_is_refused_with_one_sentence(doc, message):
    with pytest.raises(ValueError, match=message):
        check_saved(doc)


def test_rules_for_refuses_what_is_not_a_number_of_points():
    for bad in (0, 100, 2.5, "5", True, None):
        with pytest.raises(ValueError, match="points"):
            rules_for(bad)
    assert rules_for(5.0) == MatchRules(5, 2)
