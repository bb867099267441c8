// The dashboard's controls: sampler strategy and its knobs (applied live), learning on/off,
// the ghost paddle, and "reset AI to random". The worker is the authority: every change is a
// request, and the UI shows what the `settings` reply says the worker now uses. Strategies
// and knobs (names, ranges, steps, units, help, which are "Advanced") all come from the
// schema the worker sends (pymodel/worker/schema.py): nothing about a knob is written here.

import { setText, setValue } from "../ui/dom.js";
import { OutputControl } from "./outputctl.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {import("../game/settings.js").Schema} Schema */
/** @typedef {import("../game/settings.js").KnobSpec} KnobSpec */
/** @typedef {{sampler: string, knobs: Record<string, number>, learning: boolean, ghost: boolean, seed?: number, to?: number}} Settings */

const SEND_DELAY_MS = 150; // a dragged slider sends one request per pause, not one per pixel

const MARKUP = `
<h2>How it learns</h2>
<label class="mp-row">Compute
  <select id="budget-select"></select>
</label>
<p class="mp-sub" id="budget-help"></p>
<label class="mp-row">Sampler
  <select id="sampler-select"></select>
</label>
<div id="knobs" class="mp-knobs"></div>
<details id="knobs-advanced-box" class="mp-advanced" hidden><summary>Advanced</summary>
  <div id="knobs-advanced" class="mp-knobs"></div></details>
<label class="mp-switch"><input type="checkbox" role="switch" id="learning-toggle" checked>
  Learning <span class="mp-sub">record your play and train on it</span></label>
<label class="mp-switch"><input type="checkbox" role="switch" id="ghost-toggle">
  Ghost paddle <span class="mp-sub">where the clone would move in your place</span></label>
<button type="button" id="reset-ai" class="mp-danger">Reset AI to random</button>
<h3 class="mp-h3">The network</h3>
<div class="mp-lab-row"><label for="net-features">Inputs</label><select id="net-features"></select></div>
<p class="mp-sub" id="net-features-help"></p>
<div class="mp-lab-row"><label for="net-hidden">Hidden layers</label><select id="net-hidden"></select>
  <select id="net-activation" aria-label="Activation"></select></div>
<button type="button" id="net-apply">New clone with this network</button>
<p class="mp-sub" id="net-now"></p>
<div id="output-control"></div>
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
    this.advancedEl = /** @type {HTMLElement} */ (el.querySelector("#knobs-advanced"));
    this.advancedBox = /** @type {HTMLElement} */ (el.querySelector("#knobs-advanced-box"));
    /** @type {Schema | null} */ this.schema = null;
    this.learning = /** @type {HTMLInputElement} */ (el.querySelector("#learning-toggle"));
    this.ghost = /** @type {HTMLInputElement} */ (el.querySelector("#ghost-toggle"));
    this.knobNames = "";

    this.select.addEventListener("change", () => {
      const strategy = this.select.value;
      this.setSampler(strategy, this.knobsBy[strategy]);
    });
    this.budget = /** @type {HTMLSelectElement} */ (el.querySelector("#budget-select"));
    this.budget.addEventListener("change", () => this.call("set_budget", { budget: this.budget.value }));
    this.learning.addEventListener("change", () => this.call("set_learning", { on: this.learning.checked }));
    this.ghost.addEventListener("change", () => this.setGhost(this.ghost.checked));
    el.querySelector("#reset-ai")?.addEventListener("click", () => this.reset());
    this.netFeatures = /** @type {HTMLSelectElement} */ (el.querySelector("#net-features"));
    this.netHidden = /** @type {HTMLSelectElement} */ (el.querySelector("#net-hidden"));
    this.netActivation = /** @type {HTMLSelectElement} */ (el.querySelector("#net-activation"));
    // A choice the player is making is not overwritten by the worker's settings until applied.
    this.netDirty = false;
    for (const select of [this.netFeatures, this.netHidden, this.netActivation]) {
      select.addEventListener("change", () => {
        this.netDirty = true;
        this.showNetworkChoice();
      });
    }
    el.querySelector("#net-apply")?.addEventListener("click", () => this.applyNetwork());
    this.output = new OutputControl(/** @type {HTMLElement} */ (el.querySelector("#output-control")),
      (type, fields) => this.call(type, fields));
  }

  /**
   * Build the strategy menu from the schema, and remember the knobs used with each strategy.
   * @param {Schema} schema
   * @param {Record<string, Record<string, number>>} knobsBy
   */
  configure(schema, knobsBy) {
    this.schema = schema;
    this.knobsBy = { ...knobsBy };
    this.select.replaceChildren(...schema.strategies.map((s) => {
      const option = document.createElement("option");
      option.value = s.name;
      option.textContent = `${s.name}: ${s.label}`;
      return option;
    }));
    this.knobNames = "";
    const option = (/** @type {string} */ value, /** @type {string} */ text) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    };
    const sch = /** @type {any} */ (schema);
    this.netFeatures.replaceChildren(...sch.feature_sets.map((f) => option(f.name, `${f.name} (${f.features.length})`)));
    this.netHidden.replaceChildren(...sch.hidden_choices.map((h) => option(h.label, h.label)));
    this.netActivation.replaceChildren(...sch.activations.map((a) => option(a, a)));
    this.output.configure(sch.output_models || []);
    this.budgets = sch.budgets || [];
    this.budget.replaceChildren(...this.budgets.map((/** @type {any} */ b) => option(b.name, b.label)));
    this.showNetworkChoice();
  }

  /** The help of the chosen inputs, and the parameter count of the chosen size. */
  showNetworkChoice() {
    const sch = /** @type {any} */ (this.schema);
    if (!sch) return;
    const fs = sch.feature_sets.find((f) => f.name === this.netFeatures.value);
    const h = sch.hidden_choices.find((c) => c.label === this.netHidden.value);
    const params = h && fs ? ` · ${h.params[fs.name].toLocaleString("en")} weights` : "";
    setText(this.el.querySelector("#net-features-help"), (fs ? fs.help : "") + params);
  }

  /** A fresh clone with the chosen inputs and size (asks first, like Reset AI). */
  async applyNetwork() {
    const sch = /** @type {any} */ (this.schema);
    const h = sch?.hidden_choices.find((c) => c.label === this.netHidden.value);
    if (!h) return;
    if (!confirm(`Start a new clone that sees "${this.netFeatures.value}" inputs through a ${h.label} ${this.netActivation.value} network? The current clone is replaced (download it first to keep it).`)) return;
    const reply = await this.call("set_network", { feature_set: this.netFeatures.value, hidden: h.hidden, activation: this.netActivation.value });
    this.netDirty = false;
    if (this.settings) this.sync(this.settings);
    if (reply) {
      this.opts.onReset?.();
      this.opts.notice.show(`A new ${h.label} clone on "${this.netFeatures.value}" inputs starts learning you.`, "info");
    }
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
    // Metrics carry the settings four times a second: only what changed is written, so a
    // steady dashboard costs no style recalculation or layout.
    if (cur.sampler) setValue(this.select, cur.sampler);
    if (typeof cur.learning === "boolean" && this.learning.checked !== cur.learning) this.learning.checked = cur.learning;
    if (typeof cur.ghost === "boolean" && this.ghost.checked !== cur.ghost) {
      this.ghost.checked = cur.ghost;
      this.opts.hooks.setGhost?.(cur.ghost);
    }
    const net = /** @type {any} */ (cur);
    if (net.feature_set) {
      if (!this.netDirty) {
        setValue(this.netFeatures, net.feature_set);
        if (net.hidden_name) setValue(this.netHidden, net.hidden_name);
        if (net.activation) setValue(this.netActivation, net.activation);
      }
      setText(this.el.querySelector("#net-now"), `Now: a ${net.hidden_name || "?"} ${net.activation || ""} network on ${net.feature_set} inputs.`);
      this.showNetworkChoice();
    }
    if (cur.knobs && cur.sampler) {
      this.knobsBy[cur.sampler] = { ...cur.knobs };
      this.renderKnobs(cur.knobs, force);
    }
    this.output.sync(/** @type {any} */ (cur).output);
    this.syncBudget(/** @type {any} */ (cur));
  }

  /** The budget the worker trains at, and why it lowered it if it did. @param {any} cur */
  syncBudget(cur) {
    if (!cur.budget) return;
    if (this.budget.value !== cur.budget) this.budget.value = cur.budget;
    const b = (this.budgets || []).find((/** @type {any} */ x) => x.name === cur.budget);
    const help = `${cur.steps_per_second} training steps a game second with the ${b?.sampler || "?"} sampler` +
      (cur.lowered ? ` (lowered: ${cur.lowered})` : "");
    const el = /** @type {HTMLElement} */ (this.el.querySelector("#budget-help"));
    if (el.textContent !== help) el.textContent = help;
    if (cur.lowered && cur.lowered !== this.loweredSaid) {
      this.loweredSaid = cur.lowered;
      this.opts.notice.show(`Training was lowered: ${cur.lowered}.`, "info");
    }
  }

  /** @param {string} name @returns {KnobSpec[]} */
  specs(name) {
    return this.schema?.strategies.find((s) => s.name === name)?.knobs || [];
  }

  /** @param {Record<string, number>} knobs @param {boolean} force */
  renderKnobs(knobs, force) {
    const specs = this.specs(this.settings?.sampler || "");
    const names = specs.map((k) => k.name).join(",");
    if (names !== this.knobNames) {
      this.knobNames = names;
      const row = (/** @type {KnobSpec} */ k) => this.knobRow(k, knobs[k.name] ?? k.default);
      this.knobsEl.replaceChildren(...specs.filter((k) => !k.advanced).map(row));
      this.advancedEl.replaceChildren(...specs.filter((k) => k.advanced).map(row));
      this.advancedBox.hidden = !specs.some((k) => k.advanced);
      return;
    }
    for (const k of specs) {
      const input = /** @type {HTMLInputElement | null} */ (this.el.querySelector(`#knob-${k.name}`));
      if (!input || !(k.name in knobs)) continue;
      if (!force && (document.activeElement === input || this.knobTimer !== undefined)) continue;
      if (setValue(input, String(knobs[k.name]))) showValue(input, k);
    }
  }

  /** @param {KnobSpec} spec @param {number} value */
  knobRow(spec, value) {
    const row = document.createElement("div");
    row.className = "mp-knob";
    const label = document.createElement("label");
    label.htmlFor = `knob-${spec.name}`;
    label.textContent = spec.name.replace(/_/g, " ");
    const input = document.createElement("input");
    Object.assign(input, { type: "range", id: `knob-${spec.name}`, min: spec.min, max: spec.max, step: spec.step });
    input.value = String(value);
    input.dataset.knob = spec.name;
    const out = document.createElement("output");
    out.htmlFor.add(input.id);
    const help = document.createElement("p");
    help.className = "mp-sub";
    help.textContent = spec.help;
    row.append(label, input, out, help);
    showValue(input, spec, out);
    input.addEventListener("input", () => {
      showValue(input, spec);
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
    for (const input of this.el.querySelectorAll("input[data-knob]")) {
      const el = /** @type {HTMLInputElement} */ (input);
      knobs[/** @type {string} */ (el.dataset.knob)] = Number(el.value);
    }
    return this.setSampler(this.select.value, knobs);
  }

  /** What to persist: the strategy, the knobs of every strategy used, learning, ghost, and
   * the points to win a match. */
  snapshot() {
    const s = this.settings || /** @type {any} */ ({});
    return { sampler: s.sampler, knobsBy: this.knobsBy, learning: s.learning, ghost: s.ghost, to: s.to, budget: s.budget };
  }
}

/** @param {HTMLInputElement} input @param {KnobSpec} spec @param {Element} [out] */
function showValue(input, spec, out) {
  setText(out || input.nextElementSibling, `${Number(input.value).toFixed(2)}${spec.unit || ""}`);
}

