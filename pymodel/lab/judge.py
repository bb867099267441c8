"""What "mirrors" means, shared by the race and the Lab: the hit-offset or the style test.

A clone mirrors its teacher when it agrees with the teacher's actions on held-out frames
*and* hits the ball with the same part of the paddle: its hit offsets, played against the
standard opponent, must have a median within ``max_median_diff`` of the teacher's and a
Wasserstein-1 distance within ``max_w1``. Agreement alone is not enough: a clone can copy
most ticks and still meet the ball with the wrong end of the paddle.

Three criteria (``judge``): ``"hit"`` compares hit offsets only; ``"style"`` (fairer) also
compares the waiting-height profile (where the paddle waits while the ball moves away) with
``style.mirrors``, so a clone that meets the ball right but waits in the wrong place does not
count as a mirror; ``"moves"`` also asks the movement traits (reversals, how long a move is
held, how soon it answers the ball turning) within their ratios (``style.moves``).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ..learn import mlp
from ..learn.output import mover
from ..sim import style
from ..sim.game import GameParams
from ..sim.recording import Policy, hit_offsets, record_matches


class ProfileLimits(Protocol):
    """The limits ``judge`` reads (``engine.LabConfig`` has them)."""

    min_hits: int
    max_median_diff: float
    max_w1: float


CRITERIA: tuple[str, ...] = ("hit", "style", "moves")


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
    params: GameParams,
    cfg: ProfileLimits,
    reference: np.ndarray,
    player_fp: dict | None,
    matches: int = 1,
    first: int = 0,
    feature_set: str = "engineered",
) -> dict:
    """Play ``policy``'s profile games (``recording.record_matches``) and judge them:
    ``"hit"`` against the ``reference`` hit offsets (``profile_match``), ``"style"`` against
    the fingerprint ``player_fp`` (``style.mirrors``: hit offsets and waiting heights).
    Returns a dict with ``ok``."""
    if criterion not in CRITERIA or (criterion != "hit" and player_fp is None):
        raise ValueError(
            f"criterion must be one of {CRITERIA} (style and moves need a fingerprint)"
        )
    cols = record_matches(policy, seconds, seed, params, matches, first, feature_set)
    if criterion == "hit":
        return profile_match(hit_offsets(cols), reference, cfg)
    assert player_fp is not None
    fp = style.fingerprint(cols, "left", params=params)
    test = style.mirrors if criterion == "style" else style.moves
    verdict = test(fp, player_fp, limits_of(cfg))
    hit, wait = fp["hit_offset"], fp["wait_y"]
    return {**verdict, "hits": hit["n"], "hit_median": hit["median"], "wait_median": wait["median"]}


def clone_policy(
    params: dict[str, np.ndarray], activations: list[str], output: dict | None = None
) -> Policy:
    """An MLP (its params now, copied) through a fresh mover of its output model (greedy by
    default), as a ``policy(obs, rng) -> action``."""
    frozen = {k: v.copy() for k, v in params.items()}
    acts = list(activations)
    m = mover(output)

    def act(obs: np.ndarray, rng: np.random.Generator) -> int:
        return m.act(mlp.softmax(mlp.forward_one(frozen, obs, acts)), rng)

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


def censored_median(times: list[float | None]) -> float:
    """Median with censored runs (None) counted as +inf; inf means the median is censored
    (a censored run is slower than any finished one, whatever the horizon)."""
    vals = sorted(np.inf if t is None else t for t in times)
    return float(np.median(vals)) if vals else float("nan")
