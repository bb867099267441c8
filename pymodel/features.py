"""What a player sees: features from that player's own point of view, normalised.

The right-hand player's view is the mirror image of the left-hand one, so the clone (right)
sees the world exactly as the human (left) did and a network trained on the human's frames
can play the right paddle unchanged. "Own goal line" is x = 0 for left, x = court_w for right.

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
=================  ==========================================================  ==========

Feature sets (``FEATURE_SETS``) are named selections of these columns, in this order. They
are the clone's *prior*: what it is told about the world before it has seen any play.

- ``engineered`` (the default, all nine): includes the physics a good player works out,
  where the ball will meet my goal line (``intercept_dy``) and when (``time_to_impact``).
- ``raw``: what a screen shows, ball position and velocity and both paddles (the first six);
  the network has to learn the wall bounces and the timing itself.

Every set is computed from the raw game state (a recording keeps exactly that), from either
side's point of view, so a clone of any set sees the world as the human did.
"""

from __future__ import annotations

import numpy as np

from .game import GameParams, GameState

FEATURES: tuple[str, ...] = (
    "ball_x",
    "ball_y",
    "ball_vx_toward",
    "ball_vy",
    "own_y",
    "opp_y",
    "ball_dy",
    "intercept_dy",
    "time_to_impact",
)
N_FEATURES = len(FEATURES)
DEFAULT_FEATURE_SET = "engineered"
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "engineered": FEATURES,
    "raw": FEATURES[:6],
}
FEATURE_SET_HELP: dict[str, str] = {
    "engineered": "all nine, with where and when the ball will reach my paddle (the prior)",
    "raw": "what a screen shows: ball position and velocity, both paddles; no intercept",
}
# The documented range of each feature (the table above); tests hold every set to it.
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    name: (0.0, 1.0) if name in ("ball_x", "time_to_impact") else (-1.0, 1.0) for name in FEATURES
}
_COLUMNS = {name: [FEATURES.index(f) for f in names] for name, names in FEATURE_SETS.items()}
IMPACT_HORIZON = 2.0  # seconds; a serve crossing the whole court takes about this long


def feature_names(feature_set: str) -> tuple[str, ...]:
    """The features of ``feature_set`` in input order; ValueError names the known sets."""
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {feature_set!r}; known: {list(FEATURE_SETS)}")
    return FEATURE_SETS[feature_set]


def n_features(feature_set: str) -> int:
    """How many inputs a clone observing with ``feature_set`` has."""
    return len(feature_names(feature_set))


def approaching(state: GameState, side: str) -> bool:
    """True while the ball is in play and moves towards ``side``'s goal line."""
    if state.serve_timer > 0.0:
        return False
    return state.ball_vx < 0.0 if side == "left" else state.ball_vx > 0.0


def fold_y(y: float, r: float, h: float) -> float:
    """Where a ball centre at unbounded height ``y`` really is, after wall reflections."""
    span = h - 2.0 * r
    z = (y - r) % (2.0 * span)
    return r + (2.0 * span - z if z > span else z)


def observe(
    state: GameState,
    side: str,
    params: GameParams,
    own_y: float | None = None,
    feature_set: str = DEFAULT_FEATURE_SET,
) -> np.ndarray:
    """The feature vector (float64) of ``feature_set`` seen by ``side`` ('left'|'right').

    ``own_y`` puts that side's paddle at another height (the ghost: the clone's move in the
    human's seat, from a shadow paddle) and leaves the rest of the state as it is. Every set
    is a selection of the engineered columns, so all sets share one set of formulas."""
    full = _observe_all(state, side, params, own_y)
    return full if feature_set == "engineered" else full[_columns(feature_set)]


def _columns(feature_set: str) -> list[int]:
    feature_names(feature_set)  # raises on an unknown set
    return _COLUMNS[feature_set]


def _observe_all(
    state: GameState, side: str, params: GameParams, own_y: float | None
) -> np.ndarray:
    if side == "left":
        own_y, opp_y = state.left_y if own_y is None else own_y, state.right_y
        dist = state.ball_x  # from my goal line
        vx_toward = -state.ball_vx
    elif side == "right":
        own_y, opp_y = state.right_y if own_y is None else own_y, state.left_y
        dist = params.court_w - state.ball_x
        vx_toward = state.ball_vx
    else:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    h = params.court_h
    vmax = params.max_speed
    if approaching(state, side) and vx_toward > 0.0:
        # Ball centre reaches the paddle's face at this distance from my goal line.
        contact = params.paddle_x_inset + params.paddle_w / 2 + params.ball_r
        tti = max(dist - contact, 0.0) / vx_toward
        y_at = fold_y(state.ball_y + state.ball_vy * tti, params.ball_r, h)
        intercept_dy = (y_at - own_y) / h
        time_to_impact = min(tti / IMPACT_HORIZON, 1.0)
    else:
        intercept_dy, time_to_impact = 0.0, 1.0
    return np.array(
        [
            min(max(dist / params.court_w, 0.0), 1.0),
            2.0 * state.ball_y / h - 1.0,
            vx_toward / vmax,
            state.ball_vy / vmax,
            2.0 * own_y / h - 1.0,
            2.0 * opp_y / h - 1.0,
            (state.ball_y - own_y) / h,
            intercept_dy,
            time_to_impact,
        ],
        dtype=np.float64,
    )


def approaching_columns(decoded: dict[str, np.ndarray], side: str) -> np.ndarray:
    """``approaching`` for every tick of decoded recording columns at once (bool [N])."""
    in_play = decoded["serve_timer"] <= 0.0
    vx = decoded["ball_vx"]
    return in_play & ((vx < 0.0) if side == "left" else (vx > 0.0))


def observe_columns(
    decoded: dict[str, np.ndarray],
    side: str,
    params: GameParams,
    feature_set: str = DEFAULT_FEATURE_SET,
) -> np.ndarray:
    """``observe`` for every tick of decoded recording columns at once: float64 [N, n].

    The Lab replays one recording into many clones; computing the features once, with whole
    column operations, costs a few milliseconds where a Python loop over ``observe`` would
    cost seconds (more under Pyodide). Same formulas, same order, so rows equal ``observe``.
    """
    cols = _columns(feature_set)
    bx, by = decoded["ball_x"], decoded["ball_y"]
    if side == "left":
        own_y, opp_y = decoded["left_y"], decoded["right_y"]
        dist, vx_toward = bx, -decoded["ball_vx"]
    elif side == "right":
        own_y, opp_y = decoded["right_y"], decoded["left_y"]
        dist, vx_toward = params.court_w - bx, decoded["ball_vx"]
    else:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    h, vmax, r = params.court_h, params.max_speed, params.ball_r
    coming = approaching_columns(decoded, side) & (vx_toward > 0.0)
    contact = params.paddle_x_inset + params.paddle_w / 2 + r
    safe_v = np.where(coming, vx_toward, 1.0)
    tti = np.maximum(dist - contact, 0.0) / safe_v
    span = h - 2.0 * r
    z = np.mod(by + decoded["ball_vy"] * tti - r, 2.0 * span)
    y_at = r + np.where(z > span, 2.0 * span - z, z)
    out = np.empty((len(bx), N_FEATURES), dtype=np.float64)
    out[:, 0] = np.clip(dist / params.court_w, 0.0, 1.0)
    out[:, 1] = 2.0 * by / h - 1.0
    out[:, 2] = vx_toward / vmax
    out[:, 3] = decoded["ball_vy"] / vmax
    out[:, 4] = 2.0 * own_y / h - 1.0
    out[:, 5] = 2.0 * opp_y / h - 1.0
    out[:, 6] = (by - own_y) / h
    out[:, 7] = np.where(coming, (y_at - own_y) / h, 0.0)
    out[:, 8] = np.where(coming, np.minimum(tti / IMPACT_HORIZON, 1.0), 1.0)
    return out if feature_set == "engineered" else out[:, cols]
