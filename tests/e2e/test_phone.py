"""Touch play on a phone-shaped page in a real Chromium (390x844, DPR 3, touch): the court is
as large as the screen allows and fully visible without scrolling, a finger steers the left
paddle, and the dashboard folds behind a button, drawing nothing while folded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import open_game

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
FRAME = "() => window.mirrorPong.frame()"
LEFT_Y = "() => window.mirrorPong.frame().paddles.left.y"
CHARTS = ("loss-chart", "mirror-chart", "samples-chart", "buffer-chart", "network-view")
UPDATES = "(ids) => ids.map(id => Number(document.getElementById(id).dataset.updates))"


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def court_box(page: Page) -> dict:
    return page.locator("#court-canvas").bounding_box()


def finger(cdp, kind: str, x: float = 0, y: float = 0) -> None:
    """A real touch through Chromium's input pipeline (as a finger on a screen); one CDP
    session carries a whole touch, start to end."""
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def wait_left(page: Page, test: str) -> float:
    """Wait until the left paddle's y passes `test` (a JS comparison on y); return y."""
    page.wait_for_function(f"() => {{ const y = window.mirrorPong.frame().paddles.left.y; "
                           f"return y {test}; }}", timeout=5_000)  # fmt: skip
    return page.evaluate(LEFT_Y)


def test_a_finger_steers_the_left_paddle_on_a_fully_visible_court(
    phone: Page, site_url: str
) -> None:
    open_game(phone, site_url + "?seed=11")
    box = court_box(phone)
    assert phone.evaluate("() => [scrollX, scrollY]") == [0, 0]
    # As large as the screen allows in portrait: edge to edge, and all of it on screen.
    assert box["x"] == 0 and box["width"] == 390
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844
    # The dashboard waits behind a button: nothing below the controls to scroll to.
    assert phone.locator("#panel").is_hidden()
    assert phone.locator("#dash-toggle").is_visible()
    assert phone.evaluate("() => document.documentElement.scrollHeight") <= 844
    frame = phone.evaluate(FRAME)
    h = frame["court"]["h"]
    x = box["x"] + 0.1 * box["width"]
    cdp = phone.context.new_cdp_session(phone)
    finger(cdp, "touchStart", x, box["y"] + 0.12 * box["height"])
    assert wait_left(phone, f"< {0.3 * h}") < 0.3 * h  # the paddle goes up to the finger
    finger(cdp, "touchMove", x, box["y"] + 0.88 * box["height"])
    assert wait_left(phone, f"> {0.7 * h}") > 0.7 * h  # and follows it down
    finger(cdp, "touchEnd")
    assert phone.evaluate("() => [scrollX, scrollY]") == [0, 0]  # steering never scrolled
    assert phone.errors == []  # type: ignore[attr-defined]


def test_the_folded_dashboard_draws_nothing_until_it_is_opened(phone: Page, site_url: str) -> None:
    open_game(phone, site_url)
    phone.wait_for_function("() => document.getElementById('panel').dataset.ready")
    phone.wait_for_timeout(2_000)  # metrics and network replies arrive meanwhile
    assert phone.evaluate(UPDATES, list(CHARTS)) == [0] * len(CHARTS)
    toggle = phone.locator("#dash-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.locator("#panel").is_visible()
    phone.wait_for_function(  # the first card comes into view and draws
        "() => Number(document.getElementById('loss-chart').dataset.updates) > 0"
    )
    toggle.click()
    assert phone.locator("#panel").is_hidden()
    assert phone.errors == []  # type: ignore[attr-defined]


def test_in_landscape_the_court_is_as_tall_as_the_screen(phone: Page, site_url: str) -> None:
    phone.set_viewport_size({"width": 844, "height": 390})
    open_game(phone, site_url)
    box = court_box(phone)
    assert box["y"] == 0 and box["height"] == 390
    assert box["width"] == pytest.approx(390 * phone.evaluate(FRAME)["court"]["w"], abs=1)
    assert box["x"] + box["width"] <= 844  # the controls beside it
    controls = phone.locator("#pause-button").bounding_box()
    assert controls["x"] >= box["x"] + box["width"]
    assert phone.errors == []  # type: ignore[attr-defined]
