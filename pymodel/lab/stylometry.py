"""Stylometry: who taught this clone? The fingerprint names a clone's teacher from its play.

Each teacher's *reference* is its own fingerprint in profile games (the clone's kind of games,
serve seeds the clones never get). A clone is trained on one teacher's recording for
``train_seconds`` (the Lab's replay, the same budget as the page), then plays ``play_seconds``
of profile games of its own; its fingerprint is attributed to the teacher whose reference is
nearest (``style.distance``'s ``overall`` over ``style.STYLE_TRAITS``: the mean gap over the
traits, each in units of its tolerance). The traits set by how well a side plays (returns,
points, reversals *a rally*, whose rallies last as long as its returns allow) are left out: a
clone that returns fewer balls than its teacher would otherwise look like a weaker teacher.
Chess's behavioural stylometry names a player among hundreds from their games; here the
question is whether a clone carries its teacher's style, not only its hit offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..learn.trainer import TrainerConfig
from ..sim import bots, style
from ..sim.game import GameParams
from ..sim.recording import record_bot, record_matches
from .engine import LabConfig, LabRun
from .judge import clone_policy
from .variants import Variant


@dataclass(frozen=True)
class StylometryConfig:
    """How long the clones learn and play, and how the references are taken."""

    train_seconds: float = 300.0  # the teacher's recording the clone learns from
    play_seconds: float = 60.0  # the clone's own play that is attributed
    match_seconds: float = 20.0  # ... in games of this length
    reference_matches: int = 9  # a teacher's reference: this many games of match_seconds


def reference(bot: str, seed: int, cfg: StylometryConfig, params: GameParams) -> dict:
    """A teacher's fingerprint in its own profile games (serve seeds from 200 on)."""
    cols = record_matches(
        bots.BOTS[bot]().act, cfg.match_seconds, seed, params, cfg.reference_matches, first=200
    )
    return style.fingerprint(cols, "left", params=params)


def attribute(fp: dict, references: dict[str, dict]) -> tuple[str, dict[str, float]]:
    """The teacher whose reference is nearest to ``fp``, and every distance."""
    dist = {}
    for name, ref in references.items():
        overall = style.distance(fp, ref, style.STYLE_TRAITS)["overall"]
        dist[name] = np.inf if overall is None else overall
    return min(dist, key=dist.__getitem__), dist


def clone_fingerprint(
    bot: str, seed: int, variant: Variant, cfg: StylometryConfig, tcfg: TrainerConfig | None
) -> dict:
    """Train a fresh clone on ``bot``'s recording, then fingerprint ``play_seconds`` of its
    play (serve seeds from 300 on: games neither the teacher nor the judge played)."""
    rec = record_bot(bot, seed, cfg.train_seconds)
    run = LabRun(rec, [variant], [seed], LabConfig(threshold=1.01), tcfg)  # train, never judge
    while not run.done:
        run.step()
    tr = run.runs[0].trainer
    games = max(int(round(cfg.play_seconds / cfg.match_seconds)), 1)
    policy = clone_policy(tr.play_params, tr.activations, tr.output)
    cols = record_matches(
        policy, cfg.match_seconds, seed, rec.params, games, first=300, feature_set=tr.feature_set
    )
    return style.fingerprint(cols, "left", params=rec.params)


def run_job(args: tuple) -> dict:
    """One (teacher, seed): the clone's fingerprint and who it is attributed to."""
    bot, seed, variant, cfg, tcfg, references = args
    fp = clone_fingerprint(bot, seed, variant, cfg, tcfg)
    guess, dist = attribute(fp, references)
    return {"teacher": bot, "seed": seed, "guess": guess, "distances": dist}


def run_stylometry(
    teachers: list[str],
    seeds: list[int],
    variant: Variant,
    cfg: StylometryConfig | None = None,
    tcfg: TrainerConfig | None = None,
    map_jobs=map,
) -> dict:
    """Every (teacher, seed) clone attributed among all ``teachers``: the rows, the accuracy
    and the confusion table ({teacher: {guess: count}})."""
    cfg = cfg or StylometryConfig()
    params = GameParams()
    references = {b: reference(b, 0, cfg, params) for b in teachers}
    jobs = [(b, s, variant, cfg, tcfg, references) for b in teachers for s in seeds]
    rows = sorted(map_jobs(run_job, jobs), key=lambda r: (teachers.index(r["teacher"]), r["seed"]))
    confusion = {b: {g: 0 for g in teachers} for b in teachers}
    for r in rows:
        confusion[r["teacher"]][r["guess"]] += 1
    right = sum(r["guess"] == r["teacher"] for r in rows)
    return {"rows": rows, "accuracy": right / len(rows), "confusion": confusion}


def format_confusion(result: dict) -> str:
    """The confusion table: rows are the true teachers, columns who the fingerprint named."""
    names = list(result["confusion"])
    width = max(len(n) for n in names) + 2
    lines = [
        f"stylometry: {result['accuracy']:.0%} of clones named after their teacher "
        f"(rows: the teacher, columns: who the fingerprint named)",
        " " * width + "".join(f"{n:>{width}}" for n in names),
    ]
    for t in names:
        lines.append(
            f"{t:<{width}}" + "".join(f"{result['confusion'][t][g]:>{width}}" for g in names)
        )
    return "\n".join(lines)
