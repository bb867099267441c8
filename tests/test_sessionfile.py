"""Session file v1: bit-exact round trip, and every kind of bad file refused by name."""

import base64
import json
import zlib

import numpy as np
import pytest

from pymodel.formats import sessionfile as sf
from pymodel.sim.features import approaching, observe, observe_columns
from pymodel.sim.recording import record_bot, since_hit_columns

from .helpers import states_of


@pytest.fixture(scope="module")
def rec():
    return record_bot("edge", 3, 20.0)


@pytest.fixture(scope="module")
def text(rec):
    return sf.to_json(rec, {"bot": "edge"})


def test_round_trip_is_bit_exact(rec, text):
    back, meta = sf.from_json(text)
    assert meta == {"bot": "edge"}
    assert back.params == rec.params
    a, b = rec.raw(), back.raw()
    for name in a:
        assert a[name].dtype == b[name].dtype
        assert a[name].tobytes() == b[name].tobytes()
    assert sf.from_json(text.encode())[0].raw()["tick"].tobytes() == a["tick"].tobytes()


def test_ten_minutes_fit_in_three_megabytes():
    text = sf.to_json(record_bot("tracker", 0, 600.0))
    assert len(text) <= 3_000_000


def test_vectorised_features_equal_observe_row_by_row(rec):
    d = rec.decoded()
    for side in ("left", "right"):
        rows = np.array([observe(s, side, rec.params) for s, *_ in states_of(rec)])
        assert np.abs(observe_columns(d, side, rec.params) - rows).max() <= 1e-12
    since = np.array([s.t - s.left_hit_t for s, *_ in states_of(rec)])
    assert np.abs(since_hit_columns(d, "left", rec.params.dt) - since).max() <= 1e-12
    assert any(approaching(s, "left") for s, *_ in states_of(rec))


def _packed(values: np.ndarray) -> dict:
    data = zlib.compress(values.astype(values.dtype.newbyteorder("<")).tobytes())
    return {"dtype": str(values.dtype), "data": base64.b64encode(data).decode()}


def _edit(text, fn):
    doc = json.loads(text)
    fn(doc)
    return json.dumps(doc)


def _set_col(name, fn):
    """An edit that decodes one column, changes it and packs it again."""

    def edit(doc):
        back, _ = sf.from_json(json.dumps(doc))
        values = back.raw()[name]
        doc["columns"][name] = _packed(fn(values))

    return edit


def _bomb(doc):
    n = doc["frames"]
    data = zlib.compress(b"\0" * (n * 4 * 1000))  # 1000x the declared size
    doc["columns"]["tick"]["data"] = base64.b64encode(data).decode()


def _no_approach(doc):
    for name in ("ball_vx", "ball_vy"):
        doc["columns"][name] = _packed(np.zeros(doc["frames"], dtype="int16"))


BAD = {
    "not json": (lambda t: t[:-1], "not JSON"),
    "wrong format": (lambda t: _edit(t, lambda d: d.update(format="pong")), "wrong format"),
    "wrong version": (lambda t: _edit(t, lambda d: d.update(version=2)), "wrong version"),
    "column missing": (lambda t: _edit(t, lambda d: d["columns"].pop("left_y")), "missing"),
    "bad dtype": (
        lambda t: _edit(t, lambda d: d["columns"]["ball_x"].update(dtype="float32")),
        "has dtype",
    ),
    "short column": (
        lambda t: _edit(t, lambda d: d["columns"].update(events=_packed(np.arange(3, dtype="u1")))),
        "holds 3 frames, expected",
    ),
    "long column": (
        lambda t: _edit(t, lambda d: d.update(frames=d["frames"] - 1)),
        "holds more than",
    ),
    "bad base64": (
        lambda t: _edit(t, lambda d: d["columns"]["tick"].update(data="@@@@")),
        "not valid base64",
    ),
    "bad zlib": (
        lambda t: _edit(t, lambda d: d["columns"]["tick"].update(data="AAAAAAAA")),
        "not valid zlib",
    ),
    "truncated zlib": (
        lambda t: _edit(
            t, lambda d: d["columns"]["tick"].update(data=d["columns"]["tick"]["data"][:-8])
        ),
        "corrupt",
    ),
    "bomb": (lambda t: _edit(t, _bomb), "holds more than"),
    "nan literal": (lambda t: t.replace('"dt":', '"dt":NaN,"x":', 1), "non-finite number in file"),
    "infinite param": (lambda t: t.replace('"court_h":1.0', '"court_h":1e999', 1), "non-finite"),
    "paddle off court": (
        lambda t: _edit(t, _set_col("left_y", lambda v: v * 0)),
        "out of the court",
    ),
    "bad action": (
        lambda t: _edit(t, _set_col("right_action", lambda v: v + 3)),
        "not 0, 1 or 2",
    ),
    "ticks not increasing": (
        lambda t: _edit(t, _set_col("tick", lambda v: v[::-1].copy())),
        "ticks not increasing",
    ),
    "too large": (lambda t: t + " " * sf.MAX_SESSION_CHARS, "too large"),
    "zero frames": (lambda t: _edit(t, lambda d: d.update(frames=0)), "no frames"),
    "nothing to learn": (lambda t: _edit(t, _no_approach), "nothing to learn"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_file_is_refused_with_its_own_message(text, case):
    spoil, message = BAD[case]
    with pytest.raises(sf.SessionFileError, match=message) as info:
        sf.from_json(spoil(text))
    assert str(info.value).count(".") <= 2 and "\n" not in str(info.value)


def test_messages_differ_between_cases(text):
    messages = set()
    for spoil, _ in BAD.values():
        with pytest.raises(sf.SessionFileError) as info:
            sf.from_json(spoil(text))
        messages.add(str(info.value).split(" at frame")[0].split(":")[0])
    assert len(messages) >= 14
