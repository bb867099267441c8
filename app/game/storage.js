// Persistence of the clone (weights file v1 text) and the player's settings between visits,
// and a small library of named clones. localStorage rather than IndexedDB: a clone is a few
// tens of kilobytes, and a synchronous write is the only kind that reliably finishes inside
// `pagehide`. Keys carry a version so a later format can live beside this one. Every call
// catches storage errors (quota exceeded, storage disabled in private modes) and reports them
// instead of throwing; a library change that cannot be written changes nothing.

const PREFIX = "mirror-pong/v1/";
export const KEYS = Object.freeze({
  clone: PREFIX + "clone",
  settings: PREFIX + "settings",
  savedAt: PREFIX + "saved-at",
});

/** The library: an index of named clones and one key per clone's weights text. */
export const LIBRARY = Object.freeze({
  index: PREFIX + "library",
  entry: (/** @type {string} */ id) => `${PREFIX}library/${id}`,
});

/** @typedef {{ok: true} | {ok: false, message: string}} Outcome */
/** @typedef {{id: string, name: string, saved_at: number, bytes: number}} LibraryEntry */
/**
 * @typedef {{sampler?: string, knobsBy?: Record<string, Record<string, number>>,
 *   learning?: boolean, ghost?: boolean}} SavedSettings knobsBy: the knobs last used with each
 *   sampler strategy
 */

/** @returns {Storage | null} */
function store() {
  try {
    return window.localStorage;
  } catch {
    return null; // access itself throws when storage is blocked
  }
}

const FOR_THE_CLONE = ["Could not save your clone", "The game goes on; use \u201cDownload clone\u201d to keep it."];

/** @param {unknown} err @param {string[]} [what] the sentence's start and end */
function describe(err, [start, end] = FOR_THE_CLONE) {
  const e = /** @type {any} */ (err);
  if (e && (e.name === "QuotaExceededError" || e.code === 22 || e.code === 1014)) {
    return `${start}: the browser's storage for this site is full. ${end}`;
  }
  return `${start}: ${e && e.message ? e.message : "storage is unavailable"}. ${end}`;
}

/**
 * @param {string} key
 * @param {string} value
 * @param {string[]} [what] how a failure is said (the sentence's start and end)
 * @returns {Outcome}
 */
function write(key, value, what = FOR_THE_CLONE) {
  const s = store();
  if (!s) return { ok: false, message: `${what[0]}: storage is disabled in this browser (a private window?). ${what[1]}` };
  try {
    s.setItem(key, value);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: describe(err, what) };
  }
}

/** @param {string} key */
function remove(key) {
  try {
    store()?.removeItem(key);
  } catch {
    // nothing there, nothing to remove
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
  const { sampler, knobsBy, learning, ghost } = settings;
  return write(KEYS.settings, JSON.stringify({ sampler, knobsBy, learning, ghost }));
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

// ---- the library of named clones ------------------------------------------------------------

/** The library's clones, oldest first (an unreadable index reads as an empty library). */
export function listClones() {
  let list;
  try {
    list = JSON.parse(read(LIBRARY.index) || "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return /** @type {LibraryEntry[]} */ (list.filter((e) => e && typeof e.id === "string" &&
    typeof e.name === "string" && Number.isFinite(e.saved_at) && Number.isFinite(e.bytes)));
}

/** The weights text of a library clone, or null. @param {string} id */
export function loadFromLibrary(id) {
  return read(LIBRARY.entry(id));
}

/** @param {string} name */
function failing(name) {
  return [`Could not keep \u201c${name}\u201d in your library`, "Nothing was lost: your library and the clone that plays are as they were."];
}

/** @param {LibraryEntry[]} list @param {string[]} what */
function writeIndex(list, what) {
  return write(LIBRARY.index, JSON.stringify(list), what);
}

/**
 * Keep a named clone in the library: its text first, then the index, so a failure of either
 * leaves the library as it was.
 * @param {string} name
 * @param {string} text weights file v1
 * @param {number} max how many clones the library holds (the schema's limits.library_clones)
 * @returns {Outcome & {id?: string}}
 */
export function saveToLibrary(name, text, max) {
  const list = listClones();
  if (list.length >= max) {
    return { ok: false, message: `Your library holds ${max} clones, its most: delete one to keep \u201c${name}\u201d. Nothing was changed.` };
  }
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const what = failing(name);
  const saved = write(LIBRARY.entry(id), text, what);
  if (!saved.ok) return saved;
  const entry = { id, name, saved_at: Date.now(), bytes: text.length };
  const indexed = writeIndex([...list, entry], what);
  if (!indexed.ok) {
    remove(LIBRARY.entry(id));
    return indexed;
  }
  return { ok: true, id };
}

/** Rename a library clone (the index only). @param {string} id @param {string} name @returns {Outcome} */
export function renameInLibrary(id, name) {
  const list = listClones();
  if (!list.some((e) => e.id === id)) return { ok: false, message: "That clone is no longer in your library." };
  const what = [`Could not rename it \u201c${name}\u201d`, "Nothing was lost: it keeps its old name."];
  return writeIndex(list.map((e) => (e.id === id ? { ...e, name } : e)), what);
}

/** Delete a library clone. @param {string} id @returns {Outcome} */
export function deleteFromLibrary(id) {
  const list = listClones();
  const what = ["Could not delete it", "Your library is as it was."];
  const out = writeIndex(list.filter((e) => e.id !== id), what);
  if (out.ok) remove(LIBRARY.entry(id));
  return out;
}
