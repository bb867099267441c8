"""Fixtures for the end-to-end tests: the built site served locally, and a real Chromium.

The browser is found in this order: $MIRROR_PONG_CHROMIUM, `chromium` (or `chromium-browser`)
on PATH, then Playwright's own download. Without one the tests fail with a message naming how
to get one; they are never silently skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from harness import (  # noqa: E402
    SITE,
    NoBrowser,
    hold_keys,  # noqa: F401 - re-exported for the tests
    launch,
    open_game,  # noqa: F401 - re-exported for the tests
    play_late,  # noqa: F401 - re-exported for the tests
    serve,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/e2e as e2e, so `-m "not e2e"` runs the unit tests alone."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


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
    """A real headless Chromium (never skipped: without one the tests fail saying why)."""
    with sync_playwright() as p:
        try:
            b = launch(p)
        except NoBrowser as exc:
            pytest.fail(str(exc))
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
