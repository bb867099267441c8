"""Measurements: the ``bench`` request's modes, and the CPython figures of ``python -m
pymodel bench`` (which scripts/bench/ reuses, so there is one CPython benchmark).

Nothing here changes how the game plays: the probe only times ticks and advances, and turbo
makes ``advance`` train until its deadline instead of stopping at the game-time budget.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable

import numpy as np

from ..learn.trainer import OnlineTrainer
from ..sim import bots, game
from ..sim.features import observe
from ..sim.game import ACTIONS
from .fields import bool_field, num_field
from .protocol import ProtocolError

MAX_BENCH_SECONDS = 30.0  # one bench train request blocks the worker at most this long
BENCH_MIN_BUFFER = 1024  # bench train tops the replay buffer up to this many frames
TIMINGS_KEPT = 16_384  # recent tick / advance durations kept (~2 min of play)


def summary_ms(seconds: deque[float]) -> dict:
    """Count, median, 99th percentile and total of durations, in milliseconds (None when
    empty; the total is 0)."""
    if not seconds:
        return {"n": 0, "median": None, "p99": None, "total": 0.0}
    ms = np.asarray(seconds) * 1000.0
    return {
        "n": int(ms.size),
        "median": float(np.median(ms)),
        "p99": float(np.percentile(ms, 99)),
        "total": float(ms.sum()),
    }


class Probe:
    """Times game ticks and advance requests, and holds the turbo switch."""

    def __init__(self) -> None:
        self.tick_s: deque[float] = deque(maxlen=TIMINGS_KEPT)
        self.advance_s: deque[float] = deque(maxlen=TIMINGS_KEPT)
        self.turbo = False
        self.turbo_from = (0.0, 0, 0)  # (perf_counter, trainer steps, game tick) at turbo on

    def handle(self, msg: dict, trainer: OnlineTrainer, tick: int, seed: int) -> dict:
        """Answer one ``bench`` request (see protocol.REQUESTS) with a bench_result."""
        mode = msg.get("mode")
        if mode == "train":
            seconds = num_field(msg, "seconds", 2.0, lo=0.001, hi=MAX_BENCH_SECONDS)
            return {
                "type": "bench_result",
                "mode": "train",
                **train_flat_out(trainer, seconds, seed),
            }
        if mode == "turbo":
            on = bool_field(msg, "on")
            now = time.perf_counter()
            t0, steps0, tick0 = self.turbo_from if self.turbo else (now, trainer.steps, tick)
            self.turbo = on
            if on:
                self.turbo_from = (now, trainer.steps, tick)
            seconds, steps = now - t0, trainer.steps - steps0
            return {
                "type": "bench_result",
                "mode": "turbo",
                "on": on,
                "steps": steps,
                "ticks": tick - tick0,
                "seconds": seconds,
                "steps_per_s": steps / seconds if seconds > 0 else 0.0,
            }
        if mode == "stats":
            result = {
                "type": "bench_result",
                "mode": "stats",
                "tick_ms": summary_ms(self.tick_s),
                "advance_ms": summary_ms(self.advance_s),
            }
            if bool_field(msg, "reset", False):
                self.tick_s.clear()
                self.advance_s.clear()
            return result
        raise ProtocolError(f"bench mode must be 'train', 'turbo' or 'stats', got {mode!r}")


def health(trainer: OnlineTrainer, recording_ticks: int) -> dict:
    """Memory and sizes of the running game, for the soak test (the worker adds the size of
    its WebAssembly memory, which only JavaScript can see)."""
    import gc
    import sys

    return {
        "py_blocks": sys.getallocatedblocks(),
        "gc_objects": len(gc.get_objects()),
        "recording": recording_ticks,
        "buffer": int(trainer.buffer.size),
        "steps": trainer.steps,
    }


def train_flat_out(trainer: OnlineTrainer, seconds: float, seed: int) -> dict:
    """Train for ``seconds`` of wall time with the trainer's own loop, ignoring the budget
    (synthetic frames from their own stream top up a small buffer first)."""
    if trainer.buffer.size < BENCH_MIN_BUFFER:
        rng = np.random.default_rng([seed, 2])
        for _ in range(BENCH_MIN_BUFFER - trainer.buffer.size):
            obs = rng.uniform(-1.0, 1.0, trainer.layer_sizes()[0])
            trainer.buffer.add(obs, int(rng.integers(0, len(ACTIONS))), bool(rng.random() < 0.5))
    start = time.perf_counter()
    steps = trainer.train(deadline=start + seconds, budgeted=False, clock=time.perf_counter)
    elapsed = time.perf_counter() - start
    return {
        "steps": steps,
        "seconds": elapsed,
        "steps_per_s": steps / elapsed,
        "batch": trainer.config.batch,
        "sizes": trainer.layer_sizes(),
    }


def cpython_train_rate(seconds: float, seed: int = 0) -> dict:
    """Training steps/s of a fresh default clone in this Python, with the trainer's own loop
    on synthetic frames (what the ``bench`` request's mode 'train' measures in the worker)."""
    return train_flat_out(OnlineTrainer(np.random.default_rng([seed, 1])), seconds, seed)


def median_rate(fn: Callable[[], None], n: int, repeats: int) -> float:
    """Calls per second of ``fn`` (n calls per repeat), median over repeats."""
    rates = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        rates.append(n / (time.perf_counter() - t))
    return statistics.median(rates)


def cpython_figures(repeats: int = 5) -> dict:
    """Training steps/s of the default clone (the trainer's own loop, median of ``repeats``
    half-second runs) and ticks/s of the game, in this Python."""
    rng = np.random.default_rng(0)
    trains = [cpython_train_rate(0.5) for _ in range(repeats)]
    gp = game.GameParams()
    state = [game.initial(rng, gp)]
    left, right = bots.Tracker(), bots.opponent()

    def tick() -> None:
        s = state[0]
        la = left.act(observe(s, "left", gp), rng)
        ra = right.act(observe(s, "right", gp), rng)
        state[0], _ = game.transition(s, la, ra, rng, gp)

    def bare_tick() -> None:
        state[0], _ = game.transition(state[0], 1, 1, rng, gp)

    return {
        "batch": trains[0]["batch"],
        "sizes": trains[0]["sizes"],
        "steps_per_s": statistics.median(t["steps_per_s"] for t in trains),
        "ticks_per_s": median_rate(tick, 5000, repeats),
        "bare_ticks_per_s": median_rate(bare_tick, 20000, repeats),
        "repeats": repeats,
    }
