"""The sites a run compares. 'after' is site/ (what `make site` built from this checkout);
'before' is another commit (by default where this branch left main) built apart into
build/bench-before/ with this checkout's build_site.py, so both are served and measured side
by side in one run. `--boot-only` compares site/ with the stock runtime instead."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT, SITE

BEFORE_DIR = ROOT / "build" / "bench-before"
TREE_PARTS = ("app", "public", "pymodel")  # what a site is built from
# What the race runs: pymodel below the worker, and the command line.
RACE_CODE = ("sim", "learn", "formats", "lab", "__init__.py", "__main__.py")


@dataclass(frozen=True)
class Site:
    """A built site to measure: its label in the tables, its folder, and the source tree its
    pymodel comes from (for the race)."""

    label: str
    path: Path
    tree: Path
    note: str


def git(*args: str) -> str:
    """Run git in this checkout and return its output (stripped)."""
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode().strip()}")
    return done.stdout.decode().strip()


def default_before() -> str:
    """Where this branch left main (their merge base): the code as it was before."""
    return git("merge-base", "HEAD", "main")


def before_site(ref: str) -> Site:
    """The site of commit `ref`, built into build/bench-before/site from its app/, public/ and
    pymodel/ (extracted with git archive into build/bench-before/tree)."""
    from build_site import build

    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    tree, out = BEFORE_DIR / "tree", BEFORE_DIR / "site"
    data = subprocess.run(
        ["git", "archive", "--format=tar", commit, *TREE_PARTS],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(tree, filter="data")
    build(out, src=tree)
    subject = git("log", "-1", "--format=%h %s", commit)[:70]
    return Site("before", out, tree, f"before: {subject}")


def after_site() -> Site:
    """site/, built from this checkout."""
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", *TREE_PARTS) else ""
    return Site("after", SITE, ROOT, f"after: {git('log', '-1', '--format=%h %s')[:70]}{dirty}")


def race_code(tree: Path) -> dict[str, bytes]:
    """The files the race runs in `tree`, by path (two trees with the same race the same)."""
    root = tree / "pymodel"
    files = [root / part for part in RACE_CODE]
    paths = [p for f in files for p in ([f] if f.is_file() else sorted(f.rglob("*.py")))]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}
