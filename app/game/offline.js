// Offline and installing: registers the service worker (sw.js at the site root, so its scope
// is the site wherever it is served), asks for persistent storage, and tells the player when a
// new build has taken over ("a new version is ready — reload"). The game starts without it
// where service workers are unavailable (an http:// address other than localhost, a private
// window that refuses them).

const SITE = new URL("../../", import.meta.url);
// First visit: how long the page waits for the new service worker to take control before it
// starts the game's worker anyway (a worker created before that would not be kept offline).
const CLAIM_WAIT_MS = 3000;

/**
 * @param {{notice: (message: string, options?: any) => void}} status
 * @returns {Promise<void>} resolves when the game's worker may start
 */
export function startOffline(status) {
  const sw = navigator.serviceWorker;
  if (!sw || !window.isSecureContext) return Promise.resolve();
  const hadController = !!sw.controller;
  let announced = false;
  sw.addEventListener("controllerchange", () => {
    // A controller replacing another is a new build (skipWaiting in sw.js); the first
    // controller of a first visit is not news.
    if (hadController && !announced) {
      announced = true;
      status.notice("A new version of Mirror Pong is ready — reload to use it.", {
        kind: "ok",
        action: { label: "Reload", run: () => location.reload() },
      });
    }
  });
  navigator.storage?.persist?.().catch(() => {});
  const registered = sw
    .register(new URL("sw.js", SITE).href, { scope: SITE.href })
    .catch((err) => {
      console.warn("Offline mode unavailable:", err);
      return null;
    });
  if (hadController) return Promise.resolve();
  return Promise.race([
    registered.then((reg) =>
      reg
        ? new Promise((resolve) => sw.addEventListener("controllerchange", () => resolve(), { once: true }))
        : undefined,
    ),
    new Promise((resolve) => setTimeout(resolve, CLAIM_WAIT_MS)),
  ]).then(() => undefined);
}
