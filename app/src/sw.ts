/// <reference lib="webworker" />
// The service worker: makes the app work offline. Network first (so a new version is used as
// soon as it is online), the last good answer from the cache when offline. Only the app's own
// files are cached; /app/api/ is never cached (times and backups must be live).
// It imports nothing so that the build keeps it one file.
export type {};
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'veriframe-app-v1';
const SHELL = ['/app/', '/app/assets/app.js', '/app/manifest.webmanifest', '/app/icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith('/app/') || url.pathname.startsWith('/app/api/')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(event.request);
        if (response.ok) await cache.put(event.request, response.clone());
        return response;
      } catch (err) {
        const cached = (await cache.match(event.request)) ?? (event.request.mode === 'navigate' ? await cache.match('/app/') : undefined);
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
