// Booting Python in a module worker, shared by the game's worker and the Lab's: loads Pyodide,
// numpy and pymodel with real byte progress (`progress` messages), then creates one Python
// session object whose `handle_json` takes and returns JSON text. A failure becomes one
// fatal `error` message that says what could not load.
//
// The runtime is the build's precompiled one (scripts/build_runtime.py): manifest.json names
// its folder (pyodide/RID/, by content hash) and the precompiled standard library, passed as
// `stdLibURL`. Stages, each timed (the last progress message carries `times`, ms): runtime
// (Pyodide starts), numpy_load (the wheel), numpy_import, pymodel_import, session.

const SITE = new URL("../../", import.meta.url);
// No byte arrived and no stage ended for this long while booting: report it instead of a
// frozen bar (e.g. a cached pyodide.asm.wasm served without Content-Type application/wasm
// makes loadPyodide wait forever).
const STALL_MS = 30000;
let booted = false;
let settled = false; // the boot failed: the stall guard stops watching
/** @type {any} */
let runtime = null; // the Pyodide instance, once loaded

/** Bytes of WebAssembly memory the Python runtime holds now (0 before it is loaded). */
export function wasmBytes() {
  return runtime ? runtime._module.HEAP8.length : 0;
}

const progress = { loaded: 0, total: 1, stage: "runtime", lastActivity: Date.now() };
/** @type {Error | null} */
let loadFailure = null;
/** @type {(e: Error) => void} */
let failBoot = () => {};
const bootFailed = new Promise((_, reject) => {
  failBoot = reject;
});

function postProgress(detail, extra = {}) {
  progress.lastActivity = Date.now();
  const loaded = Math.min(progress.loaded, progress.total);
  postMessage({ type: "progress", stage: progress.stage, loaded, total: progress.total, detail, ...extra });
}

const realFetch = globalThis.fetch.bind(globalThis);
/** fetch, counting body bytes into the boot progress and failing loudly on HTTP errors. */
async function countingFetch(input, init) {
  const url = typeof input === "string" ? input : input.url ?? String(input);
  const name = decodeURIComponent(new URL(url, SITE).pathname.split("/").pop() || url);
  let response;
  try {
    response = await realFetch(input, init);
  } catch (err) {
    throw recordFailure(new Error(`Could not load ${name}: ${err.message || "network error"}`));
  }
  if (!response.ok) {
    throw recordFailure(new Error(`Could not load ${name} (HTTP ${response.status})`));
  }
  if (booted || !response.body) return response;
  // Count a copy's bytes and hand the original on untouched: a Response made here would lose
  // what lets Chromium reuse its compiled wasm (the code cache keyed by the response's URL).
  const reader = response.clone().body.getReader();
  (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || booted) break;
      progress.loaded += value.byteLength;
      postProgress(`downloading ${name}`);
    }
  })().catch(() => {});
  return response;
}

function recordFailure(err) {
  if (!loadFailure) {
    loadFailure = err;
    failBoot(err);
  }
  return err;
}

globalThis.fetch = countingFetch;

/** Reject when the boot makes no progress for STALL_MS (see above). */
function stallGuard() {
  return new Promise((_, reject) => {
    const timer = setInterval(() => {
      if (booted || settled) clearInterval(timer);
      else if (Date.now() - progress.lastActivity > STALL_MS) {
        clearInterval(timer);
        reject(
          new Error(
            `The Python runtime stopped loading (no progress for ${STALL_MS / 1000} s while ` +
              `${progress.stage === "runtime" ? "starting Pyodide" : `in stage ${progress.stage}`}). ` +
              "Reload the page; if it happens again, clear this site's data.",
          ),
        );
      }
    }, 1000);
  });
}

/** @param {string} sessionExpr @returns {Promise<(text: string) => string>} */
async function boot(sessionExpr) {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser cannot run WebAssembly, which the game's Python needs.");
  }
  const times = /** @type {Record<string, number>} */ ({});
  let mark = performance.now();
  const lap = (stage) => {
    const now = performance.now();
    times[stage] = Math.round(now - mark);
    mark = now;
  };
  const manifestResponse = await countingFetch(new URL("manifest.json", SITE), { cache: "no-cache" });
  const manifest = await manifestResponse.json();
  const runtimeUrl = new URL(manifest.runtime, SITE);
  const size = (name) => manifest.boot[manifest.runtime + name] ?? 0;
  progress.total = Object.values(manifest.boot).reduce((a, b) => a + b, 0);
  progress.loaded = 0;
  progress.stage = "runtime";
  postProgress("starting the Python runtime");

  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href));
  } catch (err) {
    throw new Error(`Could not load pyodide.mjs: ${err.message}`);
  }
  // The size of pyodide.mjs itself is counted here: dynamic import does not go through fetch.
  progress.loaded += size("pyodide.mjs");
  const pyodide = (runtime = await loadPyodide({
    indexURL: runtimeUrl.href,
    stdLibURL: new URL(manifest.stdlib, runtimeUrl).href,
    stdout: () => {},
    stderr: (line) => console.warn(line),
  }));
  progress.loaded += size("pyodide.asm.js"); // a script the runtime loads itself
  lap("runtime");

  progress.stage = "numpy";
  postProgress("loading numpy");
  const problems = [];
  await pyodide.loadPackage("numpy", {
    messageCallback: () => {},
    errorCallback: (text) => problems.push(text),
  });
  if (!pyodide.loadedPackages.numpy) {
    throw new Error(`Could not load numpy: ${problems.join(" ") || "unknown error"}`);
  }
  lap("numpy_load");
  progress.stage = "numpy-import";
  postProgress("importing numpy");
  pyodide.runPython("import numpy");
  lap("numpy_import");

  progress.stage = "model";
  postProgress("installing the model");
  const zipResponse = await countingFetch(new URL(`pymodel.zip?v=${manifest.build}`, SITE));
  const zipBytes = await zipResponse.arrayBuffer();
  pyodide.unpackArchive(zipBytes, "zip", { extractDir: "/home/pyodide" });
  const module = sessionExpr.split("(")[0].split(".").slice(0, -1).join(".");
  pyodide.runPython(
    "import sys\nif '/home/pyodide' not in sys.path: sys.path.insert(0, '/home/pyodide')\n" +
      `import ${module}`,
  );
  lap("pymodel_import");
  progress.stage = "session";
  postProgress("starting the game");
  pyodide.runPython(`_mirror_pong_session = ${sessionExpr}`);
  // The one long-lived PyProxy: a bound method that takes and returns JSON text.
  const handle = pyodide.runPython("_mirror_pong_session.handle_json");
  lap("session");
  progress.loaded = progress.total;
  booted = true;
  postProgress("ready to play", { times });
  return handle;
}

/**
 * Boot Python and create `sessionExpr` (e.g. "pymodel.worker.game_session.Session()").
 * @param {string} sessionExpr
 * @param {string} what how the page names this engine in a failure ("The game engine")
 * @returns {Promise<(text: string) => string>} resolves with handle_json; rejects with the
 *   `error` message to post
 */
export function bootPython(sessionExpr, what) {
  return Promise.race([boot(sessionExpr), bootFailed, stallGuard()]).catch((err) => {
    settled = true;
    const error = loadFailure || err;
    // A Python exception's message is its whole traceback: show its last line, keep the rest.
    const text = String(error.message || error).trim();
    const message = error.type ? `${what} failed to start: ${text.split("\n").pop()}` : text;
    throw { type: "error", message, detail: String(error.stack || ""), request: "boot", fatal: true };
  });
}
