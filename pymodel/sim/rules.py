"""The rules of a match: first to ``points`` wins, by a lead of ``win_by``.

Pure and tiny, so the live game, the clone-against-clone duel and the command line count a
match the same way. A match's score is the points each side has won since it began.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_POINTS, MAX_POINTS = 1, 99  # a match is played to this many points at least / at most


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
