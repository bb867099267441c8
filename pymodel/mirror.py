"""What "mirrors" means, shared by the race and the Lab: the hit-offset profile test.

A clone mirrors its teacher when it agrees with the teacher's actions on held-out frames
*and* hits the ball with the same part of the paddle: its hit offsets, played against the
standard opponent, must have a median within ``max_median_diff`` of the teacher's and a
Wasserstein-1 distance within ``max_w1``. Agreement alone is not enough: a clone can copy
most ticks and still meet the ball with the wrong end of the paddle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from . import bots, game
from .features import observe

Policy = Callable[[np.ndarray, np.random.Generator], int]


class ProfileLimits(Protocol):
    """The limits ``profile_match`` reads (RaceConfig and LabConfig both have them)."""

    min_hits: int
    max_median_diff: float
    max_w1: float


def play_offsets(
    policy: Policy,
    seconds: float,
    seed: int,
    params: game.GameParams,
    matches: int = 1,
    first: int = 0,
    feature_set: str = "engineered",
) -> np.ndarray:
    """Left-paddle hit offsets of ``policy(obs, rng) -> action`` against the opponent,
    over ``matches`` matches of ``seconds`` each (match k uses serve seed [seed, 7, k]).
    The policy observes with ``feature_set`` (a clone's own); the opponent, a bot, with the
    engineered features it is written for.
    """
    out = []
    for k in range(first, first + matches):
        rng = np.random.default_rng([seed, 7, k])
        opp = bots.opponent()
        s = game.initial(rng, params)
        for _ in range(int(seconds / params.dt)):
            la = policy(observe(s, "left", params, feature_set=feature_set), rng)
            ra = opp.act(observe(s, "right", params), rng)
            s, events = game.transition(s, la, ra, rng, params)
            if "hit_left" in events:
                out.append(s.left_hit_offset)
    return np.array(out)


def greedy_policy(params: dict[str, np.ndarray], activations: list[str]) -> Policy:
    """An MLP (its params now, copied), greedy, as a ``policy(obs, rng) -> action``.

    One observation at a time through 1-D arrays (with np.tanh): half the cost of
    ``mlp.forward`` on a batch of one, and a profile check plays 7,200 ticks.
    """
    layers = [
        (params[f"W{i}"].copy(), params[f"b{i}"].copy(), act)
        for i, act in enumerate(activations, start=1)
    ]

    def act(obs: np.ndarray, _rng: np.random.Generator) -> int:
        h = obs
        for w, b, name in layers:
            h = h @ w + b
            if name == "tanh":
                h = np.tanh(h)
            elif name == "relu":
                h = np.maximum(h, 0.0)
        return int(h.argmax())

    return act


def wasserstein1(a: np.ndarray, b: np.ndarray) -> float:
    """W1 distance between two 1-D samples (mean gap between matching quantiles)."""
    q = np.linspace(0.0, 1.0, 101)
    return float(np.mean(np.abs(np.quantile(a, q) - np.quantile(b, q))))


def profile_match(clone: np.ndarray, teacher: np.ndarray, cfg: ProfileLimits) -> dict:
    """Compare hit-offset samples; ``ok`` when both distances are within limits."""
    if len(clone) < cfg.min_hits or len(teacher) < cfg.min_hits:
        return {"ok": False, "hits": len(clone), "median_diff": None, "w1": None}
    md = float(abs(np.median(clone) - np.median(teacher)))
    w1 = wasserstein1(clone, teacher)
    ok = md <= cfg.max_median_diff and w1 <= cfg.max_w1
    return {"ok": ok, "hits": len(clone), "median_diff": md, "w1": w1}


def censored_median(times: list[float | None], max_seconds: float | None = None) -> float:
    """Median with censored runs (None) counted as +inf; inf means the median is censored.

    ``max_seconds`` is unused (kept for the race's callers): a censored run is slower than
    any finished one, whatever the horizon.
    """
    vals = sorted(np.inf if t is None else t for t in times)
    return float(np.median(vals)) if vals else float("nan")
