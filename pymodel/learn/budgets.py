"""How much the page trains: a few named compute budgets a player can choose and see.

A budget is training steps (minibatches of ``TrainerConfig.batch``) per second of game time,
and the sampler the page trains with at that budget. Each budget's sampler is meant to be the
one that wins there on the race's reporting seeds (the compute grid, docs/experiments.md: a
default earns its place); until that grid is run every budget keeps the page's previous
sampler. ``normal`` is the budget the page always had; ``light`` costs under a third of it,
for a phone, a laptop on battery or a busy machine; ``full`` spends more. When the device
cannot keep up with the chosen budget, the game's worker lowers it by itself (``lowered``)
and says so, rather than dropping frames.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Budget:
    """One choice: its name, what the page calls it, and what it trains with."""

    name: str
    label: str
    steps_per_second: float  # training steps per game second
    sampler: str  # the sampler it trains with (meant: the one that wins at this budget)


BUDGETS: tuple[Budget, ...] = (
    Budget(
        "light", "Light: a fraction of the compute, for phones and batteries", 18.0, "relevance"
    ),
    Budget(
        "normal",
        "Normal: as the page always trained",
        60.0,
        "relevance",
    ),
    Budget("full", "Full: more compute, for a fast machine", 200.0, "relevance"),
)
BY_NAME: dict[str, Budget] = {b.name: b for b in BUDGETS}
DEFAULT_BUDGET = "normal"
LOWEST_STEPS = 2.0  # the worker never lowers a budget below this many steps a game second


def budget_of(name: object) -> Budget:
    """The budget called ``name``; ValueError names the known ones."""
    if name not in BY_NAME:
        raise ValueError(f"budget must be one of {list(BY_NAME)}, not {name!r}")
    return BY_NAME[str(name)]


def budget_choices() -> list[dict]:
    """The schema's part: every budget, in order."""
    return [asdict(b) for b in BUDGETS]
