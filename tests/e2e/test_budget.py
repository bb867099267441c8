"""Training budgets in a real Chromium: Light and Normal switched mid-game keep the clone and
the recording, and the dashboard's cost line shows the budget the worker trains at."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_dashboard import exported_layers, open_panel, play

METRICS = "() => window.mirrorPong.client.request('get_metrics')"


def pause(page: Page, paused: bool) -> None:
    page.evaluate("(p) => window.mirrorPong.client.request('pause', {paused: p})", paused)


def switch(page: Page, name: str, steps: float) -> None:
    """Choose budget `name` in the dashboard; wait until the worker and the cost line say so."""
    page.select_option("#budget-select", name)
    page.wait_for_function(
        f"() => window.mirrorPong.client.request('get_metrics')"
        f".then(m => m.cost.budget === '{name}' && m.cost.steps_per_second === {steps})"
    )
    # The cost line follows the metrics the worker sends while the game runs.
    expect(page.locator("#training-cost")).to_contain_text(f"({name})", timeout=30_000)
    expect(page.locator("#training-cost")).to_contain_text(f"{steps:g} steps", timeout=30_000)


def test_light_and_normal_switch_mid_game_keeping_clone_and_recording(
    page: Page, site_url: str
) -> None:
    open_panel(page, site_url + "?seed=5")
    budgets = page.evaluate(
        "() => window.mirrorPong.client.request('schema').then(r => r.schema.budgets)"
    )
    steps = {b["name"]: b["steps_per_second"] for b in budgets}
    assert steps["light"] < steps["normal"]
    expect(page.locator("#training-cost")).to_contain_text("(normal)", timeout=30_000)
    play(page, 4)
    page.wait_for_function(METRICS + ".then(m => m.steps > 0)")

    # Paused, nothing trains: the switch itself must leave the clone and the recording alone.
    pause(page, True)
    before = page.evaluate(METRICS)
    layers = exported_layers(page)
    page.select_option("#budget-select", "light")
    page.wait_for_function(METRICS + ".then(m => m.cost.budget === 'light')")
    after = page.evaluate(METRICS)
    assert exported_layers(page) == layers
    assert after["recording"]["frames"] == before["recording"]["frames"] > 0
    assert after["steps"] == before["steps"] and after["kept"] == before["kept"]
    assert after["settings"]["sampler"] == next(
        b["sampler"] for b in budgets if b["name"] == "light"
    )

    pause(page, False)
    switch(page, "light", steps["light"])
    t0, s0 = page.evaluate(METRICS + ".then(m => [m.t, m.steps])")
    play(page, 4)
    t1, s1 = page.evaluate(METRICS + ".then(m => [m.t, m.steps])")
    assert s1 > s0  # the same clone trains on, at the lighter budget
    assert (s1 - s0) / (t1 - t0) <= steps["light"] + 1

    switch(page, "normal", steps["normal"])
    end = page.evaluate(METRICS)
    assert end["steps"] >= s1 and end["recording"]["frames"] > after["recording"]["frames"]
    assert page.errors == []  # type: ignore[attr-defined]
