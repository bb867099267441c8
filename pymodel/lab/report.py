"""The Lab's and the race's results as figures and words: summaries, tables, readings.

Kept apart from the engine (``engine.py``) so the browser's Lab worker and the command line
give the same summary, table and sentence. A censored run (time None) counts as +inf in a
median, so a median is censored (">N s") as soon as half the seeds did not mirror.

The priors experiments take *cells*, one per variant: ``{median, mirrored, runs, times}``.
The race's ``summary["table"]["all"]`` and ``summarise`` both have that shape, so the
command line's race and lab print the same tables and draw the same charts:

- ``priors``: rows are feature sets, columns sampler strategies; the reading says how much
  game time the engineered prior saves and whether curation matters more without it;
- ``frontier``: time to mirror against parameter count; the smallest network whose median
  time to mirror is within ``WITHIN`` game seconds is the frontier.
"""

from __future__ import annotations

import math

import numpy as np

from ..learn.networks import hidden_name
from .judge import censored_median

WITHIN = 120.0  # game seconds: "mirrors within two minutes of play" marks the frontier


def summarise(results: list[dict]) -> dict:
    """Per variant: censored median time, mirrored/runs, times, and the median curve with
    its min-max band over seeds at each check time."""
    out: dict = {}
    for name in dict.fromkeys(r["variant"] for r in results):
        runs = [r for r in results if r["variant"] == name]
        times = [r["time"] for r in runs]
        at: dict[float, list[float]] = {}
        for r in runs:
            for t, a in r["curve"]:
                if a is not None:
                    at.setdefault(t, []).append(a)
        ts = sorted(at)
        out[name] = {
            "median": censored_median(times),
            "mirrored": sum(t is not None for t in times),
            "runs": len(runs),
            "times": times,
            "seeds": [r["seed"] for r in runs],
            "curve": {
                "t": ts,
                "median": [float(np.median(at[t])) for t in ts],
                "lo": [float(min(at[t])) for t in ts],
                "hi": [float(max(at[t])) for t in ts],
            },
        }
    return out


def fmt_time(t: float | None, horizon: float) -> str:
    """Seconds as text; censored (None or inf) as '>N'."""
    return f">{horizon:g}" if t is None or not math.isfinite(t) else f"{t:g}"


def format_table(summary: dict, horizon: float) -> str:
    """Time to mirror per variant: median, mirrored/runs, and each seed's time."""
    lines = [
        f"time to mirror on this recording (game seconds; >{horizon:g} = not mirrored by the "
        "end of the recording)",
        f"{'variant':<16}{'median':>8}{'mirrored':>10}   per seed",
    ]
    for name, row in summary.items():
        per_seed = "  ".join(
            f"s{s}: {fmt_time(t, horizon)}" for s, t in zip(row["seeds"], row["times"], strict=True)
        )
        lines.append(
            f"{name:<16}{fmt_time(row['median'], horizon):>8}"
            f"{row['mirrored']:>6}/{row['runs']:<3}   {per_seed}"
        )
    return "\n".join(lines)


def reading(summary: dict, horizon: float) -> str:
    """One sentence: which variant mirrored in how long, fastest first."""
    order = sorted(summary, key=lambda n: summary[n]["median"])
    n = max(row["runs"] for row in summary.values())
    seeds = f"(median of {n} seeds)" if n > 1 else "(one seed)"
    if not any(math.isfinite(summary[n]["median"]) for n in order):
        return f"On this recording, no variant mirrored within {horizon:g} s {seeds}."
    parts = []
    for i, name in enumerate(order):
        t = summary[name]["median"]
        verb = "mirrored in" if i == 0 else "in"
        if math.isfinite(t):
            parts.append(f"{name} {verb} {t:g} s")
        else:
            parts.append(f"{name} did not mirror within {horizon:g} s")
    return f"On this recording, {', '.join(parts)} {seeds}."


def jsonable(summary: dict) -> dict:
    """The summary with censored medians as null (strict JSON has no Infinity)."""
    return {
        name: {**row, "median": row["median"] if math.isfinite(row["median"]) else None}
        for name, row in summary.items()
    }


def _cell(c: dict, cap: float) -> str:
    return f"{fmt_time(c['median'], cap)} ({c['mirrored']}/{c['runs']})"


def priors_grid(cells: dict, infos: list[dict]) -> dict[str, dict[str, dict]]:
    """{feature_set: {strategy: cell}} from the variants' feature sets and strategies."""
    grid: dict[str, dict[str, dict]] = {}
    for info in infos:
        if info["name"] in cells:
            grid.setdefault(info["feature_set"], {})[info["strategy"]] = cells[info["name"]]
    return grid


def priors_table(cells: dict, infos: list[dict], cap: float) -> str:
    """The 2x2: median time to mirror (mirrored/runs) per feature set and strategy."""
    grid = priors_grid(cells, infos)
    strategies = list(dict.fromkeys(s for row in grid.values() for s in row))
    lines = [
        f"priors: time to mirror (game s, median over runs; >{cap:g} = censored; mirrored/runs)",
        f"{'feature set':<14}" + "".join(f"{s:>16}" for s in strategies),
    ]
    for fs, row in grid.items():
        lines.append(f"{fs:<14}" + "".join(f"{_cell(row[s], cap):>16}" for s in strategies))
    return "\n".join(lines)


def priors_reading(cells: dict, infos: list[dict], cap: float) -> str:
    """One sentence: what the engineered prior saves, and curation with and without it."""
    g = priors_grid(cells, infos)
    if not {"engineered", "raw"} <= set(g) or any(
        not {"uniform", "relevance"} <= set(g[fs]) for fs in ("engineered", "raw")
    ):
        return "The priors reading needs engineered and raw, each with uniform and relevance."

    def saved(st: str) -> str:
        e, r = g["engineered"][st]["median"], g["raw"][st]["median"]
        if not math.isfinite(e):
            return f"nothing measurable with {st} (engineered censored too)"
        return f"{'at least ' if not math.isfinite(r) else ''}{min(r, cap) - e:g} s with {st}"

    def ratio(fs: str) -> str:
        u, r = g[fs]["uniform"]["median"], g[fs]["relevance"]["median"]
        if math.isfinite(u) and math.isfinite(r) and u > 0:
            return f"{r / u:.2f}"
        return "n/a"

    raw_mirrored = {s: f"{g['raw'][s]['mirrored']}/{g['raw'][s]['runs']}" for s in g["raw"]}
    return (
        f"The engineered prior (intercept and time to impact) saved {saved('uniform')} and "
        f"{saved('relevance')} of median time to mirror; without it, uniform mirrored "
        f"{raw_mirrored['uniform']} runs and relevance {raw_mirrored['relevance']}; curation "
        f"(relevance / uniform median) is {ratio('engineered')} with the prior and "
        f"{ratio('raw')} without."
    )


def frontier_rows(cells: dict, infos: list[dict], within: float = WITHIN) -> list[dict]:
    """One row per network, smallest first: info, cell, and ``frontier`` True on the smallest
    network (fewest parameters) whose median time to mirror is within ``within``."""
    rows = sorted(
        ({**info, **cells[info["name"]]} for info in infos if info["name"] in cells),
        key=lambda r: (r["params"], r["activation"]),
    )
    ok = [r for r in rows if math.isfinite(r["median"]) and r["median"] <= within]
    best = ok[0]["name"] if ok else None
    return [{**r, "frontier": r["name"] == best} for r in rows]


def frontier_table(rows: list[dict], cap: float, within: float = WITHIN) -> str:
    """Time to mirror per network size; '*' marks the frontier."""
    sets = sorted({r["feature_set"] for r in rows})
    lines = [
        f"frontier ({', '.join(sets)}): time to mirror vs network size (game s, median; "
        f">{cap:g} = censored; * = smallest network mirroring within {within:g} s)",
        f"{'network':<16}{'act':>6}{'params':>8}{'median':>9}{'mirrored':>10}",
    ]
    for r in rows:
        mark = " *" if r["frontier"] else ""
        lines.append(
            f"{hidden_name(r['hidden']):<16}{r['activation']:>6}{r['params']:>8}"
            f"{fmt_time(r['median'], cap):>9}{r['mirrored']:>6}/{r['runs']:<3}{mark}"
        )
    return "\n".join(lines)


def frontier_reading(rows: list[dict], cap: float, within: float = WITHIN) -> str:
    """One sentence: where the frontier lies on this feature set."""
    sets = ", ".join(sorted({r["feature_set"] for r in rows}))
    best = next((r for r in rows if r["frontier"]), None)
    if best is None:
        return f"On {sets} features no network mirrored within {within:g} s (median)."
    below = [r for r in rows if r["params"] < best["params"]]
    tail = ""
    if below:
        tail = "; smaller: " + ", ".join(
            f"{r['name']} {fmt_time(r['median'], cap)} ({r['mirrored']}/{r['runs']})" for r in below
        )
    return (
        f"On {sets} features the smallest network mirroring within {within:g} s is "
        f"{best['name']} ({best['params']} parameters, median {best['median']:g} s){tail}."
    )


def race_parts(summary: dict) -> tuple[dict, list[dict], float]:
    """(cells of all runs, variant infos, the horizon) of a race summary with a preset."""
    return summary["table"]["all"], summary["variants"], summary["max_seconds"]


def grid_of(summary: dict, axis: str) -> tuple[list, list[str], dict]:
    """A compute or buffer race as a grid: the axis values (budgets or capacities), the
    samplers, and {teacher or 'all': {(value, sampler): cell}}."""
    infos = {v["name"]: v for v in summary["variants"]}
    values = sorted({infos[n][axis] for n in infos})
    samplers = list(dict.fromkeys(infos[n]["strategy"] for n in infos))
    grid: dict = {}
    for teacher, row in summary["table"].items():
        grid[teacher] = {(infos[n][axis], infos[n]["strategy"]): c for n, c in row.items()}
    return values, samplers, grid


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if math.isfinite(a) and math.isfinite(b) and b > 0 else "n/a"


def compute_table(summary: dict, axis: str = "budget") -> str:
    """The curation frontier as text: per budget (or buffer capacity), each sampler's median
    game seconds to mirror over every run (mirrored/runs), its ratio to uniform's, and the
    training steps to mirror (median time x budget); then, per sampler and budget, the
    teachers for which it is slower than uniform."""
    values, samplers, grid = grid_of(summary, axis)
    cap = summary["max_seconds"]
    unit = "steps/s" if axis == "budget" else "frames"
    lines = [
        f"time to mirror (game s, median over all runs; mirrored/runs; ratio = sampler / "
        f"uniform) by {axis} ({unit}); >{cap:g} = censored",
        f"{axis:<9}" + "".join(f"{s:>22}" for s in samplers),
    ]
    for v in values:
        base = grid["all"][(v, "uniform")]["median"] if (v, "uniform") in grid["all"] else math.nan
        cells = []
        for s in samplers:
            c = grid["all"].get((v, s))
            if c is None:
                cells.append("-")
                continue
            r = _ratio(c["median"], base)
            ratio = "" if s == "uniform" or r == "n/a" else f" x{r}"
            cells.append(f"{fmt_time(c['median'], cap)} ({c['mirrored']}/{c['runs']}){ratio}")
        lines.append(f"{v:<9g}" + "".join(f"{c:>22}" for c in cells))
    if axis == "budget":
        lines.append("training steps to mirror (median time x budget, thousands):")
        for v in values:
            cells = []
            for s in samplers:
                t = grid["all"].get((v, s), {}).get("median", math.nan)
                cells.append(
                    f"{t * v / 1000:.1f}k" if math.isfinite(t) else ">" + f"{cap * v / 1000:.1f}k"
                )
            lines.append(f"{v:<9g}" + "".join(f"{c:>22}" for c in cells))
    lines.append("teachers slower than uniform (sampler @ value: teachers):")
    for v in values:
        for s in samplers:
            if s == "uniform":
                continue
            slow = [
                t
                for t, g in grid.items()
                if t != "all"
                and (v, s) in g
                and (v, "uniform") in g
                and g[(v, s)]["median"] > g[(v, "uniform")]["median"]
            ]
            if slow:
                lines.append(f"  {s} @{v:g}: {', '.join(slow)}")
    return "\n".join(lines)


def compute_reading(summary: dict, axis: str = "budget") -> str:
    """One sentence: whether any sampler reaches half of uniform's time at some value with
    no teacher slower, and which sampler is fastest at each value."""
    values, samplers, grid = grid_of(summary, axis)
    best, halves = [], []
    for v in values:
        cells = {s: grid["all"][(v, s)]["median"] for s in samplers if (v, s) in grid["all"]}
        if not cells:
            continue
        fastest = min(cells, key=lambda s: (cells[s], s != "uniform"))
        best.append(f"{fastest} at {v:g}")
        base = cells.get("uniform", math.nan)
        for s, t in cells.items():
            slower = [
                b
                for b, g in grid.items()
                if b != "all"
                and (v, s) in g
                and (v, "uniform") in g
                and g[(v, s)]["median"] > g[(v, "uniform")]["median"]
            ]
            if s != "uniform" and math.isfinite(base) and t <= 0.5 * base and not slower:
                halves.append(f"{s} at {v:g}")
    half = (
        f"reaches half of uniform's time with no teacher slower: {', '.join(halves)}"
        if halves
        else "no sampler reaches half of uniform's time with no teacher slower at any " + axis
    )
    return f"Fastest by {axis}: {'; '.join(best)} (ties go to uniform). {half.capitalize()}."


def report_for(summary: dict) -> str:
    """The race's text for a preset with its own report: the table, then one reading."""
    preset = summary.get("preset")
    if preset in ("compute", "buffer"):
        axis = "budget" if preset == "compute" else "capacity"
        return compute_table(summary, axis) + "\n" + compute_reading(summary, axis)
    cells, infos, cap = race_parts(summary)
    if preset == "priors":
        return priors_table(cells, infos, cap) + "\n" + priors_reading(cells, infos, cap)
    rows = frontier_rows(cells, infos)
    return frontier_table(rows, cap) + "\n" + frontier_reading(rows, cap)
