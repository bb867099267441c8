// The wiring, and nothing else: start the worker, show its boot progress, merge the settings
// once (address > saved > defaults) and send the one `init`, route frames to the renderer and
// input to the worker, pause when asked or when the tab is hidden, mount the dashboard if
// there is one, and publish the automation contract `window.mirrorPong`.

import { WorkerClient } from "./client.js";
import { Renderer } from "./renderer.js";
import { attachInput } from "./input.js";
import { Status } from "./status.js";
import { startOffline } from "./offline.js";
import { startSession } from "./session.js";
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
/** @type {Promise<any>} */
let panelP = Promise.resolve(null);
let paused = false;
let autoPaused = false; // paused by a hidden tab, so showing it again resumes
/** @type {HTMLElement | null} */
let held = null; // the notice of whoever holds the game paused (the Lab), or null
let pausedChangedAt = 0;
let started = false;
/** @type {number | undefined} */
let seed; // the session's seed, kept when a dead worker is replaced
let lastFrameAt = 0;
let recovering = false;
/** @type {number[]} */
const restartTimes = [];
const STALL_MS = 3000; // no frame for this long while playing: the worker is dead or stuck
const MAX_RESTARTS = 3; // per minute; past that the error is shown instead (a loop of crashes)

/** @type {(msg: any) => void} */
let resolveReady = () => {};
/** @type {(err: Error) => void} */
let rejectReady = () => {};
const ready = new Promise((resolve, reject) => {
  resolveReady = resolve;
  rejectReady = reject;
});
ready.catch(() => {}); // a failed boot is shown on the page; no unhandled rejection
/** @typedef {import("./session.js").Restored} Restored */
/** @type {(r: Restored) => void} */
let resolveRestored = () => {};
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
    if (msg.fatal && started) {
      recover(client, msg.message || "it failed");
    } else if (msg.fatal || (!started && msg.request === "boot")) {
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
  panelP = panel;
  start(client);

  attachInput({
    client,
    canvas,
    courtHeight: () => (latestFrame ? latestFrame.court.h : 1),
    onTogglePause: () => started && !held && setPaused(client, !paused),
    upButton: document.getElementById("up-button"),
    downButton: document.getElementById("down-button"),
  });
  pauseButton.addEventListener("click", () => started && !held && setPaused(client, !paused));
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

  // A watchdog: a worker that was killed (out of memory, a wasm trap, terminate()) sends no
  // error, it just stops; playing and visible, no frame for STALL_MS means it is gone.
  setInterval(() => {
    const playing = started && !recovering && !paused && !document.hidden;
    if (playing && performance.now() - lastFrameAt > STALL_MS) recover(client, "no frame for 3 s");
  }, 500);
}

/**
 * Replace a dead or broken game worker without a reload: a fresh worker, the clone and the
 * settings last saved in this browser (saved every few seconds), the same seed. What is lost
 * is the training since that save, and the page says so.
 * @param {WorkerClient} client
 * @param {string} why
 */
async function recover(client, why) {
  if (recovering) return;
  const now = performance.now();
  while (restartTimes.length && now - restartTimes[0] > 60_000) restartTimes.shift();
  if (restartTimes.length >= MAX_RESTARTS) {
    status.fatal(`The game engine keeps stopping (${why}).`, "", "The game stopped");
    return;
  }
  restartTimes.push(now);
  recovering = true;
  const savedAt = storage.savedAt();
  const note = status.notice(`The game engine stopped (${why}). Restarting it with your saved clone…`, { kind: "error" });
  const panel = await panelP;
  panel?.suspend?.();
  client.restart();
  try {
    const { msg, restored } = await startSession(client, "", "", (text) => status.notice(text), seed);
    const lost = savedAt ? `the clone saved at ${new Date(savedAt).toLocaleTimeString()}; only the training since then is lost` : "a fresh clone (none was saved yet)";
    const took = ((performance.now() - now) / 1000).toFixed(1);
    restored.notices = [{ text: `The game is back after ${took} s, with ${lost}.`, kind: "ok" }];
    restored.source = "recovered";
    panel?.onReady?.(msg, restored);
    document.body.dataset.restarts = String(Number(document.body.dataset.restarts || 0) + 1);
    note.remove();
    lastFrameAt = performance.now();
    if (paused) client.send("pause", { paused: true });
  } catch (err) {
    status.fatal(`The game engine stopped and could not be restarted: ${/** @type {Error} */ (err).message}`, "", "The game stopped");
  } finally {
    recovering = false;
  }
}


/**
 * The first session: see session.js. A game that cannot start says why.
 * @param {WorkerClient} client
 */
async function start(client) {
  let msg;
  let restored;
  try {
    ({ msg, restored } = await startSession(client, location.search, location.hash, (text) => status.notice(text)));
  } catch (err) {
    status.fatal(/** @type {Error} */ (err).message || "The game could not start.", /** @type {any} */ (err).reply?.detail || "");
    rejectReady(/** @type {Error} */ (err));
    return;
  }
  frameFields = msg.schema.frame_fields;
  seed = msg.settings.seed;
  resolveRestored(restored);
  started = true;
  lastFrameAt = performance.now();
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
  lastFrameAt = performance.now();
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
      // The Lab holds the game paused while it runs (the two would share the CPU), and says so.
      holdPause: (on, why) => {
        if (on && !held) {
          held = status.notice(why);
          if (!paused) setPaused(client, true);
          pauseButton.disabled = true;
        } else if (!on && held) {
          held.remove();
          held = null;
          pauseButton.disabled = false;
          if (!document.hidden) setPaused(client, false);
        }
      },
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
