"""One live game: the state, the human's controls, the clone's seat, the ghost, the recording.

Pure: no clocks, no I/O. The game session routes requests to it; it knows nothing of the network
except the two policies it is handed per tick (observation -> action). The human plays the
left paddle (keyboard intent = the action; a pointer target becomes up, down or stay with a
small deadzone, and that action is the training label), the clone plays the right paddle.
The matches are ``sim.rules.Scoreboard``'s: it holds a serve (the ball keeps waiting at the
centre) while a countdown runs or a won match waits; the physics never see match rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..sim.features import DEFAULT_FEATURE_SET, approaching, feature_names, observe
from ..sim.game import ACTIONS, STAY, Clock, GameParams, initial, transition
from ..sim.recording import Recording, tick_offset
from ..sim.rules import MatchRules, Scoreboard
from .protocol import ProtocolError

POINTER_DEADZONE = 0.02  # court units: closer than this to the target, the paddle stays

Policy = Callable[[np.ndarray], int]
# (observation, action, approaching, seconds since the player's own hit) of the human's tick
FrameSink = Callable[[np.ndarray, int, bool, float], None]


class Match:
    """A game between the human (left) and a policy (right), ticked by the caller."""

    def __init__(
        self,
        seed: int,
        params: GameParams,
        recording: Recording,
        feature_set: str = DEFAULT_FEATURE_SET,
    ) -> None:
        self.params = params
        self.rng = np.random.default_rng([seed, 0])  # the game's own stream
        self.state = initial(self.rng, params)
        self.clock = Clock(params.dt, params.max_accumulated)
        self.recording = recording
        self.paused = False
        self.intent, self.target = STAY, None
        self.ghost = False
        self.ghost_y = self.state.left_y
        self.ghost_vy = 0.0
        self.board = Scoreboard(MatchRules(), params.serve_delay)
        self.hit_offset = 0.0  # the offset of the latest paddle hit
        self.observe_with(feature_set)  # sets last_obs: what the clone saw last

    def observe_with(self, feature_set: str) -> None:
        """The clone observes with ``feature_set`` from the next tick on, and the human's
        frames (its training data) are computed with the same set."""
        feature_names(feature_set)  # raises on an unknown set before anything changes
        self.feature_set = feature_set
        self.last_obs = observe(self.state, "right", self.params, feature_set=feature_set)

    # ------------------------------------------------------------------ the human
    def set_intent(self, name: str) -> None:
        """A key or button: 'up', 'stay' or 'down' until the next input."""
        if name not in ACTIONS:
            raise ProtocolError(f"intent must be one of {ACTIONS}, got {name!r}")
        self.intent, self.target = ACTIONS.index(name), None

    def set_target(self, y: float | None) -> None:
        """A pointer: steer towards height ``y``; None lets go (the paddle stops)."""
        self.target = y
        if y is None:
            self.intent = STAY

    def human_action(self) -> int:
        """The human's action this tick, from the key intent or the pointer target."""
        if self.target is None:
            return self.intent
        diff = self.target - self.state.left_y
        return 2 if diff > POINTER_DEADZONE else 0 if diff < -POINTER_DEADZONE else 1

    def show_ghost(self, on: bool) -> None:
        """Show or hide the ghost; it starts again from the human's paddle."""
        self.ghost, self.ghost_y, self.ghost_vy = on, self.state.left_y, 0.0

    # ------------------------------------------------------------------ matches
    def new_board(self, rules: MatchRules, saved: dict | None = None) -> None:
        """A new scoreboard (a new clone): its saved history and age, a first match."""
        saved = saved or {}
        history, age = saved.get("history", []), saved.get("age_s", 0.0)
        self.board = Scoreboard(rules, self.params.serve_delay, history, age)
        self._to_serve()

    def new_match(self, rules: MatchRules | None = None) -> None:
        """Rematch: a new match at 0-0 after a countdown (a ball in play goes back to serve)."""
        self.board.start(rules)
        self._to_serve()

    def _to_serve(self) -> None:
        """The ball back at the centre, waiting for a serve, unless it waits already."""
        s, p = self.state, self.params
        if s.serve_timer <= 0.0:
            centre = {"ball_x": p.court_w / 2, "ball_y": p.court_h / 2}
            self.state = replace(s, **centre, ball_vx=0.0, ball_vy=0.0, serve_timer=p.serve_delay)

    def match_state(self) -> dict:
        """The match now: the scoreboard's, with when and where the next serve goes."""
        s, board = self.state, self.board
        waiting = s.serve_timer > 0.0 and board.state != "over"
        serve_in = s.serve_timer + board.hold if waiting else 0.0
        side = "right" if s.serve_dir > 0 else "left"
        return {**board.current(), "serve_in": round(serve_in, 4), "serve_to": side}

    # ------------------------------------------------------------------ one tick
    def tick(
        self, clone: Policy, sink: FrameSink | None = None, ghost: Policy | None = None
    ) -> list[str]:
        """Both players act, the human's frame goes to ``sink``, the tick is recorded, the
        game moves; the ghost (if shown) moves by the clone's choice in the human's seat
        (``ghost``: the clone's policy for that paddle, with its own state)."""
        s, p, fs = self.state, self.params, self.feature_set
        left = self.human_action()
        self.last_obs = observe(s, "right", p, feature_set=fs)
        right = clone(self.last_obs)
        if sink is not None:
            obs = observe(s, "left", p, feature_set=fs)
            sink(obs, left, approaching(s, "left"), s.t - s.left_hit_t)
        if self.ghost:
            view = observe(s, "left", p, self.ghost_y, fs, self.ghost_vy)
            g = (ghost or clone)(view)
            half = p.paddle_h / 2
            y = min(max(self.ghost_y + (g - 1) * p.paddle_speed * p.dt, half), p.court_h - half)
            self.ghost_vy, self.ghost_y = (y - self.ghost_y) / p.dt, y
        if self.board.holding() and s.serve_timer > 0.0:  # the ball waits for the match
            s = replace(s, serve_timer=max(s.serve_timer, p.serve_delay))
        self.state, events = transition(s, left, right, self.rng, p)
        offset = tick_offset(events, self.state)
        self.recording.append(s, left, right, events, offset)
        if "hit_left" in events or "hit_right" in events:
            self.hit_offset = offset
        if "score_left" in events or "score_right" in events:
            self.ghost_y, self.ghost_vy = self.state.left_y, 0.0
        return events + self.board.tick(events, p.dt, sink is not None, left != STAY)

    def frame(self, events: list[str]) -> dict:
        """The ``frame`` reply: a snapshot after the latest tick (court units, y down)."""
        s, p = self.state, self.params
        return {
            "type": "frame",
            "tick": s.tick,
            "t": s.t,
            "ball": {"x": s.ball_x, "y": s.ball_y, "vx": s.ball_vx, "vy": s.ball_vy, "r": p.ball_r},
            "paddles": {
                "left": {"x": p.paddle_x("left"), "y": s.left_y},
                "right": {"x": p.paddle_x("right"), "y": s.right_y},
            },
            "paddle": {"w": p.paddle_w, "h": p.paddle_h},
            "court": {"w": p.court_w, "h": p.court_h},
            "score": {"left": self.board.left, "right": self.board.right},
            "paused": self.paused,
            "ghost_y": self.ghost_y if self.ghost else None,
            "events": events,
            "match": self.match_state(),
            "rally": self.board.rally,
            "hit_offset": self.hit_offset if {"hit_left", "hit_right"} & set(events) else None,
        }
