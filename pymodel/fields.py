"""Reading typed fields out of protocol requests, with one clear ProtocolError per mistake."""

from __future__ import annotations

import math

from .protocol import ProtocolError


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
    """The optional ``seed`` field: a non-negative integer, or ``default``."""
    value = msg.get("seed", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ProtocolError(f"field 'seed' must be a non-negative integer, got {value!r}")
    return value
