"""Mirror Pong benchmarks: training throughput, frame delivery on a desktop and on a phone,
boot, the Lab, time to mirror; every figure for the code before and after, side by side.

    python scripts/bench [--quick] [--json OUT.json] [--before REF | --no-before] [--jobs A,B]
    python scripts/bench --boot-only       the stock runtime (before) against site/ (after)
    python scripts/bench --trace [SECONDS] where the phone's main thread spends its time

(make bench, make bench-boot and make bench-trace build the site first.) One process tree:
this serves site/ and the 'before' site (sites.py), drives headless Chromium through
scripts/harness.py (the page-side code is in scripts/bench_page/*.js) and runs the race as a
child. Each job runs for both sites one after the other, so drift hits both alike; every
figure is printed with the load average while it was taken. The goals (report.GOALS) are
printed next to the figures, met or not; nothing here is tuned to meet them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as `python scripts/bench`: scripts/ is the import root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import ROOT, SITE, launch, serve  # noqa: E402

from bench import boot, budgets, lab, play, report, sites, trace, training  # noqa: E402
from bench.common import load, measured  # noqa: E402


def jobs(quick: bool) -> list[tuple[str, Callable]]:
    """(section, run(browser, server, site)) for each job of a full run, in order."""
    play_s = 15.0 if quick else 60.0
    loads = 2 if quick else 5
    phone_loads = 2 if quick else 3
    repeats, seconds = (3, 1.0) if quick else (5, 2.0)

    def phone(rate: float):
        def run(browser, server, site):
            figures = play.bench_phone(browser, server.url, rate, play_s)
            return {**figures, **boot.phone_boot(browser, server.url, rate, phone_loads)}

        return run

    return [
        ("boot", lambda b, s, _: boot.bench_boot(b, s, loads)),
        ("training", lambda b, s, _: training.bench_training(b, s.url, repeats, seconds)),
        ("desktop", lambda b, s, _: play.bench_desktop(b, s.url, play_s)),
        ("phone1x", phone(1)),
        ("phone4x", phone(4)),
        ("budgets", lambda b, s, _: budgets.bench_budgets(b, s, 20.0 if quick else 60.0)),
        ("lab", lambda b, s, _: lab.bench_lab(b, s.url, 60.0 if quick else 300.0)),
    ]


JOBS = [name for name, _ in jobs(quick=True)] + ["race"]


def measure(site_list: list, job_list: list, prefix: str = "/") -> tuple[dict, str]:
    """Run every job for every site (sites in turn within each job); {label: {section:
    figures}} and the browser's version."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, dict] = {s.label: {} for s in site_list}
    servers = {s.label: serve(s.path, prefix=prefix) for s in site_list}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            version = browser.version
            for section, run in job_list:
                for s in site_list:
                    print(f"bench: {section}, {s.label} (load {load():.1f}) ...", flush=True)
                    runs[s.label][section] = measured(run, browser, servers[s.label], s)
            browser.close()
    finally:
        for server in servers.values():
            server.close()
    return runs, version


def context_lines(version: str, site_list: list, load_start: float, start: float) -> list[str]:
    """What the figures were taken on."""
    return [
        *(s.note for s in site_list),
        f"Chromium {version} headless, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; load average "
        f"{load_start:.1f} at the start, {load():.1f} at the end; wall "
        f"{time.perf_counter() - start:.0f} s",
    ]


def run_full(args) -> tuple[dict, str]:
    """The full benchmark (or --quick): every job for before and after, then the race."""
    site_list = [sites.after_site()]
    if not args.no_before:
        ref = args.before or sites.default_before()
        print(f"bench: building the 'before' site from {ref} ...", flush=True)
        site_list.insert(0, sites.before_site(ref))
    start, load_start = time.perf_counter(), load()
    chosen = [(name, run) for name, run in jobs(args.quick) if name in args.jobs]
    runs, version = measure(site_list, chosen)
    races: list[tuple[dict, dict]] = []  # (the code the race ran, its figures)
    for s in site_list if "race" in args.jobs else []:
        code = sites.race_code(s.tree)
        done = next((r for c, r in races if c == code), None)
        if done is None:
            print(f"bench: race, {s.label} ...", flush=True)
            done = {**lab.bench_race(args.quick, s.tree), "load": load()}
            races.append((code, done))
        else:  # deterministic: the same code gives the same table
            done = {**done, "same_as": "(before and after run the same race code: run once)"}
        runs[s.label]["race"] = done
    lines = context_lines(version, site_list, load_start, start)
    return runs, report.report(runs, [*lines, *report.summary(runs)])


def run_boot_only(args) -> tuple[dict, str]:
    """Boot figures alone: the stock runtime, no service worker (before) against site/
    (after), both served under a sub-path."""
    from build_site import build

    stock = ROOT / "build" / "bench-stock-site"
    print("bench: building the stock ('before') site ...", flush=True)
    build(stock, stock=True)
    site_list = [
        sites.Site("before", stock, ROOT, "before: Pyodide's runtime as shipped, no sw.js"),
        sites.after_site(),
    ]
    loads = 3 if args.quick else 5
    start, load_start = time.perf_counter(), load()
    job = [("boot", lambda b, s, _: boot.bench_boot(b, s, loads))]
    runs, version = measure(site_list, job, prefix="/mirror-pong/")
    return runs, report.report(runs, context_lines(version, site_list, load_start, start))


def run_trace(args) -> tuple[dict, str]:
    """A performance trace of the phone at 4x throttling, before and after."""
    site_list = [sites.after_site()]
    if not args.no_before:
        site_list.insert(0, sites.before_site(args.before or sites.default_before()))
    out = ROOT / "build" / "bench-trace"
    out.mkdir(parents=True, exist_ok=True)
    start, load_start = time.perf_counter(), load()

    def job(browser, server, site):
        return trace.trace_phone(browser, server.url, 4, args.trace, out / f"{site.label}.json")

    runs, version = measure(site_list, [("trace", job)])
    table = trace.trace_table({label: r["trace"] for label, r in runs.items()})
    lines = context_lines(version, site_list, load_start, start)
    text = "\n".join([f"phone 390x844, DPR 3, touch, CPU 4x slower: {args.trace:g} s traced",
                      table, f"traces: {out}/", *lines])  # fmt: skip
    return runs, text


def main() -> int:
    ap = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="short runs, quick race (a smoke test)")
    ap.add_argument("--json", metavar="OUT.json", help="also save every figure as JSON")
    ap.add_argument("--before", metavar="REF", help="the commit to compare with (default: "
                    "where this branch left main)")  # fmt: skip
    ap.add_argument("--no-before", action="store_true", help="measure site/ alone")
    ap.add_argument("--boot-only", action="store_true",
                    help="only boot: before (stock runtime) and after (this build)")  # fmt: skip
    ap.add_argument("--trace", type=float, nargs="?", const=10.0, metavar="SECONDS",
                    help="trace the phone at 4x for SECONDS (10), broken down")  # fmt: skip
    ap.add_argument("--jobs", default=",".join(JOBS), metavar="A,B",
                    help=f"only these jobs, of {','.join(JOBS)} (default: all)")  # fmt: skip
    args = ap.parse_args()
    args.jobs = args.jobs.split(",")
    unknown = sorted(set(args.jobs) - set(JOBS))
    if unknown:
        ap.error(f"--jobs: unknown {unknown}; known: {','.join(JOBS)}")
    if not (SITE / "index.html").is_file():
        sys.exit("bench: site/ is not built; run `make site` (make bench does)")
    run = run_boot_only if args.boot_only else run_trace if args.trace else run_full
    runs, text = run(args)
    print()
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
