"""Session file format v1: a recording of play as one JSON object, validated on load.

A session file is what the Lab replays: the quantised per-tick columns of a ``Recording``
(see ``recording.py`` for their meaning), each compressed on its own. Format (all keys
required unless marked optional)::

    {
      "format": "mirror-pong-session",    # exactly this string
      "version": 1,                        # exactly 1
      "params": {"dt": 0.008333, ...},     # every field of game.GameParams, plus
                                           # "max_speed" (= serve_speed * max_speed_factor);
                                           # finite positive numbers. The columns decode
                                           # with dt, court_w, court_h and max_speed; the
                                           # replay's features and profile games use the rest
      "frames": 36000,                     # ticks in the recording, 1..MAX_FRAMES
      "columns": {                         # exactly the columns of recording.COLUMNS
        "tick": {"dtype": "uint32",        # exactly the dtype of COLUMNS[name]
                 "data": "eJzt..."}        # base64 of zlib-deflated little-endian values,
        ...                                # exactly ``frames`` of them
      },
      "meta": {...}                        # optional free-form object (who, when, knobs)
    }

Why columns rather than rows of numbers: a column of slowly varying integers deflates well
(10 minutes of a bot's play, 72,000 ticks, is 0.54 MB of text rather than ~10 MB of JSON
numbers), and it decodes straight into the ring's arrays, so the file, the ring and the
replay hold the very same integers (a round trip is bit for bit).

Limits and checks: the text is at most ``MAX_SESSION_CHARS`` characters (checked before
parsing); a column never inflates past its declared size (a zlib bomb stops at
``frames`` values); the decoded ticks must increase, actions lie in 0..2, paddles and ball
inside the court, velocities and hit offsets within their scales; and the ball must come
towards the left (recorded) player at least once, or there is nothing to learn. Every
problem raises ``SessionFileError`` with a one-sentence message; a load either returns a
complete recording or raises.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import zlib
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from ..sim.features import approaching_columns
from ..sim.game import EVENTS, GameParams
from ..sim.recording import COLUMNS, DEFAULT_CAPACITY, I8, I16, U16, Recording
from .jsonfile import check_header, parse_object

FORMAT = "mirror-pong-session"
VERSION = 1
MAX_FRAMES = DEFAULT_CAPACITY  # 30 minutes of play: the ring never holds more
MAX_SESSION_CHARS = 12_000_000  # 30 min of play is ~1.6 MB; even undeflatable it is ~6 MB
MAX_DEPTH = 16  # JSON nesting; the format needs 3, meta may nest a little
PARAM_NAMES = tuple(f.name for f in fields(GameParams))


class SessionFileError(ValueError):
    """A session file that cannot be loaded; the message says exactly what is wrong."""


def _le(dtype: str) -> np.dtype:
    """The little-endian form of a column dtype (the byte order of the file)."""
    return np.dtype(dtype).newbyteorder("<")


def to_json(recording: Recording, meta: dict | None = None) -> str:
    """Serialise ``recording`` (its ticks in time order) as a session file v1."""
    raw = recording.raw()
    columns = {}
    for name, dtype in COLUMNS.items():
        data = zlib.compress(raw[name].astype(_le(dtype)).tobytes(), 9)
        columns[name] = {"dtype": dtype, "data": base64.b64encode(data).decode("ascii")}
    params = {**asdict(recording.params), "max_speed": recording.params.max_speed}
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "frames": len(recording),
        "columns": columns,
        "meta": meta or {},
    }
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


def export(recording: Recording, meta: dict | None = None) -> dict:
    """A download of ``recording``: {text, filename, frames, seconds}."""
    seconds = round(len(recording) * recording.params.dt, 3)
    return {
        "text": to_json(recording, meta),
        "filename": f"mirror-pong-session-{int(seconds)}s.json",
        "frames": len(recording),
        "seconds": seconds,
    }


def _parse(text: Any) -> dict:
    """Size and depth checks first (cheap), then JSON parsing, to a top-level object."""
    return parse_object(text, MAX_SESSION_CHARS, MAX_DEPTH, SessionFileError)


def _params(doc: Any) -> GameParams:
    """Validate the game params (every field, finite and positive) and build them."""
    if not isinstance(doc, dict):
        raise SessionFileError("params must be an object")
    extra = sorted(set(doc) - {*PARAM_NAMES, "max_speed"})
    if extra:
        raise SessionFileError(f"unknown game params {extra}")
    for name in (*PARAM_NAMES, "max_speed"):
        v = doc.get(name)
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise SessionFileError(f"game param '{name}' missing or not a number")
        if not math.isfinite(v):
            raise SessionFileError(f"non-finite number in params: '{name}'")
        if v <= 0:
            raise SessionFileError(f"game param '{name}' must be positive, got {v!r}")
    params = GameParams(**{k: float(doc[k]) for k in PARAM_NAMES})
    if not math.isclose(params.max_speed, doc["max_speed"], rel_tol=1e-9):
        raise SessionFileError("game param 'max_speed' is not serve_speed * max_speed_factor")
    return params


def _column(name: str, col: Any, frames: int) -> np.ndarray:
    """Decode one column to exactly ``frames`` values, never inflating past that size."""
    if not isinstance(col, dict) or not isinstance(col.get("data"), str):
        raise SessionFileError(f"column '{name}' must be an object with a 'data' string")
    if col.get("dtype") != COLUMNS[name]:
        raise SessionFileError(
            f"column '{name}' has dtype {col.get('dtype')!r}, expected {COLUMNS[name]!r}"
        )
    try:
        packed = base64.b64decode(col["data"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SessionFileError(f"column '{name}' is not valid base64") from exc
    dtype = _le(COLUMNS[name])
    expected = frames * dtype.itemsize
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(packed, expected + 1)  # a bomb stops one byte past
    except zlib.error as exc:
        raise SessionFileError(f"column '{name}' is not valid zlib data") from exc
    if len(data) > expected or inflater.unconsumed_tail:
        raise SessionFileError(f"column '{name}' holds more than {frames} frames")
    if not inflater.eof or inflater.unused_data:
        raise SessionFileError(f"column '{name}' is corrupt: truncated or trailing zlib data")
    if len(data) != expected:
        n = len(data) / dtype.itemsize
        raise SessionFileError(f"column '{name}' holds {n:g} frames, expected {frames}")
    return np.frombuffer(data, dtype=dtype).astype(COLUMNS[name])


def _first_bad(mask: np.ndarray) -> int:
    """Index of the first True in ``mask``."""
    return int(np.flatnonzero(mask)[0])


def _check_values(raw: dict[str, np.ndarray], params: GameParams) -> None:
    """Refuse values the game cannot produce (one message per kind of problem)."""
    ticks = raw["tick"].astype(np.int64)
    if len(ticks) > 1 and (np.diff(ticks) <= 0).any():
        i = _first_bad(np.diff(ticks) <= 0) + 1
        raise SessionFileError(f"ticks not increasing at frame {i}")
    for name in ("left_action", "right_action"):
        if (raw[name] > 2).any():
            i = _first_bad(raw[name] > 2)
            raise SessionFileError(f"{name} at frame {i} is {raw[name][i]}, not 0, 1 or 2")
    unknown = raw["events"] >= 1 << len(EVENTS)
    if unknown.any():
        raise SessionFileError(f"events at frame {_first_bad(unknown)} has unknown bits")
    for name, lim in (("ball_vx", I16), ("ball_vy", I16), ("hit_offset", I8)):
        if (raw[name] < -lim).any():
            raise SessionFileError(f"{name} at frame {_first_bad(raw[name] < -lim)} too low")
    step = params.court_h / U16  # one quantisation step of tolerance either side
    half = params.paddle_h / 2
    for name, lo, hi in (
        ("left_y", half, params.court_h - half),
        ("right_y", half, params.court_h - half),
        ("ball_y", params.ball_r, params.court_h - params.ball_r),
    ):
        y = raw[name] * step
        bad = (y < lo - step) | (y > hi + step)
        if bad.any():
            i = _first_bad(bad)
            raise SessionFileError(f"{name} at frame {i} is {y[i]:.4f}, out of the court")
    if (raw["serve_timer"] * params.dt > params.serve_delay + params.dt).any():
        raise SessionFileError("serve_timer longer than the serve delay")


def from_json(text: str | bytes) -> tuple[Recording, dict]:
    """Parse and validate a session file v1; return (recording, meta)."""
    doc = _parse(text)
    check_header(doc, FORMAT, VERSION, ("params", "frames", "columns"), SessionFileError)
    params = _params(doc["params"])
    frames = doc["frames"]
    if isinstance(frames, bool) or not isinstance(frames, int):
        raise SessionFileError("frames must be an integer")
    if frames < 1:
        raise SessionFileError("no frames: the session is empty")
    if frames > MAX_FRAMES:
        raise SessionFileError(f"too many frames: {frames}, limit {MAX_FRAMES}")
    meta = doc.get("meta", {})
    if not isinstance(meta, dict):
        raise SessionFileError("meta must be an object")
    try:
        json.dumps(meta, allow_nan=False)
    except ValueError as exc:
        raise SessionFileError("non-finite number in meta") from exc
    columns = doc["columns"]
    if not isinstance(columns, dict):
        raise SessionFileError("columns must be an object")
    for name in COLUMNS:
        if name not in columns:
            raise SessionFileError(f"column '{name}' missing")
    extra = sorted(set(columns) - set(COLUMNS))
    if extra:
        raise SessionFileError(f"unknown columns {extra}")
    raw = {name: _column(name, columns[name], frames) for name in COLUMNS}
    _check_values(raw, params)
    recording = Recording.from_raw(raw, params)
    if not approaching_columns(recording.decoded(), "left").any():
        raise SessionFileError("nothing to learn from: the ball never comes to the left player")
    return recording, meta
