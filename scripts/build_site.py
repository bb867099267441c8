"""Assemble the self-contained static site.

    python scripts/build_site.py [OUT]      (default: site/)

OUT gets public/ (page, styles, icons, web app manifest), app/ (ES modules, worker included),
pymodel.zip (the Python package the worker unpacks, with its .pyc files), pyodide/RID/ (the
precompiled, trimmed runtime of build_runtime.py, in a folder named by its content hash),
manifest.json (file sizes, so the loading screen can show real byte progress, the runtime
folder, and a build id that busts caches) and sw.js (the service worker, public/sw.js with
the build id and the files it keeps). Every URL in the site is relative, so it works under
any sub-path.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path

from build_runtime import build_runtime, pymodel_sources, runtime_id, zip_bytes
from fetch_runtime import ROOT, FetchError, fetch_runtime
from make_icons import write_icons

# The precompiled standard library's name in the runtime folder (loadPyodide's stdLibURL).
STDLIB = "python_stdlib_pyc.zip"
# Runtime files the worker downloads while it boots, in order (in the runtime folder).
RUNTIME_BOOT = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    STDLIB,
    "pyodide-lock.json",
)
# Written last, from everything else: they carry the build id.
GENERATED = ("manifest.json", "sw.js")


def gzip_size(path: Path) -> int:
    """Size of a file after gzip -9, i.e. roughly what a compressing server sends."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def stock_runtime(src: Path = ROOT) -> dict:
    """What the site shipped before issue 13, for the boot benchmark's comparison (scripts/
    bench/boot.py): Pyodide's own files and wheel (verified), pymodel.zip as sources only, and
    no service worker."""
    files = {p.name: p.read_bytes() for p in fetch_runtime(ROOT / "build" / "stock-runtime")}
    sources = pymodel_sources(src)
    return {"runtime": files, "pymodel.zip": zip_bytes(sources)}


def build(out: Path, stock: bool = False, src: Path = ROOT) -> dict:
    """Build the site into `out` (replacing it); return the manifest. `stock`: the runtime as
    Pyodide ships it and no service worker (the 'before' of `bench --boot-only`). `src`: the
    tree whose public/, app/ and pymodel/ are built (another commit's, for the benchmark's
    'before'); the runtime's inputs (node_modules, .cache) are always this checkout's."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src / "public", out)
    shutil.copytree(src / "app", out / "app")
    write_icons(out)  # the PNG icons of manifest.webmanifest
    built = stock_runtime(src) if stock else build_runtime(src)
    stdlib = "python_stdlib.zip" if stock else STDLIB
    runtime = {stdlib if k == "python_stdlib.zip" else k: v for k, v in built["runtime"].items()}
    # The runtime lives in a folder named by its content hash: its files never change under
    # one URL, so any cache may keep them forever, and a new runtime is a new folder.
    folder = f"pyodide/{runtime_id(runtime)}/"
    (out / folder).mkdir(parents=True)
    for name, data in sorted(runtime.items()):
        (out / folder / name).write_bytes(data)
    (out / "pymodel.zip").write_bytes(built["pymodel.zip"])
    numpy_name = next(n for n in runtime if n.startswith("numpy-"))
    manifest = finish(out, folder, numpy_name, stdlib, src / "public" / "sw.js")
    if stock:
        (out / "sw.js").unlink()
    return manifest


def finish(
    out: Path, folder: str, numpy_name: str, stdlib: str = STDLIB, sw_path: Path | None = None
) -> dict:
    """Write manifest.json and sw.js (from `sw_path`, public/sw.js by default) for the files in
    `out`: the build id is a hash of every other file, so any change to the site makes a new
    id (and a new service worker)."""
    for name in GENERATED:
        (out / name).unlink(missing_ok=True)
    names = [stdlib if n == STDLIB else n for n in RUNTIME_BOOT]
    boot = [*(folder + n for n in names), folder + numpy_name, "pymodel.zip"]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    sw = (sw_path or ROOT / "public" / "sw.js").read_text()
    build_id = hashlib.sha256(sw.encode())  # the service worker's code is part of a build
    for path in files:
        build_id.update(path.relative_to(out).as_posix().encode())
        build_id.update(path.read_bytes())
    build = build_id.hexdigest()[:12]
    rel = [p.relative_to(out).as_posix() for p in files]
    manifest = {
        "build": build,
        "pyodide": "0.27.7",
        "runtime": folder,
        "stdlib": stdlib,
        "numpy_wheel": numpy_name,
        "boot": {name: (out / name).stat().st_size for name in boot},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    # What the service worker keeps: the app shell (everything but the boot files, the
    # screenshot and the worker itself), fetched at install, and the boot files, kept as the
    # game downloads them (fetched at install too when it is an update).
    boot_urls = [b for b in boot if b.startswith(folder)] + [f"pymodel.zip?v={build}"]
    shell = ["./", "manifest.json"] + [
        r for r in rel if r not in boot and r not in ("screenshot.png", "sw.js")
    ]
    marker = "/* BUILD-CONSTANTS */"
    if marker not in sw:
        raise FetchError(f"public/sw.js lacks the line {marker}")
    constants = (
        f"const BUILD = {json.dumps(build)};\n"
        f"const RUNTIME = {json.dumps(folder)};\n"
        f"const SHELL = {json.dumps(sorted(set(shell)))};\n"
        f"const BOOT_FILES = {json.dumps(boot_urls)};"
    )
    (out / "sw.js").write_text(sw.replace(marker, constants, 1))
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
    args = [a for a in sys.argv[1:] if a != "--stock"]
    target = Path(args[0]) if args else ROOT / "site"
    try:
        build(target, stock="--stock" in sys.argv)
    except (FetchError, OSError) as exc:
        sys.exit(f"build_site: {exc}")
    report(target)
