"""The message protocol between the page, the worker and pymodel: one documented list.

Every message is a plain dict (a JSON object) with a ``type`` field. A request may carry an
``id`` (any JSON value); every reply to that request carries the same ``id`` back, so the page
can match replies to requests. ``app/game/protocol.js`` mirrors this module name for name, and a
test checks that the two lists agree.

Units: the court is ``court.w`` wide and ``court.h`` = 1.0 high, in *court units* (one unit is
the court's height); x grows to the right, y grows downward, (0, 0) is the top-left corner.
Velocities are court units per second of game time; times are game seconds. The human plays
the left paddle, the clone the right one.

Actions are indices into ``sim.game.ACTIONS``: 0 = up (towards y = 0), 1 = stay, 2 = down.
"""

from __future__ import annotations

import json
import traceback

from .compute import RAISE_AFTER_S

SEED_MAX = 2**32 - 1  # seeds are 0..SEED_MAX (the page draws a random 32-bit one)
# The fields of a ``frame`` reply after its ``type``, in order (also what mirrorPong.frame()
# returns to the page's scripts).
FRAME_FIELDS: tuple[str, ...] = (
    "tick",
    "t",
    "ball",
    "paddles",
    "paddle",
    "court",
    "score",
    "paused",
    "ghost_y",
    "events",
    "match",
    "rally",
    "hit_offset",
)

# Page -> worker. name: what it asks, and its fields.
REQUESTS: dict[str, str] = {
    "schema": "{}: replies schema (answered before init too: the page merges its settings "
    "against it, then sends one init)",
    "init": "start a session: {seed?: int (0..SEED_MAX), budget?: one of schema.budgets "
    "(default normal; its sampler unless sampler is given), sampler?: str, knobs?: dict, "
    "learning?: bool, ghost?: bool, feature_set?, hidden?, activation? (as set_network), "
    "weights?: str (weights file v1 text: the clone to play, observing with the file's feature "
    "set, and its match history; a bad file is refused with an error and the running session "
    "stays), to?: int (points to win a match, schema.match.points; default 11, won by 2), "
    "match?: {number, left, right, state, seconds} (resume the match a restarted worker was "
    "playing: as frame.match and frame.score; a match in play goes on after a countdown)}; "
    "replies ready",
    "input": "the human's control: {intent: 'up'|'stay'|'down'} from keys/buttons, or "
    "{target: y | null} from mouse/touch (court units; null lets go)",
    "pause": "{paused: bool}; a paused game neither ticks nor trains",
    "advance": "the worker's own clock: {dt: real seconds elapsed, train_ms: time budget}; "
    "runs the fixed-timestep ticks owed, trains, replies frame (and metrics when due)",
    "step": "{ticks: int}: run exactly that many ticks now, even when paused (tests, bots); "
    "replies frame",
    "set_sampler": "{strategy: one of schema.strategies, knobs?: dict}; replies settings",
    "set_learning": "{on: bool}: record and train, or only play; replies settings",
    "set_ghost": "{on: bool}: include ghost_y (the clone's move for the human side) in "
    "frames; replies settings",
    "reset_ai": "{seed?: int}: fresh random weights and an empty buffer; replies settings",
    "set_network": "{feature_set?: one of schema.feature_sets, hidden?: one of "
    "schema.hidden_choices, activation?: one of schema.activations} (missing = the default): "
    "a fresh clone of that network (same seed, sampler and knobs; the game and the recording "
    "go on); it observes with that feature set and the human's frames are computed with it; "
    "replies settings, or error (and the running clone stays)",
    "set_budget": "{budget: one of schema.budgets' names}: train at that budget (steps per "
    "game second) with the sampler that wins there; replies settings",
    "set_output": "{output: {kind: one of schema.output_models, ...its knobs}}: the output "
    "model the clone plays through from now on (how its probabilities become moves; part of "
    "the clone, saved in its weights file); replies settings, or error (and it stays)",
    "export": "{}: replies weights with the current clone as a weights file v1",
    "import": "{text: str, name?: str (the clone's name, instead of the file's)}: validate and "
    "load a weights file v1 (with its name and history); replies imported, or error (and the "
    "current model stays)",
    "set_name": "{name: str (at most schema.limits.name_chars characters; '' = no name)}: name "
    "the clone that plays now (kept in its weights file; a name is only ever shown as text); "
    "replies settings",
    "get_history": "{}: replies history (the clone's name and the mirror tests it took)",
    "get_network": "{}: replies network (weights and the latest activations)",
    "get_metrics": "{}: replies metrics now",
    "get_style": "{window_s?: 10..1800 (default 180)}: replies style, both sides' style "
    "fingerprints over the last window_s game seconds of the recording",
    "decide": "{observations: [[float]*n_features]} (n_features of the clone's feature "
    "set): replies decisions with the clone's action and probabilities for each row "
    "(no side effects)",
    "export_session": "{}: replies session with this game's recording as a session file v1",
    "clear_recording": "{}: forget the recorded ticks (the clone stays); replies recording",
    "mirror_test": "{rounds?: 2..20 (default schema.mirror_test.rounds), clip_s?: 2..10, "
    "seed?: int (default: a new one from the session's), at?: number (when, ms since 1970 by "
    "the page's clock)}: a blind test 'which one is you?' from the last minutes of the "
    "recording (pymodel/lab/mirrortest.py): per round the player's replay and the clone's, in "
    "the player's seat from the same state; it takes the worker a second or two (pause the "
    "game first); replies mirror_clips, or error when too little is recorded (nothing changes)",
    "mirror_answer": "{round: int (0-based, in order), pick: 'a'|'b' (the replay the player "
    "takes for themself)}: replies mirror_progress, and after the last round mirror_result "
    "(the test then joins the clone's history)",
    "debug_mirror_key": "test only: {}: replies mirror_key, the running mirror test's answer "
    "key (so a test can play a judge that is always right, or one that always picks a)",
    "lab_load": "(Lab worker) {text: session file v1}: validate and keep it; replies "
    "lab_loaded, or error (and the loaded recording stays)",
    "lab_start": "(Lab worker) {preset: one of schema.lab_presets, seeds?: 1..10, "
    "first_seed?: int, steps_per_second?: 1..600, yours?: {sampler, knobs} (adds a variant "
    "'your settings'), only?: [variant names] (a subset)}: set up one fresh clone per "
    "variant and seed; replies lab_progress",
    "lab_step": "(Lab worker) {ticks?: 1..12000}: replay the next ticks into every clone; "
    "replies lab_progress, then lab_result once done",
    "lab_cancel": "(Lab worker) {}: drop the run; replies lab_cancelled",
    "duel_load": "(Lab worker) {text: weights file v1}: check a clone for a duel (nothing is "
    "kept); replies duel_clone, or error",
    "duel_start": "(Lab worker) {left: str, right: str (weights files v1: the left paddle's "
    "clone and the right's), left_name?, right_name? (default: each file's name), points?: "
    "schema.duel.points (first to), win_by?: int, seeds?: 1..schema.duel.max_seeds (matches, "
    "one per seed), first_seed?: int, max_seconds?: schema.duel.max_seconds}: set up the "
    "matches (pymodel/lab/duel.py, learning off for both); replies duel_progress",
    "duel_step": "(Lab worker) {ticks?: 1..12000}: play on; replies duel_progress, then "
    "duel_result once the last match is over",
    "duel_cancel": "(Lab worker) {}: drop the duel; replies duel_cancelled",
    "get_matches": "{}: replies matches (the match now and the finished ones kept with the clone)",
    "new_match": "{to?: int (schema.match.points; default: the current)}: Rematch: a new match "
    "at 0-0 after a serve countdown, with the same clone (it keeps learning); a ball in play "
    "goes back to the centre; replies matches",
    "free_play": "{}: Keep playing: no match end from now on, the score counts on, until "
    "new_match; replies matches",
    "get_health": "{}: replies health (memory and sizes, for the soak test)",
    "debug_crash": "test only: {}: every later advance raises, as a bug in the game loop "
    "would (the worker then stops the loop and the page replaces it)",
    "bench": "measurements for scripts/bench/, one mode per request; replies bench_result. "
    "{mode: 'train', seconds: 0 < s <= 30}: train flat out on the replay buffer for that "
    "wall time (synthetic frames are added first if it holds under 1024; the clone's weights "
    "change). {mode: 'turbo', on: bool}: while on, advance trains until its train_ms deadline "
    "regardless of the per-game-second budget; turning it off replies the steps and ticks "
    "done while it was on. {mode: 'stats', reset?: bool}: the cost of recent game ticks and "
    "advance requests (reset clears them)",
}

# Worker -> page. name: what it carries.
REPLIES: dict[str, str] = {
    "progress": "{stage: str, loaded: number, total: number, detail: str}: boot progress; "
    "loaded/total are bytes (or steps) for the whole boot, 0 <= loaded <= total",
    "schema": "{schema: {version, strategies: [{name, label, knobs: [{name, type, default, "
    "min, max, step, unit, help, advanced}]}], default_strategy, features, actions, tick_hz, "
    "frame_fields, limits: {weights_bytes, seed_max, name_chars, library_clones, ...}, "
    "mirror_test: {rounds, clip_s, min_play_s, window_s, max_rounds}, duel: {points: {default, "
    "min, max}, win_by, max_seeds, max_seconds}, feature_sets: [{name, features, help}], "
    "default_feature_set, default_output: {kind, ...knobs}, hidden_choices: [{hidden, label, "
    "params: {feature_set: int}}], "
    "default_hidden, activations, style_traits: [{name, kind, label, unit, scale, digits, "
    "tolerance, ratio}], budgets: [{name, label, steps_per_second, sampler}], "
    "default_budget, output_models: [{name, label, knobs: [{name, default, min, max, "
    "help}]}], lab_presets: [{name, variants}], match: {points: {default, min, max}, win_by, "
    "first_serve_s, next_serve_s, play_on_s, next_match_s, max_history, states}}} "
    "(pymodel/worker/schema.py)",
    "ready": "{features: [str] (the clone's feature set), actions: [str], layer_sizes: [int], "
    "settings: {...}, "
    "court: {w, h}, tick_hz: int, schema: {...} (as the schema reply), imported: meta | "
    "null (the meta of init's weights, when given)}: the game is playable",
    "frame": "{tick, t, ball: {x, y, vx, vy, r}, paddles: {left: {x, y}, right: {x, y}}, "
    "paddle: {w, h}, court: {w, h}, score: {left, right} (the current match's points; in free "
    "play they count on), paused: bool, ghost_y: y | null, events: [str] (the game's "
    "sim.game.EVENTS of the ticks since the last frame, and 'match_start' / 'match_over'), "
    "match: {to, win_by, number, state: 'countdown' (its first serve is held) | 'playing' | "
    "'over' (won; waiting for Rematch, Keep playing, a move schema.match.play_on_s after the "
    "end, or next_in) | 'free' (Keep playing), winner: 'left' | 'right' | null, seconds (its "
    "length so far), next_in (s until the next match starts by itself; 0 unless over), "
    "serve_in (s until the ball is served; 0 in play), "
    "serve_to: 'left' | 'right' (where the next serve goes)}, rally: int (paddle hits since "
    "the serve), hit_offset: float | null (where the latest hit in these ticks met the paddle, "
    "-1 top end .. +1 bottom end; null without a hit)}: a snapshot after the latest tick "
    "(FRAME_FIELDS)",
    "metrics": "{t, loss, seen, kept, steps, steps_per_s, cost: {budget, steps_per_second, "
    "lowered, train_ms_per_s (ms of training per game second, smoothed), core_share (of one "
    "core, in real-time play)}, buffer: {size, capacity, "
    "approach: {up, stay, down}, away: {up, stay, down}}, mirror: {approach, away, all} "
    "(each null until enough held-out frames), settings: {...}, recording: {frames, seconds, "
    "capacity}}",
    "settings": "{sampler: str, knobs: dict, feature_set: str, hidden: [int] (hidden layer "
    "sizes), hidden_name: str ('32x32'), activation: 'tanh'|'relu', output: {kind, ...knobs} "
    "(the output model), name: str | null (the clone's name), learning: bool, ghost: bool, "
    "seed: int, to: int (points to win a match), budget: str (the chosen budget), "
    "steps_per_second: number (what it trains now), lowered: str | null (why the worker "
    "lowered the budget: the device could not keep up; null again once it is back at the "
    f"chosen budget, which it is raised towards after {RAISE_AFTER_S:g} game seconds of keeping "
    "up)}",
    "network": "{sizes: [int], activations: ['tanh'|'relu'|'linear'], weights: "
    "[[[float]]] (per layer, [inputs][outputs]), biases: [[float]], values: [[float]] "
    "(per layer incl. the input, the latest forward pass)}",
    "weights": "{text: str (weights file v1), filename: str}",
    "imported": "{meta: dict, layer_sizes: [int], feature_set: str, name: str | null, history: "
    "[entries] (as the history reply's)}: the imported weights now play, observing with their "
    "feature set",
    "history": "{name: str | null, entries: [{kind: 'mirror_test', at, game_seconds, steps, "
    "rounds, fooled, machine_right, clip_s}] (oldest first; as weights file v1's history)}",
    "decisions": "{actions: [int], probs: [[float, float, float]]}",
    "style": "{t, window_s, left: fingerprint (you), right: fingerprint (the clone), distance, "
    "sentence: str, recent: {seconds, clone_returns, you_points_per_min}} (pymodel/sim/style.py: "
    "the traits, their units and the distance)",
    "session": "{text: str (session file v1), filename: str, frames: int, seconds: float}",
    "recording": "{frames: int, seconds: float, capacity: int}: the recording now",
    "mirror_clips": "{rounds, clip_s, fps, court: {w, h}, paddle: {w, h}, paddle_x: {left, "
    "right}, ball_r, pairs: [{a: frames, b: frames}] (frames: {ball_x, ball_y, left_y, "
    "right_y}: [float], fps a second)}: the test's replays, not saying which is whose",
    "mirror_progress": "{round: int (rounds answered), rounds: int}",
    "mirror_result": "{entry: history entry, rounds: [{key, pick, machine (the fingerprint "
    "judge's guess), lean: {a, b}}], sentence: str, kept: bool (false when the clone changed "
    "during the test: it is not credited to the new one), name, history: [entries]}",
    "mirror_key": "{key: ['a'|'b', ...] (the player's replay per round), answered: int}",
    "matches": "{current: frame.match with score: {left, right}, age_s: float (the clone's "
    "age: game seconds of your play it learned from), history: [{number, to, left, right, "
    "seconds, age_min, returns}] (finished matches, oldest first, at most "
    "schema.match.max_history: the final score, the length in game seconds, the clone's age "
    "in minutes at its end, the clone's share of returned balls or null; sim/rules.py)}",
    "lab_loaded": "{frames, seconds, meta}: the Lab's recording is loaded",
    "lab_progress": "{done_ticks, total_ticks, fraction, clones, seeds}",
    "lab_result": "{seconds, threshold, summary: {variant: {median (null = censored), mirrored, "
    "runs, times, seeds, curve: {t, median, lo, hi}}}, table: str, reading: str, svg: str, "
    "runs: [...]} (the same as python -m pymodel lab --json)",
    "lab_cancelled": "{progress: lab_progress | null}",
    "duel_clone": "{name: str | null, feature_set: str, layer_sizes: [int], output: {kind, ...}, "
    "meta: dict}",
    "duel_progress": "{match, matches, done_matches, seed, t, score: {left, right}, ball: {x, "
    "y, r}, paddles: {left, right} (heights), paddle_x: {left, right}, paddle: {w, h}, court: "
    "{w, h}, fraction}: the duel now, to draw",
    "duel_result": "{rules: {points, win_by}, max_seconds, seeds, matches: [{seed, left, right, "
    "winner: 'left'|'right'|null, seconds, time_limit}], draws, totals: {left: {matches, "
    "points}, right}, left: {name, feature_set, layer_sizes, fingerprint}, right: {...}, rows: "
    "[[label, left, right]], table: str} (the same as python -m pymodel duel --json)",
    "duel_cancelled": "{}",
    "health": "{py_blocks: int (Python's allocated memory blocks), gc_objects: int, "
    "recording: int (ticks), buffer: int (frames), steps: int, wasm_bytes: int (the worker's "
    "WebAssembly memory; added by the worker)}",
    "bench_result": "{mode: str, ...}: train: {steps, seconds, steps_per_s, batch, sizes}; "
    "turbo: {on, steps, ticks, seconds, steps_per_s} (counts since turbo was turned on; zero "
    "when turning it on); stats: {tick_ms: {n, median, p99, total}, advance_ms: {n, median, "
    "p99, total}} (wall milliseconds per game tick and per advance request, training included)",
    "error": "{message: str (one clear sentence), detail: str (traceback or ''), "
    "request: str (the type of the request that failed, 'boot', or 'loop' when the game "
    "loop failed again and again), fatal: bool (the worker cannot go on)}",
}

# The requests the Lab's worker answers (worker.lab_session); the game's worker the rest.
LAB_REQUESTS: tuple[str, ...] = tuple(k for k in REQUESTS if k.startswith(("lab_", "duel_")))


def message_table() -> str:
    """docs/protocol.md's list of messages (markdown), from ``REQUESTS`` and ``REPLIES``."""
    rows = ["| direction | type | what it carries |", "| --- | --- | --- |"]
    for direction, table in (("page -> worker", REQUESTS), ("worker -> page", REPLIES)):
        for name, text in table.items():
            rows.append(f"| {direction} | `{name}` | {text.replace('|', '/')} |")
    return "\n".join(rows)


class ProtocolError(ValueError):
    """A request that does not follow the protocol (unknown type, missing or bad field)."""


def check_request(msg: object) -> dict:
    """Return ``msg`` if it is a dict whose ``type`` is a known request; else ProtocolError."""
    if not isinstance(msg, dict):
        raise ProtocolError(f"a message must be an object, not {type(msg).__name__}")
    kind = msg.get("type")
    if kind not in REQUESTS:
        raise ProtocolError(f"unknown message type {kind!r}")
    return msg


def error_reply(message: str, detail: str, request: str) -> dict:
    """The ``error`` reply to a failed request of type ``request`` (see REPLIES)."""
    return {
        "type": "error",
        "message": message,
        "detail": detail,
        "request": request,
        "fatal": False,
    }


class Router:
    """Answers requests by calling ``self._on_<type>(msg)``, which returns a list of replies.

    Every failure becomes an ``error`` reply, never an exception, and every reply to a
    request with an ``id`` carries that ``id``."""

    def handle(self, msg: dict) -> list[dict]:
        """Answer one request with a list of replies; never raises."""
        kind = msg.get("type") if isinstance(msg, dict) else None
        try:
            check_request(msg)
            answer = getattr(self, f"_on_{kind}", None)
            if answer is None:
                raise ProtocolError(f"{kind} is not answered by this worker")
            replies = answer(msg)
        except Exception as exc:  # every failure becomes an error reply, never an exception
            request = kind if isinstance(kind, str) else "?"
            replies = [error_reply(str(exc) or type(exc).__name__, traceback.format_exc(), request)]
        if isinstance(msg, dict) and "id" in msg:
            for reply in replies:
                reply["id"] = msg["id"]
        return replies

    def handle_json(self, text: str) -> str:
        """``handle`` on JSON text; returns a JSON array of replies."""
        try:
            msg = json.loads(text)
        except ValueError as exc:
            return json.dumps([error_reply(f"request is not JSON: {exc}", "", "?")])
        return json.dumps(self.handle(msg), allow_nan=False)
