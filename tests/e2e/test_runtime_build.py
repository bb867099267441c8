"""The precompiled, trimmed runtime of scripts/build_runtime.py: what it keeps is what the game
imports, its bytes are reproducible, its .pyc files are hash-based and Pyodide's own.

The import checks run Python in Pyodide under Node (scripts/runtime/run_in_pyodide.mjs), on
the built site's runtime and on Pyodide's stock one."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_runtime  # noqa: E402
import fetch_runtime  # noqa: E402

PROBE = ROOT / "scripts" / "runtime" / "probe_imports.py"
# Bytes 4-8 of a .pyc: 0b01 = hash-based, source never checked (PEP 552).
UNCHECKED_HASH = (1).to_bytes(4, "little")
# CPython 3.12's .pyc magic number (importlib.util.MAGIC_NUMBER of 3.12).
MAGIC_312 = (3531).to_bytes(2, "little") + b"\r\n"


def manifest(site_dir: Path) -> dict:
    return json.loads((site_dir / "manifest.json").read_text())


def probe(tmp_path: Path, index: Path, stdlib: Path | None) -> dict:
    """Run probe_imports.py in the runtime at `index` (numpy and the lock file from there;
    the JS and wasm from node_modules/pyodide, byte for byte the same)."""
    for name in build_runtime.CORE_UNCHANGED:
        assert (index / name).read_bytes() == (fetch_runtime.PYODIDE_DIR / name).read_bytes()
    config = {
        "indexURL": str(fetch_runtime.PYODIDE_DIR),
        "packageDir": str(index),
        "lockFileURL": str(index / "pyodide-lock.json"),
        "packages": ["numpy"],
        "mount": str(ROOT),
        "script": str(PROBE),
        "args": {"path": "/host"},
    }
    if stdlib is not None:
        config["stdLibURL"] = str(stdlib)
    cfg = tmp_path / "probe.json"
    cfg.write_text(json.dumps(config))
    done = subprocess.run(
        ["node", str(build_runtime.RUNNER), str(cfg)], capture_output=True, text=True
    )
    errors = [line[:500] for line in done.stderr.splitlines() if "Error" in line[:200]]
    assert done.returncode == 0, errors[-5:]
    return json.loads(done.stdout.strip().splitlines()[-1])["result"]


def stdlib_modules(names: list[str]) -> set[str]:
    """The names in `names` that come from the standard library zip (top level)."""
    zf = zipfile.ZipFile(fetch_runtime.PYODIDE_DIR / "python_stdlib.zip")
    tops = {n.split("/")[0].removesuffix(".py") for n in zf.namelist()}
    return {n for n in names if n.split(".")[0] in tops}


@pytest.fixture(scope="module")
def stock_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pyodide's stock runtime with the verified original numpy wheel beside it."""
    folder = tmp_path_factory.mktemp("stock")
    for name in fetch_runtime.CORE_FILES:
        (folder / name).symlink_to(fetch_runtime.PYODIDE_DIR / name)
    wheel = fetch_runtime.numpy_wheel()
    (folder / wheel.name).symlink_to(wheel)
    (folder / "package.json").symlink_to(fetch_runtime.PYODIDE_DIR / "package.json")
    return folder


def test_the_game_runs_on_the_trimmed_runtime_and_needs_nothing_it_dropped(
    site_dir: Path, stock_index: Path, tmp_path: Path
) -> None:
    """Every pymodel module imports and a session plays in the built runtime; what the same
    run imports from the stock runtime is all kept, and nothing on the drop list is used."""
    m = manifest(site_dir)
    index = site_dir / m["runtime"]
    built = probe(tmp_path, index, index / m["stdlib"])
    assert built["failed"] == {}, "\n".join(built["failed"].values())
    stock = probe(tmp_path, stock_index, None)
    assert stock["failed"] == {}
    used = stdlib_modules(stock["modules"])
    dropped = {
        n
        for n in used
        if not build_runtime.stdlib_keeps(n.replace(".", "/") + ".py")
        and not build_runtime.stdlib_keeps(n.replace(".", "/") + "/__init__.py")
    }
    assert dropped == set(), f"the game imports modules the trimmed runtime drops: {dropped}"
    numpy_used = {n for n in stock["modules"] if n.startswith("numpy.")}
    for d in build_runtime.NUMPY_DROP_PREFIXES:
        package = d.rstrip("/.").replace("/", ".")
        assert not any(n == package or n.startswith(package + ".") for n in numpy_used), d


def test_kept_modules_named_in_the_brief_are_kept() -> None:
    for name in (
        "email/__init__.py",
        "csv.py",
        "calendar.py",
        "base64.py",
        "tarfile.py",
        "importlib/metadata/__init__.py",
        "encodings/utf_8.py",
    ):
        assert build_runtime.stdlib_keeps(name), name
    for name in ("unittest/__init__.py", "pydoc.py", "xml/dom/minidom.py", "encodings/cp1252.py"):
        assert not build_runtime.stdlib_keeps(name), name


def test_pyc_files_are_pyodides_own_and_unchecked(site_dir: Path) -> None:
    m = manifest(site_dir)
    index = site_dir / m["runtime"]
    for path, kind in (
        (index / m["stdlib"], "stdlib"),
        (index / m["numpy_wheel"], "numpy"),
        (site_dir / "pymodel.zip", "pymodel"),
    ):
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            pycs = [n for n in names if n.endswith(".pyc")]
            assert pycs, kind
            for name in pycs:
                head = zf.read(name)[:8]
                assert head[:4] == MAGIC_312 and head[4:8] == UNCHECKED_HASH, (kind, name)
            if kind == "pymodel":
                assert "pymodel/worker/game_session.py" in names  # tracebacks show its lines
                assert "pymodel/worker/__pycache__/game_session.cpython-312.pyc" in names
            else:
                sources = [n for n in names if n.endswith(".py")]
                assert sources == [], (kind, sources[:5])
            infos = zf.infolist()
            assert [i.filename for i in infos] == sorted(i.filename for i in infos)
            assert {i.date_time for i in infos} == {build_runtime.ZIP_DATE}


def test_two_builds_give_identical_bytes(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh compile (no cache) gives the bytes of the built site."""
    monkeypatch.setattr(build_runtime, "WORK", tmp_path / "work")
    fresh = build_runtime.build_runtime()
    m = manifest(site_dir)
    index = site_dir / m["runtime"]
    for name, data in fresh["runtime"].items():
        shipped = m["stdlib"] if name == "python_stdlib.zip" else name
        assert (index / shipped).read_bytes() == data, name
    assert (site_dir / "pymodel.zip").read_bytes() == fresh["pymodel.zip"]
    renamed = {
        (m["stdlib"] if k == "python_stdlib.zip" else k): v for k, v in fresh["runtime"].items()
    }
    assert m["runtime"] == f"pyodide/{build_runtime.runtime_id(renamed)}/"
