"""The shape of the code, checked rather than hoped for: pymodel's layers import only
downwards, the model layers use no clock and no I/O, the game's worker never loads the Lab's
engine, and no Python or JavaScript function runs over the length limit."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# pymodel's layers, lowest first: a module may import its own layer and those before it.
LAYERS = ("sim", "learn", "formats", "lab", "worker", "__main__")
# What the model layers (everything below the worker) may not import: clocks, files,
# processes, the outside world. Time and I/O belong to the worker and the command line.
IMPURE = {"time", "os", "sys", "io", "pathlib", "subprocess", "multiprocessing", "socket"}
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    """pymodel/lab/engine.py -> pymodel.lab.engine (packages without their __init__)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """The layer index of a pymodel module (None for pymodel itself, shared by all)."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def imports_of(module: str, source: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) for every import in ``source``, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            out.append((node.lineno, target))
            # "from . import mlp" imports the module pymodel.learn.mlp
            out += [(node.lineno, f"{target}.{a.name}") for a in node.names if node.module is None]
    return out


def violations(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Every import of a pymodel module from a higher layer, or of an impure module from
    below the worker, in ``sources`` ({module: (source, is_package)})."""
    found = []
    for module, (source, is_package) in sources.items():
        mine = layer_of(module)
        for line, target in imports_of(module, source, is_package):
            if (
                target.split(".")[0] in IMPURE
                and mine is not None
                and mine < LAYERS.index("worker")
            ):
                found.append(f"{module}:{line} imports {target} (no clock or I/O below the worker)")
            if not target.startswith("pymodel."):
                continue
            theirs = layer_of(target)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(f"{module}:{line} imports {target} from a higher layer")
    return found


def pymodel_sources() -> dict[str, tuple[str, bool]]:
    return {
        module_name(p): (p.read_text(), p.name == "__init__.py")
        for p in sorted((ROOT / "pymodel").rglob("*.py"))
    }


def test_every_pymodel_module_lives_in_a_layer():
    loose = [m for m in pymodel_sources() if m != "pymodel" and layer_of(m) is None]
    assert loose == []


def test_no_module_imports_a_higher_layer_or_a_clock():
    assert violations(pymodel_sources()) == []


def test_the_check_catches_an_upward_import_and_a_clock():
    found = violations(
        {
            "pymodel.sim.fake": ("from ..learn import mlp\nfrom ..sim import game\n", False),
            "pymodel.learn.slow": (
                "import time\nfrom pymodel.worker.protocol import Router\n",
                False,
            ),
            "pymodel.worker.ok": ("import time\nfrom ..lab import engine\n", False),
        }
    )
    assert found == [
        "pymodel.sim.fake:1 imports pymodel.learn from a higher layer",
        "pymodel.learn.slow:1 imports time (no clock or I/O below the worker)",
        "pymodel.learn.slow:2 imports pymodel.worker.protocol from a higher layer",
    ]


def test_the_game_worker_never_loads_the_lab_engine():
    code = (
        "import sys, pymodel.worker.game_session as g; g.Session().handle({'type': 'schema'}); "
        "print([m for m in sys.modules if m.startswith('pymodel.')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    loaded = set(eval(out.stdout))  # noqa: S307 - our own printed list
    assert "pymodel.worker.game_session" in loaded
    assert not loaded & {"pymodel.lab.engine", "pymodel.lab.race", "pymodel.worker.lab_session"}


def python_functions() -> list[tuple[str, str, int]]:
    out = []
    for folder in ("pymodel", "scripts", "tests"):
        for p in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(p.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    out.append(
                        (
                            f"{p.relative_to(ROOT)}:{node.lineno}",
                            node.name,
                            node.end_lineno - node.lineno + 1,
                        )
                    )
    return out


def test_no_python_function_is_longer_than_the_limit():
    long = [f for f in python_functions() if f[2] > MAX_FUNCTION_LINES]
    assert long == []


def js_files() -> list[str]:
    files = [
        *ROOT.glob("app/**/*.js"),
        *ROOT.glob("scripts/**/*.js"),
        *ROOT.glob("scripts/**/*.mjs"),
    ]
    return sorted(str(p.relative_to(ROOT)) for p in [*files, ROOT / "public" / "sw.js"])


def test_no_javascript_function_is_longer_than_the_limit():
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "acorn").is_dir():
        pytest.fail("needs node and node_modules/acorn: run `npm ci` (make test does)")
    out = subprocess.run(
        [node, "scripts/js_functions.mjs", *js_files()], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    functions = json.loads(out.stdout)
    assert len(functions) > 100  # the parser saw the code
    long = [
        f"{f['file']}:{f['line']} {f['name']} ({f['lines']} lines)"
        for f in functions
        if f["lines"] > MAX_FUNCTION_LINES
    ]
    assert long == []
