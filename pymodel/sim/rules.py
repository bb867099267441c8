"""The rules of a match: first to ``points`` wins, by a lead of ``win_by``; and the scoreboard
of a live game that plays matches one after another.

Pure and tiny, so the live game, the clone-against-clone duel and the command line count a
match the same way. A match's score is the points each side has won since it began.

The ``Scoreboard`` counts in game ticks (it has no clock): a pause, a hidden tab or a ``step``
request move it exactly as they move the game. It never touches the physics: it only says
how long the next serve is still held (``holding``) beyond the game's own
``GameParams.serve_delay``, so the game (``worker.match``) keeps the ball waiting: before a
match's first serve (a countdown of FIRST_SERVE_S; Rematch starts one too) and after a won
match: until a rematch, until the player moves again (PLAY_ON_S after the end: playing on is
playing the next match), or NEXT_MATCH_S after the end, when the next match starts by itself.
A match that starts by itself serves after the game's own delay: the wait was its countdown.
Between points a serve waits the game's own delay, as it always did. Match
rules are not game physics: the race, the Lab and the session files never see them.

A finished match becomes a record of the history kept with the clone (``saved``, the
optional ``matches`` field of a weights file v1, checked by ``check_saved``)::

    {"age_s": 754.2,            # the clone's age: game seconds of your play it learned from
     "history": [               # oldest first, at most MAX_HISTORY
       {"number": 1, "to": 11,  # the match's number and its points to win
        "left": 11, "right": 7, # the final score: you (left), the clone (right)
        "seconds": 183.25,      # its length in game seconds, countdown included
        "age_min": 3.05,        # the clone's age in minutes of your play at its end
        "returns": 0.42}        # the clone's share of returned balls (null: none reached it)
     ]}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MIN_POINTS, MAX_POINTS = 1, 99  # a match is played to this many points at least / at most
WIN_BY = 2  # the lead that wins a match (table-tennis style)
FIRST_SERVE_S = 3.0  # a match's first serve comes after a countdown this long (3, 2, 1)
# Every later serve comes after the game's own GameParams.serve_delay, as it always did.
PLAY_ON_S = 2.0  # a won match waits; a move this long after its end starts the next match
NEXT_MATCH_S = 6.0  # ...and without a choice or a move the next match starts this long after
MAX_HISTORY = 100  # finished matches kept with a clone; the oldest go first
MAX_SCORE = 9999  # a resumed score beyond this is not a score
# countdown: the first serve is held; playing; over: won, waiting for the next match;
# free: Keep playing, no end (the score counts on until a new match).
STATES: tuple[str, ...] = ("countdown", "playing", "over", "free")
RECORD_KEYS: tuple[str, ...] = ("number", "to", "left", "right", "seconds", "age_min", "returns")


@dataclass(frozen=True)
class MatchRules:
    """First to ``points``, winning by ``win_by`` (table-tennis style: 11, by 2)."""

    points: int = 11
    win_by: int = 2

    def __post_init__(self) -> None:
        """Refuse a match nobody could win, with one sentence."""
        if not MIN_POINTS <= self.points <= MAX_POINTS:
            raise ValueError(f"a match is played to {MIN_POINTS}..{MAX_POINTS} points")
        if not 1 <= self.win_by <= self.points:
            raise ValueError("win_by must be at least 1 and at most the points to win")

    def winner(self, left: int, right: int) -> str | None:
        """'left' or 'right' once one side has won the match at this score, else None."""
        for side, mine, theirs in (("left", left, right), ("right", right, left)):
            if mine >= self.points and mine - theirs >= self.win_by:
                return side
        return None


def rules_for(points: Any) -> MatchRules:
    """First to ``points`` (an integer MIN_POINTS..MAX_POINTS), by WIN_BY (by one when a
    single point wins); ValueError with one sentence otherwise."""
    if isinstance(points, bool) or not isinstance(points, int | float) or points != int(points):
        raise ValueError(f"a match is played to a whole number of points, not {points!r}")
    points = int(points)
    if not MIN_POINTS <= points <= MAX_POINTS:
        raise ValueError(f"a match is played to {MIN_POINTS}..{MAX_POINTS} points, not {points}")
    return MatchRules(points, min(WIN_BY, points))


class Scoreboard:
    """The matches of one game, one after another, counted in game ticks (see the module
    docstring). ``state`` is one of STATES; ``left``/``right`` the current match's score."""

    def __init__(
        self,
        rules: MatchRules | None = None,
        serve_delay: float = 0.6,
        history: list[dict] | tuple = (),
        age_s: float = 0.0,
    ) -> None:
        self.rules = rules or MatchRules()
        self.serve_delay = serve_delay
        self.history = [dict(h) for h in history][-MAX_HISTORY:]
        self.age_s = float(age_s)
        self.number = 0
        self.pending: list[str] = []  # match events for the next tick's frame
        self.start()

    def _held(self, total: float) -> float:
        """How long to hold a serve so that it comes ``total`` seconds from now."""
        return max(total - self.serve_delay, 0.0)

    def start(self, rules: MatchRules | None = None, countdown: bool = True) -> None:
        """A new match at 0-0 (the next number), its first serve after a countdown (or, with
        ``countdown`` False, after the game's own serve delay)."""
        self.rules = rules or self.rules
        last = self.history[-1]["number"] if self.history else 0
        self.number = max(self.number, last) + 1
        self.left = self.right = self.rally = self.clone_hits = 0
        self.seconds = self.over_s = 0.0
        self.winner: str | None = None
        self.state = "countdown" if countdown else "playing"
        self.hold = self._held(FIRST_SERVE_S) if countdown else 0.0
        self.pending.append("match_start")

    def free(self) -> None:
        """Keep playing: no end from now on; the score counts on until a new match."""
        self.state, self.winner, self.hold = "free", None, 0.0

    def resume(self, number: int, left: int, right: int, state: str, seconds: float) -> None:
        """Go on with a match a restarted worker was playing: its number, score and length;
        a match in play goes on after a countdown, a won one waits for the next match."""
        if state not in STATES:
            raise ValueError(f"a match's state is one of {STATES}, not {state!r}")
        self.number, self.left, self.right, self.seconds = number, left, right, seconds
        self.pending.clear()
        winner = self.rules.winner(left, right)
        if state == "free":
            self.free()
        elif state == "over" and winner is not None:
            self.state, self.winner, self.over_s, self.hold = "over", winner, 0.0, 0.0
        else:
            self.state, self.hold = "countdown", self._held(FIRST_SERVE_S)

    def holding(self) -> bool:
        """True while the next serve is held (a match's first countdown, a won match)."""
        return self.state == "over" or self.hold > 0.0

    def tick(self, events: list[str], dt: float, learned: bool, moved: bool = False) -> list[str]:
        """Count one game tick of ``dt`` seconds and its game ``events``; ``learned``: the
        clone learned from it (its age grows); ``moved``: the player moved in it (after a won
        match, PLAY_ON_S on, that starts the next; NEXT_MATCH_S on it starts anyway). Returns
        the match events of this tick:
        'match_start' (a new match began) and 'match_over' (this point won the match)."""
        out, self.pending = self.pending, []
        if learned:
            self.age_s += dt
        if self.state == "over":
            self.over_s += dt
            played_on = moved and self.over_s >= PLAY_ON_S - 1e-9
            if played_on or self.over_s >= NEXT_MATCH_S - 1e-9:
                self.start(countdown=False)
                out, self.pending = out + self.pending, []
            return out
        self.seconds += dt
        if self.hold > 0.0:
            self.hold = max(self.hold - dt, 0.0)
            if self.hold <= 1e-9 and self.state == "countdown":
                self.hold, self.state = 0.0, "playing"
        for event in events:
            if event == "serve":
                self.rally = 0
            elif event in ("hit_left", "hit_right"):
                self.rally += 1
                self.clone_hits += event == "hit_right"
            elif event in ("score_left", "score_right"):
                self.left += event == "score_left"
                self.right += event == "score_right"
                out += self._point()
        return out

    def _point(self) -> list[str]:
        """After a point: the match is won, or the next serve comes after the game's delay."""
        if self.state == "free":
            return []
        won = self.rules.winner(self.left, self.right)
        if won is None:
            return []
        self.state, self.winner, self.over_s, self.hold = "over", won, 0.0, 0.0
        self.history.append(self.record())
        del self.history[:-MAX_HISTORY]
        return ["match_over"]

    def record(self) -> dict:
        """The current match as a history record (see the module docstring)."""
        balls = self.clone_hits + self.left  # balls that reached the clone: returned or missed
        return {
            "number": self.number,
            "to": self.rules.points,
            "left": self.left,
            "right": self.right,
            "seconds": round(self.seconds, 3),
            "age_min": round(self.age_s / 60.0, 3),
            "returns": round(self.clone_hits / balls, 4) if balls else None,
        }

    def current(self) -> dict:
        """The match now, for frames and replies (the game adds serve_in and serve_to)."""
        return {
            "to": self.rules.points,
            "win_by": self.rules.win_by,
            "number": self.number,
            "state": self.state,
            "winner": self.winner,
            "seconds": round(self.seconds, 3),
            "next_in": round(max(NEXT_MATCH_S - self.over_s, 0.0), 3)
            if self.state == "over"
            else 0.0,
        }

    def saved(self) -> dict:
        """What is kept with the clone: its age and the finished matches."""
        return {"age_s": round(self.age_s, 3), "history": [dict(h) for h in self.history]}


def _number(value: Any, what: str, lo: float, hi: float, whole: bool = False) -> float:
    """A finite number in [lo, hi] (a whole one when ``whole``); ValueError otherwise."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not lo <= value <= hi or (whole and value % 1):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{what} must be {kind} from {lo:g} to {hi:g}, got {value!r}")
    return value


def check_saved(doc: Any) -> dict:
    """A ``saved()`` dict read from a file, checked: ``{age_s, history}`` with every record's
    fields in range (unknown keys are dropped); ValueError with one sentence otherwise."""
    if not isinstance(doc, dict):
        raise ValueError("the match history must be an object")
    age_s = float(_number(doc.get("age_s", 0.0), "age_s", 0.0, 1e9))
    history = doc.get("history", [])
    if not isinstance(history, list):
        raise ValueError("the match history must be a list")
    if len(history) > MAX_HISTORY:
        raise ValueError(f"too many matches: {len(history)}, limit {MAX_HISTORY}")
    out = []
    for i, rec in enumerate(history, start=1):
        if not isinstance(rec, dict):
            raise ValueError(f"match {i} of the history must be an object")
        missing = [k for k in RECORD_KEYS if k not in rec]
        if missing:
            raise ValueError(f"match {i} of the history lacks {missing[0]!r}")
        returns = rec["returns"]
        out.append(
            {
                "number": int(_number(rec["number"], "a match number", 1, 1e9, True)),
                "to": int(_number(rec["to"], "a match's points", MIN_POINTS, MAX_POINTS, True)),
                "left": int(_number(rec["left"], "a score", 0, MAX_SCORE, True)),
                "right": int(_number(rec["right"], "a score", 0, MAX_SCORE, True)),
                "seconds": float(_number(rec["seconds"], "a match length", 0, 1e9)),
                "age_min": float(_number(rec["age_min"], "a clone's age", 0, 1e9)),
                "returns": None if returns is None else float(_number(returns, "returns", 0, 1)),
            }
        )
    return {"age_s": age_s, "history": out}


def schema_part(serve_delay: float) -> dict:
    """The schema's ``match`` entry: the points to win (default and range) and the timings
    (``serve_delay``: the game's, which every serve after a match's first waits)."""
    return {
        "points": {"default": MatchRules().points, "min": MIN_POINTS, "max": MAX_POINTS},
        "win_by": WIN_BY,
        "first_serve_s": FIRST_SERVE_S,
        "next_serve_s": serve_delay,
        "play_on_s": PLAY_ON_S,
        "next_match_s": NEXT_MATCH_S,
        "max_history": MAX_HISTORY,
        "states": list(STATES),
    }
