"""Soak: a scripted player plays the real page in headless Chromium, in real time, for a long
while, and every minute the run records what could leak or decay.

    python scripts/soak.py [--minutes 30] [--json OUT.json] [--chart OUT.svg]
    (make soak: 30 minutes; SOAK_MINUTES=5 make soak for a short one)

Every minute: the game worker's WebAssembly memory and Python's allocated blocks (a `get_health`
request), the page's JS heap (performance.memory), the page's frame intervals (rAF, p99), the
clone's training steps, the recording's and the replay buffer's sizes, and how old the clone
saved in localStorage is. The goals, met or not, are printed under the table:

- memory after minute 5 grows by less than 5 % to the end (wasm and Python blocks);
- the p99 frame interval of the last 5 minutes is within 2 ms of the first 5 minutes';
- the clone keeps learning (its steps rise every minute);
- the saved clone is at most a few seconds old at every minute (saves every 5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from harness import SITE, hold_keys, launch, open_game, page_js, request, serve

SAVED_AT = "() => Number(localStorage.getItem('mirror-pong/v1/saved-at') || 0)"
MAX_SAVE_AGE_S = 8.0  # "a few seconds": one save period (5 s) plus an export's round trip


def follow_low(frame: dict) -> str | None:
    """The scripted player: follows the ball while it comes, waits a little low otherwise."""
    y = frame["paddles"]["left"]["y"]
    target = frame["ball"]["y"] if frame["ball"]["vx"] < 0 else 0.6 * frame["court"]["h"]
    return "ArrowUp" if target < y - 0.03 else "ArrowDown" if target > y + 0.03 else None


def sample(page, minute: int) -> dict:
    """One row of the table: the state of the page and the worker now."""
    h = request(page, "get_health")
    raf = page.evaluate(
        "() => { const r = window.__benchRaf.raf; window.__benchRaf.raf = []; return r; }"
    )
    gaps = np.diff(raf) if len(raf) > 1 else np.array([np.nan])
    now_ms = page.evaluate("() => Date.now()")
    saved = page.evaluate(SAVED_AT)
    return {
        "minute": minute,
        "wasm_mb": h["wasm_bytes"] / 1e6,
        "py_objects": h["gc_objects"],
        "js_heap_mb": page.evaluate("() => (performance.memory?.usedJSHeapSize || 0) / 1e6"),
        "frame_p99_ms": float(np.percentile(gaps, 99)),
        "frames": int(len(raf)),
        "steps": h["steps"],
        "recording": h["recording"],
        "buffer": h["buffer"],
        "save_age_s": (now_ms - saved) / 1000 if saved else None,
    }


def goals(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(goal, figure, met) for the soak's goals (see the module docstring)."""
    out = []
    base = [r for r in rows if r["minute"] >= 5] or rows
    for key, name in (("wasm_mb", "WebAssembly memory"), ("py_objects", "Python objects")):
        growth = base[-1][key] / base[0][key] - 1 if base[0][key] else 0.0
        out.append((f"{name} grows < 5 % after minute {base[0]['minute']}",
                    f"{100 * growth:+.1f} %", growth < 0.05))  # fmt: skip
    k = min(5, max(1, len(rows) // 2))
    first = float(np.median([r["frame_p99_ms"] for r in rows[:k]]))
    last = float(np.median([r["frame_p99_ms"] for r in rows[-k:]]))
    out.append((f"p99 frame interval, last {k} min within 2 ms of first {k} min",
                f"{first:.1f} -> {last:.1f} ms", last - first <= 2.0))  # fmt: skip
    steps = [r["steps"] for r in rows]
    rising = all(b > a for a, b in zip(steps, steps[1:], strict=False))
    out.append(("the clone keeps learning (steps rise every minute)", f"{steps[-1]:,}", rising))
    ages = [r["save_age_s"] for r in rows]
    worst = max((a for a in ages if a is not None), default=float("inf"))
    ok = all(a is not None and a <= MAX_SAVE_AGE_S for a in ages)
    out.append((f"saved clone at most {MAX_SAVE_AGE_S:g} s old at every minute",
                f"worst {worst:.1f} s", ok))  # fmt: skip
    return out


def table(rows: list[dict]) -> str:
    """The per-minute table as text."""
    names = ("min", "wasm MB", "py objects", "JS heap MB", "p99 frame ms", "steps",
             "recording", "buffer", "save age s")  # fmt: skip
    lines = ["  ".join(f"{n:>10}" for n in names)]
    lines.append("-" * len(lines[0]))
    for r in rows:
        age = "-" if r["save_age_s"] is None else f"{r['save_age_s']:.1f}"
        cells = [
            f"{r['minute']}",
            f"{r['wasm_mb']:.1f}",
            f"{r['py_objects']:,}",
            f"{r['js_heap_mb']:.1f}",
            f"{r['frame_p99_ms']:.1f}",
            f"{r['steps']:,}",
            f"{r['recording']:,}",
            f"{r['buffer']:,}",
            age,
        ]
        lines.append("  ".join(f"{c:>10}" for c in cells))
    return "\n".join(lines)


def chart(rows: list[dict]) -> str:
    """An SVG of memory and frame p99 per minute (each scaled to its own maximum)."""
    w, h, pad = 640, 300, 40
    mins = [r["minute"] for r in rows]
    span = max(max(mins) - min(mins), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{pad}" y="20">soak: each series scaled to its own maximum, per minute</text>',
    ]
    series = (
        ("wasm_mb", "#2f80ed"),
        ("py_objects", "#7b61ff"),
        ("js_heap_mb", "#27ae60"),
        ("frame_p99_ms", "#eb5757"),
    )
    for i, (key, colour) in enumerate(series):
        vals = [r[key] for r in rows]
        top = max(vals) or 1.0
        pts = " ".join(
            f"{pad + (w - 2 * pad) * (m - min(mins)) / span:.1f},"
            f"{h - pad - (h - 2 * pad) * v / top:.1f}"
            for m, v in zip(mins, vals, strict=True)
        )
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{pts}"/>')
        out.append(f'<text x="{w - pad - 150}" y="{40 + 14 * i}" fill="{colour}">{key} '
                   f"(max {top:,.1f})</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out)


def soak(minutes: float, url_suffix: str = "?seed=7") -> dict:
    """Play for ``minutes`` and return {rows, goals}."""
    server = serve(SITE)
    rows = []
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            open_game(page, server.url + url_suffix)
            page.evaluate(page_js("record_raf"))
            page.locator("#court-canvas").focus()
            start = time.monotonic()
            for minute in range(1, int(round(minutes)) + 1):
                hold_keys(page, start + 60 * minute - time.monotonic(), follow_low)
                rows.append(sample(page, minute))
                print(table(rows).splitlines()[-1], flush=True)
            browser.close()
    finally:
        server.close()
    return {"rows": rows, "goals": goals(rows)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--json", metavar="OUT.json")
    ap.add_argument("--chart", metavar="OUT.svg")
    args = ap.parse_args()
    if not (SITE / "index.html").is_file():
        sys.exit("soak: site/ is not built; run `make site` (make soak does)")
    load = os.getloadavg()
    print(f"soak: {args.minutes:g} minutes of real-time play; load average {load[0]:.1f}")
    result = soak(args.minutes)
    print()
    print(table(result["rows"]))
    print()
    for goal, figure, met in result["goals"]:
        print(f"{'met' if met else 'NOT MET':<8} {goal}: {figure}")
    print(f"load average at the end {os.getloadavg()[0]:.1f} (at the start {load[0]:.1f})")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    if args.chart:
        Path(args.chart).write_text(chart(result["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
