"""The browser harness shared by the end-to-end tests and the benchmarks (not a test file).

Serves the built site on a free port of 127.0.0.1 (scripts/serve.py, gzip like GitHub
Pages), finds a Chromium, launches it with the flags that work on these machines, and drives
the game page: open it and wait for ``window.mirrorPong.ready``, play the left paddle with
real key events, send protocol requests through ``window.mirrorPong.client``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from serve import make_server

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
PAGE_JS = Path(__file__).resolve().parent / "bench_page"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BOOT_TIMEOUT_MS = 90_000
NO_CHROMIUM = (
    "No Chromium found. Install one (Debian/Ubuntu as root: apt-get install chromium), or set "
    "MIRROR_PONG_CHROMIUM=/path/to/chrome, or run `.venv/bin/python -m playwright install "
    "chromium` where downloads are allowed."
)


class NoBrowser(RuntimeError):
    """No usable Chromium (the message says how to get one)."""


def find_chromium(playwright) -> str | None:
    """Path of a Chromium to drive, or None: $MIRROR_PONG_CHROMIUM, then `chromium` (or
    `chromium-browser`) on PATH, then Playwright's own download."""
    explicit = os.environ.get("MIRROR_PONG_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            raise NoBrowser(f"MIRROR_PONG_CHROMIUM={explicit} does not exist")
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    try:
        own = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises various errors when it has no browser
        own = None
    return own if own and Path(own).is_file() else None


def launch(playwright):
    """A headless Chromium, or NoBrowser with what to run."""
    path = find_chromium(playwright)
    if path is None:
        raise NoBrowser(NO_CHROMIUM)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


class Server:
    """The site served on a free port of 127.0.0.1 under a prefix, in a background thread
    (with ``headers`` added to every response)."""

    def __init__(self, site: Path, prefix: str = "/", headers: dict | None = None) -> None:
        self.httpd = make_server(site, 0, prefix, headers)
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(site: Path, prefix: str = "/", headers: dict | None = None) -> Server:
    """Start a Server (callers close it)."""
    return Server(site, prefix, headers)


def page_js(name: str) -> str:
    """A page-side function kept as a .js file in scripts/bench_page/ (for page.evaluate)."""
    return (PAGE_JS / f"{name}.js").read_text()


def open_game(page, url: str, timeout_ms: int = BOOT_TIMEOUT_MS) -> dict:
    """Navigate to the game and wait until window.mirrorPong.ready resolves; return ready."""
    page.goto(url)
    page.wait_for_function("() => !!window.mirrorPong", timeout=30_000)
    return page.evaluate(
        "(ms) => Promise.race([window.mirrorPong.ready, new Promise((_, reject) => "
        "setTimeout(() => reject(new Error('not ready in time')), ms))])",
        timeout_ms,
    )


def request(page, kind: str, fields: dict | None = None, timeout_ms: int = 120_000):
    """Send a protocol request through window.mirrorPong.client and return its reply."""
    page.set_default_timeout(timeout_ms)
    return page.evaluate("([t, f]) => window.mirrorPong.client.request(t, f)", [kind, fields or {}])


def hold_keys(
    page,
    seconds: float,
    choose: Callable[[dict], str | None],
    until: Callable[[dict], bool] | None = None,
) -> list[dict]:
    """Play the left paddle through real key events for `seconds` (or until `until(frame)`):
    every ~30 ms read the latest frame, ask `choose(frame)` which key to hold (or None), and
    press or release to match. Returns the frames read. Tests and benchmarks write only the
    style."""
    held: str | None = None
    frames = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        frame = page.evaluate("() => window.mirrorPong.frame()")
        frames.append(frame)
        if until is not None and until(frame):
            break
        want = choose(frame)
        if want != held:
            if held:
                page.keyboard.up(held)
            if want:
                page.keyboard.down(want)
            held = want
        page.wait_for_timeout(30)
    if held:
        page.keyboard.up(held)
    return frames


def fold(y: float, r: float, h: float) -> float:
    """Where a ball centre at unbounded height y really is, after wall bounces."""
    span = h - 2 * r
    z = (y - r) % (2 * span)
    return r + (2 * span - z if z > span else z)


def late_target(seen: dict, offset: float) -> float:
    """Where a late player wants its paddle, from the frame it perceives (``seen``): where the
    ball will cross its line while it comes (met ``offset`` half-paddles above the centre), the
    middle otherwise."""
    ball, court, paddle = seen["ball"], seen["court"], seen["paddle"]
    if ball["vx"] < 0:
        contact = seen["paddles"]["left"]["x"] + paddle["w"] / 2 + ball["r"]
        t = max(ball["x"] - contact, 0.0) / -ball["vx"]
        return fold(ball["y"] + ball["vy"] * t, ball["r"], court["h"]) - offset * paddle["h"] / 2
    return court["h"] / 2


def play_late(page, seconds: float, lag_s: float, hold_s: float, offset: float) -> None:
    """A human-like player on the left paddle, through real key events: what it does now
    follows what the court looked like ``lag_s`` ago (people react 250-300 ms late), and a
    pressed key stays down at least ``hold_s``."""
    seen: deque[tuple[float, dict]] = deque()
    held, since = None, 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now = time.monotonic()
        frame = page.evaluate("() => window.mirrorPong.frame()")
        seen.append((now, frame))
        while len(seen) > 1 and seen[1][0] <= now - lag_s:
            seen.popleft()
        if seen[0][0] <= now - lag_s:
            y = frame["paddles"]["left"]["y"]
            target = late_target(seen[0][1], offset)
            want = "ArrowUp" if target < y - 0.03 else "ArrowDown" if target > y + 0.03 else None
            if want != held and (held is None or now - since >= hold_s):
                if held:
                    page.keyboard.up(held)
                if want:
                    page.keyboard.down(want)
                held, since = want, now
        page.wait_for_timeout(25)
    if held:
        page.keyboard.up(held)
