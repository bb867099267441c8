"""PNG icons for the web app manifest, drawn from code at build time (no image tools needed).

    python scripts/make_icons.py OUT_DIR     (build_site.py calls write_icons())

The same picture as public/icon.svg, simplified: the dark court, the dashed centre line, your
paddle (cyan, left), the clone's (magenta, right) and the ball. Same bytes every build.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZES = (192, 512)
BACKGROUND = (7, 11, 22)
LINE = (59, 74, 120)
YOU = (79, 240, 255)
CLONE = (255, 92, 207)
BALL = (240, 244, 255)


def png(width: int, height: int, pixels: list[bytearray]) -> bytes:
    """An RGB PNG of `pixels` (rows of 3 bytes a pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + bytes(row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def draw(size: int) -> bytes:
    """The icon at `size` x `size` pixels (the picture is laid out on a 64-unit grid)."""
    u = size / 64
    rows = [bytearray(BACKGROUND * size) for _ in range(size)]

    def rect(x0: float, y0: float, x1: float, y1: float, color: tuple[int, int, int]) -> None:
        for y in range(max(0, round(y0 * u)), min(size, round(y1 * u))):
            for x in range(max(0, round(x0 * u)), min(size, round(x1 * u))):
                rows[y][3 * x : 3 * x + 3] = bytes(color)

    for y in range(8, 58, 12):
        rect(31, y, 33, y + 6, LINE)
    rect(11.5, 17.5, 17, 32, YOU)
    rect(47, 31.5, 52.5, 46, CLONE)
    cx, cy, r = 38 * u, 22 * u, 3.2 * u
    for y in range(int(cy - r), int(cy + r) + 1):
        for x in range(int(cx - r), int(cx + r) + 1):
            if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                rows[y][3 * x : 3 * x + 3] = bytes(BALL)
    return png(size, size, rows)


def write_icons(out: Path) -> list[Path]:
    """Write icon-192.png and icon-512.png into `out`; return their paths."""
    paths = []
    for size in SIZES:
        path = out / f"icon-{size}.png"
        path.write_bytes(draw(size))
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for p in write_icons(Path(sys.argv[1])):
        print(p)
