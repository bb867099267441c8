"""The race: how many game seconds until a fresh clone mirrors its teacher, per sampler strategy.

For each teacher bot and seed, the teacher plays the left (human) seat against a steady
opponent for ``max_seconds`` (``recording.record_bot``), and the Lab's replay engine
(``lab.replay``) trains one fresh clone per strategy on that recording: the same frames, the
same initial weights, the same network and the same training budget per game second; only
the sampler differs. Every ``eval_every`` game seconds each clone is checked; it *mirrors*
the teacher at the first check where

1. its approach-phase agreement with the teacher on held-out frames (stretches of the
   recording's last fifth, never trained on; see ``lab``) is >= ``threshold``, and
2. its hit-offset profile is the teacher's: the clone takes the teacher's seat against the
   same opponent for ``profile_matches`` x ``profile_seconds``, and so does the teacher
   itself (``reference_factor`` times as long, serve seeds the clone never gets), and
   |median offset difference| <= ``max_median_diff`` and the Wasserstein-1 distance between
   the two offset samples <= ``max_w1``.

With ``criterion="style"`` (the fairer test, ``mirror.judge``) step 2 also requires the
waiting-height profile (where the paddle waits while the ball moves away) to be the
teacher's: both profile game sets are recorded and compared with ``style.mirrors``.

A clone that has not mirrored by ``max_seconds`` is censored (reported as ">N"). Results are
medians over seeds, never best runs.

Since the Lab, the race is the replay engine over bot recordings: the clones see the
recording's quantised frames, and the held-out set is stretches of the recording's last fifth
(the old race held out every 10th frame it saw). The reference profile is measured the
clone's way, as before: a first version took it from the recording itself, one long game with
long rallies and fast balls, and then even the teacher measured like a clone failed the test
(lazy, seeds 1-2: median offset difference 0.79). A human's recording has no such second
measurement, so the Lab compares with the recording's own offsets (see the README).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import numpy as np

from . import bots, lab, style
from .mirror import censored_median, play_columns, play_offsets, profile_match, wasserstein1
from .recording import record_bot
from .sampler import DEFAULT_STRATEGY, make_knobs
from .trainer import TrainerConfig

__all__ = ["censored_median", "play_offsets", "profile_match", "wasserstein1"]


@dataclass(frozen=True)
class RaceConfig:
    """What counts as mirrored, and how long to try."""

    threshold: float = 0.9  # approach agreement needed
    max_median_diff: float = 0.15  # |median hit offset, clone - teacher| allowed
    max_w1: float = 0.15  # Wasserstein-1 between hit-offset samples allowed
    min_hits: int = 8  # a profile needs at least this many hits to be judged
    profile_matches: int = 3  # profile = this many short matches, each from its own serve seed
    profile_seconds: float = 20.0  # game seconds of each profile match (clone)
    reference_factor: int = 3  # the teacher's reference profile is this many times longer
    eval_every: float = 10.0  # game seconds between checks
    max_seconds: float = 300.0  # the teacher's recording; censor after this much game time
    criterion: str = "hit"  # "hit": hit offsets; "style": hit offsets and waiting heights

    def lab_config(self) -> lab.LabConfig:
        """The Lab's config for this race: same limits, stop training a clone once it mirrors."""
        keys = ("threshold", "max_median_diff", "max_w1", "min_hits", "profile_matches")
        kw = {k: getattr(self, k) for k in keys}
        return lab.LabConfig(
            **kw,
            profile_seconds=self.profile_seconds,
            eval_every=self.eval_every,
            stop_at_mirror=True,
            criterion=self.criterion,
        )


# name -> (strategy, knobs): the clones one race compares (knobs None = the defaults); the
# baseline first, so the table's ratio is curated / baseline.
DEFAULT_VARIANTS: dict[str, tuple[str, dict | None]] = {
    "uniform": ("uniform", None),
    DEFAULT_STRATEGY: (DEFAULT_STRATEGY, None),
}


def variants_of(strategies: list[str], knobs_json: str | None = None) -> dict:
    """Race variants from strategy names (the baseline first) and optional JSON knob
    overrides keyed by strategy name; unknown strategies or knobs raise ValueError."""
    knobs = json.loads(knobs_json) if knobs_json else {}
    if len(strategies) < 2 or len(set(strategies)) != len(strategies):
        raise ValueError("need at least two distinct strategies, the baseline first")
    out = {name: (name, knobs.get(name)) for name in strategies}
    for st, kn in out.values():
        make_knobs(st, kn)
    return out


def run_seed(
    bot: str,
    seed: int,
    cfg: RaceConfig,
    variants: dict | list[lab.Variant] | None = None,
    tcfg: TrainerConfig | None = None,
) -> list[dict]:
    """One teacher and seed: ``record_bot`` then ``lab.replay`` with one clone per variant.
    Every clone gets the same ``tcfg`` (budget); only the variant differs. ``variants`` is
    {name: (strategy, knobs)} (the default network) or Lab variants (any preset)."""
    variants = variants or DEFAULT_VARIANTS
    recording = record_bot(bot, seed, cfg.max_seconds)
    teacher, params = bots.BOTS[bot]().act, recording.params
    matches = cfg.profile_matches * cfg.reference_factor
    player_fp = None
    if cfg.criterion == "style":  # the same games, recorded: offsets and the fingerprint
        cols = play_columns(teacher, cfg.profile_seconds, seed, params, matches)
        player_fp = style.fingerprint(cols, "left", params=params)
        ref = cols["hit_offset"][(cols["events"] & style.EVENT_BITS["hit_left"]) != 0]
    else:
        ref = play_offsets(teacher, cfg.profile_seconds, seed, params, matches)
    if isinstance(variants, dict):
        clones = [lab.Variant(name, st, knobs) for name, (st, knobs) in variants.items()]
    else:
        clones = list(variants)
    out = []
    lcfg = cfg.lab_config()
    for r in lab.replay(recording, clones, [seed], lcfg, tcfg, reference=ref, player_fp=player_fp):
        row = {"bot": bot, "seed": seed, "strategy": r["variant"], "time": r["time"]}
        if r["time"] is not None:
            row.update(agreement=r["agreement"], **r["profile"])
        row.update(curve=r["curve"], kept=r["kept"], seen=r["seen"])
        out.append(row)
    return out


def _job(args: tuple) -> list[dict]:
    bot, seed, cfg, variants, tcfg = args
    return run_seed(bot, seed, cfg, variants, tcfg)


def run_race(
    bot_names: list[str],
    seeds: int,
    cfg: RaceConfig,
    workers: int = 2,
    variants: dict | list[lab.Variant] | None = None,
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


def format_table(summary: dict, cfg: RaceConfig) -> str:
    """The race's table: a header naming the criterion, one labelled column per strategy
    (median time, mirrored/runs) and one ratio column per non-baseline strategy
    (``name/baseline`` = its median / the baseline's median)."""
    strategies = list(next(iter(summary["table"].values())))
    base = strategies[0]
    what = "hit offsets" if cfg.criterion == "hit" else "hit offsets and waiting heights"
    lines = [
        f"time to mirror (game seconds, median over seeds; mirrored/runs in brackets; criterion "
        f"{cfg.criterion}: approach agreement >= {cfg.threshold} and {what} match)",
        f"{'teacher':<10}"
        + "".join(f"{s:>16}" for s in strategies)
        + "".join(f"{s + '/' + base:>20}" for s in strategies[1:]),
    ]
    for bot, row in summary["table"].items():
        cells = [
            f"{fmt_time(row[s]['median'], cfg.max_seconds)} ({row[s]['mirrored']}/{row[s]['runs']})"
            for s in strategies
        ]
        a = row[base]["median"]
        ratios = []
        for s in strategies[1:]:
            b = row[s]["median"]
            ratios.append(f"{b / a:.2f}" if np.isfinite(a) and np.isfinite(b) and a > 0 else "n/a")
        lines.append(
            f"{bot:<10}" + "".join(f"{c:>16}" for c in cells) + "".join(f"{r:>20}" for r in ratios)
        )
    return "\n".join(lines)
