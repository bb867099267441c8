// "Which one is you?": the blind mirror test. After a few minutes of play the game worker cuts
// pairs of short silent replays from the recording, one of the player and one of the clone in
// the player's seat played out from the same moment (pymodel/lab/mirrortest.py); this card
// shows each pair side by side, both drawn as the left paddle, and the player picks the one
// they think is them. The worker keeps the answer key and scores the test, and the result
// joins the clone's history (shown in the You-vs-clone card). The game is held paused while
// the test runs. The key is never in the page before the end; a test reads it through the
// documented test-only request `debug_mirror_key`.

import { Painter } from "../ui/painter.js";
import { COURT_COLORS, drawCourt } from "../ui/court.js";
import { setText } from "./training.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const HOLD = "The game is paused while you take the mirror test.";
const LOOP_PAUSE_S = 0.6; // the last frame stays this long before a replay starts again
const SIDES = /** @type {const} */ (["a", "b"]);

const MARKUP = `
<h2>Which one is you?</h2>
<p class="mp-sub">A blind test: two short silent replays, one of you and one of your clone in
  your seat from the same moment. Pick the one you think is you; <span id="mirror-rounds">ten</span>
  rounds. Being fooled half the time means you cannot tell your clone from yourself.</p>
<p id="mirror-ready" class="mp-sub">Play a few minutes first.</p>
<div class="mp-buttons">
  <button type="button" id="mirror-start" class="mp-primary" disabled>Start the test</button>
</div>
<div id="mirror-stage" hidden>
  <p id="mirror-round" class="mp-style-sentence" aria-live="polite"></p>
  <div class="mp-mirror-pair">
    <figure><canvas id="mirror-a" data-updates="0" role="img" aria-label="Replay A"></canvas>
      <button type="button" id="mirror-pick-a" class="mp-mirror-pick">A is me</button></figure>
    <figure><canvas id="mirror-b" data-updates="0" role="img" aria-label="Replay B"></canvas>
      <button type="button" id="mirror-pick-b" class="mp-mirror-pick">B is me</button></figure>
  </div>
  <div class="mp-buttons"><button type="button" id="mirror-stop">Stop the test</button></div>
</div>
<div id="mirror-result" hidden>
  <p id="mirror-sentence" class="mp-style-sentence"></p>
  <table class="mp-style-table" id="mirror-table"><thead><tr><th scope="col">round</th>
    <th scope="col">you picked</th><th scope="col">you were</th><th scope="col">fingerprint judge</th></tr></thead>
    <tbody></tbody></table>
</div>
`;

export class MirrorCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client the game's worker
   * @param {{notice: {show: (m: string, k?: any) => void},
   *   holdPause?: (on: boolean, why: string) => void}} opts
   */
  constructor(el, client, opts) {
    this.el = el;
    this.client = client;
    this.opts = opts;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    /** @type {any} */ this.spec = null; // the schema's mirror_test
    /** @type {any} */ this.clips = null;
    this.round = 0;
    this.busy = false;
    this.startedAt = 0;
    this.animating = false;
    this.setState("idle");
    this.painters = SIDES.map((side) => new Painter(q(`mirror-${side}`), () => this.drawReplay(side), { hz: 60 }));
    q("mirror-start").addEventListener("click", () => this.begin());
    q("mirror-stop").addEventListener("click", () => this.stop("The mirror test was stopped; nothing was kept."));
    for (const side of SIDES) q(`mirror-pick-${side}`).addEventListener("click", () => this.pick(side));
    this.off = client.on("metrics", (m) => this.showReady(m.recording));
  }

  /** @param {any} schema */
  start(schema) {
    this.spec = schema.mirror_test;
    setText(this.q("mirror-rounds"), String(this.spec.rounds));
  }

  /** @param {string} state idle | preparing | round | done */
  setState(state) {
    this.state = state;
    this.el.dataset.state = state;
    this.el.dataset.round = String(this.round);
    this.q("mirror-start").hidden = state === "round" || state === "preparing";
  }

  /** Enough play recorded for a test? @param {{seconds: number} | undefined} rec */
  showReady(rec) {
    if (!rec || !this.spec || this.state === "preparing" || this.state === "round") return;
    const need = this.spec.min_play_s;
    const have = Math.min(rec.seconds, this.spec.window_s);
    const ok = have >= need;
    this.q("mirror-start").disabled = !ok;
    setText(this.q("mirror-ready"), ok
      ? `Ready: the replays come from your last ${Math.round(this.spec.window_s / 60)} minutes of play.`
      : `Play ${Math.ceil((need - have) / 10) * 10} s more first (the test needs ${Math.round(need / 60)} minutes of your play).`);
  }

  async begin() {
    if (this.state === "preparing" || this.state === "round") return;
    this.opts.holdPause?.(true, HOLD);
    this.round = 0;
    this.setState("preparing");
    this.q("mirror-result").hidden = true;
    setText(this.q("mirror-ready"), "Preparing the replays…");
    this.q("mirror-start").disabled = true;
    try {
      this.clips = await this.client.request("mirror_test", { at: Date.now() });
    } catch (err) {
      this.stop(`The mirror test could not start: ${/** @type {Error} */ (err).message}`, "error");
      return;
    }
    if (this.state !== "preparing") return; // stopped meanwhile
    this.q("mirror-stage").hidden = false;
    this.showRound();
  }

  showRound() {
    this.setState("round");
    setText(this.q("mirror-round"), `Round ${this.round + 1} of ${this.clips.rounds}: which one is you?`);
    setText(this.q("mirror-ready"), "");
    for (const side of SIDES) this.q(`mirror-pick-${side}`).disabled = false;
    this.startedAt = performance.now();
    if (!this.animating) this.animate();
  }

  /** Redraw both replays every animation frame while a round is shown. */
  animate() {
    this.animating = this.state === "round";
    if (!this.animating) return;
    for (const p of this.painters) p.mark();
    requestAnimationFrame(() => this.animate());
  }

  /** @param {"a" | "b"} side */
  drawReplay(side) {
    const c = this.clips;
    if (!c || this.state !== "round") return;
    const frames = c.pairs[this.round][side];
    const n = frames.ball_x.length;
    const loop = n + Math.round(LOOP_PAUSE_S * c.fps);
    const i = Math.min(Math.floor(((performance.now() - this.startedAt) / 1000) * c.fps) % loop, n - 1);
    drawCourt(this.q(`mirror-${side}`), {
      court: c.court, paddle: c.paddle, paddle_x: c.paddle_x,
      ball: { x: frames.ball_x[i], y: frames.ball_y[i], r: c.ball_r },
      left_y: frames.left_y[i], right_y: frames.right_y[i],
      left_color: COURT_COLORS.you, right_color: COURT_COLORS.dim,
    });
  }

  /** The player's pick for this round. @param {"a" | "b"} side */
  async pick(side) {
    if (this.state !== "round" || this.busy) return;
    this.busy = true;
    for (const s of SIDES) this.q(`mirror-pick-${s}`).disabled = true;
    try {
      const reply = await this.client.request("mirror_answer", { round: this.round, pick: side });
      if (this.state !== "round") return;
      if (reply.type === "mirror_result") {
        this.finish(reply);
      } else {
        this.round = reply.round;
        this.showRound();
      }
    } catch (err) {
      this.stop(`The mirror test stopped: ${/** @type {Error} */ (err).message}`, "error");
    } finally {
      this.busy = false;
    }
  }

  /** @param {any} m a mirror_result reply */
  finish(m) {
    this.round = m.rounds.length;
    this.setState("done");
    this.q("mirror-stage").hidden = true;
    this.q("mirror-result").hidden = false;
    const kept = m.kept ? " It is kept with your clone's history." : " Your clone changed during the test, so it is not kept with the new one.";
    setText(this.q("mirror-sentence"), m.sentence + kept);
    const letter = (/** @type {string} */ s) => s.toUpperCase();
    this.q("mirror-table").tBodies[0].replaceChildren(...m.rounds.map((/** @type {any} */ r, /** @type {number} */ i) => {
      const tr = document.createElement("tr");
      tr.dataset.fooled = String(r.pick !== r.key);
      for (const text of [String(i + 1), letter(r.pick), letter(r.key), letter(r.machine)]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    const e = m.entry;
    this.el.dataset.result = JSON.stringify({ fooled: e.fooled, rounds: e.rounds, machine_right: e.machine_right, kept: m.kept });
    this.q("mirror-start").disabled = false;
    setText(this.q("mirror-ready"), "Take it again whenever you like.");
    this.opts.holdPause?.(false, HOLD);
  }

  /** Leave the test (nothing is kept) and say why. @param {string} why @param {"info" | "error"} [kind] */
  stop(why, kind = "info") {
    this.setState("idle");
    this.q("mirror-stage").hidden = true;
    this.q("mirror-start").disabled = false;
    setText(this.q("mirror-ready"), "");
    this.opts.notice.show(why, kind);
    this.opts.holdPause?.(false, HOLD);
  }

  destroy() {
    this.off();
    for (const p of this.painters) p.destroy();
  }
}
