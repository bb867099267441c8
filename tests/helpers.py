"""Test helpers that the model itself has no use for: a state's mirror image, and a
recording's ticks rebuilt as game states (to compare the column paths with the per-state
ones)."""

from __future__ import annotations

from collections.abc import Iterator

from pymodel.sim.game import NEVER, GameParams, GameState
from pymodel.sim.recording import EVENT_BITS, Recording


def mirror_state(state: GameState, params: GameParams) -> GameState:
    """The left-right mirror image of ``state`` (left and right players swap places)."""
    return GameState(
        tick=state.tick,
        t=state.t,
        ball_x=params.court_w - state.ball_x,
        ball_y=state.ball_y,
        ball_vx=-state.ball_vx,
        ball_vy=state.ball_vy,
        left_y=state.right_y,
        right_y=state.left_y,
        left_vy=state.right_vy,
        right_vy=state.left_vy,
        score_left=state.score_right,
        score_right=state.score_left,
        serve_timer=state.serve_timer,
        serve_dir=-state.serve_dir,
        left_hit_offset=state.right_hit_offset,
        right_hit_offset=state.left_hit_offset,
        left_hit_t=state.right_hit_t,
        right_hit_t=state.left_hit_t,
        turn_t=state.turn_t,
    )


def states_of(rec: Recording) -> Iterator[tuple[GameState, int, int, int]]:
    """(state, left_action, right_action, event bits) per tick of ``rec``, in time order,
    with the hit times and offsets rebuilt from the events (a hit in a tick's transition is
    seen from the next tick on)."""
    d = rec.decoded()
    left_t = right_t = turn_t = NEVER
    left_off = right_off = 0.0
    hit_l, hit_r = EVENT_BITS["hit_left"], EVENT_BITS["hit_right"]
    turns = hit_l | hit_r | EVENT_BITS["serve"]
    dt = rec.params.dt
    for i in range(len(d["tick"])):
        step = i > 0 and d["tick"][i] == d["tick"][i - 1] + 1
        vy = {
            side: float((d[f"{side}_y"][i] - d[f"{side}_y"][i - 1]) / dt) if step else 0.0
            for side in ("left", "right")
        }
        state = GameState(
            tick=int(d["tick"][i]),
            t=float(d["t"][i]),
            ball_x=float(d["ball_x"][i]),
            ball_y=float(d["ball_y"][i]),
            ball_vx=float(d["ball_vx"][i]),
            ball_vy=float(d["ball_vy"][i]),
            left_y=float(d["left_y"][i]),
            right_y=float(d["right_y"][i]),
            serve_timer=float(d["serve_timer"][i]),
            left_hit_offset=left_off,
            right_hit_offset=right_off,
            left_hit_t=left_t,
            right_hit_t=right_t,
            left_vy=vy["left"],
            right_vy=vy["right"],
            turn_t=turn_t,
        )
        bits = int(d["events"][i])
        yield state, int(d["left_action"][i]), int(d["right_action"][i]), bits
        if bits & hit_l:
            left_t, left_off = state.t + rec.params.dt, float(d["hit_offset"][i])
        if bits & hit_r:
            right_t, right_off = state.t + rec.params.dt, float(d["hit_offset"][i])
        if bits & turns:
            turn_t = state.t + rec.params.dt
