"""A match worth playing, in a real Chromium: a scripted player plays a whole match to 5 with
real key events and the winner screen appears; Rematch starts 0-0 with the same clone; the
history (and its chart, from two matches on) survives a reload; a restarted worker goes on
with the match; axe-core finds nothing wrong with the winner screen and the first-visit help."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, hold_keys, open_game

FRAME = "() => window.mirrorPong.frame()"
SAVES = "() => Number(document.getElementById('panel').dataset.saves || 0)"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page, selector: str) -> list[dict]:
    """axe-core's violations inside ``selector`` (axe.min.js from node_modules, evaluated in the
    page: no CDN, and no inline script a Content-Security-Policy would refuse)."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "(sel) => axe.run(document.querySelector(sel)).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html)})))",
        selector,
    )
    return result


def fold(y: float, r: float, h: float) -> float:
    """Where a ball centre at unbounded height y really is, after wall bounces."""
    span = h - 2 * r
    z = (y - r) % (2 * span)
    return r + (2 * span - z if z > span else z)


def tracker(frame: dict) -> str | None:
    """Meet the ball where it will cross the paddle's line; wait in the middle otherwise."""
    ball, court = frame["ball"], frame["court"]
    y = frame["paddles"]["left"]["y"]
    target = court["h"] / 2
    if ball["vx"] < 0:
        t = max(ball["x"] - frame["paddles"]["left"]["x"], 0.0) / -ball["vx"]
        target = fold(ball["y"] + ball["vy"] * t, ball["r"], court["h"])
    return "ArrowUp" if target < y - 0.02 else "ArrowDown" if target > y + 0.02 else None


def play_match(page: Page, limit_s: float = 240.0) -> dict:
    """Play the left paddle with real key events until the match is over; its last frame."""
    over = lambda f: f["match"]["state"] == "over"  # noqa: E731
    frame = hold_keys(page, limit_s, tracker, until=over)[-1]
    assert frame["match"]["state"] == "over", f"no winner in {limit_s} s: {frame['score']}"
    return frame


def matches(page: Page) -> dict:
    return page.evaluate("() => window.mirrorPong.client.request('get_matches')")


def test_a_match_to_five_a_rematch_and_the_history_after_a_reload(page: Page, site_url: str):
    # Learning off: a clone that learns the tracker returns nearly every ball, and a match
    # between two players who never miss has no winner (this test is about matches).
    ready = open_game(page, site_url + "?to=5&seed=3&learning=off")
    assert ready["settings"]["to"] == 5 and ready["settings"]["learning"] is False
    expect(page.locator("#help")).to_be_visible()
    assert axe_violations(page, "#help") == []
    page.locator("#court-canvas").focus()
    last = play_match(page)
    expect(page.locator("#help")).to_be_hidden()  # gone at the first move
    score, m = last["score"], last["match"]
    assert max(score.values()) >= 5 and abs(score["left"] - score["right"]) >= 2, score
    assert m["number"] == 1 and m["to"] == 5
    winner = page.locator("#winner")
    expect(winner).to_be_visible()
    page.click("#pause-button")  # the next match would start by itself in a few seconds
    title = "You win!" if score["left"] > score["right"] else "The clone wins"
    expect(page.locator("#winner-title")).to_have_text(title)
    expect(page.locator("#winner-you")).to_have_text(str(score["left"]))
    expect(page.locator("#winner-detail")).to_contain_text("minutes of your play")
    expect(page.locator("#winner-next")).to_contain_text("as soon as you move")
    expect(page.locator("#winner-trend")).to_contain_text("Your margin")
    assert axe_violations(page, "#winner") == []
    page.click("#pause-button")

    first = matches(page)
    assert [(r["left"], r["right"]) for r in first["history"]] == [(score["left"], score["right"])]
    steps = page.evaluate("() => window.mirrorPong.client.request('get_metrics')")["steps"]
    page.click("#rematch-button")
    expect(winner).to_be_hidden()
    page.wait_for_function("() => window.mirrorPong.frame().match.number === 2")
    frame = page.evaluate(FRAME)
    assert frame["score"] == {"left": 0, "right": 0} and frame["match"]["state"] == "countdown"
    again = matches(page)
    assert again["history"] == first["history"] and again["age_s"] >= first["age_s"]  # same clone
    assert page.evaluate("() => window.mirrorPong.client.request('get_metrics')")["steps"] >= steps

    # The second match, fast: `step` runs the worker's ticks (a documented request); the
    # player stands still, so this one goes quickly too.
    saves = page.evaluate(SAVES)
    for _ in range(600):
        frame = page.evaluate("() => window.mirrorPong.client.request('step', {ticks: 300})")
        if frame["match"]["state"] == "over":
            break
    assert frame["match"]["number"] == 2 and frame["match"]["state"] == "over"
    expect(winner).to_be_visible()
    page.wait_for_function(f"() => ({SAVES[6:]}) > {saves}")  # a won match is saved at once
    history = matches(page)["history"]
    assert [r["number"] for r in history] == [1, 2]

    # The chart shows from two matches on, and draws the history's own values.
    expect(page.locator("#match-chart-box")).to_be_visible()
    page.wait_for_function(
        "() => Number(document.getElementById('match-margin-chart').dataset.updates) > 0"
    )
    chart = page.evaluate("() => JSON.parse(document.getElementById('match-card').dataset.chart)")
    assert chart == {
        "number": [r["number"] for r in history],
        "margin": [r["left"] - r["right"] for r in history],
        "returns": [r["returns"] for r in history],
    }
    expect(page.locator("#match-table tbody tr")).to_have_count(2)

    page.reload()
    page.wait_for_function("() => !!window.mirrorPong")
    page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_function("() => document.getElementById('panel').dataset.restored === 'saved'")
    after = matches(page)
    assert after["history"] == history
    assert after["current"]["number"] == 3 and after["current"]["to"] == 5  # ?to=5 still
    expect(page.locator("#help")).to_be_hidden()  # the first-visit help was seen
    expect(page.locator("#match-chart-box")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]


def test_keep_playing_has_no_end_and_a_bad_to_is_refused(page: Page, site_url: str):
    open_game(page, site_url + "?to=100&seed=4")
    expect(page.locator("#notices")).to_contain_text('Ignored to="100"')
    expect(page.locator("#notices")).to_contain_text("from 1 to 99")
    assert page.evaluate(FRAME)["match"]["to"] == 11  # the default plays
    page.evaluate("() => window.mirrorPong.client.request('new_match', {to: 1})")
    for _ in range(200):
        frame = page.evaluate("() => window.mirrorPong.client.request('step', {ticks: 300})")
        if frame["match"]["state"] == "over":
            break
    expect(page.locator("#winner")).to_be_visible()
    page.click("#keep-playing-button")
    expect(page.locator("#winner")).to_be_hidden()
    page.wait_for_function("() => window.mirrorPong.frame().match.state === 'free'")
    before = sum(page.evaluate(FRAME)["score"].values())
    for _ in range(40):  # short steps: a long one would look like a stalled worker
        frame = page.evaluate("() => window.mirrorPong.client.request('step', {ticks: 300})")
        assert frame["match"]["state"] == "free", frame["match"]
        if sum(frame["score"].values()) > before + 1:
            break
    assert sum(frame["score"].values()) > before + 1  # past the match's end, no winner
    expect(page.locator("#winner")).to_be_hidden()
    page.fill("#match-to", "3")
    page.click("#new-match")
    page.wait_for_function("() => window.mirrorPong.frame().match.to === 3")
    assert page.evaluate(FRAME)["score"] == {"left": 0, "right": 0}
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_restarted_worker_goes_on_with_the_match(page: Page, site_url: str):
    open_game(page, site_url + "?to=7&seed=6")
    page.wait_for_function("() => document.getElementById('panel').dataset.restored")
    page.wait_for_function(f"() => ({FRAME})() !== null")  # null before the first frame
    frame = page.evaluate(FRAME)
    while sum(frame["score"].values()) < 2:  # short steps: a long one looks like a dead worker
        frame = page.evaluate("() => window.mirrorPong.client.request('step', {ticks: 240})")
    page.click("#pause-button")  # paused: the score cannot move while the worker is replaced
    page.wait_for_function("() => window.mirrorPong.frame().paused")
    before = page.evaluate(FRAME)
    page.evaluate("() => window.mirrorPong.client.send('debug_crash')")
    page.wait_for_function(
        "() => Number(document.body.dataset.restarts || 0) === 1", timeout=90_000
    )
    page.wait_for_function("() => window.mirrorPong.frame().tick < 100")  # the new worker's
    after = page.evaluate(FRAME)
    assert after["score"] == before["score"]
    assert after["match"]["number"] == before["match"]["number"] and after["match"]["to"] == 7
    assert after["paused"] is True
    assert page.errors == []  # type: ignore[attr-defined]


def test_old_weights_file_imports_on_the_page(page: Page, site_url: str):
    open_game(page, site_url)
    page.wait_for_function("() => document.getElementById('panel').dataset.restored")
    old = Path(ROOT / "tests" / "data" / "weights-v1-issue-18.json")
    page.set_input_files("#import-input", str(old))
    expect(page.locator("#panel-notice")).to_contain_text("Imported clone")
    assert matches(page)["history"] == []
