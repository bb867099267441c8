"""Which frames to keep: one ``Strategy`` class per way of choosing, behind one interface.

A strategy sees each recorded frame of the player (``Frame``: the features, the action, the
phase, the seconds since the player's own hit) and says how likely it is to be kept
(``keep_probability``, which changes nothing); ``note`` then tells it what was drawn. The
``Sampler`` owns the seeded draw and the running statistics every strategy may read (the
shares of up, stay and down; how many frames were noted), and switches strategy live.

Strategies (``STRATEGIES``, in the page's order; the first is the default):

- ``relevance``: ``p = phase_weight * after_hit * stay_factor``, clipped to [min_keep, 1];
- ``uniform``: the naive baseline, every frame with the same chance ``keep`` (default 1.0);
- ``rare``: ``min(1, cell_cap / n)``, ``n`` the frames of the same coarse *situation*
  (``cell_of``) kept recently (fading with ``memory``): repeats thin out, rare situations
  stay, and the buffer spans more of the game;
- ``mistakes``: after ``warmup`` seconds, frames the clone already gets right (its
  probability of the player's action >= ``sure``) are kept with chance ``right_keep``;
- ``keyframe``: every frame within ``window`` seconds after the player changes its move is
  kept, the others with chance ``other_keep`` (keyframes, as in Wen et al. 2021).

Every knob is a dataclass field whose metadata (range, step, unit, one line of help, and
whether the page folds it under "Advanced") is the single definition the page, the address
parser and the README table are built from (``pymodel.worker.schema``). A strategy that
reads features names them in ``needs`` and reads them by name, so a feature set that lacks
one is refused with a sentence instead of being misread. Adding a strategy is one class
here, registered with ``@strategy``, and its test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar

import numpy as np

from ..sim.features import DEFAULT_FEATURE_SET, index_of

SHARE_DECAY = 0.999  # running action shares forget with a ~1000-frame (~8 s) memory
FRAMES_PER_SECOND = 120  # recorded frames per game second (GameParams.tick_hz)
# Coarse situation grid of ``cell_of``: (ball - paddle) height gaps in court heights, finer
# near 0 where the decision is made; own height and ball distance in thirds / quarters.
GAP_EDGES = np.array([-0.3, -0.1, -0.03, 0.0, 0.03, 0.1, 0.3])
OWN_EDGES = np.array([-0.5, 0.0, 0.5])
X_EDGES = np.array([1.0 / 3.0, 2.0 / 3.0])
N_CELLS = 2 * 3 * (len(OWN_EDGES) + 1) * (len(GAP_EDGES) + 1) * (len(X_EDGES) + 1)


def knob(
    default: float, lo: float, hi: float, step: float, help: str, unit: str = "", advanced=False
):
    """A knob field: its default, range, slider step, unit, one line of help, and whether
    the page folds it under "Advanced"."""
    meta = {"min": lo, "max": hi, "step": step, "unit": unit, "help": help, "advanced": advanced}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Frame:
    """One recorded frame of the player, as a strategy sees it."""

    obs: np.ndarray | None  # the features (of the clone's feature set), or None
    action: int  # the player's action: 0 up, 1 stay, 2 down
    approaching: bool  # the ball comes towards the player
    since_hit: float  # seconds since the player's own latest hit


@dataclass
class Stats:
    """What the sampler follows over every frame, for any strategy to read."""

    shares: np.ndarray = field(default_factory=lambda: np.full(3, 1.0 / 3.0))  # up, stay, down
    noted: int = 0  # frames noted so far
    # The clone's action probabilities for one observation (set by the trainer), or None.
    predict: Callable[[np.ndarray], np.ndarray] | None = None


class Strategy:
    """The interface: ``keep_probability`` (pure) and ``note`` (after each draw)."""

    name: ClassVar[str]
    label: ClassVar[str]  # one line for the page's menu
    Knobs: ClassVar[type]
    needs: ClassVar[tuple[str, ...]] = ()  # features this strategy reads, by name

    def __init__(self, knobs, feature_set: str) -> None:
        self.knobs = knobs
        self.idx = index_of(feature_set)
        missing = [n for n in self.needs if n not in self.idx]
        if missing:
            raise ValueError(
                f"the {self.name} sampler reads the features {list(self.needs)}; the "
                f"{feature_set!r} feature set lacks {missing}"
            )

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """The chance of keeping ``f``; changes no state."""
        raise NotImplementedError

    def age(self) -> None:
        """Called once per frame, before its keep probability is asked (time passes)."""

    def note(self, f: Frame, kept: bool) -> None:
        """Called once per frame, after the draw (``kept``)."""


STRATEGIES: dict[str, type[Strategy]] = {}


def strategy(cls: type[Strategy]) -> type[Strategy]:
    """Register a strategy class under its ``name`` (in definition order)."""
    STRATEGIES[cls.name] = cls
    return cls


@dataclass
class RelevanceKnobs:
    """Knobs of the relevance strategy."""

    # Not lower: the ball-following tracker's clone then never learns where to wait.
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


@strategy
class Relevance(Strategy):
    """Keep what matters: the ball coming, not just after my hit, and fewer 'stay' frames."""

    name = "relevance"
    label = "keep the frames that matter"
    Knobs = RelevanceKnobs

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """``phase_weight * after_hit * stay_factor``, clipped to [min_keep, 1]."""
        k = self.knobs
        p = k.approach_weight if f.approaching else k.away_weight
        if f.since_hit < k.after_hit_window:
            p *= k.after_hit_weight
        if f.action == 1 and k.stay_balance > 0.0:
            moves = stats.shares[0] + stats.shares[2]
            ratio = moves / max(stats.shares[1], 1e-6)
            p *= min(1.0, ratio) ** k.stay_balance
        return min(max(p, k.min_keep), 1.0)


@dataclass
class UniformKnobs:
    """Knobs of the uniform strategy."""

    keep: float = knob(
        1.0, 0, 1, 0.01, "Chance of keeping any frame: the naive baseline keeps everything alike."
    )


@strategy
class Uniform(Strategy):
    """The naive baseline: every frame alike."""

    name = "uniform"
    label = "keep every frame alike"
    Knobs = UniformKnobs

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """``keep``, whatever the frame."""
        return self.knobs.keep


@dataclass
class RareKnobs:
    """Knobs of the rare strategy."""

    cell_cap: float = knob(
        5, 1, 500, 1, "Recent frames of one situation kept in full; beyond, fewer are kept."
    )
    memory: float = knob(
        60, 1, 300, 1, "How long a kept frame counts towards its situation.", unit="s"
    )


def cell_of(obs: np.ndarray, action: int, approaching: bool, idx: dict[str, int]) -> int:
    """The coarse situation of a frame (0..N_CELLS-1): phase, action, own height, the gap
    between ball and paddle (where the ball will meet the paddle's line while it comes,
    where it is now while it goes) and the ball's distance from my goal line. ``idx`` maps
    feature names to columns of ``obs``; a set without ``ball_x`` (``where+time``,
    ``where+meet`` and ``where+away``, the game's clone's) puts every distance in one bin."""
    gap = obs[idx["intercept_dy"]] if approaching else obs[idx["ball_dy"]]
    g = int(np.searchsorted(GAP_EDGES, gap))
    o = int(np.searchsorted(OWN_EDGES, obs[idx["own_y"]]))
    x = int(np.searchsorted(X_EDGES, obs[idx["ball_x"]])) if "ball_x" in idx else 0
    cell = (int(approaching) * 3 + action) * (len(OWN_EDGES) + 1) + o
    return (cell * (len(GAP_EDGES) + 1) + g) * (len(X_EDGES) + 1) + x


@strategy
class Rare(Strategy):
    """Keep rare situations, thin out repeats (``cell_of`` counts, fading with ``memory``)."""

    name = "rare"
    label = "keep rare situations, thin out repeats"
    Knobs = RareKnobs
    needs = ("intercept_dy", "ball_dy", "own_y")  # and ball_x, when the set has it

    def __init__(self, knobs, feature_set: str) -> None:
        super().__init__(knobs, feature_set)
        self.cells = np.zeros(N_CELLS)  # recently kept frames per situation, fading

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """1 while the frame's situation holds fewer than ``cell_cap``, else cap / n."""
        if f.obs is None:
            return 1.0
        n = self.cells[cell_of(f.obs, f.action, f.approaching, self.idx)]
        return 1.0 if n < self.knobs.cell_cap else self.knobs.cell_cap / n

    def age(self) -> None:
        """Every count fades by one frame of ``memory``."""
        self.cells *= 1.0 - 1.0 / (self.knobs.memory * FRAMES_PER_SECOND)

    def note(self, f: Frame, kept: bool) -> None:
        """A kept frame counts in its situation's cell."""
        if kept and f.obs is not None:
            self.cells[cell_of(f.obs, f.action, f.approaching, self.idx)] += 1.0


@dataclass
class MistakesKnobs:
    """Knobs of the mistakes strategy."""

    right_keep: float = knob(
        0.2, 0, 1, 0.01, "Keep chance of a frame your clone already gets right."
    )
    sure: float = knob(
        0.8, 0.34, 1, 0.01, "How sure the clone must be of your move to count as right."
    )
    warmup: float = knob(
        10, 0, 120, 1, "Seconds at the start when every frame is kept.", unit="s", advanced=True
    )


@strategy
class Mistakes(Strategy):
    """Keep what the clone still gets wrong (it needs the clone: ``Stats.predict``)."""

    name = "mistakes"
    label = "keep what your clone gets wrong"
    Knobs = MistakesKnobs

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """``right_keep`` for a frame the clone gets right and is sure of, else 1."""
        k = self.knobs
        if f.obs is None or stats.predict is None or stats.noted < k.warmup * FRAMES_PER_SECOND:
            return 1.0
        return k.right_keep if stats.predict(f.obs)[f.action] >= k.sure else 1.0


@dataclass
class KeyframeKnobs:
    """Knobs of the keyframe strategy."""

    window: float = knob(
        0.25, 0, 2, 0.05, "Seconds after you change your move that are always kept.", unit="s"
    )
    other_keep: float = knob(0.3, 0, 1, 0.01, "Keep chance of every other frame.")


@strategy
class Keyframe(Strategy):
    """Keep the moments a move changes (keyframes, Wen et al. 2021), thin out the rest."""

    name = "keyframe"
    label = "keep the moments you change your move"
    Knobs = KeyframeKnobs

    def __init__(self, knobs, feature_set: str) -> None:
        super().__init__(knobs, feature_set)
        self.last = 1  # the player's previous action
        self.since_change = 10**9  # frames since it last changed

    def keep_probability(self, f: Frame, stats: Stats) -> float:
        """1 within ``window`` of a change of move (this frame's included), else other_keep."""
        since = 0 if f.action != self.last else self.since_change + 1
        return 1.0 if since < self.knobs.window * FRAMES_PER_SECOND else self.knobs.other_keep

    def note(self, f: Frame, kept: bool) -> None:
        """Follow the player's move changes."""
        self.since_change = 0 if f.action != self.last else self.since_change + 1
        self.last = f.action


DEFAULT_STRATEGY = next(iter(STRATEGIES))


def make_knobs(strategy_name: str, knobs: dict | None = None):
    """Knobs for ``strategy_name`` from a dict of overrides; unknown names or values out of
    their range raise ValueError."""
    if strategy_name not in STRATEGIES:
        raise ValueError(f"unknown sampler strategy {strategy_name!r}; known: {tuple(STRATEGIES)}")
    cls = STRATEGIES[strategy_name].Knobs
    spec = {f.name: f.metadata for f in fields(cls)}
    if not isinstance(knobs, dict | None):
        raise ValueError(f"knobs must be an object, not {type(knobs).__name__}")
    extra = set(knobs or {}) - set(spec)
    if extra:
        raise ValueError(
            f"unknown knobs for {strategy_name}: {sorted(extra)}; known: {sorted(spec)}"
        )
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
        self,
        rng: np.random.Generator,
        strategy_name: str = DEFAULT_STRATEGY,
        knobs: dict | None = None,
        feature_set: str = DEFAULT_FEATURE_SET,
    ) -> None:
        self.rng = rng
        self.stats = Stats()
        self.feature_set = feature_set
        self.current: Strategy | None = None
        self.configure(strategy_name, knobs)

    @property
    def strategy(self) -> str:
        """The name of the strategy in use."""
        assert self.current is not None
        return self.current.name

    @property
    def predict(self) -> Callable[[np.ndarray], np.ndarray] | None:
        """The clone's action probabilities for one observation (set by the trainer)."""
        return self.stats.predict

    @predict.setter
    def predict(self, fn: Callable[[np.ndarray], np.ndarray] | None) -> None:
        self.stats.predict = fn

    def configure(self, strategy_name: str, knobs: dict | None = None) -> None:
        """Switch strategy and/or knobs (validated first: a bad request changes nothing).
        New knobs for the same strategy keep what it has counted so far."""
        made = make_knobs(strategy_name, knobs)
        if self.current is not None and self.current.name == strategy_name:
            self.current.knobs = made
        else:
            self.current = STRATEGIES[strategy_name](made, self.feature_set)

    def knob_dict(self) -> dict:
        """The current knobs as a plain dict."""
        assert self.current is not None
        return asdict(self.current.knobs)

    def note_action(self, action: int) -> None:
        """Follow the running shares of the player's actions (one call per frame)."""
        self.stats.shares *= SHARE_DECAY
        self.stats.shares[action] += 1.0 - SHARE_DECAY
        self.stats.noted += 1
        assert self.current is not None
        self.current.age()

    def keep_probability(
        self, action: int, approaching: bool, since_hit: float, obs: np.ndarray | None = None
    ) -> float:
        """Probability of keeping a frame; changes no state."""
        assert self.current is not None
        return self.current.keep_probability(Frame(obs, action, approaching, since_hit), self.stats)

    def keep(
        self, action: int, approaching: bool, since_hit: float, obs: np.ndarray | None = None
    ) -> bool:
        """Note the action, draw the keep/drop decision for one frame, and tell the
        strategy what was drawn."""
        assert self.current is not None
        self.note_action(action)
        f = Frame(obs, action, approaching, since_hit)
        kept = bool(self.rng.random() < self.current.keep_probability(f, self.stats))
        self.current.note(f, kept)
        return kept
