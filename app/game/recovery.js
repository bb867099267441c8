// A dead game worker is replaced without a reload: a fresh worker, the clone and the
// settings last saved in this browser (saved every few seconds), the same seed. What is lost
// is the training since that save, and the page says so; the match goes on where it was (its
// number, points to win and score, from the latest frame). A watchdog notices a worker that
// was killed (out of memory, a wasm trap, terminate()): it sends no error, it just stops.

import { startSession } from "./session.js";
import * as storage from "./storage.js";

/** @typedef {import("./client.js").WorkerClient} WorkerClient */

const STALL_MS = 3000; // no frame for this long while playing: the worker is dead or stuck
const MAX_RESTARTS = 3; // per minute; past that the error is shown instead (a loop of crashes)

export class Recovery {
  /**
   * @param {{client: WorkerClient, status: import("./status.js").Status,
   *   panel: () => Promise<any>, playing: () => boolean, paused: () => boolean,
   *   resume?: () => Record<string, unknown>}} opts resume: init fields that go on with the
   *   match (main.js's resumeFields)
   */
  constructor(opts) {
    this.opts = opts;
    /** @type {number | undefined} */ this.seed = undefined; // the session's, kept on a restart
    this.lastFrameAt = 0;
    this.recovering = false;
    /** @type {number[]} */ this.restartTimes = [];
    setInterval(() => {
      const playing = opts.playing() && !this.recovering && !opts.paused() && !document.hidden;
      if (playing && performance.now() - this.lastFrameAt > STALL_MS) this.recover("no frame for 3 s");
    }, 500);
  }

  /** A frame arrived: the worker lives. */
  alive() {
    this.lastFrameAt = performance.now();
  }

  /** True when another restart is allowed (at most MAX_RESTARTS a minute). */
  allowed(/** @type {number} */ now) {
    while (this.restartTimes.length && now - this.restartTimes[0] > 60_000) this.restartTimes.shift();
    return this.restartTimes.length < MAX_RESTARTS;
  }

  /** @param {string} why */
  async recover(why) {
    if (this.recovering) return;
    const { client, status } = this.opts;
    const now = performance.now();
    if (!this.allowed(now)) {
      status.fatal(`The game engine keeps stopping (${why}).`, "", "The game stopped");
      return;
    }
    this.restartTimes.push(now);
    this.recovering = true;
    const savedAt = storage.savedAt();
    const note = status.notice(`The game engine stopped (${why}). Restarting it with your saved clone…`, { kind: "error" });
    const panel = await this.opts.panel();
    panel?.suspend?.();
    client.restart();
    try {
      const resume = this.opts.resume?.() || {};
      const { msg, restored } = await startSession(client, "", "", (text) => status.notice(text), this.seed, resume);
      const lost = savedAt ? `the clone saved at ${new Date(savedAt).toLocaleTimeString()}; only the training since then is lost` : "a fresh clone (none was saved yet)";
      const took = ((performance.now() - now) / 1000).toFixed(1);
      restored.notices = [{ text: `The game is back after ${took} s, with ${lost}.`, kind: "ok" }];
      restored.source = "recovered";
      panel?.onReady?.(msg, restored);
      document.body.dataset.restarts = String(Number(document.body.dataset.restarts || 0) + 1);
      note.remove();
      this.alive();
      if (this.opts.paused()) client.send("pause", { paused: true });
    } catch (err) {
      status.fatal(`The game engine stopped and could not be restarted: ${/** @type {Error} */ (err).message}`, "", "The game stopped");
    } finally {
      this.recovering = false;
    }
  }
}
