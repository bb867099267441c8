"""Mirror Pong benchmarks: training throughput, frame delivery, boot, time to mirror.

    python scripts/bench.py [--quick] [--json OUT.json]     (make bench builds the site first)

One process tree: this script serves site/ and drives headless Chromium through
scripts/harness.py (the same harness as the end-to-end tests; the page-side code is in
scripts/bench_page/*.js), and runs
`python -m pymodel race` as a child. Every figure is a median of repeats taken in this run, and
the comparisons are ratios of figures taken side by side (these machines are noisy: absolute
numbers are context, the ratios are the result). The goals of issue 6 are printed next to the
figures, met or not; nothing here is tuned to meet them.

1. Training steps/s of the default network and batch, the trainer's own loop (a `bench`
   request, mode 'train', on synthetic frames; pymodel.benchmark, the same code as
   `python -m pymodel bench`): (a) CPython in this process, (b) Pyodide in the
   page's worker with the game paused, (c) the worker while the game runs and the page draws,
   training in the time between ticks (mode 'turbo'), (d) scripts/jsmlp.js in a Worker.
   Repeats are interleaved a, b, d, c so drift hits all alike.
2. Frame delivery while a scripted keyboard player plays: rAF intervals, the worker's cost per
   tick and per advance (mode 'stats'), and key event -> first drawn frame showing the move
   (window.mirrorPong.rendered()).
3. Boot: navigation start -> mirrorPong.ready, cold (fresh context), warm (reload) and
   offline (reload with the network off, served by the service worker), the worker's time in
   each boot stage, and the bytes on the wire of a cold boot as the server counts them
   (headers and gzip bodies, like GitHub Pages; the service worker's own fetches included).
   `--boot-only`: only this, before (build_site.py --stock: Pyodide's runtime as shipped, no
   service worker) and after (site/), side by side in one run under a sub-path.
4. The Lab: a bot's 5-minute recording replayed in the Lab's worker, one variant and seed
   (goal: at least 20x real time), and the same replay in CPython.
5. Time to mirror: the race table of `python -m pymodel race`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from harness import ROOT, SITE, hold_keys, launch, page_js, request, serve

sys.path.insert(0, str(ROOT))
from pymodel.worker.probe import cpython_train_rate  # noqa: E402

FRAME_MS = 1000 / 60  # the display period the goals are stated against
BOOT_TIMEOUT_MS = 120_000

# The goals, as data: (figure, how it reads, target text, test on the results).
GOALS = [
    ("c_over_b", "(c)/(b): cost of the game loop and messaging", ">= 0.8", lambda v: v >= 0.8),
    ("b_over_d", "(b)/(d): numpy in Pyodide vs hand-written JS", ">= 1.0", lambda v: v >= 1.0),
    (
        "interval_p99_ms",
        "rAF interval p99",
        f"< {1.5 * FRAME_MS:.1f} ms",
        lambda v: v < 1.5 * FRAME_MS,
    ),
    (
        "input_median_ms",
        "input to screen, median",
        f"< {2 * FRAME_MS:.1f} ms",
        lambda v: v is not None and v < 2 * FRAME_MS,
    ),
    ("warm_ms", "warm boot, navigation to ready", "< 2 s", lambda v: v < 2000),
    ("lab_speedup", "Lab replay, times real time", ">= 20x", lambda v: v >= 20),
    ("cold_bytes", "cold transfer", "< 8 MB", lambda v: v < 8e6),
    ("offline_ms", "offline boot", "< 2 s", lambda v: v is not None and v < 2000),
]


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (numpy's linear interpolation); NaN for no values."""
    return float(np.percentile(values, q)) if values else float("nan")


# ---------------------------------------------------------------------------------- boot
def open_page(context, url: str):
    """A new page of `context` that keeps its errors."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


def boot_once(page, url: str, reload: bool = False) -> float:
    """Milliseconds from navigation start to mirrorPong.ready (performance.now at ready)."""
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_function("() => !!window.mirrorPong", timeout=30_000)
    return page.evaluate(page_js("wait_ready"), BOOT_TIMEOUT_MS)


STAGES = ("runtime", "numpy_load", "numpy_import", "pymodel_import", "session")


def stage_times(page) -> dict:
    """The worker's ms per boot stage (window.mirrorPong.bootTimes()), {} if not reported."""
    return page.evaluate("() => window.mirrorPong.bootTimes?.() || {}") or {}


def wait_cached(page, timeout_ms: int = 60_000) -> bool:
    """Wait until the service worker controls the page and keeps every boot file (what an
    offline reload needs); False if the site has no service worker."""
    return page.evaluate(page_js("wait_cached"), timeout_ms)


def bench_boot(browser, server, loads: int, offline: bool = True) -> dict:
    """Cold boots (fresh contexts), then warm reloads and offline reloads in the last one.
    Bytes on the wire are counted by the server (headers and bodies, gzip as Pages sends),
    the service worker's own fetches included."""
    url = server.url
    cold, cold_bytes, warm, warm_bytes, off = [], [], [], [], []
    warm_stages: dict[str, list[float]] = {k: [] for k in STAGES}
    cold_stages: dict[str, list[float]] = {k: [] for k in STAGES}
    for i in range(loads):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = open_page(context, url)
        before = server.httpd.bytes_sent
        cold.append(boot_once(page, url))
        for k, v in stage_times(page).items():
            cold_stages.setdefault(k, []).append(v)
        has_sw = wait_cached(page)
        page.wait_for_timeout(300)  # late responses (icons) land in the count
        cold_bytes.append(server.httpd.bytes_sent - before)
        if i == loads - 1:  # warm loads: reloads in the last context
            for _ in range(loads):
                before = server.httpd.bytes_sent
                warm.append(boot_once(page, url, reload=True))
                for k, v in stage_times(page).items():
                    warm_stages.setdefault(k, []).append(v)
                page.wait_for_timeout(300)
                warm_bytes.append(server.httpd.bytes_sent - before)
            if offline and has_sw:
                context.set_offline(True)
                for _ in range(3):
                    off.append(boot_once(page, url, reload=True))
                context.set_offline(False)
        if page.errors:
            raise RuntimeError(f"page errors while booting: {page.errors}")
        context.close()
    warm_ms = statistics.median(warm)
    med = {k: statistics.median(v) for k, v in warm_stages.items() if v}
    return {
        "cold_ms": statistics.median(cold),
        "warm_ms": warm_ms,
        "offline_ms": statistics.median(off) if off else None,
        "cold_all_ms": cold,
        "warm_all_ms": warm,
        "offline_all_ms": off,
        "cold_bytes": statistics.median(cold_bytes),
        "warm_bytes": statistics.median(warm_bytes),
        "warm_stages_ms": med,
        "cold_stages_ms": {k: statistics.median(v) for k, v in cold_stages.items() if v},
        # What the stages leave of navigation -> ready: the page, the service worker, the
        # worker starting, the schema and init requests.
        "warm_other_ms": warm_ms - sum(med.values()),
    }


def boot_rows(before: dict | None, after: dict) -> list[tuple[str, str, str, str]]:
    """Rows of the boot table: (figure, before, after, goal and verdict)."""

    def fig(key: str, r: dict | None) -> str:
        if r is None or r.get(key) is None:
            return "-"
        v = r[key]
        return f"{v / 1e6:.2f} MB" if key.endswith("bytes") else f"{v / 1000:.2f} s"

    goals = {
        "warm_ms": ("< 2 s (stretch < 1.5 s)", lambda v: v < 2000),
        "cold_bytes": ("< 8 MB", lambda v: v < 8e6),
        "offline_ms": ("< 2 s", lambda v: v is not None and v < 2000),
    }
    names = {
        "warm_ms": f"warm boot, median of {len(after['warm_all_ms'])}",
        "cold_ms": f"cold boot, median of {len(after['cold_all_ms'])}",
        "cold_bytes": "cold transfer (server-counted)",
        "warm_bytes": "warm transfer",
        "offline_ms": f"offline boot, median of {len(after['offline_all_ms'])}",
    }
    rows = []
    for key, name in names.items():
        goal = ""
        if key in goals:
            text, test = goals[key]
            goal = f"{text}: {'met' if test(after[key]) else 'NOT MET'}"
        rows.append((name, fig(key, before), fig(key, after), goal))
    for r, label in ((before, "before"), (after, "after")):
        if r is None:
            continue
        total = r["warm_ms"]
        parts = [f"{k} {v:.0f} ms ({100 * v / total:.0f}%)" for k, v in r["warm_stages_ms"].items()]
        parts.append(f"other {r['warm_other_ms']:.0f} ms ({100 * r['warm_other_ms'] / total:.0f}%)")
        rows.append((f"warm stages, {label}", "", "", "; ".join(parts)))
    return rows


def format_boot(rows: list[tuple[str, str, str, str]]) -> str:
    """The boot table as text."""
    head = ("boot figure", "before", "after", "goal")
    w = [max(len(x[i]) for x in [head, *rows]) for i in range(3)]
    lines = [f"{a:<{w[0]}}  {b:>{w[1]}}  {c:>{w[2]}}  {d}".rstrip() for a, b, c, d in [head, *rows]]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def run_boot_only(loads: int, json_out: str | None) -> int:
    """Boot figures alone, before (stock runtime, no service worker: build_site.py --stock)
    and after (this build), side by side in one run, both served under a sub-path."""
    from build_site import build
    from playwright.sync_api import sync_playwright

    stock = ROOT / "build" / "bench-stock-site"
    print("bench: building the stock ('before') site ...", flush=True)
    build(stock, stock=True)
    load_before = os.getloadavg()
    results: dict = {}
    with sync_playwright() as p:
        browser = launch(p)
        version = browser.version
        for label, site in (("before", stock), ("after", SITE)):
            server = serve(site, prefix="/mirror-pong/")
            try:
                print(f"bench: boot, {label} ({site}) ...", flush=True)
                results[label] = bench_boot(browser, server, loads)
            finally:
                server.close()
        browser.close()
    results["context"] = (
        f"Chromium {version} headless, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in load_before)} at start, "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end"
    )
    print()
    print(format_boot(boot_rows(results["before"], results["after"])))
    print(results["context"])
    if json_out:
        Path(json_out).write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 0


# ---------------------------------------------------------------------------- throughput
def js_baseline_page(browser, url: str):
    """A page for (d), the hand-written JS MLP: the bench's own worker, made from a blob URL,
    which the game's Content-Security-Policy rightly refuses (worker-src 'self'), so it runs
    in a context that bypasses the policy, on a plain document of the same site."""
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(url + "manifest.json")
    page.evaluate(page_js("js_worker"), (ROOT / "scripts" / "jsmlp.js").read_text())
    return page


def bench_training(page, repeats: int, seconds: float, js_page) -> dict:
    request(page, "pause", {"paused": True})
    a, b, c, d, c_ticks, c_raf = [], [], [], [], [], []
    sizes = batch = None
    for _ in range(repeats):
        r = cpython_train_rate(seconds)
        a.append(r["steps_per_s"])
        sizes, batch = r["sizes"], r["batch"]
        r = request(page, "bench", {"mode": "train", "seconds": seconds})
        assert r["sizes"] == sizes and r["batch"] == batch, r
        b.append(r["steps_per_s"])
        r = js_page.evaluate(
            page_js("js_run"), {"sizes": sizes, "batch": batch, "seconds": seconds}
        )
        d.append(r["steps_per_s"])
        request(page, "pause", {"paused": False})
        page.wait_for_timeout(300)  # the loop settles into play
        page.evaluate(page_js("record_raf"))
        request(page, "bench", {"mode": "turbo", "on": True})
        time.sleep(seconds)
        r = request(page, "bench", {"mode": "turbo", "on": False})
        raf = page.evaluate("() => { window.__benchRaf.on = false; return window.__benchRaf.raf; }")
        c.append(r["steps_per_s"])
        c_ticks.append(r["ticks"] / r["seconds"])
        c_raf += [y - x for x, y in zip(raf, raf[1:], strict=False)]
        request(page, "pause", {"paused": True})
    med = {k: statistics.median(v) for k, v in (("a", a), ("b", b), ("c", c), ("d", d))}
    return {
        "sizes": sizes,
        "batch": batch,
        "repeats": repeats,
        "seconds_each": seconds,
        **{f"{k}_steps_per_s": v for k, v in med.items()},
        **{f"{k}_all": v for k, v in (("a", a), ("b", b), ("c", c), ("d", d))},
        "c_ticks_per_s": statistics.median(c_ticks),
        "c_frame_p99_ms": pct(c_raf, 99),
        "b_over_a": med["b"] / med["a"],
        "c_over_b": med["c"] / med["b"],
        "b_over_d": med["b"] / med["d"],
    }


# ------------------------------------------------------------------------ frame delivery
def follow_ball(frame: dict) -> str | None:
    """The scripted player's style: follow the ball while it comes, go home when it leaves."""
    y = frame["paddles"]["left"]["y"]
    target = frame["ball"]["y"] if frame["ball"]["vx"] < 0 else frame["court"]["h"] / 2
    return "ArrowUp" if target < y - 0.04 else "ArrowDown" if target > y + 0.04 else None


def input_latencies(draws: list, keys: list) -> tuple[list[float], int]:
    """Key down -> first later draw whose human paddle moved that way; (latencies, excluded)."""
    out, excluded = [], 0
    for t, kind, code in keys:
        if kind != "down" or code not in ("ArrowUp", "ArrowDown"):
            continue
        sign = -1 if code == "ArrowUp" else 1
        later = [i for i, d in enumerate(draws) if d[0] > t]
        found = None
        for i in later:
            if draws[i][0] - t > 500:
                break
            if i > 0 and (draws[i][1] - draws[i - 1][1]) * sign > 1e-6:
                found = draws[i][0] - t
                break
        if found is None:
            excluded += 1  # pressed against a wall, or released before it showed
        else:
            out.append(found)
    return out, excluded


def bench_frames(page, seconds: float) -> dict:
    request(page, "pause", {"paused": False})
    page.bring_to_front()
    page.click("#court-canvas")  # focus, as a player would
    page.wait_for_timeout(500)
    request(page, "bench", {"mode": "stats", "reset": True})
    page.evaluate(page_js("record_frames"))
    hold_keys(page, seconds, follow_ball)
    rec = page.evaluate("() => { window.__benchRec.on = false; return window.__benchRec; }")
    stats = request(page, "bench", {"mode": "stats"})
    raf = rec["raf"]
    gaps = [y - x for x, y in zip(raf, raf[1:], strict=False)]
    lat, excluded = input_latencies(rec["draws"], rec["keys"])
    return {
        "seconds": seconds,
        "frames": len(raf),
        "interval_median_ms": statistics.median(gaps),
        "interval_p95_ms": pct(gaps, 95),
        "interval_p99_ms": pct(gaps, 99),
        "late_share": sum(g > 1.5 * FRAME_MS for g in gaps) / len(gaps),
        "tick_ms": stats["tick_ms"],
        "advance_ms": stats["advance_ms"],
        "input_presses": len(lat),
        "input_excluded": excluded,
        "input_median_ms": statistics.median(lat) if lat else None,
        "input_p95_ms": pct(lat, 95) if lat else None,
    }


# ---------------------------------------------------------------------------------- lab
def bench_lab(page, seconds: float) -> dict:
    """The Lab's worker on a bot's recording of ``seconds``: one variant, one seed, in the
    browser; and the same replay in CPython here, for the ratio."""
    from pymodel.formats import sessionfile
    from pymodel.lab.engine import replay
    from pymodel.lab.variants import Variant
    from pymodel.sim.recording import record_bot

    text = sessionfile.to_json(record_bot("tracker", 0, seconds))
    r = page.evaluate(page_js("lab_speed"), [text, "relevance"])
    rec, _ = sessionfile.from_json(text)
    start = time.perf_counter()
    replay(rec, [Variant("relevance", "relevance")], [0])
    cpython_s = time.perf_counter() - start
    replay_s = r["replay_ms"] / 1000
    return {
        "seconds": r["seconds"],
        "lab_boot_and_load_s": r["boot_and_load_ms"] / 1000,
        "lab_replay_s": replay_s,
        "lab_speedup": r["seconds"] / replay_s,
        "lab_cpython_s": cpython_s,
    }


# --------------------------------------------------------------------------------- race
def bench_race(quick: bool) -> dict:
    cmd = [sys.executable, "-m", "pymodel", "race"] + (["--quick"] if quick else [])
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return {
        "command": " ".join(cmd[1:]),
        "table": done.stdout.rstrip(),
        "wall_s": time.perf_counter() - start,
    }


# -------------------------------------------------------------------------------- report
def report(r: dict) -> str:
    """The table: every figure, and next to those with a goal (GOALS) the target and verdict."""
    t, f, b, lb = r["training"], r["frames"], r["boot"], r["lab"]
    figures = {**t, **f, **b, **lb}
    goals = {key: (target, test) for key, _, target, test in GOALS}
    rows = []

    def row(name: str, value: str, key: str | None = None) -> None:
        target, verdict = "", ""
        if key in goals:
            target, test = goals[key]
            verdict = "met" if test(figures[key]) else "NOT MET"
        rows.append((name, value, target, verdict))

    sz = "-".join(map(str, t["sizes"]))
    row(f"1. training, batch {t['batch']}, {sz} (steps/s)", "")
    row("  (a) CPython numpy", f"{t['a_steps_per_s']:,.0f}")
    row("  (b) Pyodide worker, game paused", f"{t['b_steps_per_s']:,.0f}")
    row("  (c) Pyodide worker, game running", f"{t['c_steps_per_s']:,.0f}")
    row("      game ticks/s during (c)", f"{t['c_ticks_per_s']:.0f}")
    row("      p99 frame interval during (c)", f"{t['c_frame_p99_ms']:.1f} ms")
    row("  (d) JS Float64Array MLP, Worker", f"{t['d_steps_per_s']:,.0f}")
    row("  (b)/(a)", f"{t['b_over_a']:.2f}")
    row("  (c)/(b)", f"{t['c_over_b']:.2f}", "c_over_b")
    row("  (b)/(d)", f"{t['b_over_d']:.2f}", "b_over_d")
    row(f"2. frame delivery, {f['seconds']:.0f} s of keyboard play", "")
    row(
        "  rAF interval median / p95",
        f"{f['interval_median_ms']:.1f} / {f['interval_p95_ms']:.1f} ms",
    )
    row("  rAF interval p99", f"{f['interval_p99_ms']:.1f} ms", "interval_p99_ms")
    row("  frames later than 1.5 periods", f"{100 * f['late_share']:.2f} %")
    tk, adv = f["tick_ms"], f["advance_ms"]
    row("  worker tick median / p99", f"{tk['median']:.3f} / {tk['p99']:.3f} ms")
    row("  worker advance median / p99", f"{adv['median']:.2f} / {adv['p99']:.2f} ms")
    lat = f["input_median_ms"]
    value = "no presses measured" if lat is None else f"{lat:.1f} ms (p95 {f['input_p95_ms']:.1f})"
    row(f"  input to screen median ({f['input_presses']} presses)", value, "input_median_ms")
    row(f"3. boot (median of {len(b['cold_all_ms'])} loads each)", "")
    row("  cold cache, navigation to ready", f"{b['cold_ms'] / 1000:.2f} s")
    row("  warm cache, navigation to ready", f"{b['warm_ms'] / 1000:.2f} s", "warm_ms")
    row(
        "  cold transfer (server-counted, gzip)",
        f"{b['cold_bytes'] / 1e6:.2f} MB",
        "cold_bytes",
    )
    row("  warm transfer", f"{b['warm_bytes'] / 1e6:.2f} MB")
    off = b.get("offline_ms")
    off = "-" if off is None else f"{off / 1000:.2f} s"
    row("  offline, navigation to ready", off, "offline_ms")
    row(f"4. Lab: a {lb['seconds']:.0f} s recording, one variant and seed", "")
    row("  Lab worker boot + load", f"{lb['lab_boot_and_load_s']:.1f} s")
    row("  replay in the browser", f"{lb['lab_replay_s']:.1f} s")
    row("  times real time", f"{lb['lab_speedup']:.1f}x", "lab_speedup")
    row("  the same replay in CPython", f"{lb['lab_cpython_s']:.1f} s")

    w = [max(len(x[i]) for x in rows) for i in range(3)]
    lines = [f"{n:<{w[0]}}  {v:>{w[1]}}  {g:<{w[2]}}  {m}".rstrip() for n, v, g, m in rows]
    head = f"{'figure':<{w[0]}}  {'value':>{w[1]}}  {'goal':<{w[2]}}  met?"
    stages = ", ".join(f"{k} {v:.0f}" for k, v in b["warm_stages_ms"].items())
    lines.append(f"  warm boot by stage (ms): {stages}, other {b['warm_other_ms']:.0f}")
    out = [head, "-" * len(head), *lines, "", "5. time to mirror: " + r["race"]["command"]]
    out.append(r["race"]["table"])
    out.append("")
    out.append(r["context"])
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="short runs, quick race (a smoke test)")
    ap.add_argument("--json", metavar="OUT.json", help="also save every figure as JSON")
    ap.add_argument(
        "--boot-only",
        action="store_true",
        help="only the boot figures: before (stock runtime) and after (this build)",
    )
    args = ap.parse_args()
    if not (SITE / "index.html").is_file():
        sys.exit("bench: site/ is not built; run `make site` (make bench does)")
    if args.boot_only:
        return run_boot_only(3 if args.quick else 5, args.json)
    repeats, seconds = (3, 1.0) if args.quick else (5, 2.0)
    loads = 2 if args.quick else 5
    play_s = 15.0 if args.quick else 60.0
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    server = serve(SITE)
    results: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            version = browser.version
            print(f"bench: Chromium {version}; site at {server.url}", flush=True)
            print("bench: boot ...", flush=True)
            results["boot"] = bench_boot(browser, server, loads)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = open_page(context, server.url)
            boot_once(page, server.url)
            print("bench: training throughput ...", flush=True)
            js_page = js_baseline_page(browser, server.url)
            results["training"] = bench_training(page, repeats, seconds, js_page)
            print(f"bench: {play_s:.0f} s of play ...", flush=True)
            results["frames"] = bench_frames(page, play_s)
            print("bench: Lab replay speed ...", flush=True)
            results["lab"] = bench_lab(page, 60.0 if args.quick else 300.0)
            if page.errors:
                raise RuntimeError(f"page errors: {page.errors}")
            context.close()
            browser.close()
    finally:
        server.close()
    print("bench: race (time to mirror) ...", flush=True)
    results["race"] = bench_race(args.quick)
    results["wall_s"] = time.perf_counter() - start
    results["load_avg_1min_at_start"] = load_before
    results["context"] = (
        f"Chromium {version} headless, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load_before:.1f} at "
        f"start; medians of {repeats} repeats of {seconds:.0f} s (training); "
        f"wall {results['wall_s']:.0f} s"
    )
    print()
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
