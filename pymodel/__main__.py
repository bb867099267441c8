"""Command line: ``python -m pymodel race|lab|record|bench|schema ...``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace

import numpy as np

from . import bots, lab, labreport, priors, race, sessionfile
from .benchmark import cpython_figures
from .chart import lab_svg, race_svg
from .recording import record_bot
from .schema import knob_table, schema
from .trainer import TrainerConfig


def cmd_race(args: argparse.Namespace) -> int:
    """Run the race and print a table (or JSON); optionally write an SVG chart."""
    names = args.bots.split(",")
    unknown = [b for b in names if b not in bots.BOTS]
    if unknown:
        print(f"unknown bots {unknown}; known: {list(bots.BOTS)}", file=sys.stderr)
        return 2
    cfg = race.RaceConfig(
        max_seconds=args.max_seconds, threshold=args.threshold, criterion=args.criterion
    )
    try:
        variants = race.variants_of(args.strategies.split(","), args.knobs)
    except ValueError as exc:
        print(f"--strategies/--knobs: {exc}", file=sys.stderr)
        return 2
    if args.quick:  # a smoke run: shorter horizon and smaller profile samples
        cfg = replace(cfg, max_seconds=min(cfg.max_seconds, 120.0), profile_matches=2)
    if args.steps_per_second <= 0:
        print("--steps-per-second must be positive", file=sys.stderr)
        return 2
    if args.capacity < 1:
        print("--capacity must be at least 1", file=sys.stderr)
        return 2
    tcfg = TrainerConfig(steps_per_game_second=args.steps_per_second, capacity=args.capacity)
    if args.preset:
        try:
            variants = lab.preset_variants(args.preset, args.feature_set, args.activation)
        except ValueError as exc:
            print(f"--preset: {exc}", file=sys.stderr)
            return 2
    start = time.perf_counter()
    results = race.run_race(
        names,
        args.seeds,
        cfg,
        workers=args.workers,
        variants=variants,
        first_seed=args.first_seed,
        tcfg=tcfg,
    )
    summary = race.summarise(results, cfg)
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    summary["steps_per_game_second"] = tcfg.steps_per_game_second
    summary["capacity"] = tcfg.capacity
    summary["seeds"] = list(range(args.first_seed, args.first_seed + args.seeds))
    summary["preset"] = args.preset
    if args.preset:
        summary["variants"] = [priors.variant_info(v) for v in variants]
    if args.chart:
        with open(args.chart, "w", encoding="utf-8") as f:
            f.write(priors.chart_for(summary) if args.preset else race_svg(summary))
    if args.json:
        summary["runs"] = results
        for row in summary["table"].values():  # strict JSON: a censored median becomes null
            for cell in row.values():
                cell["median"] = cell["median"] if np.isfinite(cell["median"]) else None
        print(json.dumps(summary, indent=1, default=float, allow_nan=False))
        return 0
    if args.preset in ("priors", "frontier"):
        print(priors.report_for(summary))
        print(f"wall {summary['wall_seconds']} s")
        return 0
    print(race.format_table(summary, cfg))
    print(
        f"seeds {args.first_seed}.."
        f"{args.first_seed + args.seeds - 1}; budget {tcfg.steps_per_game_second:g} steps "
        f"(batch {tcfg.batch}) per game second; buffer {tcfg.capacity} frames; "
        f"wall {summary['wall_seconds']} s"
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Steps/s of one training step and ticks/s of one game tick (median of repeats)."""
    f = cpython_figures(args.repeats)
    steps, ticks, bare = f["steps_per_s"], f["ticks_per_s"], f["bare_ticks_per_s"]
    print(
        f"train step (batch {f['batch']}, sizes {'-'.join(map(str, f['sizes']))}, tanh): "
        f"{steps:,.0f} steps/s ({1e6 / steps:.0f} us)"
    )
    print(f"game tick with 2 observations + 2 bots: {ticks:,.0f} ticks/s ({1e6 / ticks:.1f} us)")
    print(f"bare game.transition: {bare:,.0f} ticks/s ({1e6 / bare:.1f} us)")
    print(
        f"median of {args.repeats} repeats, numpy {np.__version__}, python {sys.version.split()[0]}"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the schema the page is built from (JSON), or the README's knob table."""
    print(knob_table() if args.knob_table else json.dumps(schema(), indent=1))
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    """Record a bot's play (left seat, standard opponent) as a session file."""
    if args.bot not in bots.BOTS or args.seconds <= 0:
        print(f"need a known bot ({list(bots.BOTS)}) and --seconds > 0", file=sys.stderr)
        return 2
    rec = record_bot(args.bot, args.seed, args.seconds)
    meta = {"bot": args.bot, "seed": args.seed, "created_by": "python -m pymodel record"}
    text = sessionfile.to_json(rec, meta)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}: {len(rec)} ticks ({args.seconds:g} game s), {len(text):,} bytes")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Replay a session file into fresh clones per variant and seed; print who mirrored when."""
    try:
        with open(args.session, "rb") as f:
            text = f.read(sessionfile.MAX_SESSION_CHARS + 1)  # the size check needs no more
        recording, _meta = sessionfile.from_json(text)
    except OSError as exc:
        print(f"cannot read {args.session}: {exc.strerror}", file=sys.stderr)
        return 2
    except sessionfile.SessionFileError as exc:
        print(f"{args.session}: {exc}", file=sys.stderr)
        return 2
    if args.steps_per_second <= 0:
        print("--steps-per-second must be positive", file=sys.stderr)
        return 2
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    try:
        variants = lab.preset_variants(args.preset, args.feature_set, args.activation)
        if args.knobs:
            variants.append(lab.Variant("your knobs", "relevance", json.loads(args.knobs)))
        tcfg = TrainerConfig(steps_per_game_second=args.steps_per_second)
        run = lab.LabRun(recording, variants, seeds, lab.LabConfig(threshold=args.threshold), tcfg)
    except ValueError as exc:  # bad knobs (json.JSONDecodeError is a ValueError too), options
        print(f"--preset/--knobs: {exc}", file=sys.stderr)
        return 2
    if not run.judgeable or args.seeds < 1:
        print(
            f"recording too short to judge: {run.eval_frames} held-out approach frames, "
            f"need {run.cfg.min_eval} (or --seeds < 1)",
            file=sys.stderr,
        )
        return 2
    while not run.done:
        run.step()
    results = run.results()
    summary = labreport.summarise(results)
    horizon = len(recording) * recording.params.dt
    # The priors presets read as the race does: one cell per variant, over all seeds.
    race_like = {
        "preset": args.preset,
        "table": {"all": summary},
        "variants": [priors.variant_info(v) for v in variants],
        "config": {"max_seconds": horizon},
    }
    special = args.preset in ("priors", "frontier")
    if args.chart:
        with open(args.chart, "w", encoding="utf-8") as f:
            f.write(priors.chart_for(race_like) if special else lab_svg(summary, run.cfg.threshold))
    if args.json:
        doc = {"seconds": horizon, "summary": labreport.jsonable(summary), "runs": results}
        print(json.dumps(doc, indent=1, allow_nan=False))
        return 0
    print(labreport.format_table(summary, horizon))
    print(priors.report_for(race_like) if special else labreport.reading(summary, horizon))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a sub-command."""
    ap = argparse.ArgumentParser(prog="python -m pymodel")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("race", help="time-to-mirror per sampler strategy")
    r.add_argument("--bots", default=",".join(bots.BOTS))
    r.add_argument("--seeds", type=int, default=5, help="how many seeds")
    r.add_argument("--first-seed", type=int, default=0, help="seeds first..first+seeds-1")
    r.add_argument(
        "--steps-per-second",
        type=float,
        default=TrainerConfig.steps_per_game_second,
        help="training budget: minibatch steps per game second (same for every strategy)",
    )
    r.add_argument(
        "--capacity",
        type=int,
        default=TrainerConfig.capacity,
        help="replay buffer frames (same for every strategy)",
    )
    r.add_argument("--max-seconds", type=float, default=race.RaceConfig.max_seconds)
    r.add_argument("--threshold", type=float, default=race.RaceConfig.threshold)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument(
        "--criterion",
        choices=["hit", "style"],
        default=race.RaceConfig.criterion,
        help="hit: hit offsets; style: hit offsets and waiting heights (fairer)",
    )
    r.add_argument(
        "--strategies",
        default=",".join(race.DEFAULT_VARIANTS),
        help="comma-separated sampler strategies, the baseline first (ratio = each / first)",
    )
    r.add_argument(
        "--knobs", metavar="JSON", help='knob overrides per strategy, {"name": {"knob": v}}'
    )
    r.add_argument("--quick", action="store_true", help="max 120 game s, smaller profiles")
    r.add_argument("--preset", choices=list(lab.PRESETS), help="race the Lab preset's variants")
    r.add_argument("--feature-set", choices=list(lab.FEATURE_SETS), help="every variant's set")
    r.add_argument("--activation", choices=["tanh", "relu"], help="only variants with this one")
    r.add_argument("--json", action="store_true")
    r.add_argument("--chart", metavar="OUT.svg")
    r.set_defaults(fn=cmd_race)
    b = sub.add_parser("bench", help="training-step and game-tick throughput")
    b.add_argument("--repeats", type=int, default=5)
    b.set_defaults(fn=cmd_bench)
    sc = sub.add_parser("schema", help="the schema the page builds its controls from")
    sc.add_argument("--knob-table", action="store_true", help="the README's knob table")
    sc.set_defaults(fn=cmd_schema)
    la = sub.add_parser("lab", help="replay a session file into fresh clones per variant")
    la.add_argument("session", metavar="SESSION.json")
    la.add_argument("--preset", choices=list(lab.PRESETS), default="curation")
    la.add_argument("--seeds", type=int, default=3, help="how many seeds")
    la.add_argument("--first-seed", type=int, default=0, help="seeds first..first+seeds-1")
    la.add_argument("--threshold", type=float, default=lab.LabConfig.threshold)
    la.add_argument("--knobs", metavar="JSON", help="add relevance with these knobs")
    la.add_argument("--feature-set", choices=list(lab.FEATURE_SETS), help="every variant's set")
    la.add_argument("--activation", choices=["tanh", "relu"], help="only variants with this one")
    la.add_argument(
        "--steps-per-second",
        type=float,
        default=TrainerConfig.steps_per_game_second,
        help="training budget: minibatch steps per game second (same for every variant)",
    )
    la.add_argument("--json", action="store_true")
    la.add_argument("--chart", metavar="OUT.svg")
    la.set_defaults(fn=cmd_lab)
    rec = sub.add_parser("record", help="record a bot's play as a session file")
    rec.add_argument("bot", choices=list(bots.BOTS))
    rec.add_argument("--seconds", type=float, default=60.0)
    rec.add_argument("--seed", type=int, default=0)
    rec.add_argument("-o", "--out", required=True, metavar="OUT.json")
    rec.set_defaults(fn=cmd_record)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
