"""Style fingerprint: *how* one side plays, summarised from a recording's decoded columns.

Why: the race's hit-offset profile alone calls a clone a mirror even when it waits in a corner
while its player waits at the centre, or reacts half a second later. A fingerprint summarises
several traits of one side's play over a window of ticks, so the page can show "you vs your
clone" and the race / Lab can judge the whole style (``mirrors``). Pure: no I/O, no clocks;
every value is a plain float / int / list / None, so the dicts go to the page as strict JSON.

Input: ``Recording.decoded()`` columns. A row is the state *before* a tick's transition;
``events`` / ``hit_offset`` are what that transition produced. *In play* = ``serve_timer == 0``.
A *rally* is a maximal run of consecutive in-play ticks (serve to point; a window edge may cut
one, and a cut rally still counts as one). Left = the human, right = the clone.

==================  ==========================================================  ===============
trait               definition                                                  unit
==================  ==========================================================  ===============
hit_offset          offsets of the side's paddle hits; median, spread (IQR),    offset units
                    n hits, hist (counts over HIT_OFFSET_BINS), quantiles       (-1 top end, +1
                    (N_QUANTILES, evenly spaced 0..1)                           bottom; 1 = half
                                                                                a paddle)
wait_y              the side's paddle centre on in-play ticks with the ball     court heights
                    moving away from it; same stats, hist over WAIT_Y_BINS,     (0 top, 1 bottom)
                    n = ticks
reaction_s          per opponent hit: time from the first state after the hit   seconds
                    to the side's first non-stay tick, searched until the ball
                    comes back (its own hit or a point). No move by then: the
                    hit is excluded; later than REACTION_CAP_S: capped. Already
                    moving at the hit: 0. median, spread (IQR), n = reactions
moving_share        share of in-play ticks with a non-stay action (n = ticks)   share, 0..1
switches_per_rally  up<->down changes within rallies, stays in between          switches/rally
                    ignored (up, stay, down = 1 switch), / rallies (n)
returns             hits / (hits + points conceded) (n = hits + conceded)       share, 0..1
points_per_min      points won / minutes of the window, serve pauses included   points/minute
                    (n = points won)
==================  ==========================================================  ===============

A statistic over fewer than its ``MIN_*`` samples is None (never NaN); ``n`` is always given.

API: ``fingerprint(cols, side, since_t)`` -> one side's traits; ``distance(a, b)`` -> per-trait
gaps in trait units plus ``overall`` (mean of gaps / ``TOLERANCES``); ``mirrors(clone, player)``
-> the hit-and-wait mirror verdict under ``MirrorLimits``; ``compare(cols, since_t)`` -> both
sides, their distance and a plain sentence for the page. Cost: about 30 ms for 30 minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .game import STAY, GameParams
from .recording import EVENT_BITS, Recording

HIT_OFFSET_BINS: tuple[float, ...] = tuple(np.linspace(-1.0, 1.0, 11).round(6).tolist())
WAIT_Y_BINS: tuple[float, ...] = tuple(np.linspace(0.0, 1.0, 11).round(6).tolist())
N_QUANTILES = 101  # as race.wasserstein1, so W1 from two fingerprints equals W1 of the samples
REACTION_CAP_S = 1.5  # a first move later than this counts as this (seconds)
MIN_HITS = 3  # hit_offset stats need this many hits
MIN_WAIT_TICKS = 60  # wait_y stats need half a second of waiting
MIN_REACTIONS = 3  # reaction_s needs this many measured reactions
MIN_PLAY_S = 5.0  # moving_share and points_per_min need this many seconds (in play / window)
MIN_BALLS = 3  # returns needs this many balls coming at the side (hits + conceded)
MIN_SENTENCE_BALLS = 5  # the sentence needs each side to have met this many balls (returns n)
# Per-trait tolerance: the distance that counts as "just noticeably different" (trait units).
TOLERANCES: dict[str, float] = {
    "hit_offset": 0.15,  # offset units (race.RaceConfig.max_median_diff)
    "wait_y": 0.1,  # court heights
    "reaction_s": 0.15,  # seconds
    "moving_share": 0.1,  # share
    "switches_per_rally": 1.0,  # switches per rally
    "returns": 0.1,  # share
    "points_per_min": 1.0,  # points per minute
}
PROFILE_TRAITS = ("hit_offset", "wait_y")  # traits with a distribution (median, quantiles)
SCALAR_TRAITS = ("reaction_s", "moving_share", "switches_per_rally", "returns", "points_per_min")
NOT_ENOUGH = "Play a few rallies to see how your clone's style compares."
_SCORE = EVENT_BITS["score_left"] | EVENT_BITS["score_right"]


def _num(x: float) -> float | None:
    """A plain float, or None for NaN / infinity (strict JSON has neither)."""
    x = float(x)
    return x if math.isfinite(x) else None


def _profile(x: np.ndarray, edges: tuple[float, ...], min_n: int) -> dict:
    """Median, IQR, n, histogram counts and quantiles of a sample (stats None if too small)."""
    hist = np.histogram(np.clip(x, edges[0], edges[-1]), bins=np.asarray(edges))[0]
    out = {"median": None, "spread": None, "n": len(x), "hist": [int(c) for c in hist]}
    out["quantiles"] = None
    if len(x) >= min_n:
        # np.quantile's linear rule, on one sort (np.quantile costs far more per call).
        xs = np.sort(x)
        at = np.linspace(0.0, 1.0, N_QUANTILES) * (len(xs) - 1)
        qs = np.interp(at, np.arange(len(xs)), xs)
        q25, q50, q75 = np.interp(
            np.array([0.25, 0.5, 0.75]) * (len(xs) - 1), np.arange(len(xs)), xs
        )
        out.update(median=_num(q50), spread=_num(q75 - q25), quantiles=[float(q) for q in qs])
    return out


def _rally_ids(tick: np.ndarray, in_play: np.ndarray) -> tuple[np.ndarray, int]:
    """Rally number of every tick (meaningful where in play) and the number of rallies."""
    cont = np.zeros(len(tick), dtype=bool)
    cont[1:] = in_play[:-1] & (np.diff(tick) == 1)
    start = in_play & ~cont
    return np.cumsum(start) - 1, int(start.sum())


def _reactions(c: dict, side: str, opp: str, dt: float) -> np.ndarray:
    """Seconds from each opponent hit to this side's first move (see the trait table)."""
    n, act, ev = len(c["tick"]), c[f"{side}_action"], c["events"]
    start = np.flatnonzero(ev & EVENT_BITS[f"hit_{opp}"]) + 1  # first state after the hit
    start = start[start < n]
    moves = np.flatnonzero(act != STAY)
    ends = np.flatnonzero(ev & (EVENT_BITS[f"hit_{side}"] | _SCORE))
    if len(start) == 0 or len(moves) == 0:
        return np.zeros(0)
    k = np.searchsorted(moves, start)
    first = moves[np.minimum(k, len(moves) - 1)]
    e = np.searchsorted(ends, start)
    end = np.where(e < len(ends), ends[np.minimum(e, max(len(ends) - 1, 0))], n - 1)
    ok = (k < len(moves)) & (first <= end)
    # Times from the tick count: a gap in the ticks must not look like a fast reaction.
    return np.minimum((c["tick"][first[ok]] - c["tick"][start[ok]]) * dt, REACTION_CAP_S)


def fingerprint(
    cols: dict, side: str, since_t: float | None = None, params: GameParams | None = None
) -> dict:
    """How ``side`` ('left' | 'right') plays in ``cols`` (``Recording.decoded()`` columns),
    over the ticks with ``t >= since_t`` (all when None). Returns {"side", "seconds" (window
    length, s), "hit_offset", "wait_y": {median, spread, n, hist, quantiles}, "reaction_s":
    {median, spread, n}, "moving_share", "switches_per_rally", "returns", "points_per_min":
    {value, n}}; definitions and units in the module docstring.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    params = params or GameParams()
    opp, dt = ("right" if side == "left" else "left"), params.dt
    c = {k: np.asarray(v) for k, v in cols.items()}
    if since_t is not None:
        keep = c["t"] >= since_t
        c = {k: v[keep] for k, v in c.items()}
    ev, act = c["events"].astype(np.int64), c[f"{side}_action"]
    c["events"] = ev
    in_play = c["serve_timer"] <= 0.0
    # Away from me: the vectorised ``not features.approaching`` while the ball is in play.
    away = in_play & ((c["ball_vx"] > 0.0) if side == "left" else (c["ball_vx"] < 0.0))
    hits = (ev & EVENT_BITS[f"hit_{side}"]) != 0
    conceded = int(np.count_nonzero(ev & EVENT_BITS[f"score_{opp}"]))
    won = int(np.count_nonzero(ev & EVENT_BITS[f"score_{side}"]))
    reactions = _reactions(c, side, opp, dt)
    rid, rallies = _rally_ids(c["tick"], in_play)
    moving = in_play & (act != STAY)
    a, r = act[moving], rid[moving]
    switches = int(np.count_nonzero((a[1:] != a[:-1]) & (r[1:] == r[:-1])))
    seconds, play_s, balls = len(ev) * dt, int(in_play.sum()) * dt, int(hits.sum()) + conceded

    def rate(value: float, n: int, enough: bool) -> dict:
        return {"value": _num(value) if enough else None, "n": n}

    react: dict = {"median": None, "spread": None, "n": len(reactions)}
    if len(reactions) >= MIN_REACTIONS:
        q25, q50, q75 = np.quantile(reactions, [0.25, 0.5, 0.75])
        react.update(median=_num(q50), spread=_num(q75 - q25))
    return {
        "side": side,
        "seconds": float(seconds),
        "hit_offset": _profile(c["hit_offset"][hits], HIT_OFFSET_BINS, MIN_HITS),
        "wait_y": _profile(c[f"{side}_y"][away] / params.court_h, WAIT_Y_BINS, MIN_WAIT_TICKS),
        "reaction_s": react,
        "moving_share": rate(
            moving.sum() / max(in_play.sum(), 1), int(in_play.sum()), play_s >= MIN_PLAY_S
        ),
        "switches_per_rally": rate(switches / max(rallies, 1), rallies, rallies >= 1),
        "returns": rate(int(hits.sum()) / max(balls, 1), balls, balls >= MIN_BALLS),
        "points_per_min": rate(won / max(seconds, dt) * 60.0, won, seconds >= MIN_PLAY_S),
    }


def _value(fp: dict, name: str) -> float | None:
    """The headline number of a trait: the median of a distribution, else the value."""
    return fp[name]["median"] if "median" in fp[name] else fp[name]["value"]


def distance(fp_a: dict, fp_b: dict) -> dict:
    """How far apart two fingerprints are, per trait in the trait's own units.

    ``hit_offset`` / ``wait_y``: {"median": |median difference|, "w1": Wasserstein-1 between
    the samples (mean |quantile difference| over N_QUANTILES, as ``race.wasserstein1``)};
    every other trait: |difference| of its median / value. ``scaled`` divides each trait by
    its ``TOLERANCES`` entry (profiles: the larger of median and w1), so 1 = just at the
    tolerance; ``overall`` is the mean of the scaled traits present (a single number that
    does not let one noisy trait dominate). A trait that is None on either side is None and
    skipped; ``overall`` is None when none is left. Symmetric, 0 for identical fingerprints.
    """
    out: dict = {}
    scaled: dict[str, float | None] = {}
    for name in PROFILE_TRAITS:
        a, b = fp_a[name], fp_b[name]
        if a["quantiles"] is None or b["quantiles"] is None:
            out[name] = scaled[name] = None
            continue
        md = abs(a["median"] - b["median"])
        w1 = float(np.mean(np.abs(np.subtract(a["quantiles"], b["quantiles"]))))
        out[name] = {"median": md, "w1": w1}
        scaled[name] = max(md, w1) / TOLERANCES[name]
    for name in SCALAR_TRAITS:
        a, b = _value(fp_a, name), _value(fp_b, name)
        out[name] = None if a is None or b is None else abs(a - b)
        scaled[name] = None if out[name] is None else out[name] / TOLERANCES[name]
    present = [s for s in scaled.values() if s is not None]
    out["scaled"] = scaled
    out["overall"] = float(np.mean(present)) if present else None
    return out


@dataclass(frozen=True)
class MirrorLimits:
    """What counts as mirroring a player's style (``mirrors``)."""

    hit_median: float = 0.15  # |median hit offset, clone - player| allowed (offset units)
    hit_w1: float = 0.15  # Wasserstein-1 between the hit-offset samples allowed (offset units)
    min_hits: int = 8  # each side needs this many hits to be judged (as race.RaceConfig)
    wait_median: float = 0.1  # |median waiting height, clone - player| allowed (court heights)
    wait_w1: float = 0.1  # Wasserstein-1 between the waiting heights allowed (court heights)
    min_wait_ticks: int = 120  # each side needs this many waiting ticks (1 s) to be judged


def mirrors(clone_fp: dict, player_fp: dict, limits: MirrorLimits | None = None) -> dict:
    """The race's fairer mirror criterion: the clone meets the ball *and* waits where its
    player does. Returns {"ok": bool, "reasons": [one plain string per failed check]}.
    """
    lim = limits or MirrorLimits()
    reasons: list[str] = []
    d = distance(clone_fp, player_fp)
    checks = (
        ("hit offset", "hit_offset", "hits", lim.min_hits, lim.hit_median, lim.hit_w1),
        ("waiting height", "wait_y", "ticks", lim.min_wait_ticks, lim.wait_median, lim.wait_w1),
    )
    for label, name, what, min_n, max_md, max_w1 in checks:
        n = min(clone_fp[name]["n"], player_fp[name]["n"])
        if n < min_n or d[name] is None:
            reasons.append(f"{label}: too few {what} to judge ({n} < {min_n})")
            continue
        if d[name]["median"] > max_md:
            reasons.append(f"{label}: medians differ by {d[name]['median']:.3f} > {max_md}")
        if d[name]["w1"] > max_w1:
            reasons.append(f"{label}: Wasserstein-1 {d[name]['w1']:.3f} > {max_w1}")
    return {"ok": not reasons, "reasons": reasons}


# How the sentence says a difference in spread: (what varies, unit factor, shown unit)
_SPREAD = {
    "hit_offset": ("where it meets the ball", 0.5, "paddle heights"),
    "wait_y": ("where it waits", 1.0, "court heights"),
}
# How the sentence says a close match: a template over the clone's value c, yours y and the
# gap d, each already in the shown unit, and the factor from the trait's unit to that unit.
_MATCH = {
    "hit_offset": ("meets the ball where you do, within {d:.2f} paddle heights", 0.5),
    "wait_y": ("waits where you do, within {d:.0%} of the court height", 1.0),
    "reaction_s": ("starts moving about when you do ({c:.0f} vs {y:.0f} ms after a hit)", 1000.0),
    "moving_share": ("moves about as much as you do ({c:.0%} vs {y:.0%} of the time)", 1.0),
    "switches_per_rally": (
        "changes direction about as often as you ({c:.1f} vs {y:.1f} a rally)",
        1.0,
    ),
    "returns": ("returns about as many balls as you do ({c:.0%} vs {y:.0%})", 1.0),
    "points_per_min": ("wins points about as fast as you do ({c:.1f} vs {y:.1f} a minute)", 1.0),
}


def _gap(name: str, you_fp: dict, clone_fp: dict, dist: dict) -> str:
    """The clone's difference from you in one trait, with its direction, in plain words.
    A profile whose medians agree but whose shapes differ (W1 > median gap) is told as a
    difference in spread, since "0.01 nearer the top" would hide what is really different.
    """
    you, clone = _value(you_fp, name), _value(clone_fp, name)
    d, more = clone - you, clone > you
    if name in PROFILE_TRAITS and dist[name]["median"] < dist[name]["w1"]:
        what, scale, unit = _SPREAD[name]
        a, b = clone_fp[name]["spread"] * scale, you_fp[name]["spread"] * scale
        how = "more" if a > b else "less"
        return f"varies {what} {how} than you do (spread {a:.2f} vs {b:.2f} {unit})"
    if name == "hit_offset":
        end = "bottom" if more else "top"
        far = f"{abs(d) / 2:.2f} paddle heights"
        return f"meets the ball {far} nearer its paddle's {end} end than you do"
    if name == "wait_y":
        return f"waits {abs(d):.0%} of the court height {'lower' if more else 'higher'} than you"
    if name == "reaction_s":
        return f"reacts {abs(d) * 1000:.0f} ms {'later' if more else 'sooner'} than you"
    if name == "moving_share":
        return f"moves {'more' if more else 'less'} than you ({clone:.0%} vs {you:.0%} of the time)"
    if name == "switches_per_rally":
        how = "more" if more else "less"
        return f"changes direction {how} often than you ({clone:.1f} vs {you:.1f} a rally)"
    if name == "returns":
        return f"returns {'more' if more else 'fewer'} balls than you ({clone:.0%} vs {you:.0%})"
    return f"wins {'more' if more else 'fewer'} points a minute ({clone:.1f} vs {you:.1f})"


def sentence(you: dict, clone: dict, dist: dict) -> str:
    """One plain sentence for the player: the clone's closest trait and its largest gap
    (by ``dist["scaled"]``), or an invitation to play on while there is too little data.
    """
    ranked = sorted((s, n) for n, s in dist["scaled"].items() if s is not None)
    balls = min(you["returns"]["n"], clone["returns"]["n"])
    if len(ranked) < 2 or balls < MIN_SENTENCE_BALLS:
        return NOT_ENOUGH
    (s_worst, worst) = ranked[-1]
    # Nobody scoring in the window is no likeness worth telling: skip it as the closest trait.
    scoreless = you["points_per_min"]["n"] + clone["points_per_min"]["n"] == 0
    s_best, best = next(r for r in ranked if not (scoreless and r[1] == "points_per_min"))

    def match(name: str) -> str:
        template, factor = _MATCH[name]
        c, y = _value(clone, name) * factor, _value(you, name) * factor
        return template.format(c=c, y=y, d=abs(c - y))

    gap = _gap(worst, you, clone, dist)
    if s_worst <= 1.0:
        also = f", and {match(worst)}" if worst != best else ""
        return f"Your clone now plays like you: it {match(best)}{also}."
    if s_best <= 1.0:
        return f"Your clone now {match(best)}; it still {gap}."
    return f"Your clone does not play like you yet: it {gap}."


def compare(cols: dict, since_t: float | None = None, params: GameParams | None = None) -> dict:
    """You (left) vs your clone (right) over the window: {"left": fingerprint, "right":
    fingerprint, "distance": distance(left, right), "sentence": str}.
    """
    left = fingerprint(cols, "left", since_t, params)
    right = fingerprint(cols, "right", since_t, params)
    dist = distance(left, right)
    return {"left": left, "right": right, "distance": dist, "sentence": sentence(left, right, dist)}


def report(rec: Recording, window_s: float = 180.0, recent_s: float = 60.0) -> dict:
    """The ``style`` reply's body for a live recording: both sides over the last ``window_s``
    game seconds (``compare``), and over the last ``recent_s`` the clone's share of returns
    and the points the human wins a minute (the page draws these over the session: "harder
    to beat" as a curve)."""
    p = rec.params
    cols = rec.decoded(last=int(round(max(window_s, recent_s) / p.dt)))
    if len(cols["t"]) == 0:
        recent = {"seconds": recent_s, "clone_returns": None, "you_points_per_min": None}
        return {"t": 0.0, "window_s": window_s, **compare(cols, params=p), "recent": recent}
    now = float(cols["t"][-1])
    out = compare(cols, since_t=now - window_s, params=p)
    you = fingerprint(cols, "left", since_t=now - recent_s, params=p)
    clone = fingerprint(cols, "right", since_t=now - recent_s, params=p)
    recent = {
        "seconds": recent_s,
        "clone_returns": clone["returns"]["value"],
        "you_points_per_min": you["points_per_min"]["value"],
    }
    return {"t": now, "window_s": window_s, **out, "recent": recent}
