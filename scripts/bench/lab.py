"""The Lab's speed: a bot's recording replayed in the Lab's own worker, one variant and seed
(goal: at least 20x real time), and the same replay in CPython; and the race (time to
mirror), `python -m pymodel race` run as a child in the tree being measured."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from harness import page_js

from .common import close_checked, new_game


def bench_lab(browser, url: str, seconds: float) -> dict:
    """The Lab's worker on a tracker bot's recording of `seconds`: one variant, one seed, in
    the browser; and the same replay in CPython here, for the ratio."""
    from pymodel.formats import sessionfile
    from pymodel.lab.engine import replay
    from pymodel.lab.variants import Variant
    from pymodel.sim.recording import record_bot

    text = sessionfile.to_json(record_bot("tracker", 0, seconds))
    context, page = new_game(browser, url)
    r = page.evaluate(page_js("lab_speed"), [text, "relevance"])
    close_checked(context, page)
    rec, _ = sessionfile.from_json(text)
    start = time.perf_counter()
    replay(rec, [Variant("relevance", "relevance")], [0])
    cpython_s = time.perf_counter() - start
    replay_s = r["replay_ms"] / 1000
    return {
        "seconds": r["seconds"],
        "lab_boot_and_load_s": r["boot_and_load_ms"] / 1000,
        "lab_replay_s": replay_s,
        "lab_speedup": r["seconds"] / replay_s,
        "lab_cpython_s": cpython_s,
    }


def bench_race(quick: bool, tree: Path) -> dict:
    """The race table of `python -m pymodel race` with the pymodel of `tree`."""
    cmd = [sys.executable, "-m", "pymodel", "race"] + (["--quick"] if quick else [])
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {tree}:\n{done.stderr}")
    return {
        "command": " ".join(cmd[1:]),
        "table": done.stdout.rstrip(),
        "wall_s": time.perf_counter() - start,
    }
