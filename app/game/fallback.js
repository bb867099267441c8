// What the page does even when the game's own script cannot: the error box's Reload button,
// and, if app/game/main.js never loads (a network failure), a message after a while instead
// of a loading screen forever. A module of its own (the page allows no inline script: see the
// Content-Security-Policy in index.html), loaded beside main.js.

const MAIN_TIMEOUT_MS = 15000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

byId("reload-button").addEventListener("click", () => location.reload());

setTimeout(() => {
  if (/** @type {any} */ (window).mirrorPong || !byId("error-box").hidden) return;
  byId("loading").hidden = true;
  byId("error-box").hidden = false;
  byId("error-message").textContent =
    "Could not load the page's script (app/game/main.js). Check your connection and reload.";
}, MAIN_TIMEOUT_MS);
