// The page's end of the worker connection: starts the module worker, sends requests, routes
// replies to listeners by `type`, and matches replies to requests by `id`. `restart()` puts a
// fresh worker behind the same client (listeners stay), for recovering from a dead one.

import { message } from "./protocol.js";

/** @typedef {{type: string, id?: number} & Record<string, any>} Message */

export class WorkerClient {
  /** @param {URL | string} workerUrl */
  constructor(workerUrl) {
    /** @type {Map<string, Set<(msg: Message) => void>>} */
    this.listeners = new Map();
    /** @type {Map<number, {resolve: (m: Message) => void, reject: (e: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    this.url = workerUrl;
    this.worker = this.spawn();
  }

  /** A new module worker wired to this client. */
  spawn() {
    const worker = new Worker(this.url, { type: "module" });
    worker.onmessage = (event) => this.dispatch(event.data);
    // A worker script that fails to load or throws at top level never answers: report it as
    // an error message so the page can show it instead of spinning forever.
    worker.onerror = (event) => {
      event.preventDefault();
      this.dispatch({
        type: "error",
        message: `The game worker failed to start: ${event.message || "script error"}`,
        detail: "",
        request: "boot",
        fatal: true,
      });
    };
    return worker;
  }

  /** Stop the worker (if it still runs) and start a fresh one; pending requests fail. */
  restart() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error("the game engine was restarted"));
    this.pending.clear();
    this.worker = this.spawn();
  }

  /**
   * Listen for every message of one type ("*" for all). Returns a function that unsubscribes.
   * @param {string} type
   * @param {(msg: Message) => void} handler
   */
  on(type, handler) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(handler);
    return () => this.listeners.get(type).delete(handler);
  }

  /**
   * Fire and forget.
   * @param {string} type
   * @param {Record<string, unknown>} [fields]
   */
  send(type, fields = {}) {
    this.worker.postMessage(message(type, fields));
  }

  /**
   * Send a request and resolve with its first reply (matched by id). An `error` reply
   * rejects with an Error whose `reply` property holds the message.
   * @param {string} type
   * @param {Record<string, unknown>} [fields]
   * @returns {Promise<Message>}
   */
  request(type, fields = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message(type, { ...fields, id }));
    });
  }

  /** @param {Message} msg */
  dispatch(msg) {
    if (msg && msg.id !== undefined && this.pending.has(msg.id)) {
      const { resolve, reject } = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.type === "error") {
        const err = new Error(msg.message);
        /** @type {any} */ (err).reply = msg;
        reject(err);
      } else {
        resolve(msg);
      }
    }
    for (const key of [msg.type, "*"]) {
      const set = this.listeners.get(key);
      if (set) for (const handler of set) handler(msg);
    }
  }
}
