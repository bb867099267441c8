"""Switching the live clone to raw inputs and a small network, and back through a file."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import open_game

RAW_OBS = [[((i * 5 + j * 3) % 9) / 4.5 - 1.0 for j in range(6)] for i in range(12)]


def decide(page: Page) -> dict:
    reply = page.evaluate(
        "(o) => window.mirrorPong.client.request('decide', {observations: o})", RAW_OBS
    )
    return {"actions": reply["actions"], "probs": reply["probs"]}


def test_a_raw_16_clone_learns_exports_and_comes_back(page: Page, site_url: str, tmp_path: Path):
    open_game(page, site_url + "?seed=9")
    page.wait_for_function("() => document.getElementById('panel').dataset.restored")
    page.select_option("#net-features", "raw")
    page.select_option("#net-hidden", "16")
    expect(page.locator("#net-features-help")).to_contain_text("163 weights")
    page.once("dialog", lambda d: d.accept())
    page.click("#net-apply")
    expect(page.locator("#net-now")).to_contain_text("a 16 tanh network on raw inputs")
    page.locator("#court-canvas").focus()
    for i in range(40):  # 20 s of play
        key = "ArrowUp" if i % 2 else "ArrowDown"
        page.keyboard.down(key)
        page.wait_for_timeout(500)
        page.keyboard.up(key)
    page.click("#learning-toggle")  # freeze the clone for the comparison
    page.wait_for_function(
        "() => window.mirrorPong.client.request('get_metrics').then(m => !m.settings.learning)"
    )
    before = decide(page)
    with page.expect_download() as info:
        page.click("#export-btn")
    path = tmp_path / "raw16.json"
    info.value.save_as(path)
    doc = json.loads(path.read_text())
    assert doc["features"] == [
        "ball_x", "ball_y", "ball_vx_toward", "ball_vy", "own_y", "opp_y"
    ]  # fmt: skip
    assert [len(layer["bias"]) for layer in doc["layers"]] == [16, 3]
    page.once("dialog", lambda d: d.accept())
    page.click("#reset-ai")  # a different clone now ...
    page.wait_for_function(
        "(b) => window.mirrorPong.client.request('decide', {observations: b.o})"
        ".then(r => JSON.stringify(r.probs) !== JSON.stringify(b.p))",
        arg={"o": RAW_OBS, "p": before["probs"]},
    )
    page.set_input_files("#import-input", str(path))  # ... and the exported one back
    expect(page.locator("#panel-notice")).to_contain_text("raw inputs")
    assert decide(page) == before
    assert page.errors == []  # type: ignore[attr-defined]
