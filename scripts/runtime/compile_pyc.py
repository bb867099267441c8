"""Compile .py files to .pyc inside Pyodide (so the bytecode is Pyodide's own CPython 3.12).

Run by scripts/runtime/run_in_pyodide.mjs for scripts/build_runtime.py, with `args` a list of
jobs: {"src": folder under /host, "dst": folder under /host, "co_prefix": the path the code
objects name (what tracebacks show), "optimize": 0-2, "layout": "sourceless" (x.py ->
x.pyc beside it, as zipimport and a sourceless package want) or "pycache"
(__pycache__/x.cpython-312.pyc, used next to the shipped source), "optimize_for": {relative
path: level} for files that need another level than the job's}. Every .pyc is
unchecked-hash based (PEP 552): no mtime inside, so the same source gives the same bytes,
and the importer never compares it with a source file. Sets `result` to the files written
and the files that did not compile.
"""

import os
import sys
from importlib._bootstrap_external import _code_to_hash_pyc
from importlib.util import cache_from_source, source_hash

written, failed = 0, []
for job in args:  # noqa: F821 - set by run_in_pyodide.mjs
    for folder, dirs, files in os.walk(job["src"]):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, job["src"])
            with open(path, "rb") as f:
                source = f.read()
            try:
                code = compile(
                    source,
                    f"{job['co_prefix']}/{rel}",
                    "exec",
                    dont_inherit=True,
                    optimize=job.get("optimize_for", {}).get(rel, job["optimize"]),
                )
            except SyntaxError as exc:
                failed.append(f"{rel}: {exc}")
                continue
            data = _code_to_hash_pyc(code, source_hash(source), checked=False)
            if job["layout"] == "sourceless":
                out = os.path.join(job["dst"], rel[:-3] + ".pyc")
            else:
                out = os.path.join(job["dst"], cache_from_source(rel))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as f:
                f.write(bytes(data))
            written += 1

result = {"written": written, "failed": failed, "version": list(sys.version_info[:2])}
