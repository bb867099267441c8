// Clone against clone: another clone (a file, a share link, or one of the player's saved
// clones) takes the left paddle against the player's own, learning off for both. The matches
// run in the Lab's worker (pymodel/lab/duel.py, shared with the Lab card), which this card
// steps at the speed it shows them, 1x, 4x or 16x game time, or flat out for the result only;
// the result table comes from Python, the same as `python -m pymodel duel` prints for the
// same seeds. The game is held paused while a duel runs. A clone's name and metadata from a
// file or a link are shown as text only.

import { readLimited } from "../game/files.js";
import { decodeClone } from "../game/share.js";
import * as storage from "../game/storage.js";
import { labWorker, onLabWorker } from "../lab/labclient.js";
import { COURT_COLORS, drawCourt } from "../ui/court.js";
import { Painter } from "../ui/painter.js";
import { setText } from "./training.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {{text: string, name: string, info: any}} Opponent */

const HOLD = "The game is paused while the duel runs.";
const FLAT_OUT_TICKS = 6000; // a slice of "result only"; the worker answers every slice
const MAX_LAG_S = 0.25; // at most this much real time is caught up at once (a stalled tab)

const MARKUP = `
<h2>Clone against clone</h2>
<p class="mp-sub">Another clone takes the left paddle against yours, learning off for both:
  load it from a file, a share link or your library, and watch them play.</p>
<div class="mp-buttons">
  <label class="mp-button" for="duel-file">Load a clone file…</label>
  <input type="file" id="duel-file" accept=".json,application/json" class="mp-visually-hidden">
  <select id="duel-library" aria-label="A clone from your library"></select>
</div>
<div class="mp-lab-row">
  <input type="url" id="duel-link" placeholder="or paste a share link" aria-label="A share link to a clone">
  <button type="button" id="duel-link-load">Load link</button>
</div>
<p id="duel-opponent" class="mp-sub">No other clone loaded yet.</p>
<div class="mp-lab-row">
  <label for="duel-points">first to</label>
  <input type="number" id="duel-points" inputmode="numeric">
  <label for="duel-seeds">matches</label>
  <input type="number" id="duel-seeds" min="1" value="1" inputmode="numeric">
  <label for="duel-speed">speed</label>
  <select id="duel-speed">
    <option value="1">1×</option><option value="4">4×</option><option value="16" selected>16×</option>
    <option value="0">result only</option>
  </select>
</div>
<div class="mp-buttons">
  <button type="button" id="duel-run" class="mp-primary" disabled>Start the duel</button>
  <button type="button" id="duel-stop" hidden>Stop</button>
</div>
<p class="mp-duel-names"><span id="duel-left-name" class="mp-visitor"></span><span id="duel-vs"></span><span id="duel-right-name" class="mp-clone"></span></p>
<canvas id="duel-canvas" hidden data-updates="0" role="img" aria-label="The duel: the other clone on the left, yours on the right"></canvas>
<p id="duel-status" class="mp-sub" aria-live="polite"></p>
<div id="duel-results" hidden>
  <table class="mp-style-table" id="duel-table"><thead><tr><th scope="col"></th>
    <th scope="col" id="duel-th-left" class="mp-visitor"></th><th scope="col" id="duel-th-right" class="mp-clone"></th></tr></thead>
    <tbody></tbody></table>
  <details class="mp-advanced"><summary>As text (as <code>python -m pymodel duel</code> prints it)</summary>
    <pre id="duel-text" class="mp-pre"></pre></details>
</div>
`;

export class DuelCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} game the game's worker (your clone)
   * @param {{notice: {show: (m: string, k?: any) => void}, holdPause?: (on: boolean, why: string) => void,
   *   yourName: () => string | null}} opts
   */
  constructor(el, game, opts) {
    this.el = el;
    this.game = game;
    this.opts = opts;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    /** @type {Opponent | null} */ this.opponent = null;
    /** @type {any} */ this.schema = null;
    /** @type {any} */ this.snapshot = null;
    this.running = false;
    this.maxBytes = 0;
    el.dataset.state = "idle";
    this.painter = new Painter(q("duel-canvas"), () => this.draw(), { hz: 60 });
    const file = /** @type {HTMLInputElement} */ (q("duel-file"));
    file.addEventListener("change", () => {
      const f = file.files && file.files[0];
      file.value = "";
      if (f) this.loadFile(f);
    });
    q("duel-link-load").addEventListener("click", () => this.loadLink(q("duel-link").value));
    q("duel-library").addEventListener("change", () => this.loadSaved(q("duel-library").value));
    q("duel-run").addEventListener("click", () => this.run());
    q("duel-stop").addEventListener("click", () => this.stop("The duel was stopped."));
    onLabWorker((lab) => lab.on("duel_result", (m) => this.onResult(m)));
    this.refreshLibrary();
  }

  /** @param {any} schema */
  start(schema) {
    this.schema = schema;
    this.maxBytes = schema.limits.weights_bytes;
    const p = schema.duel.points;
    Object.assign(this.q("duel-points"), { min: p.min, max: p.max });
    if (!this.q("duel-points").value) this.q("duel-points").value = String(p.default);
    this.q("duel-seeds").max = String(schema.duel.max_seeds);
  }

  /** The library's clones in the menu (after a save, a rename or a delete). */
  refreshLibrary() {
    const select = /** @type {HTMLSelectElement} */ (this.q("duel-library"));
    const option = (/** @type {string} */ value, /** @type {string} */ text) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    };
    const list = storage.listClones();
    select.replaceChildren(option("", list.length ? "or one of your clones…" : "(your library is empty)"),
      ...list.map((e) => option(e.id, e.name)));
    select.disabled = list.length === 0;
  }

  /** A library clone as the opponent. @param {string} id */
  loadSaved(id) {
    if (!id) return;
    const entry = storage.listClones().find((e) => e.id === id);
    const text = storage.loadFromLibrary(id);
    this.q("duel-library").value = "";
    if (!entry || !text) {
      this.opts.notice.show("That clone is no longer in your library.", "error");
      return;
    }
    return this.use(text, entry.name, `your library`);
  }

  /** @param {File} file */
  async loadFile(file) {
    const read = await readLimited(file, this.maxBytes, "a clone file");
    if ("error" in read) {
      this.opts.notice.show(read.error, "error");
      return;
    }
    return this.use(read.text, null, `“${file.name}”`, (file.name || "clone").replace(/\.json$/i, ""));
  }

  /** @param {string} link a share link (or just its #fragment) */
  async loadLink(link) {
    let hash = "";
    try {
      hash = new URL(link.trim(), location.href).hash;
    } catch {
      hash = "";
    }
    const got = await decodeClone(hash, this.maxBytes);
    if (!got) {
      this.opts.notice.show("That is not a share link to a clone (it carries no #clone=…).", "error");
    } else if ("error" in got) {
      this.opts.notice.show(got.error, "error");
    } else {
      this.q("duel-link").value = "";
      return this.use(got.text, null, "a share link", "shared clone");
    }
  }

  /**
   * Check a clone in the Lab's worker and make it the opponent.
   * @param {string} text @param {string | null} name @param {string} from @param {string} [fallback]
   */
  async use(text, name, from, fallback = "the other clone") {
    if (this.running) {
      this.opts.notice.show("Stop the duel first to load another clone.", "info");
      return;
    }
    setText(this.q("duel-opponent"), `Checking the clone from ${from}…`);
    try {
      const info = await labWorker().request("duel_load", { text });
      const chosen = name || info.name || fallback;
      this.opponent = { text, name: chosen, info };
      const sizes = info.layer_sizes.join("-");
      const steps = Number.isFinite(info.meta?.steps) ? `, ${Number(info.meta.steps).toLocaleString("en")} training steps` : "";
      setText(this.q("duel-opponent"), `Left paddle: “${chosen}” from ${from} (${sizes}, ${info.feature_set} inputs${steps}).`);
      this.el.dataset.opponent = chosen;
      this.q("duel-run").disabled = false;
    } catch (err) {
      this.opts.notice.show(`Could not load that clone for a duel: ${/** @type {Error} */ (err).message}`, "error");
      setText(this.q("duel-opponent"), this.opponent ? `Left paddle: “${this.opponent.name}”.` : "No other clone loaded yet.");
    }
  }

  /** The settings of the next duel, within the schema's ranges. */
  choices() {
    const d = this.schema.duel;
    const clamp = (/** @type {string} */ id, /** @type {number} */ lo, /** @type {number} */ hi, /** @type {number} */ dflt) => {
      const v = Math.round(Number(this.q(id).value));
      return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
    };
    return {
      points: clamp("duel-points", d.points.min, d.points.max, d.points.default),
      seeds: clamp("duel-seeds", 1, d.max_seeds, 1),
    };
  }

  async run() {
    if (this.running || !this.opponent || !this.schema) return;
    const opp = this.opponent;
    this.running = true;
    this.el.dataset.state = "running";
    this.q("duel-run").disabled = true;
    this.q("duel-stop").hidden = false;
    this.q("duel-results").hidden = true;
    this.q("duel-canvas").hidden = false;
    this.q("duel-canvas").scrollIntoView({ block: "nearest" }); // to be watched, it must be seen
    this.opts.holdPause?.(true, HOLD);
    const mine = this.opts.yourName() || "your clone";
    setText(this.q("duel-left-name"), opp.name);
    setText(this.q("duel-vs"), " vs ");
    setText(this.q("duel-right-name"), mine);
    try {
      const yours = await this.game.request("export");
      const fields = { left: opp.text, right: yours.text, left_name: opp.name, right_name: mine, ...this.choices() };
      this.snapshot = await labWorker().request("duel_start", fields);
      this.painter.mark();
      this.loop();
    } catch (err) {
      this.stop(`The duel could not start: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  /** Step the duel at the chosen speed, one request in flight, drawing each snapshot. */
  async loop() {
    const hz = this.schema.tick_hz;
    let last = performance.now();
    let owed = 0;
    while (this.running) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      const speed = Number(this.q("duel-speed").value);
      owed += Math.min((now - last) / 1000, MAX_LAG_S) * hz * speed;
      last = now;
      const ticks = speed > 0 ? Math.floor(owed) : FLAT_OUT_TICKS;
      if (ticks < 1) continue;
      owed -= speed > 0 ? ticks : 0;
      try {
        this.snapshot = await labWorker().request("duel_step", { ticks: Math.min(ticks, this.schema.limits.lab_slice_ticks) });
      } catch (err) {
        if (this.running) this.stop(`The duel stopped: ${/** @type {Error} */ (err).message}`, "error");
        return;
      }
      this.painter.mark();
      if (this.running) this.showStatus(); // the result may have come in meanwhile
    }
  }

  showStatus() {
    const s = this.snapshot;
    if (!s) return;
    setText(this.q("duel-status"), `Match ${s.match + 1} of ${s.matches} (seed ${s.seed}): ${s.score.left} – ${s.score.right} · ${Math.floor(s.t)} game s`);
  }

  draw() {
    const s = this.snapshot;
    if (!s) return;
    drawCourt(this.q("duel-canvas"), {
      court: s.court, paddle: s.paddle, paddle_x: s.paddle_x, ball: s.ball,
      left_y: s.paddles.left, right_y: s.paddles.right,
      left_color: COURT_COLORS.visitor, right_color: COURT_COLORS.clone,
    });
  }

  /** @param {any} m a duel_result reply */
  onResult(m) {
    if (!this.running) return;
    this.finish("done");
    const totals = m.totals;
    setText(this.q("duel-status"), `Done: ${m.left.name} won ${totals.left.matches}, ${m.right.name} won ${totals.right.matches}` +
      (m.draws ? `, ${m.draws} drawn` : "") + ".");
    setText(this.q("duel-th-left"), `${m.left.name} (left)`);
    setText(this.q("duel-th-right"), `${m.right.name} (right)`);
    this.q("duel-table").tBodies[0].replaceChildren(...m.rows.map((/** @type {string[]} */ row) => {
      const tr = document.createElement("tr");
      row.forEach((text, i) => {
        const cell = document.createElement(i ? "td" : "th");
        if (!i) /** @type {HTMLTableCellElement} */ (cell).scope = "row";
        cell.textContent = text;
        tr.append(cell);
      });
      return tr;
    }));
    setText(this.q("duel-text"), m.table);
    this.q("duel-results").hidden = false;
    this.el.dataset.result = JSON.stringify({ rows: m.rows, table: m.table });
  }

  /** @param {string} state */
  finish(state) {
    this.running = false;
    this.el.dataset.state = state;
    this.q("duel-run").disabled = !this.opponent;
    this.q("duel-stop").hidden = true;
    this.opts.holdPause?.(false, HOLD);
  }

  /** @param {string} why @param {"info" | "error"} [kind] */
  stop(why, kind = "info") {
    if (!this.running) return;
    labWorker().request("duel_cancel").catch(() => {});
    this.finish(kind === "error" ? "error" : "cancelled");
    this.opts.notice.show(why, kind);
  }

  destroy() {
    this.painter.destroy();
  }
}
