// The worker's side of a Python session, shared by the game's worker and the Lab's: boot
// Python (pyboot.js), queue what arrives before it is up, and hand each request to the
// session's `handle_json` as JSON text, so no PyProxy is made per message. A failure of
// Python itself (not a request's error, which the session answers) becomes an `error` reply.

import { bootPython } from "./pyboot.js";

/**
 * Start `sessionExpr` (e.g. "pymodel.worker.game_session.Session()") in this worker and
 * pass every incoming message to `relay`, in order, once Python is ready.
 * @param {string} sessionExpr
 * @param {string} what how the page names this engine ("The game engine")
 * @param {(msg: any) => void} relay
 * @returns {(msg: any) => any[]} call: one request in, its replies out
 */
export function startPython(sessionExpr, what, relay) {
  /** @type {((text: string) => string) | null} */
  let handleJson = null;
  /** Requests that arrived before Python was ready. @type {any[]} */
  const queue = [];
  self.onmessage = (event) => {
    if (handleJson) relay(event.data);
    else queue.push(event.data);
  };
  bootPython(sessionExpr, what)
    .then((handle) => {
      handleJson = handle;
      for (const msg of queue.splice(0)) relay(msg);
    })
    .catch((error) => postMessage(error));
  return (msg) => {
    try {
      return JSON.parse(/** @type {(text: string) => string} */ (handleJson)(JSON.stringify(msg)));
    } catch (err) {
      // handle_json answers errors itself; reaching here means Python itself broke.
      return [{ type: "error", message: `${what} failed.`, detail: String(err), request: msg.type, fatal: false, id: msg.id }];
    }
  };
}
