// The MLP drawn as layers of units: each unit a circle coloured by its latest activation, each
// weight a line coloured by its sign, with width and opacity growing with its magnitude.
// Pure drawing from a `network` message (see pymodel/worker/protocol.py); no state, no requests.

import { fitCanvas } from "../ui/charts.js";
import { ACTIONS } from "../game/protocol.js";

const POS = [96, 170, 255]; // blue: positive weight / activation
const NEG = [255, 150, 60]; // orange: negative
const BUCKETS = 6; // magnitude levels: lines are batched per (sign, level), about 12 strokes

/**
 * @typedef {{sizes: number[], activations?: string[], weights: number[][][],
 *   biases?: number[][], values?: number[][]}} Network
 */

/**
 * Colour for a value in [-1, 1]: blue for positive, orange for negative, dark for zero.
 * @param {number} v
 */
function valueColor(v) {
  const a = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const c = a >= 0 ? POS : NEG;
  const k = Math.abs(a);
  const base = 40; // the colour of a silent unit
  const mix = (/** @type {number} */ i) => Math.round(base + (c[i] - base) * k);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/** Softmax of the logits, so that the output layer shows the policy's probabilities. */
function softmax(/** @type {number[]} */ z) {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0) || 1;
  return e.map((v) => v / s);
}

/**
 * Where everything goes on a canvas of w x h CSS pixels.
 * @param {number[]} sizes @param {number} w @param {number} h
 */
function layout(sizes, w, h) {
  // Leave room for the input names on the left and the action names on the right when the
  // canvas is wide enough to read them.
  const roomy = w >= 360;
  const padL = roomy ? 78 : 50;
  const padR = roomy ? 64 : 62;
  const padT = 10;
  const padB = 16;
  const cols = sizes.length;
  const maxUnits = Math.max(...sizes);
  return {
    padL,
    nameChars: roomy ? 12 : 7,
    colX: (/** @type {number} */ l) => padL + (cols === 1 ? 0 : (l * (w - padL - padR)) / (cols - 1)),
    unitY: (/** @type {number} */ n, /** @type {number} */ i) => padT + ((i + 0.5) * (h - padT - padB)) / n,
    radius: Math.max(1.5, Math.min(7, ((h - padT - padB) / maxUnits) * 0.38)),
  };
}

/** @typedef {ReturnType<typeof layout>} Layout */

/**
 * One layer's weights, batched: one path per (sign, magnitude level) keeps 1,000+ lines
 * cheap; faint lines first, strong last, alternating signs, so neither colour buries the other.
 * @param {CanvasRenderingContext2D} ctx @param {number[][]} W [inputs][outputs]
 * @param {number} l the layer @param {Layout} at
 */
function drawWeights(ctx, W, l, at) {
  let maxAbs = 1e-9;
  for (const row of W) for (const v of row) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  // Dense layers (32 x 32 = 1,024 lines) would be a solid block at full opacity: fade them by
  // how many lines share the space.
  const density = Math.min(1, Math.sqrt(160 / Math.max(1, W.length * (W[0] || []).length)));
  /** @type {Path2D[][]} */
  const paths = [[], []];
  for (let s = 0; s < 2; s++) for (let b = 0; b < BUCKETS; b++) paths[s].push(new Path2D());
  const xa = at.colX(l);
  const xb = at.colX(l + 1);
  W.forEach((row, i) => {
    const ya = at.unitY(W.length, i);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) return;
      const b = Math.min(BUCKETS - 1, Math.floor((Math.abs(v) / maxAbs) * BUCKETS));
      const p = paths[v >= 0 ? 0 : 1][b];
      p.moveTo(xa, ya);
      p.lineTo(xb, at.unitY(row.length, j));
    });
  });
  for (let b = 0; b < BUCKETS; b++) {
    for (let s = 0; s < 2; s++) {
      const c = s === 0 ? POS : NEG;
      const k = (b + 1) / BUCKETS;
      ctx.strokeStyle = `rgba(${c[0]},${c[1]},${c[2]},${((0.03 + 0.7 * k * k) * density).toFixed(3)})`;
      ctx.lineWidth = 0.3 + 2 * k * k;
      ctx.stroke(paths[s][b]);
    }
  }
}

/**
 * Units, coloured by the latest forward pass. Hidden ReLU units are squashed with tanh so
 * that large activations do not all look the same saturated colour; the output shows the
 * action probabilities (the brightest is the move the clone makes).
 * @param {CanvasRenderingContext2D} ctx @param {number[]} sizes @param {number[][]} values
 * @param {Layout} at
 */
function drawUnits(ctx, sizes, values, at) {
  const last = sizes.length - 1;
  sizes.forEach((n, l) => {
    const raw = values[l] || [];
    const shown = l === last && raw.length === n ? softmax(raw) : raw.map((v) => Math.tanh(v));
    const best = l === last ? shown.indexOf(Math.max(...shown)) : -1;
    for (let i = 0; i < n; i++) {
      ctx.beginPath();
      ctx.arc(at.colX(l), at.unitY(n, i), l === last ? at.radius + 2 : at.radius, 0, Math.PI * 2);
      ctx.fillStyle = valueColor(shown[i] ?? 0);
      ctx.fill();
      ctx.lineWidth = i === best ? 2 : 0.75;
      ctx.strokeStyle = i === best ? "#fff" : "rgba(255,255,255,0.35)";
      ctx.stroke();
    }
  });
}

/**
 * The input names on the left, the actions with their probabilities on the right, and each
 * layer's size and activation along the bottom.
 * @param {CanvasRenderingContext2D} ctx @param {Network} net @param {string[]} features
 * @param {readonly string[]} actions @param {Layout} at @param {number} h
 */
function drawLabels(ctx, net, features, actions, at, h) {
  const { sizes } = net;
  const values = net.values || [];
  const last = sizes.length - 1;
  ctx.fillStyle = "rgba(230,236,245,0.8)";
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  if (sizes[0] <= 24) {
    features.slice(0, sizes[0]).forEach((name, i) => {
      const text = name.length > at.nameChars ? name.slice(0, at.nameChars - 1) + "…" : name;
      ctx.fillText(text, at.padL - at.radius - 4, at.unitY(sizes[0], i));
    });
  }
  ctx.textAlign = "left";
  const probs = values[last] && values[last].length === sizes[last] ? softmax(values[last]) : [];
  actions.slice(0, sizes[last]).forEach((name, i) => {
    const p = probs[i] === undefined ? "" : ` ${Math.round(probs[i] * 100)}%`;
    ctx.fillText(name + p, at.colX(last) + at.radius + 6, at.unitY(sizes[last], i));
  });
  ctx.fillStyle = "rgba(230,236,245,0.55)";
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  sizes.forEach((n, l) => {
    const act = l === 0 ? "in" : (net.activations || [])[l - 1] || "";
    ctx.fillText(`${n} ${act}`, at.colX(l), h - 3);
  });
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {Network} net
 * @param {{features?: string[], actions?: string[]}} [labels]
 */
export function drawNetwork(canvas, net, labels = {}) {
  const { ctx, w, h } = fitCanvas(canvas);
  const at = layout(net.sizes, w, h);
  ctx.font = "10px system-ui, -apple-system, Segoe UI, sans-serif";
  net.weights.forEach((W, l) => drawWeights(ctx, W, l, at));
  drawUnits(ctx, net.sizes, net.values || [], at);
  drawLabels(ctx, net, labels.features || [], labels.actions || [...ACTIONS], at, h);
  canvas.dataset.updates = String(Number(canvas.dataset.updates || 0) + 1);
}
