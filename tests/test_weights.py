"""Weights file v1: round trip and a table of bad files, each with its own message."""

import json

import numpy as np
import pytest

from pymodel.formats.weights import MAX_TEXT_CHARS, WeightsError, from_json, load, to_json
from pymodel.learn import mlp
from pymodel.sim.features import N_FEATURES

ENTRY = {
    "kind": "mirror_test",
    "at": None,
    "game_seconds": 200.5,
    "steps": 9000,
    "rounds": 10,
    "fooled": 3,
    "machine_right": 7,
    "clip_s": 6.0,
}


def make_doc() -> dict:
    params = mlp.init_params([N_FEATURES, 4, 3], np.random.default_rng(0))
    return json.loads(to_json(params, "tanh", {"note": "test"}))


def test_round_trip_keeps_the_policy():
    rng = np.random.default_rng(1)
    params = mlp.init_params([N_FEATURES, 32, 32, 3], rng)
    text = to_json(params, "tanh", {"steps": 5})
    loaded, acts, meta = from_json(text)
    assert acts == ["tanh", "tanh", "linear"] and meta == {"steps": 5}
    for k in params:
        np.testing.assert_array_equal(params[k], loaded[k])
    x = rng.normal(size=(200, N_FEATURES))
    a1, p1 = mlp.predict(params, x)
    a2, p2 = mlp.predict(loaded, x, acts)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(p1, p2)
    assert from_json(text.encode())[2] == meta


def mutate(fn):
    doc = make_doc()
    fn(doc)
    return json.dumps(doc)


BAD = [
    ("not json", "{not json", "not JSON"),
    ("top level list", "[1, 2]", "wrong format: top level"),
    ("wrong format", mutate(lambda d: d.update(format="keras")), "wrong format"),
    ("wrong version", mutate(lambda d: d.update(version=2)), "wrong version"),
    ("missing layers", mutate(lambda d: d.pop("layers")), "missing key 'layers'"),
    ("missing bias", mutate(lambda d: d["layers"][0].pop("bias")), "missing key 'bias' in layer 1"),
    ("wrong features", mutate(lambda d: d["features"].reverse()), "in the wrong order"),
    ("wrong actions", mutate(lambda d: d.update(actions=["left", "right"])), "wrong actions"),
    (
        "ragged matrix",
        mutate(lambda d: d["layers"][0]["weights"][0].append(1.0)),
        "layer 1 weights not a rectangular matrix",
    ),
    (
        "shapes do not chain",
        mutate(lambda d: d["layers"][1].update(weights=[[0.0] * 3] * 5)),
        "shapes do not chain at layer 2",
    ),
    (
        "bias length",
        mutate(lambda d: d["layers"][0]["bias"].append(0.0)),
        "layer 1 bias has 5 values",
    ),
    (
        "last layer not 3 logits",
        mutate(lambda d: d["layers"][1].update(weights=[[0.0] * 2] * 4, bias=[0, 0])),
        "last layer must output 3 logits",
    ),
    ("NaN", mutate(lambda d: d["layers"][0]["bias"].__setitem__(0, float("nan"))), "NaN"),
    (
        "Infinity",
        mutate(lambda d: d["layers"][1]["weights"][0].__setitem__(0, float("inf"))),
        "Infinity",
    ),
    (
        "huge number",
        json.dumps(make_doc()).replace("0.0", "1e999", 1),
        "non-finite number in layer 1",
    ),
    (
        "string in weights",
        mutate(lambda d: d["layers"][0]["weights"][0].__setitem__(0, "x")),
        "not a number",
    ),
    (
        "unknown activation",
        mutate(lambda d: d["layers"][0].update(activation="gelu")),
        "unknown activation 'gelu' in layer 1",
    ),
    ("huge 50 MB text", " " * 50_000_000, "file too large"),
    ("deeply nested", "[" * 100_000 + "]" * 100_000, "nested too deep"),
    (
        "too many parameters",
        mutate(lambda d: d["layers"][0].update(weights=[[0.0] * 20_000] * 9, bias=[0.0] * 20_000)),
        "too many parameters",
    ),
    ("not text", 12, "not JSON: expected text"),
    ("meta not object", mutate(lambda d: d.update(meta=[1])), "meta must be an object"),
    ("name not text", mutate(lambda d: d.update(name=["x"])), "name must be a string"),
    ("name too long", mutate(lambda d: d.update(name="x" * 81)), "characters long, limit 80"),
    ("history not a list", mutate(lambda d: d.update(history={})), "history must be a list"),
    (
        "history of an unknown kind",
        mutate(lambda d: d.update(history=[{"kind": "vibes"}])),
        "history entry 1 must be an object whose kind is one of",
    ),
    (
        "history entry with a string",
        mutate(lambda d: d.update(history=[{**ENTRY, "fooled": "3"}])),
        "history entry 1: fooled must be a finite number",
    ),
    (
        "history too long",
        mutate(lambda d: d.update(history=[ENTRY] * 51)),
        "history has 51 entries, limit 50",
    ),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_weights_files_are_rejected_with_their_own_message(name, text, message):
    with pytest.raises(WeightsError) as info:
        from_json(text)
    assert message in str(info.value), str(info.value)


def test_messages_are_distinct():
    assert len({b[2] for b in BAD}) == len(BAD)
    assert MAX_TEXT_CHARS < 50_000_000


def test_name_and_history_travel_with_the_clone_and_stay_optional():
    params = mlp.init_params([N_FEATURES, 4, 3], np.random.default_rng(0))
    plain = load(to_json(params, "tanh"))
    assert plain.name is None and plain.history == []
    evil = '<img src=x onerror="window.__pwned=1">'
    later = {**ENTRY, "at": 1.7e12, "future_field": [1, 2]}
    text = to_json(params, "tanh", name=f"  {evil}\n", history=[ENTRY, later])
    loaded = load(text)
    assert loaded.name == evil  # as typed: trimmed, nothing escaped or stripped
    assert loaded.history == [ENTRY, {**ENTRY, "at": 1.7e12}]  # unknown fields dropped
    assert load(to_json(params, "tanh", name="a\tb\x00c")).name == "a b c"
    doc = json.loads(text)
    assert doc["version"] == 1 and list(doc)[-2:] == ["name", "history"]
    # an older reader's view: the same layers, the new keys simply not read
    assert from_json(text)[0].keys() == params.keys()
