// How the clone turns its network's probabilities into moves (its output model): a menu of
// the schema's output models and a slider for the chosen one's knob, applied live with
// `set_output` (pymodel/learn/output.py). "greedy" decides afresh every tick; "hysteresis"
// keeps a move until another is clearly more likely; "hold" keeps each move a minimum time;
// "sample" draws each move with the chance the network gives it; "intent" draws the same way
// from a leaning that changes slowly.

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {{name: string, label: string, knobs: {name: string, default: number, min: number,
 *   max: number, step: number, help: string}[]}} OutputSpec */

const SEND_DELAY_MS = 150;

export class OutputControl {
  /**
   * @param {HTMLElement} el an empty element to build in
   * @param {(type: string, fields: Record<string, unknown>) => Promise<any>} call the
   *   controls' request function (it shows refusals and syncs the settings)
   */
  constructor(el, call) {
    this.el = el;
    this.call = call;
    /** @type {OutputSpec[]} */ this.models = [];
    /** @type {Record<string, number>} */ this.current = {};
    /** @type {number | undefined} */ this.timer = undefined;
    el.innerHTML = `<div class="mp-lab-row"><label for="output-select">Moves</label>
      <select id="output-select"></select></div>
      <div id="output-knob" class="mp-knob" hidden><label for="output-value"></label>
      <input type="range" id="output-value"><output for="output-value"></output>
      <p class="mp-sub" id="output-help"></p></div>`;
    this.select = /** @type {HTMLSelectElement} */ (el.querySelector("#output-select"));
    this.range = /** @type {HTMLInputElement} */ (el.querySelector("#output-value"));
    this.select.addEventListener("change", () => this.send());
    this.range.addEventListener("input", () => {
      this.showValue();
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => {
        this.timer = undefined;
        this.send();
      }, SEND_DELAY_MS);
    });
  }

  /** @param {OutputSpec[]} models the schema's output_models */
  configure(models) {
    this.models = models;
    this.select.replaceChildren(...models.map((m) => {
      const o = document.createElement("option");
      o.value = m.name;
      o.textContent = `${m.name}: ${m.label}`;
      return o;
    }));
  }

  /** The knob of the chosen model, if it has one. */
  knob() {
    return this.models.find((m) => m.name === this.select.value)?.knobs[0] || null;
  }

  /** Show what the worker uses. @param {Record<string, any> | undefined} output */
  sync(output) {
    if (!output || !output.kind) return;
    this.current = output;
    if (this.select.value !== output.kind) this.select.value = output.kind;
    this.showKnob(output);
  }

  /** @param {Record<string, any>} output */
  showKnob(output) {
    const k = this.knob();
    const box = /** @type {HTMLElement} */ (this.el.querySelector("#output-knob"));
    box.hidden = !k;
    if (!k) return;
    /** @type {HTMLElement} */ (box.querySelector("label")).textContent = k.name;
    /** @type {HTMLElement} */ (box.querySelector("#output-help")).textContent = k.help;
    Object.assign(this.range, { min: k.min, max: k.max, step: k.step });
    if (document.activeElement !== this.range && this.timer === undefined) {
      this.range.value = String(output[k.name] ?? k.default);
    }
    this.showValue();
  }

  showValue() {
    const out = this.el.querySelector("#output-knob output");
    if (out) out.textContent = String(Number(this.range.value));
  }

  send() {
    const k = this.knob();
    /** @type {Record<string, unknown>} */
    const output = { kind: this.select.value };
    if (k) output[k.name] = this.select.value === this.current.kind ? Number(this.range.value) : k.default;
    return this.call("set_output", { output });
  }
}
