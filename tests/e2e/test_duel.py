"""Clone against clone in a real Chromium: two imported clones (yours from a file, the other
from a file too) play a duel watched at 16x in the Lab's worker, with the game held paused,
and the page shows the very table `python -m pymodel duel` prints for the same seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT
from tests.e2e.test_dashboard import open_panel
from tests.test_duel import trained

NOW = """() => [document.getElementById('duel-card').dataset.state, window.mirrorPong.frame().t,
  document.getElementById('duel-status').textContent]"""


def test_a_duel_of_two_imported_clones_gives_the_command_lines_table(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    a, b = tmp_path / "A.json", tmp_path / "B.json"
    a.write_text(trained("late", 2, 90.0))
    b.write_text(trained("tracker", 1, 90.0))
    open_panel(page, site_url + "?learning=off")  # your clone must not learn before the duel
    page.set_input_files("#import-input", str(b))
    expect(page.locator("#clone-name")).to_have_text("tracker <b>clone</b>")
    page.set_input_files("#duel-file", str(a))
    expect(page.locator("#duel-opponent")).to_contain_text(
        "“late <b>clone</b>” from “A.json”", timeout=60_000
    )
    page.fill("#duel-points", "3")
    page.fill("#duel-seeds", "2")
    page.select_option("#duel-speed", "16")
    page.click("#duel-run")
    page.wait_for_function(
        "() => document.getElementById('duel-status').textContent.includes('Match')"
    )
    assert page.locator("#pause-button").is_disabled()  # the game is held paused meanwhile
    expect(page.locator("#notices")).to_contain_text("paused while the duel runs")
    t0 = page.evaluate("() => window.mirrorPong.frame().t")
    seen, times = set(), set()
    while True:  # watched: the score moves on the page, and the game's time stands still
        state, t, status = page.evaluate(NOW)
        if state != "running":
            break
        seen.add(status)
        times.add(t)
        page.wait_for_timeout(250)
    assert state == "done"
    assert len(seen) >= 4, seen
    assert times == {t0}, times
    updates = int(page.locator("#duel-canvas").get_attribute("data-updates") or 0)
    assert updates >= 20, updates

    cli = subprocess.run(
        [sys.executable, "-m", "pymodel", "duel", str(a), str(b), "--points", "3",
         "--seeds", "2"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert page.locator("#duel-text").text_content() == cli.stdout.rstrip("\n")
    cells = page.evaluate(
        "() => [...document.querySelectorAll('#duel-table tbody tr')]"
        ".map(tr => [...tr.children].map(c => c.textContent))"
    )
    as_json = subprocess.run(
        [sys.executable, "-m", "pymodel", "duel", str(a), str(b), "--points", "3",
         "--seeds", "2", "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert cells == json.loads(as_json.stdout)["rows"]
    expect(page.locator("#duel-th-left")).to_have_text("late <b>clone</b> (left)")
    page.wait_for_function("() => !document.getElementById('pause-button').disabled")
    page.wait_for_function("(t) => window.mirrorPong.frame().t > t", arg=t0)  # given back
    assert page.errors == []  # type: ignore[attr-defined]
