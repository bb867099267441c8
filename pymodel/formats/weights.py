"""Weights file format v1: the learned clone as one JSON object, validated on load.

Format (all keys required unless marked optional)::

    {
      "format": "mirror-pong-weights",      # exactly this string
      "version": 1,                          # exactly 1
      "features": ["ball_x", ...],           # input names in input order; must equal
                                             # one of pymodel.features.FEATURE_SETS (the
                                             # clone then observes with that set)
      "actions": ["up", "stay", "down"],     # output names in logit order; exactly these
      "layers": [                            # first to last
        {"weights": [[...], ...],            # shape [inputs][outputs], finite numbers
         "bias": [...],                      # length outputs
         "activation": "tanh"}               # "tanh" | "relu" | "linear"
      ],
      "output": {"kind": "hysteresis",       # optional: the output model, how the
                 "margin": 0.2},             # clone turns probabilities into moves
                                             # (pymodel.learn.output); absent = greedy
      "name": "Ada's clone",                 # optional: the clone's name, a string of at
                                             # most MAX_NAME_CHARS characters (shown as
                                             # text, never as markup)
      "history": [                           # optional: what happened to this clone, at
        {"kind": "mirror_test", ...}         # most MAX_HISTORY entries, oldest first
      ],                                     # (``HISTORY_FIELDS``; see below)
      "matches": {"age_s": 754.2,            # optional: the clone's age (game seconds of
                  "history": [{...}]},       # your play it learned from) and its finished
                                             # matches (pymodel.sim.rules); absent = none
      "meta": {...}                          # optional, free-form JSON object: training
                                             # metadata (seed, sampler, steps, game_seconds,
                                             # created_by). Not used for play.
    }

A history entry is an object with ``kind`` (one of ``HISTORY_KINDS``) and the numbers of
``HISTORY_FIELDS`` for that kind (each a finite number, or null where marked): a
``"mirror_test"`` (the blind test "which one is you?", ``pymodel.lab.mirrortest``) has ``at``
(when, ms since 1970 by the page's clock, or null), ``game_seconds`` and ``steps`` (the
session's game time and the clone's training steps then), ``rounds``, ``fooled`` (rounds the
player took the clone for themself), ``machine_right`` (rounds the fingerprint judge named the
player right) and ``clip_s`` (each replay's length). A reader keeps the fields it knows and
drops the rest of an entry.

Version rules: a reader of version 1 ignores keys it does not know, so an optional key may be
added to version 1 (``output``, ``name`` and ``history`` were, then ``matches``); a change
an older reader would misread (a key whose absence or meaning changes how the clone plays in a
way it cannot ignore) needs version 2. ``matches`` never changes how the clone plays: a file
without it loads as a clone with no matches yet (age 0), and one with it loads in an older
reader, which ignores it.

Layer i computes ``act(x @ weights + bias)``; the first layer has ``len(features)`` inputs,
each layer's outputs are the next layer's inputs, and the last layer gives the 3 logits (its
activation is normally "linear"). Features are already normalised by ``observe`` so the file
carries no normalisation constants. Limits: at most ``MAX_TEXT_CHARS`` characters of text
(checked before parsing), ``MAX_PARAMS`` numbers, ``MAX_LAYERS`` layers and ``MAX_DEPTH``
levels of nesting. Every problem raises ``WeightsError`` with a one-sentence message; a load
either returns complete params or raises, it never half-loads.
"""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any, NamedTuple

import numpy as np

from ..learn.mlp import ACTIVATIONS, Params, activations_for
from ..learn.output import check_output
from ..learn.trainer import OnlineTrainer
from ..sim.features import DEFAULT_FEATURE_SET, FEATURE_SETS, feature_names
from ..sim.game import ACTIONS
from ..sim.rules import check_saved
from .jsonfile import check_header, parse_object

FORMAT = "mirror-pong-weights"
VERSION = 1
MAX_TEXT_CHARS = 2_000_000  # ~100k numbers at ~20 chars each: anything bigger is not ours
MAX_PARAMS = 100_000  # total weights + biases; the default net has ~1.5k
MAX_LAYERS = 8  # deeper than this is not a policy we would train in a browser tab
MAX_DEPTH = 16  # JSON nesting; the format itself needs 5 (meta may nest a little)
MAX_NAME_CHARS = 80  # a clone's name
MAX_HISTORY = 50  # entries of a clone's history kept (the oldest go first)
# What a history entry of each kind holds: field -> may it be null?
HISTORY_FIELDS: dict[str, dict[str, bool]] = {
    "mirror_test": {
        "at": True,
        "game_seconds": False,
        "steps": False,
        "rounds": False,
        "fooled": False,
        "machine_right": False,
        "clip_s": False,
    },
}
HISTORY_KINDS: tuple[str, ...] = tuple(HISTORY_FIELDS)


class WeightsError(ValueError):
    """A weights file that cannot be loaded; the message says exactly what is wrong."""


class LoadedClone(NamedTuple):
    """A validated weights file: what ``load`` returns."""

    params: Params
    activations: list[str]
    meta: dict
    feature_set: str  # the name of the feature set its ``features`` list is
    output: dict  # the output model (greedy when the file names none)
    name: str | None  # the clone's name (None when the file names none)
    history: list[dict]  # its history entries, checked (``check_history``)
    matches: dict | None = None  # {age_s, history} (sim.rules.check_saved), None when absent


def to_json(
    params: Params,
    activations: str | list[str],
    meta: dict | None = None,
    feature_set: str = DEFAULT_FEATURE_SET,
    output: dict | None = None,
    name: str | None = None,
    history: list[dict] | None = None,
    matches: dict | None = None,
) -> str:
    """Serialise ``params`` (W1, b1, ...) with their activations as a weights file v1 whose
    ``features`` are ``feature_set``'s list (the set the clone was trained on) and whose
    ``output`` is the clone's output model (left out for greedy, the default); ``name``,
    ``history`` and ``matches`` (its age and match history) are written when given (checked
    as a reader would)."""
    acts = activations_for(params, activations)
    layers = [
        {
            "weights": params[f"W{i}"].tolist(),
            "bias": params[f"b{i}"].tolist(),
            "activation": act,
        }
        for i, act in enumerate(acts, start=1)
    ]
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "features": list(feature_names(feature_set)),
        "actions": list(ACTIONS),
        "layers": layers,
        "meta": meta or {},
    }
    if output is not None and output.get("kind") != "greedy":
        doc["output"] = check_output(output)
    if name is not None:
        doc["name"] = check_name(name)
    if history:
        doc["history"] = check_history(history)
    if matches is not None:
        doc["matches"] = check_saved(matches)
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


def check_name(name: Any) -> str:
    """A clone's name as kept: a string of at most ``MAX_NAME_CHARS`` characters, control
    characters (a line break, a tab) turned into spaces, trimmed; WeightsError otherwise.
    Every other character is kept as typed: a name is only ever shown as text."""
    if not isinstance(name, str):
        raise WeightsError("name must be a string")
    name = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name).strip()
    if len(name) > MAX_NAME_CHARS:
        raise WeightsError(f"name is {len(name)} characters long, limit {MAX_NAME_CHARS}")
    return name


def _entry(i: int, entry: Any) -> dict:
    """History entry ``i`` (1-based) checked, with only the fields its kind has."""
    if not isinstance(entry, dict) or entry.get("kind") not in HISTORY_FIELDS:
        raise WeightsError(
            f"history entry {i} must be an object whose kind is one of {HISTORY_KINDS}"
        )
    out: dict = {"kind": entry["kind"]}
    for key, nullable in HISTORY_FIELDS[entry["kind"]].items():
        value = entry.get(key)
        if value is None and nullable:
            out[key] = None
            continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise WeightsError(f"history entry {i}: {key} must be a finite number")
        out[key] = value
    return out


def check_history(history: Any) -> list[dict]:
    """A clone's history as kept: a list of at most ``MAX_HISTORY`` entries (module
    docstring), each with only the fields of its kind; WeightsError otherwise."""
    if not isinstance(history, list):
        raise WeightsError("history must be a list")
    if len(history) > MAX_HISTORY:
        raise WeightsError(f"history has {len(history)} entries, limit {MAX_HISTORY}")
    return [_entry(i, e) for i, e in enumerate(history, start=1)]


def _parse(text: Any) -> dict:
    """Size and depth checks first (cheap), then JSON parsing, to a top-level object."""
    return parse_object(text, MAX_TEXT_CHARS, MAX_DEPTH, WeightsError)


def _layer(i: int, layer: Any, n_in: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Validate layer ``i`` (1-based) with ``n_in`` inputs; return (W, b, activation)."""
    if not isinstance(layer, dict):
        raise WeightsError(f"layer {i} must be an object")
    for key in ("weights", "bias", "activation"):
        if key not in layer:
            raise WeightsError(f"missing key '{key}' in layer {i}")
    rows = layer["weights"]
    if (
        not isinstance(rows, list)
        or not rows
        or not all(isinstance(r, list) for r in rows)
        or len({len(r) for r in rows}) != 1
        or not rows[0]
    ):
        raise WeightsError(f"layer {i} weights not a rectangular matrix")
    bias = layer["bias"]
    if not isinstance(bias, list):
        raise WeightsError(f"layer {i} bias not a list of numbers")
    numbers = [v for r in rows for v in r] + bias
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
        raise WeightsError(f"layer {i} holds something that is not a number")
    if not all(math.isfinite(v) for v in numbers):
        raise WeightsError(f"non-finite number in layer {i}")
    w = np.array(rows, dtype=np.float64)
    b = np.array(bias, dtype=np.float64)
    if w.shape[0] != n_in:
        raise WeightsError(
            f"shapes do not chain at layer {i}: {w.shape[0]} inputs, previous gives {n_in}"
        )
    if b.shape != (w.shape[1],):
        raise WeightsError(f"layer {i} bias has {b.size} values, weights give {w.shape[1]}")
    act = layer["activation"]
    if act not in ACTIVATIONS:
        raise WeightsError(f"unknown activation {act!r} in layer {i} (known: {ACTIVATIONS})")
    return w, b, act


def from_json(text: str | bytes) -> tuple[Params, list[str], dict]:
    """Parse and validate a weights file v1; return (params, activations, meta)."""
    return load(text)[:3]


def _feature_set(features: Any) -> str:
    """The name of the known feature set ``features`` lists; a refusal that says which of
    three things is wrong: an unknown list, a known set in another order."""
    for name, names in FEATURE_SETS.items():
        if features == list(names):
            return name
    known = "; ".join(f"{n}: {list(f)}" for n, f in FEATURE_SETS.items())
    if isinstance(features, list) and all(isinstance(f, str) for f in features):
        for name, names in FEATURE_SETS.items():
            if sorted(features) == sorted(names):
                raise WeightsError(
                    f"features are feature set {name!r} in the wrong order: expected {list(names)}"
                )
    raise WeightsError(f"features are not a known feature set (known: {known})")


def load(text: str | bytes) -> LoadedClone:
    """Parse and validate a weights file v1 of any known feature set; a ``LoadedClone``."""
    doc = _parse(text)
    check_header(doc, FORMAT, VERSION, ("features", "actions", "layers"), WeightsError)
    feature_set = _feature_set(doc["features"])
    if doc["actions"] != list(ACTIONS):
        raise WeightsError(f"wrong actions: expected {list(ACTIONS)}")
    meta = doc.get("meta", {})
    if not isinstance(meta, dict):
        raise WeightsError("meta must be an object")
    try:
        output = check_output(doc.get("output", {"kind": "greedy"}))
    except ValueError as exc:
        raise WeightsError(f"bad output model: {exc}") from None
    name = check_name(doc["name"]) if doc.get("name") is not None else None
    history = check_history(doc.get("history", []))
    try:
        matches = check_saved(doc["matches"]) if "matches" in doc else None
    except ValueError as exc:
        raise WeightsError(f"bad match history: {exc}") from None
    layers = doc["layers"]
    if not isinstance(layers, list) or not layers:
        raise WeightsError("layers must be a non-empty list")
    if len(layers) > MAX_LAYERS:
        raise WeightsError(f"too many layers: {len(layers)}, limit {MAX_LAYERS}")
    total = 0
    for layer in layers:  # count before building any array
        if isinstance(layer, dict) and isinstance(layer.get("weights"), list):
            total += sum(len(r) for r in layer["weights"] if isinstance(r, list))
    if total > MAX_PARAMS:
        raise WeightsError(f"too many parameters: {total}, limit {MAX_PARAMS}")
    params: Params = {}
    acts: list[str] = []
    n_in = len(feature_names(feature_set))
    first = layers[0]
    if isinstance(first, dict) and isinstance(first.get("weights"), list) and first["weights"]:
        if len(first["weights"]) != n_in:  # its own message: the common mix-up of two sets
            raise WeightsError(
                f"first layer has {len(first['weights'])} inputs, but feature set "
                f"{feature_set!r} has {n_in} features"
            )
    for i, layer in enumerate(layers, start=1):
        w, b, act = _layer(i, layer, n_in)
        params[f"W{i}"], params[f"b{i}"] = w, b
        acts.append(act)
        n_in = w.shape[1]
    if n_in != len(ACTIONS):
        raise WeightsError(f"last layer must output {len(ACTIONS)} logits, not {n_in}")
    return LoadedClone(params, acts, meta, feature_set, output, name, history, matches)


def export_clone(
    trainer: OnlineTrainer,
    meta: dict | None = None,
    name: str | None = None,
    history: list[dict] | None = None,
    matches: dict | None = None,
) -> str:
    """A trainer's clone as a weights file v1; ``meta`` gets the training figures (sampler,
    knobs, steps, frames seen and kept) added; ``name``, ``history`` and ``matches`` (a
    ``Scoreboard.saved()``: its age and match history) go with it."""
    sampler = trainer.sampler
    figures = {
        "sampler": sampler.strategy,
        "knobs": sampler.knob_dict(),
        "steps": trainer.steps,
        "seen": trainer.seen,
        "kept": trainer.kept,
    }
    meta = {**(meta or {}), **figures}
    return to_json(
        trainer.play_params,
        trainer.activations,
        meta,
        trainer.feature_set,
        trainer.output,
        name,
        history,
        matches,
    )


def load_into(trainer: OnlineTrainer, text: str | bytes) -> dict:
    """Validate a weights file v1 and make ``trainer`` play (and keep training) from it; its
    meta. Raises WeightsError before anything changes; the clone then observes with the
    file's feature set."""
    loaded = load(text)
    trainer.load(loaded.params, loaded.activations, loaded.feature_set)
    trainer.set_output(loaded.output)
    return loaded.meta
