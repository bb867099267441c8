"""Foreign clones are untrusted: a clone's name from a file or a share link is shown as
typed and never runs; the page has a Content-Security-Policy that allows no inline script,
and the game (both workers) runs under it, as a meta tag and as a header alike."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from playwright.sync_api import Browser, Page, expect

from pymodel.formats import weights
from pymodel.learn import mlp
from tests.e2e.conftest import open_game, serve
from tests.e2e.test_dashboard import fresh_page, open_panel

EVIL = '<img src=x onerror="window.__pwned=1">'
# Every CSP violation the page reports, kept where a test can read it.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
"""
PWNED = "() => window.__pwned === undefined && document.querySelectorAll('img[src=\"x\"]').length"


def policy(site_dir: Path) -> dict[str, list[str]]:
    """The built page's Content-Security-Policy, directive by directive."""
    html = (site_dir / "index.html").read_text()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta, "no CSP meta tag in the built page"
    parts = [p.split() for p in meta.group(1).split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def evil_clone(tmp_path: Path) -> Path:
    params = mlp.init_params([9, 8, 3], np.random.default_rng(3))
    meta = {"created_by": EVIL, "steps": 12}
    path = tmp_path / "evil.json"
    path.write_text(weights.to_json(params, "tanh", meta, name=EVIL))
    return path


def test_the_built_page_forbids_inline_script_and_allows_what_the_game_needs(site_dir: Path):
    csp = policy(site_dir)
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    for directive in ("style-src", "worker-src", "connect-src", "img-src"):
        assert csp[directive] == ["'self'"], directive
    html = (site_dir / "index.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    for path in (site_dir / "app").rglob("*.js"):
        assert not re.search(r"\son(click|load|error)=", path.read_text()), path


def test_an_evil_name_from_a_file_and_a_link_shows_as_typed_and_never_runs(
    page: Page, browser: Browser, site_url: str, tmp_path: Path
) -> None:
    page.add_init_script(WATCH)
    open_panel(page, site_url + "?learning=off")
    path = evil_clone(tmp_path)
    page.set_input_files("#import-input", str(path))
    expect(page.locator("#clone-name")).to_have_text(EVIL)
    expect(page.locator("#panel-notice")).to_contain_text(f"named “{EVIL}”")
    page.set_input_files("#duel-file", str(path))
    expect(page.locator("#duel-opponent")).to_contain_text(
        f"“{EVIL}” from “evil.json”", timeout=60_000
    )
    page.fill("#library-name", "")
    page.click("#library-save")
    expect(page.locator("#library-list .mp-library-name")).to_have_text([EVIL])
    assert page.evaluate(PWNED) == 0
    page.click("#share-btn")
    link = page.locator("#share-url").input_value()
    page.fill("#duel-link", link)
    page.click("#duel-link-load")
    expect(page.locator("#duel-opponent")).to_contain_text(f"“{EVIL}” from a share link")
    assert page.evaluate(PWNED) == 0 and page.evaluate("() => window.__violations") == []

    friend = fresh_page(browser)
    friend.add_init_script(WATCH)
    assert open_panel(friend, link) == "share"
    expect(friend.locator("#clone-name")).to_have_text(EVIL)
    expect(friend.locator("#panel-notice")).to_contain_text(f"a shared clone “{EVIL}”")
    friend.wait_for_timeout(500)
    assert friend.evaluate(PWNED) == 0
    assert friend.evaluate("() => window.__violations") == []
    assert page.errors == [] and friend.errors == []  # type: ignore[attr-defined]
    friend.context.close()


def test_the_game_and_the_labs_worker_run_with_the_policy_as_a_header(
    browser: Browser, site_dir: Path
) -> None:
    """A host that sends the policy as a header puts the workers under it too: Pyodide then
    needs exactly 'wasm-unsafe-eval' (no 'unsafe-eval'), and nothing else is blocked."""
    text = "; ".join(f"{k} {' '.join(v)}" for k, v in policy(site_dir).items())
    server = serve(site_dir, headers={"Content-Security-Policy": text})
    try:
        page = fresh_page(browser)
        page.add_init_script(WATCH)
        ready = open_game(page, server.url)
        assert ready["layer_sizes"][0] == len(ready["features"])
        keys = page.evaluate(
            "async () => { const {labWorker} = await import('./app/lab/labclient.js');"
            " return Object.keys((await labWorker().request('schema')).schema).length; }"
        )
        assert keys > 10
        assert page.evaluate("() => window.__violations") == []
        assert page.errors == []  # type: ignore[attr-defined]
        page.context.close()
    finally:
        server.close()
