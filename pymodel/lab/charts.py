"""Hand-written SVG charts (no plotting library): the race, the Lab, the priors and the frontier.

One palette (``PALETTE``, the baseline grey first when a variant is named ``uniform``) for
every chart; the Lab's chart is described once as data (``lab_chart``), which the SVG here
and the page's canvas (app/ui/charts.js, via the ``lab_result`` reply) both draw.
- ``frontier_svg``: parameters (log axis) against time to mirror; a dot per run, a square per
  network's median, one line per activation; censored runs and medians are drawn *open* at
  the cap (they did not mirror by then: the true time is somewhere above it).
- ``priors_svg``: the priors 2x2 as a small table, shaded by median time, with its reading.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from ..learn.networks import hidden_name
from .report import (
    WITHIN,
    compute_reading,
    fmt_time,
    frontier_reading,
    frontier_rows,
    grid_of,
    priors_grid,
    priors_reading,
    race_parts,
)

# One palette for every chart: a variant named after the baseline or the default sampler
# keeps its colour everywhere; others take the palette in order.
PALETTE = ("#2f80ed", "#9aa5b1", "#eb5757", "#27ae60", "#f2994a", "#9b51e0")
NAMED = {"uniform": PALETTE[1], "relevance": PALETTE[0]}  # baseline grey, default blue
WIDTH, HEIGHT, PAD = 640, 360, 50  # canvas and margin, pixels
PLOT_W, PLOT_H = WIDTH - 2 * PAD, HEIGHT - 2 * PAD


def colour_of(name: str, i: int) -> str:
    """The colour of series ``name``, the ``i``-th of its chart."""
    return NAMED.get(name, PALETTE[i % len(PALETTE)])


def svg_head(title: str, height: int = HEIGHT, axes: bool = True) -> list[str]:
    """The start of a chart: the SVG element, a white background, the title, two axes."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{PAD}" y="20">{escape(title)}</text>',
    ]
    if axes:
        out += [
            f'<line x1="{PAD}" y1="{PAD + PLOT_H}" x2="{PAD + PLOT_W}" y2="{PAD + PLOT_H}" '
            'stroke="black"/>',
            f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{PAD + PLOT_H}" stroke="black"/>',
        ]
    return out


def _legend(names: list[str], x: float, y: float, step: float = 14) -> list[str]:
    """A colour key: one swatch and name per series, from (x, y) downwards."""
    out = []
    for i, name in enumerate(names):
        ly = y + step * i
        out.append(
            f'<rect x="{x}" y="{ly - 9}" width="10" height="10" fill="{colour_of(name, i)}"/>'
        )
        out.append(f'<text x="{x + 14}" y="{ly}">{escape(name)}</text>')
    return out


def _y_labels(top: float, fmt: str = "g") -> list[str]:
    """Five labels up the y axis, 0 to ``top``."""
    out = []
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = PAD + PLOT_H * (1 - frac)
        out.append(
            f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{top * frac:{fmt}}</text>'
        )
    return out


def race_svg(summary: dict) -> str:
    """Bars: median time-to-mirror per bot and strategy; dots: each seed (censored on top)."""
    cap = summary["max_seconds"]
    table = summary["table"]
    groups = list(table)
    strategies = list(next(iter(table.values())))
    group_w = PLOT_W / len(groups)
    bar_w = group_w / (len(strategies) + 1)

    def y_of(t: float | None) -> float:
        v = cap if t is None or not math.isfinite(t) else min(t, cap)
        return PAD + PLOT_H * (1 - v / cap)

    out = svg_head(
        f"time-to-mirror, game seconds (median bar, seed dots; top = not mirrored by {cap:g} s)"
    )
    out += _y_labels(cap)
    for gi, group in enumerate(groups):
        x0 = PAD + gi * group_w + bar_w / 2
        out.append(
            f'<text x="{x0 + bar_w * len(strategies) / 2:.1f}" y="{PAD + PLOT_H + 18}" '
            f'text-anchor="middle">{escape(group)}</text>'
        )
        for si, st in enumerate(strategies):
            cell = table[group][st]
            x = x0 + si * bar_w
            y = y_of(cell["median"])
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.9:.1f}" '
                f'height="{PAD + PLOT_H - y:.1f}" fill="{colour_of(st, si)}"/>'
            )
            for t in cell["times"]:
                out.append(
                    f'<circle cx="{x + bar_w * 0.45:.1f}" cy="{y_of(t):.1f}" r="3" '
                    'fill="black" fill-opacity="0.6"/>'
                )
    out += _legend(strategies, PAD + PLOT_W - 120, PAD)
    out.append("</svg>")
    return "\n".join(out)


def lab_chart(summary: dict, threshold: float = 0.9) -> dict:
    """The Lab's chart as data (``report.summarise`` gives ``summary``): per variant its
    colour and its median agreement curve with the min-max band over seeds, and the mirror
    threshold. ``lab_svg`` draws it here; the page draws the same dict on its canvas."""
    return {
        "title": "held-out approach agreement vs game seconds (median line, min-max band over "
        "seeds)",
        "x_label": "game seconds",
        "threshold": threshold,
        "series": [
            {"name": name, "colour": colour_of(name, i), **row["curve"]}
            for i, (name, row) in enumerate(summary.items())
        ],
    }


def lab_svg(chart: dict) -> str:
    """``lab_chart``'s lines and bands as SVG, with a dashed line at the threshold."""
    series = chart["series"]
    t_max = max((max(s["t"], default=0.0) for s in series), default=0.0) or 1.0

    def xy(t: float, a: float) -> str:
        return f"{PAD + PLOT_W * t / t_max:.1f},{PAD + PLOT_H * (1 - a):.1f}"

    out = svg_head(chart["title"])
    out += _y_labels(1.0)
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<text x="{PAD + PLOT_W * frac:.1f}" y="{PAD + PLOT_H + 18}" text-anchor="middle">'
            f"{t_max * frac:.0f}</text>"
        )
    y_th = PAD + PLOT_H * (1 - chart["threshold"])
    out.append(
        f'<line x1="{PAD}" y1="{y_th:.1f}" x2="{PAD + PLOT_W}" y2="{y_th:.1f}" '
        'stroke="black" stroke-dasharray="4 4" stroke-opacity="0.5"/>'
    )
    for s in series:
        if s["t"]:
            upper = [xy(t, a) for t, a in zip(s["t"], s["hi"], strict=True)]
            lower = [xy(t, a) for t, a in zip(s["t"], s["lo"], strict=True)]
            line = " ".join(xy(t, a) for t, a in zip(s["t"], s["median"], strict=True))
            out.append(
                f'<polygon points="{" ".join(upper + lower[::-1])}" fill="{s["colour"]}" '
                'fill-opacity="0.2"/>'
            )
            out.append(
                f'<polyline points="{line}" fill="none" stroke="{s["colour"]}" stroke-width="2"/>'
            )
    names = [s["name"] for s in series]
    out += _legend(names, PAD + PLOT_W - 140, PAD + PLOT_H - 14 * len(names))
    out.append("</svg>")
    return "\n".join(out)


ACT_COLOURS = {"tanh": PALETTE[0], "relu": PALETTE[2]}


def _note(text: str, y: float) -> list[str]:
    """A reading sentence wrapped under a chart."""
    lines = textwrap.wrap(text, 100)
    return [
        f'<text x="10" y="{y + 14 * i:.0f}" font-size="11">{escape(t)}</text>'
        for i, t in enumerate(lines)
    ]


def frontier_svg(rows: list[dict], cap: float, within: float, reading: str = "") -> str:
    """Time to mirror against parameter count (``report.frontier_rows`` gives ``rows``)."""
    height = HEIGHT + 60
    plot_w, plot_h = PLOT_W, PLOT_H
    lo = math.log10(min(r["params"] for r in rows) / 1.5)
    hi = math.log10(max(r["params"] for r in rows) * 1.5)

    def x_of(p: float) -> float:
        return PAD + plot_w * (math.log10(p) - lo) / (hi - lo)

    def y_of(t: float | None) -> float:
        v = cap if t is None or not math.isfinite(t) else min(t, cap)
        return PAD + plot_h * (1 - v / cap)

    sets = ", ".join(sorted({r["feature_set"] for r in rows}))
    title = f"time to mirror vs parameters ({sets}; open = not mirrored by {cap:g} s)"
    out = svg_head(title, height)
    if within < cap:  # the frontier's bar: a median below this line mirrors "within"
        out += [
            f'<line x1="{PAD}" y1="{y_of(within):.1f}" x2="{PAD + plot_w}" y2="{y_of(within):.1f}" '
            'stroke="black" stroke-dasharray="4 4" stroke-opacity="0.5"/>',
            f'<text x="{PAD + plot_w}" y="{y_of(within) - 4:.1f}" text-anchor="end">'
            f"{within:g} s</text>",
        ]
    out += _y_labels(cap)
    for e in range(math.ceil(lo), math.floor(hi) + 1):
        x = x_of(10.0**e)
        out.append(
            f'<text x="{x:.1f}" y="{PAD + plot_h + 16}" text-anchor="middle">{10**e:g}</text>'
        )
    out.append(
        f'<text x="{PAD + plot_w / 2}" y="{PAD + plot_h + 32}" text-anchor="middle">'
        "parameters (log scale)</text>"
    )
    for act in dict.fromkeys(r["activation"] for r in rows):
        mine = [r for r in rows if r["activation"] == act]
        colour = ACT_COLOURS.get(act, PALETTE[3])
        line = " ".join(f"{x_of(r['params']):.1f},{y_of(r['median']):.1f}" for r in mine)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for r in mine:
            x = x_of(r["params"])
            for t in r["times"]:
                fill = colour if t is not None else "white"
                out.append(
                    f'<circle cx="{x:.1f}" cy="{y_of(t):.1f}" r="3" fill="{fill}" '
                    f'fill-opacity="0.6" stroke="{colour}"/>'
                )
            y = y_of(r["median"])
            fill = colour if math.isfinite(r["median"]) else "white"
            out.append(
                f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="10">'
                f"{escape(hidden_name(r['hidden']))}</text>"
            )
            if r["frontier"]:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="none" stroke="black"/>')
        k = list(ACT_COLOURS).index(act) if act in ACT_COLOURS else 2
        lx, ly = PAD + plot_w - 170, PAD + plot_h - 10 - 14 * k
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}">{escape(act)} (circled: frontier)</text>')
    out += _note(reading, HEIGHT + 10)
    out.append("</svg>")
    return "\n".join(out)


def priors_svg(grid: dict[str, dict[str, dict]], cap: float, reading: str = "") -> str:
    """The 2x2 (``report.priors_grid``): one shaded cell per feature set and strategy,
    darker = faster; text: median time (mirrored/runs)."""
    strategies = list(dict.fromkeys(s for row in grid.values() for s in row))
    cell_w, cell_h, left, top = 170, 50, PAD + 100, PAD + 20
    height = top + cell_h * len(grid) + 80
    out = svg_head(
        f"priors: median time to mirror, game s (mirrored/runs; >{cap:g} = censored)",
        height,
        axes=False,
    )
    for j, st in enumerate(strategies):
        x = left + cell_w * (j + 0.5)
        out.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle">{escape(st)}</text>')
    for i, (fs, row) in enumerate(grid.items()):
        y = top + cell_h * i
        out.append(
            f'<text x="{left - 10}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end">'
            f"{escape(fs)}</text>"
        )
        for j, st in enumerate(strategies):
            c = row.get(st)
            if c is None:
                continue
            t = c["median"]
            shade = 0.15 + 0.7 * (1 - min(t, cap) / cap) if math.isfinite(t) else 0.05
            x = left + cell_w * j
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 4}" height="{cell_h - 4}" '
                f'fill="{PALETTE[0]}" fill-opacity="{shade:.2f}" stroke="#9aa5b1"/>'
            )
            label = f"{fmt_time(t, cap)} s ({c['mirrored']}/{c['runs']})"
            out.append(
                f'<text x="{x + cell_w / 2 - 2:.0f}" y="{y + cell_h / 2 + 2:.0f}" '
                f'text-anchor="middle" font-size="14">{escape(label)}</text>'
            )
    out += _note(reading, top + cell_h * len(grid) + 24)
    out.append("</svg>")
    return "\n".join(out)


def chart_for(summary: dict) -> str:
    """The race's SVG for a preset: the compute or buffer frontier, the priors 2x2, or the
    network frontier (any other preset)."""
    if summary.get("preset") in ("compute", "buffer"):
        axis = "budget" if summary["preset"] == "compute" else "capacity"
        return compute_svg(summary, axis, compute_reading(summary, axis))
    cells, infos, cap = race_parts(summary)
    if summary.get("preset") == "priors":
        grid = priors_grid(cells, infos)
        return priors_svg(grid, cap, priors_reading(cells, infos, cap))
    rows = frontier_rows(cells, infos)
    return frontier_svg(rows, cap, WITHIN, frontier_reading(rows, cap))


def compute_svg(summary: dict, axis: str = "budget", reading: str = "") -> str:
    """The curation frontier: median time to mirror (all runs) against the training budget
    (or the buffer's capacity), log axis, one line per sampler; censored medians open at the
    cap, each run a faint dot."""
    values, samplers, grid = grid_of(summary, axis)
    cap = summary["max_seconds"]
    height = HEIGHT + 60
    lo, hi = math.log10(min(values) / 1.5), math.log10(max(values) * 1.5)

    def x_of(v: float) -> float:
        return PAD + PLOT_W * (math.log10(v) - lo) / (hi - lo)

    def y_of(t: float | None) -> float:
        t = cap if t is None or not math.isfinite(t) else min(t, cap)
        return PAD + PLOT_H * (1 - t / cap)

    what = "training steps a game second" if axis == "budget" else "replay buffer frames"
    out = svg_head(
        f"time to mirror vs {what} (median of all runs; open = not mirrored by {cap:g} s)", height
    )
    out += _y_labels(cap)
    for v in values:
        out.append(
            f'<text x="{x_of(v):.1f}" y="{PAD + PLOT_H + 16}" text-anchor="middle">{v:g}</text>'
        )
    out.append(
        f'<text x="{PAD + PLOT_W / 2}" y="{PAD + PLOT_H + 32}" text-anchor="middle">'
        f"{escape(what)} (log scale)</text>"
    )
    for i, s in enumerate(samplers):
        colour = colour_of(s, i)
        pts = [(v, grid["all"][(v, s)]) for v in values if (v, s) in grid["all"]]
        line = " ".join(f"{x_of(v):.1f},{y_of(c['median']):.1f}" for v, c in pts)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for v, c in pts:
            for t in c["times"]:
                out.append(
                    f'<circle cx="{x_of(v) + 3 * (i - len(samplers) / 2):.1f}" cy="{y_of(t):.1f}" '
                    f'r="2" fill="{colour}" fill-opacity="0.25"/>'
                )
            fill = colour if math.isfinite(c["median"]) else "white"
            out.append(
                f'<circle cx="{x_of(v):.1f}" cy="{y_of(c["median"]):.1f}" r="4.5" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
    out += _legend(samplers, PAD + PLOT_W - 110, PAD + 4)
    out += _note(reading, HEIGHT + 10)
    out.append("</svg>")
    return "\n".join(out)
