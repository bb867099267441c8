// The dashboard's controls: sampler strategy and its knobs (applied live), learning on/off,
// the ghost paddle, and "reset AI to random". The worker is the authority: every change is a
// request, and the UI shows what the `settings` reply says the worker now uses.

/** @typedef {import("./client.js").WorkerClient} WorkerClient */
/** @typedef {{sampler: string, knobs: Record<string, number>, learning: boolean, ghost: boolean, seed?: number}} Settings */

/**
 * What each knob of pymodel/sampler.py means, in one line, and its slider range. A knob the
 * worker reports that is not listed here still gets a slider (0..1, or up to twice its value).
 * @type {Record<string, {min: number, max: number, step: number, unit?: string, help: string}>}
 */
export const KNOB_INFO = {
  keep: { min: 0, max: 1, step: 0.01, help: "Chance of keeping any frame: the naive baseline keeps everything alike." },
  approach_weight: { min: 0, max: 1, step: 0.01, help: "Keep chance while the ball comes towards you: your real decisions." },
  away_weight: { min: 0, max: 1, step: 0.01, help: "Keep chance while the ball moves away or waits for a serve." },
  after_hit_window: { min: 0, max: 5, step: 0.05, unit: "s", help: "Seconds after your own hit that count as \u201cjust hit\u201d." },
  after_hit_weight: { min: 0, max: 1, step: 0.01, help: "Keep factor inside that window: the rally's outcome is already decided." },
  stay_balance: { min: 0, max: 1, step: 0.01, help: "Keeps fewer \u2018stay\u2019 frames so rare moves are not crowded out (0 = off)." },
  agree_weight: { min: 0, max: 1, step: 0.01, help: "Keep factor for frames the clone already gets right (1 = off): spend training on its mistakes." },
  min_keep: { min: 0, max: 1, step: 0.01, help: "Floor of the keep chance, so no kind of frame vanishes entirely." },
  impact_window: { min: 0, max: 2, step: 0.05, unit: "s", help: "Seconds before the ball reaches you that count as \u201cabout to hit\u201d (0 = off)." },
  impact_weight: { min: 1, max: 10, step: 0.1, help: "How many times as often those frames are replayed in training: they set where you hit." },
  switch_window: { min: 0, max: 1, step: 0.01, unit: "s", help: "Seconds either side of a change of your move that count as a decision (0 = off)." },
  switch_weight: { min: 1, max: 10, step: 0.1, help: "How many times as often frames around your move changes are replayed in training." },
  replay_phase: { min: 0, max: 1, step: 0.05, help: "Shifts the weighting from keeping to replaying (1 = keep every frame, replay the ones that matter more often)." },
};

const STRATEGIES = ["relevance", "uniform"];
const SEND_DELAY_MS = 150; // a dragged slider sends one request per pause, not one per pixel

const MARKUP = `
<h2>How it learns</h2>
<label class="mp-row">Sampler
  <select id="sampler-select">
    <option value="relevance">relevance: keep the frames that matter</option>
    <option value="uniform">uniform: keep every frame alike</option>
  </select>
</label>
<div id="knobs" class="mp-knobs"></div>
<label class="mp-switch"><input type="checkbox" role="switch" id="learning-toggle" checked>
  Learning <span class="mp-sub">record your play and train on it</span></label>
<label class="mp-switch"><input type="checkbox" role="switch" id="ghost-toggle">
  Ghost paddle <span class="mp-sub">where the clone would move in your place</span></label>
<button type="button" id="reset-ai" class="mp-danger">Reset AI to random</button>
`;

export class Controls {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   * @param {{notice: {show: (m: string, k?: any) => void}, hooks: {setGhost?: (on: boolean) => void},
   *   onReset?: () => void}} opts
   */
  constructor(el, client, opts) {
    this.el = el;
    this.client = client;
    this.opts = opts;
    /** @type {Settings | null} */ this.settings = null;
    /** Knobs last used with each strategy, so switching back restores them. */
    /** @type {Record<string, Record<string, number>>} */ this.knobsBy = {};
    /** @type {() => void} */ this.onChange = () => {};
    /** @type {number | undefined} */ this.knobTimer = undefined;
    el.innerHTML = MARKUP;
    this.select = /** @type {HTMLSelectElement} */ (el.querySelector("#sampler-select"));
    this.knobsEl = /** @type {HTMLElement} */ (el.querySelector("#knobs"));
    this.learning = /** @type {HTMLInputElement} */ (el.querySelector("#learning-toggle"));
    this.ghost = /** @type {HTMLInputElement} */ (el.querySelector("#ghost-toggle"));
    this.knobNames = "";

    this.select.addEventListener("change", () => {
      const strategy = this.select.value;
      this.setSampler(strategy, this.knobsBy[strategy]);
    });
    this.learning.addEventListener("change", () => this.call("set_learning", { on: this.learning.checked }));
    this.ghost.addEventListener("change", () => this.setGhost(this.ghost.checked));
    el.querySelector("#reset-ai")?.addEventListener("click", () => this.reset());
  }

  /**
   * Send a settings request; the `settings` reply updates the UI through sync(). A refusal
   * is shown and the UI snaps back to what the worker still uses.
   * @param {string} type
   * @param {Record<string, unknown>} fields
   */
  async call(type, fields) {
    try {
      const reply = await this.client.request(type, fields);
      if (reply.type === "settings") this.sync(/** @type {any} */ (reply));
      this.onChange();
      return reply;
    } catch (err) {
      this.opts.notice.show(`That setting was refused: ${/** @type {Error} */ (err).message}`, "error");
      if (this.settings) this.sync(this.settings, true);
      return null;
    }
  }

  /** @param {string} strategy @param {Record<string, number>} [knobs] */
  setSampler(strategy, knobs) {
    return this.call("set_sampler", knobs ? { strategy, knobs } : { strategy });
  }

  /** @param {boolean} on */
  setGhost(on) {
    this.opts.hooks.setGhost?.(on);
    return this.call("set_ghost", { on });
  }

  async reset() {
    if (!confirm("Reset the AI to random weights? Everything it has learned from you is lost (download it first to keep it).")) return;
    const reply = await this.call("reset_ai", {});
    if (reply) {
      this.opts.onReset?.();
      this.opts.notice.show("The AI starts again from random weights.", "info");
    }
  }

  /**
   * Show what the worker uses. `force` also overwrites a slider the player is dragging.
   * @param {Partial<Settings>} s
   * @param {boolean} [force]
   */
  sync(s, force = false) {
    if (!s || typeof s !== "object") return;
    this.settings = /** @type {Settings} */ ({ ...(this.settings || {}), ...s });
    const cur = this.settings;
    if (cur.sampler && STRATEGIES.includes(cur.sampler) && this.select.value !== cur.sampler) this.select.value = cur.sampler;
    if (typeof cur.learning === "boolean") this.learning.checked = cur.learning;
    if (typeof cur.ghost === "boolean" && this.ghost.checked !== cur.ghost) {
      this.ghost.checked = cur.ghost;
      this.opts.hooks.setGhost?.(cur.ghost);
    }
    if (cur.knobs && cur.sampler) {
      this.knobsBy[cur.sampler] = { ...cur.knobs };
      this.renderKnobs(cur.knobs, force);
    }
  }

  /** @param {Record<string, number>} knobs @param {boolean} force */
  renderKnobs(knobs, force) {
    const names = Object.keys(knobs).join(",");
    if (names !== this.knobNames) {
      this.knobNames = names;
      this.knobsEl.replaceChildren(...Object.entries(knobs).map(([name, value]) => this.knobRow(name, value)));
      return;
    }
    for (const [name, value] of Object.entries(knobs)) {
      const input = /** @type {HTMLInputElement | null} */ (this.knobsEl.querySelector(`#knob-${name}`));
      if (!input || (!force && (document.activeElement === input || this.knobTimer !== undefined))) continue;
      input.value = String(value);
      showValue(input, name);
    }
  }

  /** @param {string} name @param {number} value */
  knobRow(name, value) {
    const info = KNOB_INFO[name] || { min: 0, max: Math.max(1, 2 * value), step: 0.01, help: "" };
    const row = document.createElement("div");
    row.className = "mp-knob";
    const label = document.createElement("label");
    label.htmlFor = `knob-${name}`;
    label.textContent = name.replace(/_/g, " ");
    const input = document.createElement("input");
    Object.assign(input, { type: "range", id: `knob-${name}`, min: info.min, max: info.max, step: info.step });
    input.value = String(value);
    input.dataset.knob = name;
    const out = document.createElement("output");
    out.htmlFor.add(input.id);
    const help = document.createElement("p");
    help.className = "mp-sub";
    help.textContent = info.help;
    row.append(label, input, out, help);
    showValue(input, name, out);
    input.addEventListener("input", () => {
      showValue(input, name);
      clearTimeout(this.knobTimer);
      this.knobTimer = window.setTimeout(() => {
        this.knobTimer = undefined;
        this.sendKnobs();
      }, SEND_DELAY_MS);
    });
    return row;
  }

  sendKnobs() {
    /** @type {Record<string, number>} */
    const knobs = {};
    for (const input of this.knobsEl.querySelectorAll("input[data-knob]")) {
      const el = /** @type {HTMLInputElement} */ (input);
      knobs[/** @type {string} */ (el.dataset.knob)] = Number(el.value);
    }
    return this.setSampler(this.select.value, knobs);
  }

  /** What to persist: the strategy, the knobs of every strategy used, learning, ghost. */
  snapshot() {
    const s = this.settings || /** @type {any} */ ({});
    return { sampler: s.sampler, knobsBy: this.knobsBy, learning: s.learning, ghost: s.ghost };
  }

  /**
   * Re-apply saved settings after a reload, except those the page address sets explicitly
   * (a link with ?sampler=uniform means uniform, whatever was saved).
   * @param {any} saved
   */
  async restore(saved) {
    if (!saved || typeof saved !== "object") return;
    const url = new URLSearchParams(location.search);
    if (saved.knobsBy && typeof saved.knobsBy === "object") {
      for (const [k, v] of Object.entries(saved.knobsBy)) if (!this.knobsBy[k] && v && typeof v === "object") this.knobsBy[k] = v;
    }
    const cur = this.settings || /** @type {any} */ ({});
    const strategy = url.has("sampler") ? cur.sampler : STRATEGIES.includes(saved.sampler) ? saved.sampler : cur.sampler;
    const knobs = url.has("knobs") ? undefined : saved.knobsBy?.[strategy];
    if (strategy && (strategy !== cur.sampler || knobs)) {
      // Knob names can change between versions: if the saved ones are refused, keep the strategy.
      const ok = await this.client.request("set_sampler", knobs ? { strategy, knobs } : { strategy })
        .then((r) => (this.sync(/** @type {any} */ (r)), true), () => false);
      if (!ok && knobs) await this.client.request("set_sampler", { strategy }).then((r) => this.sync(/** @type {any} */ (r)), () => {});
    }
    if (!url.has("learning") && typeof saved.learning === "boolean" && saved.learning !== cur.learning) {
      await this.client.request("set_learning", { on: saved.learning }).then((r) => this.sync(/** @type {any} */ (r)), () => {});
    }
    if (!url.has("ghost") && typeof saved.ghost === "boolean" && saved.ghost !== cur.ghost) {
      await this.client.request("set_ghost", { on: saved.ghost }).then((r) => this.sync(/** @type {any} */ (r)), () => {});
    }
  }
}

/** @param {HTMLInputElement} input @param {string} name @param {Element} [out] */
function showValue(input, name, out) {
  const o = out || input.nextElementSibling;
  if (o) o.textContent = `${Number(input.value).toFixed(2)}${KNOB_INFO[name]?.unit || ""}`;
}
