"""How much the page trains: a few named compute budgets a player can choose and see.

A budget is training steps (minibatches of ``TrainerConfig.batch``) per second of game time,
and the sampler the page trains with at that budget. Each budget's sampler is the one that
won at that budget on the race's reporting seeds 0-4 (the compute grid, docs/experiments.md
"Where curation pays": a default earns its place):

- ``normal``, 60 steps: the grid's knee and its fastest budget (relevance: 90 s median; the
  best sampler needed 120 s at 20 steps and at 200); more steps made every sampler *slower*.
  Its sampler is `uniform`: the grid raced the old `engineered` greedy clone, and for the
  game's clone then (`where+time`, drawn) uniform mirrored sooner than relevance on seeds 0-4
  (70 s, 35/35, against 80 s, 33/35) and 200-209 (70 s, 66/70, against 100 s, 65/70);
- ``light``, 10 steps (a sixth of Normal's training): `mistakes`, 150 s median (19/25
  mirrored) against uniform's 270 s (15/25) at the same budget; 1.7x Normal's time. For the
  game's clone too: 130 s (34/35) against uniform's 150 s (30/35), seeds 0-4;
- ``full``, 200 steps: relevance won the grid (120 s, no faster than Normal); for the game's
  clone `uniform` mirrored sooner on seeds 0-4 (60 s, 35/35, against 80 s, 35/35) and on
  fresh seeds 200-209 (70 s, 64/70, against 90 s, 63/70), so it trains with `uniform`; offered
  for a fast machine, though it learns no faster than Normal.

Raced again for the game's clone of the time (`where+meet`, drawn; seeds 0-4): Normal uniform 50 s
(35/35) against relevance 60 s (34/35); Light mistakes 90 s (35/35) against uniform 100 s
(34/35); Full even (50 s each; 35/35 and 34/35), so it keeps `uniform`.

When the device cannot keep up with the chosen budget, the game's worker lowers it by itself
(``lowered``) and says so, rather than dropping frames.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Budget:
    """One choice: its name, what the page calls it, and what it trains with."""

    name: str
    label: str
    steps_per_second: float  # training steps per game second
    sampler: str  # the sampler it trains with: the one that won at this budget (seeds 0-4)


BUDGETS: tuple[Budget, ...] = (
    Budget("light", "Light: a sixth of the training, for phones", 10.0, "mistakes"),
    Budget("normal", "Normal: the budget that learned fastest", 60.0, "uniform"),
    Budget("full", "Full: 3x Normal's training, not faster", 200.0, "uniform"),
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
