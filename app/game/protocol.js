// The message protocol between the page and the worker: the JS mirror of pymodel/worker/protocol.py.
// The documentation of each message (fields, units) lives there; a test checks that both
// lists name the same types. Every message is a plain object with a `type`; a request may
// carry an `id`, which every reply to it echoes.

/** Actions, by index: 0 = up (towards y = 0), 1 = stay, 2 = down. */
export const ACTIONS = Object.freeze(["up", "stay", "down"]);

/** Page -> worker. */
export const REQUESTS = Object.freeze([
  "schema",
  "init",
  "input",
  "pause",
  "advance",
  "step",
  "set_sampler",
  "set_learning",
  "set_ghost",
  "reset_ai",
  "set_network",
  "set_budget",
  "set_output",
  "export",
  "import",
  "set_name",
  "get_history",
  "get_network",
  "get_metrics",
  "get_style",
  "decide",
  "export_session",
  "clear_recording",
  "mirror_test",
  "mirror_answer",
  "debug_mirror_key",
  "lab_load",
  "lab_start",
  "lab_step",
  "lab_cancel",
  "duel_load",
  "duel_start",
  "duel_step",
  "duel_cancel",
  "get_matches",
  "new_match",
  "free_play",
  "get_health",
  "debug_crash",
  "bench",
]);

/** Worker -> page. */
export const REPLIES = Object.freeze([
  "progress",
  "schema",
  "ready",
  "frame",
  "metrics",
  "settings",
  "network",
  "weights",
  "imported",
  "history",
  "decisions",
  "style",
  "session",
  "recording",
  "mirror_clips",
  "mirror_progress",
  "mirror_result",
  "mirror_key",
  "matches",
  "lab_loaded",
  "lab_progress",
  "lab_result",
  "lab_cancelled",
  "duel_clone",
  "duel_progress",
  "duel_result",
  "duel_cancelled",
  "health",
  "bench_result",
  "error",
]);

/**
 * Build a message.
 * @param {string} type one of REQUESTS or REPLIES
 * @param {Record<string, unknown>} [fields]
 * @returns {{type: string} & Record<string, unknown>}
 */
export function message(type, fields = {}) {
  if (!REQUESTS.includes(type) && !REPLIES.includes(type)) {
    throw new Error(`unknown message type ${JSON.stringify(type)}`);
  }
  return { ...fields, type };
}
