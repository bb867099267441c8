// The Lab's worker, shared: the Lab card and the duel card both run in it (one more Python,
// not two), started on first use. A card registers what it listens for with `onLabWorker`;
// a worker that fails to start (a fatal error) is dropped, and the next use starts another.

import { WorkerClient } from "../game/client.js";

/** @type {WorkerClient | null} */
let client = null;
/** @type {((client: WorkerClient) => void)[]} */
const setups = [];

/** The Lab's worker, started now if it is not running. */
export function labWorker() {
  if (client) return client;
  const started = new WorkerClient(new URL("./labworker.js", import.meta.url));
  started.on("error", (m) => {
    if (m.fatal && client === started) {
      started.worker.terminate();
      client = null;
    }
  });
  client = started;
  for (const setup of setups) setup(started);
  return started;
}

/**
 * Call `setup` with the Lab's worker whenever one starts (and now, if one runs): where a card
 * subscribes to the replies it shows.
 * @param {(client: WorkerClient) => void} setup
 */
export function onLabWorker(setup) {
  setups.push(setup);
  if (client) setup(client);
}
