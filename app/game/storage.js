// Persistence of the clone (weights file v1 text) and the player's settings between visits.
// localStorage rather than IndexedDB: the clone is a few tens of kilobytes, and a synchronous
// write is the only kind that reliably finishes inside `pagehide`. Keys carry a version so a
// later format can live beside this one. Every call catches storage errors (quota exceeded,
// storage disabled in private modes) and reports them instead of throwing.

const PREFIX = "mirror-pong/v1/";
export const KEYS = Object.freeze({
  clone: PREFIX + "clone",
  settings: PREFIX + "settings",
  savedAt: PREFIX + "saved-at",
});
// The page's own preferences (sound, Focus, the first-visit help seen): not the clone's, so
// "Forget my clone" leaves them.
export const UI_KEY = PREFIX + "ui";

/** @typedef {{ok: true} | {ok: false, message: string}} Outcome */
/**
 * @typedef {{sampler?: string, knobsBy?: Record<string, Record<string, number>>,
 *   learning?: boolean, ghost?: boolean, to?: number}} SavedSettings knobsBy: the knobs last
 *   used with each sampler strategy; to: the points to win a match
 * @typedef {{muted?: boolean, volume?: number, focus?: boolean, helpSeen?: boolean}} UiPrefs
 */

/** @returns {Storage | null} */
function store() {
  try {
    return window.localStorage;
  } catch {
    return null; // access itself throws when storage is blocked
  }
}

/** @param {unknown} err */
function describe(err) {
  const e = /** @type {any} */ (err);
  if (e && (e.name === "QuotaExceededError" || e.code === 22 || e.code === 1014)) {
    return "Could not save your clone: the browser's storage for this site is full. The game goes on; use \u201cDownload clone\u201d to keep it.";
  }
  return `Could not save your clone: ${e && e.message ? e.message : "storage is unavailable"}. The game goes on; use \u201cDownload clone\u201d to keep it.`;
}

/**
 * @param {string} key
 * @param {string} value
 * @returns {Outcome}
 */
function write(key, value) {
  const s = store();
  if (!s) return { ok: false, message: "Could not save your clone: storage is disabled in this browser (a private window?). The game goes on; use \u201cDownload clone\u201d to keep it." };
  try {
    s.setItem(key, value);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: describe(err) };
  }
}

/** @param {string} key */
function read(key) {
  try {
    return store()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** The saved clone's weights text, or null. */
export function loadClone() {
  return read(KEYS.clone);
}

/** When the clone was last saved (ms since epoch), or null. */
export function savedAt() {
  const v = Number(read(KEYS.savedAt));
  return v > 0 ? v : null;
}

/**
 * @param {string} text weights file v1
 * @returns {Outcome}
 */
export function saveClone(text) {
  const out = write(KEYS.clone, text);
  if (out.ok) write(KEYS.savedAt, String(Date.now()));
  return out;
}

/** @returns {SavedSettings | null} */
export function loadSettings() {
  const text = read(KEYS.settings);
  if (!text) return null;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/**
 * @param {SavedSettings} settings
 * @returns {Outcome}
 */
export function saveSettings(settings) {
  const { sampler, knobsBy, learning, ghost, to } = settings;
  return write(KEYS.settings, JSON.stringify({ sampler, knobsBy, learning, ghost, to }));
}

/** The page's preferences, or {} (unreadable ones are ignored). @returns {UiPrefs} */
export function loadUi() {
  try {
    const v = JSON.parse(read(UI_KEY) || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** Merge `prefs` into the saved preferences; a refusal is quiet (they are only comfort). @param {UiPrefs} prefs */
export function saveUi(prefs) {
  return write(UI_KEY, JSON.stringify({ ...loadUi(), ...prefs }));
}

/** Remove the saved clone and settings. */
export function forget() {
  const s = store();
  if (!s) return;
  try {
    for (const key of Object.values(KEYS)) s.removeItem(key);
  } catch {
    // nothing saved, nothing to forget
  }
}
