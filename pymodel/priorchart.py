"""Hand-written SVG charts of the priors experiments, in ``chart.py``'s look.

- ``frontier_svg``: parameters (log axis) against time to mirror; a dot per run, a square per
  network's median, one line per activation; censored runs and medians are drawn *open* at
  the cap (they did not mirror by then: the true time is somewhere above it).
- ``priors_svg``: the priors 2x2 as a small table, shaded by median time, with its reading.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from .chart import HEIGHT, PAD, PALETTE, WIDTH
from .labreport import fmt_time
from .networks import hidden_name

ACT_COLOURS = {"tanh": PALETTE[0], "relu": PALETTE[2]}


def _head(title: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{PAD}" y="20">{escape(title)}</text>',
    ]


def _note(text: str, y: float) -> list[str]:
    """A reading sentence wrapped under a chart."""
    lines = textwrap.wrap(text, 100)
    return [
        f'<text x="10" y="{y + 14 * i:.0f}" font-size="11">{escape(t)}</text>'
        for i, t in enumerate(lines)
    ]


def frontier_svg(rows: list[dict], cap: float, within: float, reading: str = "") -> str:
    """Time to mirror against parameter count (``priors.frontier_rows`` gives ``rows``)."""
    height = HEIGHT + 60
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    lo = math.log10(min(r["params"] for r in rows) / 1.5)
    hi = math.log10(max(r["params"] for r in rows) * 1.5)

    def x_of(p: float) -> float:
        return PAD + plot_w * (math.log10(p) - lo) / (hi - lo)

    def y_of(t: float | None) -> float:
        v = cap if t is None or not math.isfinite(t) else min(t, cap)
        return PAD + plot_h * (1 - v / cap)

    sets = ", ".join(sorted({r["feature_set"] for r in rows}))
    out = _head(f"time to mirror vs parameters ({sets}; open = not mirrored by {cap:g} s)", height)
    out += [
        f'<line x1="{PAD}" y1="{PAD + plot_h}" x2="{PAD + plot_w}" y2="{PAD + plot_h}" '
        'stroke="black"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{PAD + plot_h}" stroke="black"/>',
    ]
    if within < cap:  # the frontier's bar: a median below this line mirrors "within"
        out += [
            f'<line x1="{PAD}" y1="{y_of(within):.1f}" x2="{PAD + plot_w}" y2="{y_of(within):.1f}" '
            'stroke="black" stroke-dasharray="4 4" stroke-opacity="0.5"/>',
            f'<text x="{PAD + plot_w}" y="{y_of(within) - 4:.1f}" text-anchor="end">'
            f"{within:g} s</text>",
        ]
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = PAD + plot_h * (1 - frac)
        out.append(f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{cap * frac:g}</text>')
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
    """The 2x2 (``priors.priors_grid``): one shaded cell per feature set and strategy,
    darker = faster; text: median time (mirrored/runs)."""
    strategies = list(dict.fromkeys(s for row in grid.values() for s in row))
    cell_w, cell_h, left, top = 170, 50, PAD + 100, PAD + 20
    height = top + cell_h * len(grid) + 80
    out = _head(
        f"priors: median time to mirror, game s (mirrored/runs; >{cap:g} = censored)", height
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
