"""'Which one is you?' in a real Chromium: after three minutes of scripted play the mirror test
runs ten rounds. The answer key comes from the documented test-only request
`debug_mirror_key`, so this test plays a judge that is always right (fooled 0 %) and one that
always picks the left replay (fooled 50 %: the key is balanced); both results are kept with the
clone's history, shown in the You-vs-clone card, and survive a reload in the saved clone. The
fingerprint judge's accuracy on the same pairs is reported beside the human's."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import hold_keys, open_game
from tests.e2e.test_style import low_and_under

CARD = "document.getElementById('mirror-card')"
SAVES = "() => Number(document.getElementById('panel').dataset.saves || 0)"


def take_the_test(page: Page, judge) -> dict:
    """Run one test through the page, picking ``judge(key, round)`` each round."""
    page.click("#mirror-start")
    page.wait_for_function(f"() => {CARD}.dataset.state === 'round'", timeout=90_000)
    assert page.locator("#pause-button").is_disabled()  # held paused while the player judges
    key = page.evaluate("() => window.mirrorPong.client.request('debug_mirror_key')")["key"]
    assert len(key) == 10 and key.count("a") == 5
    for i in range(10):
        page.wait_for_function(
            f"(i) => {CARD}.dataset.state === 'round' && {CARD}.dataset.round === String(i)"
            " && !document.getElementById('mirror-pick-a').disabled",
            arg=i,
        )
        if i == 0:  # both replays are being drawn, side by side
            page.wait_for_function(
                "() => ['mirror-a', 'mirror-b'].every(id => "
                "Number(document.getElementById(id).dataset.updates) > 10)"
            )
        page.click(f"#mirror-pick-{judge(key, i)}")
    page.wait_for_function(f"() => {CARD}.dataset.state === 'done'")
    return json.loads(page.locator("#mirror-card").get_attribute("data-result") or "{}")


def history(page: Page) -> list[dict]:
    return json.loads(page.locator("#style-card").get_attribute("data-history") or "[]")


def test_the_mirror_test_after_three_minutes_of_play(page: Page, site_url: str) -> None:
    open_game(page, site_url + "?seed=11")
    page.locator("#court-canvas").focus()
    hold_keys(page, 180, low_and_under)
    expect(page.locator("#mirror-start")).to_be_enabled()

    right = take_the_test(page, lambda key, i: key[i])
    assert right["fooled"] == 0 and right["rounds"] == 10 and right["kept"], right
    sentence = page.locator("#mirror-sentence").text_content() or ""
    assert "in 0 of 10 rounds (0%)" in sentence, sentence
    machine = re.search(r"fingerprint judge named you right in (\d+) of 10", sentence)
    assert machine and int(machine.group(1)) == right["machine_right"], sentence
    expect(page.locator("#mirror-table tbody tr")).to_have_count(10)
    assert page.locator("#mirror-table tr[data-fooled='true']").count() == 0

    left = take_the_test(page, lambda key, i: "a")
    assert left["fooled"] == 5 and left["kept"], left  # about 50 %: exactly, the key is balanced
    assert 0 <= left["machine_right"] <= 10
    assert "in 5 of 10 rounds (50%)" in (page.locator("#mirror-sentence").text_content() or "")
    assert [h["fooled"] for h in history(page)] == [0, 5]
    expect(page.locator("#style-mirror-table tbody tr")).to_have_count(2)
    expect(page.locator("#style-mirror-table tbody tr").first).to_contain_text("5 of 10 (50%)")

    saves = page.evaluate(SAVES)  # the history is kept in the saved clone
    page.wait_for_function(f"(n) => ({SAVES[6:]}) > n", arg=saves, timeout=20_000)
    page.reload()
    page.wait_for_function("() => !!window.mirrorPong")
    page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_function("() => document.getElementById('style-card').dataset.history")
    assert [h["fooled"] for h in history(page)] == [0, 5]
    assert [h["machine_right"] for h in history(page)] == [
        right["machine_right"],
        left["machine_right"],
    ]
    assert page.errors == []  # type: ignore[attr-defined]
