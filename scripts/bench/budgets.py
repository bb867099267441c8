"""What a training budget costs in the page: the same keyboard play at each of the page's
budgets (`?budget=light`, `normal`, `full`, from the schema), the worker's own measure of its
training cost (`metrics.cost.train_ms_per_s`: milliseconds of training per game second,
sampled every few seconds, median), the game ticks' cost (the sampler's work included) and
the training steps it took per game second. The result that matters is each budget's cost as
a share of Normal's (issue 22: Light at most 30 %), for training and for the whole worker.
A site whose schema has no budgets (code from before them) gives no figures."""

from __future__ import annotations

import statistics

from harness import hold_keys, request

from .common import close_checked, new_game
from .play import follow_ball

SAMPLES = 6  # cost readings per budget, one after each slice of play


def with_param(url: str, key: str, value: str) -> str:
    """`url` with one more address parameter."""
    return f"{url}{'&' if '?' in url else '?'}{key}={value}"


def bench_budget(browser, url: str, name: str, seconds: float) -> dict:
    """`seconds` of keyboard play at budget `name`: its cost and steps per game second."""
    context, page = new_game(browser, with_param(url, "budget", name))
    request(page, "pause", {"paused": False})
    page.bring_to_front()
    page.locator("#court-canvas").focus()
    hold_keys(page, min(5.0, seconds / SAMPLES), follow_ball)  # the cost average settles
    request(page, "bench", {"mode": "stats", "reset": True})
    first = request(page, "get_metrics")
    costs = []
    for _ in range(SAMPLES):
        hold_keys(page, seconds / SAMPLES, follow_ball)
        costs.append(request(page, "get_metrics")["cost"]["train_ms_per_s"])
    last = request(page, "get_metrics")
    ticks = request(page, "bench", {"mode": "stats"})["tick_ms"]
    close_checked(context, page)
    game_s = last["t"] - first["t"]
    tick_ms_per_s = ticks.get("total", 0.0) / game_s if game_s > 0 else None
    return {
        "budget": name,
        "steps_per_second": last["cost"]["steps_per_second"],
        "lowered": last["cost"]["lowered"],
        "train_ms_per_s": statistics.median(costs),
        "steps_per_game_s": (last["steps"] - first["steps"]) / game_s if game_s > 0 else None,
        # The game ticks (the sampler's choice of frames included: `mistakes` asks the clone
        # about every frame) cost the worker this much too.
        "tick_ms_per_s": tick_ms_per_s,
        "worker_ms_per_s": None
        if tick_ms_per_s is None
        else tick_ms_per_s + statistics.median(costs),
        "sampler": last["settings"].get("sampler"),
    }


def bench_budgets(browser, server, seconds: float) -> dict:
    """Every budget of the site's schema, then each one's cost over Normal's."""
    context, page = new_game(browser, server.url)
    schema = request(page, "schema").get("schema", {})
    close_checked(context, page)
    names = [b["name"] for b in schema.get("budgets", [])]
    if not names:
        return {}
    out: dict = {n: bench_budget(browser, server.url, n, seconds) for n in names}
    base = out.get(schema.get("default_budget", "normal"), {})
    normal, worker = base.get("train_ms_per_s"), base.get("worker_ms_per_s")
    for n in names:
        if normal:
            out[f"{n}_over_normal"] = out[n]["train_ms_per_s"] / normal
        if worker and out[n]["worker_ms_per_s"] is not None:
            out[f"{n}_worker_over_normal"] = out[n]["worker_ms_per_s"] / worker
    return out
