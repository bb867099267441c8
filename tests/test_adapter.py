"""The protocol handler: every request answered, errors as replies, JS and Python in step."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from pymodel.learn.networks import play_network
from pymodel.learn.trainer import PLAY_CAPACITY, TrainerConfig
from pymodel.sim.game import ACTIONS
from pymodel.worker import protocol
from pymodel.worker.game_session import Session

N_FEATURES = play_network().sizes[0]  # a new game's clone's inputs

ROOT = Path(__file__).resolve().parents[1]

FRAME_KEYS = {"type", *protocol.FRAME_FIELDS}


def one(session: Session, msg: dict) -> dict:
    replies = session.handle(msg)
    assert len(replies) >= 1, replies
    return replies[0]


def test_protocol_names_match_the_js_mirror():
    js = (ROOT / "app" / "game" / "protocol.js").read_text()

    def names(const: str) -> list[str]:
        body = re.search(rf"export const {const} = Object\.freeze\(\[(.*?)\]\)", js, re.S)
        assert body, const
        return re.findall(r'"([a-z_]+)"', body.group(1))

    assert names("REQUESTS") == list(protocol.REQUESTS)
    assert names("REPLIES") == list(protocol.REPLIES)
    assert names("ACTIONS") == list(ACTIONS)


REQUESTS = {
    "schema": ({}, "schema"),
    "init": ({"seed": 3, "sampler": "uniform", "ghost": True, "learning": False}, "ready"),
    "input": ({"intent": "down"}, None),
    "pause": ({"paused": False}, "frame"),
    "advance": ({"dt": 0.1, "train_ms": 2}, "frame"),
    "step": ({"ticks": 120 * 130}, "frame"),  # the mirror test needs two minutes of play
    "set_sampler": ({"strategy": "relevance", "knobs": {"away_weight": 0.3}}, "settings"),
    "set_learning": ({"on": False}, "settings"),
    "set_ghost": ({"on": True}, "settings"),
    "reset_ai": ({"seed": 9}, "settings"),
    "set_network": ({"hidden": [16], "activation": "relu"}, "settings"),
    "set_output": ({"output": {"kind": "hysteresis", "margin": 0.3}}, "settings"),
    "set_budget": ({"budget": "light"}, "settings"),
    "export": ({}, "weights"),
    "import": (None, "imported"),
    "get_network": ({}, "network"),
    "get_metrics": ({}, "metrics"),
    "get_style": ({"window_s": 60}, "style"),
    "export_session": ({}, "session"),
    "get_matches": ({}, "matches"),
    "new_match": ({"to": 5}, "matches"),
    "free_play": ({}, "matches"),
    "get_health": ({}, "health"),
    "debug_crash": ({}, None),
    "decide": ({"observations": [[0.0] * N_FEATURES, [0.5] * N_FEATURES]}, "decisions"),
    "bench": ({"mode": "stats"}, "bench_result"),
    "set_name": ({"name": "Ada's clone"}, "settings"),
    "get_history": ({}, "history"),
    "mirror_test": ({"rounds": 4, "at": 1.7e12}, "mirror_clips"),
    "debug_mirror_key": ({}, "mirror_key"),
    "mirror_answer": ({"round": 0, "pick": "a"}, "mirror_progress"),
    "clear_recording": ({}, "recording"),
}


def test_every_request_type_is_handled():
    assert set(REQUESTS) == set(protocol.REQUESTS) - set(protocol.LAB_REQUESTS)
    s = Session()
    text = one(s, {"type": "export"})["text"]
    for kind, (fields, reply) in REQUESTS.items():
        fields = {"text": text} if kind == "import" else fields
        replies = s.handle({"type": kind, "id": kind, **fields})
        assert all(r["type"] != "error" for r in replies), replies
        if reply is None:
            continue
        assert replies[0]["type"] == reply
        assert all(r["id"] == kind for r in replies)
        assert all(r["type"] in protocol.REPLIES for r in replies)


def test_frames_and_metrics_have_the_documented_shape():
    s = Session(seed=1)
    s.handle({"type": "input", "target": 0.2})
    replies = []
    for _ in range(60):
        replies += s.handle({"type": "advance", "dt": 1 / 60, "train_ms": 1})
    frame = replies[-1] if replies[-1]["type"] == "frame" else replies[-2]
    assert list(frame) == ["type", *protocol.FRAME_FIELDS]
    assert set(frame) == FRAME_KEYS
    assert set(frame["ball"]) == {"x", "y", "vx", "vy", "r"}
    assert set(frame["paddles"]["left"]) == {"x", "y"}
    assert frame["tick"] == 120 and frame["ghost_y"] is None
    assert frame["paddles"]["left"]["y"] == pytest.approx(0.2, abs=0.03)
    metrics = [r for r in replies if r["type"] == "metrics"]
    assert 3 <= len(metrics) <= 5  # about 4 per game second
    m = metrics[-1]
    assert {
        "t",
        "loss",
        "seen",
        "kept",
        "steps",
        "steps_per_s",
        "buffer",
        "mirror",
        "settings",
    } <= set(m)
    assert set(m["buffer"]) == {"size", "capacity", "approach", "away"}
    assert set(m["mirror"]) == {"approach", "away", "all"}
    json.dumps(replies, allow_nan=False)


def test_paused_game_neither_ticks_nor_trains_but_step_does():
    s = Session()
    s.handle({"type": "pause", "paused": True})
    frame = one(s, {"type": "advance", "dt": 0.2, "train_ms": 5})
    assert frame["tick"] == 0 and frame["paused"] is True
    assert one(s, {"type": "step", "ticks": 7})["tick"] == 7


@pytest.mark.parametrize(
    "msg,request_type,message",
    [
        ({"type": "warp"}, "warp", "unknown message type"),
        ({"type": "advance", "dt": "soon"}, "advance", "must be a finite number"),
        ({"type": "input"}, "input", "intent"),
        ({"type": "input", "intent": "jump"}, "input", "intent must be one of"),
        ({"type": "set_sampler", "strategy": "best"}, "set_sampler", "unknown sampler strategy"),
        ({"type": "set_learning", "on": "yes"}, "set_learning", "true or false"),
        ({"type": "decide", "observations": [[1, 2]]}, "decide", "each observation must be"),
        ({"type": "import", "text": "{}"}, "import", "missing key"),
        ({"type": "step", "ticks": -1}, "step", "must be in"),
        ("not a dict", "?", "must be an object"),
    ],
)
def test_errors_come_back_as_error_replies(msg, request_type, message):
    replies = Session().handle(msg)
    assert len(replies) == 1
    err = replies[0]
    assert err["type"] == "error" and err["fatal"] is False
    assert err["request"] == request_type
    assert message in err["message"]
    assert isinstance(err["detail"], str)


def test_import_of_a_bad_file_leaves_the_model_unchanged():
    s = Session(seed=2)
    s.handle({"type": "step", "ticks": 600})
    obs = {
        "type": "decide",
        "observations": np.random.default_rng(0).uniform(-1, 1, size=(50, N_FEATURES)).tolist(),
    }
    before = one(s, obs)
    good = json.loads(one(s, {"type": "export"})["text"])
    good["layers"][1]["weights"] = [[0.0]]
    err = one(s, {"type": "import", "text": json.dumps(good)})
    assert err["type"] == "error" and "shapes do not chain" in err["message"]
    assert one(s, obs) == before


def test_export_import_round_trip_between_sessions():
    a, b = Session(seed=4), Session(seed=5)
    a.handle({"type": "step", "ticks": 1200})
    text = one(a, {"type": "export"})["text"]
    imported = one(b, {"type": "import", "text": text})
    assert imported["layer_sizes"] == [N_FEATURES, 32, 32, 3]
    obs = {"type": "decide", "observations": [[0.1 * i] * N_FEATURES for i in range(-9, 10)]}
    assert one(a, obs) == one(b, obs)


def test_handle_json_speaks_json_only():
    s = Session()
    out = json.loads(s.handle_json(json.dumps({"type": "get_metrics", "id": 7})))
    assert out[0]["type"] == "metrics" and out[0]["id"] == 7
    bad = json.loads(s.handle_json("{oops"))
    assert bad[0]["type"] == "error"


def test_network_reply_has_values_per_layer():
    net = one(Session(), {"type": "get_network"})
    assert net["sizes"] == [N_FEATURES, 32, 32, 3]
    assert [len(v) for v in net["values"]] == net["sizes"]
    assert len(net["weights"]) == 3 and len(net["weights"][0]) == N_FEATURES


def test_bad_init_keeps_the_running_session():
    s = Session(seed=6)
    s.handle({"type": "step", "ticks": 100})
    err = one(s, {"type": "init", "sampler": "best"})
    assert err["type"] == "error" and "unknown sampler strategy" in err["message"]
    assert one(s, {"type": "step", "ticks": 1})["tick"] == 101


def test_init_with_weights_plays_that_clone_and_a_bad_file_changes_nothing():
    a = Session(seed=4)
    a.handle({"type": "step", "ticks": 1200})
    text = one(a, {"type": "export"})["text"]
    b = Session(seed=8)
    b.handle({"type": "step", "ticks": 50})
    ready = one(b, {"type": "init", "seed": 3, "sampler": "uniform", "weights": text})
    assert ready["type"] == "ready" and ready["imported"]["seed"] == 4
    assert ready["settings"]["sampler"] == "uniform" and ready["schema"]["version"] == 1
    obs = {"type": "decide", "observations": [[0.1 * i] * N_FEATURES for i in range(-9, 10)]}
    assert one(a, obs) == one(b, obs)
    bad = json.loads(text)
    bad["features"] = bad["features"][::-1]
    err = one(b, {"type": "init", "seed": 5, "weights": json.dumps(bad)})
    assert err["type"] == "error" and "features" in err["message"]
    assert one(b, {"type": "step", "ticks": 1})["tick"] == 1  # the running session stays
    assert one(a, obs) == one(b, obs)


def test_schema_describes_every_knob_with_its_range_and_the_limits():
    from pymodel.formats.weights import MAX_TEXT_CHARS
    from pymodel.learn.sampler import make_knobs

    sch = one(Session(), {"type": "schema"})["schema"]
    assert [s["name"] for s in sch["strategies"]][0] == sch["default_strategy"]
    for strategy in sch["strategies"]:
        defaults = make_knobs(strategy["name"]).__dict__
        assert [k["name"] for k in strategy["knobs"]] == list(defaults)
        for k in strategy["knobs"]:
            assert k["min"] <= k["default"] <= k["max"] and k["help"] and k["step"] > 0
            assert k["default"] == defaults[k["name"]]
    assert sch["limits"]["weights_bytes"] == MAX_TEXT_CHARS
    assert sch["frame_fields"] == list(protocol.FRAME_FIELDS)
    assert sch["tick_hz"] == 120 and sch["actions"] == ["up", "stay", "down"]
    json.dumps(sch, allow_nan=False)


def test_the_ghost_sees_its_own_paddle_through_observe():
    from pymodel.sim import features

    s = Session(seed=3)
    s.handle({"type": "set_ghost", "on": True})
    for _ in range(240):
        s.handle({"type": "step", "ticks": 1})
    m = s.match
    view = features.observe(m.state, "left", m.params, own_y=m.ghost_y)
    plain = features.observe(m.state, "left", m.params)
    names = features.feature_names("engineered")
    i = names.index("own_y")
    assert view[i] == 2.0 * m.ghost_y / m.params.court_h - 1.0
    others = [j for j, n in enumerate(names) if n not in ("own_y", "ball_dy", "intercept_dy")]
    assert (view[others] == plain[others]).all()


def test_every_tick_is_recorded_and_reset_ai_keeps_the_recording():
    s = Session(seed=2)
    s.handle({"type": "step", "ticks": 300})
    assert len(s.recording) == 300
    s.handle({"type": "reset_ai"})
    s.handle({"type": "step", "ticks": 10})
    assert len(s.recording) == 310
    assert s.recording.decoded()["tick"][-1] == 309


def test_debug_crash_breaks_the_loop_for_good():
    s = Session(seed=1)
    assert s.handle({"type": "debug_crash"}) == []
    for _ in range(3):
        err = one(s, {"type": "advance", "dt": 0.02, "train_ms": 1})
        assert err["type"] == "error" and "broken on purpose" in err["message"]


def test_the_games_clone_remembers_play_capacity_frames_whatever_its_network():
    """A new game's clone, a reset one, one on another network and an imported one all keep
    ``PLAY_CAPACITY`` frames (the experiments' clones keep ``TrainerConfig``'s 4,096)."""
    assert PLAY_CAPACITY != TrainerConfig().capacity
    s = Session(seed=2)
    assert s.trainer.buffer.capacity == PLAY_CAPACITY
    text = one(s, {"type": "export"})["text"]
    for msg in (
        {"type": "set_network", "hidden": [16], "activation": "relu"},
        {"type": "reset_ai"},
        {"type": "import", "text": text},
    ):
        assert all(r["type"] != "error" for r in s.handle({**msg, "id": 1})), msg
        assert s.trainer.buffer.capacity == PLAY_CAPACITY, msg
