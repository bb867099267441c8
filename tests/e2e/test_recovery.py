"""Nothing lost: a game worker that dies (terminated, or its loop raising again and again) is
replaced without a reload, with the clone and settings last saved in this browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import open_game

RESTARTS = "() => Number(document.body.dataset.restarts || 0)"
SAVES = "() => Number(document.getElementById('panel').dataset.saves || 0)"


def exported_layers(page: Page) -> list:
    text = page.evaluate("() => window.mirrorPong.client.request('export').then(r => r.text)")
    import json

    return json.loads(text)["layers"]


@pytest.mark.parametrize("how", ["terminate", "raise"])
def test_a_dead_worker_is_replaced_with_the_saved_clone(page: Page, site_url: str, how: str):
    open_game(page, site_url + "?seed=5")
    page.wait_for_function("() => document.getElementById('panel').dataset.restored")
    page.keyboard.down("ArrowUp")  # some play for the clone to learn from
    page.wait_for_timeout(2000)
    page.keyboard.up("ArrowUp")
    saves = page.evaluate(SAVES)
    page.click("#learning-toggle")  # learning off saves at once, and freezes the clone
    page.wait_for_function(f"() => ({SAVES[6:]}) > {saves}")
    saved = exported_layers(page)
    if how == "terminate":
        page.evaluate("() => window.mirrorPong.client.worker.terminate()")
    else:
        page.evaluate("() => window.mirrorPong.client.send('debug_crash')")
    expect(page.locator("#notices")).to_contain_text("Restarting it with your saved clone")
    page.wait_for_function(f"() => ({RESTARTS[6:]}) === 1", timeout=90_000)
    expect(page.locator("#panel-notice")).to_contain_text("The game is back after")
    # The notice can come before the new worker's first frame, and its game clock starts
    # afresh: wait for a frame from it, then see its clock run.
    stale = page.evaluate("() => window.mirrorPong.frame().t")
    page.wait_for_function(f"() => window.mirrorPong.frame().t !== {stale!r}", timeout=30_000)
    t0 = page.evaluate("() => window.mirrorPong.frame().t")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.mirrorPong.frame().t") > t0  # playing again
    assert exported_layers(page) == saved  # the same clone
    assert not page.locator("#learning-toggle").is_checked()  # and the same settings
    assert page.evaluate("() => window.mirrorPong.frame().score") is not None
    assert page.errors == []  # type: ignore[attr-defined]
