// Resolve with performance.now() when the game is ready, or reject after `ms` milliseconds.
(ms) => Promise.race([
  window.mirrorPong.ready.then(() => performance.now()),
  new Promise((_, reject) => setTimeout(() => reject(new Error("not ready in time")), ms)),
])
