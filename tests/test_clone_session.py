"""The game worker keeps what belongs to a clone beside its weights: its name and its history
of mirror tests, which travel in its weights file and go when a new clone starts."""

from __future__ import annotations

import json

import pytest

from pymodel.worker.game_session import Session

EVIL = '<img src=x onerror="window.__pwned=1">'


def one(s: Session, msg: dict) -> dict:
    (reply,) = s.handle(msg)
    return reply


@pytest.fixture(scope="module")
def played() -> Session:
    """A session with two minutes and a bit of (scripted) play recorded."""
    s = Session(seed=5)
    s.handle({"type": "set_learning", "on": False})
    s.handle({"type": "input", "intent": "down"})
    s.handle({"type": "step", "ticks": 120 * 70})
    s.handle({"type": "input", "intent": "up"})
    s.handle({"type": "step", "ticks": 120 * 70})
    return s


def run_test(s: Session, judge) -> dict:
    clips = one(s, {"type": "mirror_test", "at": 1.7e12})
    assert clips["type"] == "mirror_clips" and len(clips["pairs"]) == clips["rounds"] == 10
    key = one(s, {"type": "debug_mirror_key"})["key"]
    for i in range(10):
        reply = one(s, {"type": "mirror_answer", "round": i, "pick": judge(key[i])})
        assert reply["type"] == ("mirror_result" if i == 9 else "mirror_progress"), reply
    return reply


def test_name_goes_with_the_clone_and_a_new_clone_has_none():
    s = Session(seed=1)
    assert one(s, {"type": "get_metrics"})["settings"]["name"] is None
    assert one(s, {"type": "set_name", "name": f" {EVIL} "})["name"] == EVIL
    text = one(s, {"type": "export"})["text"]
    assert json.loads(text)["name"] == EVIL
    other = Session(seed=2)
    assert one(other, {"type": "import", "text": text})["name"] == EVIL
    renamed = one(other, {"type": "import", "text": text, "name": "Bob"})
    assert renamed["name"] == "Bob" and one(other, {"type": "get_history"})["name"] == "Bob"
    assert one(other, {"type": "init", "weights": text})["settings"]["name"] == EVIL
    err = one(s, {"type": "set_name", "name": "x" * 81})
    assert err["type"] == "error" and "limit 80" in err["message"]
    assert one(s, {"type": "set_name", "name": ""})["name"] is None
    one(s, {"type": "set_name", "name": "kept"})
    assert one(s, {"type": "reset_ai"})["name"] is None
    one(s, {"type": "set_name", "name": "kept"})
    assert one(s, {"type": "set_network", "hidden": [16]})["name"] is None


def test_mirror_tests_join_the_history_and_travel_in_the_file(played):
    s = played
    right = run_test(s, lambda k: k)
    assert right["entry"]["fooled"] == 0 and right["kept"] and len(right["history"]) == 1
    assert right["entry"]["at"] == 1.7e12 and right["entry"]["rounds"] == 10
    left = run_test(s, lambda k: "a")
    assert left["entry"]["fooled"] == 5 and [h["fooled"] for h in left["history"]] == [0, 5]
    assert {r["machine"] for r in left["rounds"]} <= {"a", "b"}
    text = one(s, {"type": "export"})["text"]
    assert [h["fooled"] for h in json.loads(text)["history"]] == [0, 5]
    other = Session(seed=3)
    imported = one(other, {"type": "import", "text": text})
    assert [h["fooled"] for h in imported["history"]] == [0, 5]
    assert one(other, {"type": "get_history"})["entries"] == left["history"]
    after = one(s, {"type": "mirror_answer", "round": 0, "pick": "a"})
    assert after["type"] == "error" and "is over" in after["message"]


def test_a_test_finished_after_the_clone_changed_is_not_credited(played):
    s = played
    before = one(s, {"type": "get_history"})["entries"]
    one(s, {"type": "mirror_test"})
    one(s, {"type": "set_name", "name": "same clone"})  # a name is not a new clone
    for i in range(5):
        one(s, {"type": "mirror_answer", "round": i, "pick": "a"})
    one(s, {"type": "reset_ai"})
    for i in range(5, 10):
        reply = one(s, {"type": "mirror_answer", "round": i, "pick": "a"})
    assert reply["type"] == "mirror_result" and reply["kept"] is False
    assert reply["history"] == [] and before  # the new clone has no history of its own


def test_too_little_play_and_no_test_are_said_plainly():
    s = Session(seed=4)
    s.handle({"type": "step", "ticks": 600})
    err = one(s, {"type": "mirror_test"})
    assert err["type"] == "error" and "needs 120 s of your play, and 5 s" in err["message"]
    for kind in ("mirror_answer", "debug_mirror_key"):
        err = one(s, {"type": kind, "round": 0, "pick": "a"})
        assert err["type"] == "error" and "no mirror test is running" in err["message"]
    bad = one(s, {"type": "mirror_test", "rounds": 40})
    assert bad["type"] == "error" and "'rounds' must be in" in bad["message"]
