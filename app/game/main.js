// The wiring, and nothing else: start the worker, show its boot progress, merge the settings
// once (address > saved > defaults) and send the one `init`, route frames to the renderer and
// input to the worker, pause when asked or when the tab is hidden, mount the dashboard if
// there is one, and publish the automation contract `window.mirrorPong`.

import { WorkerClient } from "./client.js";
import { Renderer } from "./renderer.js";
import { attachInput } from "./input.js";
import { Status } from "./status.js";
import { startOffline } from "./offline.js";
import { resolveSettings } from "./settings.js";
import { clearFragment, decodeClone } from "./share.js";
import * as storage from "./storage.js";

/** The frame fields of pymodel/protocol.py (from the schema): what `mirrorPong.frame()` returns. */
/** @type {string[]} */
let frameFields = [];

/**
 * The automation contract, for players' bots and tests. The human paddle is still driven by
 * real key / mouse / touch events; this only reads.
 * @typedef {{
 *   ready: Promise<any>,
 *   frame: () => Record<string, any> | null,
 *   client: WorkerClient | null,
 *   rendered: () => {t: number, left_y: number} | null,
 *   bootTimes?: () => Record<string, number> | null,
 * }} MirrorPong
 * ready: resolves with the worker's `ready` message once the game is playable; rejects with
 *   an Error (the message shown on the page) if it cannot start.
 * frame(): a structured clone of the latest `frame` snapshot (fields as in pymodel/protocol.py,
 *   court units, y down) or null before the first one.
 * client: the WorkerClient, for requests such as get_metrics or step.
 * rendered(): when the canvas was last drawn (performance.now(), ms) and the human paddle's y
 *   in that drawing (interpolated, court units), or null before the first; for measuring
 *   input-to-screen latency (scripts/bench.py).
 * bootTimes(): milliseconds the worker spent in each boot stage (runtime, numpy_load,
 *   numpy_import, pymodel_import, session), or null before Python is up (scripts/bench.py).
 */

const status = new Status();
const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("court-canvas"));
const pauseButton = /** @type {HTMLButtonElement} */ (document.getElementById("pause-button"));
const scoreText = /** @type {HTMLElement} */ (document.getElementById("score"));
const renderer = new Renderer(canvas);
renderer.start();

/** @type {Record<string, any> | null} */
let latestFrame = null;
let paused = false;
let autoPaused = false; // paused by a hidden tab, so showing it again resumes
let pausedChangedAt = 0;
let started = false;

/** @type {(msg: any) => void} */
let resolveReady = () => {};
/** @type {(err: Error) => void} */
let rejectReady = () => {};
const ready = new Promise((resolve, reject) => {
  resolveReady = resolve;
  rejectReady = reject;
});
ready.catch(() => {}); // a failed boot is shown on the page; no unhandled rejection
/** @type {(r: Restored) => void} */
let resolveRestored = () => {};
/**
 * What the visit started with: the clone's source ("share", "saved", "none", or
 * "damaged-share" / "refused-share" / "refused-saved" when one was refused), the notices to
 * show, the knobs to remember per strategy.
 * @typedef {{source: string, notices: {text: string, kind: string}[],
 *   knobsBy: Record<string, Record<string, number>>, problems: string[]}} Restored
 */
const restoredP = /** @type {Promise<Restored>} */ (new Promise((resolve) => (resolveRestored = resolve)));

const missing = missingFeatures();
if (missing) {
  status.fatal(missing);
  rejectReady(new Error(missing));
  /** @type {any} */ (window).mirrorPong = { ready, frame: () => null, client: null,
    rendered: () => null };
} else {
  startOffline(status).then(boot); // on a first visit, once the service worker took over
}

/** @returns {string | null} what this browser lacks, in a sentence, or null */
function missingFeatures() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return "Your browser cannot run WebAssembly, which Mirror Pong needs (its AI is Python " +
      "compiled to WebAssembly). Try a current Chrome, Firefox, Safari or Edge.";
  }
  if (typeof Worker !== "function") {
    return "Your browser cannot run Web Workers, which Mirror Pong needs. Try a current Chrome, " +
      "Firefox, Safari or Edge.";
  }
  return null;
}

function boot() {
  const client = new WorkerClient(new URL("./worker.js", import.meta.url));
  /** @type {any} */ (window).mirrorPong = {
    ready,
    frame: () => (latestFrame ? structuredClone(pick(latestFrame, frameFields)) : null),
    client,
    rendered: () => (renderer.lastDrawn ? { ...renderer.lastDrawn } : null),
    bootTimes: () => status.bootTimes,
  };

  client.on("progress", (msg) => status.progress(msg));
  client.on("frame", (msg) => onFrame(msg));
  client.on("error", (msg) => {
    if (msg.fatal || (!started && msg.request === "boot")) {
      const title = started ? "The game stopped" : "The game could not start";
      status.fatal(msg.message || "Something went wrong in the game engine.", msg.detail || "", title);
      rejectReady(new Error(msg.message));
    } else if (msg.id === undefined) {
      // Errors with an id answer a request (the dashboard's, or init) and its sender shows
      // them; the rest come from the loop or fire-and-forget messages: show them here.
      status.notice(msg.message || "Something went wrong.", { kind: "error", detail: msg.detail });
    }
  });

  const panel = mountDashboard(client);
  start(client);

  attachInput({
    client,
    canvas,
    courtHeight: () => (latestFrame ? latestFrame.court.h : 1),
    onTogglePause: () => started && setPaused(client, !paused),
    upButton: document.getElementById("up-button"),
    downButton: document.getElementById("down-button"),
  });
  pauseButton.addEventListener("click", () => started && setPaused(client, !paused));
  document.addEventListener("visibilitychange", () => {
    if (!started) return;
    if (document.hidden && !paused) {
      autoPaused = true;
      setPaused(client, true);
    } else if (!document.hidden && autoPaused) {
      autoPaused = false;
      setPaused(client, false);
    }
  });

  Promise.all([ready, panel, restoredP]).then(([msg, p, restored]) => {
    p?.onReady?.(msg, restored);
  }).catch(() => {});
}


/**
 * Boot: the schema first (the worker answers it as soon as Python is loaded), then the
 * settings merged once and the clone to play (a share link's, else the saved one), all in
 * one `init`. A refused clone or refused settings are said plainly and left out, and the
 * game starts anyway.
 * @param {WorkerClient} client
 */
async function start(client) {
  let schema;
  try {
    schema = (await client.request("schema")).schema;
  } catch (err) {
    const reply = /** @type {any} */ (err).reply;
    status.fatal(err.message || "The game could not start.", reply?.detail || "");
    rejectReady(err);
    return;
  }
  frameFields = schema.frame_fields;
  const { settings, knobsBy, problems } = resolveSettings(schema, location.search, storage.loadSettings());
  for (const problem of problems) status.notice(problem);
  // Without ?seed= every visit gets its own game; the seed is reported in `settings`, so a
  // session can still be replayed with ?seed=N.
  if (settings.seed === undefined) settings.seed = crypto.getRandomValues(new Uint32Array(1))[0];

  /** @type {{text: string, kind: string}[]} */
  const notices = [];
  let source = "none";
  /** @type {string | null} */
  let weights = null;
  const share = await decodeClone(location.hash, schema.limits.weights_bytes).catch(() => null);
  if (share && "text" in share) {
    weights = share.text;
    source = "share";
    clearFragment(); // a reload then plays the saved (and further trained) clone
  } else {
    if (share && "error" in share) {
      notices.push({ text: share.error, kind: "error" });
      source = "damaged-share";
    }
    weights = storage.loadClone();
    if (weights && source === "none") source = "saved";
  }

  // The normal path is the first try; the others only run when something was refused.
  const withWeights = weights ? { weights } : null;
  const tries = [
    { ...settings, ...withWeights },
    ...(withWeights ? [{ seed: settings.seed, ...withWeights }] : []),
    ...(withWeights ? [{ ...settings }] : []),
    { seed: settings.seed },
  ];
  /** @type {any} */
  let msg = null;
  /** @type {any} */
  let lastErr = null;
  /** @type {any} */
  let firstErr = null;
  let used = tries[0];
  for (const fields of tries) {
    try {
      msg = await client.request("init", fields);
      used = fields;
      break;
    } catch (err) {
      lastErr = err;
      firstErr = firstErr || err;
      if (err.reply?.fatal) break;
    }
  }
  if (!msg) {
    status.fatal(lastErr?.message || "The game could not start.", lastErr?.reply?.detail || "");
    rejectReady(lastErr || new Error("The game could not start."));
    return;
  }
  if (weights && !("weights" in used)) {
    const why = firstErr?.message || "it was refused";
    if (source === "share") {
      notices.push({ text: `This share link's clone was refused: ${why}`, kind: "error" });
      source = "refused-share";
    } else {
      notices.push({ text: `Your saved clone could not be restored (${why}), so the AI starts from random weights.`, kind: "error" });
      source = "refused-saved";
    }
  } else if (source === "share") {
    notices.push({ text: "You are playing a shared clone. It keeps learning from you and is now your saved clone.", kind: "ok" });
  } else if (source === "saved") {
    notices.push({ text: "Welcome back: your clone is restored.", kind: "ok" });
  }
  if (!("sampler" in used)) {
    status.notice(`The saved or linked settings were refused (${firstErr?.message}). Starting with the defaults.`);
  }
  resolveRestored({ source, notices, knobsBy, problems });
  started = true;
  status.ready();
  pauseButton.disabled = false;
  if (document.hidden) {
    autoPaused = true;
    setPaused(client, true);
  }
  resolveReady(msg);
}

/** @param {any} frame */
function onFrame(frame) {
  latestFrame = frame;
  renderer.push(frame);
  // The worker is the authority, but a frame posted just before our own pause request
  // would undo it on screen for a moment: trust local changes for a short while.
  if (frame.paused !== paused && performance.now() - pausedChangedAt > 400) showPaused(frame.paused);
  const text = `You ${frame.score.left}, clone ${frame.score.right}`;
  if (scoreText.textContent !== text) scoreText.textContent = text;
}

/** @param {WorkerClient} client @param {boolean} on */
function setPaused(client, on) {
  if (!on) autoPaused = false;
  client.send("pause", { paused: on });
  pausedChangedAt = performance.now();
  showPaused(on);
}

/** @param {boolean} on */
function showPaused(on) {
  paused = on;
  renderer.setPaused(on);
  pauseButton.textContent = on ? "Resume" : "Pause";
  pauseButton.setAttribute("aria-pressed", String(on));
}

/**
 * Mount the dashboard if app/dashboard/panel.js exists and loads; the game works without it.
 * @param {WorkerClient} client
 * @returns {Promise<{onReady?: (msg: any, restored: Restored) => void} | null>}
 */
async function mountDashboard(client) {
  const aside = /** @type {HTMLElement} */ (document.getElementById("panel"));
  try {
    const { mountPanel } = await import("../dashboard/panel.js");
    return mountPanel(aside, client, {
      getFrame: () => latestFrame,
      setGhost: (on) => renderer.setGhost(on),
    });
  } catch (err) {
    console.warn("Dashboard not available:", err);
    aside.hidden = true;
    document.body.classList.add("no-panel");
    return null;
  }
}

/** @param {Record<string, any>} obj @param {string[]} keys */
function pick(obj, keys) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const key of keys) if (key in obj) out[key] = obj[key];
  return out;
}
