"""The protocol handler used by the browser worker: plain dicts in, lists of plain dicts out.

``Session.handle(msg)`` answers every request of ``protocol.REQUESTS`` with the replies
documented in ``protocol.REPLIES``; ``Session.handle_json(text)`` does the same on JSON text and
returns a JSON array, so no PyProxy ever crosses the worker boundary. Errors never escape:
they come back as an ``error`` reply (message, traceback detail, request type, fatal: false).

The human plays the left paddle (keyboard intent = the action; a pointer target becomes up,
down or stay with a small deadzone, and that action is the training label), the clone plays
the right paddle with the network's greedy action on the right-side observation.
"""

from __future__ import annotations

import json
import time
import traceback
from collections import deque

import numpy as np

from . import __version__, mlp
from .features import FEATURES, N_FEATURES, approaching, observe
from .fields import bool_field as _bool
from .fields import num_field as _num
from .fields import seed_field as _seed
from .game import Clock, GameParams, initial, transition
from .protocol import ACTIONS, ProtocolError, check_request
from .sampler import DEFAULT_STRATEGY
from .trainer import OnlineTrainer
from .weights import from_json

POINTER_DEADZONE = 0.02  # court units: closer than this to the target, the paddle stays
METRICS_EVERY = 0.25  # game seconds between metrics replies (about 4 per game second)
MAX_STEP_TICKS = 120 * 600  # one step request runs at most 10 game minutes
MAX_DECIDE_ROWS = 10_000  # rows per decide request
MAX_BENCH_SECONDS = 30.0  # one bench train request blocks the worker at most this long
BENCH_MIN_BUFFER = 1024  # bench train tops the replay buffer up to this many frames
TIMINGS_KEPT = 16_384  # recent tick / advance durations kept for bench stats (~2 min of play)


class Session:
    """One game with its clone; ``handle`` is the whole public surface."""

    def __init__(self, seed: int = 0) -> None:
        self.params = GameParams()
        self._start(seed, DEFAULT_STRATEGY, None, learning=True, ghost=False)
        # Measurements for the bench request; a few perf_counter calls per tick, so always on.
        self.turbo = False
        self.turbo_from = (0.0, 0, 0)  # (perf_counter, trainer steps, game tick) at turbo on
        self.tick_s: deque[float] = deque(maxlen=TIMINGS_KEPT)
        self.advance_s: deque[float] = deque(maxlen=TIMINGS_KEPT)

    # ----------------------------------------------------------------- dispatch
    def handle(self, msg: dict) -> list[dict]:
        """Answer one request with a list of replies; never raises."""
        kind = msg.get("type") if isinstance(msg, dict) else None
        try:
            check_request(msg)
            replies = getattr(self, f"_on_{kind}")(msg)
        except Exception as exc:  # every failure becomes an error reply, never an exception
            message = str(exc) or type(exc).__name__
            replies = [
                {
                    "type": "error",
                    "message": message,
                    "detail": traceback.format_exc(),
                    "request": kind if isinstance(kind, str) else "?",
                    "fatal": False,
                }
            ]
        if isinstance(msg, dict) and "id" in msg:
            for reply in replies:
                reply["id"] = msg["id"]
        return replies

    def handle_json(self, text: str) -> str:
        """``handle`` on JSON text; returns a JSON array of replies."""
        try:
            msg = json.loads(text)
        except ValueError as exc:
            return json.dumps(
                [
                    {
                        "type": "error",
                        "message": f"request is not JSON: {exc}",
                        "detail": "",
                        "request": "?",
                        "fatal": False,
                    }
                ]
            )
        return json.dumps(self.handle(msg), allow_nan=False)

    # ------------------------------------------------------------------- state
    def _start(
        self, seed: int, strategy: str, knobs: dict | None, learning: bool, ghost: bool
    ) -> None:
        # Built first: a bad sampler or knob raises before the old session is touched.
        trainer = OnlineTrainer(np.random.default_rng([seed, 1]), strategy=strategy, knobs=knobs)
        self.seed, self.trainer = seed, trainer
        self.rng = np.random.default_rng([seed, 0])  # the game's own stream
        self.state = initial(self.rng, self.params)
        self.clock = Clock(self.params.dt, self.params.max_accumulated)
        self.learning, self.ghost, self.paused = learning, ghost, False
        self.intent, self.target = 1, None
        self.ghost_y = self.state.left_y
        self.last_obs = observe(self.state, "right", self.params)
        self.last_metrics_t = 0.0

    def _settings(self) -> dict:
        return {
            "sampler": self.trainer.sampler.strategy,
            "knobs": self.trainer.sampler.knob_dict(),
            "learning": self.learning,
            "ghost": self.ghost,
            "seed": self.seed,
        }

    def _human_action(self) -> int:
        if self.target is None:
            return self.intent
        diff = self.target - self.state.left_y
        return 2 if diff > POINTER_DEADZONE else 0 if diff < -POINTER_DEADZONE else 1

    def _tick(self, events: list[str]) -> None:
        """One fixed tick: both players act, the human's frame is recorded, the game moves."""
        s, p = self.state, self.params
        left = self._human_action()
        self.last_obs = observe(s, "right", p)
        right, _ = self.trainer.act(self.last_obs)
        if self.learning:
            obs = observe(s, "left", p)
            self.trainer.record(obs, left, approaching(s, "left"), s.t - s.left_hit_t)
            self.trainer.owe(p.dt)
        if self.ghost:  # the clone's move in the human's seat, from a shadow paddle
            shadow = observe(s, "left", p)
            shadow[FEATURES.index("own_y")] = 2.0 * self.ghost_y / p.court_h - 1.0
            shadow[FEATURES.index("ball_dy")] = (s.ball_y - self.ghost_y) / p.court_h
            if approaching(s, "left"):
                shadow[FEATURES.index("intercept_dy")] += (s.left_y - self.ghost_y) / p.court_h
            g, _ = self.trainer.act(shadow)
            half = p.paddle_h / 2
            self.ghost_y = min(
                max(self.ghost_y + (g - 1) * p.paddle_speed * p.dt, half), p.court_h - half
            )
        self.state, new_events = transition(s, left, right, self.rng, p)
        if "score_left" in new_events or "score_right" in new_events:
            self.ghost_y = self.state.left_y
        events.extend(new_events)

    def _frame(self, events: list[str]) -> dict:
        s, p = self.state, self.params
        return {
            "type": "frame",
            "tick": s.tick,
            "t": s.t,
            "ball": {"x": s.ball_x, "y": s.ball_y, "vx": s.ball_vx, "vy": s.ball_vy, "r": p.ball_r},
            "paddles": {
                "left": {"x": p.paddle_x("left"), "y": s.left_y},
                "right": {"x": p.paddle_x("right"), "y": s.right_y},
            },
            "paddle": {"w": p.paddle_w, "h": p.paddle_h},
            "court": {"w": p.court_w, "h": p.court_h},
            "score": {"left": s.score_left, "right": s.score_right},
            "paused": self.paused,
            "ghost_y": self.ghost_y if self.ghost else None,
            "events": events,
        }

    def _metrics(self) -> dict:
        self.last_metrics_t = self.state.t
        return {
            "type": "metrics",
            "t": self.state.t,
            **self.trainer.metrics(),
            "settings": self._settings(),
        }

    # ---------------------------------------------------------------- requests
    def _on_init(self, msg: dict) -> list[dict]:
        seed = _seed(msg, 0)
        loaded = from_json(msg["weights"]) if msg.get("weights") is not None else None
        self._start(
            seed,
            msg.get("sampler", DEFAULT_STRATEGY),
            msg.get("knobs"),
            _bool(msg, "learning", True),
            _bool(msg, "ghost", False),
        )
        if loaded is not None:
            self.trainer.load(loaded[0], loaded[1])
        return [
            {
                "type": "ready",
                "features": list(FEATURES),
                "actions": list(ACTIONS),
                "layer_sizes": self.trainer.layer_sizes(),
                "settings": self._settings(),
                "court": {"w": self.params.court_w, "h": self.params.court_h},
                "tick_hz": self.params.tick_hz,
            }
        ]

    def _on_input(self, msg: dict) -> list[dict]:
        if "intent" in msg:
            if msg["intent"] not in ACTIONS:
                raise ProtocolError(f"intent must be one of {ACTIONS}, got {msg['intent']!r}")
            self.intent, self.target = ACTIONS.index(msg["intent"]), None
        elif "target" in msg:
            if msg["target"] is None:
                self.target, self.intent = None, 1  # letting go of the pointer stops the paddle
            else:
                self.target = _num(msg, "target", lo=-10.0, hi=10.0)
        else:
            raise ProtocolError("input needs an 'intent' or a 'target' field")
        return []

    def _on_pause(self, msg: dict) -> list[dict]:
        self.paused = _bool(msg, "paused")
        self.clock.accumulator = 0.0  # time spent paused is not owed
        return [self._frame([])]

    def _on_advance(self, msg: dict) -> list[dict]:
        dt = _num(msg, "dt", 0.0, lo=0.0, hi=3600.0)
        train_ms = _num(msg, "train_ms", 4.0, lo=0.0, hi=1000.0)
        events: list[str] = []
        if self.paused:
            return [self._frame(events)]
        start = time.perf_counter()
        deadline = start + train_ms / 1000.0
        for _ in range(self.clock.advance(dt)):
            t0 = time.perf_counter()
            self._tick(events)
            self.tick_s.append(time.perf_counter() - t0)
        if self.learning:
            if self.turbo:  # bench: train until the deadline, whatever the budget says
                self.trainer.owed = float("inf")
            self.trainer.train(deadline=deadline)
            if self.turbo:
                self.trainer.owed = 0.0
        self.advance_s.append(time.perf_counter() - start)
        replies = [self._frame(events)]
        if self.state.t - self.last_metrics_t >= METRICS_EVERY:
            replies.append(self._metrics())
        return replies

    def _on_step(self, msg: dict) -> list[dict]:
        ticks = int(_num(msg, "ticks", lo=0, hi=MAX_STEP_TICKS))
        events: list[str] = []
        for _ in range(ticks):
            self._tick(events)
            if self.learning:
                self.trainer.train()
        return [self._frame(events)]

    def _on_set_sampler(self, msg: dict) -> list[dict]:
        self.trainer.sampler.configure(msg.get("strategy", ""), msg.get("knobs"))
        return [{"type": "settings", **self._settings()}]

    def _on_set_learning(self, msg: dict) -> list[dict]:
        self.learning = _bool(msg, "on")
        return [{"type": "settings", **self._settings()}]

    def _on_set_ghost(self, msg: dict) -> list[dict]:
        self.ghost = _bool(msg, "on")
        self.ghost_y = self.state.left_y
        return [{"type": "settings", **self._settings()}]

    def _on_reset_ai(self, msg: dict) -> list[dict]:
        seed = _seed(msg, self.seed)
        self.trainer.reset(np.random.default_rng([seed, 1]))
        return [{"type": "settings", **self._settings()}]

    def _on_export(self, msg: dict) -> list[dict]:
        tr = self.trainer
        meta = {
            "created_by": f"pymodel {__version__}",
            "seed": self.seed,
            "sampler": tr.sampler.strategy,
            "knobs": tr.sampler.knob_dict(),
            "steps": tr.steps,
            "seen": tr.seen,
            "kept": tr.kept,
            "game_seconds": round(self.state.t, 3),
        }
        text = tr.export(meta)
        return [
            {"type": "weights", "text": text, "filename": f"mirror-pong-clone-{tr.steps}steps.json"}
        ]

    def _on_import(self, msg: dict) -> list[dict]:
        text = msg.get("text")
        if not isinstance(text, str):
            raise ProtocolError("import needs a 'text' field with the weights file")
        meta = self.trainer.load_json(text)  # validates fully before anything changes
        return [{"type": "imported", "meta": meta, "layer_sizes": self.trainer.layer_sizes()}]

    def _on_get_network(self, msg: dict) -> list[dict]:
        tr = self.trainer
        n = mlp.n_layers(tr.params)
        _, cache = mlp.forward(tr.params, self.last_obs[None, :], tr.activations)
        return [
            {
                "type": "network",
                "sizes": tr.layer_sizes(),
                "activations": tr.activations,
                "weights": [tr.params[f"W{i}"].tolist() for i in range(1, n + 1)],
                "biases": [tr.params[f"b{i}"].tolist() for i in range(1, n + 1)],
                "values": [cache[f"h{i}"][0].tolist() for i in range(n + 1)],
            }
        ]

    def _on_get_metrics(self, msg: dict) -> list[dict]:
        return [self._metrics()]

    def _on_bench(self, msg: dict) -> list[dict]:
        mode = msg.get("mode")
        if mode == "train":
            return [self._bench_train(_num(msg, "seconds", 2.0, lo=0.001, hi=MAX_BENCH_SECONDS))]
        if mode == "turbo":
            on = _bool(msg, "on")
            now, tr = time.perf_counter(), self.trainer
            t0, steps0, tick0 = self.turbo_from if self.turbo else (now, tr.steps, self.state.tick)
            self.turbo = on
            if on:
                self.turbo_from = (now, tr.steps, self.state.tick)
            seconds = now - t0
            steps = tr.steps - steps0
            return [
                {
                    "type": "bench_result",
                    "mode": "turbo",
                    "on": on,
                    "steps": steps,
                    "ticks": self.state.tick - tick0,
                    "seconds": seconds,
                    "steps_per_s": steps / seconds if seconds > 0 else 0.0,
                }
            ]
        if mode == "stats":
            result = {
                "type": "bench_result",
                "mode": "stats",
                "tick_ms": _summary(self.tick_s),
                "advance_ms": _summary(self.advance_s),
            }
            if _bool(msg, "reset", False):
                self.tick_s.clear()
                self.advance_s.clear()
            return [result]
        raise ProtocolError(f"bench mode must be 'train', 'turbo' or 'stats', got {mode!r}")

    def _bench_train(self, seconds: float) -> dict:
        """Train the clone flat out for ``seconds`` of wall time with the trainer's own loop."""
        tr = self.trainer
        if tr.buffer.size < BENCH_MIN_BUFFER:  # synthetic frames, from their own stream
            rng = np.random.default_rng([self.seed, 2])
            for _ in range(BENCH_MIN_BUFFER - tr.buffer.size):
                obs = rng.uniform(-1.0, 1.0, N_FEATURES)
                tr.buffer.add(obs, int(rng.integers(0, len(ACTIONS))), bool(rng.random() < 0.5))
        start = time.perf_counter()
        tr.owed = float("inf")  # the budget is the deadline alone
        steps = tr.train(deadline=start + seconds)
        tr.owed = 0.0
        elapsed = time.perf_counter() - start
        return {
            "type": "bench_result",
            "mode": "train",
            "steps": steps,
            "seconds": elapsed,
            "steps_per_s": steps / elapsed,
            "batch": tr.config.batch,
            "sizes": tr.layer_sizes(),
        }

    def _on_decide(self, msg: dict) -> list[dict]:
        rows = msg.get("observations")
        if not isinstance(rows, list) or len(rows) > MAX_DECIDE_ROWS:
            raise ProtocolError(f"observations must be a list of at most {MAX_DECIDE_ROWS} rows")
        try:
            x = np.array(rows, dtype=np.float64).reshape(len(rows), N_FEATURES)
        except (TypeError, ValueError) as exc:
            raise ProtocolError(f"each observation must be {N_FEATURES} numbers") from exc
        if not np.all(np.isfinite(x)):
            raise ProtocolError("observations must be finite numbers")
        actions, probs = mlp.predict(self.trainer.params, x, self.trainer.activations)
        return [{"type": "decisions", "actions": actions.tolist(), "probs": probs.tolist()}]


def _summary(seconds: deque[float]) -> dict:
    """Count, median and 99th percentile of durations, in milliseconds (None when empty)."""
    if not seconds:
        return {"n": 0, "median": None, "p99": None}
    ms = np.asarray(seconds) * 1000.0
    return {
        "n": int(ms.size),
        "median": float(np.median(ms)),
        "p99": float(np.percentile(ms, 99)),
    }
