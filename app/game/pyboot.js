// Booting Python in a module worker, shared by the game's worker and the Lab's: loads Pyodide,
// numpy and pymodel with real byte progress (`progress` messages), then creates one Python
// session object whose `handle_json` takes and returns JSON text. A failure becomes one
// fatal `error` message that says what could not load.

const SITE = new URL("../../", import.meta.url);
const PYODIDE_URL = new URL("pyodide/", SITE);
let booted = false;
/** @type {any} */
let runtime = null; // the Pyodide instance, once loaded

/** Bytes of WebAssembly memory the Python runtime holds now (0 before it is loaded). */
export function wasmBytes() {
  return runtime ? runtime._module.HEAP8.length : 0;
}

const progress = { loaded: 0, total: 1, stage: "runtime" };
/** @type {Error | null} */
let loadFailure = null;
/** @type {(e: Error) => void} */
let failBoot = () => {};
const bootFailed = new Promise((_, reject) => {
  failBoot = reject;
});

function postProgress(detail) {
  const loaded = Math.min(progress.loaded, progress.total);
  postMessage({ type: "progress", stage: progress.stage, loaded, total: progress.total, detail });
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
  const reader = response.body.getReader();
  const counted = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      progress.loaded += value.byteLength;
      postProgress(`downloading ${name}`);
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function recordFailure(err) {
  if (!loadFailure) {
    loadFailure = err;
    failBoot(err);
  }
  return err;
}

globalThis.fetch = countingFetch;

/** @param {string} sessionExpr @returns {Promise<(text: string) => string>} */
async function boot(sessionExpr) {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser cannot run WebAssembly, which the game's Python needs.");
  }
  const manifestResponse = await countingFetch(new URL("manifest.json", SITE), { cache: "no-cache" });
  const manifest = await manifestResponse.json();
  progress.total = Object.values(manifest.boot).reduce((a, b) => a + b, 0);
  progress.loaded = 0;
  postProgress("starting the Python runtime");

  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_URL).href));
  } catch (err) {
    throw new Error(`Could not load pyodide.mjs: ${err.message}`);
  }
  // The size of pyodide.mjs itself is counted here: dynamic import does not go through fetch.
  progress.loaded += manifest.boot["pyodide/pyodide.mjs"] ?? 0;
  const pyodide = (runtime = await loadPyodide({
    indexURL: PYODIDE_URL.href,
    stdout: () => {},
    stderr: (line) => console.warn(line),
  }));
  progress.loaded += manifest.boot["pyodide/pyodide.asm.js"] ?? 0;

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

  progress.stage = "model";
  postProgress("installing the model");
  const zipResponse = await countingFetch(new URL(`pymodel.zip?v=${manifest.build}`, SITE));
  const zipBytes = await zipResponse.arrayBuffer();
  pyodide.unpackArchive(zipBytes, "zip", { extractDir: "/home/pyodide" });
  const module = sessionExpr.split("(")[0].split(".").slice(0, -1).join(".");
  pyodide.runPython(
    "import sys\nif '/home/pyodide' not in sys.path: sys.path.insert(0, '/home/pyodide')\n" +
      `import ${module}\n_mirror_pong_session = ${sessionExpr}`,
  );
  // The one long-lived PyProxy: a bound method that takes and returns JSON text.
  const handle = pyodide.runPython("_mirror_pong_session.handle_json");
  progress.loaded = progress.total;
  booted = true;
  postProgress("ready to play");
  return handle;
}

/**
 * Boot Python and create `sessionExpr` (e.g. "pymodel.adapter.Session()").
 * @param {string} sessionExpr
 * @param {string} what how the page names this engine in a failure ("The game model")
 * @returns {Promise<(text: string) => string>} resolves with handle_json; rejects with the
 *   `error` message to post
 */
export function bootPython(sessionExpr, what) {
  return Promise.race([boot(sessionExpr), bootFailed]).catch((err) => {
    const error = loadFailure || err;
    // A Python exception's message is its whole traceback: show its last line, keep the rest.
    const text = String(error.message || error).trim();
    const message = error.type ? `${what} failed to start: ${text.split("\n").pop()}` : text;
    throw { type: "error", message, detail: String(error.stack || ""), request: "boot", fatal: true };
  });
}
