// Run a Python file inside the pinned Pyodide under Node, with a host folder mounted.
//
//   node scripts/runtime/run_in_pyodide.mjs CONFIG.json
//
// CONFIG: {"indexURL": folder of pyodide.mjs, "stdLibURL"?: a python_stdlib.zip to use instead
// of the stock one, "lockFileURL"?: a lock file, "packageDir"?: where wheels are (default
// indexURL; never a CDN), "packages"?: ["numpy"], "mount": host folder mounted at /host,
// "script": host path of the Python file, "args": any JSON}. indexURL must be a folder Node
// reads as CommonJS (node_modules/pyodide is; a folder under this repository, whose
// package.json says "type": "module", is not): point it at node_modules/pyodide and the rest
// at a built runtime (its .mjs/.asm.js/.wasm are Pyodide's own, unchanged). The script sees `args` as a global and sets `result`; this prints
// one line: {"result": ...} (converted from Python by json.dumps).
// Used by the build (scripts/build_runtime.py compiles .pyc files with Pyodide's own CPython)
// and by the tests (they list what the game imports in the built runtime).

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(`${config.indexURL}/pyodide.mjs`).href);
const options = { indexURL: `${config.indexURL}/`, stdout: (s) => console.error(s), stderr: (s) => console.error(s) };
if (config.stdLibURL) options.stdLibURL = config.stdLibURL;
if (config.lockFileURL) options.lockFileURL = config.lockFileURL;
// Packages come from indexURL only: a missing file must fail, not be downloaded.
options.packageCacheDir = `${config.packageDir ?? config.indexURL}/`;
options.cdnUrl = "http://127.0.0.1:9/not-a-cdn/";
const pyodide = await loadPyodide(options);
for (const name of config.packages ?? []) {
  const errors = [];
  await pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: (e) => errors.push(e) });
  if (!pyodide.loadedPackages[name]) throw new Error(`loadPackage(${name}) failed: ${errors.join(" ")}`);
}
pyodide.FS.mkdirTree("/host");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: config.mount }, "/host");
pyodide.globals.set("args", pyodide.toPy(config.args ?? null));
pyodide.runPython(readFileSync(config.script, "utf8"), { filename: config.script });
const result = pyodide.runPython("import json as _json; _json.dumps(globals().get('result'))");
process.stdout.write(`${JSON.stringify({ result: JSON.parse(result) })}\n`);
