// The wiring, and nothing else: start the worker, show its boot progress, start the session
// (session.js), route frames to the renderer and input to the worker, mount the dashboard and
// the Lab if they load, and publish the automation contract `window.mirrorPong`. Pausing is
// pause.js, replacing a dead worker recovery.js.

import { WorkerClient } from "./client.js";
import { Renderer } from "./renderer.js";
import { attachInput } from "./input.js";
import { Status } from "./status.js";
import { startOffline } from "./offline.js";
import { startSession } from "./session.js";
import { Pause } from "./pause.js";
import { Recovery } from "./recovery.js";

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
 * frame(): a structured clone of the latest `frame` snapshot (fields as in
 *   pymodel/worker/protocol.py, court units, y down) or null before the first one.
 * client: the WorkerClient, for requests such as get_metrics or step.
 * rendered(): when the canvas was last drawn (performance.now(), ms) and the human paddle's y
 *   in that drawing (interpolated, court units), or null before the first; for measuring
 *   input-to-screen latency (scripts/bench/).
 * bootTimes(): milliseconds the worker spent in each boot stage (runtime, numpy_load,
 *   numpy_import, pymodel_import, session), or null before Python is up (scripts/bench/).
 */

const status = new Status();
const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("court-canvas"));
const scoreText = /** @type {HTMLElement} */ (document.getElementById("score"));
const renderer = new Renderer(canvas);
renderer.start();
const pause = new Pause({
  button: /** @type {HTMLButtonElement} */ (document.getElementById("pause-button")),
  renderer,
  notice: (text) => status.notice(text),
});

/** The frame fields of the schema: what `mirrorPong.frame()` returns. @type {string[]} */
let frameFields = [];
/** @type {Record<string, any> | null} */
let latestFrame = null;
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

const missing = missingFeatures();
if (missing) {
  status.fatal(missing);
  rejectReady(new Error(missing));
  /** @type {any} */ (window).mirrorPong = { ready, frame: () => null, client: null, rendered: () => null };
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
  const panelP = mountCards(client);
  const recovery = new Recovery({
    client, status, panel: () => panelP, playing: () => started, paused: () => pause.paused,
  });
  client.on("progress", (msg) => status.progress(msg));
  client.on("frame", (msg) => {
    recovery.alive();
    onFrame(msg);
  });
  client.on("error", (msg) => onError(msg, recovery));
  start(client, recovery, panelP);
  attachInput({
    client,
    canvas,
    courtHeight: () => (latestFrame ? latestFrame.court.h : 1),
    onTogglePause: () => pause.toggle(),
    upButton: document.getElementById("up-button"),
    downButton: document.getElementById("down-button"),
  });
}

/** @param {any} msg an `error` message @param {Recovery} recovery */
function onError(msg, recovery) {
  if (msg.fatal && started) {
    recovery.recover(msg.message || "it failed");
  } else if (msg.fatal || (!started && msg.request === "boot")) {
    const title = started ? "The game stopped" : "The game could not start";
    status.fatal(msg.message || "Something went wrong in the game engine.", msg.detail || "", title);
    rejectReady(new Error(msg.message));
  } else if (msg.id === undefined) {
    // Errors with an id answer a request (the dashboard's, or init) and its sender shows
    // them; the rest come from the loop or fire-and-forget messages: show them here.
    status.notice(msg.message || "Something went wrong.", { kind: "error", detail: msg.detail });
  }
}

/**
 * The first session: see session.js. A game that cannot start says why.
 * @param {WorkerClient} client @param {Recovery} recovery @param {Promise<any>} panelP
 */
async function start(client, recovery, panelP) {
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
  recovery.seed = msg.settings.seed;
  started = true;
  recovery.alive();
  status.ready();
  pause.start(client);
  resolveReady(msg);
  (await panelP)?.onReady?.(msg, restored);
}

/** @param {any} frame */
function onFrame(frame) {
  latestFrame = frame;
  renderer.push(frame);
  pause.follow(frame.paused);
  const text = `You ${frame.score.left}, clone ${frame.score.right}`;
  if (scoreText.textContent !== text) scoreText.textContent = text;
}

/**
 * Mount the dashboard and the Lab if their modules load; the game works without them.
 * @param {WorkerClient} client
 * @returns {Promise<{onReady?: (msg: any, restored: any) => void, suspend?: () => void} | null>}
 */
async function mountCards(client) {
  const aside = /** @type {HTMLElement} */ (document.getElementById("panel"));
  try {
    const { Panel } = await import("../dashboard/panel.js");
    const holdPause = (/** @type {boolean} */ on, /** @type {string} */ why) => pause.hold(on, why);
    const panel = new Panel(aside, client, { setGhost: (on) => renderer.setGhost(on), holdPause });
    const { LabCard } = await import("../lab/lab.js");
    const lab = new LabCard(panel.labSlot, client, {
      notice: panel.notice,
      holdPause,
      yours: () => panel.yours(),
    });
    return {
      onReady: (msg, restored) => {
        panel.onReady(msg, restored);
        lab.configure(msg.schema);
      },
      suspend: () => panel.suspend(),
    };
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
