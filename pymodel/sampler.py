"""Which frames to keep: per-frame keep probabilities, one strategy at a time.

Strategies (``Sampler.strategy``, switchable live):

- ``uniform`` — the naive baseline: every frame is kept with the same probability
  ``UniformKnobs.keep`` (default 1.0: record everything).
- ``relevance`` (default) — the keep probability of a frame is::

      p = phase_weight * after_hit * stay_factor, clipped to [min_keep, 1]

Every knob is a dataclass field whose metadata (range, step, unit, one line of help, and
whether the page shows it under "Advanced") is the single definition the page, the URL
parser and the README table are built from (``pymodel.schema``).

Kept frames go into a bounded ``replay.ReplayBuffer``. ``keep_probability`` is a pure
function of the frame and the running action shares; ``note_action`` is what updates those
shares, once per recorded frame.

Knobs tried and removed (their evidence is in the README): ``agree_weight`` (down-weight
frames the clone already gets right), prioritised replay of the frames just before impact
(``impact_window``/``impact_weight``) or around a change of move (``switch_window``/
``switch_weight``), and ``replay_phase`` (weigh at replay time instead of keep time). On the
race's tuning seeds none beat these defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np

SHARE_DECAY = 0.999  # running action shares forget with a ~1000-frame (~8 s) memory


def knob(
    default: float, lo: float, hi: float, step: float, help: str, unit: str = "", advanced=False
):
    """A knob field: its default, range, slider step, unit, one line of help, and whether
    the page folds it under "Advanced"."""
    meta = {"min": lo, "max": hi, "step": step, "unit": unit, "help": help, "advanced": advanced}
    return field(default=default, metadata=meta)


@dataclass
class UniformKnobs:
    """Knobs of the uniform strategy."""

    keep: float = knob(
        1.0, 0, 1, 0.01, "Chance of keeping any frame: the naive baseline keeps everything alike."
    )


@dataclass
class RelevanceKnobs:
    """Knobs of the relevance strategy (see the module docstring)."""

    # Not lower: at 0.15 the clone of the ball-following tracker never learned where to wait
    # and missed the next ball (race tuning seeds 100-105; 0.5 was the best of those tried).
    away_weight: float = knob(
        0.5, 0, 1, 0.01, "Keep chance while the ball moves away or waits for a serve."
    )
    # The ball is gone: what the paddle does now is follow-through.
    after_hit_weight: float = knob(
        0.2, 0, 1, 0.01, "Keep factor just after your own hit: the rally's outcome is decided."
    )
    # Half-way: moves get room, the 'stay' prior is not erased.
    stay_balance: float = knob(
        0.5,
        0,
        1,
        0.01,
        "Keeps fewer \u2018stay\u2019 frames so rare moves are not crowded out (0 = off).",
    )
    # Approach frames hold the decisions: keep them all.
    approach_weight: float = knob(
        1.0,
        0,
        1,
        0.01,
        "Keep chance while the ball comes towards you: your real decisions.",
        advanced=True,
    )
    after_hit_window: float = knob(
        0.3,
        0,
        5,
        0.05,
        "Seconds after your own hit that count as \u201cjust hit\u201d.",
        unit="s",
        advanced=True,
    )
    min_keep: float = knob(
        0.02,
        0,
        1,
        0.01,
        "Floor of the keep chance, so no kind of frame vanishes entirely.",
        advanced=True,
    )


# name -> (knobs class, one line for the page). The first is the default.
STRATEGY_INFO: dict[str, tuple[type, str]] = {
    "relevance": (RelevanceKnobs, "keep the frames that matter"),
    "uniform": (UniformKnobs, "keep every frame alike"),
}
STRATEGIES: tuple[str, ...] = tuple(STRATEGY_INFO)
DEFAULT_STRATEGY = STRATEGIES[0]


def make_knobs(strategy: str, knobs: dict | None = None) -> UniformKnobs | RelevanceKnobs:
    """Knobs for ``strategy`` from a dict of overrides; unknown names or values out of their
    range raise ValueError."""
    if strategy not in STRATEGY_INFO:
        raise ValueError(f"unknown sampler strategy {strategy!r}; known: {STRATEGIES}")
    cls = STRATEGY_INFO[strategy][0]
    spec = {f.name: f.metadata for f in fields(cls)}
    if not isinstance(knobs, dict | None):
        raise ValueError(f"knobs must be an object, not {type(knobs).__name__}")
    extra = set(knobs or {}) - set(spec)
    if extra:
        raise ValueError(f"unknown knobs for {strategy}: {sorted(extra)}; known: {sorted(spec)}")
    values = {}
    for name, value in (knobs or {}).items():
        lo, hi = spec[name]["min"], spec[name]["max"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise ValueError(f"knob {name} must be a number in [{lo:g}, {hi:g}], got {value!r}")
        values[name] = float(value)
    return cls(**values)


class Sampler:
    """Decides, frame by frame and with its own seeded rng, whether a frame is kept."""

    def __init__(
        self, rng: np.random.Generator, strategy: str = DEFAULT_STRATEGY, knobs: dict | None = None
    ) -> None:
        self.rng = rng
        self.shares = np.full(3, 1.0 / 3.0)  # running shares of up, stay, down
        self.configure(strategy, knobs)

    def configure(self, strategy: str, knobs: dict | None = None) -> None:
        """Switch strategy and/or knobs (validated first: a bad request changes nothing)."""
        made = make_knobs(strategy, knobs)
        self.strategy, self.knobs = strategy, made

    def knob_dict(self) -> dict:
        """The current knobs as a plain dict."""
        return asdict(self.knobs)

    def note_action(self, action: int) -> None:
        """Follow the running shares of the human's actions (one call per recorded frame)."""
        self.shares *= SHARE_DECAY
        self.shares[action] += 1.0 - SHARE_DECAY

    def keep_probability(self, action: int, approaching: bool, since_hit: float) -> float:
        """Probability of keeping a frame; changes no state."""
        k = self.knobs
        if isinstance(k, UniformKnobs):
            return k.keep
        p = k.approach_weight if approaching else k.away_weight
        if since_hit < k.after_hit_window:
            p *= k.after_hit_weight
        if action == 1 and k.stay_balance > 0.0:
            moves = self.shares[0] + self.shares[2]
            ratio = moves / max(self.shares[1], 1e-6)
            p *= min(1.0, ratio) ** k.stay_balance
        return min(max(p, k.min_keep), 1.0)

    def keep(self, action: int, approaching: bool, since_hit: float) -> bool:
        """Note the action, then draw the keep/drop decision for one frame."""
        self.note_action(action)
        p = self.keep_probability(action, approaching, since_hit)
        return bool(self.rng.random() < p)
