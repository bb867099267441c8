"""The game worker's training budget: the player's choice, what it costs, and lowering it
when the device cannot keep up.

The budget (``learn.budgets``) sets the trainer's steps per game second and its sampler. The
cost is measured as milliseconds of training per second of game time (and so the share of
one core while the game runs in real time), smoothed over a few seconds. A device that cannot
train the chosen budget in the time the game leaves falls behind: the trainer's debt of owed
steps stays high. Then the budget is halved (never below ``LOWEST_STEPS``) and ``lowered``
says so, rather than the game dropping frames or stuttering to train. A lowered budget is not
for ever: once the device has kept up for ``RAISE_AFTER_S`` game seconds and twice the
measured cost would still leave most of a core to the game (``RAISE_HEADROOM_MS``), it is
doubled again, up to the player's choice (a busy moment must not cripple the clone for the
rest of the session).
"""

from __future__ import annotations

from ..learn.budgets import DEFAULT_BUDGET, LOWEST_STEPS, budget_of
from ..learn.trainer import OnlineTrainer

COST_MEMORY_S = 5.0  # game seconds the cost average remembers
BEHIND_S = 4.0  # game seconds of training debt above a second's worth before lowering
LOWER_BY = 0.5  # the budget is multiplied by this when the device cannot keep up
RAISE_AFTER_S = 30.0  # game seconds of keeping up before a lowered budget is raised again
RAISE_HEADROOM_MS = 400.0  # ... if twice today's training ms a game second stays under this


def _lowered(could_not: float, now: float, more: str = "") -> str:
    """What ``lowered`` says: the budget the device could not keep up with, and today's."""
    return (
        f"this device could not keep up with {could_not:g} training steps a second; "
        f"the clone now trains {now:g} a second{more}"
    )


class Compute:
    """One game's training budget and its measured cost."""

    def __init__(self, name: str = DEFAULT_BUDGET) -> None:
        self.choose(name)
        self.train_ms_per_s = 0.0  # smoothed training milliseconds per game second

    def choose(self, name: str) -> None:
        """The player's choice (validated first): its steps, and no lowering yet."""
        self.budget = budget_of(name)
        self.steps = self.budget.steps_per_second
        self.lowered: str | None = None  # why the worker lowered it, when it did
        self.behind = 0.0
        self.ahead = 0.0  # game seconds kept up since the budget last changed

    def apply(self, trainer: OnlineTrainer, sampler_too: bool = True) -> None:
        """Make ``trainer`` train at this budget (and with its sampler, when asked)."""
        trainer.config.steps_per_game_second = self.steps
        if sampler_too and trainer.sampler.strategy != self.budget.sampler:
            trainer.sampler.configure(self.budget.sampler)

    def after_advance(
        self, trainer: OnlineTrainer, game_dt: float, train_s: float, budgeted: bool
    ) -> None:
        """Account for one advance: ``game_dt`` game seconds played, ``train_s`` wall seconds
        trained. Lowers the budget when the debt stays above a second's worth."""
        if game_dt <= 0.0:
            return
        k = min(game_dt / COST_MEMORY_S, 1.0)
        self.train_ms_per_s += (1000.0 * train_s / game_dt - self.train_ms_per_s) * k
        if not budgeted:
            return  # the benchmark's turbo trains flat out on purpose
        falling_behind = trainer.owed > self.steps
        self.behind = self.behind + game_dt if falling_behind else 0.0
        self.ahead = 0.0 if falling_behind else self.ahead + game_dt
        if self.behind >= BEHIND_S and self.steps > LOWEST_STEPS:
            old = self.steps
            self.steps = max(LOWEST_STEPS, round(self.steps * LOWER_BY, 1))
            self.lowered = _lowered(old, self.steps)
            self.behind = self.ahead = 0.0
            self.apply(trainer, sampler_too=False)
        elif self.lowered and self.ahead >= RAISE_AFTER_S and self._room_to_double():
            chosen = self.budget.steps_per_second
            self.steps = min(chosen, self.steps * 2.0)
            back = self.steps >= chosen
            self.lowered = (
                None if back else _lowered(chosen, self.steps, " (raised again while it keeps up)")
            )
            self.ahead = 0.0
            self.apply(trainer, sampler_too=False)

    def _room_to_double(self) -> bool:
        """Would twice the training measured now still leave most of a core to the game?"""
        return 2.0 * self.train_ms_per_s <= RAISE_HEADROOM_MS

    def report(self) -> dict:
        """What the ``metrics`` and ``settings`` replies carry."""
        return {
            "budget": self.budget.name,
            "steps_per_second": self.steps,
            "lowered": self.lowered,
            "train_ms_per_s": round(self.train_ms_per_s, 2),
            "core_share": round(self.train_ms_per_s / 1000.0, 4),
        }
