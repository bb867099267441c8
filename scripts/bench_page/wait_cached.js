// Resolve true once the service worker controls the page and its cache holds every boot file
// of manifest.json (what an offline reload needs), false if there is no service worker;
// reject after `ms` milliseconds.
async (ms) => {
  const reg = await navigator.serviceWorker?.getRegistration();
  if (!reg) return false;
  const manifest = await (await fetch("manifest.json")).json();
  const want = Object.keys(manifest.boot).map((p) => new URL(p, location.href).href);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const cache = await caches.open("mirror-pong-" + manifest.build);
    const have = await Promise.all(want.map((u) => cache.match(u, { ignoreSearch: true })));
    if (navigator.serviceWorker.controller && have.every(Boolean)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the service worker did not keep every boot file in time");
}
