// "Your clone is learning": the training card. Loss, mirror score, frames seen vs kept and
// the replay buffer's make-up, from the worker's `metrics` messages, over the session. It only
// draws (painter.js decides when); every figure comes from pymodel's trainer.

import { History, drawBars, drawLines, fmt } from "../ui/charts.js";
import { Painter } from "../ui/painter.js";
import { setText } from "../ui/dom.js";
import { ACTIONS } from "../game/protocol.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const MARKUP = `
<header class="mp-head">
  <h2>Your clone is learning</h2>
  <p class="mp-rate" title="Minibatch steps per second of the time spent training: what this device can do. The clone takes a fixed number of steps per second of play."><span id="steps-per-s">–</span> steps/s training speed</p>
</header>
<p id="clone-status" class="mp-status">Starting…</p>
<p id="training-cost" class="mp-status" title="Milliseconds of training per second of play, and the share of one processor core it takes while you play.">–</p>
<figure><figcaption>Loss (lower is better)</figcaption>
  <canvas id="loss-chart" data-updates="0" role="img" aria-label="Training loss over game time"></canvas></figure>
<figure><figcaption>Mirror score: how often it picks your move</figcaption>
  <canvas id="mirror-chart" data-updates="0" role="img" aria-label="Mirror score while the ball approaches and moves away"></canvas></figure>
<figure><figcaption>Frames seen vs kept for training</figcaption>
  <canvas id="samples-chart" data-updates="0" role="img" aria-label="Samples seen and kept"></canvas></figure>
<figure><figcaption>Replay buffer: frames by action and phase</figcaption>
  <canvas id="buffer-chart" data-updates="0" role="img" aria-label="Buffer make-up"></canvas></figure>
`;
const APPROACH = "#4fc3f7";
const AWAY = "#f78c6c";

export class TrainingCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   */
  constructor(el, client) {
    this.el = el;
    el.innerHTML = MARKUP;
    this.history = new History(400);
    /** @type {any} */ this.last = null;
    /** @type {readonly string[]} */ this.actions = ACTIONS; // the schema's, once ready
    const canvas = (/** @type {string} */ id) => /** @type {HTMLCanvasElement} */ (el.querySelector("#" + id));
    this.painters = [
      new Painter(canvas("loss-chart"), () => this.drawLoss()),
      new Painter(canvas("mirror-chart"), () => this.drawMirror()),
      new Painter(canvas("samples-chart"), () => this.drawSamples()),
      new Painter(canvas("buffer-chart"), () => this.drawBuffer()),
    ];
    this.canvas = canvas;
    this.off = client.on("metrics", (m) => this.onMetrics(m));
  }

  /** @param {string[]} actions the schema's action names */
  configure(actions) {
    this.actions = actions;
  }

  /** @param {any} m a `metrics` message */
  onMetrics(m) {
    this.last = m;
    const mirror = m.mirror || {};
    this.history.push(Number(m.t) || 0, {
      loss: m.loss, approach: mirror.approach, away: mirror.away, all: mirror.all, seen: m.seen, kept: m.kept,
    });
    const rate = Number.isFinite(m.steps_per_s) ? Math.round(m.steps_per_s).toLocaleString("en") : "–";
    setText(this.el.querySelector("#steps-per-s"), rate);
    setText(this.el.querySelector("#clone-status"), statusLine(m));
    setText(this.el.querySelector("#training-cost"), costLine(m.cost));
    this.redraw();
  }

  redraw() {
    for (const p of this.painters) p.mark();
  }

  drawLoss() {
    const h = this.history;
    drawLines(this.canvas("loss-chart"), h.t, [{ label: "loss", color: "#ffd166", values: h.col("loss") }], { yMin: 0 });
  }

  drawMirror() {
    const h = this.history;
    drawLines(this.canvas("mirror-chart"), h.t, [
      { label: "approaching", color: APPROACH, values: h.col("approach") },
      { label: "moving away", color: AWAY, values: h.col("away") },
      { label: "all", color: "rgba(230,236,245,0.5)", values: h.col("all"), dash: [3, 3] },
    ], { yMin: 0, yMax: 1, percent: true, empty: "needs a few rallies…" });
  }

  drawSamples() {
    const h = this.history;
    drawLines(this.canvas("samples-chart"), h.t, [
      { label: "seen", color: "#a0aec0", values: h.col("seen") },
      { label: "kept", color: "#7bd88f", values: h.col("kept") },
    ], { yMin: 0 });
  }

  drawBuffer() {
    const buf = this.last?.buffer;
    const count = (/** @type {string} */ phase) => this.actions.map((a) => (buf?.[phase] ? buf[phase][a] || 0 : 0));
    drawBars(this.canvas("buffer-chart"), this.actions, [
      { label: "approaching", color: APPROACH, values: count("approach") },
      { label: "away", color: AWAY, values: count("away") },
    ], { caption: buf ? `${fmt(buf.size)} / ${fmt(buf.capacity)}` : "" });
  }

  /** A new clone: a new curve. */
  clear() {
    this.history.clear();
    this.redraw();
  }

  destroy() {
    this.off();
    for (const p of this.painters) p.destroy();
  }
}

/** What training costs now. @param {any} cost the metrics' cost */
function costLine(cost) {
  if (!cost) return "–";
  const share = `${(100 * cost.core_share).toFixed(cost.core_share < 0.1 ? 1 : 0)}%`;
  return `training: ${cost.steps_per_second} steps a game second (${cost.budget}), ` +
    `${cost.train_ms_per_s.toFixed(0)} ms per second of play, ${share} of one core`;
}

/** @param {any} m a metrics message */
function statusLine(m) {
  const s = m.settings || {};
  const parts = [
    s.learning === false ? "learning paused" : "learning",
    `${s.sampler || "?"} sampler`,
    `${fmt(m.steps || 0)} steps`,
  ];
  if (m.buffer) parts.push(`buffer ${fmt(m.buffer.size)}/${fmt(m.buffer.capacity)}`);
  if (Number.isFinite(m.loss)) parts.push(`loss ${m.loss.toFixed(3)}`);
  return parts.join(" · ");
}
