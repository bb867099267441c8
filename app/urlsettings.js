// Settings from the page address (TensorFlow Playground style: a link reproduces a session),
// e.g. ?seed=123&sampler=uniform&learning=off&ghost=on. Each bad value is reported in one
// plain sentence and left out, so the worker uses its default and the game still starts.

export const SAMPLERS = Object.freeze(["relevance", "uniform"]);
const MAX_SEED = 2 ** 32 - 1;
const TRUE = ["1", "true", "on", "yes"];
const FALSE = ["0", "false", "off", "no"];

/**
 * @typedef {{seed?: number, sampler?: string, learning?: boolean, ghost?: boolean,
 *   knobs?: Record<string, number | string | boolean>}} InitSettings
 */

/**
 * @param {string} search location.search, e.g. "?seed=123&sampler=uniform"
 * @returns {{settings: InitSettings, problems: string[]}}
 */
export function settingsFromUrl(search) {
  const params = new URLSearchParams(search);
  /** @type {InitSettings} */
  const settings = {};
  /** @type {string[]} */
  const problems = [];

  const seed = params.get("seed");
  if (seed !== null) {
    const n = Number(seed.trim());
    if (/^\d+$/.test(seed.trim()) && n <= MAX_SEED) settings.seed = n;
    else problems.push(`Ignored seed=${show(seed)}: the seed must be a whole number from 0 to ${MAX_SEED}. Using the default seed.`);
  }

  const sampler = params.get("sampler");
  if (sampler !== null) {
    const name = sampler.trim().toLowerCase();
    if (SAMPLERS.includes(name)) settings.sampler = name;
    else problems.push(`Ignored sampler=${show(sampler)}: choose ${SAMPLERS.join(" or ")}. Using the default (${SAMPLERS[0]}).`);
  }

  for (const key of /** @type {const} */ (["learning", "ghost"])) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = raw.trim().toLowerCase();
    if (TRUE.includes(value) || value === "") settings[key] = true;
    else if (FALSE.includes(value)) settings[key] = false;
    else problems.push(`Ignored ${key}=${show(raw)}: use on or off. Using the default.`);
  }

  const knobs = params.get("knobs");
  if (knobs !== null) {
    try {
      const parsed = JSON.parse(knobs);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
      settings.knobs = parsed;
    } catch {
      problems.push(`Ignored knobs=${show(knobs)}: it must be a JSON object such as {"away_weight":0.3}. Using the default knobs.`);
    }
  }
  return { settings, problems };
}

/** A parameter value quoted for a message, cut short. @param {string} value */
function show(value) {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
