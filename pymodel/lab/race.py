"""The race: how many game seconds until a fresh clone mirrors its teacher, per variant.

For each teacher bot and seed, the teacher plays the left (human) seat against a steady
opponent for ``max_seconds`` (``recording.record_bot``), and the Lab's replay engine
(``engine.replay``) trains one fresh clone per variant on that recording: the same frames, the
same initial weights, the same network and the same training budget per game second; only
the variant differs. Every ``eval_every`` game seconds each clone is checked; it *mirrors*
the teacher at the first check where

1. its approach-phase agreement with the teacher on held-out frames (stretches of the
   recording's last fifth, never trained on; see ``engine``) is >= ``threshold``, and
2. its profile is the teacher's (``judge``): the clone takes the teacher's seat against the
   same opponent for ``profile_matches`` x ``profile_seconds``, and so does the teacher
   itself (``reference_factor`` times as long, with serve seeds the clone never gets), and
   the hit offsets (and, by criterion, the waiting heights or the movement) are compared.

Staying mirrored (``lab.keep_checking``) is judged against a longer profile of the teacher
(``later_reference_factor``), and the teacher takes the same later checks itself (its
ceiling, ``teacher_stayed``).

The teacher's reference is measured the clone's way, in the same kind of short games, rather
than taken from its recording (one long game with long rallies and fast balls, against which
even the teacher measured like a clone fails). A clone that has not mirrored by
``max_seconds`` is censored (reported as ">N"); results are medians over seeds, never best
runs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

from ..learn.sampler import DEFAULT_STRATEGY, make_knobs
from ..learn.trainer import TrainerConfig
from ..sim import bots, style
from ..sim.recording import hit_offsets, record_bot, record_matches
from . import engine
from .judge import censored_median, judge
from .report import fmt_time
from .variants import Variant

# The race's checks: every 10 game seconds, and a clone stops training once it mirrors.
RACE_LAB = engine.LabConfig(eval_every=10.0, stop_at_mirror=True)


@dataclass(frozen=True)
class RaceConfig:
    """The Lab's criteria (``lab``), how long a teacher plays, and how its profile is taken."""

    lab: engine.LabConfig = field(default_factory=lambda: RACE_LAB)
    max_seconds: float = 300.0  # the teacher's recording; censor after this much game time
    reference_factor: int = 3  # the teacher's reference profile is this many times longer
    # ... and the one later checks (``--stay``) compare with: 36 games, against which the
    # teachers pass their own later checks (lazy aside); against 9, in 25-100 % of them.
    later_reference_factor: int = 12


# name -> (strategy, knobs): the clones one race compares (knobs None = the defaults); the
# baseline first, so the table's ratio is curated / baseline.
DEFAULT_VARIANTS: dict[str, tuple[str, dict | None]] = {
    "uniform": ("uniform", None),
    DEFAULT_STRATEGY: (DEFAULT_STRATEGY, None),
}


def variants_of(strategies: list[str], knobs_json: str | None = None) -> list[Variant]:
    """Race variants (the default network) from strategy names, the baseline first, and
    optional JSON knob overrides keyed by strategy name; unknown strategies or knobs raise
    ValueError."""
    knobs = json.loads(knobs_json) if knobs_json else {}
    if len(strategies) < 2 or len(set(strategies)) != len(strategies):
        raise ValueError("need at least two distinct strategies, the baseline first")
    out = [Variant(name, name, knobs.get(name)) for name in strategies]
    for v in out:
        make_knobs(v.strategy, v.knobs)
    return out


def teacher_profile(
    bot: str, seed: int, cfg: RaceConfig, params, factor: int | None = None
) -> tuple[np.ndarray, dict | None]:
    """The teacher's reference hit offsets, and its fingerprint under the style criterion:
    the bot itself plays the profile games, ``factor`` (``reference_factor`` unless given)
    times as many as a clone (a longer profile starts with the same games)."""
    lab = cfg.lab
    matches = lab.profile_matches * (factor or cfg.reference_factor)
    cols = record_matches(bots.BOTS[bot]().act, lab.profile_seconds, seed, params, matches)
    fp = style.fingerprint(cols, "left", params=params) if lab.criterion != "hit" else None
    return hit_offsets(cols), fp


CEILING_CHECKS = 8  # how many later checks the teacher itself takes (its ceiling)


def teacher_ceiling(
    bot: str, seed: int, cfg: RaceConfig, params, reference: np.ndarray, player_fp: dict | None
) -> float:
    """The share of ``CEILING_CHECKS`` later checks the teacher *itself* passes against its
    own reference, each on ``stay_matches`` fresh profile games (the first on the clone's
    serve seeds): what a perfect copy would score for staying mirrored. A check is a noisy
    measurement; below 1 it cannot tell a clone that drifted from one that did not."""
    lab = cfg.lab
    passed = [
        judge(
            bots.BOTS[bot]().act,
            lab.criterion,
            lab.profile_seconds,
            seed,
            params,
            lab,
            reference,
            player_fp,
            lab.stay_matches,
            first=100 + k * lab.stay_matches,
        )["ok"]
        for k in range(CEILING_CHECKS)
    ]
    return sum(passed) / len(passed)


def run_seed(
    bot: str,
    seed: int,
    cfg: RaceConfig,
    variants: list[Variant] | None = None,
    tcfg: TrainerConfig | None = None,
) -> list[dict]:
    """One teacher and seed: ``record_bot`` then ``engine.replay`` with one clone per
    variant. Every clone gets the same ``tcfg`` (budget); only the variant differs."""
    clones = variants or variants_of(list(DEFAULT_VARIANTS))
    recording = record_bot(bot, seed, cfg.max_seconds)
    ref, player_fp = teacher_profile(bot, seed, cfg, recording.params)
    later_ref, later_fp = ref, player_fp
    if cfg.lab.keep_checking:
        factor = cfg.later_reference_factor
        later_ref, later_fp = teacher_profile(bot, seed, cfg, recording.params, factor)
    out = []
    results = engine.replay(
        recording,
        clones,
        [seed],
        cfg.lab,
        tcfg,
        reference=ref,
        player_fp=player_fp,
        later_reference=later_ref,
        later_fp=later_fp,
    )
    for r in results:
        row = {"bot": bot, "seed": seed, "strategy": r["variant"], "time": r["time"]}
        if r["time"] is not None:
            row.update(agreement=r["agreement"], **r["profile"])
        row.update(curve=r["curve"], kept=r["kept"], seen=r["seen"], steps=r["steps"])
        row.update(stayed=r["stayed"], later_checks=r["later_checks"], final=r["final"])
        row.update(stayed_agreement=r["stayed_agreement"], stayed_profile=r["stayed_profile"])
        row.update(later_failed=r["later_failed"])
        out.append(row)
    if cfg.lab.keep_checking:  # the same later check, taken by the teacher itself
        ceiling = teacher_ceiling(bot, seed, cfg, recording.params, later_ref, later_fp)
        for row in out:
            row["teacher_stayed"] = ceiling
    return out


def run_job(args: tuple) -> list[dict]:
    """``run_seed`` on one (bot, seed, cfg, variants, tcfg) tuple: a job for a process pool."""
    return run_seed(*args)


def run_race(
    bot_names: list[str],
    seeds: int,
    cfg: RaceConfig,
    variants: list[Variant] | None = None,
    first_seed: int = 0,
    tcfg: TrainerConfig | None = None,
    map_jobs: Callable[[Callable, list], Iterable[list[dict]]] = map,
) -> list[dict]:
    """All (bot, seed) jobs; ``map_jobs`` runs them (the CLI passes a process pool's map:
    every job is deterministic on its own, so the order they run in changes nothing)."""
    seed_range = range(first_seed, first_seed + seeds)
    jobs = [(b, s, cfg, variants, tcfg) for s in seed_range for b in bot_names]
    runs = [r for part in map_jobs(run_job, jobs) for r in part]
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
                "median": censored_median(times),
                "mirrored": sum(t is not None for t in times),
                "runs": len(times),
                "times": times,
            }
    config = {
        **asdict(cfg.lab),
        "max_seconds": cfg.max_seconds,
        "reference_factor": cfg.reference_factor,
        "later_reference_factor": cfg.later_reference_factor,
    }
    return {"config": config, "max_seconds": cfg.max_seconds, "table": table}


def format_table(summary: dict, cfg: RaceConfig) -> str:
    """The race's table: a header naming the criterion, one labelled column per strategy
    (median time, mirrored/runs) and one ratio column per non-baseline strategy
    (``name/baseline`` = its median / the baseline's median)."""
    strategies = list(next(iter(summary["table"].values())))
    base = strategies[0]
    lab = cfg.lab
    what = "hit offsets" if lab.criterion == "hit" else "hit offsets and waiting heights"
    lines = [
        f"time to mirror (game seconds, median over seeds; mirrored/runs in brackets; criterion "
        f"{lab.criterion}: approach agreement >= {lab.threshold} and {what} match)",
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


def movement_table(results: list[dict]) -> str:
    """What ``--stay`` and ``--traits`` measure, per teacher and variant (medians over seeds):
    the share of later checks a clone still passed once it mirrored (``stay``), and the final
    clone's movement traits as ratios to its teacher's (``style.MOVES_TRAITS``: the tolerance
    is 0.7-1.4x; ``style.MOVES_CONTEXT`` beside them, not judged), with how many seeds passed
    the ``moves`` test."""
    bot_names = list(dict.fromkeys(r["bot"] for r in results))
    names = list(dict.fromkeys(r["strategy"] for r in results))
    has_final = any(r.get("final") for r in results)
    halves = {  # column -> the runs' key
        "stay_agreement": "stayed_agreement",
        "stay_profile": "stayed_profile",
        "stay_teacher": "teacher_stayed",
    }
    has_halves = any(r.get(key) is not None for r in results for key in halves.values())
    cols = [
        "stay",
        *(halves if has_halves else ()),
        *((*style.MOVES_TRAITS, *style.MOVES_CONTEXT) if has_final else ()),
        *(["moves"] if has_final else []),
    ]
    lines = [
        "movement (median over seeds): stay = share of later checks passed once mirrored "
        "(stay_agreement, stay_profile: of each half of the check; stay_teacher: the teacher "
        "itself, a perfect copy's ceiling; failed: what the later checks failed on, summed "
        "over seeds); "
        f"traits = clone / teacher (tolerance 0.7-1.4; {' and '.join(style.MOVES_CONTEXT)} "
        "shown, not judged); moves = seeds passing the moves test",
        f"{'teacher':<10}{'variant':<24}" + "".join(f"{c:>20}" for c in cols),
    ]
    for b in bot_names:
        for n in names:
            rows = [r for r in results if r["bot"] == b and r["strategy"] == n]
            cells = []
            for c in cols:
                if c.startswith("stay"):
                    key = halves.get(c, "stayed")
                    vals = [r[key] for r in rows if r.get(key) is not None]
                elif c == "moves":
                    passed = sum(bool(r["final"]["moves"]) for r in rows if r.get("final"))
                    cells.append(f"{passed}/{len(rows)}")
                    continue
                else:
                    vals = [
                        r["final"]["ratios"][c]
                        for r in rows
                        if r.get("final") and r["final"]["ratios"].get(c) is not None
                    ]
                cells.append(f"{np.median(vals):.2f}" if vals else "-")
            failed = sum((Counter(r.get("later_failed") or {}) for r in rows), Counter())
            why = ", ".join(f"{label} {k}" for label, k in sorted(failed.items()))
            line = f"{b:<10}{n[:23]:<24}" + "".join(f"{c:>20}" for c in cells)
            lines.append(line + (f"  failed: {why}" if why else ""))
    return "\n".join(lines)
