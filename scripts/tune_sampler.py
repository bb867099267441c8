"""Tune sampler strategies on the race's *tuning* seeds (100+), never the reporting seeds.

Usage: ``python scripts/tune_sampler.py '{"uniform": ["uniform", null], "rare20":
["rare", {"cell_cap": 20}]}' --seeds 5 --first-seed 100 --criterion style``. Prints the race
table (one column per variant, the first is the baseline) and the per-seed times, single
process, so the figures are comparable with ``python -m pymodel race --workers 1``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's pymodel

from dataclasses import replace  # noqa: E402

from pymodel.lab import race  # noqa: E402
from pymodel.lab.variants import Variant  # noqa: E402
from pymodel.sim import bots  # noqa: E402


def main() -> None:
    """Parse the variants and run the race over them."""
    ap = argparse.ArgumentParser()
    ap.add_argument("variants", help='JSON {"name": ["strategy", {knobs} | null]}, baseline first')
    ap.add_argument("--bots", default=",".join(bots.BOTS))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first-seed", type=int, default=100)
    ap.add_argument("--criterion", default="style")
    args = ap.parse_args()
    variants = [Variant(name, st, kn) for name, (st, kn) in json.loads(args.variants).items()]
    cfg = race.RaceConfig(lab=replace(race.RACE_LAB, criterion=args.criterion))
    start = time.perf_counter()
    names = args.bots.split(",")
    runs = race.run_race(names, args.seeds, cfg, variants, args.first_seed)
    summary = race.summarise(runs, cfg)
    print(race.format_table(summary, cfg))
    for name in (v.name for v in variants):
        per = {b: summary["table"][b][name]["times"] for b in names}
        print(f"  {name}: {per}")
    print(
        f"seeds {args.first_seed}..{args.first_seed + args.seeds - 1}, wall "
        f"{time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
