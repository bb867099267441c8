"""The one schema the page builds itself from: strategies, knobs, features, networks, limits.

Sent in the ``ready`` reply and answered by the ``schema`` request (by the game's worker
and the Lab's), so no knob name, range, strategy, feature, frame field or size limit is
written by hand in JavaScript. Every knob comes from the dataclass fields of
``pymodel.learn.sampler`` and their metadata. It reads the Lab's presets from
``lab.variants`` (data), never the Lab's engine.
"""

from __future__ import annotations

from dataclasses import MISSING, fields

from ..formats.sessionfile import MAX_SESSION_CHARS
from ..formats.weights import MAX_HISTORY, MAX_NAME_CHARS, MAX_TEXT_CHARS
from ..lab import duel, mirrortest
from ..lab.variants import MAX_SEEDS, MAX_SLICE_TICKS, PRESETS
from ..learn.budgets import BY_NAME, DEFAULT_BUDGET, budget_choices
from ..learn.networks import PLAY_FEATURE_SET, choices
from ..learn.output import output_choices
from ..learn.sampler import STRATEGIES
from ..sim.features import feature_names
from ..sim.game import ACTIONS, GameParams
from ..sim.rules import MAX_POINTS, MIN_POINTS, MatchRules
from ..sim.rules import schema_part as match_schema
from ..sim.style import trait_specs
from .protocol import FRAME_FIELDS, SEED_MAX

SCHEMA_VERSION = 1
LIBRARY_CLONES = 12  # named clones the page keeps in this browser (app/game/storage.js)


def knob_specs(cls: type) -> list[dict]:
    """One dict per knob of a knobs dataclass: name, type, range, step, default, unit, help,
    and whether the page folds it under "Advanced"."""
    out = []
    for f in fields(cls):
        default = f.default if f.default is not MISSING else None
        out.append({"name": f.name, "type": "number", "default": default, **f.metadata})
    return out


def schema() -> dict:
    """The schema as plain JSON data (see the module docstring)."""
    default = BY_NAME[DEFAULT_BUDGET].sampler  # the page lists it first
    return {
        "version": SCHEMA_VERSION,
        "strategies": [
            {"name": name, "label": cls.label, "knobs": knob_specs(cls.Knobs)}
            for name, cls in sorted(STRATEGIES.items(), key=lambda kv: kv[0] != default)
        ],
        "default_strategy": default,
        "features": list(feature_names(PLAY_FEATURE_SET)),  # a new game's clone's
        "actions": list(ACTIONS),
        "tick_hz": GameParams().tick_hz,
        "frame_fields": list(FRAME_FIELDS),
        "limits": {
            "weights_bytes": MAX_TEXT_CHARS,
            "session_bytes": MAX_SESSION_CHARS,
            "seed_max": SEED_MAX,
            "lab_seeds": MAX_SEEDS,
            "lab_slice_ticks": MAX_SLICE_TICKS,
            "name_chars": MAX_NAME_CHARS,
            "history_entries": MAX_HISTORY,
            "library_clones": LIBRARY_CLONES,
        },
        "mirror_test": mirror_test_spec(),
        "duel": duel_spec(),
        **choices(),
        "style_traits": trait_specs(),
        "output_models": output_choices(),
        "budgets": budget_choices(),
        "default_budget": DEFAULT_BUDGET,
        "lab_presets": [
            {"name": name, "variants": [v.name for v in variants]}
            for name, variants in PRESETS.items()
        ],
        "match": match_schema(GameParams().serve_delay),
    }


def mirror_test_spec() -> dict:
    """The mirror test's defaults and ranges (``lab.mirrortest``), for the page's card."""
    cfg = mirrortest.MirrorConfig()
    return {
        "rounds": cfg.rounds,
        "clip_s": cfg.clip_s,
        "min_play_s": cfg.min_play_s,
        "window_s": cfg.window_s,
        "max_rounds": mirrortest.MAX_ROUNDS,
    }


def duel_spec() -> dict:
    """The duel's defaults and ranges (``sim.rules``, ``lab.duel``), for the page's card."""
    return {
        "points": {"default": MatchRules.points, "min": MIN_POINTS, "max": MAX_POINTS},
        "win_by": MatchRules.win_by,
        "max_seeds": duel.MAX_SEEDS,
        "max_seconds": duel.DEFAULT_MAX_SECONDS,
    }


def knob_table() -> str:
    """The README's knob table (markdown), generated from the schema."""
    rows = ["| strategy | knob | default | range | meaning |", "| --- | --- | --- | --- | --- |"]
    for strategy in schema()["strategies"]:
        for k in strategy["knobs"]:
            unit = f" {k['unit']}" if k["unit"] else ""
            where = " (Advanced)" if k["advanced"] else ""
            rows.append(
                f"| `{strategy['name']}` | `{k['name']}`{where} | {k['default']:g}{unit} | "
                f"{k['min']:g}..{k['max']:g} | {k['help']} |"
            )
    return "\n".join(rows)
