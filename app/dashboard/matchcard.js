// "Matches": the match history kept with the clone (the worker's `matches` reply: every
// finished match's score, length and the clone's age in minutes of your play), "harder to
// beat" match by match (your margin per match, next to the clone's return rate, from two
// matches on), and a new match to any number of points (the schema's match.points range).
// The values drawn are kept in `data-chart` (JSON) for scripts; they are the history's.

import { drawLines } from "../ui/charts.js";
import { Painter } from "../ui/painter.js";
import { clock } from "../game/match.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {import("../game/match.js").MatchRecord} MatchRecord */

const YOU = "#4ff0ff"; // the paddles' colours (app/game/renderer.js)
const CLONE = "#ff5ccf";
const ROWS = 6; // matches listed, newest first

const MARKUP = `
<h2>Matches</h2>
<p id="match-now" class="mp-status" aria-live="polite">Starting…</p>
<div class="mp-lab-row"><label for="match-to">First to</label>
  <input type="number" id="match-to" inputmode="numeric">
  <button type="button" id="new-match">New match</button></div>
<figure id="match-chart-box" hidden><figcaption>Harder to beat: your margin per match (points), and the share of balls the clone returned</figcaption>
  <canvas id="match-margin-chart" data-updates="0" role="img" aria-label="Your margin (your points minus the clone's) in each match"></canvas>
  <canvas id="match-returns-chart" data-updates="0" role="img" aria-label="The clone's share of returned balls in each match"></canvas></figure>
<p id="match-chart-hint" class="mp-sub">After two matches, a chart shows whether your margin shrinks as the clone learns.</p>
<table class="mp-style-table" id="match-table" hidden>
  <thead><tr><th scope="col">match</th><th scope="col">you – clone</th><th scope="col">length</th><th scope="col">clone's age</th></tr></thead>
  <tbody></tbody>
</table>
`;

export class MatchCard {
  /** @param {HTMLElement} el @param {WorkerClient} client @param {{notice: {show: (m: string, k?: any) => void}}} opts */
  constructor(el, client, opts) {
    this.el = el;
    this.client = client;
    this.opts = opts;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    /** @type {MatchRecord[]} */ this.history = [];
    this.ready = false;
    this.to = /** @type {HTMLInputElement} */ (q("match-to"));
    q("new-match").addEventListener("click", () => this.newMatch());
    this.painter = new Painter(q("match-chart-box"), () => this.draw());
    this.offs = [
      client.on("frame", (f) => this.onFrame(f)),
      client.on("matches", (m) => this.show(m)),
      client.on("imported", () => this.refresh()),
      client.on("settings", () => this.refresh()), // Reset AI or a new network: a new history
    ];
  }

  /** @param {{match: {points: {default: number, min: number, max: number}}}} schema @param {number | undefined} to */
  start(schema, to) {
    const p = schema.match.points;
    Object.assign(this.to, { min: String(p.min), max: String(p.max), value: String(to ?? p.default) });
    this.ready = true;
    this.refresh();
  }

  refresh() {
    if (this.ready) this.client.request("get_matches").catch(() => {});
  }

  /** A frame: the match line, and the history again when a match ended or began. @param {any} f */
  onFrame(f) {
    if (!f.match) return;
    const m = f.match;
    const where = m.state === "free" ? `Free play after match ${m.number}` : `Match ${m.number}, first to ${m.to}`;
    const text = `${where}: you ${f.score.left}, clone ${f.score.right}.`;
    if (this.q("match-now").textContent !== text) this.q("match-now").textContent = text;
    if (f.events.includes("match_over") || f.events.includes("match_start")) this.refresh();
  }

  /** A `matches` reply (from anyone's get_matches, new_match or free_play). @param {any} reply */
  show(reply) {
    this.history = reply.history;
    const rows = this.history.slice(-ROWS).reverse().map((r) => {
      const tr = document.createElement("tr");
      tr.dataset.match = String(r.number);
      const cells = [`#${r.number} (to ${r.to})`, `${r.left} – ${r.right}`, clock(r.seconds), `${r.age_min.toFixed(1)} min`];
      for (const [i, text] of cells.entries()) {
        const td = document.createElement(i ? "td" : "th");
        if (!i) td.setAttribute("scope", "row");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    });
    this.q("match-table").tBodies[0].replaceChildren(...rows);
    this.q("match-table").hidden = rows.length === 0;
    const enough = this.history.length >= 2;
    this.q("match-chart-box").hidden = !enough;
    this.q("match-chart-hint").hidden = enough;
    this.el.dataset.chart = JSON.stringify(this.series());
    this.el.dataset.matches = String(this.history.length);
    this.painter.mark();
  }

  /** What the chart draws, straight from the history. */
  series() {
    const h = this.history;
    return { number: h.map((r) => r.number), margin: h.map((r) => r.left - r.right), returns: h.map((r) => r.returns) };
  }

  draw() {
    if (this.history.length < 2) return;
    const { number, margin, returns } = this.series();
    const xLabel = (/** @type {number} */ n) => `match ${n}`;
    const reach = Math.max(1, ...margin.map(Math.abs)); // symmetric: the middle line is 0
    drawLines(this.q("match-margin-chart"), number, [{ label: "your margin", color: YOU, values: margin }],
      { yMin: -reach, yMax: reach, rule: 0, dots: true, whole: true, xLabel });
    drawLines(this.q("match-returns-chart"), number, [{ label: "clone returns", color: CLONE, values: returns }],
      { yMin: 0, yMax: 1, percent: true, dots: true, xLabel });
  }

  /** A new match to the points in the field (checked against the schema's range first). */
  async newMatch() {
    const to = Number(this.to.value);
    if (!Number.isInteger(to) || to < Number(this.to.min) || to > Number(this.to.max)) {
      this.opts.notice.show(`A match is played to a whole number of points from ${this.to.min} to ${this.to.max}.`, "error");
      return;
    }
    try {
      await this.client.request("new_match", { to });
    } catch (err) {
      this.opts.notice.show(`Could not start a new match: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  destroy() {
    for (const off of this.offs) off();
    this.painter.destroy();
  }
}
