"""Reading typed fields out of protocol requests, with one clear ProtocolError per mistake."""

from __future__ import annotations

import math

import numpy as np

from .protocol import SEED_MAX, ProtocolError


def num_field(
    msg: dict, key: str, default: float | None = None, lo: float = -math.inf, hi: float = math.inf
) -> float:
    """A finite number field in [lo, hi], or ``default`` when absent."""
    value = msg.get(key, default)
    if value is None and default is None and key not in msg:
        raise ProtocolError(f"missing field {key!r}")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(f"field {key!r} must be a finite number, got {value!r}")
    if not lo <= value <= hi:
        raise ProtocolError(f"field {key!r} must be in [{lo}, {hi}], got {value!r}")
    return float(value)


def bool_field(msg: dict, key: str, default: bool | None = None) -> bool:
    """A boolean field, or ``default`` when absent."""
    value = msg.get(key, default)
    if not isinstance(value, bool):
        raise ProtocolError(f"field {key!r} must be true or false, got {value!r}")
    return value


def seed_field(msg: dict, default: int) -> int:
    """The optional ``seed`` field: an integer in [0, SEED_MAX], or ``default``."""
    value = msg.get("seed", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEED_MAX:
        raise ProtocolError(f"field 'seed' must be an integer from 0 to {SEED_MAX}, got {value!r}")
    return value


def matrix_field(msg: dict, key: str, cols: int, max_rows: int, row: str = "row") -> np.ndarray:
    """A list of at most ``max_rows`` rows of ``cols`` finite numbers, as a float64 array
    (``row`` names one row in messages)."""
    rows = msg.get(key)
    if not isinstance(rows, list) or len(rows) > max_rows:
        raise ProtocolError(f"{key} must be a list of at most {max_rows} rows")
    try:
        x = np.array(rows, dtype=np.float64).reshape(len(rows), cols)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"each {row} must be {cols} numbers") from exc
    if not np.all(np.isfinite(x)):
        raise ProtocolError(f"{key} must be finite numbers")
    return x


def int_field(msg: dict, key: str, default: int, lo: int, hi: int) -> int:
    """A whole-number field in [lo, hi], or ``default`` when absent."""
    value = num_field(msg, key, default, lo, hi)
    if value != int(value):
        raise ProtocolError(f"field {key!r} must be a whole number, got {msg.get(key)!r}")
    return int(value)


def text_field(msg: dict, key: str, what: str) -> str:
    """A string field that must be there (``what`` says what it holds, for the message)."""
    value = msg.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"field {key!r} must be the text of {what}")
    return value
