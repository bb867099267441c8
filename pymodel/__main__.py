"""Command line: ``python -m pymodel race|lab|duel|stylometry|record|bench|schema ...``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from .formats import sessionfile, weights
from .lab import duel, race, report, stylometry
from .lab.charts import chart_for, lab_chart, lab_svg, race_svg
from .lab.engine import LabConfig, LabRun
from .lab.judge import CRITERIA
from .lab.variants import PRESETS, Variant, preset_variants, variant_from
from .learn.networks import HIDDEN_ACTIVATIONS, Network
from .learn.sampler import DEFAULT_STRATEGY, STRATEGIES
from .learn.trainer import PLAY_CAPACITY, TrainerConfig
from .sim import bots
from .sim.features import DEFAULT_FEATURE_SET, FEATURE_SETS, feature_table
from .sim.recording import record_bot
from .sim.rules import MatchRules
from .sim.style import trait_table
from .worker.probe import cpython_figures
from .worker.protocol import message_table
from .worker.schema import knob_table, schema


def pool_map(workers: int) -> tuple[Callable, Callable[[], None]]:
    """A ``map`` over ``workers`` processes (the builtin one for 1) and how to close it:
    only the command line uses processes; Pyodide never gets here."""
    if workers <= 1:
        return map, lambda: None
    import multiprocessing as mp

    pool = mp.get_context("fork").Pool(workers)

    def imap(fn: Callable, jobs: list):  # one job at a time: balanced load
        return pool.imap_unordered(fn, jobs, chunksize=1)

    def close() -> None:
        pool.close()
        pool.join()

    return imap, close


def race_config(args: argparse.Namespace) -> race.RaceConfig:
    """The race's criteria from the command line: threshold, criterion, ``--stay`` (train on
    and judge later checks), ``--traits``, ``--quick`` and the horizon."""
    lab = replace(race.RACE_LAB, threshold=args.threshold, criterion=args.criterion)
    if args.stay:  # judge later checks after the first pass: train on to the end
        lab = replace(lab, keep_checking=True, stop_at_mirror=False, stay_matches=args.stay_matches)
    if args.traits:  # the clone's movement traits at the end, against the teacher's
        lab = replace(lab, final_traits=True)
    cfg = race.RaceConfig(lab=lab, max_seconds=args.max_seconds)
    if args.quick:  # a smoke run: shorter horizon and smaller profile samples
        lab = replace(cfg.lab, profile_matches=2)
        cfg = replace(cfg, lab=lab, max_seconds=min(cfg.max_seconds, 120.0))
    return cfg


def cmd_race(args: argparse.Namespace) -> int:
    """Run the race and print a table (or JSON); optionally write an SVG chart."""
    names = args.bots.split(",")
    unknown = [b for b in names if b not in bots.BOTS]
    if unknown:
        print(f"unknown bots {unknown}; known: {list(bots.BOTS)}", file=sys.stderr)
        return 2
    if args.stay_matches < 1:
        print("--stay-matches must be at least 1", file=sys.stderr)
        return 2
    cfg = race_config(args)
    try:
        variants = race.variants_of(args.strategies.split(","), args.knobs)
    except ValueError as exc:
        print(f"--strategies/--knobs: {exc}", file=sys.stderr)
        return 2
    if args.steps_per_second <= 0:
        print("--steps-per-second must be positive", file=sys.stderr)
        return 2
    if args.capacity < 1:
        print("--capacity must be at least 1", file=sys.stderr)
        return 2
    tcfg = TrainerConfig(steps_per_game_second=args.steps_per_second, capacity=args.capacity)
    if args.preset:
        try:
            variants = preset_variants(args.preset, args.feature_set, args.activation)
        except ValueError as exc:
            print(f"--preset: {exc}", file=sys.stderr)
            return 2
    if args.variants:
        try:
            variants = [variant_from(d) for d in json.loads(args.variants)]
        except (ValueError, TypeError) as exc:
            print(f"--variants: {exc}", file=sys.stderr)
            return 2
    start = time.perf_counter()
    map_jobs, close = pool_map(args.workers)
    try:
        results = race.run_race(names, args.seeds, cfg, variants, args.first_seed, tcfg, map_jobs)
    finally:
        close()
    summary = race.summarise(results, cfg)
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    summary["steps_per_game_second"] = tcfg.steps_per_game_second
    summary["capacity"] = tcfg.capacity
    summary["seeds"] = list(range(args.first_seed, args.first_seed + args.seeds))
    summary["preset"] = args.preset
    if args.preset or args.variants:
        summary["variants"] = [v.info() for v in variants]
    if args.chart:
        with open(args.chart, "w", encoding="utf-8") as f:
            f.write(chart_for(summary) if args.preset else race_svg(summary))
    if args.json:
        summary["runs"] = results
        for row in summary["table"].values():  # strict JSON: a censored median becomes null
            for cell in row.values():
                cell["median"] = cell["median"] if np.isfinite(cell["median"]) else None
        print(json.dumps(summary, indent=1, default=float, allow_nan=False))
        return 0
    if args.preset in ("priors", "frontier", "compute", "buffer"):
        print(report.report_for(summary))
        print(f"wall {summary['wall_seconds']} s")
        return 0
    print(race.format_table(summary, cfg))
    if args.stay or args.traits:
        print(race.movement_table(results))
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
    """Print the schema the page is built from (JSON), or one of the generated doc tables."""
    tables = {
        "knob_table": knob_table,
        "feature_table": feature_table,
        "trait_table": trait_table,
        "protocol_table": message_table,
    }
    chosen = [fn for name, fn in tables.items() if getattr(args, name)]
    print(chosen[0]() if chosen else json.dumps(schema(), indent=1))
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
        variants = preset_variants(args.preset, args.feature_set, args.activation)
        if args.knobs:
            variants.append(Variant("your knobs", "relevance", json.loads(args.knobs)))
        tcfg = TrainerConfig(steps_per_game_second=args.steps_per_second)
        run = LabRun(recording, variants, seeds, LabConfig(threshold=args.threshold), tcfg)
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
    summary = report.summarise(results)
    horizon = len(recording) * recording.params.dt
    # The priors presets read as the race does: one cell per variant, over all seeds.
    race_like = {
        "preset": args.preset,
        "table": {"all": summary},
        "variants": [v.info() for v in variants],
        "max_seconds": horizon,
    }
    special = args.preset in ("priors", "frontier", "compute", "buffer")
    if args.chart:
        chart = lab_chart(summary, run.cfg.threshold)
        with open(args.chart, "w", encoding="utf-8") as f:
            f.write(chart_for(race_like) if special else lab_svg(chart))
    if args.json:
        doc = {"seconds": horizon, "summary": report.jsonable(summary), "runs": results}
        print(json.dumps(doc, indent=1, allow_nan=False))
        return 0
    print(report.format_table(summary, horizon))
    print(report.report_for(race_like) if special else report.reading(summary, horizon))
    return 0


def cmd_stylometry(args: argparse.Namespace) -> int:
    """Train a clone per (teacher, seed) and name each clone's teacher from its play."""
    names = args.bots.split(",")
    unknown = [b for b in names if b not in bots.BOTS]
    if unknown or args.seeds < 1:
        print(f"need known bots ({list(bots.BOTS)}) and --seeds >= 1", file=sys.stderr)
        return 2
    try:
        variant = variant_of(args.feature_set, args.output, args.sampler, args.capacity)
    except ValueError as exc:
        print(f"--feature-set/--output/--sampler/--capacity: {exc}", file=sys.stderr)
        return 2
    cfg = stylometry.StylometryConfig(play_seconds=args.play_seconds)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    map_jobs, close = pool_map(args.workers)
    try:
        result = stylometry.run_stylometry(names, seeds, variant, cfg, map_jobs=map_jobs)
    finally:
        close()
    if args.json:
        print(json.dumps(result, indent=1, default=float))
    else:
        print(stylometry.format_confusion(result))
        print(f"seeds {seeds[0]}..{seeds[-1]}; variant {variant.name}")
    return 0


def read_clone(path: str) -> duel.Side:
    """A clone file as one side of a duel: named by its ``name``, else by its file name.
    Raises OSError or WeightsError."""
    with open(path, "rb") as f:
        text = f.read(weights.MAX_TEXT_CHARS + 1)  # the size check needs no more
    clone = weights.load(text)
    return duel.Side(clone.name or Path(path).name.removesuffix(".json"), clone)


def cmd_duel(args: argparse.Namespace) -> int:
    """Two clone files play matches, learning off for both; print the result table."""
    sides = []
    for path in (args.left, args.right):
        try:
            sides.append(read_clone(path))
        except OSError as exc:
            print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        except weights.WeightsError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
    try:
        rules = MatchRules(args.points, args.win_by)
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        match = duel.Duel(sides[0], sides[1], rules, seeds, args.max_seconds)
    except ValueError as exc:
        print(f"--points/--win-by/--seeds/--max-seconds: {exc}", file=sys.stderr)
        return 2
    while not match.done:
        match.step(12_000)
    result = match.result()
    if args.json:
        print(json.dumps(result, indent=1, allow_nan=False))
    else:
        print(result["table"])
    return 0


def variant_of(
    feature_set: str, output: str | None, sampler: str, capacity: int | None = None
) -> Variant:
    """A single variant from the command line's choices (validated)."""
    out = json.loads(output) if output else None
    name = f"{sampler} {feature_set}" + (f" #{capacity}" if capacity else "")
    v = Variant(name, sampler, net=Network(feature_set), output=out, capacity=capacity)
    v.validate()
    return v


def add_race(sub) -> None:
    """The ``race`` sub-command's options."""
    r = sub.add_parser("race", help="time-to-mirror per sampler strategy")
    r.add_argument(
        "--bots",
        default=",".join(bots.RACE_BOTS),
        help=f"comma-separated teachers; known: {', '.join(bots.BOTS)}",
    )
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
    r.add_argument("--threshold", type=float, default=race.RACE_LAB.threshold)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument(
        "--criterion",
        choices=list(CRITERIA),
        default=race.RACE_LAB.criterion,
        help="hit: hit offsets; style: hit offsets and waiting heights (fairer)",
    )
    r.add_argument(
        "--strategies",
        default=",".join(race.DEFAULT_VARIANTS),
        help="comma-separated sampler strategies, the baseline first (ratio = each / first); "
        f"known: {', '.join(STRATEGIES)}",
    )
    r.add_argument(
        "--knobs", metavar="JSON", help='knob overrides per strategy, {"name": {"knob": v}}'
    )
    r.add_argument("--quick", action="store_true", help="max 120 game s, smaller profiles")
    r.add_argument(
        "--stay",
        action="store_true",
        help="after a clone mirrors, train on and judge a longer check every "
        f"{race.RACE_LAB.stay_every:g} game s against a longer profile of the teacher "
        "(the teacher takes the same checks: its ceiling)",
    )
    r.add_argument(
        "--stay-matches",
        type=int,
        default=race.RACE_LAB.stay_matches,
        metavar="N",
        help="profile matches of each later check (default %(default)s)",
    )
    r.add_argument(
        "--traits",
        action="store_true",
        help="compare the final clone's movement with its teacher's",
    )
    r.add_argument("--preset", choices=list(PRESETS), help="race the Lab preset's variants")
    r.add_argument(
        "--variants",
        metavar="JSON",
        help='race these variants: [{"name", "strategy", "knobs", "feature_set", "output", '
        '"budget", "capacity", "lr", "batch", "ema"}, ...] (the first is the baseline)',
    )
    r.add_argument("--feature-set", choices=list(FEATURE_SETS), help="every variant's set")
    r.add_argument("--activation", choices=list(HIDDEN_ACTIVATIONS), help="only variants with it")
    r.add_argument("--json", action="store_true")
    r.add_argument("--chart", metavar="OUT.svg")
    r.set_defaults(fn=cmd_race)


def add_small(sub) -> None:
    """The ``bench``, ``schema`` and ``record`` sub-commands' options."""
    b = sub.add_parser("bench", help="training-step and game-tick throughput")
    b.add_argument("--repeats", type=int, default=5)
    b.set_defaults(fn=cmd_bench)
    sc = sub.add_parser("schema", help="the schema the page builds its controls from")
    sc.add_argument("--knob-table", action="store_true", help="the README's knob table")
    sc.add_argument("--feature-table", action="store_true", help="the README's feature table")
    sc.add_argument("--trait-table", action="store_true", help="docs/experiments.md's traits")
    sc.add_argument("--protocol-table", action="store_true", help="docs/protocol.md's messages")
    sc.set_defaults(fn=cmd_schema)
    rec = sub.add_parser("record", help="record a bot's play as a session file")
    rec.add_argument("bot", choices=list(bots.BOTS))
    rec.add_argument("--seconds", type=float, default=60.0)
    rec.add_argument("--seed", type=int, default=0)
    rec.add_argument("-o", "--out", required=True, metavar="OUT.json")
    rec.set_defaults(fn=cmd_record)


def add_lab(sub) -> None:
    """The ``lab`` and ``stylometry`` sub-commands' options."""
    la = sub.add_parser("lab", help="replay a session file into fresh clones per variant")
    la.add_argument("session", metavar="SESSION.json")
    la.add_argument("--preset", choices=list(PRESETS), default="curation")
    la.add_argument("--seeds", type=int, default=3, help="how many seeds")
    la.add_argument("--first-seed", type=int, default=0, help="seeds first..first+seeds-1")
    la.add_argument("--threshold", type=float, default=LabConfig.threshold)
    la.add_argument("--knobs", metavar="JSON", help="add relevance with these knobs")
    la.add_argument("--feature-set", choices=list(FEATURE_SETS), help="every variant's set")
    la.add_argument("--activation", choices=list(HIDDEN_ACTIVATIONS), help="only variants with it")
    la.add_argument(
        "--steps-per-second",
        type=float,
        default=TrainerConfig.steps_per_game_second,
        help="training budget: minibatch steps per game second (same for every variant)",
    )
    la.add_argument("--json", action="store_true")
    la.add_argument("--chart", metavar="OUT.svg")
    la.set_defaults(fn=cmd_lab)
    st = sub.add_parser("stylometry", help="name each clone's teacher from its play")
    st.add_argument("--bots", default=",".join(bots.BOTS), help="the teachers (all by default)")
    st.add_argument("--seeds", type=int, default=5)
    st.add_argument("--first-seed", type=int, default=0)
    st.add_argument("--play-seconds", type=float, default=60.0, help="the clone's play judged")
    st.add_argument("--feature-set", choices=list(FEATURE_SETS), default=DEFAULT_FEATURE_SET)
    st.add_argument("--output", metavar="JSON", help='output model, {"kind": "hysteresis"}')
    st.add_argument("--sampler", choices=list(STRATEGIES), default=DEFAULT_STRATEGY)
    st.add_argument(
        "--capacity",
        type=int,
        help=f"replay buffer frames (default {TrainerConfig.capacity}; the game's clone: "
        f"{PLAY_CAPACITY})",
    )
    st.add_argument("--workers", type=int, default=2)
    st.add_argument("--json", action="store_true")
    st.set_defaults(fn=cmd_stylometry)


def add_duel(sub) -> None:
    """The ``duel`` sub-command's options."""
    du = sub.add_parser("duel", help="two clone files play matches; the result table")
    du.add_argument("left", metavar="A.json", help="the clone on the left paddle")
    du.add_argument("right", metavar="B.json", help="the clone on the right paddle")
    du.add_argument("--points", type=int, default=MatchRules.points, help="first to this many")
    du.add_argument("--win-by", type=int, default=MatchRules.win_by, help="by this lead")
    du.add_argument("--seeds", type=int, default=1, help="matches, one per seed")
    du.add_argument("--first-seed", type=int, default=0, help="seeds first..first+seeds-1")
    du.add_argument(
        "--max-seconds",
        type=float,
        default=duel.DEFAULT_MAX_SECONDS,
        help="a match still open after this many game seconds goes to the leader",
    )
    du.add_argument("--json", action="store_true")
    du.set_defaults(fn=cmd_duel)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a sub-command."""
    ap = argparse.ArgumentParser(prog="python -m pymodel")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for add in (add_race, add_lab, add_duel, add_small):
        add(sub)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
