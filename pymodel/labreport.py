"""The Lab's results as figures and words: the summary, the table and one sentence.

Kept apart from the engine (``lab.py``) so the browser can use the same summary and the same
sentence as the command line. A censored run (time None) counts as +inf in a median, so a
median is censored (">N s") as soon as half the seeds did not mirror.
"""

from __future__ import annotations

import math

import numpy as np

from .mirror import censored_median


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
