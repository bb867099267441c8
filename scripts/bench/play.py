"""Frame delivery and input to screen while a scripted player plays in real time: rAF
intervals and the frames drawn, the worker's cost per tick and per advance (a `bench` request,
mode 'stats'), and the time from an input event to the first drawn frame that shows the paddle
moving its way (window.mirrorPong.rendered()). Two players: one on a desktop keyboard, one
with a finger on an emulated phone (common.PHONE) whose CPU is throttled by Chromium
(Emulation.setCPUThrottlingRate), as a mid-range phone's would be."""

from __future__ import annotations

import bisect
import statistics
import time

from harness import hold_keys, page_js, request

from .common import FRAME_MS, PHONE, close_checked, gaps, new_game, pct

LATENCY_WINDOW_MS = 500  # an input that shows no effect within this is not counted
MIN_STEER = 0.03  # court units: a finger this close to the paddle asks for no move


def follow_ball(frame: dict) -> str | None:
    """The keyboard player's style: follow the ball while it comes, go home when it leaves."""
    y = frame["paddles"]["left"]["y"]
    target = finger_target(frame)
    return "ArrowUp" if target < y - 0.04 else "ArrowDown" if target > y + 0.04 else None


def finger_target(frame: dict) -> float:
    """The finger's height (court units): the ball's while it comes, the middle otherwise."""
    return frame["ball"]["y"] if frame["ball"]["vx"] < 0 else frame["court"]["h"] / 2


def first_move(draws: list, t: float, sign: int) -> float | None:
    """Milliseconds from `t` to the first later draw whose human paddle moved by `sign`
    (`draws`: (time, y), in time order)."""
    for i in range(max(1, bisect.bisect_right(draws, t, key=lambda d: d[0])), len(draws)):
        dt = draws[i][0] - t
        if dt > LATENCY_WINDOW_MS:
            return None
        if (draws[i][1] - draws[i - 1][1]) * sign > 1e-6:
            return dt
    return None


def input_latencies(draws: list, keys: list) -> tuple[list[float], int]:
    """Key down -> first later draw whose human paddle moved that way; (latencies, excluded)."""
    out, excluded = [], 0
    for t, kind, code in keys:
        if kind != "down" or code not in ("ArrowUp", "ArrowDown"):
            continue
        found = first_move(draws, t, -1 if code == "ArrowUp" else 1)
        if found is None:
            excluded += 1  # pressed against a wall, or released before it showed
        else:
            out.append(found)
    return out, excluded


def touch_latencies(draws: list, touches: list) -> tuple[list[float], int]:
    """A finger put down or moved to the other side of a paddle at rest or moving away ->
    the first later draw whose paddle moves towards it. `touches`: (time, target y in court
    units); a finger that asks for the way the paddle already goes is not a new input."""
    out, excluded = [], 0
    for t, target in touches:
        i = bisect.bisect_right(draws, t, key=lambda d: d[0])
        before = draws[max(0, i - 2) : i]
        if len(before) < 2 or abs(target - before[-1][1]) < MIN_STEER:
            continue
        sign = 1 if target > before[-1][1] else -1
        if (before[1][1] - before[0][1]) * sign > 1e-6:
            continue  # already on its way
        found = first_move(draws, t, sign)
        if found is None:
            excluded += 1
        else:
            out.append(found)
    return out, excluded


def frame_figures(rec: dict, seconds: float) -> dict:
    """rAF and draw figures from the page's recording (scripts/bench_page/record_frames.js)."""
    raf = rec["raf"]
    g = gaps(raf)
    return {
        "seconds": seconds,
        "frames": len(raf),
        "frames_per_min": len(raf) * 60 / seconds,
        "draws": len(rec["draws"]),
        "interval_median_ms": statistics.median(g),
        "interval_p95_ms": pct(g, 95),
        "interval_p99_ms": pct(g, 99),
        "late_share": sum(x > 1.5 * FRAME_MS for x in g) / len(g),
    }


def latency_figures(lat: list[float], excluded: int) -> dict:
    """Input-to-screen figures from latencies in ms."""
    return {
        "input_presses": len(lat),
        "input_excluded": excluded,
        "input_median_ms": statistics.median(lat) if lat else None,
        "input_p95_ms": pct(lat, 95) if lat else None,
    }


def start_recording(page) -> None:
    """Unpause, focus the court as a player would, and start the page-side recorder."""
    request(page, "pause", {"paused": False})
    page.bring_to_front()
    page.locator("#court-canvas").focus()
    page.wait_for_timeout(500)
    request(page, "bench", {"mode": "stats", "reset": True})
    page.evaluate(page_js("record_frames"))


def stop_recording(page) -> tuple[dict, dict]:
    """The page's recording and the worker's tick statistics."""
    rec = page.evaluate("() => { window.__benchRec.on = false; return window.__benchRec; }")
    return rec, request(page, "bench", {"mode": "stats"})


def bench_desktop(browser, url: str, seconds: float) -> dict:
    """`seconds` of keyboard play on a 1280x800 desktop page."""
    context, page = new_game(browser, url)
    start_recording(page)
    hold_keys(page, seconds, follow_ball)
    rec, stats = stop_recording(page)
    close_checked(context, page)
    lat, excluded = input_latencies(rec["draws"], rec["keys"])
    return {
        **frame_figures(rec, seconds),
        **latency_figures(lat, excluded),
        "tick_ms": stats["tick_ms"],
        "advance_ms": stats["advance_ms"],
    }


def hold_finger(page, cdp, seconds: float) -> int:
    """Steer the left paddle with a finger for `seconds` through Chromium's touch input: every
    ~30 ms read the latest frame and move the finger to finger_target(frame) when it is
    MIN_STEER away from where it is. Returns the finger moves made."""
    box = page.locator("#court-canvas").bounding_box()
    x = box["x"] + 0.08 * box["width"]
    at, moves = None, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        frame = page.evaluate("() => window.mirrorPong.frame()")
        target = finger_target(frame)
        if at is None or abs(target - at) >= MIN_STEER:
            y = box["y"] + box["height"] * target / frame["court"]["h"]
            kind = "touchStart" if at is None else "touchMove"
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
            at, moves = target, moves + 1
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    return moves


def bench_phone(browser, url: str, rate: float, seconds: float) -> dict:
    """`seconds` of finger play on an emulated phone with its CPU `rate` times slower."""
    context, page = new_game(browser, url, PHONE)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    # Ready comes before the first frame; on a slow phone it can be drawn a while later.
    page.wait_for_function("() => window.mirrorPong.frame() !== null", timeout=60_000)
    court = page.evaluate("() => window.mirrorPong.frame().court.h")
    box = page.locator("#court-canvas").bounding_box()
    start_recording(page)
    hold_finger(page, cdp, seconds)
    rec, stats = stop_recording(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    close_checked(context, page)
    # Finger heights as court units, from the court's box (the page does not scroll in play).
    touches = [(t, (y - box["y"]) / box["height"] * court) for t, y in rec["touches"]]
    lat, excluded = touch_latencies(rec["draws"], touches)
    return {
        **frame_figures(rec, seconds),
        **latency_figures(lat, excluded),
        "rate": rate,
        "court_px": [box["width"], box["height"]],
        "tick_ms": stats["tick_ms"],
    }
