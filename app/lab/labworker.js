// The Lab's worker: its own Python (pyboot.js) with pymodel.labsession.LabSession, so the
// replays never block the game's worker or the page. It relays requests, and after a
// `lab_start` it steps the run slice by slice, yielding between slices so that a
// `lab_cancel` (or anything else) gets in; each slice is sized to take about SLICE_MS.

import { bootPython } from "../game/pyboot.js";

const SLICE_MS = 150; // a Cancel is answered within about this long
/** @type {((text: string) => string) | null} */
let handleJson = null;
/** @type {any[]} */
const queue = [];
let running = false;
let ticks = 60; // ticks per slice, adapted to SLICE_MS

/** @param {any} msg @returns {any[]} */
function call(msg) {
  try {
    return JSON.parse(/** @type {any} */ (handleJson)(JSON.stringify(msg)));
  } catch (err) {
    return [{ type: "error", message: "The Lab's engine failed.", detail: String(err),
              request: msg.type, fatal: false, id: msg.id }];
  }
}

/** @param {any} msg */
function relay(msg) {
  if (msg.type === "lab_cancel") running = false;
  const replies = call(msg);
  for (const reply of replies) postMessage(reply);
  if (msg.type === "lab_start" && replies[0]?.type === "lab_progress") {
    running = true;
    setTimeout(step, 0);
  }
}

function step() {
  if (!running) return;
  const t0 = performance.now();
  const replies = call({ type: "lab_step", ticks });
  const took = performance.now() - t0;
  ticks = Math.max(10, Math.min(12000, Math.round(ticks * Math.min(4, Math.max(0.25, SLICE_MS / Math.max(took, 1))))));
  for (const reply of replies) postMessage(reply);
  if (replies.some((r) => r.type === "lab_result" || r.type === "error")) {
    running = false;
    return;
  }
  setTimeout(step, 0);
}

self.onmessage = (event) => {
  if (!handleJson) queue.push(event.data);
  else relay(event.data);
};

bootPython("pymodel.labsession.LabSession()", "The Lab")
  .then((handle) => {
    handleJson = handle;
    for (const msg of queue.splice(0)) relay(msg);
  })
  .catch((error) => postMessage(error));
