"""Matches in the game's worker: frames carry the match, the serve waits for its countdown,
a won match is kept with the clone (exported, imported, restored by init), the match
requests, a restarted worker goes on with its match, and files from before matches load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pymodel.formats import sessionfile, weights
from pymodel.sim.game import GameParams
from pymodel.sim.rules import FIRST_SERVE_S
from pymodel.worker.game_session import Session

DATA = Path(__file__).resolve().parent / "data"
OLD_WEIGHTS = DATA / "weights-v1-issue-18.json"  # written by pymodel before matches existed
OLD_SESSION = DATA / "session-v1-issue-18.json"


def one(session: Session, msg: dict) -> dict:
    replies = session.handle(msg)
    assert replies and replies[0]["type"] != "error", replies
    return replies[0]


def play_until(session: Session, event: str, limit_s: float = 600.0) -> list[dict]:
    """Step a second at a time until a frame carries ``event``; the frames."""
    frames = []
    for _ in range(int(limit_s)):
        frames.append(one(session, {"type": "step", "ticks": 120}))
        if event in frames[-1]["events"]:
            return frames
    raise AssertionError(f"no {event} in {limit_s} s")


def test_the_first_serve_waits_for_the_countdown_and_frames_count_it_down():
    s = Session(seed=2)
    one(s, {"type": "init", "seed": 2, "to": 5})
    frames = [one(s, {"type": "step", "ticks": 1}) for _ in range(int(FIRST_SERVE_S * 120) + 2)]
    assert frames[0]["match"]["state"] == "countdown" and "match_start" in frames[0]["events"]
    waits = [f["match"]["serve_in"] for f in frames]
    assert waits[0] == pytest.approx(FIRST_SERVE_S, abs=0.02)
    assert all(b <= a for a, b in zip(waits, waits[1:], strict=False))  # it counts down
    served = next(i for i, f in enumerate(frames) if "serve" in f["events"])
    assert served / 120 == pytest.approx(FIRST_SERVE_S, abs=0.02)
    assert frames[served]["match"]["serve_in"] == 0.0
    assert frames[served]["ball"]["vx"] != 0.0
    side = frames[served - 1]["match"]["serve_to"]
    assert (frames[served]["ball"]["vx"] > 0) == (side == "right")
    assert frames[-1]["match"]["state"] == "playing"


def test_a_match_to_three_ends_is_kept_and_a_rematch_starts_at_nil_nil():
    s = Session(seed=4)
    one(s, {"type": "init", "seed": 4, "to": 3})
    frames = play_until(s, "match_over")
    last = frames[-1]
    score, match = last["score"], last["match"]
    assert match["state"] == "over" and max(score.values()) >= 3
    assert abs(score["left"] - score["right"]) >= 2
    assert match["winner"] == ("left" if score["left"] > score["right"] else "right")
    got = one(s, {"type": "get_matches"})
    assert got["type"] == "matches" and len(got["history"]) == 1
    rec = got["history"][0]
    assert (rec["left"], rec["right"], rec["number"], rec["to"]) == (
        score["left"],
        score["right"],
        1,
        3,
    )
    assert rec["seconds"] == pytest.approx(match["seconds"], abs=0.02)
    steps = one(s, {"type": "get_metrics"})["steps"]
    again = one(s, {"type": "new_match"})
    assert again["current"]["score"] == {"left": 0, "right": 0}
    assert again["current"]["number"] == 2 and again["current"]["state"] == "countdown"
    frame = one(s, {"type": "step", "ticks": 1})
    assert "match_start" in frame["events"] and frame["score"] == {"left": 0, "right": 0}
    assert one(s, {"type": "get_metrics"})["steps"] >= steps  # the same clone, still learning


def test_between_points_the_serve_comes_after_the_games_delay_and_frames_say_when():
    delay = GameParams().serve_delay
    s = Session(seed=4)
    one(s, {"type": "init", "seed": 4, "to": 11})
    f = one(s, {"type": "step", "ticks": 1})
    while not {"score_left", "score_right"} & set(f["events"]):
        f = one(s, {"type": "step", "ticks": 1})
    assert f["match"]["serve_in"] == pytest.approx(delay, abs=0.02)
    ticks = 0
    while "serve" not in f["events"]:
        f = one(s, {"type": "step", "ticks": 1})
        ticks += 1
    assert ticks / 120 == pytest.approx(delay, abs=0.02)


def test_hits_report_their_offset_and_the_rally_counts_them():
    s = Session(seed=9)
    one(s, {"type": "init", "seed": 9, "to": 11})
    hits = []
    for _ in range(120 * 60):
        f = one(s, {"type": "step", "ticks": 1})
        if {"hit_left", "hit_right"} & set(f["events"]):
            hits.append(f)
        else:
            assert f["hit_offset"] is None
        if "serve" in f["events"]:
            assert f["rally"] == 0
    assert len(hits) >= 3
    assert all(-1.0 <= f["hit_offset"] <= 1.0 for f in hits)
    assert max(f["rally"] for f in hits) >= 1


def test_free_play_has_no_end_and_the_score_counts_on():
    s = Session(seed=4)
    one(s, {"type": "init", "seed": 4, "to": 1})
    play_until(s, "match_over")
    free = one(s, {"type": "free_play"})
    assert free["current"]["state"] == "free"
    before = sum(free["current"]["score"].values())
    for _ in range(40):
        f = one(s, {"type": "step", "ticks": 120})
        assert "match_over" not in f["events"] and "match_start" not in f["events"]
    assert sum(f["score"].values()) > before + 1 and f["match"]["state"] == "free"
    changed = one(s, {"type": "new_match", "to": 7})
    assert changed["current"]["to"] == 7 and changed["current"]["number"] == 2
    assert one(s, {"type": "get_metrics"})["settings"]["to"] == 7


def test_the_history_travels_in_the_weights_file_and_comes_back_with_init_and_import():
    s = Session(seed=4)
    one(s, {"type": "init", "seed": 4, "to": 2})
    play_until(s, "match_over")
    text = one(s, {"type": "export"})["text"]
    saved = json.loads(text)["matches"]
    assert len(saved["history"]) == 1 and saved["age_s"] > 0
    assert weights.load(text).matches == saved
    b = Session(seed=5)
    ready = one(b, {"type": "init", "seed": 5, "weights": text, "to": 2})
    assert ready["type"] == "ready"
    got = one(b, {"type": "get_matches"})
    assert got["history"] == saved["history"] and got["current"]["number"] == 2
    assert got["age_s"] == pytest.approx(saved["age_s"])
    c = Session(seed=6)
    one(c, {"type": "import", "text": text})
    assert one(c, {"type": "get_matches"})["history"] == saved["history"]
    one(c, {"type": "reset_ai"})  # a new clone has no matches
    fresh = one(c, {"type": "get_matches"})
    assert fresh["history"] == [] and fresh["age_s"] == 0.0 and fresh["current"]["number"] == 1


def test_a_restarted_worker_goes_on_with_its_match():
    s = Session(seed=3)
    match = {"number": 4, "left": 3, "right": 2, "state": "playing", "seconds": 41.5}
    one(s, {"type": "init", "seed": 3, "to": 5, "match": match})
    f = one(s, {"type": "step", "ticks": 1})
    assert f["score"] == {"left": 3, "right": 2}
    assert f["match"]["number"] == 4 and f["match"]["to"] == 5
    assert f["match"]["state"] == "countdown" and f["match"]["seconds"] > 41.5


@pytest.mark.parametrize(
    "msg,message",
    [
        ({"type": "init", "to": 0}, "field 'to'"),
        ({"type": "init", "to": 100}, "1..99 points"),
        ({"type": "init", "to": "eleven"}, "whole number of points"),
        ({"type": "new_match", "to": 2.5}, "whole number of points"),
        ({"type": "init", "match": [1]}, "field 'match' must be an object"),
        ({"type": "init", "match": {"number": 0, "left": 1, "right": 1}}, "'number'"),
        ({"type": "init", "match": {"number": 2, "left": 1.5, "right": 1}}, "whole number"),
        ({"type": "init", "match": {"number": 2, "left": 1, "right": 1, "state": "x"}}, "state"),
    ],
)
def test_bad_match_fields_are_refused_and_the_running_match_stays(msg, message):
    s = Session(seed=1)
    one(s, {"type": "init", "seed": 1, "to": 4})
    before = one(s, {"type": "get_matches"})["current"]
    [err] = s.handle(msg)
    assert err["type"] == "error" and message in err["message"], err
    assert one(s, {"type": "get_matches"})["current"] == before


def test_files_written_before_matches_existed_still_load():
    old = OLD_WEIGHTS.read_text()
    assert "matches" not in json.loads(old)
    loaded = weights.load(old)
    assert loaded.matches is None and loaded.meta["created_by"].startswith("pymodel")
    s = Session(seed=8)
    ready = one(s, {"type": "init", "seed": 8, "weights": old})
    assert ready["layer_sizes"] == [len(loaded.params["W1"]), 4, 3]
    assert one(s, {"type": "get_matches"})["history"] == []
    one(s, {"type": "import", "text": old})
    rec, meta = sessionfile.from_json(OLD_SESSION.read_text())
    assert len(rec) == 720 and meta["seed"] == 7


def test_a_bad_match_history_refuses_the_file_and_the_clone_stays():
    s = Session(seed=8)
    doc = json.loads(one(s, {"type": "export"})["text"])
    doc["matches"]["history"] = [{"number": 1}]
    [err] = s.handle({"type": "import", "text": json.dumps(doc)})
    assert err["type"] == "error" and "bad match history" in err["message"]
    with pytest.raises(weights.WeightsError, match="bad match history"):
        weights.load(json.dumps({**doc, "matches": {"age_s": "old"}}))


def test_the_ball_speeds_up_within_a_rally_and_each_serve_starts_it_again():
    p = GameParams()
    s = Session(seed=9)
    one(s, {"type": "init", "seed": 9})
    seen_hits = 0
    for _ in range(120 * 90):
        f = one(s, {"type": "step", "ticks": 1})
        speed = (f["ball"]["vx"] ** 2 + f["ball"]["vy"] ** 2) ** 0.5
        if "serve" in f["events"]:
            assert speed == pytest.approx(p.serve_speed)
        elif {"hit_left", "hit_right"} & set(f["events"]):
            seen_hits += 1
            expected = min(p.serve_speed * p.speedup ** f["rally"], p.max_speed)
            assert speed == pytest.approx(expected), f["rally"]
    assert seen_hits >= 3
