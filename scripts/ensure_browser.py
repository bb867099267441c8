"""Make sure the end-to-end tests have a Chromium, getting one if it is missing.

    python scripts/ensure_browser.py [--dry-run]

In the order the tests look (scripts/harness.py): $MIRROR_PONG_CHROMIUM, `chromium` on PATH,
Playwright's own download. When none is found it tries, in turn, Playwright's own download
(`python -m playwright install chromium`, where the network allows it) and, as root on
Debian or Ubuntu, `apt-get install chromium`. If all fail it exits 1 with a message that says
exactly what to run. --dry-run prints what it would try and changes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from harness import NO_CHROMIUM, NoBrowser, find_chromium


def found() -> str | None:
    """The Chromium the tests would use, or None."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            return find_chromium(p)
        except NoBrowser as exc:
            sys.exit(f"ensure_browser: {exc}")


def attempts() -> list[list[str]]:
    """The commands that may get a Chromium here, in the order they are tried."""
    tries = [[sys.executable, "-m", "playwright", "install", "chromium"]]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        tries.append(["sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                      "apt-get install -y -qq chromium"])  # fmt: skip
    return tries


def main(argv: list[str]) -> int:
    """Find or get a Chromium; 0 when there is one, 1 with instructions when not."""
    dry = "--dry-run" in argv
    path = found()
    if path:
        print(f"ensure_browser: using {path}")
        return 0
    for cmd in attempts():
        print(f"ensure_browser: no Chromium found; trying: {' '.join(cmd)}", flush=True)
        if dry:
            continue
        done = subprocess.run(cmd, check=False)
        if done.returncode == 0 and found():
            print(f"ensure_browser: using {found()}")
            return 0
    print(f"ensure_browser: {NO_CHROMIUM}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
