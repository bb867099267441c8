"""Scripted players with distinct styles, standing in for humans in experiments and tests.

Every bot acts from its own observation (``features.observe`` for its side), so any bot can
play either paddle. Interface: ``act(obs, rng) -> action`` (0 up, 1 stay, 2 down) and
``reset()`` at the start of a game. Bots only see features: positions are recovered from the
normalised values (``own_y`` feature ``f`` is the height ``(f + 1) / 2`` in court units).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .features import index_of

_I = index_of("engineered")  # bots observe with every feature and read them by name
HALF_PADDLE = 0.1  # paddle_h / 2 in court units (GameParams default)


def _steer(error: float, deadzone: float) -> int:
    """Action that reduces ``error`` = (where I want my paddle) - (where it is)."""
    if error > deadzone:
        return 2  # down: y grows
    if error < -deadzone:
        return 0
    return 1


def _own_y(obs: np.ndarray) -> float:
    return (obs[_I["own_y"]] + 1.0) / 2.0


def _approaching(obs: np.ndarray) -> bool:
    return obs[_I["time_to_impact"]] < 1.0 and obs[_I["ball_vx_toward"]] > 0.0


class Bot:
    """Base class: a player that acts from its own observation."""

    name = "bot"

    def reset(self) -> None:
        """Forget any memory (start of a game)."""

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """The action for this tick."""
        raise NotImplementedError


class Tracker(Bot):
    """Tracks the ball's height while it moves away and aims the paddle's centre at the
    predicted intercept while it comes, seeing the ball ``delay`` ticks late and with an aim
    error (s.d. ``noise``) drawn once per approach, like a human's reaction time and aim.
    """

    name = "tracker"

    def __init__(self, delay: int = 4, noise: float = 0.02, deadzone: float = 0.015) -> None:
        self.delay, self.noise, self.deadzone = delay, noise, deadzone
        self.reset()

    def reset(self) -> None:
        """Clear the reaction-delay memory."""
        self.seen: deque[np.ndarray] = deque(maxlen=self.delay + 1)
        self.aim = 0.0
        self.was_approaching = False

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """Steer the (current) paddle towards the target read from the delayed view."""
        self.seen.append(obs)
        old = self.seen[0]  # what I perceive now happened ``delay`` ticks ago
        coming = _approaching(old)
        if coming and not self.was_approaching and self.noise > 0.0:
            self.aim = float(rng.normal(0.0, self.noise))
        self.was_approaching = coming
        if coming:
            target = old[_I["intercept_dy"]] + _own_y(old) + self.aim
        else:
            target = self.away_target(old)
        return _steer(target - _own_y(obs), self.deadzone)

    def away_target(self, old: np.ndarray) -> float:
        """Where to be while the ball moves away: level with the (late-seen) ball."""
        return (old[_I["ball_y"]] + 1.0) / 2.0


class EdgeHitter(Bot):
    """Meets the ball with the paddle's edge (offset ``offset``, +0.6 = towards the bottom
    end) for steep returns, and waits at the centre while the ball moves away.
    """

    name = "edge"

    def __init__(self, offset: float = 0.6, deadzone: float = 0.015) -> None:
        self.offset, self.deadzone = offset, deadzone

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """Aim so that ball_y - paddle_y = offset * paddle_h / 2 at the intercept."""
        if _approaching(obs):
            error = obs[_I["intercept_dy"]] - self.offset * HALF_PADDLE
        else:
            error = 0.5 - _own_y(obs)
        return _steer(error, self.deadzone)


class Lazy(Bot):
    """Stays put until the approaching ball is past mid-court, then moves only as far as
    needed to block it with some part of the paddle (a wide deadzone).
    """

    name = "lazy"

    def __init__(self, reach: float = 0.5, deadzone: float = 0.05) -> None:
        self.reach, self.deadzone = reach, deadzone

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """Stay unless the approaching ball is within ``reach`` of my goal line."""
        if _approaching(obs) and obs[_I["ball_x"]] < self.reach:
            return _steer(obs[_I["intercept_dy"]], self.deadzone)
        return 1


class Laggy(Tracker):
    """A slow, imprecise player who waits off-centre: sees the ball ``delay`` ticks late
    (0.15 s), aims with a large error (s.d. ``noise`` court heights, drawn once per approach)
    and, while the ball moves away, goes back to ``home`` (below the centre) instead of
    following the ball.
    """

    name = "laggy"

    def __init__(
        self, delay: int = 18, noise: float = 0.05, home: float = 0.68, deadzone: float = 0.02
    ) -> None:
        self.home = home
        super().__init__(delay, noise, deadzone)

    def away_target(self, old: np.ndarray) -> float:
        """Home, whatever the ball does."""
        return self.home


class TopEdge(Bot):
    """Meets the ball with the paddle's top end (offset ``offset`` = -0.7) and waits high
    (``home``, a quarter of the court down) while the ball moves away: the mirror image of
    ``edge``'s bottom-end hits, with a waiting height of its own.
    """

    name = "topedge"

    def __init__(self, offset: float = -0.7, home: float = 0.25, deadzone: float = 0.015) -> None:
        self.offset, self.home, self.deadzone = offset, home, deadzone

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """Aim the top end at the intercept, or go back up to ``home``."""
        if _approaching(obs):
            error = obs[_I["intercept_dy"]] - self.offset * HALF_PADDLE
        else:
            error = self.home - _own_y(obs)
        return _steer(error, self.deadzone)


class Person(Bot):
    """A human-like player: it sees the ball ``delay`` ticks late (people react 250-300 ms
    late), presses a key for at least ``min_hold`` ticks once it presses one (a press is not
    a tick), aims the paddle so the ball meets it at ``offset`` with an error (s.d. ``noise``)
    drawn once per approach, and while the ball moves away goes towards ``home`` (or, with
    ``follow``, that share of the way towards the late-seen ball's height)."""

    name = "person"

    def __init__(
        self,
        delay: int = 30,
        min_hold: int = 18,
        offset: float = 0.3,
        noise: float = 0.03,
        home: float = 0.5,
        follow: float = 0.0,
        deadzone: float = 0.03,
    ) -> None:
        self.delay, self.min_hold, self.offset, self.noise = delay, min_hold, offset, noise
        self.home, self.follow, self.deadzone = home, follow, deadzone
        self.reset()

    def reset(self) -> None:
        """Forget what was seen and pressed."""
        self.seen: deque[np.ndarray] = deque(maxlen=self.delay + 1)
        self.aim = 0.0
        self.was_approaching = False
        self.pressed, self.held = 1, 0  # the key held (1 = none) and for how many ticks

    def act(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """Steer towards the late-seen target; a press lasts at least ``min_hold`` ticks."""
        self.seen.append(obs)
        old = self.seen[0]
        coming = _approaching(old)
        if coming and not self.was_approaching:
            self.aim = float(rng.normal(0.0, self.noise)) if self.noise > 0.0 else 0.0
        self.was_approaching = coming
        if coming:
            target = old[_I["intercept_dy"]] + _own_y(old) - self.offset * HALF_PADDLE + self.aim
        else:
            ball = (old[_I["ball_y"]] + 1.0) / 2.0
            target = self.home + self.follow * (ball - self.home)
        want = _steer(target - _own_y(obs), self.deadzone)
        if self.pressed != 1 and self.held < self.min_hold:
            want = self.pressed  # a press is held at least min_hold ticks
        self.held = self.held + 1 if want == self.pressed else 1
        self.pressed = want
        return want


class Late(Person):
    """A person who reacts 250 ms late, holds a key at least 150 ms, meets the ball a little
    below its paddle's centre and waits at the centre (a test-set player: never tuned on)."""

    name = "late"

    def __init__(self) -> None:
        super().__init__(delay=30, min_hold=18, offset=0.3, noise=0.03, home=0.5)


class Drifter(Person):
    """A person who reacts 300 ms late, holds a key at least 200 ms, meets the ball a little
    above centre and drifts half-way towards the ball while it moves away (test set)."""

    name = "drifter"

    def __init__(self) -> None:
        super().__init__(delay=36, min_hold=24, offset=-0.2, noise=0.04, home=0.5, follow=0.5)


BOTS: dict[str, type[Bot]] = {
    "tracker": Tracker,
    "edge": EdgeHitter,
    "lazy": Lazy,
    "laggy": Laggy,
    "topedge": TopEdge,
    "late": Late,
    "drifter": Drifter,
}
RACE_BOTS: tuple[str, ...] = ("tracker", "edge", "lazy", "laggy", "topedge")  # the five teachers
TEST_PLAYERS: tuple[str, ...] = ("late", "drifter")  # human-like: measured, never tuned on


def opponent() -> Bot:
    """The steady sparring partner used in experiments: a tracker without delay or noise."""
    return Tracker(delay=0, noise=0.0)
