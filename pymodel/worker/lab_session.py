"""The Lab worker's protocol handler: load a session file, run a preset in slices, report.

The page runs the Lab in a second worker so the game's worker (and the page) stay
responsive. This session answers the ``lab_*`` requests of ``protocol.REQUESTS`` (and
``schema``, for the limits) with the same engine and the same report as ``python -m pymodel
lab`` (``lab.engine.LabRun``, ``lab.report``, ``lab.charts``), so the page and the command
line give the same table for the same recording, preset and seeds. The worker calls
``lab_step`` again and again, yielding between calls, so a ``lab_cancel`` gets in between
two slices. It also plays clone-against-clone duels (``duel_*``, ``lab.duel``), stepped by
the page at the speed it shows them, with the same result table as ``python -m pymodel duel``.
"""

from __future__ import annotations

from dataclasses import replace

from ..formats import sessionfile, weights
from ..lab import duel, report
from ..lab.charts import lab_chart, lab_svg
from ..lab.engine import LabRun
from ..lab.variants import MAX_SEEDS, MAX_SLICE_TICKS, PRESETS, Variant
from ..learn import mlp
from ..learn.trainer import TrainerConfig
from ..sim.recording import Recording
from ..sim.rules import MAX_POINTS, MIN_POINTS, MatchRules
from .fields import int_field, num_field, text_field
from .protocol import ProtocolError, Router
from .schema import schema


def variants(preset: str, mine: dict | None) -> list[Variant]:
    """The preset's variants, plus the player's own sampler and knobs when given
    (``{"sampler": name, "knobs": {...}}``)."""
    if preset not in PRESETS:
        raise ProtocolError(f"unknown preset {preset!r}; known: {list(PRESETS)}")
    out = list(PRESETS[preset])
    if mine is not None:
        if not isinstance(mine, dict) or not isinstance(mine.get("sampler"), str):
            raise ProtocolError("'yours' must be {sampler: str, knobs?: {...}}")
        out.append(Variant("your settings", mine["sampler"], mine.get("knobs") or None))
    return out


class LabSession(Router):
    """One loaded recording and at most one run; ``handle`` is the whole public surface."""

    def __init__(self) -> None:
        self.recording: Recording | None = None
        self.meta: dict = {}
        self.run: LabRun | None = None
        self.duel: duel.Duel | None = None

    def _on_schema(self, msg: dict) -> list[dict]:
        return [{"type": "schema", "schema": schema()}]

    def _on_lab_load(self, msg: dict) -> list[dict]:
        text = msg.get("text")
        if not isinstance(text, str):
            raise ProtocolError("lab_load needs a 'text' field with the session file")
        recording, meta = sessionfile.from_json(text)  # validates before anything changes
        self.recording, self.meta, self.run = recording, meta, None
        seconds = len(recording) * recording.params.dt
        return [{"type": "lab_loaded", "frames": len(recording), "seconds": seconds, "meta": meta}]

    def _on_lab_start(self, msg: dict) -> list[dict]:
        if self.recording is None:
            raise ProtocolError("load a recording first (lab_load)")
        n = int(num_field(msg, "seeds", 3, lo=1, hi=MAX_SEEDS))
        first = int(num_field(msg, "first_seed", 0, lo=0, hi=2**31))
        budget = num_field(
            msg, "steps_per_second", TrainerConfig.steps_per_game_second, lo=1.0, hi=600.0
        )
        chosen = variants(str(msg.get("preset", "curation")), msg.get("yours"))
        only = msg.get("only")
        if only is not None:  # a subset of the preset, e.g. one variant for the benchmark
            chosen = [v for v in chosen if v.name in only]
            if not chosen:
                raise ProtocolError(f"'only' names no variant of this preset: {only!r}")
        tcfg = replace(TrainerConfig(), steps_per_game_second=budget)
        run = LabRun(self.recording, chosen, range(first, first + n), None, tcfg)
        if not run.judgeable:
            raise ProtocolError(
                f"this recording is too short to judge a clone: {run.eval_frames} held-out "
                f"frames of the ball coming, {run.cfg.min_eval} needed. Play a minute or two."
            )
        self.run = run
        return [self._progress()]

    def _on_lab_step(self, msg: dict) -> list[dict]:
        if self.run is None:
            raise ProtocolError("no Lab run to step (lab_start first)")
        self.run.step(int(num_field(msg, "ticks", 1200, lo=1, hi=MAX_SLICE_TICKS)))
        if not self.run.done:
            return [self._progress()]
        return [self._progress(), self._result()]

    def _on_lab_cancel(self, msg: dict) -> list[dict]:
        progress = self._progress() if self.run is not None else None
        self.run = None
        return [{"type": "lab_cancelled", "progress": progress}]

    def _progress(self) -> dict:
        assert self.run is not None
        p = self.run.progress()
        variants_n = len({r.variant.name for r in self.run.runs})
        seeds_n = len(self.run.runs) // max(variants_n, 1)
        return {"type": "lab_progress", **p, "clones": len(self.run.runs), "seeds": seeds_n}

    def _result(self) -> dict:
        assert self.run is not None and self.recording is not None
        results = self.run.results()
        summary = report.summarise(results)
        horizon = len(self.recording) * self.recording.params.dt
        chart = lab_chart(summary, self.run.cfg.threshold)
        return {
            "type": "lab_result",
            "seconds": horizon,
            "threshold": self.run.cfg.threshold,
            "summary": report.jsonable(summary),
            "table": report.format_table(summary, horizon),
            "reading": report.reading(summary, horizon),
            "chart": chart,
            "svg": lab_svg(chart),
            "runs": results,
        }

    # ------------------------------------------------------------------ duels
    def _on_duel_load(self, msg: dict) -> list[dict]:
        clone = weights.load(text_field(msg, "text", "a weights file"))
        sizes = mlp.layer_sizes(clone.params)
        info = {"name": clone.name, "feature_set": clone.feature_set, "layer_sizes": sizes}
        return [{"type": "duel_clone", **info, "output": clone.output, "meta": clone.meta}]

    def _on_duel_start(self, msg: dict) -> list[dict]:
        sides = []
        for side in ("left", "right"):
            clone = weights.load(text_field(msg, side, f"the {side} clone's weights file"))
            given = msg.get(f"{side}_name")
            name = weights.check_name(given) if given is not None else None
            sides.append(duel.Side(name or clone.name or f"the {side} clone", clone))
        points = int_field(msg, "points", MatchRules.points, MIN_POINTS, MAX_POINTS)
        rules = MatchRules(points, int_field(msg, "win_by", MatchRules.win_by, 1, points))
        n = int_field(msg, "seeds", 1, 1, duel.MAX_SEEDS)
        first = int_field(msg, "first_seed", 0, 0, 2**31)
        limit = num_field(msg, "max_seconds", duel.DEFAULT_MAX_SECONDS, 1.0, duel.MAX_SECONDS)
        self.duel = duel.Duel(sides[0], sides[1], rules, range(first, first + n), limit)
        return [{"type": "duel_progress", **self.duel.snapshot()}]

    def _on_duel_step(self, msg: dict) -> list[dict]:
        if self.duel is None:
            raise ProtocolError("no duel to play (duel_start first)")
        self.duel.step(int_field(msg, "ticks", 1200, 1, MAX_SLICE_TICKS))
        replies = [{"type": "duel_progress", **self.duel.snapshot()}]
        if self.duel.done:
            replies.append({"type": "duel_result", **self.duel.result()})
        return replies

    def _on_duel_cancel(self, msg: dict) -> list[dict]:
        self.duel = None
        return [{"type": "duel_cancelled"}]
