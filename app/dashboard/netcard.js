// "The network, live": asks the worker for the clone's weights and latest activations a few
// times a second while the card is on screen, one request at a time (a busy worker is never
// sent a queue of them), and draws them with netview.js, labelled with the clone's own inputs.

import { drawNetwork } from "./netview.js";
import { Painter } from "../ui/painter.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const POLL_MS = 250; // ~4 network views a second: lively, and cheap for the frame rate
const MARKUP = `
<h2>The network, live</h2>
<canvas id="network-view" data-updates="0" role="img"
  aria-label="The clone's network: units coloured by activation, weights by sign and size"></canvas>
<p class="mp-hint">Blue positive, orange negative; thicker lines are larger weights. The
  right column is the move it would make now.</p>
`;

export class NetworkCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   */
  constructor(el, client) {
    this.el = el;
    this.client = client;
    el.innerHTML = MARKUP;
    this.canvas = /** @type {HTMLCanvasElement} */ (el.querySelector("#network-view"));
    /** @type {any} */ this.net = null;
    /** @type {{features?: string[], actions?: string[]}} */ this.labels = {};
    /** @type {any} */ this.schema = null;
    this.ready = false;
    this.inFlight = false;
    this.painter = new Painter(this.canvas, () => this.net && drawNetwork(this.canvas, this.net, this.labels), { hz: 5 });
    this.offs = [
      client.on("network", (n) => {
        this.net = n;
        this.painter.mark();
      }),
      client.on("settings", (s) => this.inputsOf(s)),
      client.on("metrics", (m) => m.settings && this.inputsOf(m.settings)),
    ];
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  /** @param {any} schema @param {string[]} features the clone's inputs now */
  start(schema, features) {
    this.schema = schema;
    this.labels = { features, actions: schema.actions };
    this.ready = true;
  }

  /** Poll only while it can be seen and nothing is pending. */
  poll() {
    if (!this.ready || this.inFlight || document.hidden || !this.painter.visible) return;
    this.inFlight = true;
    this.client.request("get_network").catch(() => {}).finally(() => (this.inFlight = false));
  }

  /** The input labels follow the clone's own feature set. @param {any} s settings */
  inputsOf(s) {
    const set = this.schema?.feature_sets?.find((/** @type {any} */ f) => f.name === s?.feature_set);
    if (set && this.labels.features !== set.features) {
      this.labels = { ...this.labels, features: set.features };
      this.painter.mark();
    }
  }

  suspend() {
    this.ready = false;
  }

  destroy() {
    clearInterval(this.timer);
    for (const off of this.offs) off();
    this.painter.destroy();
  }
}
