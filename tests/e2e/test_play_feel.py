"""Play feel in a real Chromium: sound only after the first input, mute and volume remembered
and no audio error; a gamepad drives the paddle through the same intents as the keys; the
first-visit help goes at the first move; the wide layout at 1280x800, Focus at 1920x1080, and
the winner screen on a 390 px phone."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import open_game

FRAME = "() => window.mirrorPong.frame()"
# Count what the page does with Web Audio, before any page script runs.
COUNT_AUDIO = """
window.__audio = { contexts: 0, tones: 0, state: null };
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  constructor(...args) {
    super(...args);
    window.__audio.contexts++;
    window.__audio.ctx = this;
  }
  createOscillator() {
    const osc = super.createOscillator();
    const start = osc.start.bind(osc);
    osc.start = (...a) => { window.__audio.tones++; return start(...a); };
    return osc;
  }
};
"""
AUDIO = (
    "() => ({contexts: window.__audio.contexts, tones: window.__audio.tones, "
    "state: window.__audio.ctx ? window.__audio.ctx.state : null})"
)
# A gamepad the page can read (headless Chromium has none): the test moves its stick.
FAKE_PAD = """
window.__pad = { id: "test pad", index: 0, connected: true, mapping: "standard",
  axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, () => ({ pressed: false, value: 0 })) };
navigator.getGamepads = () => [window.__pad];
"""


def watch(page: Page) -> list[str]:
    """Page errors and console errors (an audio error would be one of them)."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    return problems


def points_later(page: Page, n: int = 1, timeout: int = 60_000) -> None:
    """Wait until n more points have been played (something happened on the court)."""
    page.wait_for_function("() => !!window.mirrorPong.frame()", timeout=timeout)  # a first one
    total = sum(page.evaluate(FRAME)["score"].values())
    page.wait_for_function(
        "(n) => { const s = window.mirrorPong.frame().score; return s.left + s.right >= n }",
        arg=total + n,
        timeout=timeout,
    )


def test_sound_starts_with_the_first_input_and_mute_is_remembered(browser: Browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(COUNT_AUDIO)
    page = context.new_page()
    problems = watch(page)
    open_game(page, site_url + "?seed=2")
    points_later(page)  # walls, hits and a point without any input: still silent
    assert page.evaluate(AUDIO)["contexts"] == 0
    page.keyboard.press("ArrowUp")  # the first input
    page.wait_for_function("() => window.__audio.contexts === 1")
    # A new context reports 'running' once its audio thread has started (later on a busy
    # machine): wait for it rather than read it at once.
    page.wait_for_function("() => window.__audio.ctx.state === 'running'", timeout=30_000)
    page.wait_for_function("() => window.__audio.tones > 0", timeout=60_000)

    page.fill("#volume", "30")  # the page's volume (moving it would also unmute)
    page.click("#mute-button")
    expect(page.locator("#mute-button")).to_have_attribute("aria-pressed", "true")
    tones = page.evaluate(AUDIO)["tones"]
    points_later(page)
    assert page.evaluate(AUDIO)["tones"] == tones  # muted: no new tone

    page.reload()
    page.wait_for_function("() => !!window.mirrorPong")
    page.evaluate("() => window.mirrorPong.ready")
    expect(page.locator("#mute-button")).to_have_attribute("aria-pressed", "true")
    assert page.locator("#volume").input_value() == "30"
    page.keyboard.press("ArrowDown")
    points_later(page)
    assert page.evaluate(AUDIO) == {"contexts": 0, "tones": 0, "state": None}  # nothing made
    page.click("#mute-button")  # unmuted by a click: now it sounds
    expect(page.locator("#mute-button")).to_have_attribute("aria-pressed", "false")
    page.wait_for_function(
        "() => window.__audio.contexts === 1 && window.__audio.tones > 0", timeout=60_000
    )
    page.keyboard.press("KeyM")  # the M key mutes too
    expect(page.locator("#mute-button")).to_have_attribute("aria-pressed", "true")
    assert problems == []
    context.close()


def test_a_gamepad_moves_the_paddle_and_pauses(browser: Browser, site_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(FAKE_PAD)
    page = context.new_page()
    problems = watch(page)
    open_game(page, site_url + "?seed=3")
    y0 = page.evaluate(FRAME)["paddles"]["left"]["y"]
    page.evaluate("() => { window.__pad.axes[1] = -1 }")  # the stick up
    page.wait_for_function("(y) => window.mirrorPong.frame().paddles.left.y < y - 0.15", arg=y0)
    expect(page.locator("#help")).to_be_hidden()  # a gamepad's move is a first move too
    page.evaluate("() => { window.__pad.axes[1] = 0.1; window.__pad.buttons[13].pressed = true }")
    y1 = page.evaluate(FRAME)["paddles"]["left"]["y"]
    page.wait_for_function("(y) => window.mirrorPong.frame().paddles.left.y > y + 0.15", arg=y1)
    page.evaluate("() => { window.__pad.buttons[13].pressed = false }")  # inside the deadzone
    page.wait_for_timeout(200)
    y2 = page.evaluate(FRAME)["paddles"]["left"]["y"]
    page.wait_for_timeout(300)
    assert abs(page.evaluate(FRAME)["paddles"]["left"]["y"] - y2) < 0.01  # it stays
    page.evaluate("() => { window.__pad.buttons[9].pressed = true }")  # Start pauses
    page.wait_for_function("() => window.mirrorPong.frame().paused")
    page.evaluate("() => { window.__pad.buttons[9].pressed = false }")
    page.wait_for_timeout(200)
    assert page.evaluate(FRAME)["paused"] is True  # once per press, not per frame
    assert problems == []
    context.close()


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_the_wide_layout_uses_the_width_and_the_help_goes_at_the_first_move(page: Page, site_url):
    open_game(page, site_url)
    page.wait_for_function("() => document.getElementById('panel').dataset.ready")
    expect(page.locator("#help")).to_be_visible()
    court, side = box(page, "#court"), box(page, ".mp-side")
    assert side["x"] >= court["x"] + court["width"]  # cards beside the court...
    assert side["y"] < court["y"] + court["height"] / 2
    assert court["y"] + court["height"] <= 800 and court["width"] >= 700  # ...which fits
    lefts = page.eval_on_selector_all(
        ".mp-rest > .mp-card", "cs => cs.map(c => Math.round(c.getBoundingClientRect().x))"
    )
    assert len(set(lefts)) >= 3, lefts  # and the others in columns under it
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1280 and size[1] <= 2400, size  # it was one column of 3,200 px
    page.mouse.move(court["x"] + 60, court["y"] + court["height"] / 3)  # the first move
    expect(page.locator("#help")).to_be_hidden()
    page.reload()
    page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_timeout(300)
    expect(page.locator("#help")).to_be_hidden()  # once per browser


def test_focus_scales_the_court_to_the_window_and_is_remembered(browser: Browser, site_url):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    open_game(page, site_url)
    page.click("#focus-button")
    expect(page.locator("#panel")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    court, controls = box(page, "#court"), box(page, ".controls")
    assert court["height"] >= 900 and court["width"] >= 1350, court
    assert controls["y"] + controls["height"] <= 1080  # the controls stay on screen
    page.reload()
    page.evaluate("() => window.mirrorPong.ready")
    expect(page.locator("#panel")).to_be_hidden()
    expect(page.locator("#focus-button")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_visible()
    context.close()


def test_the_winner_screen_fits_a_phone(browser: Browser, site_url: str):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    open_game(page, site_url + "?to=1&seed=5")
    for _ in range(200):
        frame = page.evaluate("() => window.mirrorPong.client.request('step', {ticks: 300})")
        if frame["match"]["state"] == "over":
            break
    expect(page.locator("#winner")).to_be_visible()
    court, card = box(page, "#court"), box(page, "#winner .overlay-card")
    assert court["width"] >= 360
    assert card["x"] >= court["x"] and card["x"] + card["width"] <= court["x"] + court["width"]
    assert card["y"] >= court["y"] and card["y"] + card["height"] <= court["y"] + court["height"]
    rematch = box(page, "#rematch-button")
    assert rematch["height"] >= 30  # a finger can hit it
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    page.tap("#rematch-button")
    expect(page.locator("#winner")).to_be_hidden()
    context.close()
