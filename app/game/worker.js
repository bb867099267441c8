// The game worker (a module worker): loads Pyodide, numpy and pymodel with real byte progress,
// then runs the game loop. Everything the game does happens in pymodel.adapter.Session, which
// takes and returns JSON text, so no PyProxy is created per message (the one proxy to
// `handle_json` lives as long as the worker). This file only relays and keeps time.

const SITE = new URL("../../", import.meta.url);
const PYODIDE_URL = new URL("pyodide/", SITE);
// How long the loop waits between iterations, and how much of each it may spend training.
// Ticks are 1/120 s; iterating about twice per tick keeps the lag of a frame under ~5 ms.
const LOOP_MS = 4;
const TRAIN_MS = 6;
// Bench only (scripts/bench.py turns it on with a `bench` request, mode 'turbo'): the loop
// runs back to back through a MessageChannel (setTimeout is clamped to 4 ms) and trains until
// the next tick is due, so training fills the time the game leaves. The tick rate comes with
// the `ready` reply (pymodel's GameParams).
let tickMs = 0;
let turbo = false;
const turboChannel = new MessageChannel();
turboChannel.port1.onmessage = () => loop();

/** @type {((text: string) => string) | null} */
let handleJson = null;
/** Requests that arrived before Python was ready. @type {any[]} */
const queue = [];
let lastTick = -1;
let lastPaused = null;
let lastTime = 0;
let booted = false;
let looping = false;

// ---- boot progress: count the bytes of every response Pyodide fetches ----------------------
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

// ---- boot ----------------------------------------------------------------------------------
async function boot() {
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
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_URL.href,
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
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
  pyodide.runPython(
    "import sys\nif '/home/pyodide' not in sys.path: sys.path.insert(0, '/home/pyodide')\n" +
      "import pymodel.adapter\n_mirror_pong_session = pymodel.adapter.Session()",
  );
  // The one long-lived PyProxy: a bound method that takes and returns JSON text.
  handleJson = pyodide.runPython("_mirror_pong_session.handle_json");
  progress.loaded = progress.total;
  postProgress("ready to play");
}

// ---- relay and loop ------------------------------------------------------------------------
/** Hand one request to Python and post what it answers. */
function relay(msg) {
  let replies;
  try {
    replies = JSON.parse(handleJson(JSON.stringify(msg)));
  } catch (err) {
    // handle_json answers errors itself; reaching here means Python itself broke.
    replies = [{ type: "error", message: "The game engine failed.", detail: String(err),
                 request: msg.type, fatal: false, id: msg.id }];
  }
  for (const reply of replies) {
    if (reply.type === "frame" && msg.type === "advance") {
      // Only new snapshots (or a change of pause state) are worth a message.
      if (reply.tick === lastTick && reply.paused === lastPaused) continue;
      lastTick = reply.tick;
      lastPaused = reply.paused;
    }
    postMessage(reply);
    if (reply.type === "bench_result" && reply.mode === "turbo") turbo = reply.on;
    if (reply.type === "ready") tickMs = 1000 / reply.tick_hz;
    if (reply.type === "ready" && !looping) {
      // The clock starts once a session exists: init was answered.
      looping = true;
      lastTime = performance.now();
      schedule();
    }
  }
  return replies;
}

function loop() {
  const now = performance.now();
  const dt = (now - lastTime) / 1000;
  lastTime = now;
  const trainMs = turbo ? Math.max(0.5, tickMs - (now % tickMs)) : TRAIN_MS;
  relay({ type: "advance", dt, train_ms: trainMs });
  schedule();
}

/** The next loop iteration: after LOOP_MS normally, as soon as possible in turbo mode. */
function schedule() {
  if (turbo) turboChannel.port2.postMessage(null);
  else setTimeout(loop, LOOP_MS);
}

self.onmessage = (event) => {
  const msg = event.data;
  if (!handleJson) {
    queue.push(msg);
    return;
  }
  relay(msg);
};

Promise.race([boot(), bootFailed])
  .then(() => {
    booted = true;
    for (const msg of queue.splice(0)) relay(msg);
  })
  .catch((err) => {
    const error = loadFailure || err;
    // A Python exception's message is its whole traceback: show its last line, keep the rest.
    const text = String(error.message || error).trim();
    const message = error.type ? `The game model failed to start: ${text.split("\n").pop()}` : text;
    postMessage({
      type: "error",
      message,
      detail: String(error.stack || ""),
      request: "boot",
      fatal: true,
    });
  });
