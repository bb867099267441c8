"""The Lab's replay engine: fresh clones trained on exactly the same recorded frames.

A recording (a human's session file, or a bot's ``record_bot``) is replayed into one fresh
clone per (variant, seed). A ``Variant`` is data: the sampler strategy and knobs, the hidden
layers, the activation and the feature set. Everything else is held equal, so a difference
in the results is the variant's doing:

- the same frames in the same order (features computed once per feature set used,
  vectorised, shared by all clones of that set);
- the same initial weights per seed for variants with the same network shape (the trainer's
  rng is ``default_rng([seed, 1])``, as in the race);
- the same training budget per game second (``TrainerConfig.steps_per_game_second``);
- the same evaluation set, held out from the recording itself: in its last
  ``holdout_share``, every other stretch of ``holdout_block`` seconds, never passed to the
  trainer, and ``holdout_guard`` seconds either side of each stretch not trained on either
  (a frame one tick from a trained one is nearly the same frame: held-out single frames
  leaked, and agreement jumped once the replay reached them). The trainer's own held-out
  ring is switched off.

Every ``eval_every`` game seconds each clone's agreement with the recorded actions on the
held-out *approach* frames is stored (its learning curve). Once it reaches ``threshold``,
the hit-offset profile is checked (``judge.judge``: profile games against the standard opponent,
compared with the recording's own left-side hit offsets, or with a ``reference`` sample when
the caller has a fairer one: the race measures each bot the clone's way). With
``criterion="style"`` the waiting-height profile must match too (``style.mirrors``; the
player's fingerprint is the recording's own left side unless ``player_fp`` is given). Time to
mirror is the first check where both hold; a run that never gets there is censored (time
None), never dropped.

Staying mirrored (``keep_checking``, the race's ``--stay``): the clone trains on, and every
``stay_every`` game seconds after its first pass a later check asks again, judging the profile
on ``stay_matches`` games whatever the agreement, so a result says which half held
(``stayed_agreement``, ``stayed_profile``), ``stayed`` is the share passing both and
``later_failed`` counts what failed (``agreement`` or a style check's label). A later
check plays a longer profile than the first: on three 20 s games the teachers themselves
passed their own style check only 25-95 % of the time, too noisy to tell drift from chance.
Later checks compare with ``later_reference`` and ``later_fp`` when given (the race's longer
profile of the teacher: against a nine-game one, a short reference's own error failed the
teachers themselves in up to 6 of 8 later checks), else with the first pass's.

``LabRun`` does the work in slices (``step(max_ticks)``) so a Web Worker can report progress
and honour Cancel between slices; ``replay`` just loops over it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..learn import mlp
from ..learn.trainer import OnlineTrainer, TrainerConfig
from ..sim import style
from ..sim.features import DEFAULT_FEATURE_SET, approaching_columns, observe_columns
from ..sim.game import EVENT_BITS
from ..sim.recording import Recording, record_matches, since_hit_columns
from .judge import CRITERIA, clone_policy, judge, limits_of
from .variants import Variant

SLICE_TICKS = 1200  # ticks per slice in ``replay`` (10 game seconds)


@dataclass(frozen=True)
class LabConfig:
    """What counts as mirrored, how often to check, and which frames are held out."""

    threshold: float = 0.9  # approach-phase agreement needed
    eval_every: float = 5.0  # game seconds between checks
    holdout_share: float = 0.2  # the last fifth of the recording holds the evaluation set
    holdout_block: float = 2.0  # ... as every other stretch of this many seconds
    holdout_guard: float = 0.25  # seconds either side of a held stretch not trained on
    min_eval: int = 30  # fewer held-out approach frames than this: no agreement (None)
    max_median_diff: float = 0.15  # |median hit offset, clone - teacher| allowed
    max_w1: float = 0.15  # Wasserstein-1 between hit-offset samples allowed
    min_hits: int = 8  # a profile needs at least this many hits to be judged
    profile_matches: int = 3  # the clone's profile: this many matches, own serve seeds
    profile_seconds: float = 20.0  # game seconds of each profile match
    stop_at_mirror: bool = False  # True (the race): stop training a clone once it mirrors
    criterion: str = (
        "hit"  # "hit": hit offsets; "style": and waiting heights; "moves": and movement
    )
    keep_checking: bool = False  # once mirrored, judge later checks too (staying mirrored)
    # A later check plays a longer profile, less often: judged on ``profile_matches`` (3) the
    # teachers themselves pass their own style check only 25-95 % of the time (too few hits);
    # on 12 they pass 90-100 % (but lazy, whose hit offsets are two equal modes: 30 %).
    stay_matches: int = 12
    stay_every: float = 30.0  # game seconds between later checks
    final_traits: bool = False  # at the end, compare the clone's movement traits with the player's


@dataclass
class Frames:
    """A recording turned into what the trainers read, computed once and shared."""

    obs: np.ndarray  # [N, n_features] left player's features (of one feature set)
    actions: list[int]  # the left player's actions
    approaching: list[bool]
    since_hit: list[float]  # seconds since the left player's own latest hit
    held: np.ndarray  # bool [N]: held out or guard, never trained on
    eval_obs: np.ndarray  # held-out approach frames: features ...
    eval_act: np.ndarray  # ... and the recorded actions
    offsets: np.ndarray  # the recording's own left-paddle hit offsets (the profile)
    dt: float


def frames_of(
    recording: Recording, cfg: LabConfig, feature_set: str = DEFAULT_FEATURE_SET
) -> Frames:
    """Features of ``feature_set``, phases and the held-out evaluation set of ``recording``
    (left player)."""
    d, params = recording.decoded(), recording.params
    n = len(d["tick"])
    app = approaching_columns(d, "left")
    evaluated, held = holdout_masks(n, params.dt, cfg)
    obs = observe_columns(d, "left", params, feature_set)
    evaluated &= app
    hits = (d["events"] & EVENT_BITS["hit_left"]) != 0
    return Frames(
        obs=obs,
        actions=d["left_action"].tolist(),
        approaching=app.tolist(),
        since_hit=since_hit_columns(d, "left", params.dt).tolist(),
        held=held,
        eval_obs=obs[evaluated],
        eval_act=d["left_action"][evaluated],
        offsets=d["hit_offset"][hits],
        dt=params.dt,
    )


def holdout_masks(n: int, dt: float, cfg: LabConfig) -> tuple[np.ndarray, np.ndarray]:
    """(evaluated, not trained) boolean masks over ``n`` ticks: in the last
    ``holdout_share``, every other ``holdout_block`` stretch is evaluated on; those stretches
    widened by ``holdout_guard`` on each side are never trained on."""
    i = np.arange(n)
    start = n - int(n * cfg.holdout_share)
    block = max(int(round(cfg.holdout_block / dt)), 1)
    guard = int(round(cfg.holdout_guard / dt))
    evaluated = (i >= start) & (((i - start) // block) % 2 == 0)
    excluded = evaluated.copy()
    for shift in range(1, guard + 1):  # widen by the guard, clipped to the held-out part
        excluded[shift:] |= evaluated[:-shift]
        excluded[:-shift] |= evaluated[shift:]
    excluded &= i >= start - guard
    return evaluated, excluded


@dataclass
class _Run:
    """One clone's state during a replay."""

    variant: Variant
    seed: int
    trainer: OnlineTrainer
    time: float | None = None
    curve: list[tuple[float, float | None]] = field(default_factory=list)
    profile: dict | None = None
    stopped: bool = False
    # The checks after the first pass, each half: (agreement >= threshold, profile matches)
    later_halves: list[tuple[bool, bool]] = field(default_factory=list)
    # Why later checks failed: "agreement" or the check's label ("hit offset", ...) -> count
    later_failed: Counter[str] = field(default_factory=Counter)
    next_later: float = 0.0  # the game time of the next later check


class LabRun:
    """A replay done in slices: ``step`` until ``done``, then ``results``."""

    def __init__(
        self,
        recording: Recording,
        variants: list[Variant] | tuple[Variant, ...],
        seeds: list[int] | range,
        cfg: LabConfig | None = None,
        tcfg: TrainerConfig | None = None,
        reference: np.ndarray | None = None,
        player_fp: dict | None = None,
        later_reference: np.ndarray | None = None,
        later_fp: dict | None = None,
    ) -> None:
        self.cfg = cfg or LabConfig()
        if self.cfg.criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}")
        names = [v.name for v in variants]
        if not variants or len(set(names)) != len(names):
            raise ValueError("variants must be non-empty with distinct names")
        for v in variants:
            v.validate()
        self.params = recording.params
        # One Frames per feature set in use (the same ticks, phases and held-out stretches).
        sets = dict.fromkeys(v.feature_set for v in variants)
        self.frames_by_set = {fs: frames_of(recording, self.cfg, fs) for fs in sets}
        self.frames = self.frames_by_set[variants[0].feature_set]
        # The hit offsets a clone's profile must match: the recording's own, unless given.
        self.reference = self.frames.offsets if reference is None else np.asarray(reference)
        self.player_fp = player_fp
        if player_fp is None and self.cfg.criterion != "hit":
            self.player_fp = style.fingerprint(recording.decoded(), "left", params=self.params)
        # What later checks compare with (staying mirrored): the first pass's, unless given.
        self.later_reference = self.reference if later_reference is None else later_reference
        self.later_fp = self.player_fp if later_fp is None else later_fp
        base = tcfg or TrainerConfig()
        self.runs = [
            _Run(
                v,
                int(seed),
                OnlineTrainer(
                    np.random.default_rng([int(seed), 1]),
                    v.trainer_config(base),
                    strategy=v.strategy,
                    knobs=v.knobs,
                ),
            )
            for seed in seeds
            for v in variants
        ]
        self.total_ticks = len(self.frames.actions)
        # Plain lists, shared by every clone: indexing them per tick is cheaper than numpy's.
        self._rows = {fs: list(f.obs) for fs, f in self.frames_by_set.items()}
        self._held = self.frames.held.tolist()
        self.done_ticks = 0
        self.ticks_per_eval = max(round(self.cfg.eval_every / self.frames.dt), 1)

    @property
    def eval_frames(self) -> int:
        """Held-out approach frames the agreement is measured on."""
        return len(self.frames.eval_act)

    @property
    def judgeable(self) -> bool:
        """False when the recording is too short to hold out ``min_eval`` approach frames:
        every agreement is then None and no clone can mirror."""
        return self.eval_frames >= self.cfg.min_eval

    @property
    def done(self) -> bool:
        """True once every clone has replayed the whole recording (or stopped at mirror)."""
        return self.done_ticks >= self.total_ticks

    def progress(self) -> dict:
        """Ticks of the recording replayed so far (by every clone), of all."""
        frac = self.done_ticks / self.total_ticks if self.total_ticks else 1.0
        return {"done_ticks": self.done_ticks, "total_ticks": self.total_ticks, "fraction": frac}

    def step(self, max_ticks: int = SLICE_TICKS) -> dict:
        """Replay the next ``max_ticks`` ticks into every active clone; return progress."""
        start = self.done_ticks
        end = min(start + max(int(max_ticks), 1), self.total_ticks)
        for run in self.runs:
            if not run.stopped:
                self._advance(run, start, end)
        active = any(not r.stopped for r in self.runs)
        self.done_ticks = end if active else self.total_ticks
        return self.progress()

    def _advance(self, run: _Run, start: int, end: int) -> None:
        """Ticks [start, end) for one clone: record (unless held out), owe, train, check."""
        f, tr, fs = self.frames, run.trainer, run.variant.feature_set
        obs, held, every, batch = self._rows[fs], self._held, self.ticks_per_eval, tr.config.batch
        actions, app, since = f.actions, f.approaching, f.since_hit
        for i in range(start, end):
            if not held[i]:
                tr.record(obs[i], actions[i], app[i], since[i])
            tr.owe(f.dt)
            if tr.owed >= 1.0 or tr.buffer.size < batch:  # else train() would do nothing
                tr.train()
            if (i + 1) % every == 0:
                self._check(run, (i + 1) * f.dt)
                if run.stopped:
                    return

    def agreement(self, run: _Run) -> float | None:
        """Share of held-out approach frames where the clone's greedy action is the recorded
        one (None when there are too few of them to judge)."""
        if not self.judgeable:
            return None
        tr, f = run.trainer, self.frames_by_set[run.variant.feature_set]
        pred, _ = mlp.predict(tr.play_params, f.eval_obs, tr.activations)
        return float((pred == f.eval_act).mean())

    def _check(self, run: _Run, t: float) -> None:
        """One evaluation: store the agreement; once past threshold, test the profile."""
        score = self.agreement(run)
        run.curve.append((t, score))
        again = run.time is not None
        if again and not self.cfg.keep_checking:
            return
        if again:
            if t < run.next_later - 1e-9:
                return
            run.next_later = t + self.cfg.stay_every
        agrees = score is not None and score >= self.cfg.threshold
        if not agrees and not again:
            return
        c = self.cfg  # clone matches use serve seeds (first=100) no teacher game used
        profile = judge(
            clone_policy(run.trainer.play_params, run.trainer.activations, run.trainer.output),
            c.criterion,
            c.profile_seconds,
            run.seed,
            self.params,
            c,
            self.later_reference if again else self.reference,
            self.later_fp if again else self.player_fp,
            c.stay_matches if again else c.profile_matches,
            first=100,
            feature_set=run.variant.feature_set,
        )
        if again:  # a later check judges the profile whatever the agreement: which half fails
            run.later_halves.append((agrees, bool(profile["ok"])))
            run.later_failed.update({why.split(":")[0] for why in profile.get("reasons", ())})
            run.later_failed.update([] if agrees else ["agreement"])
            return
        run.profile = profile
        if profile["ok"]:
            run.time, run.next_later = t, t + c.stay_every
            run.stopped = c.stop_at_mirror

    def final_traits(self, run: _Run) -> dict | None:
        """The clone as it ends: its movement traits over the player's (ratios), and whether
        it passes the ``moves`` test; None without the player's fingerprint."""
        if self.player_fp is None:
            return None
        tr, c = run.trainer, self.cfg
        cols = record_matches(
            clone_policy(tr.play_params, tr.activations, tr.output),
            c.profile_seconds,
            run.seed,
            self.params,
            c.profile_matches,
            first=100,
            feature_set=run.variant.feature_set,
        )
        fp = style.fingerprint(cols, "left", params=self.params)
        ratios = {}
        for name in (*style.MOVES_TRAITS, *style.MOVES_CONTEXT):
            a, b = style.value_of(fp, name), style.value_of(self.player_fp, name)
            ratios[name] = a / b if a is not None and b else None
        verdict = style.moves(fp, self.player_fp, limits_of(c))
        return {"ratios": ratios, "moves": verdict["ok"], "reasons": verdict["reasons"]}

    def results(self) -> list[dict]:
        """One result per (seed, variant): time to mirror (None = censored) and the curve."""
        return [
            {
                "variant": r.variant.name,
                "feature_set": r.variant.feature_set,
                "hidden": list(r.variant.hidden),
                "activation": r.variant.activation,
                "params": r.variant.params,
                "seed": r.seed,
                "time": r.time,
                "curve": list(r.curve),
                "agreement": r.curve[-1][1] if r.curve else None,
                "profile": r.profile,
                "stayed": _share([a and p for a, p in r.later_halves]),
                "stayed_agreement": _share([a for a, _ in r.later_halves]),
                "stayed_profile": _share([p for _, p in r.later_halves]),
                "final": self.final_traits(r) if self.cfg.final_traits else None,
                "later_checks": len(r.later_halves),
                "later_failed": dict(r.later_failed),
                "kept": r.trainer.kept,
                "seen": r.trainer.seen,
                "steps": r.trainer.steps,
            }
            for r in self.runs
        ]


def _share(flags: list[bool]) -> float | None:
    """The share of True in ``flags`` (None when empty)."""
    return sum(flags) / len(flags) if flags else None


def replay(*args: Any, **kwargs: Any) -> list[dict]:
    """Replay a recording into one fresh clone per (variant, seed), all at once: the results.
    Takes ``LabRun``'s arguments."""
    run = LabRun(*args, **kwargs)
    while not run.done:
        run.step(SLICE_TICKS)
    return run.results()
