// Mirror Pong's service worker: the game works offline after one visit.
//
// - One cache per build ("mirror-pong-BUILD"): a build's files are never served with another
//   build's. Activating a build deletes the caches of the others.
// - The runtime (pyodide/RID/, a folder named by its content hash, so a URL there never
//   changes its bytes) is served cache-first. Everything else (page, scripts, manifest.json,
//   pymodel.zip) network-first, falling back to the cache offline or when the network is
//   slower than NETWORK_TIMEOUT_MS.
// - First visit: only the app shell is fetched at install, and the runtime is kept as the
//   game's worker downloads it (one download, not two). An update: the new build's files
//   are all fetched at install (runtime files copied from an older cache when the runtime did
//   not change), so "a new version is ready" means ready offline too.
// - skipWaiting + clients.claim: the first visit is covered at once, and the page is told
//   when a new build takes over (it offers a reload).
// - Responses are stored with a Content-Type from the file's extension and no
//   Content-Encoding: a .wasm without application/wasm makes loadPyodide hang.
//
// build_site.py writes BUILD, RUNTIME, SHELL and BOOT_FILES (the runtime and pymodel.zip)
// in place of the marker below.
/* BUILD-CONSTANTS */

const PREFIX = "mirror-pong-";
const CACHE = PREFIX + BUILD;
const NETWORK_TIMEOUT_MS = 4000;
const SCOPE = new URL("./", self.location.href);
const TYPES = {
  wasm: "application/wasm",
  mjs: "text/javascript",
  js: "text/javascript",
  json: "application/json",
  webmanifest: "application/manifest+json",
  svg: "image/svg+xml",
  png: "image/png",
  css: "text/css",
  html: "text/html; charset=utf-8",
  zip: "application/zip",
  whl: "application/zip",
};

/** A copy of `response` fit to be cached: its body, a Content-Type by extension. */
async function storable(url, response) {
  const path = new URL(url).pathname;
  const ext = path.endsWith("/") ? "html" : path.split(".").pop();
  const headers = new Headers();
  headers.set("Content-Type", TYPES[ext] || response.headers.get("Content-Type") || "application/octet-stream");
  const lastModified = response.headers.get("Last-Modified");
  if (lastModified) headers.set("Last-Modified", lastModified);
  return new Response(await response.blob(), { status: 200, statusText: "OK", headers });
}

async function fetchAndKeep(cache, url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const key = url.split("?")[0];
  await cache.put(key, await storable(key, response));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const older = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
      const shell = SHELL.map((p) => new URL(p, SCOPE).href);
      await Promise.all(shell.map((url) => fetchAndKeep(cache, url)));
      if (older.length) {
        // An update: the new runtime too, from an older cache when it is the same runtime.
        for (const path of BOOT_FILES) {
          const url = new URL(path, SCOPE).href;
          const kept = path.startsWith(RUNTIME) ? await caches.match(url) : undefined;
          if (kept) await cache.put(url, kept);
          else await fetchAndKeep(cache, url);
        }
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "build") event.source?.postMessage({ type: "build", build: BUILD, runtime: RUNTIME });
});

/** Keep a copy of `response` in the cache, while the page reads the original. */
function keep(event, cache, response) {
  if (!response.ok) return;
  const url = event.request.url.split("?")[0];
  const copy = response.clone();
  event.waitUntil(storable(url, copy).then((r) => cache.put(url, r)).catch(() => {}));
}

/** Cache-first: the runtime's URLs never change their bytes. */
async function cacheFirst(event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(event.request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(event.request);
  keep(event, cache, response);
  return response;
}

/** Network-first, the cache when offline or when the network takes too long. */
async function networkFirst(event) {
  const { request } = event;
  const cache = await caches.open(CACHE);
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, null);
  });
  const network = fetch(request)
    .then((response) => {
      keep(event, cache, response);
      return response;
    })
    .catch(() => null);
  const first = await Promise.race([network, slow]);
  clearTimeout(timer);
  if (first) return first;
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const late = await network;
  return late || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE.href)) return;
  const path = request.url.slice(SCOPE.href.length);
  if (path === "sw.js") return;
  event.respondWith(path.startsWith(RUNTIME) ? cacheFirst(event) : networkFirst(event));
});
