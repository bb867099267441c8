// Time the Lab's worker on a session file: boot it, load the file, replay one variant and
// seed, and resolve with {boot_ms, load_ms, replay_ms, seconds} (seconds: of play replayed).
async ([text, variant]) => {
  const { WorkerClient } = await import("./app/game/client.js");
  const lab = new WorkerClient(new URL("./app/lab/labworker.js", document.baseURI));
  const t0 = performance.now();
  const loaded = await lab.request("lab_load", { text });
  const t1 = performance.now();
  const done = new Promise((resolve) => lab.on("lab_result", resolve));
  const t2 = performance.now();
  await lab.request("lab_start", { preset: "curation", seeds: 1, only: [variant] });
  const result = await done;
  const t3 = performance.now();
  lab.worker.terminate();
  return { boot_and_load_ms: t1 - t0, replay_ms: t3 - t2, seconds: loaded.seconds, mirrored: result.summary[variant].mirrored };
}
