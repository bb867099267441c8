"""The mirror test, "which one is you?": can the player tell their clone from themself?

A blind test in rounds. Each round shows two short silent replays of the same length, both
drawn as the left paddle: one is the player's own recorded play, the other is the clone
playing the player's seat, played out fresh from the very state the player's replay starts
from (the same ball, the same paddles; the right seat is played by the clone, as it was in
the live game, so both replays meet the same kind of ball). The player picks the one they
think is them. The score is how often they were *fooled* (picked the clone): 50 % means they
cannot tell the two apart, 0 % that they always can.

Which replay is the player's (the *key*) is balanced: as many rounds have the player on the
left as on the right, in a seeded random order, so a judge who always picks one side is
fooled exactly half the time (an odd round count leaves one round to chance).

Beside the human judge, a *machine judge* guesses every pair from style fingerprints
(``sim.style``): each replay's fingerprint is compared with two references, the player's own
play in the window with every test replay taken out, and the clone's play from other starts
of the same window (``reference_clips`` fresh replays); the replay that leans more towards the
player (``distance(x, you) - distance(x, clone)``, smaller is more like you: attribution as
``lab.stylometry`` does it) is its guess. A short replay has few hits, so few traits are
measured; when neither replay can be told (both leans unknown or equal) it guesses ``a``.

Pure: the recording, the policies and a seed in, plain data out; the worker keeps the test
between requests (``worker.game_session``). The key is only in ``MirrorTest`` and in the
result: the page learns it when the test is over (a test-only request reads it earlier).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..sim import style
from ..sim.game import EVENT_BITS, GameParams
from ..sim.recording import Policy, Recording, play_out, state_at

MIN_ROUNDS, MAX_ROUNDS = 2, 20  # rounds a test may have
MIN_CLIP_S, MAX_CLIP_S = 2.0, 10.0  # seconds a replay may last
SIDES = ("a", "b")  # the two replays of a round, shown left (a) and right (b)
PolicyMaker = Callable[[], Policy]  # a fresh policy (a mover with its own state) per replay


@dataclass(frozen=True)
class MirrorConfig:
    """How a mirror test is made."""

    rounds: int = 10  # pairs of replays
    clip_s: float = 6.0  # each replay's length, game seconds
    window_s: float = 300.0  # replays come from the last this many game seconds of play
    min_play_s: float = 120.0  # the test needs this much recorded play in the window
    reference_clips: int = 10  # the clone's reference for the machine judge: fresh replays
    frame_every: int = 2  # game ticks per drawn frame (60 a second)

    def __post_init__(self) -> None:
        """Refuse a test that cannot be run, with one sentence."""
        if not MIN_ROUNDS <= self.rounds <= MAX_ROUNDS:
            raise ValueError(f"a mirror test has {MIN_ROUNDS} to {MAX_ROUNDS} rounds")
        if not MIN_CLIP_S <= self.clip_s <= MAX_CLIP_S:
            raise ValueError(f"a replay lasts {MIN_CLIP_S:g} to {MAX_CLIP_S:g} seconds")


@dataclass
class Round:
    """One pair of replays: the player's, the clone's, which is which, and the guesses."""

    key: str  # "a" or "b": the player's replay
    player: dict  # decoded columns of the player's replay
    clone: dict  # decoded columns of the clone's replay
    machine: str = "a"  # the machine judge's guess of the player's replay
    lean: dict = field(default_factory=dict)  # per replay: d(you) - d(clone), or None
    pick: str | None = None  # the human judge's pick

    def shown(self, side: str) -> dict:
        """The columns shown as replay ``side``."""
        return self.player if side == self.key else self.clone


class TooLittlePlay(ValueError):
    """The recording cannot give a fair test yet; the message says how much more to play."""


def starts(cols: dict, ticks: int) -> np.ndarray:
    """Rows where a replay of ``ticks`` may start: the ball has just turned towards the player
    (a serve their way, or the opponent's hit) and the next ``ticks`` rows are unbroken."""
    n = len(cols["tick"])
    turned = (cols["events"] & (EVENT_BITS["hit_right"] | EVENT_BITS["serve"])) != 0
    rows = np.flatnonzero(turned[:-1]) + 1 if n > 1 else np.zeros(0, dtype=np.int64)
    rows = rows[(rows + ticks <= n) & (cols["ball_vx"][rows] < 0.0)]
    end = np.minimum(rows + ticks - 1, n - 1)
    return rows[cols["tick"][end] - cols["tick"][rows] == ticks - 1]


def _spread(candidates: np.ndarray, ticks: int, k: int, rng: np.random.Generator) -> list[int]:
    """Up to ``k`` of ``candidates`` in a seeded random order, no two replays overlapping."""
    chosen: list[int] = []
    for row in rng.permutation(candidates):
        if all(abs(int(row) - c) >= ticks for c in chosen):
            chosen.append(int(row))
            if len(chosen) == k:
                break
    return chosen


def balanced_key(rounds: int, rng: np.random.Generator) -> list[str]:
    """Which replay is the player's in each round: as many "a" as "b" (an odd count leaves
    one to chance), in a random order."""
    half = ["a", "b"] * (rounds // 2)
    if rounds % 2:
        half.append(SIDES[int(rng.integers(2))])
    return [str(x) for x in rng.permutation(half)]


def _rows(cols: dict, start: int, ticks: int) -> dict:
    return {k: v[start : start + ticks] for k, v in cols.items()}


def _joined(parts: list[dict]) -> dict:
    """Replays as one set of columns, their ticks renumbered so no rally spans two."""
    out: dict = {k: [] for k in parts[0]}
    offset = 0
    for part in parts:
        for k, v in part.items():
            out[k].append(v - v[0] + offset if k == "tick" else v)
        offset += len(part["tick"]) + 10
    return {k: np.concatenate(v) for k, v in out.items()}


def fresh(
    cols: dict,
    row: int,
    ticks: int,
    maker: PolicyMaker,
    seed: list[int],
    params: GameParams,
    feature_set: str,
) -> dict:
    """The clone in the player's seat for ``ticks`` ticks from the state at ``row``, the right
    seat played by the clone too (each paddle its own policy); decoded columns."""
    state = state_at(cols, row, params)
    rng = np.random.default_rng(seed)
    rec = play_out(state, maker(), maker(), rng, ticks, params, (feature_set, feature_set))
    return rec.decoded()


def _lean(fp: dict, you: dict, clone: dict) -> float | None:
    """How much more like the player than like the clone a replay's fingerprint is (smaller
    is more like the player); None when either distance has no trait to go on."""
    d_you = style.distance(fp, you)["overall"]
    d_clone = style.distance(fp, clone)["overall"]
    return None if d_you is None or d_clone is None else d_you - d_clone


def machine_guess(r: Round, you: dict, clone: dict, params: GameParams) -> None:
    """The fingerprint judge's guess for one round (sets ``r.machine`` and ``r.lean``)."""
    r.lean = {
        side: _lean(style.fingerprint(r.shown(side), "left", params=params), you, clone)
        for side in SIDES
    }
    a, b = r.lean["a"], r.lean["b"]
    r.machine = "b" if a is not None and b is not None and b < a else "a"


class MirrorTest:
    """One test: its rounds, the answers so far, and what it is kept as."""

    def __init__(self, rounds: list[Round], cfg: MirrorConfig, params: GameParams) -> None:
        self.rounds, self.cfg, self.params = rounds, cfg, params

    @property
    def answered(self) -> int:
        """Rounds the player has answered (in order)."""
        return sum(r.pick is not None for r in self.rounds)

    @property
    def done(self) -> bool:
        """Every round is answered."""
        return self.answered == len(self.rounds)

    def key(self) -> list[str]:
        """The answer key: the player's replay in each round (test only before the end)."""
        return [r.key for r in self.rounds]

    def clips(self) -> dict:
        """What the page draws: per round the two replays' frames (court units), undisclosed
        which is which."""
        p, every = self.params, self.cfg.frame_every
        names = ("ball_x", "ball_y", "left_y", "right_y")

        def frames(c: dict) -> dict:
            return {k: np.round(c[k][::every], 4).tolist() for k in names}

        return {
            "rounds": len(self.rounds),
            "clip_s": self.cfg.clip_s,
            "fps": p.tick_hz / every,
            "court": {"w": p.court_w, "h": p.court_h},
            "paddle": {"w": p.paddle_w, "h": p.paddle_h},
            "paddle_x": {"left": p.paddle_x("left"), "right": p.paddle_x("right")},
            "ball_r": p.ball_r,
            "pairs": [{s: frames(r.shown(s)) for s in SIDES} for r in self.rounds],
        }

    def answer(self, index: int, pick: str) -> None:
        """The player's pick for round ``index`` (0-based; rounds are answered in order)."""
        if self.done:
            raise ValueError("this mirror test is over: start a new one")
        if index != self.answered:
            raise ValueError(f"answer round {self.answered} next, not round {index}")
        if pick not in SIDES:
            raise ValueError(f"pick must be one of {SIDES}, not {pick!r}")
        self.rounds[index].pick = pick

    def result(self, at: float | None, game_seconds: float, steps: int) -> dict:
        """The finished test: its history entry (``formats.weights.HISTORY_FIELDS``), every
        round (key, pick, the machine's guess) and a sentence."""
        n = len(self.rounds)
        fooled = sum(r.pick != r.key for r in self.rounds)
        right = sum(r.machine == r.key for r in self.rounds)
        entry = {
            "kind": "mirror_test",
            "at": at,
            "game_seconds": round(game_seconds, 3),
            "steps": int(steps),
            "rounds": n,
            "fooled": fooled,
            "machine_right": right,
            "clip_s": self.cfg.clip_s,
        }
        detail = [
            {"key": r.key, "pick": r.pick, "machine": r.machine, "lean": r.lean}
            for r in self.rounds
        ]
        return {"entry": entry, "rounds": detail, "sentence": sentence(fooled, right, n)}


def sentence(fooled: int, machine_right: int, rounds: int) -> str:
    """What the test says, in one plain paragraph."""
    pct = round(100 * fooled / rounds)
    if fooled * 2 >= rounds:
        verdict = "you could not tell your clone from yourself"
    elif fooled == 0:
        verdict = "you told your clone from yourself every time"
    else:
        verdict = "you mostly told your clone from yourself"
    return (
        f"You took your clone for yourself in {fooled} of {rounds} rounds ({pct}%): {verdict} "
        f"(50% would mean the two cannot be told apart). The fingerprint judge named you "
        f"right in {machine_right} of {rounds} ({round(100 * machine_right / rounds)}%)."
    )


def build(
    rec: Recording, maker: PolicyMaker, feature_set: str, seed: int, cfg: MirrorConfig
) -> MirrorTest:
    """A mirror test from the last ``cfg.window_s`` of ``rec``: the clone is ``maker()`` (a
    fresh policy observing with ``feature_set``), the choices come from ``seed``.
    TooLittlePlay when the recording cannot give ``cfg.rounds`` replays yet."""
    p = rec.params
    cols = rec.decoded(last=int(round(cfg.window_s / p.dt)))
    have = len(cols["tick"]) * p.dt
    if have < cfg.min_play_s:
        raise TooLittlePlay(
            f"the mirror test needs {cfg.min_play_s:.0f} s of your play, "
            f"and {have:.0f} s is recorded: play a little longer"
        )
    ticks = int(round(cfg.clip_s / p.dt))
    rng = np.random.default_rng([seed, 21])
    candidates = starts(cols, ticks)
    chosen = _spread(candidates, ticks, cfg.rounds, rng)
    if len(chosen) < cfg.rounds:
        raise TooLittlePlay(
            f"the mirror test needs {cfg.rounds} moments when the ball comes your way, "
            f"{len(chosen)} found: play a few more rallies"
        )
    keys = balanced_key(cfg.rounds, rng)

    def clone_from(row: int, stream: list[int]) -> dict:
        return fresh(cols, row, ticks, maker, [seed, *stream], p, feature_set)

    rounds = [
        Round(key, _rows(cols, row, ticks), clone_from(row, [22, k]))
        for k, (key, row) in enumerate(zip(keys, chosen, strict=True))
    ]
    others = [int(r) for r in rng.permutation(candidates) if int(r) not in chosen]
    extra = (others or chosen)[: cfg.reference_clips]
    clone_ref = _joined([clone_from(row, [23, k]) for k, row in enumerate(extra)])
    keep = np.ones(len(cols["tick"]), dtype=bool)
    for row in chosen:
        keep[row : row + ticks] = False
    you = style.fingerprint({k: v[keep] for k, v in cols.items()}, "left", params=p)
    clone = style.fingerprint(clone_ref, "left", params=p)
    for r in rounds:
        machine_guess(r, you, clone, p)
    return MirrorTest(rounds, cfg, p)
