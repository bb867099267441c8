"""Does the clone move like its player in the real page? Several runs, not one.

A scripted human-like player (``harness.play_late``: it reacts ``--lag`` seconds late and
holds each key at least ``--hold`` seconds) plays the built site in headless Chromium for
``--seconds`` of real time against a clone of the chosen network and output model; the
worker's own style report over the last ``--window`` game seconds then gives the clone's
movement traits over the player's. One run scatters widely (docs/experiments.md, "In the real
page"), so this plays ``--runs`` runs, one after another on page seeds ``--seed``,
``--seed + 1``, ..., prints a row per run with the machine's load, and the medians.

    .venv/bin/python scripts/page_movement.py --runs 3 --output '{"kind": "sample"}'
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from harness import SITE, launch, open_game, play_late, request, serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pymodel.sim import style  # noqa: E402

TRAITS = ("switches_per_rally", "reversals_per_min", "turn_reaction_s", "reaction_s", "hold_s")
SHOWN = (*TRAITS, "returns")


def ratios(report: dict) -> dict:
    """The clone's traits over the player's (None where either is missing or the player's is
    0), from a ``get_style`` reply, and ``misses``: the judged traits the ``moves`` test's own
    check (``style.ratio_check``, its floor included) finds outside their tolerance."""
    you, clone = report["left"], report["right"]
    out: dict = {"misses": []}
    for name in SHOWN:
        y, c = style.value_of(you, name), style.value_of(clone, name)
        out[name] = c / y if y and c is not None else None
        t = style.BY_NAME[name]
        if t.ratio is not None and None not in (y, c) and style.ratio_check(t, c, y):
            out["misses"].append(name)
    return out


def within(name: str, row: dict) -> bool | None:
    """Whether a run's trait is within its tolerance (None: not judged or not measured; a row
    without ``misses``, such as the medians, misses nothing)."""
    if style.BY_NAME[name].ratio is None or row.get(name) is None:
        return None
    return name not in row.get("misses", ())


def medians(rows: list[dict]) -> dict:
    """The median of each ratio over the runs that measured it (None when none did)."""
    out = {}
    for name in SHOWN:
        vals = [r[name] for r in rows if r.get(name) is not None]
        out[name] = statistics.median(vals) if vals else None
    return out


def table(rows: list[dict], loads: list[tuple[float, float]]) -> str:
    """One line per run (the ratios, * = outside the tolerance, the load before and after),
    the medians, and how many runs were within each judged trait's tolerance."""
    head = f"{'run':<8}" + "".join(f"{n:>20}" for n in SHOWN) + f"{'load':>14}"

    def cells(r: dict) -> str:
        out = ""
        for n in SHOWN:
            v = r.get(n)
            mark = "*" if within(n, r) is False else " "
            out += f"{'-' if v is None else f'{v:.2f}':>19}{mark}"
        return out

    def counts() -> str:
        out = ""
        for n in SHOWN:
            judged = [w for w in (within(n, r) for r in rows) if w is not None]
            out += f"{f'{sum(judged)}/{len(judged)}' if judged else '-':>19} "
        return out

    lines = [head]
    for i, (r, (a, b)) in enumerate(zip(rows, loads, strict=True)):
        lines.append(f"{i:<8}" + cells(r) + f"{a:>7.2f}{b:>7.2f}")
    lines.append(f"{'median':<8}" + cells(medians(rows)))  # judged per run, not here
    lines.append(f"{'within':<8}" + counts())
    return "\n".join(lines)


def one_run(browser, url: str, args: argparse.Namespace) -> dict:
    """Play one run on a fresh page and return the clone's ratios."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        open_game(page, url)
        request(page, "pause", {"paused": False})
        request(page, "set_network", {"feature_set": args.feature_set})
        if args.output:
            request(page, "set_output", {"output": json.loads(args.output)})
        page.locator("#court-canvas").focus()
        play_late(page, args.seconds, args.lag, args.hold, args.offset)
        return ratios(request(page, "get_style", {"window_s": args.window}))
    finally:
        page.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs, one after another (3)")
    ap.add_argument("--seconds", type=float, default=240.0, help="real seconds a run (240)")
    ap.add_argument("--seed", type=int, default=19, help="the first run's ?seed= (19)")
    ap.add_argument("--feature-set", default="engineered+time", help="(engineered+time)")
    ap.add_argument("--output", default="", help='output model JSON, e.g. \'{"kind": "sample"}\'')
    ap.add_argument("--sampler", default="", help="the page's ?sampler= (its budget's if unset)")
    ap.add_argument("--window", type=float, default=90.0, help="style window, game s (90)")
    ap.add_argument("--lag", type=float, default=0.25, help="reaction lag, seconds (0.25)")
    ap.add_argument("--hold", type=float, default=0.15, help="shortest key press, s (0.15)")
    ap.add_argument("--offset", type=float, default=0.3, help="where it meets the ball (0.3)")
    ap.add_argument("--json", action="store_true", help="print the runs as JSON instead")
    args = ap.parse_args()
    if args.runs < 1:
        sys.exit("page_movement: --runs must be at least 1")
    if not (SITE / "index.html").is_file():
        sys.exit("page_movement: site/ is not built; run `make site`")
    from playwright.sync_api import sync_playwright

    rows, loads = [], []
    server = serve(SITE)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for k in range(args.runs):
                url = f"{server.url}?seed={args.seed + k}"
                if args.sampler:
                    url += f"&sampler={args.sampler}"
                before = os.getloadavg()[0]
                rows.append(one_run(browser, url, args))
                loads.append((before, os.getloadavg()[0]))
                print(f"run {k + 1}/{args.runs} done", file=sys.stderr)
            browser.close()
    finally:
        server.close()
    if args.json:
        print(json.dumps({"runs": rows, "loads": loads, "medians": medians(rows)}, indent=1))
    else:
        print("clone / player over the last", f"{args.window:g} game s; * = outside tolerance")
        print(table(rows, loads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
