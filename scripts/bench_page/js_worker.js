// Start scripts/jsmlp.js (its source is the argument) in a Worker at window.__jsBench.
(src) => {
  const body = src + "\nonmessage = (e) => postMessage(globalThis.jsMlpBench(e.data));";
  const url = URL.createObjectURL(new Blob([body], { type: "text/javascript" }));
  window.__jsBench = new Worker(url);
}
