"""The Lab in a real Chromium: a scripted player's minute of play, replayed in the Lab's own
worker into fresh clones; Cancel gives the game back; the downloaded session file, read by
CPython, gives the same table under `python -m pymodel lab` as the page did."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from pymodel.formats import sessionfile
from tests.e2e.conftest import ROOT, hold_keys, open_game

BUDGET = "20"  # training steps per game second: a small budget keeps the test short
SEEDS = "2"
# Page (Pyodide's numpy) and CPython may differ in the last bits of a float, and a clone's
# greedy choice can flip on a near-tie, so curves may drift apart a little: measured here,
# the median curves agree within this (agreement share), and times within one check (5 s).
CURVE_TOLERANCE = 0.05
STATE = "() => document.getElementById('lab').dataset.state"


def follow(frame: dict) -> str | None:
    """Follow the ball while it comes, go back to the middle when it leaves."""
    y = frame["paddles"]["left"]["y"]
    target = frame["ball"]["y"] if frame["ball"]["vx"] < 0 else frame["court"]["h"] / 2
    return "ArrowUp" if target < y - 0.03 else "ArrowDown" if target > y + 0.03 else None


def wait_state(page: Page, states: tuple[str, ...], timeout_ms: int = 240_000) -> str:
    page.wait_for_function(
        "(s) => s.includes(document.getElementById('lab').dataset.state)",
        arg=list(states),
        timeout=timeout_ms,
    )
    return page.evaluate(STATE)


def game_time(page: Page) -> float:
    return page.evaluate("() => window.mirrorPong.frame().t")


def test_the_lab_replays_a_players_minute_and_agrees_with_cpython(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    open_game(page, site_url + "?seed=21")
    page.locator("#court-canvas").focus()
    hold_keys(page, 60, follow)
    page.click("#pause-button")  # the recording stops growing: download exactly this one
    with page.expect_download() as info:
        page.click("#lab-download-session")
    path = tmp_path / "session.json"
    info.value.save_as(path)
    recording, _ = sessionfile.from_json(path.read_text())
    assert len(recording) > 55 * 120  # a minute of play, every tick

    # Cancel first: the run stops, the game is given back.
    page.fill("#lab-seeds", SEEDS)
    page.locator("#lab details summary").click()
    page.fill("#lab-budget", BUDGET)
    page.click("#pause-button")  # resume: the Lab must take the pause itself
    page.click("#lab-run")
    page.wait_for_function("() => document.getElementById('lab-progress').value > 0")
    assert page.locator("#pause-button").is_disabled()  # held paused, and the page says so
    expect(page.locator("#notices")).to_contain_text("paused while the Lab runs")
    page.click("#lab-cancel")
    assert wait_state(page, ("cancelled",)) == "cancelled"
    t0 = game_time(page)
    page.wait_for_timeout(500)
    assert game_time(page) > t0, "the game did not resume after Cancel"

    # The downloaded file, imported into the Lab, run to the end.
    page.set_input_files("#lab-import-input", str(path))
    expect(page.locator("#lab-source")).to_have_value("file")
    page.click("#lab-run")
    assert wait_state(page, ("done", "error")) == "done"
    expect(page.locator("#lab-table tbody tr")).to_have_count(2)
    page.locator("#lab-chart").scroll_into_view_if_needed()  # drawn once it is seen
    page.wait_for_function("() => Number(document.getElementById('lab-chart').dataset.updates) > 0")
    assert page.locator("#lab-reading").text_content().startswith("On this recording")
    result = json.loads(page.locator("#lab").get_attribute("data-result"))

    cli = subprocess.run(
        [sys.executable, "-m", "pymodel", "lab", str(path), "--seeds", SEEDS,
         "--steps-per-second", BUDGET, "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    mine = json.loads(cli.stdout)["summary"]
    assert set(mine) == set(result["summary"]) == {"uniform", "relevance"}
    for name, row in mine.items():
        page_row = result["summary"][name]
        assert page_row["runs"] == row["runs"] and page_row["seeds"] == row["seeds"]
        for a, b in zip(page_row["times"], row["times"], strict=True):
            assert (a is None) == (b is None) and (a is None or abs(a - b) <= 5.0), (name, a, b)
        assert page_row["curve"]["t"] == row["curve"]["t"]
        drift = max(
            abs(a - b)
            for a, b in zip(page_row["curve"]["median"], row["curve"]["median"], strict=True)
        )
        assert drift <= CURVE_TOLERANCE, (name, drift)
    assert page.errors == []  # type: ignore[attr-defined]
