// Run one timed training bench in the JS worker and resolve with its result.
(opts) => new Promise((resolve) => {
  window.__jsBench.onmessage = (e) => resolve(e.data);
  window.__jsBench.postMessage(opts);
})
