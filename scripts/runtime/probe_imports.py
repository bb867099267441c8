"""What the game imports, run inside a built runtime (Pyodide under Node).

Run by scripts/runtime/run_in_pyodide.mjs (tests/e2e/test_runtime_build.py, and by hand): with
numpy loaded, imports every pymodel module, subpackages included (except the CLI entry point),
plays a short session through the same JSON protocol the worker uses (schema, init, advance,
step, metrics, style, export, import, decide, network, bench), calls numpy functions that
import more of numpy on first use, then sets `result` to the sorted names in sys.modules and
any module that failed to import. `args`: {"path": folder holding pymodel/ (under /host)}.
"""

import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, args["path"])  # noqa: F821 - set by run_in_pyodide.mjs
failed = {}
root = args["path"]  # noqa: F821
names = sorted(
    ".".join(os.path.relpath(os.path.join(folder, n), root)[:-3].split(os.sep)).removesuffix(
        ".__init__"
    )
    for folder, _, files in os.walk(os.path.join(root, "pymodel"))
    for n in files
    if n.endswith(".py") and n != "__main__.py"
)
for name in ["pymodel", *names]:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - every failure is reported
        failed[name] = traceback.format_exc()

session = None
if "pymodel.worker.game_session" not in failed:
    from pymodel.worker.game_session import Session

    session = Session()

    def call(kind, **fields):
        replies = json.loads(session.handle_json(json.dumps({"type": kind, "id": 1, **fields})))
        errors = [r for r in replies if r.get("type") == "error"]
        if errors:
            failed[f"request {kind}"] = errors[0].get("detail") or errors[0].get("message")
        return replies

    call("schema")
    ready = call("init", seed=7)
    n_in = len(ready[0].get("features", [])) if ready else 0  # the game's clone's inputs
    call("advance", dt=0.5, train_ms=20)
    call("step", ticks=240)
    call("get_metrics")
    call("get_style")
    call("get_network")
    exported = call("export")
    if exported and exported[0].get("type") == "weights":
        call("import", text=exported[0]["text"])
    call("decide", observations=[[0.0] * n_in])
    call("bench", mode="stats")
    call("bench", mode="train", seconds=0.2)
    call("bench", mode="stats", reset=True)

# numpy functions that import more of numpy when first called (np.median: numpy.ma).
import numpy as np  # noqa: E402

for name, fn in {
    "median": lambda a: np.median(a),
    "percentile": lambda a: np.percentile(a, 99),
    "quantile": lambda a: np.quantile(a, [0.1, 0.9]),
    "histogram": lambda a: np.histogram(a, bins=5),
    "nanmedian": lambda a: np.nanmedian(a),
    "linalg.norm": lambda a: np.linalg.norm(a),
    "default_rng": lambda a: np.random.default_rng(1).permutation(a),
    "savez": lambda a: np.lib.format.write_array(__import__("io").BytesIO(), a),
}.items():
    try:
        fn(np.arange(10.0))
    except Exception:  # noqa: BLE001 - every failure is reported
        failed[f"numpy {name}"] = traceback.format_exc()

result = {"modules": sorted(sys.modules), "failed": failed}
