// The settings a visit starts with, merged once before the single `init`: the page address
// first (TensorFlow Playground style: a link reproduces a session, e.g. ?seed=123&sampler=S&
// learning=off&ghost=on&knobs={"K":0.3}, S a strategy and K one of its knobs), then what this
// browser saved, then the defaults. Every name, range and strategy comes from the schema the worker sends
// (pymodel/worker/schema.py); nothing here knows a knob. Each bad value is reported in one plain
// sentence and left out, so the default is used and the game still starts.

const TRUE = ["1", "true", "on", "yes", ""];
const FALSE = ["0", "false", "off", "no"];

/**
 * @typedef {{name: string, type: string, default: number, min: number, max: number,
 *   step: number, unit: string, help: string, advanced: boolean}} KnobSpec
 * @typedef {{name: string, label: string, knobs: KnobSpec[]}} StrategySpec
 * @typedef {{version: number, strategies: StrategySpec[], default_strategy: string,
 *   features: string[], actions: string[], tick_hz: number, frame_fields: string[],
 *   limits: {weights_bytes: number, seed_max: number}}} Schema
 * @typedef {{seed?: number, sampler: string, knobs: Record<string, number>, learning: boolean,
 *   ghost: boolean, to?: number, budget?: string}} InitSettings to: the points to win a match
 * @typedef {{sampler?: unknown, knobsBy?: unknown, learning?: unknown, ghost?: unknown,
 *   to?: unknown, budget?: unknown}} Saved
 */

/** @param {Schema} schema @param {string} name */
export function strategySpec(schema, name) {
  return schema.strategies.find((s) => s.name === name) || null;
}

/**
 * The knobs of `strategy` that are known and in range; the rest are reported (when `report`
 * is given) and dropped.
 * @param {Schema} schema
 * @param {string} strategy
 * @param {unknown} knobs
 * @param {((problem: string) => void) | null} report
 * @returns {Record<string, number>}
 */
export function validKnobs(schema, strategy, knobs, report = null) {
  /** @type {Record<string, number>} */
  const out = {};
  const spec = strategySpec(schema, strategy);
  if (!spec || !knobs || typeof knobs !== "object" || Array.isArray(knobs)) return out;
  for (const [name, value] of Object.entries(knobs)) {
    const k = spec.knobs.find((x) => x.name === name);
    if (!k) {
      report?.(`Ignored the knob ${show(name)}: the ${strategy} sampler has ${spec.knobs.map((x) => x.name).join(", ")}.`);
    } else if (typeof value !== "number" || !Number.isFinite(value) || value < k.min || value > k.max) {
      report?.(`Ignored ${name}=${show(String(value))}: it must be a number from ${k.min} to ${k.max}.`);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Merge URL > saved > defaults into the settings of the one `init` request.
 * @param {Schema} schema
 * @param {string} search location.search
 * @param {Saved | null} saved what storage.loadSettings() returned
 * @returns {{settings: InitSettings, knobsBy: Record<string, Record<string, number>>,
 *   problems: string[]}} knobsBy: the knobs to remember per strategy (the saved ones, valid)
 */
export function resolveSettings(schema, search, saved) {
  const url = new URLSearchParams(search);
  /** @type {string[]} */
  const problems = [];
  const report = (/** @type {string} */ p) => problems.push(p);
  const names = schema.strategies.map((s) => s.name);
  const stored = saved && typeof saved === "object" ? saved : {};

  /** @type {Record<string, Record<string, number>>} */
  const knobsBy = {};
  if (stored.knobsBy && typeof stored.knobsBy === "object") {
    // Saved by an older version, knob names may have changed: keep what is still valid, quietly.
    for (const [name, knobs] of Object.entries(stored.knobsBy)) {
      if (names.includes(name)) knobsBy[name] = validKnobs(schema, name, knobs);
    }
  }

  let sampler = typeof stored.sampler === "string" && names.includes(stored.sampler) ? stored.sampler : schema.default_strategy;
  const rawSampler = url.get("sampler");
  if (rawSampler !== null) {
    const name = rawSampler.trim().toLowerCase();
    if (names.includes(name)) sampler = name;
    else report(`Ignored sampler=${show(rawSampler)}: choose ${names.join(" or ")}. Using ${sampler}.`);
  }

  /** @type {InitSettings} */
  const settings = {
    sampler,
    knobs: { ...(knobsBy[sampler] || {}) },
    learning: typeof stored.learning === "boolean" ? stored.learning : true,
    ghost: typeof stored.ghost === "boolean" ? stored.ghost : false,
  };

  const rawKnobs = url.get("knobs");
  if (rawKnobs !== null) {
    let parsed = null;
    try {
      parsed = JSON.parse(rawKnobs);
    } catch {
      parsed = null;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      report(`Ignored knobs=${show(rawKnobs)}: it must be a JSON object such as {"${firstKnob(schema, sampler)}":0.3}. Using the ${sampler} sampler's knobs.`);
    } else {
      Object.assign(settings.knobs, validKnobs(schema, sampler, parsed, report));
    }
  }

  const seed = url.get("seed");
  if (seed !== null) {
    const max = schema.limits.seed_max;
    const n = Number(seed.trim());
    if (/^\d+$/.test(seed.trim()) && n <= max) settings.seed = n;
    else report(`Ignored seed=${show(seed)}: the seed must be a whole number from 0 to ${max}. Using a random seed.`);
  }

  matchPoints(schema, url.get("to"), stored.to, settings, report);
  const budgets = (/** @type {any} */ (schema).budgets || []).map((/** @type {any} */ b) => b.name);
  if (budgets.length) {
    settings.budget = typeof stored.budget === "string" && budgets.includes(stored.budget) ? stored.budget : /** @type {any} */ (schema).default_budget;
    const rawBudget = url.get("budget");
    if (rawBudget !== null) {
      const name = rawBudget.trim().toLowerCase();
      if (budgets.includes(name)) settings.budget = name;
      else report(`Ignored budget=${show(rawBudget)}: choose ${budgets.join(", ")}. Using ${settings.budget}.`);
    }
  }

  for (const key of /** @type {const} */ (["learning", "ghost"])) {
    const raw = url.get(key);
    if (raw === null) continue;
    const value = raw.trim().toLowerCase();
    if (TRUE.includes(value)) settings[key] = true;
    else if (FALSE.includes(value)) settings[key] = false;
    else report(`Ignored ${key}=${show(raw)}: use on or off.`);
  }
  knobsBy[sampler] = { ...(knobsBy[sampler] || {}), ...settings.knobs };
  return { settings, knobsBy, problems };
}

/**
 * The points to win a match: the address's `to` over the saved one, in the schema's range
 * (schema.match.points); a bad address value is reported and the saved or default one kept.
 * @param {Schema} schema @param {string | null} raw @param {unknown} saved
 * @param {InitSettings} settings @param {(problem: string) => void} report
 */
function matchPoints(schema, raw, saved, settings, report) {
  const points = /** @type {any} */ (schema).match?.points;
  if (!points) return;
  const ok = (/** @type {unknown} */ n) => Number.isInteger(n) && /** @type {number} */ (n) >= points.min && /** @type {number} */ (n) <= points.max;
  if (ok(saved)) settings.to = /** @type {number} */ (saved);
  if (raw === null) return;
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (ok(n)) settings.to = n;
  else report(`Ignored to=${show(raw)}: a match is played to a whole number of points from ${points.min} to ${points.max}. Playing to ${settings.to ?? points.default}.`);
}

/** @param {Schema} schema @param {string} strategy */
function firstKnob(schema, strategy) {
  return strategySpec(schema, strategy)?.knobs[0]?.name || "knob";
}

/** A parameter value quoted for a message, cut short. @param {string} value */
function show(value) {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
