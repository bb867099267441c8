"""What a player sees: features from that player's own point of view, normalised.

The right-hand player's view is the mirror image of the left-hand one, so the clone (right)
sees the world exactly as the human (left) did and a network trained on the human's frames
can play the right paddle unchanged. "Own goal line" is x = 0 for left, x = court_w for right.

Every feature is one entry of ``FEATURES``: its name, range, meaning and one formula over a
``View`` (the side's distances, speeds and heights, plus where and when the ball will reach
its paddle). The formula is written with operators that work on a float and on a numpy
column alike, so one definition serves both ``observe`` (one state, per tick) and
``observe_columns`` (a whole recording at once, for the Lab). Adding a feature is one entry
here; ``FEATURE_SETS`` names selections of them, in order. The table (``feature_table()``):

=================  ==========================================================  ==========
name               meaning                                                     range
=================  ==========================================================  ==========
ball_x             ball's distance from my goal line / court_w                 [0, 1]
ball_y             ball height: 2 * y / court_h - 1 (-1 top, +1 bottom)        [-1, 1]
ball_vx_toward     ball speed towards me / max ball speed (+ = approaching)    [-1, 1]
ball_vy            vertical ball speed / max ball speed (+ = downward)         [-1, 1]
own_y              my paddle: 2 * y / court_h - 1                              [-1, 1]
opp_y              the opponent's paddle: 2 * y / court_h - 1                  [-1, 1]
ball_dy            (ball_y - own_y) / court_h (+ = ball below my paddle)       [-1, 1]
intercept_dy       (predicted ball y at my paddle, walls included - own_y)     [-1, 1]
                   / court_h while approaching; 0 while it moves away
time_to_impact     seconds until the ball reaches my paddle / IMPACT_HORIZON,  [0, 1]
                   clipped; 1 while it moves away or waits for a serve
since_turn         seconds since the ball last turned / TURN_HORIZON, clipped  [0, 1]
own_vy             my paddle's speed now / its top speed                       [-1, 1]
coming             1 while the ball is in play and moves towards me, else 0    {0, 1}
meet_offset        where on my paddle the coming ball would meet it if I       [-1, 1]
                   stayed: its hit offset / 2, clipped (+-0.5 = the ends); 0
                   while it moves away
=================  ==========================================================  ==========

Feature sets are the clone's *prior*: what it is told about the world before it has seen any
play. ``engineered`` (the experiments' baseline) includes the physics a good player works
out, where the ball will meet my goal line (``intercept_dy``) and when (``time_to_impact``);
``raw`` is what a screen shows, and the network has to learn the wall bounces and the timing
itself. ``engineered+time`` adds time (how long since the ball turned, my own speed);
``where+time`` keeps where things are and time and drops everything that tells a slow ball
from a fast one; ``where+meet`` adds where on my paddle the ball would meet it, on the scale of
a hit offset, so that a clone can stop where its player stops to the hundredth of a court
(``intercept_dy`` says the same in court heights, too coarse for that); ``where+away`` adds,
while the ball moves away, where on my paddle it is level with now and which way it goes,
so that a clone can follow the ball as a player who sees it late does (a new game's clone
sees ``where+away``: ``learn.networks.PLAY_FEATURE_SET``). Every set
is computed from the raw game state (a recording keeps exactly that), from either side's
point of view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .game import EVENT_BITS, NEVER, GameParams, GameState

IMPACT_HORIZON = 2.0  # seconds; a serve crossing the whole court takes about this long
TURN_HORIZON = 1.0  # seconds; people react to a turn of the ball within about a third of this
TURNS = EVENT_BITS["serve"] | EVENT_BITS["hit_left"] | EVENT_BITS["hit_right"]


@dataclass(frozen=True)
class View:
    """One side's view of the court (floats for one state, float64 columns for many).

    ``dist``: the ball's distance from my goal line; ``vx_toward``: its speed towards me;
    ``coming``: the ball is in play and moves towards me; ``tti``: seconds until it reaches
    my paddle's face, and ``y_at``: its height then, walls included (both meaningful only
    where ``coming``). Heights and distances in court units, speeds in units per second."""

    params: GameParams
    dist: Any
    ball_y: Any
    vx_toward: Any
    vy: Any
    own_y: Any
    opp_y: Any
    coming: Any
    tti: Any
    y_at: Any
    since_turn: Any  # seconds since the ball last turned (a serve or a paddle hit)
    own_vy: Any  # my paddle's speed now (units per second, + = down)


def _clip(x: Any, lo: float, hi: float) -> Any:
    """``x`` clipped to [lo, hi]: Python floats stay floats (fast), columns use numpy."""
    if isinstance(x, np.ndarray):
        return np.clip(x, lo, hi)
    return min(max(x, lo), hi)


def _where(cond: Any, yes: Any, no: Any) -> Any:
    """``yes`` where ``cond`` holds, else ``no``: for one state or for columns."""
    if isinstance(cond, np.ndarray):
        return np.where(cond, yes, no)
    return yes if cond else no


def _on_paddle(v: View, y: Any) -> Any:
    """Where on my paddle the height ``y`` is, on a hit offset's scale / 2, clipped: +-0.5
    are the paddle's ends (``meet_offset``, ``level_offset``)."""
    return _clip((y - v.own_y) / (v.params.paddle_h / 2.0) / 2.0, -1.0, 1.0)


@dataclass(frozen=True)
class Feature:
    """One input a clone may be given: its name, documented range, meaning and formula."""

    name: str
    lo: float
    hi: float
    meaning: str
    formula: Callable[[View], Any]


FEATURES: tuple[Feature, ...] = (
    Feature(
        "ball_x",
        0.0,
        1.0,
        "ball's distance from my goal line / court width",
        lambda v: _clip(v.dist / v.params.court_w, 0.0, 1.0),
    ),
    Feature(
        "ball_y",
        -1.0,
        1.0,
        "ball height, -1 top, +1 bottom",
        lambda v: 2.0 * v.ball_y / v.params.court_h - 1.0,
    ),
    Feature(
        "ball_vx_toward",
        -1.0,
        1.0,
        "ball speed towards me / max ball speed (+ = approaching)",
        lambda v: v.vx_toward / v.params.max_speed,
    ),
    Feature(
        "ball_vy",
        -1.0,
        1.0,
        "ball's vertical speed / max ball speed (+ = downward)",
        lambda v: v.vy / v.params.max_speed,
    ),
    Feature(
        "own_y",
        -1.0,
        1.0,
        "my paddle's height",
        lambda v: 2.0 * v.own_y / v.params.court_h - 1.0,
    ),
    Feature(
        "opp_y",
        -1.0,
        1.0,
        "the opponent's paddle height",
        lambda v: 2.0 * v.opp_y / v.params.court_h - 1.0,
    ),
    Feature(
        "ball_dy",
        -1.0,
        1.0,
        "(ball y - my paddle y) / court height",
        lambda v: (v.ball_y - v.own_y) / v.params.court_h,
    ),
    Feature(
        "intercept_dy",
        -1.0,
        1.0,
        "where the ball will cross my paddle's line (walls included) minus my paddle, while "
        "it approaches; 0 otherwise",
        lambda v: _where(v.coming, (v.y_at - v.own_y) / v.params.court_h, 0.0),
    ),
    Feature(
        "time_to_impact",
        0.0,
        1.0,
        "seconds until the ball reaches me, scaled and clipped; 1 while it moves away",
        lambda v: _where(v.coming, _clip(v.tti / IMPACT_HORIZON, 0.0, 1.0), 1.0),
    ),
    Feature(
        "since_turn",
        0.0,
        1.0,
        "seconds since the ball last turned (a serve or a paddle hit) / TURN_HORIZON, clipped: "
        "lets a memoryless clone react late, as people do",
        lambda v: _clip(v.since_turn / TURN_HORIZON, 0.0, 1.0),
    ),
    Feature(
        "own_vy",
        -1.0,
        1.0,
        "my paddle's speed now / its top speed (+ = moving down): what I am doing",
        lambda v: _clip(v.own_vy / v.params.paddle_speed, -1.0, 1.0),
    ),
    Feature(
        "coming",
        0.0,
        1.0,
        "1 while the ball is in play and moves towards me, else 0 (says what time_to_impact < 1 "
        "says, without the ball's speed)",
        lambda v: _where(v.coming, 1.0, 0.0),
    ),
    Feature(
        "meet_offset",
        -1.0,
        1.0,
        "where on my paddle the coming ball would meet it if I stayed (its hit offset) / 2, "
        "clipped: +-0.5 are the paddle's ends; 0 while it moves away",
        lambda v: _where(v.coming, _on_paddle(v, v.y_at), 0.0),
    ),
    Feature(
        "level_offset",
        -1.0,
        1.0,
        "while the ball moves away, where on my paddle it is level with now (meet_offset's "
        "scale), clipped; 0 while it comes",
        lambda v: _where(v.coming, 0.0, _on_paddle(v, v.ball_y)),
    ),
    Feature(
        "away_vy",
        -1.0,
        1.0,
        "while the ball moves away, its vertical speed / max ball speed (+ = downward); 0 while "
        "it comes, so a slow coming ball looks like any other",
        lambda v: _where(v.coming, 0.0, v.vy / v.params.max_speed),
    ),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}
# The experiments' baseline (and what a recording or a variant observes with unless told): the
# clone a new game starts with is learn.networks.PLAY_FEATURE_SET (docs/experiments.md, "The
# game's clone").
DEFAULT_FEATURE_SET = "engineered"
# Nothing in "where+time" tells a slow ball from a fast one: a clone that learned from long
# rallies at the top speed meets a served ball as a familiar one (docs/experiments.md,
# "Where the clones lose balls").
WHERE = ("ball_y", "own_y", "opp_y", "ball_dy", "intercept_dy", "coming", "since_turn", "own_vy")
# name -> its features in input order, and one line for the page
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "engineered": FEATURE_NAMES[:9],
    "raw": FEATURE_NAMES[:6],
    "engineered+time": FEATURE_NAMES[:11],
    "engineered+turn": FEATURE_NAMES[:10],
    "where+time": WHERE,
    "where+meet": (*WHERE, "meet_offset"),
    "where+away": (*WHERE, "meet_offset", "level_offset", "away_vy"),
}
FEATURE_SET_HELP: dict[str, str] = {
    "engineered": "nine, with where and when the ball will reach my paddle (the prior)",
    "raw": "what a screen shows: ball position and velocity, both paddles; no intercept",
    "engineered+time": "the nine, and time: how long since the ball turned, and my own speed",
    "engineered+turn": "the nine, and how long since the ball turned (not my own speed)",
    "where+time": "where the ball is and will reach me, and time; not how fast it comes",
    "where+meet": "where the ball is and where on my paddle it would land, and time; not its speed",
    "where+away": "where+meet, and while the ball moves away: where it is level with my paddle "
    "and which way it goes",
}
N_FEATURES = len(FEATURE_SETS[DEFAULT_FEATURE_SET])  # inputs of a default clone
FEATURE_RANGES: dict[str, tuple[float, float]] = {f.name: (f.lo, f.hi) for f in FEATURES}


def feature_names(feature_set: str) -> tuple[str, ...]:
    """The features of ``feature_set`` in input order; ValueError names the known sets."""
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {feature_set!r}; known: {list(FEATURE_SETS)}")
    return FEATURE_SETS[feature_set]


def n_features(feature_set: str) -> int:
    """How many inputs a clone observing with ``feature_set`` has."""
    return len(feature_names(feature_set))


def index_of(feature_set: str) -> dict[str, int]:
    """Column index of each feature of ``feature_set`` (read features by name, not number)."""
    return {name: i for i, name in enumerate(feature_names(feature_set))}


def feature_table() -> str:
    """The README's feature table (markdown), from ``FEATURES``."""
    rows = ["| feature | meaning | range |", "| --- | --- | --- |"]
    rows += [f"| `{f.name}` | {f.meaning} | {f.lo:g}..{f.hi:g} |" for f in FEATURES]
    return "\n".join(rows)


def approaching(state: GameState, side: str) -> bool:
    """True while the ball is in play and moves towards ``side``'s goal line."""
    if state.serve_timer > 0.0:
        return False
    return state.ball_vx < 0.0 if side == "left" else state.ball_vx > 0.0


def approaching_columns(decoded: dict[str, np.ndarray], side: str) -> np.ndarray:
    """``approaching`` for every tick of decoded recording columns at once (bool [N])."""
    in_play = decoded["serve_timer"] <= 0.0
    vx = decoded["ball_vx"]
    return in_play & ((vx < 0.0) if side == "left" else (vx > 0.0))


def fold_y(y: Any, r: float, h: float) -> Any:
    """Where a ball centre at unbounded height ``y`` really is, after wall reflections."""
    span = h - 2.0 * r
    z = (y - r) % (2.0 * span)
    return r + _where(z > span, 2.0 * span - z, z)


def _contact(params: GameParams) -> float:
    """The ball centre's distance from my goal line when it touches my paddle's face."""
    return params.paddle_x_inset + params.paddle_w / 2 + params.ball_r


def state_view(
    state: GameState,
    side: str,
    params: GameParams,
    own_y: float | None = None,
    own_vy: float | None = None,
) -> View:
    """``side``'s view of one state; ``own_y`` and ``own_vy`` put that side's paddle at
    another height, moving at another speed (the ghost's)."""
    if side == "left":
        own, opp, vy = state.left_y, state.right_y, state.left_vy
        dist, vx_toward = state.ball_x, -state.ball_vx
    elif side == "right":
        own, opp, vy = state.right_y, state.left_y, state.right_vy
        dist, vx_toward = params.court_w - state.ball_x, state.ball_vx
    else:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    own = own if own_y is None else own_y
    vy = vy if own_vy is None else own_vy
    coming = approaching(state, side) and vx_toward > 0.0
    tti = max(dist - _contact(params), 0.0) / vx_toward if coming else 0.0
    y_at = fold_y(state.ball_y + state.ball_vy * tti, params.ball_r, params.court_h)
    since = state.t - state.turn_t
    b = state.ball_y
    return View(params, dist, b, vx_toward, state.ball_vy, own, opp, coming, tti, y_at, since, vy)


def column_view(decoded: dict[str, np.ndarray], side: str, params: GameParams) -> View:
    """``side``'s view of every tick of decoded recording columns at once."""
    bx = decoded["ball_x"]
    if side == "left":
        own, opp = decoded["left_y"], decoded["right_y"]
        dist, vx_toward = bx, -decoded["ball_vx"]
    elif side == "right":
        own, opp = decoded["right_y"], decoded["left_y"]
        dist, vx_toward = params.court_w - bx, decoded["ball_vx"]
    else:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    coming = approaching_columns(decoded, side) & (vx_toward > 0.0)
    tti = np.maximum(dist - _contact(params), 0.0) / np.where(coming, vx_toward, 1.0)
    y_at = fold_y(decoded["ball_y"] + decoded["ball_vy"] * tti, params.ball_r, params.court_h)
    by, vy = decoded["ball_y"], decoded["ball_vy"]
    since = since_columns(decoded, TURNS, params.dt)
    own_vy = paddle_speed_columns(decoded, own, params.dt)
    return View(params, dist, by, vx_toward, vy, own, opp, coming, tti, y_at, since, own_vy)


def since_columns(decoded: dict[str, np.ndarray], bits: int, dt: float) -> np.ndarray:
    """Seconds since the latest tick whose events have any of ``bits``, for every tick.

    What the live game's state gives as ``t - <time of the event>``: an event in tick j's
    transition counts from tick j + 1 on, at time t[j] + dt; before any, the time is
    ``NEVER``."""
    t = decoded["t"]
    hit = (decoded["events"] & bits) != 0
    last = np.full(len(t), NEVER)
    idx = np.flatnonzero(hit[:-1])
    last[idx + 1] = t[idx] + dt
    return t - np.maximum.accumulate(last) if len(t) else t.copy()


def paddle_speed_columns(decoded: dict[str, np.ndarray], y: np.ndarray, dt: float) -> np.ndarray:
    """A paddle's speed at every tick, from its heights ``y``: what the previous tick's move
    did, as the live state's ``left_vy`` holds it (0 at the first tick and after a gap)."""
    vy = np.zeros(len(y))
    if len(y) > 1:
        step = np.diff(decoded["tick"]) == 1
        vy[1:] = np.where(step, np.diff(y) / dt, 0.0)
    return vy


def _formulas(feature_set: str) -> list[Callable[[View], Any]]:
    return [BY_NAME[name].formula for name in feature_names(feature_set)]


def observe(
    state: GameState,
    side: str,
    params: GameParams,
    own_y: float | None = None,
    feature_set: str = DEFAULT_FEATURE_SET,
    own_vy: float | None = None,
) -> np.ndarray:
    """The feature vector (float64) of ``feature_set`` seen by ``side`` ('left'|'right').

    ``own_y`` and ``own_vy`` put that side's paddle at another height and speed (the ghost:
    the clone's move in the human's seat, from a shadow paddle) and leave the rest of the
    state as it is."""
    view = state_view(state, side, params, own_y, own_vy)
    return np.array([f(view) for f in _formulas(feature_set)], dtype=np.float64)


def observe_columns(
    decoded: dict[str, np.ndarray],
    side: str,
    params: GameParams,
    feature_set: str = DEFAULT_FEATURE_SET,
) -> np.ndarray:
    """``observe`` for every tick of decoded recording columns at once: float64 [N, n].

    The Lab replays one recording into many clones; computing the features once, with whole
    column operations, costs a few milliseconds where a Python loop over ``observe`` would
    cost seconds (more under Pyodide). The same formulas, so rows equal ``observe``'s."""
    view = column_view(decoded, side, params)
    n = len(decoded["ball_x"])
    cols = [
        np.broadcast_to(np.asarray(f(view), dtype=np.float64), (n,)) for f in _formulas(feature_set)
    ]
    return np.stack(cols, axis=1) if cols else np.zeros((n, 0))
