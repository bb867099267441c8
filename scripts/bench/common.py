"""What the benchmark's jobs share: pages that keep their errors, booting and timing a boot,
percentiles, and the load average recorded with every measurement."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import numpy as np
from harness import ROOT, page_js

if str(ROOT) not in sys.path:  # pymodel, for the CPython side of a comparison
    sys.path.insert(0, str(ROOT))

FRAME_MS = 1000 / 60  # the display period the goals are stated against
BOOT_TIMEOUT_MS = 120_000
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# A phone-class page: the viewport and pixel density of a mid-range phone, touch, mobile.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (numpy's linear interpolation); NaN for no values."""
    return float(np.percentile(values, q)) if values else float("nan")


def gaps(times: list[float]) -> list[float]:
    """Intervals between consecutive timestamps."""
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def load() -> float:
    """The 1-minute load average now."""
    return os.getloadavg()[0]


def measured(job: Callable[..., dict], *args, **kwargs) -> dict:
    """Run a job and add the load average at its start and end and its wall time to its
    figures (the load is printed next to every figure: on a shared machine it is context)."""
    start, t0 = load(), time.perf_counter()
    out = job(*args, **kwargs)
    return {**out, "load_start": start, "load": load(), "wall_s": time.perf_counter() - t0}


def open_page(context):
    """A new page of `context` that keeps its errors (page.errors)."""
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


def new_game(browser, url: str, device: dict | None = None):
    """A fresh context (desktop unless `device` says otherwise) with the game booted; returns
    (context, page)."""
    context = browser.new_context(**(device or DESKTOP))
    page = open_page(context)
    boot_once(page, url)
    return context, page


def close_checked(context, page) -> None:
    """Close the context; page errors seen meanwhile fail the run (a figure of a broken page
    would be no figure)."""
    errors = list(page.errors)
    context.close()
    if errors:
        raise RuntimeError(f"page errors: {errors}")
