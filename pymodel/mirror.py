"""What "mirrors" means, shared by the race and the Lab: the hit-offset or the style test.

A clone mirrors its teacher when it agrees with the teacher's actions on held-out frames
*and* hits the ball with the same part of the paddle: its hit offsets, played against the
standard opponent, must have a median within ``max_median_diff`` of the teacher's and a
Wasserstein-1 distance within ``max_w1``. Agreement alone is not enough: a clone can copy
most ticks and still meet the ball with the wrong end of the paddle.

Two criteria (``judge``): ``"hit"`` compares hit offsets only; ``"style"`` (fairer) records
the profile games and asks ``style.mirrors`` for the hit-offset *and* the waiting-height
profile (where the paddle waits while the ball moves away), so a clone that meets the ball
right but waits in the wrong place does not count as a mirror.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from . import bots, game, style
from .features import observe
from .recording import Recording, tick_offset

Policy = Callable[[np.ndarray, np.random.Generator], int]


class ProfileLimits(Protocol):
    """The limits ``profile_match`` reads (RaceConfig and LabConfig both have them)."""

    min_hits: int
    max_median_diff: float
    max_w1: float


CRITERIA: tuple[str, ...] = ("hit", "style")


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


def play_columns(
    policy: Policy,
    seconds: float,
    seed: int,
    params: game.GameParams,
    matches: int = 1,
    first: int = 0,
    feature_set: str = "engineered",
) -> dict[str, np.ndarray]:
    """The decoded recording columns of the same matches ``play_offsets`` plays (same serve
    seeds, the policy observing with ``feature_set``), concatenated; each match's ticks are
    shifted so no rally spans two matches."""
    n = int(seconds / params.dt)
    parts = []
    for j, k in enumerate(range(first, first + matches)):
        rng = np.random.default_rng([seed, 7, k])
        opp = bots.opponent()
        rec = Recording(params, capacity=max(n, 1))
        s = game.initial(rng, params)
        for _ in range(n):
            la = policy(observe(s, "left", params, feature_set=feature_set), rng)
            ra = opp.act(observe(s, "right", params), rng)
            new, events = game.transition(s, la, ra, rng, params)
            rec.append(s, la, ra, events, tick_offset(events, new))
            s = new
        cols = rec.decoded()
        cols["tick"] = cols["tick"] + j * (n + 10)
        parts.append(cols)
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def limits_of(cfg: ProfileLimits) -> style.MirrorLimits:
    """``style.MirrorLimits`` with the hit-offset limits of ``cfg`` (waiting limits default)."""
    return style.MirrorLimits(
        hit_median=cfg.max_median_diff, hit_w1=cfg.max_w1, min_hits=cfg.min_hits
    )


def judge(
    policy: Policy,
    criterion: str,
    seconds: float,
    seed: int,
    params: game.GameParams,
    cfg: ProfileLimits,
    reference: np.ndarray,
    player_fp: dict | None,
    matches: int = 1,
    first: int = 0,
    feature_set: str = "engineered",
) -> dict:
    """Play ``policy``'s profile games and judge them: ``"hit"`` against the ``reference``
    hit offsets (``profile_match``), ``"style"`` against the fingerprint ``player_fp``
    (``style.mirrors``: hit offsets and waiting heights). Returns a dict with ``ok``."""
    if criterion == "hit":
        offsets = play_offsets(policy, seconds, seed, params, matches, first, feature_set)
        return profile_match(offsets, reference, cfg)
    if criterion != "style" or player_fp is None:
        raise ValueError(f"criterion must be one of {CRITERIA} (style needs a fingerprint)")
    cols = play_columns(policy, seconds, seed, params, matches, first, feature_set)
    fp = style.fingerprint(cols, "left", params=params)
    verdict = style.mirrors(fp, player_fp, limits_of(cfg))
    hit, wait = fp["hit_offset"], fp["wait_y"]
    return {**verdict, "hits": hit["n"], "hit_median": hit["median"], "wait_median": wait["median"]}


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
