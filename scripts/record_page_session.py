"""Record a session through the real page, as a person's would be: a scripted human-like
player (it reacts ``--lag`` seconds late and holds each key at least ``--hold`` seconds,
``harness.play_late``) plays the built site in headless Chromium for ``--seconds`` of real
time, then the page's own ``export_session`` writes the session file (v1) to ``--out``. The
Lab and its CLI replay it (``python -m pymodel lab OUT.json --preset compute``).

    .venv/bin/python scripts/record_page_session.py --seconds 300 --seed 7 -o page-session.json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness import SITE, launch, open_game, play_late, request, serve


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=300.0, help="real seconds of play (300)")
    ap.add_argument("--seed", type=int, default=7, help="the page's ?seed= (7)")
    ap.add_argument("--lag", type=float, default=0.25, help="reaction lag, seconds (0.25)")
    ap.add_argument("--hold", type=float, default=0.15, help="shortest key press, s (0.15)")
    ap.add_argument("--offset", type=float, default=0.3, help="where it meets the ball (0.3)")
    ap.add_argument("-o", "--out", required=True, metavar="OUT.json")
    args = ap.parse_args()
    if not (SITE / "index.html").is_file():
        sys.exit("record_page_session: site/ is not built; run `make site`")
    from playwright.sync_api import sync_playwright

    server = serve(SITE)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            open_game(page, f"{server.url}?seed={args.seed}")
            request(page, "pause", {"paused": False})
            page.locator("#court-canvas").focus()
            play_late(page, args.seconds, args.lag, args.hold, args.offset)
            session = request(page, "export_session")
            browser.close()
    finally:
        server.close()
    Path(args.out).write_text(session["text"], encoding="utf-8")
    print(f"{args.out}: {session['frames']} frames, {session['seconds']:.0f} game seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
