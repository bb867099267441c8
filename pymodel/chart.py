"""Hand-written SVG charts of a race summary and of a Lab summary (no plotting library)."""

from __future__ import annotations

import math
from html import escape

COLOURS = {"uniform": "#9aa5b1", "relevance": "#2f80ed"}  # baseline grey, default blue
WIDTH, HEIGHT, PAD = 640, 360, 50  # canvas and margin, pixels


def frame(title: str) -> list[str]:
    """The start of a chart: the SVG element, a white background, the title and two axes."""
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{PAD}" y="20">{title}</text>',
        f'<line x1="{PAD}" y1="{PAD + plot_h}" x2="{PAD + plot_w}" y2="{PAD + plot_h}" '
        'stroke="black"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{PAD + plot_h}" stroke="black"/>',
    ]


def race_svg(summary: dict) -> str:
    """Bars: median time-to-mirror per bot and strategy; dots: each seed (censored on top)."""
    cfg = summary["config"]
    cap = cfg["max_seconds"]
    table = summary["table"]
    groups = list(table)
    strategies = list(next(iter(table.values())))
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    group_w = plot_w / len(groups)
    bar_w = group_w / (len(strategies) + 1)

    def y_of(t: float | None) -> float:
        v = cap if t is None or not math.isfinite(t) else min(t, cap)
        return PAD + plot_h * (1 - v / cap)

    out = frame(
        f"time-to-mirror, game seconds (median bar, seed dots; top = not mirrored by {cap:g} s)"
    )
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = PAD + plot_h * (1 - frac)
        out.append(f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{cap * frac:g}</text>')
    for gi, group in enumerate(groups):
        x0 = PAD + gi * group_w + bar_w / 2
        out.append(
            f'<text x="{x0 + bar_w * len(strategies) / 2:.1f}" y="{PAD + plot_h + 18}" '
            f'text-anchor="middle">{group}</text>'
        )
        for si, st in enumerate(strategies):
            cell = table[group][st]
            x = x0 + si * bar_w
            y = y_of(cell["median"])
            colour = COLOURS.get(st, "#888")
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.9:.1f}" '
                f'height="{PAD + plot_h - y:.1f}" fill="{colour}"/>'
            )
            for t in cell["times"]:
                out.append(
                    f'<circle cx="{x + bar_w * 0.45:.1f}" cy="{y_of(t):.1f}" r="3" '
                    'fill="black" fill-opacity="0.6"/>'
                )
    for si, st in enumerate(strategies):
        lx = PAD + plot_w - 120
        ly = PAD + 14 * si
        out.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{COLOURS.get(st, "#888")}"/>'
        )
        out.append(f'<text x="{lx + 14}" y="{ly}">{st}</text>')
    out.append("</svg>")
    return "\n".join(out)


PALETTE = ("#2f80ed", "#9aa5b1", "#eb5757", "#27ae60", "#f2994a", "#9b51e0")


def _colour(name: str, i: int) -> str:
    """The race's colour for a strategy name, else the i-th colour of the palette."""
    return COLOURS.get(name, PALETTE[i % len(PALETTE)])


def lab_svg(summary: dict, threshold: float = 0.9) -> str:
    """Lines: median held-out approach agreement vs game seconds per variant; bands: the
    min-max spread over seeds; a dashed line at the mirror threshold (``labreport.summarise``
    gives ``summary``)."""
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    t_max = max((max(row["curve"]["t"], default=0.0) for row in summary.values()), default=0.0)
    t_max = t_max or 1.0

    def xy(t: float, a: float) -> str:
        return f"{PAD + plot_w * t / t_max:.1f},{PAD + plot_h * (1 - a):.1f}"

    out = frame(
        "held-out approach agreement vs game seconds (median line, min-max band over seeds)"
    )
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = PAD + plot_h * (1 - frac)
        out.append(f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{frac:g}</text>')
        x = PAD + plot_w * frac
        out.append(
            f'<text x="{x:.1f}" y="{PAD + plot_h + 18}" text-anchor="middle">'
            f"{t_max * frac:.0f}</text>"
        )
    y_th = PAD + plot_h * (1 - threshold)
    out.append(
        f'<line x1="{PAD}" y1="{y_th:.1f}" x2="{PAD + plot_w}" y2="{y_th:.1f}" '
        'stroke="black" stroke-dasharray="4 4" stroke-opacity="0.5"/>'
    )
    for i, (name, row) in enumerate(summary.items()):
        c, colour = row["curve"], _colour(name, i)
        if c["t"]:
            upper = [xy(t, a) for t, a in zip(c["t"], c["hi"], strict=True)]
            lower = [xy(t, a) for t, a in zip(c["t"], c["lo"], strict=True)]
            band = " ".join(upper + lower[::-1])
            line = " ".join(xy(t, a) for t, a in zip(c["t"], c["median"], strict=True))
            out.append(f'<polygon points="{band}" fill="{colour}" fill-opacity="0.2"/>')
            out.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        lx, ly = PAD + plot_w - 140, PAD + plot_h - 14 * (len(summary) - i)
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
