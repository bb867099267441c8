"""Serve the built site on 127.0.0.1, the way a static host such as GitHub Pages would.

    python scripts/serve.py [SITE] [--port 8000] [--prefix /REPO/]

- Correct types for .wasm and .mjs (Pyodide streams the wasm, which needs application/wasm).
- gzip for compressible files when the browser accepts it, like Pages does, so transfer sizes
  measured against this server are realistic.
- `--prefix /mirror-pong/` serves the site under a sub-path (as https://USER.github.io/REPO/)
  and answers 404 outside it: the check that every URL in the app is relative.
- `--port 0` picks a free port; the address is printed on the first line either way.
- `make_server(..., headers={...})` adds headers to every response (a test serves the page's
  Content-Security-Policy as a header too, as a host that can send one would).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import sys
import threading
from pathlib import Path

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
}
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".wasm", ".map", ".webmanifest"}


class CountingWriter:
    """The response stream, counting the bytes sent into the server's `bytes_sent`."""

    def __init__(self, raw, server) -> None:
        self.raw, self.server = raw, server

    def write(self, data: bytes) -> int:
        with self.server.count_lock:
            self.server.bytes_sent += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under an optional prefix, gzip-compressed where that helps."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    _gz_cache: dict[tuple[str, float], bytes] = {}

    def __init__(
        self, *args: object, prefix: str = "/", headers: dict | None = None, **kwargs: object
    ) -> None:
        # Per server, not per class: two servers with different prefixes in one process
        # (the tests run several) must not see each other's.
        self.prefix = prefix
        self.extra_headers = headers or {}
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """Count what is sent (headers and bodies): bench.py's bytes on the wire."""
        super().setup()
        self.wfile = CountingWriter(self.wfile, self.server)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet unless asked: the game fetches many files."""
        if os.environ.get("SERVE_LOG"):
            super().log_message(format, *args)

    def translate_path(self, path: str) -> str:
        """Map a URL under the prefix to the site folder; anything else to a missing file."""
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_prefix__" / "missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def end_headers(self) -> None:
        """The runtime never changes within a version; the app revalidates every load."""
        if "/pyodide/" in self.path:
            self.send_header("Cache-Control", "public, max-age=86400")
        else:
            self.send_header("Cache-Control", "no-cache")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        """Serve a file, gzip-compressed when the client accepts it and the type benefits."""
        local = Path(self.translate_path(self.path.split("?", 1)[0]))
        if (
            local.is_file()
            and local.suffix in COMPRESSIBLE
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            key = (str(local), local.stat().st_mtime)
            body = self._gz_cache.get(key)
            if body is None:
                body = gzip.compress(local.read_bytes(), compresslevel=6, mtime=0)
                self._gz_cache[key] = body
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(local)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", self.date_time_string(local.stat().st_mtime))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def make_server(
    site: Path, port: int, prefix: str = "/", headers: dict | None = None
) -> http.server.ThreadingHTTPServer:
    """A threading HTTP server for `site` on 127.0.0.1:`port` under `prefix`, adding
    `headers` to every response."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
    handler = functools.partial(SiteHandler, directory=str(site), prefix=prefix, headers=headers)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.bytes_sent = 0  # what every response sent, headers included (CountingWriter)
    server.count_lock = threading.Lock()
    return server


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--prefix", default="/")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").is_file():
        sys.exit(f"serve: {site}/index.html not found; build the site first (make site)")
    try:
        server = make_server(site, args.port, args.prefix)
    except OSError as exc:
        sys.exit(f"serve: cannot listen on 127.0.0.1:{args.port} ({exc}); try PORT=8001")
    host, port = server.server_address[:2]
    print(f"Mirror Pong is at http://{host}:{port}{args.prefix}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
