"""The report, built from data: FIGURES (every figure shown: its key in a site's results, its
label, how it is written) and GOALS (figure key, label, target text, test). Each row shows the
figure for every site measured (before, after), the load average while it was measured, and,
for a figure with a goal, the target and whether each site meets it. Nothing here is tuned to
meet a goal; a goal not met is printed as NOT MET."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .common import FRAME_MS


@dataclass(frozen=True)
class Figure:
    """A row of the table: `key` is "section.field[.subfield]" in a site's results."""

    key: str
    label: str
    fmt: Callable[[Any], str]


@dataclass(frozen=True)
class Goal:
    """A target for the figure `key`: met when `test(value)` is true."""

    key: str
    label: str
    target: str
    test: Callable[[float], bool]


def ms(v: float) -> str:
    return f"{v:.1f} ms"


def secs(v: float) -> str:
    return f"{v / 1000:.2f} s"


def mb(v: float) -> str:
    return f"{v / 1e6:.2f} MB"


def count(v: float) -> str:
    return f"{v:,.0f}"


def ratio(v: float) -> str:
    return f"{v:.2f}"


def times(v: float) -> str:
    return f"{v:.1f}x"


def share(v: float) -> str:
    return f"{100 * v:.2f} %"


def seconds(v: float) -> str:
    return f"{v:.1f} s"


SECTIONS = {
    "training": "1. training steps/s (batch 64, the default network)",
    "desktop": "2. desktop 1280x800, keyboard play",
    "phone1x": "3. phone 390x844, DPR 3, touch, CPU at full speed",
    "phone4x": "4. phone 390x844, DPR 3, touch, CPU 4x slower",
    "budgets": "4b. training budgets in the page: keyboard play at each (issue 22)",
    "boot": "5. boot, desktop",
    "lab": "6. the Lab: a recording replayed, one variant and seed",
}


def play_rows(section: str, input_name: str, inputs: str) -> list[Figure]:
    """The rows of a play section (desktop or phone)."""
    return [
        Figure(f"{section}.frames_per_min", "frames drawn a minute (rAF)", count),
        Figure(f"{section}.interval_median_ms", "rAF interval median", ms),
        Figure(f"{section}.interval_p95_ms", "rAF interval p95", ms),
        Figure(f"{section}.interval_p99_ms", "rAF interval p99", ms),
        Figure(f"{section}.late_share", "frames later than 1.5 periods", share),
        Figure(f"{section}.input_median_ms", f"{input_name} to screen, median", ms),
        Figure(f"{section}.input_p95_ms", f"{input_name} to screen, p95", ms),
        Figure(f"{section}.input_presses", f"{inputs} measured", count),
        Figure(f"{section}.tick_ms.median", "worker tick median", ms),
        Figure(f"{section}.tick_ms.p99", "worker tick p99", ms),
    ]


FIGURES: list[Figure] = [
    Figure("training.a_steps_per_s", "(a) CPython numpy", count),
    Figure("training.b_steps_per_s", "(b) Pyodide worker, game paused", count),
    Figure("training.c_steps_per_s", "(c) Pyodide worker, game running", count),
    Figure("training.c_ticks_per_s", "    game ticks/s during (c)", count),
    Figure("training.c_frame_p99_ms", "    rAF interval p99 during (c)", ms),
    Figure("training.d_steps_per_s", "(d) JS Float64Array MLP, Worker", count),
    Figure("training.b_over_a", "(b)/(a)", ratio),
    Figure("training.c_over_b", "(c)/(b): the game loop's and messaging's cost", ratio),
    Figure("training.b_over_d", "(b)/(d): numpy in Pyodide vs hand-written JS", ratio),
    *play_rows("desktop", "key press", "key presses"),
    Figure("desktop.advance_ms.median", "worker advance median", ms),
    *play_rows("phone1x", "finger move", "finger moves"),
    Figure("phone1x.warm_ms", "warm boot (median of reloads)", secs),
    *play_rows("phone4x", "finger move", "finger moves"),
    Figure("phone4x.warm_ms", "warm boot (median of reloads)", secs),
    *(
        row
        for name in ("light", "normal", "full")
        for row in (
            Figure(f"budgets.{name}.train_ms_per_s", f"{name}: training ms per game second", ms),
            Figure(f"budgets.{name}.steps_per_game_s", f"{name}: steps per game second", count),
            Figure(f"budgets.{name}_over_normal", f"{name}: cost / Normal's", ratio),
            Figure(f"budgets.{name}.tick_ms_per_s", f"{name}: game ticks, ms per game s", ms),
            Figure(
                f"budgets.{name}_worker_over_normal", f"{name}: worker (ticks + training)", ratio
            ),
        )
    ),
    Figure("boot.cold_ms", "cold boot, navigation to ready", secs),
    Figure("boot.warm_ms", "warm boot, navigation to ready", secs),
    Figure("boot.offline_ms", "offline boot", secs),
    Figure("boot.cold_bytes", "cold transfer (server-counted, gzip)", mb),
    Figure("boot.warm_bytes", "warm transfer", mb),
    Figure("lab.lab_boot_and_load_s", "Lab worker boot + load", seconds),
    Figure("lab.lab_replay_s", "replay in the browser", seconds),
    Figure("lab.lab_speedup", "times real time", times),
    Figure("lab.lab_cpython_s", "the same replay in CPython", seconds),
]

GOALS: list[Goal] = [
    Goal("training.c_over_b", "game loop and messaging cost", ">= 0.8", lambda v: v >= 0.8),
    Goal("training.b_over_d", "numpy in Pyodide vs JS", ">= 1.0", lambda v: v >= 1.0),
    Goal(
        "desktop.interval_p99_ms",
        "desktop rAF p99",
        f"< {1.5 * FRAME_MS:.1f} ms",
        lambda v: v < 1.5 * FRAME_MS,
    ),
    Goal(
        "desktop.input_median_ms",
        "desktop input to screen",
        f"< {2 * FRAME_MS:.1f} ms",
        lambda v: v < 2 * FRAME_MS,
    ),
    Goal("phone1x.interval_p99_ms", "phone 1x rAF p99", "<= 25 ms", lambda v: v <= 25),
    Goal("phone4x.frames_per_min", "phone 4x frames", ">= 3,300", lambda v: v >= 3300),
    Goal("phone4x.interval_p99_ms", "phone 4x rAF p99", "<= 50 ms", lambda v: v <= 50),
    Goal("phone4x.warm_ms", "phone 4x warm boot", "<= 3 s", lambda v: v <= 3000),
    Goal(
        "budgets.light_over_normal",
        "Light's training cost",
        "<= 0.30 of Normal's",
        lambda v: v <= 0.30,
    ),
    Goal("boot.warm_ms", "warm boot", "< 2 s", lambda v: v < 2000),
    Goal("boot.cold_bytes", "cold transfer", "< 8 MB", lambda v: v < 8e6),
    Goal("boot.offline_ms", "offline boot", "< 2 s", lambda v: v < 2000),
    Goal("lab.lab_speedup", "Lab replay speed", ">= 20x", lambda v: v >= 20),
]


def lookup(results: dict, key: str) -> Any:
    """The value at "a.b.c" in nested dicts, or None where any part is missing."""
    value: Any = results
    for part in key.split("."):
        if not isinstance(value, dict) or value.get(part) is None:
            return None
        value = value[part]
    return value


def verdict(goal: Goal | None, value: Any) -> str:
    """met / NOT MET for a value with a goal; '' without a goal, '-' without a value."""
    if goal is None:
        return ""
    if value is None:
        return "-"
    return "met" if goal.test(value) else "NOT MET"


def figure_rows(runs: dict[str, dict], sections: list[str]) -> list[list[str]]:
    """One row per figure of `sections` (and a heading per section): the label, then for each
    site its value and the load average, then the goal and each site's verdict."""
    goals = {g.key: g for g in GOALS}
    rows = []
    for section in sections:
        rows.append([SECTIONS[section]])
        for fig in (f for f in FIGURES if f.key.split(".")[0] == section):
            goal = goals.get(fig.key)
            row = ["  " + fig.label]
            for run in runs.values():
                value = lookup(run, fig.key)
                load = lookup(run, f"{section}.load")
                row.append("-" if value is None else fig.fmt(value))
                row.append("" if load is None else f"{load:.1f}")
            row.append(goal.target if goal else "")
            row += [verdict(goal, lookup(run, fig.key)) for run in runs.values()]
            rows.append(row)
    return rows


def table(head: list[str], rows: list[list[str]]) -> str:
    """Rows as aligned text: the first column left-aligned, the values right-aligned; a row of
    one cell is a heading."""
    n = len(head)
    full = [r for r in [head, *rows] if len(r) == n]
    w = [max(len(r[i]) for r in full) for i in range(n)]
    lines = []
    for r in [head, *rows]:
        if len(r) == 1:
            lines.append(r[0])
            continue
        cells = [r[0].ljust(w[0])] + [c.rjust(w[i]) for i, c in enumerate(r[1:], 1)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def stage_notes(runs: dict[str, dict]) -> list[str]:
    """The warm boot by stage, a line per site."""
    out = []
    for label, run in runs.items():
        b = run.get("boot")
        if not b or not b.get("warm_stages_ms"):
            continue
        total = b["warm_ms"]
        parts = [f"{k} {v:.0f} ms ({100 * v / total:.0f}%)" for k, v in b["warm_stages_ms"].items()]
        parts.append(f"other {b['warm_other_ms']:.0f} ms ({100 * b['warm_other_ms'] / total:.0f}%)")
        out.append(f"  warm boot by stage, {label}: " + ", ".join(parts))
    return out


def race_notes(runs: dict[str, dict]) -> list[str]:
    """The race tables: each site's, or one when they are the same."""
    races = {label: run["race"] for label, run in runs.items() if run.get("race")}
    if not races:
        return []
    first = next(iter(races.values()))
    load = f", load average {first['load']:.1f}" if first.get("load") is not None else ""
    out = ["", f"7. time to mirror: {first['command']} (wall {first['wall_s']:.0f} s{load})"]
    if first.get("same_as"):
        return [*out, first["same_as"], first["table"]]
    if len({r["table"] for r in races.values()}) == 1:
        return [*out, f"({' and '.join(races)}: the same table)", first["table"]]
    for label, r in races.items():
        out += [f"{label}:", r["table"]]
    return out


def report(runs: dict[str, dict], context: list[str]) -> str:
    """The whole report: the table of every figure measured, the notes, the context."""
    sections = [s for s in SECTIONS if any(s in run for run in runs.values())]
    head = ["figure"]
    for label in runs:
        head += [label, "load"]
    head += ["goal", *(f"{label}?" for label in runs)]
    out = [table(head, figure_rows(runs, sections)), *stage_notes(runs), *race_notes(runs)]
    return "\n".join([*out, "", *context])


def summary(runs: dict[str, dict]) -> list[str]:
    """The goals not met by the last site (the one built from this checkout)."""
    last = list(runs.values())[-1]
    missed = [
        f"{g.label} ({g.target})"
        for g in GOALS
        if lookup(last, g.key) is not None and not g.test(lookup(last, g.key))
    ]
    return [f"goals not met: {', '.join(missed)}" if missed else "every goal measured is met"]
