"""The one schema the page builds itself from: strategies, knobs, features, networks, limits.

Sent in the ``ready`` reply and answered by the ``schema`` request, so no knob name, range,
strategy, feature, frame field or size limit is written by hand in JavaScript. Every knob
comes from the dataclass fields of ``pymodel.sampler`` and their metadata.
"""

from __future__ import annotations

from dataclasses import MISSING, fields

from .features import FEATURES
from .game import GameParams
from .lab import PRESETS
from .labsession import MAX_SEEDS
from .networks import choices
from .protocol import ACTIONS, FRAME_FIELDS, SEED_MAX
from .sampler import DEFAULT_STRATEGY, STRATEGY_INFO
from .sessionfile import MAX_SESSION_CHARS
from .weights import MAX_TEXT_CHARS

SCHEMA_VERSION = 1


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
    return {
        "version": SCHEMA_VERSION,
        "strategies": [
            {"name": name, "label": label, "knobs": knob_specs(cls)}
            for name, (cls, label) in STRATEGY_INFO.items()
        ],
        "default_strategy": DEFAULT_STRATEGY,
        "features": list(FEATURES),
        "actions": list(ACTIONS),
        "tick_hz": GameParams().tick_hz,
        "frame_fields": list(FRAME_FIELDS),
        "limits": {
            "weights_bytes": MAX_TEXT_CHARS,
            "session_bytes": MAX_SESSION_CHARS,
            "seed_max": SEED_MAX,
            "lab_seeds": MAX_SEEDS,
        },
        **choices(),
        "lab_presets": [
            {"name": name, "variants": [v.name for v in variants]}
            for name, variants in PRESETS.items()
        ],
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
