// The Lab: replay a recording of play (this session's, or an imported session file) into
// fresh clones, one per variant and seed, and see which learns the player fastest. It runs in
// a second worker (labworker.js) started on first use, so the page stays responsive; the game
// pauses while it runs and says so. Presets, limits, every figure and the chart itself come
// from pymodel (the schema, and the `lab_result` reply: the same engine, table and chart as
// `python -m pymodel lab`).

import { readLimited, saveText } from "../game/files.js";
import { labWorker, onLabWorker } from "./labclient.js";
import { drawChart, fmt } from "../ui/charts.js";
import { Painter } from "../ui/painter.js";

/** @typedef {import("../game/settings.js").Schema} Schema */

const DEFAULT_SEEDS = 3;
const HOLD = "The game is paused while the Lab runs.";

const MARKUP = `
<h2>The Lab: does curating pay on <em>your</em> play?</h2>
<p class="mp-sub">Replays a recording into fresh clones, one per way of choosing frames and per
  seed, on exactly the same frames: which one learns you fastest?</p>
<div class="mp-lab-row">
  <label for="lab-source">Recording</label>
  <select id="lab-source">
    <option value="live">this session's play</option>
    <option value="file" disabled>an imported session file</option>
  </select>
</div>
<p class="mp-sub" id="lab-recording">Nothing recorded yet.</p>
<div class="mp-buttons">
  <button type="button" id="lab-download-session">Download session</button>
  <label class="mp-button" for="lab-import-input">Import session…</label>
  <input type="file" id="lab-import-input" accept=".json,application/json" class="mp-visually-hidden">
  <button type="button" id="lab-clear-recording" class="mp-danger">Clear recording</button>
</div>
<div class="mp-lab-row">
  <label for="lab-preset">Compare</label>
  <select id="lab-preset"></select>
  <label for="lab-seeds">seeds</label>
  <input type="number" id="lab-seeds" min="1" value="${DEFAULT_SEEDS}" inputmode="numeric">
</div>
<details class="mp-advanced"><summary>Advanced</summary>
  <div class="mp-lab-row"><label for="lab-budget">training steps per game second</label>
    <input type="number" id="lab-budget" min="1" max="600" value="60" inputmode="numeric"></div>
  <label class="mp-switch"><input type="checkbox" id="lab-yours"> also my own sampler and knobs</label>
</details>
<div class="mp-buttons">
  <button type="button" id="lab-run" class="mp-primary">Run the Lab</button>
  <button type="button" id="lab-cancel" hidden>Cancel</button>
</div>
<div id="lab-status" class="mp-lab-status" hidden>
  <progress id="lab-progress" max="1" value="0" aria-label="Lab progress"></progress>
  <p class="mp-sub" id="lab-eta" aria-live="polite"></p>
</div>
<div id="lab-results" hidden>
  <p id="lab-reading" class="mp-style-sentence"></p>
  <figure><figcaption>Agreement with your moves on held-out frames, while the ball comes
    (median over seeds, band: min to max; dashed: the mirror threshold)</figcaption>
    <canvas id="lab-chart" data-updates="0" role="img" aria-label="Agreement against game seconds per variant"></canvas></figure>
  <table class="mp-style-table" id="lab-table"><thead><tr><th scope="col">variant</th>
    <th scope="col">time to mirror</th><th scope="col">mirrored</th></tr></thead><tbody></tbody></table>
  <div class="mp-buttons">
    <button type="button" id="lab-download-json">Download results (JSON)</button>
    <button type="button" id="lab-download-svg">Download chart (SVG)</button>
  </div>
</div>
`;

export class LabCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} game the game's worker
   * @param {{notice: {show: (m: string, k?: any) => void}, holdPause?: (on: boolean, why: string) => void,
   *   yours: () => {sampler: string, knobs: Record<string, number>} | null}} opts
   */
  constructor(el, game, opts) {
    game.on("metrics", (m) => this.showRecording(m.recording));
    this.el = el;
    this.game = game;
    this.opts = opts;
    /** @type {Schema | null} */ this.schema = null;
    /** @type {{name: string, text: string} | null} */ this.imported = null;
    /** @type {any} */ this.result = null;
    this.running = false;
    this.startedAt = 0;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    el.dataset.state = "idle";
    q("lab-run").addEventListener("click", () => this.run());
    q("lab-cancel").addEventListener("click", () => this.cancel());
    q("lab-download-session").addEventListener("click", () => this.downloadSession());
    q("lab-clear-recording").addEventListener("click", () => this.clearRecording());
    q("lab-download-json").addEventListener("click", () => this.downloadResult("json"));
    q("lab-download-svg").addEventListener("click", () => this.downloadResult("svg"));
    const input = /** @type {HTMLInputElement} */ (q("lab-import-input"));
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = "";
      if (file) this.importFile(file);
    });
    this.painter = new Painter(q("lab-chart"), () => this.result && drawChart(q("lab-chart"), this.result.chart));
    onLabWorker((lab) => this.listen(lab));
    new ResizeObserver(() => this.painter.mark()).observe(q("lab-chart"));
  }

  /** @param {Schema} schema */
  configure(schema) {
    this.schema = schema;
    const preset = /** @type {HTMLSelectElement} */ (this.q("lab-preset"));
    preset.replaceChildren(...schema.lab_presets.map((p) => {
      const o = document.createElement("option");
      o.value = p.name;
      o.textContent = `${p.name}: ${p.variants.join(" vs ")}`;
      return o;
    }));
    this.q("lab-seeds").max = String(schema.limits.lab_seeds);
  }

  /** What the game's metrics say is recorded. @param {{frames: number, seconds: number} | undefined} rec */
  showRecording(rec) {
    if (!rec) return;
    const s = Math.round(rec.seconds);
    const el = this.q("lab-recording");
    const text = rec.frames
      ? `This session: ${Math.floor(s / 60)} min ${s % 60} s of your play recorded (kept for up to 30 minutes; Reset AI keeps it).`
      : "Nothing recorded yet: play a minute or two first.";
    if (el.textContent !== text) el.textContent = text;
  }

  /** @param {string} text @param {"ok" | "error" | "info"} [kind] */
  say(text, kind = "info") {
    this.opts.notice.show(text, kind);
  }

  async downloadSession() {
    try {
      const reply = await this.game.request("export_session");
      saveText(reply.text, reply.filename, "application/json");
      this.say(`Downloaded ${reply.filename} (${fmt(reply.seconds)} s of play).`, "ok");
    } catch (err) {
      this.say(`Could not export the session: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  async clearRecording() {
    if (!confirm("Clear the recording of your play? The clone stays; the Lab then has nothing of this session to replay.")) return;
    try {
      const reply = await this.game.request("clear_recording");
      this.showRecording(reply);
      this.say("The recording is cleared; your clone is unchanged.", "info");
    } catch (err) {
      this.say(`Could not clear the recording: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  /** @param {File} file */
  async importFile(file) {
    const name = file.name || "the file";
    const read = await readLimited(file, this.schema?.limits.session_bytes || 0, "a session file");
    if ("error" in read) {
      this.say(read.error, "error");
      return;
    }
    const { text } = read;
    try {
      const reply = await this.labClient().request("lab_load", { text });
      this.imported = { name, text };
      const source = /** @type {HTMLSelectElement} */ (this.q("lab-source"));
      const option = /** @type {HTMLOptionElement} */ (source.options[1]);
      option.disabled = false;
      option.textContent = `${name} (${fmt(reply.seconds)} s)`;
      source.value = "file";
      this.say(`Imported the session "${name}": ${fmt(reply.seconds)} s of play, ready for the Lab.`, "ok");
    } catch (err) {
      this.say(`Could not import "${name}": ${/** @type {Error} */ (err).message} Nothing was changed.`, "error");
    }
  }

  /** What this card listens to on the Lab's worker (shared with the duel card). */
  listen(/** @type {import("../game/client.js").WorkerClient} */ lab) {
    lab.on("progress", (m) => {
      if (this.running) this.q("lab-eta").textContent = `Starting the Lab's Python… ${Math.round((100 * m.loaded) / Math.max(m.total, 1))}%`;
    });
    lab.on("lab_progress", (m) => this.onProgress(m));
    lab.on("lab_result", (m) => this.onResult(m));
    lab.on("error", (m) => {
      if (m.fatal && this.running) {
        this.finish("error");
        this.say(`The Lab could not start: ${m.message}`, "error");
      } else if (this.running && m.request === "lab_step") {
        this.finish("error");
        this.say(`The Lab stopped: ${m.message}`, "error");
      }
    });
  }

  /** The Lab's worker, started on first use. */
  labClient() {
    return labWorker();
  }

  async run() {
    if (this.running) return;
    const source = /** @type {HTMLSelectElement} */ (this.q("lab-source")).value;
    const max = this.schema?.limits.lab_seeds || 10;
    const seeds = Math.min(max, Math.max(1, Math.round(Number(this.q("lab-seeds").value) || DEFAULT_SEEDS)));
    const budget = Math.min(600, Math.max(1, Number(this.q("lab-budget").value) || 60));
    const preset = this.q("lab-preset").value;
    const yours = this.q("lab-yours").checked ? this.opts.yours() : null;
    this.running = true;
    this.el.dataset.state = "running";
    this.q("lab-run").disabled = true;
    this.q("lab-cancel").hidden = false;
    this.q("lab-status").hidden = false;
    this.q("lab-progress").value = 0;
    this.q("lab-eta").textContent = "Preparing…";
    this.opts.holdPause?.(true, HOLD);
    try {
      let text;
      if (source === "file" && this.imported) {
        text = this.imported.text;
      } else {
        const reply = await this.game.request("export_session");
        if (!reply.frames) throw new Error("nothing of this session is recorded yet: play a minute or two first.");
        text = reply.text;
      }
      const lab = this.labClient();
      await lab.request("lab_load", { text });
      if (!this.running) return; // cancelled while loading
      this.startedAt = performance.now();
      await lab.request("lab_start", { preset, seeds, steps_per_second: budget, ...(yours ? { yours } : {}) });
    } catch (err) {
      this.finish("error");
      this.say(`The Lab could not run: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  cancel() {
    if (!this.running) return;
    labWorker().request("lab_cancel").catch(() => {});
    this.finish("cancelled");
    this.say("The Lab run was cancelled; the game goes on.", "info");
  }

  /** @param {string} state */
  finish(state) {
    this.running = false;
    this.el.dataset.state = state;
    this.q("lab-run").disabled = false;
    this.q("lab-cancel").hidden = true;
    if (state !== "done") this.q("lab-status").hidden = true;
    this.opts.holdPause?.(false, HOLD);
  }

  /** @param {any} m a lab_progress reply */
  onProgress(m) {
    if (!this.running) return;
    this.q("lab-progress").value = m.fraction;
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const left = m.fraction > 0.02 ? (elapsed * (1 - m.fraction)) / m.fraction : null;
    this.q("lab-eta").textContent = `${Math.round(100 * m.fraction)}% of ${m.clones} clones (${m.seeds} seeds)` +
      (left === null ? "" : `, about ${Math.ceil(left)} s left`);
  }

  /** @param {any} m a lab_result reply */
  onResult(m) {
    if (!this.running) return;
    this.result = m;
    this.finish("done");
    this.q("lab-eta").textContent = `Done in ${fmt((performance.now() - this.startedAt) / 1000)} s.`;
    this.q("lab-progress").value = 1;
    this.q("lab-results").hidden = false;
    this.q("lab-reading").textContent = m.reading;
    this.draw();
    const names = Object.keys(m.summary);
    this.q("lab-table").tBodies[0].replaceChildren(...names.map((name) => {
      const row = m.summary[name];
      const tr = document.createElement("tr");
      const cells = [name, row.median === null ? `> ${fmt(m.seconds)} s` : `${fmt(row.median)} s`, `${row.mirrored} / ${row.runs}`];
      cells.forEach((text, i) => {
        const cell = document.createElement(i ? "td" : "th");
        if (!i) /** @type {HTMLTableCellElement} */ (cell).scope = "row";
        cell.textContent = text;
        tr.append(cell);
      });
      return tr;
    }));
    this.el.dataset.result = JSON.stringify({ summary: m.summary, table: m.table, reading: m.reading });
  }

  draw() {
    this.painter.mark();
  }

  /** @param {"json" | "svg"} kind */
  downloadResult(kind) {
    const m = this.result;
    if (!m) return;
    if (kind === "svg") saveText(m.svg, "mirror-pong-lab.svg", "image/svg+xml");
    else saveText(JSON.stringify({ seconds: m.seconds, summary: m.summary, runs: m.runs }, null, 1), "mirror-pong-lab.json", "application/json");
  }
}
