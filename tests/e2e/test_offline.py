"""Issue 13 in a real Chromium: offline play, a new build replacing the cached one, and
readable Python errors from the precompiled runtime. Every site here is served under a
sub-path, as GitHub Pages serves it."""

from __future__ import annotations

import io
import json
import shutil
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ROOT, open_game, serve

sys.path.insert(0, str(ROOT / "scripts"))
from build_site import finish  # noqa: E402

PREFIX = "/mirror-pong/"
CLONE = "mirror-pong/v1/clone"
WAIT_CACHED = (ROOT / "scripts" / "bench_page" / "wait_cached.js").read_text()
RESTORED = "() => document.getElementById('panel').dataset.restored"


@pytest.fixture()
def context_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (its own service workers and caches)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()


def copy_site(site_dir: Path, dest: Path) -> Path:
    shutil.copytree(site_dir, dest)
    return dest


def rebuild(site: Path) -> dict:
    """Rewrite manifest.json and sw.js of a changed copy: a new build id."""
    manifest = json.loads((site / "manifest.json").read_text())
    return finish(site, manifest["runtime"], manifest["numpy_wheel"], manifest["stdlib"])


def reload_ready(page: Page) -> None:
    page.reload()
    page.wait_for_function("() => !!window.mirrorPong", timeout=30_000)
    page.evaluate("() => window.mirrorPong.ready")


def cache_names(page: Page) -> list[str]:
    return page.evaluate("() => caches.keys()")


def test_offline_reload_plays_and_keeps_the_clone(context_page: Page, site_dir: Path) -> None:
    page = context_page
    server = serve(site_dir, prefix=PREFIX)
    try:
        open_game(page, server.url)
        assert page.evaluate(WAIT_CACHED, 60_000) is True
        build = json.loads((site_dir / "manifest.json").read_text())["build"]
        assert cache_names(page) == [f"mirror-pong-{build}"]
        page.locator("#court-canvas").focus()
        page.keyboard.down("ArrowDown")
        page.wait_for_timeout(600)
        page.keyboard.up("ArrowDown")
        # The dashboard saves the clone every 10 s and when the page is hidden.
        page.wait_for_function(f"() => !!localStorage.getItem('{CLONE}')", timeout=30_000)

        page.context.set_offline(True)
        reload_ready(page)
        expect(page.locator("#error-box")).to_be_hidden()
        page.wait_for_function(RESTORED, timeout=30_000)
        assert page.evaluate(RESTORED) == "saved"
        t0 = page.evaluate("() => window.mirrorPong.frame().t")
        page.locator("#court-canvas").focus()
        page.keyboard.down("ArrowUp")
        page.wait_for_timeout(500)
        page.keyboard.up("ArrowUp")
        frame = page.evaluate("() => window.mirrorPong.frame()")
        assert frame["t"] > t0, "the game does not run offline"
        assert page.evaluate(f"() => !!localStorage.getItem('{CLONE}')")
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.set_offline(False)
        server.close()


def test_a_new_build_replaces_the_cache_and_offers_a_reload(
    context_page: Page, site_dir: Path, tmp_path: Path
) -> None:
    page = context_page
    site = copy_site(site_dir, tmp_path / "site")
    server = serve(site, prefix=PREFIX)
    try:
        open_game(page, server.url)
        assert page.evaluate(WAIT_CACHED, 60_000) is True
        old = json.loads((site / "manifest.json").read_text())["build"]
        assert cache_names(page) == [f"mirror-pong-{old}"]

        css = site / "app" / "game" / "game.css"
        css.write_text(css.read_text() + "\n/* the next build */\n")
        new = rebuild(site)["build"]
        assert new != old
        reload_ready(page)  # this visit still runs the old build; the browser finds sw.js new
        expect(page.locator(".notice", has_text="A new version")).to_be_visible(timeout=60_000)
        page.wait_for_function(f"() => caches.keys().then(k => k.join() === 'mirror-pong-{new}')")
        kept = page.evaluate(
            """async () => {
              const c = await caches.open((await caches.keys())[0]);
              const r = await c.match(new URL("app/game/game.css", location.href).href);
              return r ? await r.text() : "";
            }"""
        )
        assert "the next build" in kept, "the new cache holds the old build's files"
        page.locator(".notice button", has_text="Reload").click()
        page.wait_for_function("() => !!window.mirrorPong", timeout=30_000)
        page.evaluate("() => window.mirrorPong.ready")
        assert page.evaluate(WAIT_CACHED, 60_000) is True
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        server.close()


def test_a_python_error_at_import_names_file_and_line(
    context_page: Page, site_dir: Path, tmp_path: Path
) -> None:
    """A pymodel that fails at import, through a precompiled standard library module: the
    error screen's traceback names both files and lines."""
    site = copy_site(site_dir, tmp_path / "site")
    zpath = site / "pymodel.zip"
    with zipfile.ZipFile(zpath) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    lines = entries["pymodel/worker/game_session.py"].decode().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("from __future__")) + 1
    lines[at:at] = ["import json\n", 'json.loads("{not json")  # broken on purpose\n']
    entries["pymodel/worker/game_session.py"] = "".join(lines).encode()
    # Without its .pyc the changed source is what runs (the .pyc files are unchecked).
    del entries["pymodel/worker/__pycache__/game_session.cpython-312.pyc"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(entries.items()):
            zf.writestr(name, data)
    zpath.write_bytes(buf.getvalue())
    rebuild(site)
    server = serve(site, prefix=PREFIX)
    page = context_page
    try:
        page.goto(server.url)
        expect(page.locator("#error-box")).to_be_visible(timeout=90_000)
        expect(page.locator("#error-message")).to_contain_text("JSONDecodeError")
        detail = page.locator("#error-detail-text").text_content() or ""
        assert f'pymodel/worker/game_session.py", line {at + 2}' in detail, detail
        assert 'json/decoder.py", line ' in detail, detail
        assert "/lib/python312.zip/json/" in detail, detail
    finally:
        server.close()
