// Starting a game session in the worker: merge the settings once (address > saved >
// defaults, checked against the schema), pick the clone to play (a share link's, else the
// saved one), and send the one `init`. Used at boot and when a dead worker is replaced.

import { resolveSettings } from "./settings.js";
import { clearFragment, decodeClone } from "./share.js";
import * as storage from "./storage.js";

/** @typedef {import("./client.js").WorkerClient} WorkerClient */
/**
 * What the visit started with: the clone's source ("share", "saved", "none", or
 * "damaged-share" / "refused-share" / "refused-saved" when one was refused; "recovered"
 * after a restart), the notices to show, the knobs to remember per strategy.
 * @typedef {{source: string, notices: {text: string, kind: string}[],
 *   knobsBy: Record<string, Record<string, number>>, problems: string[]}} Restored
 */

/**
 * Start a session: the schema first (the worker answers it as soon as Python is loaded),
 * then the settings merged once and the clone to play (a share link's, else the saved one),
 * all in one `init`. A refused clone or refused settings are said plainly and left out, and
 * the game starts anyway; only a worker that cannot start at all makes this throw.
 * @param {WorkerClient} client
 * @param {string} search the address's query (settings), "" to use the saved ones alone
 * @param {string} hash the address's fragment (a shared clone), "" for none
 * @param {(text: string) => void} notice says a problem on the page
 * @param {number} [seed] the seed to keep (a restart), else the address's or a random one
 * @returns {Promise<{msg: any, restored: Restored}>}
 */
export async function startSession(client, search, hash, notice, seed) {
  const schema = (await client.request("schema")).schema;
  const { settings, knobsBy, problems } = resolveSettings(schema, search, storage.loadSettings());
  for (const problem of problems) notice(problem);
  if (seed !== undefined) settings.seed = seed;
  // Without ?seed= every visit gets its own game; the seed is reported in `settings`, so a
  // session can still be replayed with ?seed=N.
  if (settings.seed === undefined) settings.seed = crypto.getRandomValues(new Uint32Array(1))[0];

  /** @type {{text: string, kind: string}[]} */
  const notices = [];
  let source = "none";
  /** @type {string | null} */
  let weights = null;
  const share = await decodeClone(hash, schema.limits.weights_bytes).catch(() => null);
  if (share && "text" in share) {
    weights = share.text;
    source = "share";
    clearFragment(); // a reload then plays the saved (and further trained) clone
  } else {
    if (share && "error" in share) {
      notices.push({ text: share.error, kind: "error" });
      source = "damaged-share";
    }
    weights = storage.loadClone();
    if (weights && source === "none") source = "saved";
  }

  // The normal path is the first try; the others only run when something was refused.
  const withWeights = weights ? { weights } : null;
  const tries = [
    { ...settings, ...withWeights },
    ...(withWeights ? [{ seed: settings.seed, ...withWeights }] : []),
    ...(withWeights ? [{ ...settings }] : []),
    { seed: settings.seed },
  ];
  /** @type {any} */
  let msg = null;
  /** @type {any} */
  let lastErr = null;
  /** @type {any} */
  let firstErr = null;
  let used = tries[0];
  for (const fields of tries) {
    try {
      msg = await client.request("init", fields);
      used = fields;
      break;
    } catch (err) {
      lastErr = err;
      firstErr = firstErr || err;
      if (err.reply?.fatal) break;
    }
  }
  if (!msg) throw lastErr || new Error("The game could not start.");
  if (weights && !("weights" in used)) {
    const why = firstErr?.message || "it was refused";
    if (source === "share") {
      notices.push({ text: `This share link's clone was refused: ${why}`, kind: "error" });
      source = "refused-share";
    } else {
      notices.push({ text: `Your saved clone could not be restored (${why}), so the AI starts from random weights.`, kind: "error" });
      source = "refused-saved";
    }
  } else if (source === "share") {
    const name = msg.settings?.name ? ` \u201c${msg.settings.name}\u201d` : "";
    notices.push({ text: `You are playing a shared clone${name}. It keeps learning from you and is now your saved clone.`, kind: "ok" });
  } else if (source === "saved") {
    notices.push({ text: "Welcome back: your clone is restored.", kind: "ok" });
  }
  if (!("sampler" in used)) {
    notice(`The saved or linked settings were refused (${firstErr?.message}). Starting with the defaults.`);
  }
  return { msg, restored: { source, notices, knobsBy, problems } };
}
