// "You vs your clone": how the clone plays, next to how you play, from the worker's `style`
// reply (pymodel/sim/style.py computes every trait; this card only draws). Paired histograms of
// where each side meets the ball and where it waits, a table with one row per trait (its
// label, unit and digits come from the schema's `style_traits`), and over the session the
// clone's share of returns and the points you win a minute: "harder to beat" as a curve; and
// the clone's history of blind mirror tests ("which one is you?", mirrorcard.js): how often
// you were fooled, beside how often the fingerprint judge named you right. The latest figures
// are also kept in `data-style` and `data-history` (JSON) for scripts.

import { History, drawBars, drawLines } from "../ui/charts.js";
import { Painter } from "../ui/painter.js";
import { setText } from "../ui/dom.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {{name: string, kind: string, label: string, unit: string, scale: number,
 *   digits: number}} TraitSpec */

const POLL_MS = 3000; // a fingerprint costs the worker a few ms: every 3 s is plenty
const WINDOW_S = 180; // the rolling window, game seconds (the last 3 minutes)
const YOU = "#4ff0ff"; // the paddles' colours (app/game/renderer.js)
const CLONE = "#ff5ccf";

const MARKUP = `
<h2>You vs your clone</h2>
<p id="style-sentence" class="mp-style-sentence" aria-live="polite"></p>
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
<h3 class="mp-h3">Which one is you? The blind tests it took</h3>
<p id="style-mirror-none" class="mp-sub">None yet: take the mirror test to see whether you can tell your clone from yourself.</p>
<table class="mp-style-table" id="style-mirror-table" hidden>
  <thead><tr><th scope="col">when</th><th scope="col">you were fooled</th><th scope="col">the fingerprint judge was right</th></tr></thead>
  <tbody></tbody>
</table>
`;

/** The headline number of a trait: its median, else its value (null when too little play). */
function headline(/** @type {any} */ trait) {
  if (!trait) return null;
  const v = "median" in trait ? trait.median : trait.value;
  return Number.isFinite(v) ? v : null;
}

/** Shares of a histogram's counts (all zero when empty). @param {number[]} hist */
function shares(hist) {
  const n = hist.reduce((a, b) => a + b, 0);
  return hist.map((c) => (n ? c / n : 0));
}

/** Bin labels: only the ends and the middle, so ten bars stay readable on a phone. */
function binLabels(/** @type {number} */ bins, /** @type {[string, string, string]} */ [a, m, b]) {
  return Array.from({ length: bins }, (_, i) => (i === 0 ? a : i === bins - 1 ? b : i === Math.floor(bins / 2) ? m : ""));
}

/** A trait's value as the card shows it. @param {TraitSpec} t @param {number | null} v */
function shown(t, v) {
  if (v === null) return "–";
  const x = v * t.scale;
  const unit = t.unit === "%" ? "%" : t.unit ? ` ${t.unit}` : "";
  return `${x.toFixed(t.digits)}${unit}`;
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
    /** @type {TraitSpec[]} */ this.traits = [];
    this.ready = false;
    this.inFlight = false;
    this.tableKey = "";
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.offs = [
      client.on("mirror_result", (m) => this.showHistory(m.history)),
      client.on("history", (m) => this.showHistory(m.entries)),
      client.on("imported", (m) => this.showHistory(m.history)),
    ];
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    this.painters = [
      new Painter(q("style-hit-chart"), () => this.drawProfile("style-hit-chart", "hit_offset", ["top", "centre", "bottom"], true)),
      new Painter(q("style-wait-chart"), () => this.drawProfile("style-wait-chart", "wait_y", ["top", "middle", "bottom"], false)),
      new Painter(q("style-harder-chart"), () => this.drawHarder()),
    ];
  }

  /** @param {TraitSpec[]} traits the schema's style_traits */
  start(traits = []) {
    this.traits = traits;
    this.ready = true;
    this.poll();
    this.askHistory();
  }

  askHistory() {
    this.client.request("get_history").catch(() => {});
  }

  /** The clone's mirror tests, newest first. @param {any[] | undefined} entries */
  showHistory(entries) {
    if (!Array.isArray(entries)) return;
    const tests = entries.filter((e) => e.kind === "mirror_test");
    const share = (/** @type {number} */ n, /** @type {number} */ of) => `${n} of ${of} (${Math.round((100 * n) / Math.max(of, 1))}%)`;
    this.q("style-mirror-none").hidden = tests.length > 0;
    this.q("style-mirror-table").hidden = tests.length === 0;
    this.q("style-mirror-table").tBodies[0].replaceChildren(...tests.slice().reverse().map((e) => {
      const tr = document.createElement("tr");
      const when = Number.isFinite(e.at) ? new Date(e.at).toLocaleString() : `${Math.round(e.game_seconds)} s into a game`;
      for (const text of [when, share(e.fooled, e.rounds), share(e.machine_right, e.rounds)]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    this.el.dataset.history = JSON.stringify(tests);
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
    setText(this.q("style-sentence"), s.sentence);
    this.fillTable(s.left, s.right);
    for (const p of this.painters) p.mark();
    this.el.dataset.style = JSON.stringify({
      t: s.t,
      sentence: s.sentence,
      you: summary(s.left),
      clone: summary(s.right),
      history: { t: this.history.t, clone_returns: this.history.col("returns"), you_points_per_min: this.history.col("points") },
    });
  }

  /** One row per trait of the schema, rebuilt only when a cell changed. @param {any} you @param {any} clone */
  fillTable(you, clone) {
    const cells = this.traits.map((t) => [t.label, shown(t, headline(you[t.name])), shown(t, headline(clone[t.name]))]);
    const key = JSON.stringify(cells);
    if (key === this.tableKey) return;
    this.tableKey = key;
    this.q("style-table").tBodies[0].replaceChildren(...this.traits.map((t, i) => {
      const tr = document.createElement("tr");
      tr.dataset.trait = t.name;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = cells[i][0];
      tr.append(th);
      for (const text of cells[i].slice(1)) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  }

  /** @param {string} id @param {string} trait @param {[string, string, string]} ends @param {boolean} caption */
  drawProfile(id, trait, ends, caption) {
    const s = this.latest;
    if (!s) return;
    const series = [
      { label: "you", color: YOU, values: shares(s.left[trait].hist) },
      { label: "clone", color: CLONE, values: shares(s.right[trait].hist) },
    ];
    const opts = caption ? { caption: `hits: ${s.left[trait].n} / ${s.right[trait].n}` } : {};
    drawBars(this.q(id), binLabels(s.left[trait].hist.length, ends), series, opts);
  }

  drawHarder() {
    const h = this.history;
    drawLines(this.q("style-harder-chart"), h.t,
      [{ label: "clone returns", color: CLONE, values: h.col("returns") }],
      { yMin: 0, yMax: 1, percent: true, empty: "needs a minute of rallies…" });
    drawLines(this.q("style-points-chart"), h.t,
      [{ label: "your points a minute", color: YOU, values: h.col("points") }],
      { yMin: 0, empty: "needs a minute of rallies…" });
  }

  /** The returns and points history belong to a clone: a new clone starts a new curve. */
  clear() {
    this.history.clear();
    if (this.ready) this.askHistory();
  }

  destroy() {
    clearInterval(this.timer);
    for (const off of this.offs) off();
    for (const p of this.painters) p.destroy();
  }
}

/** The headline figures of one side's fingerprint. @param {any} fp */
function summary(fp) {
  return {
    hit_median: headline(fp.hit_offset),
    hits: fp.hit_offset.n,
    wait_median: headline(fp.wait_y),
    reaction_s: headline(fp.reaction_s),
    turn_reaction_s: headline(fp.turn_reaction_s),
    hold_s: headline(fp.hold_s),
    switches_per_rally: headline(fp.switches_per_rally),
    moving_share: headline(fp.moving_share),
    returns: headline(fp.returns),
  };
}
