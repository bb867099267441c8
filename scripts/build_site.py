"""Assemble the self-contained static site.

    python scripts/build_site.py [OUT]      (default: site/)

OUT gets public/ (page, styles, icon), app/ (ES modules, worker included), pymodel.zip (the
Python package the worker unpacks), pyodide/ (the verified runtime, see fetch_runtime.py) and
manifest.json (file sizes, so the loading screen can show real byte progress, and a build id
that busts caches). Every URL in the site is relative, so it works under any sub-path.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

from fetch_runtime import ROOT, FetchError, fetch_runtime

# Files the worker downloads while it boots, in order (relative to the site root).
BOOT_FILES = (
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.js",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide-lock.json",
)


def pack_pymodel(dest: Path) -> None:
    """Zip the pymodel package (sources only) with fixed timestamps, so builds are repeatable."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((ROOT / "pymodel").rglob("*.py")):
            info = zipfile.ZipInfo(str(path.relative_to(ROOT)), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def gzip_size(path: Path) -> int:
    """Size of a file after gzip -9, i.e. roughly what a compressing server sends."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def build(out: Path) -> dict:
    """Build the site into `out` (replacing it); return the manifest."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "public", out)
    shutil.copytree(ROOT / "app", out / "app")
    pack_pymodel(out / "pymodel.zip")
    runtime = fetch_runtime(out / "pyodide")
    numpy_name = next(p.name for p in runtime if p.name.startswith("numpy-"))
    boot = [*BOOT_FILES, f"pyodide/{numpy_name}", "pymodel.zip"]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    build_id = hashlib.sha256()
    for path in files:
        build_id.update(path.relative_to(out).as_posix().encode())
        build_id.update(path.read_bytes())
    manifest = {
        "build": build_id.hexdigest()[:12],
        "pyodide": "0.27.7",
        "numpy_wheel": numpy_name,
        "boot": {name: (out / name).stat().st_size for name in boot},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def report(out: Path) -> None:
    """Print the total size of the site and of what it ships, raw and gzip-compressed."""
    files = sorted(p for p in out.rglob("*") if p.is_file())
    raw = sum(p.stat().st_size for p in files)
    gz = sum(gzip_size(p) for p in files)
    print(
        f"site: {len(files)} files in {out}, {raw / 1e6:.2f} MB, {gz / 1e6:.2f} MB gzip-compressed"
    )
    for p in files:
        if p.stat().st_size > 100_000:
            rel = p.relative_to(out)
            print(f"  {rel}: {p.stat().st_size / 1e6:.2f} MB ({gzip_size(p) / 1e6:.2f} MB gzip)")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    try:
        build(target)
    except (FetchError, OSError) as exc:
        sys.exit(f"build_site: {exc}")
    report(target)
