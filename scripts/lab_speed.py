"""How fast the Lab replays: a 5-minute bot recording, one variant, one seed, wall seconds.

The browser goal is 20x real time in Pyodide (a 5-minute recording in <= 15 s); CPython is
about 5x faster, so the CPython figure should stay well under 3 s. Also prints the share of
the time spent in training steps (the fixed budget, 60 steps per game second), which no
replay code can remove.

    python scripts/lab_speed.py [--bot tracker] [--seconds 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pymodel import lab  # noqa: E402
from pymodel.recording import record_bot  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bot", default="tracker")
    ap.add_argument("--seconds", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rec = record_bot(args.bot, args.seed, args.seconds)
    for variant in lab.PRESETS["curation"]:
        start = time.perf_counter()
        run = lab.LabRun(rec, [variant], [args.seed])
        while not run.done:
            run.step()
        wall = time.perf_counter() - start
        r, tr = run.results()[0], run.runs[0].trainer
        checks = sum(1 for _, a in r["curve"] if a is not None and a >= run.cfg.threshold)
        print(
            f"{variant.name:<10} {wall:5.2f} s wall for {args.seconds:g} game s "
            f"({args.seconds / wall:.0f}x real time); training steps {tr.steps} took "
            f"{tr.train_seconds:.2f} s ({tr.train_seconds / wall:.0%}); "
            f"evals >= threshold {checks}; time to mirror {r['time']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
