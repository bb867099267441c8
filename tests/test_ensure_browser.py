"""`make test` on a machine without a browser: it tries to get one, or says what to run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_without_a_chromium_it_tries_to_get_one_and_then_says_what_to_run(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}
    env.pop("MIRROR_PONG_CHROMIUM", None)
    done = subprocess.run(
        [sys.executable, "scripts/ensure_browser.py", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "trying:" in done.stdout and "playwright install chromium" in done.stdout
    assert "apt-get install chromium" in done.stderr and "MIRROR_PONG_CHROMIUM" in done.stderr


def test_an_explicit_browser_that_does_not_exist_is_named(tmp_path):
    env = {**os.environ, "MIRROR_PONG_CHROMIUM": str(tmp_path / "nope")}
    done = subprocess.run(
        [sys.executable, "scripts/ensure_browser.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "does not exist" in done.stderr
