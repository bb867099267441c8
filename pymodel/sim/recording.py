"""A recording of play: every tick's raw game state, both sides' actions and the events.

A teacher is a recording. The live game records the human; the bots generate theirs
(``record_bot``); the race and the Lab replay recordings into fresh clones. Because it keeps
the *raw* state (not features), any feature set can be computed from it later.

One row per tick, taken *before* that tick's ``game.transition``; ``events`` and
``hit_offset`` are what that transition produced. Columns are stored quantised, so the ring
in memory, the session file and what the replay reads are the very same integers:

============  =======  ===================================================================
column        dtype    meaning (decoded)
============  =======  ===================================================================
tick          uint32   the game tick of the state (t = tick * dt)
ball_x        uint16   ball centre x, [0, court_w] in 65535 steps
ball_y        uint16   ball centre y, [0, court_h] in 65535 steps
ball_vx       int16    ball x velocity, [-max_speed, max_speed] in 32767 steps each way
ball_vy       int16    ball y velocity, same scale
serve_timer   uint8    ticks left before the serve (0 = ball in play)
left_y        uint16   left (human) paddle centre y, like ball_y
right_y       uint16   right (clone) paddle centre y
left_action   uint8    the left player's action this tick: 0 up, 1 stay, 2 down
right_action  uint8    the right player's action this tick
events        uint8    bit set of this tick's events (``EVENT_BITS``)
hit_offset    int8     offset of this tick's paddle hit * 127 (0 when no hit)
============  =======  ===================================================================

The ring has a fixed capacity (``DEFAULT_CAPACITY`` ticks = 30 minutes of play, 21 bytes a
tick, about 4.5 MB) and overwrites the oldest tick when full: memory does not grow however
long one plays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import bots, game
from .features import (
    DEFAULT_FEATURE_SET,
    TURNS,
    observe,
    paddle_speed_columns,
    since_columns,
)
from .game import EVENT_BITS, GameParams, GameState

# A player: its own observation and the game's rng in, an action out (a bot's ``act``).
Policy = Callable[[np.ndarray, np.random.Generator], int]
COLUMNS: dict[str, str] = {
    "tick": "uint32",
    "ball_x": "uint16",
    "ball_y": "uint16",
    "ball_vx": "int16",
    "ball_vy": "int16",
    "serve_timer": "uint8",
    "left_y": "uint16",
    "right_y": "uint16",
    "left_action": "uint8",
    "right_action": "uint8",
    "events": "uint8",
    "hit_offset": "int8",
}
BYTES_PER_TICK = sum(np.dtype(d).itemsize for d in COLUMNS.values())
DEFAULT_CAPACITY = 120 * 60 * 30  # 30 minutes at 120 ticks per second
U16, I16, I8 = 65535, 32767, 127


@dataclass(frozen=True)
class Scales:
    """Court units per quantisation step of each kind of column (from the game's params)."""

    x: float
    y: float
    v: float
    dt: float

    @classmethod
    def of(cls, params: GameParams) -> Scales:
        """The scales for ``params``."""
        return cls(params.court_w / U16, params.court_h / U16, params.max_speed / I16, params.dt)


def _q(value: float, scale: float, lo: int, hi: int) -> int:
    """Round ``value / scale`` to the nearest step, clipped to [lo, hi]."""
    return min(max(round(value / scale), lo), hi)


def event_bits(events: list[str]) -> int:
    """The bit set of a list of event names (unknown names are ignored)."""
    bits = 0
    for name in events:
        bits |= EVENT_BITS.get(name, 0)
    return bits


class Recording:
    """A bounded ring of quantised ticks (see the module docstring for the columns)."""

    def __init__(self, params: GameParams | None = None, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.params = params or GameParams()
        self.scales = Scales.of(self.params)
        self.capacity = capacity
        self.cols = {name: np.zeros(capacity, dtype=dt) for name, dt in COLUMNS.items()}
        self.size = 0
        self.next = 0  # the slot the next tick overwrites

    def __len__(self) -> int:
        return self.size

    @property
    def nbytes(self) -> int:
        """Memory held by the ring's columns (fixed at construction)."""
        return sum(c.nbytes for c in self.cols.values())

    def summary(self) -> dict:
        """How much is recorded: {frames, seconds, capacity}."""
        return {
            "frames": self.size,
            "seconds": self.size * self.params.dt,
            "capacity": self.capacity,
        }

    def clear(self) -> None:
        """Forget every tick (the columns stay allocated)."""
        self.size = self.next = 0

    def append(
        self,
        state: GameState,
        left_action: int,
        right_action: int,
        events: list[str],
        hit_offset: float = 0.0,
    ) -> None:
        """Record one tick: the state before the transition, both actions, its events."""
        sc, i, c = self.scales, self.next, self.cols
        c["tick"][i] = state.tick
        c["ball_x"][i] = _q(state.ball_x, sc.x, 0, U16)
        c["ball_y"][i] = _q(state.ball_y, sc.y, 0, U16)
        c["ball_vx"][i] = _q(state.ball_vx, sc.v, -I16, I16)
        c["ball_vy"][i] = _q(state.ball_vy, sc.v, -I16, I16)
        c["serve_timer"][i] = _q(state.serve_timer, sc.dt, 0, 255)
        c["left_y"][i] = _q(state.left_y, sc.y, 0, U16)
        c["right_y"][i] = _q(state.right_y, sc.y, 0, U16)
        c["left_action"][i] = left_action
        c["right_action"][i] = right_action
        c["events"][i] = event_bits(events)
        c["hit_offset"][i] = _q(hit_offset, 1.0 / I8, -I8, I8)
        self.next = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def raw(self, last: int | None = None) -> dict[str, np.ndarray]:
        """The quantised columns in time order (copies), as stored in a session file; only
        the ``last`` ticks when given."""
        n = self.size if last is None else max(0, min(last, self.size))
        start = (self.next - n) % self.capacity
        if start + n <= self.capacity:
            return {k: v[start : start + n].copy() for k, v in self.cols.items()}
        return {k: np.concatenate([v[start:], v[: self.next]]) for k, v in self.cols.items()}

    @classmethod
    def from_raw(cls, raw: dict[str, np.ndarray], params: GameParams | None = None) -> Recording:
        """A recording holding exactly these quantised columns (all of equal length)."""
        n = len(raw["tick"])
        rec = cls(params, capacity=max(n, 1))
        for name, dt in COLUMNS.items():
            rec.cols[name][:n] = np.asarray(raw[name], dtype=dt)
        rec.size = n
        rec.next = n % rec.capacity
        return rec

    def decoded(self, last: int | None = None) -> dict[str, np.ndarray]:
        """Columns in time order, in game units (float64; actions and events as ints); only
        the ``last`` ticks when given."""
        raw, sc = self.raw(last), self.scales
        return {
            "tick": raw["tick"].astype(np.int64),
            "t": raw["tick"] * sc.dt,
            "ball_x": raw["ball_x"] * sc.x,
            "ball_y": raw["ball_y"] * sc.y,
            "ball_vx": raw["ball_vx"] * sc.v,
            "ball_vy": raw["ball_vy"] * sc.v,
            "serve_timer": raw["serve_timer"] * sc.dt,
            "left_y": raw["left_y"] * sc.y,
            "right_y": raw["right_y"] * sc.y,
            "left_action": raw["left_action"].astype(np.int64),
            "right_action": raw["right_action"].astype(np.int64),
            "events": raw["events"].astype(np.int64),
            "hit_offset": raw["hit_offset"] / I8,
        }


def since_hit_columns(decoded: dict[str, np.ndarray], side: str, dt: float) -> np.ndarray:
    """Seconds since ``side``'s own latest hit, for every tick at once (float64 [N]): the same
    values the live game's state gives as ``t - left_hit_t`` (``features.since_columns``)."""
    return since_columns(decoded, EVENT_BITS[f"hit_{side}"], dt)


def tick_offset(events: list[str], new: GameState) -> float:
    """The hit offset to record for a tick whose transition gave ``events`` and ``new``."""
    if "hit_left" in events:
        return new.left_hit_offset
    if "hit_right" in events:
        return new.right_hit_offset
    return 0.0


def play_out(
    state: GameState,
    left: Policy,
    right: Policy,
    rng: np.random.Generator,
    ticks: int,
    params: GameParams,
    feature_sets: tuple[str, str] = (DEFAULT_FEATURE_SET, DEFAULT_FEATURE_SET),
) -> Recording:
    """``ticks`` ticks of ``left`` against ``right`` from ``state``, recorded as the live game
    records them (each side observes with its own feature set of ``feature_sets``; the
    game's ``rng`` is asked by left, then right, then the transition, every tick)."""
    rec = Recording(params, capacity=max(ticks, 1))
    s = state
    for _ in range(ticks):
        la = left(observe(s, "left", params, feature_set=feature_sets[0]), rng)
        ra = right(observe(s, "right", params, feature_set=feature_sets[1]), rng)
        new, events = game.transition(s, la, ra, rng, params)
        rec.append(s, la, ra, events, tick_offset(events, new))
        s = new
    return rec


def record_play(
    left: Policy,
    rng: np.random.Generator,
    seconds: float,
    params: GameParams | None = None,
    feature_set: str = DEFAULT_FEATURE_SET,
) -> Recording:
    """``seconds`` of ``left`` (a bot's ``act``, or any policy observing with
    ``feature_set``) in the left seat against ``bots.opponent()``, recorded tick by tick as
    the live game records the human. The opponent, a bot, observes with the engineered
    features it is written for."""
    params = params or GameParams()
    n = max(int(round(seconds / params.dt)), 1)
    start = game.initial(rng, params)
    fs = (feature_set, DEFAULT_FEATURE_SET)
    return play_out(start, left, bots.opponent().act, rng, n, params, fs)


def state_at(cols: dict[str, np.ndarray], i: int, params: GameParams) -> GameState:
    """The game state at row ``i`` of decoded columns, rebuilt so that play can go on from
    it: the paddles' speeds from their heights, the latest hits, turn and serve from the
    events before it (the score starts again from 0: a recording does not keep it)."""
    n = len(cols["tick"])
    if not 0 <= i < n:
        raise IndexError(f"row {i} is outside the recording (0..{n - 1})")
    head = {k: v[: i + 1] for k, v in cols.items()}
    dt, t = params.dt, float(cols["t"][i])

    def last(bits: int) -> tuple[float, int | None]:
        since = since_columns(head, bits, dt)[i]
        rows = np.flatnonzero((head["events"][:i] & bits) != 0)
        return t - float(since), (int(rows[-1]) if len(rows) else None)

    left_t, left_row = last(EVENT_BITS["hit_left"])
    right_t, right_row = last(EVENT_BITS["hit_right"])
    turn_t, _ = last(TURNS)
    _, serve_row = last(EVENT_BITS["serve"])
    serve_dir = 1  # the next serve goes the other way from the last one
    if serve_row is not None and serve_row + 1 <= i and cols["ball_vx"][serve_row + 1] > 0:
        serve_dir = -1

    def off(row: int | None) -> float:
        return float(cols["hit_offset"][row]) if row is not None else 0.0

    return GameState(
        tick=int(cols["tick"][i]),
        t=t,
        ball_x=float(cols["ball_x"][i]),
        ball_y=float(cols["ball_y"][i]),
        ball_vx=float(cols["ball_vx"][i]),
        ball_vy=float(cols["ball_vy"][i]),
        left_y=float(cols["left_y"][i]),
        right_y=float(cols["right_y"][i]),
        left_vy=float(paddle_speed_columns(head, head["left_y"], dt)[i]),
        right_vy=float(paddle_speed_columns(head, head["right_y"], dt)[i]),
        serve_timer=float(cols["serve_timer"][i]),
        serve_dir=serve_dir,
        left_hit_offset=off(left_row),
        right_hit_offset=off(right_row),
        left_hit_t=left_t,
        right_hit_t=right_t,
        turn_t=turn_t,
    )


def record_matches(
    left: Policy,
    seconds: float,
    seed: int,
    params: GameParams,
    matches: int = 1,
    first: int = 0,
    feature_set: str = DEFAULT_FEATURE_SET,
) -> dict[str, np.ndarray]:
    """The decoded columns of ``matches`` games of ``seconds`` each (game k serves from
    rng ``[seed, 7, k]``, k from ``first``), concatenated; each game's ticks are shifted so
    no rally spans two games. How a clone's (or a teacher's) profile games are played."""
    n = int(seconds / params.dt)
    parts = []
    for j, k in enumerate(range(first, first + matches)):
        rec = record_play(
            left, np.random.default_rng([seed, 7, k]), n * params.dt, params, feature_set
        )
        cols = rec.decoded()
        cols["tick"] = cols["tick"] + j * (n + 10)
        parts.append(cols)
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def hit_offsets(cols: dict[str, np.ndarray], side: str = "left") -> np.ndarray:
    """The offsets of ``side``'s paddle hits in decoded columns."""
    return cols["hit_offset"][(cols["events"] & EVENT_BITS[f"hit_{side}"]) != 0]


def record_bot(
    bot_name: str, seed: int, seconds: float, params: GameParams | None = None
) -> Recording:
    """``seconds`` of the bot ``bot_name`` in the left seat against ``bots.opponent()``.

    A stand-in for a human's session: the game's rng is ``default_rng([seed, 0])``, as the live
    game's, so a seed names one game.
    """
    return record_play(bots.BOTS[bot_name]().act, np.random.default_rng([seed, 0]), seconds, params)
