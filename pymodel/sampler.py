"""Which frames to keep: a bounded replay buffer and per-frame keep probabilities.

Strategies (``Sampler.strategy``, switchable live):

- ``uniform`` — the naive baseline: every frame is kept with the same probability
  ``UniformKnobs.keep`` (default 1.0: record everything).
- ``relevance`` (default) — the keep probability of a frame is::

      p = phase_weight * after_hit * stay_factor, clipped to [min_keep, 1]

  ``RelevanceKnobs`` (all explicit, validated):

  ================  ===================================================================
  approach_weight   phase_weight while the ball comes towards the player (decisions)
  away_weight       phase_weight while it moves away or waits for a serve
  after_hit_window  seconds after the player's own hit that count as "just hit"
  after_hit_weight  factor for frames inside that window (the outcome is already decided)
  stay_balance      0..1: 'stay' frames are kept with (moves / stays) ** stay_balance of the
                    running action shares (capped at 1), so the common 'stay' does not
                    crowd out the rare moves; 0 turns the balancing off
  agree_weight      factor for frames where the clone's greedy action already equals the
                    human's (nothing new to learn there); 1 turns it off. Frames the clone
                    gets wrong keep their full weight, so the buffer follows its mistakes
  min_keep          floor of the keep probability, so no kind of frame vanishes entirely
  impact_window     seconds before the ball reaches the paddle (approach only) that count as
                    "about to hit": the frames that set the hit offset; 0 turns it off
  impact_weight     replay weight (1..10) of those frames: a kept frame inside the window
                    is drawn into minibatches this many times as often as an ordinary one;
                    1 (the default) turns it off
  switch_window     seconds either side of a change of the human's action (up/stay/down)
                    that count as "deciding"; 0 turns it off
  switch_weight     replay weight (1..10) of kept frames inside that window; 1 (the
                    default) turns it off
  replay_phase      0..1: how much of the weighting above acts at replay instead of at
                    keep time. A frame is kept with probability p ** (1 - replay_phase)
                    and replayed with weight p ** replay_phase (times the impact and
                    switch boosts), so the product stays p. 0 (the default) drops frames
                    as before; 1 keeps every frame like ``uniform`` (no data thrown away)
                    and only replays approach frames more often than away frames
  ================  ===================================================================

The keep probability decides what enters the bounded buffer (fewer frames kept = a longer
memory of rallies); the *replay weights* decide how often a kept frame is drawn into a
minibatch (prioritised replay, proportional to the product of the weights). ``uniform``
gives every frame weight 1, i.e. plain uniform minibatches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

STRATEGIES: tuple[str, ...] = ("uniform", "relevance")
DEFAULT_STRATEGY = "relevance"
SHARE_DECAY = 0.999  # running action shares forget with a ~1000-frame (~8 s) memory
MAX_REPLAY_WEIGHT = 10.0  # upper bound of a replay-weight knob


@dataclass
class UniformKnobs:
    """Knobs of the uniform strategy."""

    keep: float = 1.0  # keep probability of every frame

    def validate(self) -> None:
        """Raise ValueError on an out-of-range knob."""
        _check_prob("keep", self.keep)


@dataclass
class RelevanceKnobs:
    """Knobs of the relevance strategy (see the module docstring table)."""

    approach_weight: float = 1.0  # approach frames hold the decisions: keep them all
    # Not lower: at 0.15 the clone of the ball-following tracker never learned where to wait
    # and missed the next ball (race tuning seeds 100-105; 0.5 was the best of those tried).
    away_weight: float = 0.5
    after_hit_window: float = 0.3  # the ball is gone; what the paddle does now is follow-through
    after_hit_weight: float = 0.2
    stay_balance: float = 0.5  # half-way: moves get room, the 'stay' prior is not erased
    agree_weight: float = 1.0  # off by default: 0.25-0.3 did not help in the race tuning
    min_keep: float = 0.02
    # Prioritised replay, off by default: on race tuning seeds 100-109 (3 bots) the overall
    # median was 50 s for these defaults, 60 s with impact 0.3 s x4 + switch 0.15 s x3,
    # 90 s with impact 0.3 s x4 alone, 70 s with 0.6 s x3, 60 s with switch 0.15 s x3 alone.
    impact_window: float = 0.0
    impact_weight: float = 1.0
    switch_window: float = 0.0
    switch_weight: float = 1.0
    # Off by default: on race tuning seeds 100-109 (3 bots, 200 s) the overall median was 50 s
    # for these defaults, 60 s at replay_phase 0.5 and 70 s at 1.0 (= uniform's 70 s).
    replay_phase: float = 0.0

    def validate(self) -> None:
        """Raise ValueError on an out-of-range knob."""
        names = ("approach_weight", "away_weight", "after_hit_weight", "stay_balance")
        for name in (*names, "agree_weight"):
            _check_prob(name, getattr(self, name))
        _check_prob("min_keep", self.min_keep)
        _check_prob("replay_phase", self.replay_phase)
        _check_range("after_hit_window", self.after_hit_window, 0.0, 5.0)
        _check_range("impact_window", self.impact_window, 0.0, 2.0)
        _check_range("switch_window", self.switch_window, 0.0, 1.0)
        _check_range("impact_weight", self.impact_weight, 1.0, MAX_REPLAY_WEIGHT)
        _check_range("switch_weight", self.switch_weight, 1.0, MAX_REPLAY_WEIGHT)


def _check_prob(name: str, value: object) -> None:
    """A knob that must be a number in [0, 1]."""
    _check_range(name, value, 0.0, 1.0)


def _check_range(name: str, value: object, lo: float, hi: float) -> None:
    """A knob that must be a number in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ValueError(f"knob {name} must be a number in [{lo:g}, {hi:g}], got {value!r}")


def make_knobs(strategy: str, knobs: dict | None = None) -> UniformKnobs | RelevanceKnobs:
    """Knobs for ``strategy`` from a dict of overrides; unknown names raise ValueError."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown sampler strategy {strategy!r}; known: {STRATEGIES}")
    cls = UniformKnobs if strategy == "uniform" else RelevanceKnobs
    known = {f.name for f in fields(cls)}
    extra = set(knobs or {}) - known
    if extra:
        raise ValueError(f"unknown knobs for {strategy}: {sorted(extra)}; known: {sorted(known)}")
    made = cls(
        **{
            k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in (knobs or {}).items()
        }
    )
    made.validate()
    return made


class Sampler:
    """Decides, frame by frame and with its own seeded rng, whether a frame is kept."""

    def __init__(
        self, rng: np.random.Generator, strategy: str = DEFAULT_STRATEGY, knobs: dict | None = None
    ) -> None:
        self.rng = rng
        self.shares = np.full(3, 1.0 / 3.0)  # running shares of up, stay, down
        self.replay_factor = 1.0  # replay part of the last frame's relevance (replay_phase)
        self.forget_actions()
        self.configure(strategy, knobs)

    def forget_actions(self) -> None:
        """Forget the human's last action and switch (a fresh recording starts at frame 1)."""
        self.last_action: int | None = None
        self.last_switch = -(10**9)  # frame number of the human's latest action change

    def configure(self, strategy: str, knobs: dict | None = None) -> None:
        """Switch strategy and/or knobs (validated first: a bad request changes nothing)."""
        made = make_knobs(strategy, knobs)
        self.strategy, self.knobs = strategy, made

    def knob_dict(self) -> dict:
        """The current knobs as a plain dict."""
        return asdict(self.knobs)

    def wants_prediction(self) -> bool:
        """True when keep() uses the clone's predicted action (so the caller computes it)."""
        return isinstance(self.knobs, RelevanceKnobs) and self.knobs.agree_weight < 1.0

    def keep_probability(
        self, action: int, approaching: bool, since_hit: float, predicted: int | None = None
    ) -> float:
        """Probability of keeping a frame (also updates the running action shares).

        Also remembers the frame's relevance-based replay factor ``p ** replay_phase`` for
        replay_weight() (1 under ``uniform`` or when replay_phase is 0)."""
        p = self.relevance(action, approaching, since_hit, predicted)
        k = self.knobs
        if isinstance(k, UniformKnobs) or k.replay_phase == 0.0:
            self.replay_factor = 1.0
            return p
        self.replay_factor = p**k.replay_phase
        return p ** (1.0 - k.replay_phase)

    def relevance(
        self, action: int, approaching: bool, since_hit: float, predicted: int | None = None
    ) -> float:
        """The relevance p of a frame (the keep probability when replay_phase is 0)."""
        self.shares *= SHARE_DECAY
        self.shares[action] += 1.0 - SHARE_DECAY
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
        if predicted is not None and predicted == action:
            p *= k.agree_weight
        return min(max(p, k.min_keep), 1.0)

    def note_action(self, action: int, frame: int) -> bool:
        """Follow the human's every action (held-out frames too); True on a change."""
        switched = self.last_action is not None and action != self.last_action
        self.last_action = action
        if switched:
            self.last_switch = frame
        return switched

    def switch_frames(self, dt: float) -> int:
        """The switch window in frames (0 when off or under ``uniform``)."""
        k = self.knobs
        if not isinstance(k, RelevanceKnobs) or k.switch_weight == 1.0:
            return 0
        return int(round(k.switch_window / dt))

    def replay_weight(
        self, approaching: bool, time_to_impact: float, frame: int, dt: float
    ) -> tuple[float, bool]:
        """Replay weight of a kept frame (1 under ``uniform``): the replay part of its
        relevance (replay_phase; from the last keep_probability call), impact and switch
        boosts, and whether the switch boost is in it (so a later switch does not boost it
        again)."""
        k = self.knobs
        if not isinstance(k, RelevanceKnobs):
            return 1.0, False
        w = self.replay_factor
        if approaching and time_to_impact < k.impact_window:
            w *= k.impact_weight
        n = self.switch_frames(dt)
        in_switch = bool(n) and frame - self.last_switch <= n
        if in_switch:
            w *= k.switch_weight
        return w, in_switch

    def keep(
        self, action: int, approaching: bool, since_hit: float, predicted: int | None = None
    ) -> bool:
        """Draw the keep/drop decision for one frame."""
        p = self.keep_probability(action, approaching, since_hit, predicted)
        return bool(self.rng.random() < p)


class ReplayBuffer:
    """A bounded ring of (observation, action, phase, replay weight): fixed preallocated arrays.

    Minibatches are drawn uniformly until a frame with a weight other than 1 is added, then
    in proportion to the weights (prioritised replay).
    """

    def __init__(self, capacity: int, n_features: int, rng: np.random.Generator) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.rng = rng
        self.obs = np.zeros((capacity, n_features), dtype=np.float64)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.approach = np.zeros(capacity, dtype=bool)
        self.weights = np.ones(capacity, dtype=np.float64)
        self.frames = np.zeros(capacity, dtype=np.int64)  # recording frame number of each entry
        self.switch_boosted = np.zeros(capacity, dtype=bool)
        self.weighted = False  # True once any weight differs from 1
        self.size = 0
        self.next = 0  # slot the next frame overwrites
        self.counts = np.zeros((2, 3), dtype=np.int64)  # [away/approach, action] in buffer

    def add(
        self,
        obs: np.ndarray,
        action: int,
        approaching: bool,
        weight: float = 1.0,
        frame: int = 0,
        switch_boosted: bool = False,
    ) -> None:
        """Store one frame, overwriting the oldest when full."""
        i = self.next
        if self.size == self.capacity:
            self.counts[int(self.approach[i]), self.actions[i]] -= 1
        else:
            self.size += 1
        self.obs[i] = obs
        self.actions[i] = action
        self.approach[i] = approaching
        self.weights[i] = weight
        self.frames[i] = frame
        self.switch_boosted[i] = switch_boosted
        self.weighted = self.weighted or weight != 1.0
        self.counts[int(approaching), action] += 1
        self.next = (i + 1) % self.capacity

    def sample(self, batch: int) -> tuple[np.ndarray, np.ndarray]:
        """A minibatch (obs [batch, n_features], actions [batch]) drawn with replacement."""
        if self.weighted:
            cum = np.cumsum(self.weights[: self.size])
            idx = np.searchsorted(cum, self.rng.random(batch) * cum[-1], side="right")
            idx = np.minimum(idx, self.size - 1)
        else:
            idx = self.rng.integers(0, self.size, size=batch)
        return self.obs[idx], self.actions[idx]

    def boost_since(self, first_frame: int, factor: float) -> None:
        """Multiply by ``factor`` the weight of recent entries recorded at or after
        ``first_frame`` (each entry at most once): the frames just before a switch."""
        i = self.next
        for _ in range(self.size):
            i = (i - 1) % self.capacity
            if self.frames[i] < first_frame:
                break
            if not self.switch_boosted[i]:
                self.switch_boosted[i] = True
                self.weights[i] *= factor
                self.weighted = True

    def clear(self) -> None:
        """Forget every frame (the arrays stay allocated)."""
        self.size = self.next = 0
        self.counts[...] = 0
        self.weights[...] = 1.0
        self.weighted = False

    def composition(self) -> dict:
        """Counts by phase and action, for the dashboard."""
        names = ("up", "stay", "down")
        return {
            "size": int(self.size),
            "capacity": int(self.capacity),
            "approach": {n: int(c) for n, c in zip(names, self.counts[1], strict=True)},
            "away": {n: int(c) for n, c in zip(names, self.counts[0], strict=True)},
        }
