"""Pong physics as pure functions over a state value, plus a fixed-timestep clock.

Units: the court is ``court_w`` wide and ``court_h`` = 1.0 high (court units); x grows to the
right, y grows downward, (0, 0) is the top-left corner. Times are game seconds, velocities are
court units per game second. The left paddle is the human's, the right one the clone's.

The model follows Gymnasium's functional env: ``initial(rng, params)`` and
``transition(state, left_action, right_action, rng, params)`` never mutate their inputs, and
all randomness comes from the ``numpy.random.Generator`` passed in, so two runs with one seed
are identical tick for tick.

Hit offsets: where the ball meets a paddle, ``offset = (ball_y - paddle_y) / (paddle_h / 2)``
clipped to [-1, 1] (-1 = the paddle's top end, +1 = its bottom end). It sets the bounce angle
(``offset * max_bounce_deg``) and is kept in the state as ``left_hit_offset`` /
``right_hit_offset`` (with the game time of that hit in ``left_hit_t`` / ``right_hit_t``), so a
caller that sees the event ``"hit_left"`` reads the offset from the new state.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

ACTIONS: tuple[str, ...] = ("up", "stay", "down")  # a player's moves, by index
UP, STAY, DOWN = 0, 1, 2  # indices into ACTIONS: up is towards y = 0
# What a transition can report, in the order it reports them.
EVENTS: tuple[str, ...] = ("serve", "wall", "hit_left", "hit_right", "score_left", "score_right")
EVENT_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(EVENTS)}  # as recorded
NEVER = -1.0e9  # game time of a hit that never happened (keeps "time since hit" large)


@dataclass(frozen=True)
class GameParams:
    """Fixed rules of the game (court units and game seconds)."""

    dt: float = 1.0 / 120.0  # fixed timestep: 120 ticks per game second
    court_w: float = 1.5  # court width
    court_h: float = 1.0  # court height (the unit of length)
    paddle_x_inset: float = 0.05  # paddle centre's distance from its goal line
    paddle_w: float = 0.025  # paddle thickness
    paddle_h: float = 0.2  # paddle length
    paddle_speed: float = 1.3  # paddle speed when moving (units/s)
    ball_r: float = 0.0125  # ball radius
    serve_speed: float = 0.8  # ball speed at a serve (units/s)
    speedup: float = 1.05  # ball speed factor per paddle hit: a rally speeds up, a serve resets
    max_speed_factor: float = 2.2  # ball speed cap, as a multiple of serve_speed
    max_bounce_deg: float = 55.0  # bounce angle at the paddle's very end
    serve_max_deg: float = 30.0  # serve angles are uniform in +-this
    serve_delay: float = 0.6  # pause before each serve (s)
    max_accumulated: float = 0.25  # clock clamp: at most this much real time is caught up

    @property
    def max_speed(self) -> float:
        """Top ball speed (units/s)."""
        return self.serve_speed * self.max_speed_factor

    @property
    def tick_hz(self) -> int:
        """Ticks per game second."""
        return round(1.0 / self.dt)

    def paddle_x(self, side: str) -> float:
        """Centre x of the ``side`` ('left'|'right') paddle."""
        return self.paddle_x_inset if side == "left" else self.court_w - self.paddle_x_inset


@dataclass
class GameState:
    """One moment of a game. Treat as a value: transition() returns a new one."""

    tick: int
    t: float
    ball_x: float
    ball_y: float
    ball_vx: float
    ball_vy: float
    left_y: float
    right_y: float
    left_vy: float = 0.0
    right_vy: float = 0.0
    score_left: int = 0
    score_right: int = 0
    serve_timer: float = 0.0  # > 0: the ball waits at the centre for a serve
    serve_dir: int = 1  # direction of the next serve: +1 right, -1 left
    left_hit_offset: float = 0.0  # offset of the left paddle's latest hit
    right_hit_offset: float = 0.0
    left_hit_t: float = NEVER  # game time of the left paddle's latest hit
    right_hit_t: float = NEVER
    turn_t: float = NEVER  # game time the ball last turned: a serve or a paddle hit


def initial(rng: np.random.Generator, params: GameParams) -> GameState:
    """A new game: paddles centred, ball waiting at the centre, random first serve side."""
    serve_dir = 1 if rng.random() < 0.5 else -1
    return GameState(
        tick=0,
        t=0.0,
        ball_x=params.court_w / 2,
        ball_y=params.court_h / 2,
        ball_vx=0.0,
        ball_vy=0.0,
        left_y=params.court_h / 2,
        right_y=params.court_h / 2,
        serve_timer=params.serve_delay,
        serve_dir=serve_dir,
    )


def _move_paddle(y: float, action: int, params: GameParams) -> tuple[float, float]:
    """New (y, vy) of a paddle after one tick of ``action``, kept inside the court."""
    vy = (int(action) - 1) * params.paddle_speed
    half = params.paddle_h / 2
    new_y = min(max(y + vy * params.dt, half), params.court_h - half)
    return new_y, (new_y - y) / params.dt


def _bounce(s: GameState, side: str, y_hit: float, params: GameParams) -> None:
    """Send the ball back from ``side``'s paddle; the angle follows the hit offset."""
    paddle_y = s.left_y if side == "left" else s.right_y
    offset = min(max((y_hit - paddle_y) / (params.paddle_h / 2), -1.0), 1.0)
    speed = min(math.hypot(s.ball_vx, s.ball_vy) * params.speedup, params.max_speed)
    angle = math.radians(offset * params.max_bounce_deg)
    direction = 1.0 if side == "left" else -1.0
    s.ball_vx = direction * speed * math.cos(angle)
    s.ball_vy = speed * math.sin(angle)
    s.ball_y = y_hit
    face = params.paddle_w / 2 + params.ball_r
    s.ball_x = params.paddle_x(side) + direction * face
    if side == "left":
        s.left_hit_offset, s.left_hit_t = offset, s.t
    else:
        s.right_hit_offset, s.right_hit_t = offset, s.t
    s.turn_t = s.t


def _serve(s: GameState, rng: np.random.Generator, params: GameParams) -> None:
    """Launch the ball from the centre towards ``serve_dir`` at a random angle."""
    angle = math.radians(rng.uniform(-params.serve_max_deg, params.serve_max_deg))
    s.ball_x, s.ball_y = params.court_w / 2, params.court_h / 2
    s.ball_vx = s.serve_dir * params.serve_speed * math.cos(angle)
    s.ball_vy = params.serve_speed * math.sin(angle)
    s.serve_dir = -s.serve_dir  # serves alternate sides


def transition(
    state: GameState,
    left_action: int,
    right_action: int,
    rng: np.random.Generator,
    params: GameParams,
) -> tuple[GameState, list[str]]:
    """Advance one tick. Returns the new state and its events, in order, from:
    "serve", "wall", "hit_left", "hit_right", "score_left", "score_right".
    """
    s = copy.copy(state)  # shallow copy of plain floats/ints: the input stays untouched
    events: list[str] = []
    dt = params.dt
    s.tick += 1
    s.t = s.tick * dt  # from the tick count, so no float drift accumulates
    s.left_y, s.left_vy = _move_paddle(s.left_y, left_action, params)
    s.right_y, s.right_vy = _move_paddle(s.right_y, right_action, params)

    if s.serve_timer > 0.0:
        s.serve_timer -= dt
        if s.serve_timer <= 1e-12:
            s.serve_timer = 0.0
            _serve(s, rng, params)
            s.turn_t = s.t
            events.append("serve")
        return s, events

    r = params.ball_r
    x0 = s.ball_x
    s.ball_x += s.ball_vx * dt
    s.ball_y += s.ball_vy * dt
    # Walls: reflect the overshoot so the ball never leaves the court vertically.
    if s.ball_y < r:
        s.ball_y, s.ball_vy = 2 * r - s.ball_y, abs(s.ball_vy)
        events.append("wall")
    elif s.ball_y > params.court_h - r:
        s.ball_y, s.ball_vy = 2 * (params.court_h - r) - s.ball_y, -abs(s.ball_vy)
        events.append("wall")
    s.ball_y = min(max(s.ball_y, r), params.court_h - r)  # guard against huge overshoots

    # Paddles: swept test against the paddle's front face, so fast balls cannot tunnel.
    reach = params.paddle_h / 2 + r
    face = params.paddle_w / 2 + r
    for side, sign, paddle_y in (("left", -1.0, s.left_y), ("right", 1.0, s.right_y)):
        plane = params.paddle_x(side) - sign * face  # ball centre x at contact
        if sign * s.ball_vx > 0 and sign * x0 <= sign * plane < sign * s.ball_x:
            frac = (plane - x0) / (s.ball_x - x0)
            y_hit = s.ball_y - s.ball_vy * dt * (1.0 - frac)
            y_hit = min(max(y_hit, r), params.court_h - r)
            if abs(y_hit - paddle_y) <= reach:
                _bounce(s, side, y_hit, params)
                events.append(f"hit_{side}")

    # Goals: the ball's centre passing a goal line scores for the other side.
    if s.ball_x < 0.0 or s.ball_x > params.court_w:
        scorer = "right" if s.ball_x < 0.0 else "left"
        if scorer == "left":
            s.score_left += 1
        else:
            s.score_right += 1
        events.append(f"score_{scorer}")
        s.ball_x, s.ball_y = params.court_w / 2, params.court_h / 2
        s.ball_vx = s.ball_vy = 0.0
        s.serve_timer = params.serve_delay
    return s, events


class Clock:
    """Fiedler's "Fix Your Timestep!": fixed ticks from variable real time, clamped.

    ``advance(real_dt)`` adds elapsed real time to an accumulator clamped at
    ``max_accumulated`` (so a stalled tab does not trigger a spiral of catch-up ticks) and
    returns how many fixed ticks to run now. (The page interpolates its drawing between
    snapshots itself: app/game/renderer.js.)
    """

    def __init__(self, dt: float = 1.0 / 120.0, max_accumulated: float = 0.25) -> None:
        self.dt = dt
        self.max_accumulated = max_accumulated
        self.accumulator = 0.0

    def advance(self, real_dt: float) -> int:
        """Account for ``real_dt`` seconds of real time; return the number of ticks owed."""
        if not math.isfinite(real_dt) or real_dt < 0.0:
            real_dt = 0.0  # a clock going backwards or NaN must not break the loop
        self.accumulator = min(self.accumulator + real_dt, self.max_accumulated)
        ticks = int(self.accumulator / self.dt + 1e-9)
        self.accumulator = max(self.accumulator - ticks * self.dt, 0.0)
        return ticks
