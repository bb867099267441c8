"""The page builds itself from pymodel's schema and starts with one init carrying everything."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

from pymodel.worker.schema import schema
from tests.e2e.conftest import open_game

ROOT = Path(__file__).resolve().parents[2]
RESTORED = "() => document.getElementById('panel').dataset.restored"

# Wrap the worker's postMessage before any page script runs, to count what the page sends.
COUNT_REQUESTS = """
window.__sent = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (msg, ...rest) {
  if (msg && msg.type) window.__sent.push(msg.type);
  return post.call(this, msg, ...rest);
};
"""
SETTINGS_REQUESTS = {"init", "set_sampler", "set_learning", "set_ghost", "import"}


def test_sliders_are_the_schema_and_advanced_knobs_are_folded(page: Page, site_url: str) -> None:
    open_game(page, site_url)
    page.wait_for_function(RESTORED, timeout=30_000)
    sent = page.evaluate("() => window.mirrorPong.client.request('schema').then(r => r.schema)")
    assert sent == json.loads(json.dumps(schema()))
    for strategy in sent["strategies"]:
        page.select_option("#sampler-select", strategy["name"])
        for k in strategy["knobs"]:
            slider = page.locator(f"#knob-{k['name']}")
            slider.wait_for(state="attached")
            assert float(slider.get_attribute("min")) == k["min"]
            assert float(slider.get_attribute("max")) == k["max"]
            assert float(slider.get_attribute("step")) == k["step"]
            assert float(slider.input_value()) == k["default"]
            folded = page.evaluate(
                "(id) => !!document.getElementById(id).closest('details')", f"knob-{k['name']}"
            )
            assert folded == k["advanced"], k["name"]
    options = page.eval_on_selector_all("#sampler-select option", "os => os.map(o => o.value)")
    assert options == [s["name"] for s in sent["strategies"]]


def test_one_request_at_boot_carries_the_settings(page: Page, site_url: str) -> None:
    page.add_init_script(COUNT_REQUESTS)
    # A first visit saves settings; the second must merge them with the address, not re-send.
    open_game(page, site_url + "?knobs=" + json.dumps({"away_weight": 0.3}))
    page.wait_for_function(RESTORED, timeout=30_000)
    page.evaluate("() => document.getElementById('ghost-toggle').click()")
    page.wait_for_function("() => window.mirrorPong.frame().ghost_y !== null")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('mirror-pong/v1/settings') || '{}').ghost === true"
    )
    page.goto(site_url + "?sampler=uniform&learning=off")
    page.wait_for_function("() => !!window.mirrorPong")
    ready = page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_function(RESTORED, timeout=30_000)
    sent = page.evaluate("() => window.__sent")
    assert [t for t in sent if t in SETTINGS_REQUESTS] == ["init"], sent
    s = ready["settings"]
    assert s["sampler"] == "uniform" and s["learning"] is False  # the address wins
    assert s["ghost"] is True  # the saved setting the address leaves alone
