// The Lab's worker: its own Python with pymodel.worker.lab_session.LabSession (pyworker.js),
// so the replays never block the game's worker or the page. It relays requests, and after a
// `lab_start` it steps the run slice by slice, yielding between slices so that a
// `lab_cancel` (or anything else) gets in; each slice is sized to take about SLICE_MS, within
// the slice cap the schema gives (limits.lab_slice_ticks).

import { startPython } from "../game/pyworker.js";

const SLICE_MS = 150; // a Cancel is answered within about this long
let running = false;
let ticks = 60; // ticks per slice, adapted to SLICE_MS
let maxTicks = 0; // the schema's cap, read once Python is up

/** @param {any} msg */
function relay(msg) {
  if (!maxTicks) maxTicks = call({ type: "schema" })[0]?.schema?.limits?.lab_slice_ticks || 1;
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
  const grow = Math.min(4, Math.max(0.25, SLICE_MS / Math.max(took, 1)));
  ticks = Math.max(10, Math.min(maxTicks, Math.round(ticks * grow)));
  for (const reply of replies) postMessage(reply);
  if (replies.some((r) => r.type === "lab_result" || r.type === "error")) {
    running = false;
    return;
  }
  setTimeout(step, 0);
}

const call = startPython("pymodel.worker.lab_session.LabSession()", "The Lab's engine", relay);
