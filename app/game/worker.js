// The game worker (a module worker): runs pymodel.worker.game_session.Session (pyworker.js)
// and the game loop's clock. Everything the game does happens in Python; this file only
// relays, keeps time and drops frames nobody needs.

import { wasmBytes } from "./pyboot.js";
import { startPython } from "./pyworker.js";
// How long the loop waits between iterations, and how much of each it may spend training.
// Ticks are 1/120 s; iterating about twice per tick keeps the lag of a frame under ~5 ms.
const LOOP_MS = 4;
const TRAIN_MS = 6;
// Bench only (scripts/bench/ turns it on with a `bench` request, mode 'turbo'): the loop
// runs back to back through a MessageChannel (setTimeout is clamped to 4 ms) and trains until
// the next tick is due, so training fills the time the game leaves. The tick rate comes with
// the `ready` reply (pymodel's GameParams).
let tickMs = 0;
let turbo = false;
const turboChannel = new MessageChannel();
turboChannel.port1.onmessage = () => loop();

let lastTick = -1;
let lastPaused = null;
let lastTime = 0;
let looping = false;
let loopErrors = 0; // advance requests in a row that failed: past LOOP_ERRORS the loop is dead
const LOOP_ERRORS = 3;

// ---- relay and loop ------------------------------------------------------------------------
/** Hand one request to Python and post what it answers. */
function relay(msg) {
  const replies = call(msg);
  if (msg.type === "advance") {
    const failed = replies.find((r) => r.type === "error");
    loopErrors = failed ? loopErrors + 1 : 0;
    if (loopErrors >= LOOP_ERRORS) {
      // A bug in the game loop: stop it and say so; the page replaces this worker.
      looping = false;
      postMessage({ ...failed, message: `The game loop failed: ${failed.message}`, fatal: true, request: "loop" });
      return replies;
    }
  }
  for (const reply of replies) {
    if (reply.type === "frame" && msg.type === "advance") {
      // Only new snapshots (or a change of pause state) are worth a message.
      if (reply.tick === lastTick && reply.paused === lastPaused) continue;
      lastTick = reply.tick;
      lastPaused = reply.paused;
    }
    if (reply.type === "health") reply.wasm_bytes = wasmBytes(); // only JS can see this one
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
  if (!looping) return;
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

const call = startPython("pymodel.worker.game_session.Session()", "The game engine", relay);
