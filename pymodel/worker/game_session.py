"""The game worker's protocol handler: plain dicts in, lists of plain dicts out (``handle``,
or ``handle_json`` on JSON text, from ``protocol.Router``; errors come back as replies).

It only routes: the game is ``match.Match``, the clone ``learn.trainer.OnlineTrainer``, the
files ``formats``, the measurements ``probe.Probe``, the schema ``schema.schema()``, styles
``sim.style.report``, the blind test ``lab.mirrortest``. It owns the clock the trainer's time
budget is read from, and what belongs to the clone beside its weights: its name and history.
"""

from __future__ import annotations

import time

import numpy as np

from .. import __version__
from ..formats import sessionfile, weights
from ..lab import mirrortest
from ..lab.judge import clone_policy
from ..learn.budgets import DEFAULT_BUDGET
from ..learn.networks import Network, network_of, play_network
from ..learn.output import PLAY_OUTPUT
from ..learn.trainer import fresh_clone
from ..sim import style
from ..sim.game import GameParams
from ..sim.recording import Recording
from ..sim.rules import MAX_SCORE, STATES, MatchRules, rules_for
from .compute import Compute
from .fields import bool_field, int_field, matrix_field, num_field, seed_field, text_field
from .match import Match
from .probe import Probe, health
from .protocol import SEED_MAX, ProtocolError, Router
from .schema import schema

METRICS_EVERY = 0.25  # game seconds between metrics replies (about 4 per game second)
MAX_STEP_TICKS = 120 * 600  # one step request runs at most 10 game minutes
MAX_DECIDE_ROWS = 10_000  # rows per decide request


PLAYER_STREAM = 5  # the seed stream the paddles' movers draw from (trainer: 1)


class Session(Router):
    """One game with its clone; ``handle`` (from Router) is the whole public surface."""

    def __init__(self, seed: int = 0) -> None:
        self.params = GameParams()
        self.recording = Recording(self.params)  # fixed memory, kept across Reset AI
        self.probe = Probe()
        self.broken = False  # debug_crash: every advance raises
        self.clone_id = 0  # a new clone (reset, network, import) gets a new id
        self.mirror: mirrortest.MirrorTest | None = None
        self.mirror_made = 0  # mirror tests made this session (each gets its own seed)
        self.compute = Compute()
        self._start(
            seed, self.compute.budget.sampler, None, learning=True, ghost=False, net=play_network()
        )

    # ------------------------------------------------------------------- state
    def _start(self, seed: int, strategy: str, knobs, learning: bool, ghost: bool, net: Network):
        # Built first: a bad sampler or knob raises before the old session is touched.
        self.trainer = fresh_clone(seed, net, strategy, knobs)
        self.trainer.set_output(PLAY_OUTPUT)  # a loaded clone then sets its own
        self.compute.apply(self.trainer, sampler_too=False)
        self.seed, self.learning = seed, learning
        self.recording.clear()  # a new game: its ticks start again from 0
        self.match = Match(seed, self.params, self.recording, net.feature_set)
        self.match.show_ghost(ghost)
        self._players()
        self.last_metrics_t = 0.0
        self.train_seconds = 0.0  # wall time spent training this clone, for steps_per_s
        self._new_clone()

    def _new_clone(self, name: str | None = None, history: list[dict] | None = None) -> None:
        """Another clone plays from now on: its name and history (none for a fresh one)."""
        self.name, self.history = name or None, list(history or [])
        self.clone_id += 1

    def _settings(self) -> dict:
        extra = {"name": self.name, "learning": self.learning, "ghost": self.match.ghost}
        extra["seed"] = self.seed
        c = self.compute.report()
        budget = {k: c[k] for k in ("budget", "steps_per_second", "lowered")}
        return {**self.trainer.settings(), **extra, **budget, "to": self.match.board.rules.points}

    def _settings_reply(self) -> list[dict]:
        return [{"type": "settings", **self._settings()}]

    def _players(self) -> None:
        """Fresh policies for the clone's paddle and the ghost (each its own mover, and its own
        seeded generator for an output model that draws)."""
        self.clone_play, self.ghost_play = (
            self.trainer.player(np.random.default_rng([self.seed, PLAYER_STREAM, k]))
            for k in (0, 1)
        )

    def _tick(self, events: list[str]) -> None:
        t0 = time.perf_counter()
        # The clone learns from play (a countdown included, as any wait for a serve), not
        # from a won match waiting for the next: that neither trains it nor adds to its age.
        learn = self.learning and self.match.board.state != "over"
        sink = self.trainer.record if learn else None
        events += self.match.tick(self.clone_play, sink, self.ghost_play)
        if learn:
            self.trainer.owe(self.params.dt)
        self.probe.tick_s.append(time.perf_counter() - t0)

    def _train(self, **kwargs) -> float:
        """Train (the trainer's budget and ``kwargs``); the wall seconds it took."""
        t0 = time.perf_counter()
        self.trainer.train(clock=time.perf_counter, **kwargs)
        took = time.perf_counter() - t0
        self.train_seconds += took
        return took

    def _metrics(self) -> dict:
        self.last_metrics_t = self.match.state.t
        secs = self.train_seconds
        return {
            "type": "metrics",
            "t": self.match.state.t,
            **self.trainer.metrics(),
            "steps_per_s": self.trainer.steps / secs if secs > 0 else 0.0,
            "cost": self.compute.report(),
            "settings": self._settings(),
            "recording": self.recording.summary(),
        }

    # ---------------------------------------------------------------- requests
    def _on_schema(self, msg: dict) -> list[dict]:
        return [{"type": "schema", "schema": schema()}]

    def _on_init(self, msg: dict) -> list[dict]:
        seed = seed_field(msg, 0)
        text = msg.get("weights")
        loaded = weights.load(text) if text is not None else None  # refused before a change
        learning, ghost = bool_field(msg, "learning", True), bool_field(msg, "ghost", False)
        net = network_of(msg) if loaded is None else Network(loaded.feature_set)
        rules = _rules(msg, MatchRules())
        resume = _resume(msg.get("match"))  # refused before a change, like the rest
        compute = Compute(msg.get("budget", DEFAULT_BUDGET))  # refused before a change
        strategy = msg.get("sampler", compute.budget.sampler)
        old, self.compute = self.compute, compute
        try:
            self._start(seed, strategy, msg.get("knobs"), learning, ghost, net)
        except Exception:
            self.compute = old  # a bad sampler or knob: the running session stays as it was
            raise
        if loaded is not None:
            self.trainer.load(loaded.params, loaded.activations, loaded.feature_set)
            self.trainer.set_output(loaded.output)
            self._new_clone(loaded.name, loaded.history)
        self.match.new_board(rules, loaded.matches if loaded is not None else None)
        if resume is not None:
            self.match.board.resume(*resume)
        self._players()
        sch, tr = schema(), self.trainer
        court = {"w": self.params.court_w, "h": self.params.court_h}
        ready = {"type": "ready", "layer_sizes": tr.layer_sizes(), "court": court}
        ready.update({k: sch[k] for k in ("actions", "tick_hz")}, features=tr.feature_names)
        imported = loaded.meta if loaded is not None else None
        return [{**ready, "settings": self._settings(), "schema": sch, "imported": imported}]

    def _on_input(self, msg: dict) -> list[dict]:
        if "intent" in msg:
            self.match.set_intent(msg["intent"])
        elif "target" in msg:
            none = msg["target"] is None
            self.match.set_target(None if none else num_field(msg, "target", lo=-10.0, hi=10.0))
        else:
            raise ProtocolError("input needs an 'intent' or a 'target' field")
        return []

    def _on_pause(self, msg: dict) -> list[dict]:
        self.match.paused = bool_field(msg, "paused")
        self.match.clock.accumulator = 0.0  # time spent paused is not owed
        return [self.match.frame([])]

    def _on_get_health(self, msg: dict) -> list[dict]:
        return [{"type": "health", **health(self.trainer, len(self.recording))}]

    def _on_debug_crash(self, msg: dict) -> list[dict]:
        self.broken = True
        return []

    def _on_advance(self, msg: dict) -> list[dict]:
        if self.broken:
            raise RuntimeError("the game loop was broken on purpose (debug_crash)")
        dt = num_field(msg, "dt", 0.0, lo=0.0, hi=3600.0)
        train_ms = num_field(msg, "train_ms", 4.0, lo=0.0, hi=1000.0)
        events: list[str] = []
        if self.match.paused:
            return [self.match.frame(events)]
        start = time.perf_counter()
        ticks = self.match.clock.advance(dt)
        for _ in range(ticks):
            self._tick(events)
        if self.learning:  # turbo (bench): train until the deadline, whatever the budget says
            budgeted = not self.probe.turbo
            took = self._train(deadline=start + train_ms / 1000.0, budgeted=budgeted)
            self.compute.after_advance(self.trainer, ticks * self.params.dt, took, budgeted)
        self.probe.advance_s.append(time.perf_counter() - start)
        replies = [self.match.frame(events)]
        if self.match.state.t - self.last_metrics_t >= METRICS_EVERY:
            replies.append(self._metrics())
        return replies

    def _on_step(self, msg: dict) -> list[dict]:
        events: list[str] = []
        for _ in range(int(num_field(msg, "ticks", lo=0, hi=MAX_STEP_TICKS))):
            self._tick(events)
            if self.learning:
                self._train()
        return [self.match.frame(events)]

    def _on_set_sampler(self, msg: dict) -> list[dict]:
        self.trainer.sampler.configure(msg.get("strategy", ""), msg.get("knobs"))
        return self._settings_reply()

    def _on_set_learning(self, msg: dict) -> list[dict]:
        self.learning = bool_field(msg, "on")
        return self._settings_reply()

    def _on_set_ghost(self, msg: dict) -> list[dict]:
        self.match.show_ghost(bool_field(msg, "on"))
        return self._settings_reply()

    def _on_set_budget(self, msg: dict) -> list[dict]:
        self.compute.choose(msg.get("budget"))  # validated first: a bad name changes nothing
        self.compute.apply(self.trainer)
        return self._settings_reply()

    def _on_set_output(self, msg: dict) -> list[dict]:
        self.trainer.set_output(msg.get("output"))  # validated first: a bad one changes nothing
        self._players()
        return self._settings_reply()

    def _on_reset_ai(self, msg: dict) -> list[dict]:
        self.trainer.reset(np.random.default_rng([seed_field(msg, self.seed), 1]))
        self.train_seconds = 0.0
        self._new_clone()
        self.match.new_board(self.match.board.rules)  # a new clone: no matches yet
        return self._settings_reply()

    def _on_set_network(self, msg: dict) -> list[dict]:
        self.trainer = self.trainer.renewed(self.seed, network_of(msg))  # raises: no change
        self.compute.apply(self.trainer, sampler_too=False)
        self.train_seconds = 0.0
        self._new_clone()
        self.match.observe_with(self.trainer.feature_set)
        self.match.new_board(self.match.board.rules)
        self._players()
        return self._settings_reply()

    def _on_export(self, msg: dict) -> list[dict]:
        tr, t = self.trainer, round(self.match.state.t, 3)
        meta = {"created_by": f"pymodel {__version__}", "seed": self.seed, "game_seconds": t}
        name = f"mirror-pong-clone-{tr.steps}steps.json"
        text = weights.export_clone(tr, meta, self.name, self.history, self.match.board.saved())
        return [{"type": "weights", "text": text, "filename": name}]

    def _on_import(self, msg: dict) -> list[dict]:
        text = text_field(msg, "text", "the weights file")
        name = weights.check_name(msg["name"]) if msg.get("name") is not None else None
        loaded = weights.load(text)  # validates fully before any change
        self.trainer.load(loaded.params, loaded.activations, loaded.feature_set)
        self.trainer.set_output(loaded.output)
        self._new_clone(name or loaded.name, loaded.history)
        self.match.observe_with(self.trainer.feature_set)
        self.match.new_board(self.match.board.rules, loaded.matches)  # its own matches
        self._players()
        sizes, fs = self.trainer.layer_sizes(), self.trainer.feature_set
        reply = {"type": "imported", "meta": loaded.meta, "layer_sizes": sizes, "feature_set": fs}
        return [{**reply, "name": self.name, "history": self.history}]

    def _on_set_name(self, msg: dict) -> list[dict]:
        self.name = weights.check_name(msg.get("name")) or None  # refused: the name stays
        return self._settings_reply()

    def _on_get_history(self, msg: dict) -> list[dict]:
        return [{"type": "history", "name": self.name, "entries": self.history}]

    # ------------------------------------------------------------ the mirror test
    def _on_mirror_test(self, msg: dict) -> list[dict]:
        self.mirror_made += 1
        seed = seed_field(msg, (self.seed * 7919 + self.mirror_made) % (SEED_MAX + 1))
        mt, default = mirrortest, mirrortest.MirrorConfig
        cfg = default(
            rounds=int_field(msg, "rounds", default.rounds, mt.MIN_ROUNDS, mt.MAX_ROUNDS),
            clip_s=num_field(msg, "clip_s", default.clip_s, mt.MIN_CLIP_S, mt.MAX_CLIP_S),
        )
        at = msg.get("at")
        if at is not None:
            at = num_field(msg, "at", lo=0.0)
        tr = self.trainer

        def maker():
            return clone_policy(tr.play_params, tr.activations, tr.output)

        test = mirrortest.build(self.recording, maker, tr.feature_set, seed, cfg)
        self.mirror = test
        self.mirror_for = (self.clone_id, at, self.match.state.t, tr.steps)
        return [{"type": "mirror_clips", **test.clips()}]

    def _on_mirror_answer(self, msg: dict) -> list[dict]:
        test = self.mirror
        if test is None:
            raise ProtocolError("no mirror test is running (mirror_test first)")
        test.answer(int_field(msg, "round", 0, 0, len(test.rounds)), str(msg.get("pick")))
        if not test.done:
            return [{"type": "mirror_progress", "round": test.answered, "rounds": len(test.rounds)}]
        clone_id, at, game_t, steps = self.mirror_for
        result = test.result(at, game_t, steps)
        kept = clone_id == self.clone_id
        if kept:
            self.history = (self.history + [result["entry"]])[-weights.MAX_HISTORY :]
        reply = {"type": "mirror_result", **result, "kept": kept}
        return [{**reply, "name": self.name, "history": self.history}]

    def _on_debug_mirror_key(self, msg: dict) -> list[dict]:
        if self.mirror is None:
            raise ProtocolError("no mirror test is running (mirror_test first)")
        return [{"type": "mirror_key", "key": self.mirror.key(), "answered": self.mirror.answered}]

    def _on_get_network(self, msg: dict) -> list[dict]:
        return [{"type": "network", **self.trainer.network(self.match.last_obs)}]

    def _on_get_metrics(self, msg: dict) -> list[dict]:
        return [self._metrics()]

    def _on_bench(self, msg: dict) -> list[dict]:
        result = self.probe.handle(msg, self.trainer, self.match.state.tick, self.seed)
        if result["mode"] == "train":  # flat-out training counts towards steps_per_s too
            self.train_seconds += result["seconds"]
        return [result]

    def _on_decide(self, msg: dict) -> list[dict]:
        n = self.trainer.layer_sizes()[0]  # the clone's feature set
        x = matrix_field(msg, "observations", n, MAX_DECIDE_ROWS, "observation")
        actions, probs = self.trainer.decide(x)
        return [{"type": "decisions", "actions": actions.tolist(), "probs": probs.tolist()}]

    def _on_export_session(self, msg: dict) -> list[dict]:
        meta = {"created_by": f"pymodel {__version__}", "seed": self.seed}
        return [{"type": "session", **sessionfile.export(self.recording, meta)}]

    def _on_clear_recording(self, msg: dict) -> list[dict]:
        self.recording.clear()
        return [{"type": "recording", **self.recording.summary()}]

    def _on_get_style(self, msg: dict) -> list[dict]:
        window = num_field(msg, "window_s", 180.0, lo=10.0, hi=1800.0)
        return [{"type": "style", **style.report(self.recording, window)}]

    def _matches(self) -> list[dict]:
        board = self.match.board
        current = {**self.match.match_state(), "score": {"left": board.left, "right": board.right}}
        return [{"type": "matches", "current": current, **board.saved()}]

    def _on_get_matches(self, msg: dict) -> list[dict]:
        return self._matches()

    def _on_new_match(self, msg: dict) -> list[dict]:
        self.match.new_match(_rules(msg, self.match.board.rules))
        return self._matches()

    def _on_free_play(self, msg: dict) -> list[dict]:
        self.match.board.free()
        return self._matches()


def _rules(msg: dict, default: MatchRules) -> MatchRules:
    """The ``to`` field as match rules (first to it, by two), or ``default`` when absent."""
    if msg.get("to") is None:
        return default
    try:
        return rules_for(msg["to"])
    except ValueError as exc:
        raise ProtocolError(f"field 'to': {exc}") from None


def _resume(match: object) -> tuple | None:
    """init's ``match`` field (a match to go on with) as Scoreboard.resume's arguments."""
    if match is None:
        return None
    if not isinstance(match, dict):
        raise ProtocolError("field 'match' must be an object {number, left, right, state}")
    number = int_field(match, "number", lo=1, hi=1e9)
    left = int_field(match, "left", lo=0, hi=MAX_SCORE)
    right = int_field(match, "right", lo=0, hi=MAX_SCORE)
    seconds = num_field(match, "seconds", 0.0, lo=0.0, hi=1e9)
    state = match.get("state", "playing")
    if state not in STATES:
        raise ProtocolError(f"field 'match.state' must be one of {STATES}, got {state!r}")
    return number, left, right, state, seconds
