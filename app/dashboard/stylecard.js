// "You vs your clone": how the clone plays, next to how you play, from the worker's `style`
// reply (pymodel/style.py computes every trait; this card only draws). Paired histograms of
// where each side meets the ball and where it waits, reaction and movement side by side, and
// over the session the clone's share of returns and the points you win a minute: "harder to
// beat" as a curve. The latest figures are also kept in `data-style` (JSON) for scripts.

import { History, drawBars, drawLines, fmt } from "./charts.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const POLL_MS = 3000; // a fingerprint costs the worker a few ms: every 3 s is plenty
const WINDOW_S = 180; // the rolling window, game seconds (the last 3 minutes)
const YOU = "#4ff0ff"; // the paddles' colours (app/game/renderer.js)
const CLONE = "#ff5ccf";

const MARKUP = `
<h2>You vs your clone</h2>
<p id="style-sentence" class="mp-style-sentence" aria-live="polite">Play a few rallies to see how your clone's style compares.</p>
<figure><figcaption>Where each of you meets the ball (on the paddle)</figcaption>
  <canvas id="style-hit-chart" data-updates="0" role="img" aria-label="Hit offsets, you and your clone"></canvas></figure>
<figure><figcaption>Where each of you waits while the ball moves away (court height)</figcaption>
  <canvas id="style-wait-chart" data-updates="0" role="img" aria-label="Waiting heights, you and your clone"></canvas></figure>
<table class="mp-style-table" id="style-table">
  <thead><tr><th scope="col">last 3 minutes</th><th scope="col" class="mp-you">you</th><th scope="col" class="mp-clone">clone</th></tr></thead>
  <tbody></tbody>
</table>
<figure><figcaption>Harder to beat: the clone's returns, and the points you win a minute (last minute)</figcaption>
  <canvas id="style-harder-chart" data-updates="0" role="img" aria-label="The clone's share of returns over the session"></canvas>
  <canvas id="style-points-chart" data-updates="0" role="img" aria-label="Points you win per minute over the session"></canvas></figure>
`;

/** @param {any} trait @returns {number | null} */
const median = (trait) => (trait && Number.isFinite(trait.median) ? trait.median : null);
/** @param {any} trait @returns {number | null} */
const value = (trait) => (trait && Number.isFinite(trait.value) ? trait.value : null);

/** Shares of a histogram's counts (all zero when empty). @param {number[]} hist */
function shares(hist) {
  const n = hist.reduce((a, b) => a + b, 0);
  return hist.map((c) => (n ? c / n : 0));
}

/** Bin labels: only the ends and the middle, so ten bars stay readable on a phone. */
function binLabels(/** @type {number} */ bins, /** @type {[string, string, string]} */ [a, m, b]) {
  return Array.from({ length: bins }, (_, i) => (i === 0 ? a : i === bins - 1 ? b : i === Math.floor(bins / 2) ? m : ""));
}

export class StyleCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   */
  constructor(el, client) {
    this.el = el;
    this.client = client;
    el.innerHTML = MARKUP;
    this.history = new History(300);
    /** @type {any} */ this.latest = null;
    this.ready = false;
    this.inFlight = false;
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  start() {
    this.ready = true;
    this.poll();
  }

  poll() {
    if (!this.ready || this.inFlight || document.hidden) return;
    this.inFlight = true;
    this.client.request("get_style", { window_s: WINDOW_S })
      .then((reply) => this.show(reply))
      .catch(() => {})
      .finally(() => (this.inFlight = false));
  }

  /** @param {any} s a `style` reply */
  show(s) {
    this.latest = s;
    this.history.push(s.t, { returns: s.recent.clone_returns, points: s.recent.you_points_per_min });
    const q = (/** @type {string} */ id) => /** @type {any} */ (this.el.querySelector("#" + id));
    q("style-sentence").textContent = s.sentence;
    const you = s.left;
    const clone = s.right;
    const series = (/** @type {string} */ trait) => [
      { label: "you", color: YOU, values: shares(you[trait].hist) },
      { label: "clone", color: CLONE, values: shares(clone[trait].hist) },
    ];
    drawBars(q("style-hit-chart"), binLabels(you.hit_offset.hist.length, ["top", "centre", "bottom"]), series("hit_offset"),
      { caption: `hits: ${you.hit_offset.n} / ${clone.hit_offset.n}` });
    drawBars(q("style-wait-chart"), binLabels(you.wait_y.hist.length, ["top", "middle", "bottom"]), series("wait_y"));
    const pct = (/** @type {number | null} */ v) => (v === null ? "–" : `${Math.round(v * 100)}%`);
    const num = (/** @type {number | null} */ v, /** @type {number} */ k = 1, unit = "") => (v === null ? "–" : `${fmt(v * k)}${unit}`);
    const rows = [
      ["meets the ball at (offset, median)", num(median(you.hit_offset), 1), num(median(clone.hit_offset), 1)],
      ["waits at (court height, median)", num(median(you.wait_y), 1), num(median(clone.wait_y), 1)],
      ["reacts after the other's hit", num(median(you.reaction_s), 1000, " ms"), num(median(clone.reaction_s), 1000, " ms")],
      ["moving", pct(value(you.moving_share)), pct(value(clone.moving_share))],
      ["changes of direction a rally", num(value(you.switches_per_rally)), num(value(clone.switches_per_rally))],
      ["returns the ball", pct(value(you.returns)), pct(value(clone.returns))],
    ];
    q("style-table").tBodies[0].replaceChildren(...rows.map(([name, a, b]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      const ta = document.createElement("td");
      ta.textContent = a;
      const tb = document.createElement("td");
      tb.textContent = b;
      tr.append(th, ta, tb);
      return tr;
    }));
    drawLines(q("style-harder-chart"), this.history.t,
      [{ label: "clone returns", color: CLONE, values: this.history.col("returns") }],
      { yMin: 0, yMax: 1, percent: true, empty: "needs a minute of rallies…" });
    drawLines(q("style-points-chart"), this.history.t,
      [{ label: "your points a minute", color: YOU, values: this.history.col("points") }],
      { yMin: 0, empty: "needs a minute of rallies…" });
    this.el.dataset.style = JSON.stringify({
      t: s.t,
      sentence: s.sentence,
      you: summary(you),
      clone: summary(clone),
      history: { t: this.history.t, clone_returns: this.history.col("returns"), you_points_per_min: this.history.col("points") },
    });
  }

  /** The returns and points history belong to a clone: a new clone starts a new curve. */
  clear() {
    this.history.clear();
  }

  destroy() {
    clearInterval(this.timer);
  }
}

/** The headline figures of one side's fingerprint. @param {any} fp */
function summary(fp) {
  return {
    hit_median: median(fp.hit_offset),
    hits: fp.hit_offset.n,
    wait_median: median(fp.wait_y),
    reaction_s: median(fp.reaction_s),
    moving_share: value(fp.moving_share),
    returns: value(fp.returns),
  };
}
