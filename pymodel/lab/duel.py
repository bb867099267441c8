"""Clone against clone: two clones play matches, learning off for both, and a result table.

The left clone (a file, a shared link or a saved clone of the player's) plays the left paddle,
the right clone (the player's own, in the page) the right one. Each match follows
``sim.rules.MatchRules`` (first to ``points``, win by ``win_by``) and is a fresh game whose rng
is ``default_rng([seed, 0])``, as the live game's; seeds run ``first_seed`` upwards, one match
each. Both clones play through their own output model with frozen weights
(``judge.clone_policy``: a fresh mover per match and side), each observing from its own seat
with its own feature set. A match that has no winner after ``max_seconds`` game seconds ends
there: the leader wins it, a level score is a draw.

The result table: matches and points won, every match's score, and each side's style
fingerprint over all its matches (``sim.style``: where it meets the ball and waits, how it
moves, its return rate). ``Duel.step`` plays on in slices, so the Lab's worker can show a
match at 1x, 4x or 16x (``snapshot`` is what the page draws) and the command line runs it to
the end; both print ``format_table`` of the same ``result``, so the page and ``python -m
pymodel duel A.json B.json --points 11 --seeds 5`` agree for the same seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..formats.weights import LoadedClone
from ..learn import mlp
from ..sim import style
from ..sim.features import observe
from ..sim.game import GameParams, initial, transition
from ..sim.recording import Recording, tick_offset
from ..sim.rules import MatchRules
from .judge import clone_policy

MAX_SEEDS = 10  # matches in one duel at most
MAX_SECONDS = 600.0  # game seconds a match may last (DEFAULT_MAX_SECONDS is the default)
DEFAULT_MAX_SECONDS = 300.0


@dataclass(frozen=True)
class Side:
    """One paddle of a duel: the clone and what it is called."""

    name: str
    clone: LoadedClone

    def info(self) -> dict:
        """Name, feature set and layer sizes (what the table's header says)."""
        sizes = mlp.layer_sizes(self.clone.params)
        return {"name": self.name, "feature_set": self.clone.feature_set, "layer_sizes": sizes}


class Duel:
    """Matches between two clones, played in slices (see the module docstring)."""

    def __init__(
        self,
        left: Side,
        right: Side,
        rules: MatchRules,
        seeds: Sequence[int],
        max_seconds: float = DEFAULT_MAX_SECONDS,
        params: GameParams | None = None,
    ) -> None:
        if not 1 <= len(seeds) <= MAX_SEEDS:
            raise ValueError(f"a duel has 1 to {MAX_SEEDS} matches (seeds)")
        if not 1.0 <= max_seconds <= MAX_SECONDS:
            raise ValueError(f"a match lasts 1 to {MAX_SECONDS:g} game seconds at most")
        self.left, self.right, self.rules = left, right, rules
        self.seeds, self.max_seconds = [int(s) for s in seeds], float(max_seconds)
        self.params = params or GameParams()
        self.matches: list[dict] = []  # finished matches
        self.parts: list[dict[str, np.ndarray]] = []  # their recordings (quantised columns)
        self._result: dict | None = None
        self._begin()

    @property
    def done(self) -> bool:
        """Every match is played."""
        return len(self.matches) == len(self.seeds)

    def _begin(self) -> None:
        """Set up the next match (when there is one)."""
        if self.done:
            return
        p, seed = self.params, self.seeds[len(self.matches)]
        self.rng = np.random.default_rng([seed, 0])
        self.state = initial(self.rng, p)
        self.rec = Recording(p, capacity=int(self.max_seconds / p.dt) + 1)
        self.players = [
            clone_policy(side.clone.params, side.clone.activations, side.clone.output)
            for side in (self.left, self.right)
        ]

    def step(self, ticks: int) -> int:
        """Play up to ``ticks`` ticks (into the next match when one ends); how many ran."""
        p = self.params
        fs = (self.left.clone.feature_set, self.right.clone.feature_set)
        ran = 0
        while ran < ticks and not self.done:
            s = self.state
            la = self.players[0](observe(s, "left", p, feature_set=fs[0]), self.rng)
            ra = self.players[1](observe(s, "right", p, feature_set=fs[1]), self.rng)
            new, events = transition(s, la, ra, self.rng, p)
            self.rec.append(s, la, ra, events, tick_offset(events, new))
            self.state = new
            ran += 1
            won = self.rules.winner(new.score_left, new.score_right)
            if won or len(self.rec) >= self.rec.capacity:
                self._finish(won)
        return ran

    def _finish(self, won: str | None) -> None:
        """Keep the match that just ended and start the next."""
        s = self.state
        if won is None and s.score_left != s.score_right:
            won = "left" if s.score_left > s.score_right else "right"
        self.matches.append(
            {
                "seed": self.seeds[len(self.matches)],
                "left": s.score_left,
                "right": s.score_right,
                "winner": won,  # None: a draw
                "seconds": round(s.t, 3),
                "time_limit": self.rules.winner(s.score_left, s.score_right) is None,
            }
        )
        self.parts.append(self.rec.raw())
        self._begin()

    def snapshot(self) -> dict:
        """What the page draws now: the match, its score, the ball and both paddles."""
        s, p = self.state, self.params
        return {
            "match": min(len(self.matches), len(self.seeds) - 1),
            "matches": len(self.seeds),
            "done_matches": len(self.matches),
            "seed": self.seeds[min(len(self.matches), len(self.seeds) - 1)],
            "t": s.t,
            "score": {"left": s.score_left, "right": s.score_right},
            "ball": {"x": s.ball_x, "y": s.ball_y, "r": p.ball_r},
            "paddles": {"left": s.left_y, "right": s.right_y},
            "paddle_x": {"left": p.paddle_x("left"), "right": p.paddle_x("right")},
            "paddle": {"w": p.paddle_w, "h": p.paddle_h},
            "court": {"w": p.court_w, "h": p.court_h},
            "fraction": self.fraction(),
        }

    def fraction(self) -> float:
        """About how much of the duel is played (a match counts by its leader's points)."""
        if self.done:
            return 1.0
        s = self.state
        lead = max(s.score_left, s.score_right) / self.rules.points
        now = min(max(lead, s.t / self.max_seconds), 0.99)
        return (len(self.matches) + now) / len(self.seeds)

    def result(self) -> dict:
        """The finished duel: both sides, every match, the totals, each side's fingerprint
        over all its matches, the table's rows and the table as text."""
        if not self.done:
            raise ValueError("the duel is not over yet")
        if self._result is None:
            self._result = self._summary()
        return self._result

    def _summary(self) -> dict:
        cols = _joined(self.parts, self.params)
        sides = {}
        for side, who in (("left", self.left), ("right", self.right)):
            fp = style.fingerprint(cols, side, params=self.params)
            sides[side] = {**who.info(), "fingerprint": fp}
        totals = {
            side: {
                "matches": sum(m["winner"] == side for m in self.matches),
                "points": sum(m[side] for m in self.matches),
            }
            for side in ("left", "right")
        }
        out = {
            "rules": {"points": self.rules.points, "win_by": self.rules.win_by},
            "max_seconds": self.max_seconds,
            "seeds": self.seeds,
            "matches": self.matches,
            "draws": sum(m["winner"] is None for m in self.matches),
            "totals": totals,
            **sides,
        }
        out["rows"] = rows(out)
        out["table"] = format_table(out)
        return out


def _joined(parts: list[dict[str, np.ndarray]], params: GameParams) -> dict:
    """Every match's decoded columns as one, ticks renumbered so no rally spans two."""
    decoded = []
    offset = 0
    for raw in parts:
        cols = Recording.from_raw(raw, params).decoded()
        cols["tick"] = cols["tick"] + offset
        offset += len(cols["tick"]) + 10
        decoded.append(cols)
    return {k: np.concatenate([c[k] for c in decoded]) for k in decoded[0]}


def shown(trait: style.Trait, value: float | None) -> str:
    """A trait's value as the table (and the page's card) shows it."""
    if value is None:
        return "–"
    x = value * trait.scale
    unit = "%" if trait.unit == "%" else f" {trait.unit}" if trait.unit else ""
    return f"{x:.{trait.digits}f}{unit}"


def rows(result: dict) -> list[list[str]]:
    """The table's rows, [label, left, right], as text: the totals, each match, the style."""
    t = result["totals"]
    out = [
        ["matches won", str(t["left"]["matches"]), str(t["right"]["matches"])],
        ["points won", str(t["left"]["points"]), str(t["right"]["points"])],
    ]
    if result["draws"]:
        out.append(["matches drawn", str(result["draws"]), str(result["draws"])])
    for k, m in enumerate(result["matches"], start=1):
        how = ", time limit" if m["time_limit"] else ""
        out.append([f"match {k} (seed {m['seed']}{how})", str(m["left"]), str(m["right"])])
    for trait in style.TRAITS:
        values = [style.value_of(result[side]["fingerprint"], trait.name) for side in SIDES]
        out.append([trait.label, *(shown(trait, v) for v in values)])
    return out


SIDES = ("left", "right")


def format_table(result: dict) -> str:
    """The result as the command line prints it (and the page shows under "as text")."""
    rules = result["rules"]
    names = [result[s]["name"] for s in SIDES]
    seeds = result["seeds"]
    span = f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}..{seeds[-1]}"
    head = (
        f"duel: {names[0]} (left) vs {names[1]} (right), first to {rules['points']} "
        f"win by {rules['win_by']}, {span}, learning off"
    )
    body = [["", f"{names[0]} (left)", f"{names[1]} (right)"], *result["rows"]]
    widths = [max(len(r[i]) for r in body) for i in range(3)]
    lines = [head]
    for r in body:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)
