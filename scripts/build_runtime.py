"""Build the precompiled, trimmed Python runtime the site ships (issue 13).

    python scripts/build_runtime.py OUT_DIR     (build_site.py calls build_runtime())

Starts from the verified inputs of fetch_runtime.py (Pyodide core from npm, the numpy wheel
checked against Pyodide's lock file; those hashes are checked first, every build) and makes:

- python_stdlib.zip: the standard library trimmed by STDLIB_DROP / ENCODINGS_KEEP below
  (the one list of what goes), every module as an unchecked-hash .pyc compiled with
  optimize=2 by Pyodide's own CPython 3.12 (run under Node), no .py source. The worker
  passes it to loadPyodide as `stdLibURL`: nothing is compiled at boot.
- numpy-....whl: the numpy wheel without what the game never loads (NUMPY_DROP), its .py
  files replaced by .pyc (optimize=2), RECORD rewritten; same file name.
- pyodide-lock.json: Pyodide's lock file with only the numpy entry, carrying the repacked
  wheel's sha256 (Pyodide checks it when it loads the wheel).
- pymodel.zip: the pymodel sources plus __pycache__/*.cpython-312.pyc (unchecked-hash,
  optimize=0 so asserts stay), so importing pymodel compiles nothing and tracebacks still
  show the source line.
- pyodide.mjs, pyodide.asm.js, pyodide.asm.wasm: unchanged.

Tracebacks name the file and line: code objects keep the path they would have had from
source (/lib/python312.zip/json/decoder.py, /lib/python3.12/site-packages/numpy/...py,
/home/pyodide/pymodel/sim/game.py); line numbers live in the bytecode.

Reproducible: the same inputs give the same bytes (sorted zip entries, fixed timestamps and
permissions, hash-based .pyc files without mtimes). The compiled output is cached in
build/runtime/<hash of every input>/ (the two most recent), so an unchanged runtime is not
recompiled.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from fetch_runtime import PYODIDE_DIR, ROOT, FetchError, check_core, lock_entry, numpy_wheel

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "runtime" / "run_in_pyodide.mjs"
COMPILER = HERE / "runtime" / "compile_pyc.py"
WORK = ROOT / "build" / "runtime"
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
CORE_UNCHANGED = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")
# Compiled runtimes kept in WORK: this checkout's and the benchmark's 'before' (another
# commit's pymodel) do not evict each other.
CACHE_KEEP = 2

# ---- what the runtime keeps: the one place to change it ------------------------------------
# Top-level standard library modules and packages that go. The game (pymodel, numpy,
# Pyodide's own loader) never imports them; tests/e2e/test_runtime_build.py imports every pymodel
# module and plays a session in the built runtime to check. Kept on purpose although the
# game may not import them: email, csv, calendar, base64, tarfile, importlib.metadata
# (loadPackage needs them), asyncio, concurrent, logging (Pyodide's event loop), ctypes
# (numpy), html (pymodel.lab.charts).
STDLIB_DROP = frozenset(
    """
    unittest doctest pydoc pdb bdb http xml xmlrpc wsgiref multiprocessing argparse optparse
    getopt difflib pickletools _pyio _pydatetime profile cProfile pstats trace tracemalloc
    timeit cgi cgitb smtplib imaplib poplib nntplib ftplib telnetlib mailbox mailcap
    socketserver webbrowser aifc sunau wave chunk sndhdr imghdr xdrlib audioop pipes crypt
    tty pty getpass netrc plistlib zipapp compileall py_compile pyclbr tabnanny modulefinder
    symtable filecmp fileinput cmd code codeop rlcompleter sched shelve dbm tomllib zoneinfo
    turtle idlelib lib2to3 tkinter ensurepip venv sqlite3 __phello__ __hello__ antigravity
    this _pylong
    """.split()
)
# Submodules that go (paths in the zip) although their package stays.
STDLIB_DROP_PATHS = (
    "urllib/request.py",
    "urllib/response.py",
    "urllib/robotparser.py",
    "asyncio/windows_events.py",
    "asyncio/windows_utils.py",
    "asyncio/proactor_events.py",
    "concurrent/futures/process.py",
    "ctypes/macholib/",
    "ctypes/_aix.py",
    "ctypes/wintypes.py",
    "logging/config.py",
    "logging/handlers.py",
)
# Codecs kept from `encodings` (the rest are legacy code pages nobody here decodes).
ENCODINGS_KEEP = frozenset(
    """
    __init__ aliases ascii latin_1 utf_8 utf_8_sig utf_16 utf_16_be utf_16_le utf_32
    utf_32_be utf_32_le charmap cp437 raw_unicode_escape unicode_escape idna punycode
    base64_codec hex_codec zlib_codec
    """.split()
)
# Parts of the numpy wheel that go (path prefixes): numpy subpackages the game never imports
# (tests are already out of Pyodide's wheel), and file types that are only for building
# against numpy or type checking. numpy.ma stays: np.median imports it when first called.
# numpy's modules are compiled with optimize=2 (no docstrings) except these, which hand
# docstrings to C functions at import (add_docstring refuses None).
NUMPY_KEEP_DOCSTRINGS = {"numpy/_core/multiarray.py": 1}
NUMPY_DROP_PREFIXES = (
    "numpy/fft/",
    "numpy/polynomial/",
    "numpy/testing/",
    "numpy/f2py/",
    "numpy/_pyinstaller/",
    "numpy/doc/",
    "numpy/typing/",
    "numpy/_core/include/",
    "numpy/_core/lib/",
    "numpy/random/lib/",
    "numpy/random/_examples/",
    # extension modules nothing imports (numpy's own test helpers, and lapack_lite, which
    # numpy.linalg does not use): Pyodide would compile each at every load.
    "numpy/_core/_operand_flag_tests.",
    "numpy/_core/_rational_tests.",
    "numpy/_core/_simd.",
    "numpy/_core/_struct_ufunc_tests.",
    "numpy/_core/_umath_tests.",
    "numpy/linalg/lapack_lite.",
)
NUMPY_DROP_SUFFIXES = (
    ".pyi",
    ".h",
    ".a",
    ".pxd",
    ".pyx",
    ".c",
    ".template",
    ".build",
    ".pc",
    ".ini",
    ".md",
    ".rst",
    ".cfg",
    "py.typed",
)


def stdlib_keeps(name: str) -> bool:
    """Whether the trimmed standard library keeps the zip entry `name`."""
    top = name.split("/", 1)[0]
    if top.endswith(".py"):
        top = top[:-3]
    if top in STDLIB_DROP or name.startswith(STDLIB_DROP_PATHS):
        return False
    if top == "encodings" and name.endswith(".py"):
        return name.split("/")[-1][:-3] in ENCODINGS_KEEP
    return True


def numpy_keeps(name: str) -> bool:
    """Whether the repacked numpy wheel keeps the entry `name` (dist-info always stays)."""
    if ".dist-info/" in name:
        return True
    if any(name.startswith(d) for d in NUMPY_DROP_PREFIXES):
        return False
    return not name.endswith(NUMPY_DROP_SUFFIXES)


# ---- building -----------------------------------------------------------------------------
def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_zip(dest: Path, entries: dict[str, bytes]) -> None:
    """A zip of `entries` (name -> bytes), sorted, with fixed dates and modes: same bytes
    every time."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, entries[name], compresslevel=9)


def read_zip(path: Path) -> dict[str, bytes]:
    """Every file entry of a zip (folders left out)."""
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def pymodel_sources(src: Path = ROOT) -> dict[str, bytes]:
    """pymodel's .py files in the tree `src`, by their path in the zip (pymodel/...)."""
    return {
        path.relative_to(src).as_posix(): path.read_bytes()
        for path in sorted((src / "pymodel").rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def run_in_pyodide(config: dict, work: Path) -> object:
    """Run a Python file in the stock Pyodide under Node (see run_in_pyodide.mjs)."""
    node = shutil.which("node")
    if node is None:
        raise FetchError("node is needed to compile the runtime (Node.js 18+)")
    cfg = work / "run.json"
    cfg.write_text(json.dumps(config))
    done = subprocess.run([node, str(RUNNER), str(cfg)], capture_output=True, text=True)
    if done.returncode != 0:
        raise FetchError(f"Pyodide under Node failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["result"]


def compile_all(
    stdlib: dict[str, bytes], numpy: dict[str, bytes], pymodel: dict[str, bytes], work: Path
) -> dict[str, dict[str, bytes]]:
    """Compile the .py files of the three sets with Pyodide's CPython; return the .pyc
    files of each, by the name they take in their zip."""
    if work.exists():
        shutil.rmtree(work)
    sets = {
        "stdlib": (stdlib, "", "/lib/python312.zip", 2, "sourceless"),
        "numpy": (numpy, "", "/lib/python3.12/site-packages", 2, "sourceless"),
        "pymodel": (pymodel, "", "/home/pyodide", 0, "pycache"),
    }
    jobs = []
    for key, (files, _, prefix, optimize, layout) in sets.items():
        for name, data in files.items():
            if name.endswith(".py"):
                path = work / "src" / key / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        (work / "out" / key).mkdir(parents=True)
        jobs.append(
            {
                "src": f"/host/src/{key}",
                "dst": f"/host/out/{key}",
                "co_prefix": prefix,
                "optimize": optimize,
                "layout": layout,
                "optimize_for": NUMPY_KEEP_DOCSTRINGS if key == "numpy" else {},
            }
        )
    result = run_in_pyodide(
        {
            "indexURL": str(PYODIDE_DIR),
            "mount": str(work),
            "script": str(COMPILER),
            "args": jobs,
        },
        work,
    )
    if result["version"] != [3, 12]:
        raise FetchError(f"Pyodide's Python is {result['version']}, expected 3.12")
    if result["failed"]:
        raise FetchError(f"could not compile: {result['failed']}")
    out = {}
    for key in sets:
        root = work / "out" / key
        out[key] = {
            p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.pyc"))
        }
    shutil.rmtree(work / "src")
    return out


def repack_record(entries: dict[str, bytes]) -> dict[str, bytes]:
    """The wheel's RECORD rewritten for its new contents (sha256 and size of each file)."""
    record = next(n for n in entries if n.endswith(".dist-info/RECORD"))
    lines = []
    for name in sorted(entries):
        if name == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(entries[name]).digest()).rstrip(b"=")
        lines.append(f"{name},sha256={digest.decode()},{len(entries[name])}")
    lines.append(f"{record},,")
    return {**entries, record: ("\n".join(lines) + "\n").encode()}


def inputs_key(*parts: bytes) -> str:
    """A hash of everything the runtime is made from (cache key of build/runtime/)."""
    digest = hashlib.sha256()
    for part in (*parts, RUNNER.read_bytes(), COMPILER.read_bytes(), Path(__file__).read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def prune_cache(keep: int) -> None:
    """Leave the `keep` most recently built entries of the compile cache, and nothing else."""
    if not WORK.exists():
        return
    entries = sorted(
        (p for p in WORK.iterdir() if (p / "done").is_file()),
        key=lambda p: (p / "done").stat().st_mtime,
        reverse=True,
    )
    for path in [p for p in WORK.iterdir() if p not in entries[:keep]]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def build_runtime(src: Path = ROOT) -> dict:
    """The runtime files and pymodel.zip (of the tree `src`): {"runtime": {file name: bytes},
    "pymodel.zip": bytes}; the caller places them."""
    check_core()
    wheel = numpy_wheel()  # verified against Pyodide's own lock file first
    entry = lock_entry("numpy")
    stdlib_zip = (PYODIDE_DIR / "python_stdlib.zip").read_bytes()
    stdlib = read_zip(PYODIDE_DIR / "python_stdlib.zip")
    stdlib = {n: d for n, d in stdlib.items() if stdlib_keeps(n)}
    numpy = {n: d for n, d in read_zip(wheel).items() if numpy_keeps(n)}
    pymodel = pymodel_sources(src)
    pymodel_blob = b"".join(n.encode() + b"\0" + d for n, d in sorted(pymodel.items()))
    key = inputs_key(stdlib_zip, wheel.read_bytes(), pymodel_blob)
    cache = WORK / key
    if not (cache / "done").is_file():
        prune_cache(keep=CACHE_KEEP - 1)
        compiled = compile_all(stdlib, numpy, pymodel, WORK / "compile")
        cache.mkdir(parents=True)
        for name, files in compiled.items():
            write_zip(cache / f"{name}.pyc.zip", files)
        shutil.rmtree(WORK / "compile")
        (cache / "done").write_text("ok\n")
    compiled = {k: read_zip(cache / f"{k}.pyc.zip") for k in ("stdlib", "numpy", "pymodel")}

    files: dict[str, bytes] = {}
    new_stdlib = {n: d for n, d in stdlib.items() if not n.endswith(".py")}
    new_stdlib.update(compiled["stdlib"])
    files["python_stdlib.zip"] = zip_bytes(new_stdlib)
    new_numpy = {n: d for n, d in numpy.items() if not n.endswith(".py")}
    new_numpy.update(compiled["numpy"])
    files[entry["file_name"]] = zip_bytes(repack_record(new_numpy))
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    numpy_entry = {**entry, "sha256": sha256_bytes(files[entry["file_name"]])}
    lock["packages"] = {"numpy": numpy_entry}
    files["pyodide-lock.json"] = (json.dumps(lock, indent=1, sort_keys=True) + "\n").encode()
    for name in CORE_UNCHANGED:
        files[name] = (PYODIDE_DIR / name).read_bytes()
    pymodel_zip = zip_bytes({**pymodel, **compiled["pymodel"]})
    return {"runtime": files, "pymodel.zip": pymodel_zip}


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """write_zip into memory."""
    tmp = WORK / "tmp.zip"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    write_zip(tmp, entries)
    data = tmp.read_bytes()
    tmp.unlink()
    return data


def runtime_id(files: dict[str, bytes]) -> str:
    """The runtime's version: a hash of its files (it names the folder they are served from)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:12]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    target = Path(sys.argv[1])
    built = build_runtime()
    target.mkdir(parents=True, exist_ok=True)
    for name, data in built["runtime"].items():
        (target / name).write_bytes(data)
    (target / "pymodel.zip").write_bytes(built["pymodel.zip"])
    print(f"runtime {runtime_id(built['runtime'])} in {target}")
