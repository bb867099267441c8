"""Training steps per second of the default network and batch, the trainer's own loop (a
`bench` request, mode 'train', on synthetic frames; pymodel.worker.probe, the same code as
`python -m pymodel bench`): (a) CPython in this process, (b) Pyodide in the page's worker with
the game paused, (c) the worker while the game runs and the page draws, training in the time
between ticks (mode 'turbo'), (d) scripts/jsmlp.js in a Worker. Repeats are interleaved a, b,
d, c so drift hits all alike."""

from __future__ import annotations

import statistics
import time

from harness import ROOT, page_js, request

from pymodel.worker.probe import cpython_train_rate

from .common import close_checked, gaps, new_game, pct


def turbo_run(page, seconds: float) -> tuple[dict, list[float]]:
    """(c): the game running, training flat out between ticks; the reply and rAF intervals."""
    request(page, "pause", {"paused": False})
    page.wait_for_timeout(300)  # the loop settles into play
    page.evaluate(page_js("record_raf"))
    request(page, "bench", {"mode": "turbo", "on": True})
    time.sleep(seconds)
    r = request(page, "bench", {"mode": "turbo", "on": False})
    raf = page.evaluate("() => { window.__benchRaf.on = false; return window.__benchRaf.raf; }")
    request(page, "pause", {"paused": True})
    return r, gaps(raf)


def js_baseline_page(browser, url: str):
    """A page for (d), the hand-written JS MLP: the bench's own worker, made from a blob URL,
    which the game's Content-Security-Policy rightly refuses (worker-src 'self'), so it runs
    in a context that bypasses the policy, on a plain document of the same site."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(url + "manifest.json")
    page.evaluate(page_js("js_worker"), (ROOT / "scripts" / "jsmlp.js").read_text())
    return context, page


def bench_training(browser, url: str, repeats: int, seconds: float) -> dict:
    """Medians of `repeats` runs of `seconds` each of (a), (b), (c) and (d)."""
    context, page = new_game(browser, url)
    js_context, js_page = js_baseline_page(browser, url)
    request(page, "pause", {"paused": True})
    runs: dict[str, list[float]] = {"a": [], "b": [], "c": [], "d": []}
    c_ticks, c_raf = [], []
    for _ in range(repeats):
        r = cpython_train_rate(seconds)
        runs["a"].append(r["steps_per_s"])
        sizes, batch = r["sizes"], r["batch"]
        r = request(page, "bench", {"mode": "train", "seconds": seconds})
        assert r["sizes"] == sizes and r["batch"] == batch, r
        runs["b"].append(r["steps_per_s"])
        r = js_page.evaluate(
            page_js("js_run"), {"sizes": sizes, "batch": batch, "seconds": seconds}
        )
        runs["d"].append(r["steps_per_s"])
        r, raf = turbo_run(page, seconds)
        runs["c"].append(r["steps_per_s"])
        c_ticks.append(r["ticks"] / r["seconds"])
        c_raf += raf
    close_checked(context, page)
    js_context.close()
    med = {k: statistics.median(v) for k, v in runs.items()}
    return {
        "sizes": sizes,
        "batch": batch,
        "repeats": repeats,
        "seconds_each": seconds,
        **{f"{k}_steps_per_s": v for k, v in med.items()},
        **{f"{k}_all": v for k, v in runs.items()},
        "c_ticks_per_s": statistics.median(c_ticks),
        "c_frame_p99_ms": pct(c_raf, 99),
        "b_over_a": med["b"] / med["a"],
        "c_over_b": med["c"] / med["b"],
        "b_over_d": med["b"] / med["d"],
    }
