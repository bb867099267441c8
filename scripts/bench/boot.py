"""Boot: navigation start -> mirrorPong.ready, cold (a fresh context), warm (a reload) and
offline (a reload with the network off, served by the service worker); the worker's time in
each boot stage; the bytes on the wire of a cold boot as the server counts them (headers and
gzip bodies, like GitHub Pages; the service worker's own fetches included); and the warm boot
of an emulated phone with its CPU throttled."""

from __future__ import annotations

import statistics

from harness import page_js

from .common import DESKTOP, PHONE, boot_once, open_page

STAGES = ("runtime", "numpy_load", "numpy_import", "pymodel_import", "session")


def stage_times(page) -> dict:
    """The worker's ms per boot stage (window.mirrorPong.bootTimes()), {} if not reported."""
    return page.evaluate("() => window.mirrorPong.bootTimes?.() || {}") or {}


def wait_cached(page, timeout_ms: int = 60_000) -> bool:
    """Wait until the service worker controls the page and keeps every boot file (what an
    offline reload needs); False if the site has no service worker."""
    return page.evaluate(page_js("wait_cached"), timeout_ms)


def warm_and_offline(page, server, loads: int, offline: bool) -> dict:
    """Reloads of a page that has booted once: `loads` warm ones (with their stages and
    bytes), then three with the network off if the site has a service worker."""
    warm, warm_bytes, off = [], [], []
    stages: dict[str, list[float]] = {k: [] for k in STAGES}
    has_sw = wait_cached(page)
    for _ in range(loads):
        before = server.httpd.bytes_sent
        warm.append(boot_once(page, server.url, reload=True))
        for k, v in stage_times(page).items():
            stages.setdefault(k, []).append(v)
        page.wait_for_timeout(300)  # late responses (icons) land in the count
        warm_bytes.append(server.httpd.bytes_sent - before)
    if offline and has_sw:
        page.context.set_offline(True)
        off = [boot_once(page, server.url, reload=True) for _ in range(3)]
        page.context.set_offline(False)
    return {"warm": warm, "warm_bytes": warm_bytes, "offline": off, "stages": stages}


def bench_boot(browser, server, loads: int, offline: bool = True) -> dict:
    """Cold boots (fresh contexts), then warm reloads and offline reloads in the last one."""
    cold, cold_bytes, cold_stages, last = [], [], {}, {}
    for i in range(loads):
        context = browser.new_context(**DESKTOP)
        page = open_page(context)
        before = server.httpd.bytes_sent
        cold.append(boot_once(page, server.url))
        for k, v in stage_times(page).items():
            cold_stages.setdefault(k, []).append(v)
        wait_cached(page)
        page.wait_for_timeout(300)
        cold_bytes.append(server.httpd.bytes_sent - before)
        if i == loads - 1:
            last = warm_and_offline(page, server, loads, offline)
        if page.errors:
            raise RuntimeError(f"page errors while booting: {page.errors}")
        context.close()
    warm_ms = statistics.median(last["warm"])
    med = {k: statistics.median(v) for k, v in last["stages"].items() if v}
    return {
        "cold_ms": statistics.median(cold),
        "warm_ms": warm_ms,
        "offline_ms": statistics.median(last["offline"]) if last["offline"] else None,
        "cold_all_ms": cold,
        "warm_all_ms": last["warm"],
        "offline_all_ms": last["offline"],
        "cold_bytes": statistics.median(cold_bytes),
        "warm_bytes": statistics.median(last["warm_bytes"]),
        "warm_stages_ms": med,
        "cold_stages_ms": {k: statistics.median(v) for k, v in cold_stages.items() if v},
        # What the stages leave of navigation -> ready: the page, the service worker, the
        # worker starting, the schema and init requests.
        "warm_other_ms": warm_ms - sum(med.values()),
    }


def phone_boot(browser, url: str, rate: float, loads: int) -> dict:
    """The warm boot of an emulated phone (PHONE) with its CPU `rate` times slower: one cold
    boot at full speed fills the caches, then `loads` reloads, throttled (median)."""
    context = browser.new_context(**PHONE)
    page = open_page(context)
    try:
        boot_once(page, url)
        wait_cached(page)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        warm = [boot_once(page, url, reload=True) for _ in range(loads)]
        if page.errors:
            raise RuntimeError(f"page errors while booting: {page.errors}")
    finally:
        context.close()
    return {"warm_ms": statistics.median(warm), "warm_all_ms": warm}
