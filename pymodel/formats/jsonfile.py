"""Reading an untrusted JSON file (a weights file, a session file) safely: the size and the
nesting depth are checked before parsing, NaN and Infinity are refused, and the top level
must be an object. Every problem raises the caller's error type with one clear sentence."""

from __future__ import annotations

import json
import re
from typing import Any

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')  # a JSON string literal, escapes included
_BRACKET = re.compile(r"[\[\]{}]")


def depth(text: str) -> int:
    """Maximum bracket nesting of JSON text, ignoring brackets inside strings (no recursion)."""
    level = best = 0
    for ch in _BRACKET.findall(_STRING.sub("", text)):
        level += 1 if ch in "[{" else -1
        best = max(best, level)
    return best


class _NonFinite(Exception):
    """Raised from inside json.loads; not a ValueError so it is not reported as 'not JSON'."""


def _reject_constant(name: str) -> float:
    """NaN / Infinity are not JSON; Python's parser accepts them unless told otherwise."""
    raise _NonFinite(f"non-finite number in file: {name}")


def parse_object(text: Any, max_chars: int, max_depth: int, error: type[Exception]) -> dict:
    """``text`` (str or UTF-8 bytes) as a JSON object; ``error(message)`` for every problem."""
    if isinstance(text, bytes | bytearray):
        if len(text) > max_chars:
            raise error(f"file too large: over {max_chars} bytes")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error("not JSON: the file is not UTF-8 text") from exc
    if not isinstance(text, str):
        raise error(f"not JSON: expected text, got {type(text).__name__}")
    if len(text) > max_chars:
        raise error(f"file too large: {len(text)} characters, limit {max_chars}")
    if depth(text) > max_depth:
        raise error(f"JSON nested too deep: more than {max_depth} levels")
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except _NonFinite as exc:
        raise error(str(exc)) from None
    except RecursionError as exc:  # belt and braces: depth() already caps nesting
        raise error("JSON nested too deep") from exc
    except ValueError as exc:
        raise error(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise error(f"wrong format: top level must be an object, not {type(doc).__name__}")
    return doc


def check_header(doc: dict, fmt: str, version: int, keys: tuple[str, ...], error: type[Exception]):
    """The checks every file of ours starts with: the ``keys`` it needs, then exactly format
    ``fmt`` and version ``version``; ``error(message)`` names the first that fails."""
    for key in ("format", "version", *keys):
        if key not in doc:
            raise error(f"missing key '{key}'")
    if doc["format"] != fmt:
        raise error(f"wrong format: {doc['format']!r}, expected {fmt!r}")
    if doc["version"] != version or isinstance(doc["version"], bool):
        raise error(f"wrong version: {doc['version']!r}, this build reads {version}")
