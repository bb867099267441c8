// Small canvas charts for the dashboard and the Lab, no library: a line chart over a bounded
// history, a grouped bar chart, and a chart described by Python (the Lab's). Drawing is pure
// (data in, pixels out); the cards decide when to redraw (painter.js).
// Every canvas is sized in CSS pixels by the stylesheet and backed by devicePixelRatio
// pixels (at most dom.js's MAX_DPR), so lines stay sharp on high-DPI screens; its CSS size
// comes from a ResizeObserver, so drawing a chart never forces a layout.

import { backingDpr, cssSize } from "./dom.js";

/**
 * @typedef {{label: string, color: string, values: (number | null)[], dash?: number[],
 *   lo?: (number | null)[], hi?: (number | null)[]}} Series lo/hi: a band drawn behind the line
 */

const FONT = "11px system-ui, -apple-system, Segoe UI, sans-serif";
const GRID = "rgba(255,255,255,0.08)";
const TEXT = "rgba(230,236,245,0.75)";

/**
 * A history of samples that never grows past `max` points: when full, it halves itself by
 * keeping every other point and from then on accepts every other new sample (the stride
 * doubles). A whole session stays visible in constant memory.
 */
export class History {
  /** @param {number} [max] */
  constructor(max = 400) {
    this.max = max;
    this.stride = 1;
    this.skipped = 0;
    /** @type {number[]} */ this.t = [];
    /** @type {Record<string, (number | null)[]>} */ this.cols = {};
  }

  /**
   * @param {number} t time of the sample (game seconds)
   * @param {Record<string, number | null | undefined>} row
   */
  push(t, row) {
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    this.t.push(t);
    for (const [key, value] of Object.entries(row)) {
      if (!this.cols[key]) this.cols[key] = new Array(this.t.length - 1).fill(null);
      this.cols[key].push(Number.isFinite(value) ? /** @type {number} */ (value) : null);
    }
    for (const col of Object.values(this.cols)) while (col.length < this.t.length) col.push(null);
    if (this.t.length >= this.max) {
      const keep = (/** @type {any[]} */ a) => a.filter((_, i) => i % 2 === 1);
      this.t = keep(this.t);
      for (const key of Object.keys(this.cols)) this.cols[key] = keep(this.cols[key]);
      this.stride *= 2;
    }
  }

  clear() {
    this.t = [];
    this.cols = {};
    this.stride = 1;
    this.skipped = 0;
  }

  /** @param {string} key */
  col(key) {
    return this.cols[key] || [];
  }
}

/**
 * Match the canvas backing store to its CSS size times the (capped) devicePixelRatio and
 * return a context scaled so that drawing happens in CSS pixels.
 * @param {HTMLCanvasElement} canvas
 * @returns {{ctx: CanvasRenderingContext2D, w: number, h: number}}
 */
export function fitCanvas(canvas) {
  const dpr = backingDpr();
  const size = cssSize(canvas);
  const w = Math.max(1, Math.round(size.w || 300));
  const h = Math.max(1, Math.round(size.h || 120));
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** Count redraws on the element, for tests and for curious readers of the DOM. */
function bump(/** @type {HTMLElement} */ el) {
  el.dataset.updates = String(Number(el.dataset.updates || 0) + 1);
}

/** A short human label for a number on an axis. */
export function fmt(/** @type {number} */ v) {
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
  if (a >= 1e4) return (v / 1e3).toFixed(0) + "k";
  if (a >= 1e3) return (v / 1e3).toFixed(1) + "k";
  if (a >= 10 || a === 0) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toFixed(2);
}

/**
 * The canvas fitted to its box, with the padding every chart leaves for its axis labels.
 * @param {HTMLCanvasElement} canvas
 */
function plotArea(canvas) {
  const { ctx, w, h } = fitCanvas(canvas);
  ctx.font = FONT;
  const pad = { l: 34, r: 8, t: 18, b: 16 };
  return { ctx, w, h, pad, pw: w - pad.l - pad.r, ph: h - pad.t - pad.b };
}

/** The y range of the series (or the fixed one of `opts`), and whether there is a line to draw. */
function yRange(/** @type {number[]} */ xs, /** @type {Series[]} */ series, /** @type {LineOpts} */ opts) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s.values) {
      if (v === null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const hasData = Number.isFinite(lo) && xs.length > 1;
  if (opts.yMin !== undefined) lo = opts.yMin;
  if (opts.yMax !== undefined) hi = opts.yMax;
  if (!Number.isFinite(lo)) lo = 0;
  if (!Number.isFinite(hi) || hi <= lo) hi = lo + 1;
  return { lo, hi, hasData };
}

/** A value as its axis or legend shows it. */
const label = (/** @type {number} */ v, /** @type {LineOpts} */ opts) =>
  opts.percent ? `${Math.round(v * 100)}%` : opts.whole ? String(Math.round(v)) : fmt(v);

/** Three grid lines with their values, and the x range at the two ends. */
function drawAxes(/** @type {Plot} */ p, /** @type {number[]} */ xs, /** @type {LineOpts} */ opts) {
  const { ctx, w, h, pad } = p;
  ctx.strokeStyle = GRID;
  ctx.fillStyle = TEXT;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = 0; i <= 2; i++) {
    const v = p.lo + ((p.hi - p.lo) * i) / 2;
    const y = Math.round(p.Y(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(w - pad.r, y);
    ctx.stroke();
    ctx.fillText(label(v, opts), pad.l - 4, y);
  }
  ctx.textBaseline = "alphabetic";
  if (xs.length > 1) {
    const xText = opts.xLabel || ((/** @type {number} */ x) => `${fmt(x)} s`);
    ctx.textAlign = "left";
    ctx.fillText(xText(xs[0]), pad.l, h - 3);
    ctx.textAlign = "right";
    ctx.fillText(xText(xs[xs.length - 1]), w - pad.r, h - 3);
  }
}

/** Legend along the top, each label with the latest value. */
function drawLegend(/** @type {Plot} */ p, /** @type {Series[]} */ series, /** @type {LineOpts} */ opts) {
  const { ctx } = p;
  let lx = p.pad.l;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  for (const s of series) {
    const last = [...s.values].reverse().find((v) => v !== null && v !== undefined);
    const text = `${s.label} ${last === undefined || last === null ? "–" : label(last, opts)}`;
    ctx.fillStyle = s.color;
    ctx.fillRect(lx, 6, 10, 3);
    ctx.fillStyle = TEXT;
    ctx.fillText(text, lx + 14, 8);
    lx += 22 + ctx.measureText(text).width;
  }
}

/** Each series' band (lo to hi), faint, behind the lines. */
function drawBands(/** @type {Plot} */ p, /** @type {number[]} */ xs, /** @type {Series[]} */ series) {
  const { ctx, X, Y } = p;
  for (const s of series) {
    const lo = s.lo;
    const hi = s.hi;
    if (!lo || !hi) continue;
    const idx = xs.map((_, i) => i).filter((i) => lo[i] != null && hi[i] != null);
    ctx.fillStyle = s.color;
    ctx.globalAlpha = 0.18;
    ctx.beginPath();
    idx.forEach((i, k) => (k ? ctx.lineTo : ctx.moveTo).call(ctx, X(xs[i]), Y(/** @type {number} */ (hi[i]))));
    for (const i of idx.slice().reverse()) ctx.lineTo(X(xs[i]), Y(/** @type {number} */ (lo[i])));
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
  }
}

/** A dot on every point (for a few samples, such as one per match). */
function drawDots(/** @type {Plot} */ p, /** @type {number[]} */ xs, /** @type {Series[]} */ series) {
  const { ctx, X, Y } = p;
  for (const s of series) {
    ctx.fillStyle = s.color;
    xs.forEach((x, i) => {
      const v = s.values[i];
      if (v === null || v === undefined) return;
      ctx.beginPath();
      ctx.arc(X(x), Y(v), 2.5, 0, Math.PI * 2);
      ctx.fill();
    });
  }
}

/** The lines; a gap in the data is a gap in the line. */
function drawSeries(/** @type {Plot} */ p, /** @type {number[]} */ xs, /** @type {Series[]} */ series) {
  const { ctx, X, Y } = p;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = "round";
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const v = s.values[i];
      if (v === null || v === undefined) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(X(xs[i]), Y(v));
      else ctx.moveTo(X(xs[i]), Y(v));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** A dashed horizontal line at `value` (a threshold). */
function drawRule(/** @type {Plot} */ p, /** @type {number} */ value) {
  const { ctx, pad, w } = p;
  ctx.strokeStyle = TEXT;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(pad.l, p.Y(value));
  ctx.lineTo(w - pad.r, p.Y(value));
  ctx.stroke();
  ctx.setLineDash([]);
}

/**
 * @typedef {{yMin?: number, yMax?: number, percent?: boolean, empty?: string, rule?: number,
 *   xLabel?: (x: number) => string, dots?: boolean, whole?: boolean}} LineOpts
 *   yMin/yMax fix the range (otherwise it fits the data); percent labels 0..1 as 0..100 %;
 *   rule draws a dashed horizontal line at that value (a threshold); xLabel labels the x
 *   axis's ends (default: seconds); dots marks every point; whole labels whole numbers.
 * @typedef {ReturnType<typeof plotArea> & {lo: number, hi: number, X: (x: number) => number,
 *   Y: (y: number) => number}} Plot
 */

/**
 * Draw one or more series against a shared x axis.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} xs
 * @param {Series[]} series
 * @param {LineOpts} [opts]
 */
export function drawLines(canvas, xs, series, opts = {}) {
  const area = plotArea(canvas);
  const { lo, hi, hasData } = yRange(xs, series, opts);
  const { pad, pw, ph, ctx } = area;
  const x0 = xs.length ? xs[0] : 0;
  const x1 = xs.length > 1 ? xs[xs.length - 1] : x0 + 1;
  /** @type {Plot} */
  const p = {
    ...area,
    lo,
    hi,
    X: (x) => pad.l + ((x - x0) / (x1 - x0 || 1)) * pw,
    Y: (y) => pad.t + ph - ((y - lo) / (hi - lo)) * ph,
  };
  drawAxes(p, xs, opts);
  if (!hasData) {
    ctx.textAlign = "center";
    ctx.fillText(opts.empty || "waiting for data…", pad.l + pw / 2, pad.t + ph / 2);
  }
  drawLegend(p, series, opts);
  if (hasData) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t - 1, pw, ph + 2);
    ctx.clip();
    drawBands(p, xs, series);
    if (opts.rule !== undefined) drawRule(p, opts.rule);
    drawSeries(p, xs, series);
    if (opts.dots) drawDots(p, xs, series);
    ctx.restore();
  }
  bump(canvas);
}

/**
 * A chart that Python describes (pymodel/lab/charts.py, `lab_chart`): one series per
 * variant with its colour, median curve and min-max band, and a threshold. The SVG download
 * is drawn from the same description, so the two cannot disagree.
 * @param {HTMLCanvasElement} canvas
 * @param {{threshold: number, series: {name: string, colour: string, t: number[],
 *   median: number[], lo: number[], hi: number[]}[]}} chart
 */
export function drawChart(canvas, chart) {
  const ts = [...new Set(chart.series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const series = chart.series.map((s) => {
    const at = (/** @type {number[]} */ col) => ts.map((t) => {
      const k = s.t.indexOf(t);
      return k < 0 ? null : col[k];
    });
    return { label: s.name, color: s.colour, values: at(s.median), lo: at(s.lo), hi: at(s.hi) };
  });
  drawLines(canvas, ts, series, { yMin: 0, yMax: 1, percent: true, rule: chart.threshold });
}

/**
 * Grouped bars: one group per label, one bar per series within each group.
 * @param {HTMLCanvasElement} canvas
 * @param {string[]} groups
 * @param {{label: string, color: string, values: number[]}[]} series
 * @param {{caption?: string}} [opts]
 */
export function drawBars(canvas, groups, series, opts = {}) {
  const { ctx, w, h, pad, pw, ph } = plotArea(canvas);
  let hi = 1;
  for (const s of series) for (const v of s.values) if (v > hi) hi = v;

  ctx.strokeStyle = GRID;
  ctx.fillStyle = TEXT;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = 0; i <= 2; i++) {
    const v = (hi * i) / 2;
    const y = Math.round(pad.t + ph - (v / hi) * ph) + 0.5;
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(w - pad.r, y);
    ctx.stroke();
    ctx.fillText(fmt(v), pad.l - 4, y);
  }

  const gw = pw / Math.max(1, groups.length);
  const bw = Math.max(2, (gw * 0.7) / Math.max(1, series.length));
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  groups.forEach((g, gi) => {
    const gx = pad.l + gi * gw + (gw - bw * series.length) / 2;
    series.forEach((s, si) => {
      const v = s.values[gi] || 0;
      const bh = (v / hi) * ph;
      ctx.fillStyle = s.color;
      ctx.fillRect(gx + si * bw, pad.t + ph - bh, bw - 1, bh);
    });
    ctx.fillStyle = TEXT;
    ctx.fillText(g, pad.l + gi * gw + gw / 2, h - 3);
  });

  let lx = pad.l;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  for (const s of series) {
    ctx.fillStyle = s.color;
    ctx.fillRect(lx, 4, 8, 8);
    ctx.fillStyle = TEXT;
    ctx.fillText(s.label, lx + 12, 8);
    lx += 20 + ctx.measureText(s.label).width;
  }
  if (opts.caption) {
    ctx.textAlign = "right";
    ctx.fillText(opts.caption, w - pad.r, 8);
  }
  bump(canvas);
}
