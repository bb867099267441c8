"""The race: how many game seconds until a fresh clone mirrors its teacher, per sampler strategy.

For each teacher bot and seed, the teacher plays the left (human) seat against a steady
opponent. The game does not depend on the clone, so one simulation feeds one fresh clone per
strategy: the same frames, the same initial weights, the same network and the same training
budget per game second; only the sampler differs. Every ``eval_every`` game seconds each clone
is checked; it *mirrors* the teacher at the first check where

1. its approach-phase agreement with the teacher on held-out frames is >= ``threshold``, and
2. its hit-offset profile is the teacher's: the clone takes the teacher's seat against the same
   opponent for ``profile_seconds`` (same seed as the teacher's reference run) and
   |median offset difference| <= ``max_median_diff`` and the Wasserstein-1 distance between
   the two offset samples <= ``max_w1``.

A clone that has not mirrored by ``max_seconds`` is censored (reported as ">N"). Results are
medians over seeds, never best runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from . import bots, game, mlp
from .features import approaching, observe
from .sampler import STRATEGIES
from .trainer import OnlineTrainer, TrainerConfig


@dataclass(frozen=True)
class RaceConfig:
    """What counts as mirrored, and how long to try."""

    threshold: float = 0.9  # approach-phase agreement needed
    max_median_diff: float = 0.15  # |median hit offset, clone - teacher| allowed
    max_w1: float = 0.15  # Wasserstein-1 between hit-offset samples allowed
    min_hits: int = 8  # a profile needs at least this many hits to be judged
    profile_matches: int = 3  # profile = this many short matches, each from its own serve seed
    profile_seconds: float = 20.0  # game seconds of each profile match (clone)
    reference_factor: int = 3  # the teacher's reference profile is this many times longer
    eval_every: float = 10.0  # game seconds between checks
    max_seconds: float = 300.0  # give up (censor) after this much game time


def play_offsets(
    policy, seconds: float, seed: int, params: game.GameParams, matches: int = 1, first: int = 0
) -> np.ndarray:
    """Left-paddle hit offsets of ``policy(obs, rng) -> action`` against the opponent,
    over ``matches`` matches of ``seconds`` each (match k uses serve seed [seed, 7, k]).
    """
    out = []
    for k in range(first, first + matches):
        rng = np.random.default_rng([seed, 7, k])
        opp = bots.opponent()
        s = game.initial(rng, params)
        for _ in range(int(seconds / params.dt)):
            la = policy(observe(s, "left", params), rng)
            ra = opp.act(observe(s, "right", params), rng)
            s, events = game.transition(s, la, ra, rng, params)
            if "hit_left" in events:
                out.append(s.left_hit_offset)
    return np.array(out)


def wasserstein1(a: np.ndarray, b: np.ndarray) -> float:
    """W1 distance between two 1-D samples (mean gap between matching quantiles)."""
    q = np.linspace(0.0, 1.0, 101)
    return float(np.mean(np.abs(np.quantile(a, q) - np.quantile(b, q))))


def profile_match(clone: np.ndarray, teacher: np.ndarray, cfg: RaceConfig) -> dict:
    """Compare hit-offset samples; ``ok`` when both distances are within limits."""
    if len(clone) < cfg.min_hits or len(teacher) < cfg.min_hits:
        return {"ok": False, "hits": len(clone), "median_diff": None, "w1": None}
    md = float(abs(np.median(clone) - np.median(teacher)))
    w1 = wasserstein1(clone, teacher)
    ok = md <= cfg.max_median_diff and w1 <= cfg.max_w1
    return {"ok": ok, "hits": len(clone), "median_diff": md, "w1": w1}


# name -> (strategy, knobs): the clones one race compares (knobs None = the defaults)
DEFAULT_VARIANTS: dict[str, tuple[str, dict | None]] = {s: (s, None) for s in STRATEGIES}


def run_seed(
    bot: str,
    seed: int,
    cfg: RaceConfig,
    variants: dict | None = None,
    tcfg: TrainerConfig | None = None,
) -> list[dict]:
    """One teacher and seed: one clone per variant fed by the same game; one result each.
    Every clone gets the same ``tcfg`` (network, budget); only the sampler differs."""
    variants = variants or DEFAULT_VARIANTS
    params = game.GameParams()
    ref = play_offsets(
        bots.BOTS[bot]().act,
        cfg.profile_seconds,
        seed,
        params,
        matches=cfg.profile_matches * cfg.reference_factor,
    )
    rng = np.random.default_rng([seed, 0])
    teacher, opp = bots.BOTS[bot](), bots.opponent()
    tcfg = tcfg or TrainerConfig()
    trainers = {
        name: OnlineTrainer(np.random.default_rng([seed, 1]), tcfg, strategy=st, knobs=knobs)
        for name, (st, knobs) in variants.items()
    }
    results = {
        name: {"bot": bot, "seed": seed, "strategy": name, "time": None} for name in variants
    }
    curves: dict[str, list] = {name: [] for name in variants}
    s = game.initial(rng, params)
    ticks_per_eval = round(cfg.eval_every / params.dt)
    total = round(cfg.max_seconds / params.dt)
    for tick in range(1, total + 1):
        obs = observe(s, "left", params)
        la = teacher.act(obs, rng)
        ra = opp.act(observe(s, "right", params), rng)
        app, since = approaching(s, "left"), s.t - s.left_hit_t
        for name, tr in trainers.items():
            if results[name]["time"] is None:
                tr.record(obs, la, app, since)
                tr.owe(params.dt)
                tr.train()
        s, _ = game.transition(s, la, ra, rng, params)
        if tick % ticks_per_eval:
            continue
        for name, tr in trainers.items():
            if results[name]["time"] is not None:
                continue
            score = tr.mirror_score()
            curves[name].append((tick * params.dt, score["approach"]))
            if score["approach"] is None or score["approach"] < cfg.threshold:
                continue

            def clone(o, _rng, tr=tr):
                return int(np.argmax(mlp.forward(tr.params, o[None, :], tr.activations)[0][0]))

            # Clone matches use serve seeds the reference never used.
            offsets = play_offsets(
                clone, cfg.profile_seconds, seed, params, cfg.profile_matches, first=100
            )
            match = profile_match(offsets, ref, cfg)
            if match["ok"]:
                results[name].update(time=tick * params.dt, agreement=score["approach"], **match)
        if all(r["time"] is not None for r in results.values()):
            break
    for name in variants:
        results[name]["curve"] = curves[name]
        results[name]["kept"] = trainers[name].kept
        results[name]["seen"] = trainers[name].seen
    return list(results.values())


def _job(args: tuple) -> list[dict]:
    bot, seed, cfg, variants, tcfg = args
    return run_seed(bot, seed, cfg, variants, tcfg)


def run_race(
    bot_names: list[str],
    seeds: int,
    cfg: RaceConfig,
    workers: int = 2,
    variants: dict | None = None,
    first_seed: int = 0,
    tcfg: TrainerConfig | None = None,
) -> list[dict]:
    """All (bot, seed) jobs, in parallel processes when ``workers`` > 1."""
    seed_range = range(first_seed, first_seed + seeds)
    jobs = [(b, s, cfg, variants, tcfg) for s in seed_range for b in bot_names]
    if workers > 1:
        import multiprocessing as mp  # only the CLI uses processes; Pyodide never gets here

        with mp.get_context("fork").Pool(workers) as pool:  # one job at a time: balanced load
            parts = list(pool.imap_unordered(_job, jobs, chunksize=1))
    else:
        parts = [_job(j) for j in jobs]
    runs = [r for part in parts for r in part]
    return sorted(runs, key=lambda r: (bot_names.index(r["bot"]), r["seed"]))


def censored_median(times: list[float | None], max_seconds: float) -> float:
    """Median with censored runs (None) counted as +inf; inf means the median is censored."""
    vals = sorted(np.inf if t is None else t for t in times)
    return float(np.median(vals)) if vals else float("nan")


def summarise(results: list[dict], cfg: RaceConfig) -> dict:
    """Medians per bot and strategy, and over all runs per strategy."""
    bot_names = list(dict.fromkeys(r["bot"] for r in results))
    strategies = list(dict.fromkeys(r["strategy"] for r in results))
    table: dict = {}
    for b in [*bot_names, "all"]:
        table[b] = {}
        for st in strategies:
            times = [r["time"] for r in results if r["strategy"] == st and b in (r["bot"], "all")]
            table[b][st] = {
                "median": censored_median(times, cfg.max_seconds),
                "mirrored": sum(t is not None for t in times),
                "runs": len(times),
                "times": times,
            }
    return {"config": asdict(cfg), "table": table}


def fmt_time(t: float, max_seconds: float) -> str:
    """Seconds as text; censored medians as '>N'."""
    return f">{max_seconds:g}" if not np.isfinite(t) else f"{t:g}"
