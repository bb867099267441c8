"""Fixtures for the end-to-end tests: the built site served locally, and a real Chromium.

The browser is found in this order: $MIRROR_PONG_CHROMIUM, `chromium` (or `chromium-browser`)
on PATH, then Playwright's own download. Without one the tests fail with a message naming how
to get one; they are never silently skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
sys.path.insert(0, str(ROOT / "scripts"))
from serve import make_server  # noqa: E402

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/e2e as e2e, so `-m "not e2e"` runs the unit tests alone."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def find_chromium(playwright) -> str | None:
    """Path of a Chromium to drive, or None (see the module docstring for the order)."""
    explicit = os.environ.get("MIRROR_PONG_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            pytest.fail(f"MIRROR_PONG_CHROMIUM={explicit} does not exist")
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


class Server:
    """The site served on a free port of 127.0.0.1 under a prefix, in a background thread."""

    def __init__(self, site: Path, prefix: str = "/") -> None:
        self.httpd = make_server(site, 0, prefix)
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(site: Path, prefix: str = "/") -> Server:
    """Start a Server (callers close it)."""
    return Server(site, prefix)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; the tests need `make site` first."""
    if not (SITE / "index.html").is_file() or not (SITE / "manifest.json").is_file():
        pytest.fail("site/ is not built: run `make site` (make test does it for you)")
    return SITE


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL of the built site served at the root of a free local port."""
    server = serve(site_dir)
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """A real headless Chromium."""
    with sync_playwright() as p:
        path = find_chromium(p)
        if path is None:
            pytest.fail(
                "No Chromium found. Install one (Debian: apt-get install chromium), or set "
                "MIRROR_PONG_CHROMIUM=/path/to/chrome, or run `python -m playwright install "
                "chromium` where downloads are allowed."
            )
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a fresh context (no shared storage between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def open_game(page: Page, url: str, timeout_ms: int = BOOT_TIMEOUT_MS) -> dict:
    """Navigate to the game and wait until window.mirrorPong.ready resolves; return ready."""
    page.goto(url)
    page.wait_for_function("() => !!window.mirrorPong", timeout=30_000)
    return page.evaluate(
        "(ms) => Promise.race([window.mirrorPong.ready, new Promise((_, reject) => "
        "setTimeout(() => reject(new Error('not ready in time')), ms))])",
        timeout_ms,
    )


def hold_keys(page: Page, seconds: float, choose: Callable[[dict], str | None]) -> list[dict]:
    """Play the left paddle through real key events for `seconds`: every ~30 ms read the
    latest frame, ask `choose(frame)` which key to hold (or None), and press or release to
    match. Returns the frames read. Tests and scripts/bench.py write only the style."""
    held: str | None = None
    frames = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        frame = page.evaluate("() => window.mirrorPong.frame()")
        frames.append(frame)
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
