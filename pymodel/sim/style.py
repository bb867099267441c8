"""Style fingerprint: *how* one side plays, summarised from a recording's decoded columns.

Why: a clone can meet the ball where its player does and still wait in a corner, react half a
second later, or jitter where its player holds a key. A fingerprint summarises several traits
of one side's play over a window of ticks, so the page can show "you vs your clone" and the
race / Lab can judge the whole style (``mirrors``, ``moves``). Pure: no I/O, no clocks; every
value is a plain float / int / list / None, so the dicts go to the page as strict JSON.

Input: ``Recording.decoded()`` columns. A row is the state *before* a tick's transition;
``events`` / ``hit_offset`` are what that transition produced. *In play* = ``serve_timer == 0``.
A *rally* is a maximal run of consecutive in-play ticks (serve to point; a window edge may cut
one, and a cut rally still counts as one). Left = the human, right = the clone.

Every trait is one entry of ``TRAITS``: how it is measured, its label and unit on the page,
its tolerance (the distance that counts as "just noticeably different"; ``ratio`` when it is
judged as a ratio of clone to player), and how the card's sentence says it. Adding a trait is
one entry here. The traits (``trait_table()`` prints this for the README):

==================  ==========================================================  ===============
trait               definition                                                  unit
==================  ==========================================================  ===============
hit_offset          offsets of the side's paddle hits; median, spread (IQR),    offset units
                    n hits, hist (counts over its bins), quantiles              (-1 top end, +1
                    (N_QUANTILES, evenly spaced 0..1)                           bottom end)
wait_y              the side's paddle centre on in-play ticks with the ball     court heights
                    moving away from it; same stats, n = ticks                  (0 top, 1 bottom)
hold_s              how long each press lasts: runs of one move (up or down)    seconds
                    within a rally; same stats, n = presses
reaction_s          per opponent hit: time from the first state after the hit   seconds
                    to the side's first non-stay tick, searched until the ball
                    comes back (its own hit or a point). No move by then: the
                    hit is excluded; later than REACTION_CAP_S: capped. Already
                    moving at the hit: 0. median, spread (IQR), n = reactions
turn_reaction_s     per opponent hit (the ball turns towards the side): time    seconds
                    from the first state after the hit to the first tick whose
                    action differs from that state's (a start, a stop or a
                    reversal); the same search, exclusion and cap
moving_share        share of in-play ticks with a non-stay action (n = ticks)   share, 0..1
switches_per_rally  reversals: up<->down changes within rallies, stays in       switches/rally
                    between ignored (up, stay, down = 1 switch), / rallies (n)
reversals_per_min   the same reversals / minutes in play (n = reversals): not   reversals/minute
                    skewed by how long the rallies last
returns             hits / (hits + points conceded) (n = hits + conceded)       share, 0..1
points_per_min      points won / minutes of the window, serve pauses included   points/minute
                    (n = points won)
==================  ==========================================================  ===============

A statistic over fewer than its minimum of samples is None (never NaN); ``n`` is always given.
``switches_per_rally``, ``returns`` and ``points_per_min`` are marked ``skill``: set by how well
a side plays (how long its rallies last), they are left out of ``STYLE_TRAITS``.

API: ``fingerprint(cols, side, since_t)`` -> one side's traits; ``distance(a, b)`` -> per-trait
gaps in trait units plus ``overall`` (mean of gaps / tolerances); ``mirrors(clone, player)``
-> the hit-and-wait verdict under ``MirrorLimits``; ``moves(clone, player)`` -> that verdict
and the movement traits within their ratios; ``compare(cols, since_t)`` -> both sides, their
distance and a plain sentence for the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .game import EVENT_BITS, STAY, GameParams
from .recording import Recording

N_QUANTILES = 101  # as judge.wasserstein1, so W1 from two fingerprints is W1 of the samples
REACTION_CAP_S = 1.5  # a first move later than this counts as this (seconds)
MIN_PLAY_S = 5.0  # moving_share and points_per_min need this many seconds (in play / window)
MIN_SENTENCE_BALLS = 5  # the sentence needs each side to have met this many balls ...
MIN_SENTENCE_HITS = 3  # ... and to have hit this many: nothing is compared with nothing
NOT_ENOUGH = "Play a few rallies to see how your clone's style compares."
_SCORE = EVENT_BITS["score_left"] | EVENT_BITS["score_right"]


def _num(x: float) -> float | None:
    """A plain float, or None for NaN / infinity (strict JSON has neither)."""
    x = float(x)
    return x if math.isfinite(x) else None


def _bins(lo: float, hi: float, n: int = 10) -> tuple[float, ...]:
    return tuple(np.linspace(lo, hi, n + 1).round(6).tolist())


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


def _spread_stats(x: np.ndarray, min_n: int) -> dict:
    """Median, IQR and n of a sample of times (no histogram)."""
    out: dict = {"median": None, "spread": None, "n": len(x)}
    if len(x) >= min_n:
        q25, q50, q75 = np.quantile(x, [0.25, 0.5, 0.75])
        out.update(median=_num(q50), spread=_num(q75 - q25))
    return out


def _rate(value: float, n: int, enough: bool) -> dict:
    return {"value": _num(value) if enough else None, "n": n}


@dataclass
class Window:
    """One side's ticks of a window, with what several traits share."""

    c: dict  # the decoded columns of the window (events as int64)
    side: str
    opp: str
    params: GameParams
    in_play: np.ndarray  # bool per tick
    act: np.ndarray  # the side's action per tick
    rid: np.ndarray  # rally number per tick (meaningful where in play)
    rallies: int

    @property
    def dt(self) -> float:
        """Seconds per tick."""
        return self.params.dt

    def count(self, event: str) -> int:
        """How many ticks carry ``event``."""
        return int(np.count_nonzero(self.c["events"] & EVENT_BITS[event]))


def _rally_ids(tick: np.ndarray, in_play: np.ndarray) -> tuple[np.ndarray, int]:
    """Rally number of every tick (meaningful where in play) and the number of rallies."""
    cont = np.zeros(len(tick), dtype=bool)
    cont[1:] = in_play[:-1] & (np.diff(tick) == 1)
    start = in_play & ~cont
    return np.cumsum(start) - 1, int(start.sum())


def window_of(cols: dict, side: str, since_t: float | None, params: GameParams) -> Window:
    """``side``'s window of ``cols``: the ticks with ``t >= since_t`` (all when None)."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    c = {k: np.asarray(v) for k, v in cols.items()}
    if since_t is not None:
        keep = c["t"] >= since_t
        c = {k: v[keep] for k, v in c.items()}
    c["events"] = c["events"].astype(np.int64)
    in_play = c["serve_timer"] <= 0.0
    rid, rallies = _rally_ids(c["tick"], in_play)
    opp = "right" if side == "left" else "left"
    return Window(c, side, opp, params, in_play, c[f"{side}_action"], rid, rallies)


def _after_opponent_hits(w: Window, first_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Seconds from each opponent hit to the tick ``first_of(starts)`` finds, searched until
    the ball comes back (its own hit or a point); excluded when none by then; capped."""
    c, n = w.c, len(w.c["tick"])
    start = np.flatnonzero(c["events"] & EVENT_BITS[f"hit_{w.opp}"]) + 1  # first state after
    start = start[start < n]
    if len(start) == 0:
        return np.zeros(0)
    first = first_of(start)  # n where there is none
    ends = np.flatnonzero(c["events"] & (EVENT_BITS[f"hit_{w.side}"] | _SCORE))
    ok = first <= _next_index(ends, start, n - 1)
    # Times from the tick count: a gap in the ticks must not look like a fast reaction.
    return np.minimum((c["tick"][first[ok]] - c["tick"][start[ok]]) * w.dt, REACTION_CAP_S)


def _next_index(marks: np.ndarray, start: np.ndarray, n: int) -> np.ndarray:
    """For each start, the first index in ``marks`` (sorted) at or after it; n if none."""
    if len(marks) == 0:
        return np.full(len(start), n)
    k = np.searchsorted(marks, start)
    return np.where(k < len(marks), marks[np.minimum(k, len(marks) - 1)], n)


def reactions(w: Window) -> np.ndarray:
    """``reaction_s``'s sample: seconds to the first move after each opponent hit."""
    moves = np.flatnonzero(w.act != STAY)
    return _after_opponent_hits(w, lambda s: _next_index(moves, s, len(w.act)))


def turn_reactions(w: Window) -> np.ndarray:
    """``turn_reaction_s``'s sample: seconds to the first change of action after each
    opponent hit (the ball turning towards the side)."""
    changes = np.flatnonzero(np.r_[False, w.act[1:] != w.act[:-1]])

    def first(start: np.ndarray) -> np.ndarray:
        return _next_index(changes, start + 1, len(w.act))

    return _after_opponent_hits(w, first)


def holds(w: Window) -> np.ndarray:
    """``hold_s``'s sample: seconds of each run of one move (up or down) within a rally."""
    moving = w.in_play & (w.act != STAY)
    same = np.zeros(len(moving), dtype=bool)
    same[1:] = moving[1:] & moving[:-1] & (w.act[1:] == w.act[:-1]) & (w.rid[1:] == w.rid[:-1])
    same[1:] &= np.diff(w.c["tick"]) == 1
    starts = moving & ~same
    run = np.cumsum(starts)[moving]  # run number of every moving tick
    return np.bincount(run)[1:] * w.dt if len(run) else np.zeros(0)


def _reversals(w: Window) -> int:
    """up<->down changes within rallies (stays in between ignored)."""
    moving = w.in_play & (w.act != STAY)
    a, r = w.act[moving], w.rid[moving]
    return int(np.count_nonzero((a[1:] != a[:-1]) & (r[1:] == r[:-1])))


def _switches(w: Window) -> dict:
    return _rate(_reversals(w) / max(w.rallies, 1), w.rallies, w.rallies >= 1)


def _reversals_per_min(w: Window) -> dict:
    play_s = int(w.in_play.sum()) * w.dt
    return _rate(_reversals(w) / max(play_s, w.dt) * 60.0, _reversals(w), play_s >= MIN_PLAY_S)


def _moving(w: Window) -> dict:
    n = int(w.in_play.sum())
    moving = int((w.in_play & (w.act != STAY)).sum())
    return _rate(moving / max(n, 1), n, n * w.dt >= MIN_PLAY_S)


def _returns(w: Window) -> dict:
    hits = w.count(f"hit_{w.side}")
    balls = hits + w.count(f"score_{w.opp}")
    return _rate(hits / max(balls, 1), balls, balls >= 3)


def _points(w: Window) -> dict:
    won, seconds = w.count(f"score_{w.side}"), len(w.c["events"]) * w.dt
    return _rate(won / max(seconds, w.dt) * 60.0, won, seconds >= MIN_PLAY_S)


def _hits(w: Window) -> np.ndarray:
    return w.c["hit_offset"][(w.c["events"] & EVENT_BITS[f"hit_{w.side}"]) != 0]


def _waits(w: Window) -> np.ndarray:
    vx = w.c["ball_vx"]
    away = w.in_play & ((vx > 0.0) if w.side == "left" else (vx < 0.0))
    return w.c[f"{w.side}_y"][away] / w.params.court_h


@dataclass(frozen=True)
class Trait:
    """One trait of a style: how it is measured, shown, judged and told."""

    name: str
    kind: str  # "profile" (a distribution: median, quantiles), "spread" or "rate"
    measure: Callable[[Window], dict]
    label: str  # the card's row
    unit: str  # the unit the card shows ("" for none)
    scale: float  # trait unit -> shown unit
    digits: int  # decimals shown
    tolerance: float  # "just noticeably different", in trait units
    close: str  # a close match, over c (clone), y (you), d (|gap|), all in the shown unit
    more: str  # the clone's value is larger, over the same
    less: str  # ... smaller
    ratio: tuple[float, float] | None = None  # judged as clone / player within these (moves)
    floor: float = 0.0  # ... or as an absolute gap below this (values near zero)
    told: float | None = None  # trait unit -> the sentence's unit (default: ``scale``)
    spread: tuple[str, float, str] = ("", 1.0, "")  # a profile: what varies, factor, unit
    # Set by how well the side plays (how many balls it returns, so how long its rallies
    # last), not only by how it moves: stylometry names a teacher without these.
    skill: bool = False


def _prof(sample: Callable[[Window], np.ndarray], edges: tuple, min_n: int):
    return lambda w: _profile(sample(w), edges, min_n)


TRAITS: tuple[Trait, ...] = (
    Trait(
        "hit_offset",
        "profile",
        _prof(_hits, _bins(-1.0, 1.0), 3),
        "meets the ball at (offset, median)",
        "",
        1.0,
        2,
        0.15,
        "meets the ball where you do, within {d:.2f} paddle heights",
        "meets the ball {d:.2f} paddle heights nearer its paddle's bottom end than you do",
        "meets the ball {d:.2f} paddle heights nearer its paddle's top end than you do",
        told=0.5,  # in paddle heights
        spread=("where it meets the ball", 0.5, "paddle heights"),
    ),
    Trait(
        "wait_y",
        "profile",
        _prof(_waits, _bins(0.0, 1.0), 60),
        "waits at (court height, median)",
        "",
        1.0,
        2,
        0.1,
        "waits where you do, within {d:.0f}% of the court height",
        "waits {d:.0f}% of the court height lower than you",
        "waits {d:.0f}% of the court height higher than you",
        told=100.0,  # in percent of the court height
        spread=("where it waits", 1.0, "court heights"),
    ),
    Trait(
        "hold_s",
        "profile",
        _prof(holds, _bins(0.0, 1.0), 5),
        "holds a key for (median)",
        "ms",
        1000.0,
        0,
        0.05,
        "holds its moves about as long as you ({c:.0f} vs {y:.0f} ms)",
        "holds its moves longer than you ({c:.0f} vs {y:.0f} ms)",
        "holds its moves shorter than you ({c:.0f} vs {y:.0f} ms): it jitters",
        ratio=(0.7, 1.4),
        floor=0.02,
        spread=("how long it holds a move", 1000.0, "ms"),
    ),
    Trait(
        "reaction_s",
        "spread",
        lambda w: _spread_stats(reactions(w), 3),
        "reacts after the other's hit",
        "ms",
        1000.0,
        0,
        0.15,
        "starts moving about when you do ({c:.0f} vs {y:.0f} ms after a hit)",
        "reacts {d:.0f} ms later than you",
        "reacts {d:.0f} ms sooner than you",
    ),
    Trait(
        "turn_reaction_s",
        "spread",
        lambda w: _spread_stats(turn_reactions(w), 3),
        "changes what it does after the ball turns",
        "ms",
        1000.0,
        0,
        0.1,
        "responds to the ball turning about when you do ({c:.0f} vs {y:.0f} ms)",
        "responds to the ball turning {d:.0f} ms later than you",
        "responds to the ball turning {d:.0f} ms sooner than you",
        ratio=(0.7, 1.4),
        floor=0.04,
    ),
    Trait(
        "moving_share",
        "rate",
        _moving,
        "moving",
        "%",
        100.0,
        0,
        0.1,
        "moves about as much as you do ({c:.0f}% vs {y:.0f}% of the time)",
        "moves more than you ({c:.0f}% vs {y:.0f}% of the time)",
        "moves less than you ({c:.0f}% vs {y:.0f}% of the time)",
    ),
    Trait(
        "switches_per_rally",
        "rate",
        _switches,
        "reversals a rally",
        "",
        1.0,
        1,
        1.0,
        "changes direction about as often as you ({c:.1f} vs {y:.1f} a rally)",
        "changes direction more often than you ({c:.1f} vs {y:.1f} a rally)",
        "changes direction less often than you ({c:.1f} vs {y:.1f} a rally)",
        ratio=(0.7, 1.4),
        floor=0.5,
        skill=True,
    ),
    Trait(
        "reversals_per_min",
        "rate",
        _reversals_per_min,
        "reversals a minute of play",
        "",
        1.0,
        0,
        10.0,
        "reverses about as often as you ({c:.0f} vs {y:.0f} a minute of play)",
        "reverses more often than you ({c:.0f} vs {y:.0f} a minute of play): it jitters",
        "reverses less often than you ({c:.0f} vs {y:.0f} a minute of play)",
    ),
    Trait(
        "returns",
        "rate",
        _returns,
        "returns the ball",
        "%",
        100.0,
        0,
        0.1,
        "returns about as many balls as you do ({c:.0f}% vs {y:.0f}%)",
        "returns more balls than you ({c:.0f}% vs {y:.0f}%)",
        "returns fewer balls than you ({c:.0f}% vs {y:.0f}%)",
        skill=True,
    ),
    Trait(
        "points_per_min",
        "rate",
        _points,
        "points won a minute",
        "",
        1.0,
        1,
        1.0,
        "wins points about as fast as you do ({c:.1f} vs {y:.1f} a minute)",
        "wins more points a minute ({c:.1f} vs {y:.1f})",
        "wins fewer points a minute ({c:.1f} vs {y:.1f})",
        skill=True,
    ),
)
BY_NAME: dict[str, Trait] = {t.name: t for t in TRAITS}
TOLERANCES: dict[str, float] = {t.name: t.tolerance for t in TRAITS}
PROFILE_TRAITS = tuple(t.name for t in TRAITS if t.kind == "profile")
SCALAR_TRAITS = tuple(t.name for t in TRAITS if t.kind != "profile")
MOVES_TRAITS = tuple(t.name for t in TRAITS if t.ratio is not None)
STYLE_TRAITS = tuple(t.name for t in TRAITS if not t.skill)  # what stylometry compares
# Shown beside the moves ratios, not judged: a clone that loses rallies sooner than its
# player has shorter rallies, so it reverses less *a rally* while moving the same *a minute*.
MOVES_CONTEXT = ("reversals_per_min", "returns")


def trait_specs() -> list[dict]:
    """What the page's card needs of every trait (the schema's ``style_traits``)."""
    keys = ("name", "kind", "label", "unit", "scale", "digits", "tolerance", "ratio")
    return [{k: getattr(t, k) for k in keys} for t in TRAITS]


def trait_table() -> str:
    """The README's trait table (markdown): name, what the card calls it, tolerance."""
    rows = ["| trait | on the card | tolerance |", "| --- | --- | --- |"]
    for t in TRAITS:
        tol = f"{t.ratio[0]:g}-{t.ratio[1]:g}x the player's" if t.ratio else f"{t.tolerance:g}"
        rows.append(f"| `{t.name}` | {t.label} | {tol} |")
    return "\n".join(rows)


def fingerprint(
    cols: dict, side: str, since_t: float | None = None, params: GameParams | None = None
) -> dict:
    """How ``side`` ('left' | 'right') plays in ``cols`` (``Recording.decoded()`` columns),
    over the ticks with ``t >= since_t`` (all when None): {"side", "seconds" (the window's
    length), and one entry per trait of ``TRAITS``} (definitions in the module docstring)."""
    params = params or GameParams()
    w = window_of(cols, side, since_t, params)
    out: dict = {"side": side, "seconds": float(len(w.c["events"]) * params.dt)}
    out.update({t.name: t.measure(w) for t in TRAITS})
    return out


def value_of(fp: dict, name: str) -> float | None:
    """The headline number of a trait: the median of a distribution, else the value."""
    return fp[name]["median"] if "median" in fp[name] else fp[name]["value"]


def distance(fp_a: dict, fp_b: dict, traits: tuple[str, ...] | None = None) -> dict:
    """How far apart two fingerprints are, per trait in the trait's own units.

    Profiles: {"median": |median difference|, "w1": Wasserstein-1 between the samples (mean
    |quantile difference| over N_QUANTILES, as ``judge.wasserstein1``)}; every other trait:
    |difference| of its median / value. ``scaled`` divides each by its tolerance (profiles:
    the larger of median and w1), so 1 = just at the tolerance; ``overall`` is the mean of
    the scaled traits present (among ``traits``, every trait when None). A trait that is None
    on either side is None and skipped; ``overall`` is None when none is left. Symmetric, 0
    for identical fingerprints.
    """
    out: dict = {}
    scaled: dict[str, float | None] = {}
    for t in TRAITS:
        a, b = fp_a[t.name], fp_b[t.name]
        if t.kind == "profile":
            if a["quantiles"] is None or b["quantiles"] is None:
                out[t.name] = scaled[t.name] = None
                continue
            md = abs(a["median"] - b["median"])
            w1 = float(np.mean(np.abs(np.subtract(a["quantiles"], b["quantiles"]))))
            out[t.name] = {"median": md, "w1": w1}
            scaled[t.name] = max(md, w1) / t.tolerance
            continue
        va, vb = value_of(fp_a, t.name), value_of(fp_b, t.name)
        out[t.name] = None if va is None or vb is None else abs(va - vb)
        scaled[t.name] = None if out[t.name] is None else out[t.name] / t.tolerance
    present = [s for n, s in scaled.items() if s is not None and (traits is None or n in traits)]
    out["scaled"] = scaled
    out["overall"] = float(np.mean(present)) if present else None
    return out


@dataclass(frozen=True)
class MirrorLimits:
    """What counts as mirroring a player's style (``mirrors``)."""

    hit_median: float = 0.15  # |median hit offset, clone - player| allowed (offset units)
    hit_w1: float = 0.15  # Wasserstein-1 between the hit-offset samples allowed (offset units)
    min_hits: int = 8  # each side needs this many hits to be judged
    wait_median: float = 0.1  # |median waiting height, clone - player| allowed (court heights)
    wait_w1: float = 0.1  # Wasserstein-1 between the waiting heights allowed (court heights)
    min_wait_ticks: int = 120  # each side needs this many waiting ticks (1 s) to be judged


def mirrors(clone_fp: dict, player_fp: dict, limits: MirrorLimits | None = None) -> dict:
    """The style criterion: the clone meets the ball *and* waits where its player does.
    Returns {"ok": bool, "reasons": [one plain string per failed check]}."""
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


def ratio_check(t: Trait, clone: float | None, player: float | None) -> str | None:
    """Why ``clone``'s value of trait ``t`` is not within its ratio of ``player``'s (None
    when it is: the ratio holds, or the two differ by less than the trait's floor)."""
    assert t.ratio is not None
    if clone is None or player is None:
        return f"{t.name}: too little play to judge"
    if abs(clone - player) <= t.floor:
        return None
    lo, hi = t.ratio
    r = clone / player if player > 0 else math.inf
    if lo <= r <= hi:
        return None
    return f"{t.name}: {clone:.3g} is {r:.2f}x the player's {player:.3g} (allowed {lo:g}-{hi:g}x)"


def moves(clone_fp: dict, player_fp: dict, limits: MirrorLimits | None = None) -> dict:
    """The ``moves`` criterion: ``mirrors`` and every movement trait (reversals a rally,
    how long a move is held, the response to the ball turning) within its ratio."""
    verdict = mirrors(clone_fp, player_fp, limits)
    reasons = list(verdict["reasons"])
    for name in MOVES_TRAITS:
        why = ratio_check(BY_NAME[name], value_of(clone_fp, name), value_of(player_fp, name))
        if why:
            reasons.append(why)
    return {"ok": not reasons, "reasons": reasons}


def _gap(t: Trait, you_fp: dict, clone_fp: dict, dist: dict) -> str:
    """The clone's difference from you in one trait, with its direction, in plain words.
    A profile whose medians agree but whose shapes differ (W1 > median gap) is told as a
    difference in spread, since "0.01 nearer the top" would hide what is really different."""
    you, clone = value_of(you_fp, t.name), value_of(clone_fp, t.name)
    assert you is not None and clone is not None
    if t.kind == "profile" and dist[t.name]["median"] < dist[t.name]["w1"]:
        what, k, unit = t.spread
        a, b = clone_fp[t.name]["spread"] * k, you_fp[t.name]["spread"] * k
        how = "more" if a > b else "less"
        return f"varies {what} {how} than you do (spread {a:.2f} vs {b:.2f} {unit})"
    return _told(t, t.more if clone > you else t.less, clone, you)


def _told(t: Trait, template: str, clone: float, you: float) -> str:
    """``template`` filled with the clone's value, yours and the gap, in the sentence's unit."""
    k = t.scale if t.told is None else t.told
    c, y = clone * k, you * k
    return template.format(c=c, y=y, d=abs(c - y))


def sentence(you: dict, clone: dict, dist: dict) -> str:
    """One plain sentence for the player: the clone's closest trait and its largest gap
    (by ``dist["scaled"]``), or an invitation to play on while there is too little to say."""
    ranked = sorted((s, n) for n, s in dist["scaled"].items() if s is not None)
    balls = min(you["returns"]["n"], clone["returns"]["n"])
    hits = min(you["hit_offset"]["n"], clone["hit_offset"]["n"])
    if len(ranked) < 2 or balls < MIN_SENTENCE_BALLS or hits < MIN_SENTENCE_HITS:
        return NOT_ENOUGH
    s_worst, worst = ranked[-1]
    # Nobody scoring in the window is no likeness worth telling: skip it as the closest trait.
    scoreless = you["points_per_min"]["n"] + clone["points_per_min"]["n"] == 0
    s_best, best = next(r for r in ranked if not (scoreless and r[1] == "points_per_min"))

    def match(name: str) -> str:
        t = BY_NAME[name]
        return _told(t, t.close, value_of(clone, name) or 0.0, value_of(you, name) or 0.0)

    gap = _gap(BY_NAME[worst], you, clone, dist)
    if s_worst <= 1.0:
        also = f", and {match(worst)}" if worst != best else ""
        return f"Your clone now plays like you: it {match(best)}{also}."
    if s_best <= 1.0:
        return f"Your clone now {match(best)}; it still {gap}."
    return f"Your clone does not play like you yet: it {gap}."


def compare(cols: dict, since_t: float | None = None, params: GameParams | None = None) -> dict:
    """You (left) vs your clone (right) over the window: {"left": fingerprint, "right":
    fingerprint, "distance": distance(left, right), "sentence": str}."""
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
