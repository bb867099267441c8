"""Where does a clone lose the balls its teacher returns?

The race's clones of the late reactors return fewer balls than their teachers (laggy 0.83,
late 0.90 as many; docs/experiments.md, "Movement"), which halves their rallies. This splits
every ball that came towards the left paddle in the race's judge games (the twelve 20-second
games a later check plays, serve seeds from 100) by what sent it there, a serve or the
opponent's hit, by its speed, and by whether the paddle moved at all before the ball was
returned or lost.
Each clone is trained as the race trains it (the teacher's 300 s recording, the `uniform`
sampler, 60 steps a game second, to the end); the teacher plays the same games. The same
counts over the recording the clone learned from show what it saw.

    .venv/bin/python scripts/clone_misses.py --bots laggy,late,drifter --seeds 3 --first-seed 100
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pymodel.lab import engine, race  # noqa: E402
from pymodel.lab.judge import clone_policy  # noqa: E402
from pymodel.lab.variants import variant_from  # noqa: E402
from pymodel.sim import bots  # noqa: E402
from pymodel.sim.game import EVENT_BITS, STAY, GameParams  # noqa: E402
from pymodel.sim.recording import record_bot, record_matches  # noqa: E402

DEFAULT_VARIANT = {
    "name": "time sample",
    "strategy": "uniform",
    "feature_set": "engineered+time",
    "output": {"kind": "sample"},
}
KINDS = ("serve", "rally")
SLOW = 0.7  # a ball slower than this share of the top speed counts as slow
TOP = 0.99  # ... and one at least this fast as at the top speed


def approaches(cols: dict[str, np.ndarray], params: GameParams) -> list[dict]:
    """Every ball sent towards the left paddle, in decoded recording columns: ``kind``
    (``serve``: served towards it; ``rally``: returned by the right paddle), ``speed`` (as a
    share of the top ball speed), ``returned`` (the left paddle hit it) and ``moved`` (the left
    paddle pressed a key before it was hit or lost). A ball still on its way when the columns
    end is left out."""
    ev, vx, vy, act = cols["events"], cols["ball_vx"], cols["ball_vy"], cols["left_action"]
    out: list[dict] = []
    kind, start = None, 0
    for k in range(len(ev)):
        e = int(ev[k])
        if e & EVENT_BITS["serve"]:  # a new ball: towards the left, or not its business
            kind, start = ("serve" if k + 1 < len(ev) and vx[k + 1] < 0.0 else None), k
        elif e & EVENT_BITS["hit_right"]:
            kind, start = "rally", k
        if kind is None:
            continue
        returned = bool(e & EVENT_BITS["hit_left"])
        if returned or e & EVENT_BITS["score_right"]:
            moved = bool(np.any(act[start + 1 : k + 1] != STAY))
            j = min(start + 1, len(ev) - 1)  # the first state after the turn
            speed = float(np.hypot(vx[j], vy[j]) / params.max_speed)
            out.append({"kind": kind, "speed": speed, "returned": returned, "moved": moved})
            kind = None
    return out


def summary(balls: list[dict]) -> dict:
    """Counts over ``approaches``: per kind and for ``slow`` balls ``[returned, faced]``, the
    balls at ``top`` speed, all ``misses`` and the ``still`` ones (lost without a key
    pressed)."""
    out: dict = {k: [0, 0] for k in (*KINDS, "slow")}
    for b in balls:
        for key in (b["kind"], "slow") if b["speed"] < SLOW else (b["kind"],):
            out[key][0] += b["returned"]
            out[key][1] += 1
    out["top"] = sum(b["speed"] >= TOP for b in balls)
    lost = [b for b in balls if not b["returned"]]
    out["misses"], out["still"] = len(lost), sum(not b["moved"] for b in lost)
    return out


def run(bot: str, seed: int, variant: dict, seconds: float = 300.0) -> dict:
    """One teacher and seed: the counts over its recording, then over the judge games played
    by the teacher and by its clone trained to the end of that recording."""
    v = variant_from(variant)
    lab = replace(race.RACE_LAB, criterion="style", stop_at_mirror=False)
    rec = record_bot(bot, seed, seconds)
    params = rec.params
    lab_run = engine.LabRun(rec, [v], [seed], lab)
    while not lab_run.done:
        lab_run.step(1_000_000)
    tr = lab_run.runs[0].trainer
    games = dict(seconds=lab.profile_seconds, seed=seed, params=params)
    games.update(matches=lab.stay_matches, first=100)
    teacher = record_matches(bots.BOTS[bot]().act, **games)
    policy = clone_policy(tr.play_params, tr.activations, tr.output)
    clone = record_matches(policy, feature_set=v.feature_set, **games)
    return {
        "bot": bot,
        "seed": seed,
        "recording": summary(approaches(rec.decoded(), params)),
        "teacher": summary(approaches(teacher, params)),
        "clone": summary(approaches(clone, params)),
    }


def share(pair: list[int]) -> str:
    """'0.93 (81/87)' for [returned, faced]."""
    return f"{pair[0] / pair[1]:.2f} ({pair[0]}/{pair[1]})" if pair[1] else "-"


def added(summaries: list[dict]) -> dict:
    """``summary`` dicts added up, key by key (``[returned, faced]`` pairs pair by pair)."""
    out: dict = {}
    for key, first in summaries[0].items():
        vals = [s[key] for s in summaries]
        out[key] = (
            [sum(v[i] for v in vals) for i in (0, 1)] if isinstance(first, list) else sum(vals)
        )
    return out


def table(rows: list[dict]) -> str:
    """Two markdown tables, a row per teacher, its seeds' counts added up: what the clone
    learned from and what it was judged on, then the returns."""
    balls = [
        "| teacher | its recording: balls at top speed | served | judge games: balls at top "
        f"speed | slow (under {SLOW:g} of top) |",
        "| --- | --- | --- | --- | --- |",
    ]
    returns = [
        "| teacher | teacher returns: served / rally / slow | clone returns: served / rally / "
        "slow | clone's misses without a key pressed |",
        "| --- | --- | --- | --- |",
    ]
    for bot in dict.fromkeys(r["bot"] for r in rows):
        rs = [r for r in rows if r["bot"] == bot]
        rec, tea, clo = (added([r[who] for r in rs]) for who in ("recording", "teacher", "clone"))
        faced = sum(rec[k][1] for k in KINDS)
        judged = sum(tea[k][1] for k in KINDS)
        balls.append(
            f"| {bot} | {rec['top']} of {faced} | {rec['serve'][1]} | {tea['top']} of {judged} "
            f"| {tea['slow'][1]} of {judged} |"
        )
        t = " / ".join(share(tea[k]) for k in (*KINDS, "slow"))
        c = " / ".join(share(clo[k]) for k in (*KINDS, "slow"))
        returns.append(f"| {bot} | {t} | {c} | {clo['still']} of {clo['misses']} |")
    return "\n".join(balls) + "\n\n" + "\n".join(returns)


def main(argv: list[str] | None = None) -> int:
    """Run every (teacher, seed), print the table (or the rows as JSON) with the load."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bots", default="laggy,late,drifter")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=100)
    ap.add_argument("--variant", default=json.dumps(DEFAULT_VARIANT), help="one race variant")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    variant = json.loads(args.variant)
    names = args.bots.split(",")
    unknown = [b for b in names if b not in bots.BOTS]
    if unknown:
        print(f"unknown bots {unknown}; known: {list(bots.BOTS)}", file=sys.stderr)
        return 2
    print(f"load before: {os.getloadavg()}", file=sys.stderr)
    rows = []
    for bot in names:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            rows.append(run(bot, seed, variant))
            print(f"{bot} seed {seed}: clone {rows[-1]['clone']}", file=sys.stderr)
    print(json.dumps(rows, indent=1) if args.json else table(rows))
    print(f"load after: {os.getloadavg()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
