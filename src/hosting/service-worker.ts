/// <reference lib="webworker" />
/**
 * The lab's service worker (built to `sw.js` at the app's root by
 * vite-plugins/service-worker.ts, as a classic script with its build id
 * inlined). What it does and why: sw-rules.ts.
 */
import type { ToServiceWorker } from './sw-rules';
import { cacheKeyFor, cacheName, isCacheable, isToServiceWorker, staleCaches, withIsolationHeaders } from './sw-rules';

declare const __SW_BUILD_ID__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = cacheName(__SW_BUILD_ID__);

// Nothing is fetched at install: the first visit stays as light as the plan it runs.
sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleCaches(await caches.keys(), __SW_BUILD_ID__).map((name) => caches.delete(name)));
      // The page that registered this worker is controlled now, not on its next load.
      await sw.clients.claim();
    })(),
  );
});

async function store(key: string, response: Response): Promise<void> {
  if (!isCacheable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

async function cacheUrls(urls: readonly string[]): Promise<void> {
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    const mode = new URL(url).href === new URL(sw.registration.scope).href ? 'navigate' : 'same-origin';
    const key = cacheKeyFor({ url, method: 'GET', mode, hasRange: false }, sw.registration.scope);
    if (!key || (await cache.match(key, { ignoreVary: true }))) continue;
    // Just loaded by the page: the browser's HTTP cache answers, or the host revalidates.
    const response = await fetch(key, { cache: 'force-cache' }).catch(() => null);
    if (response) await store(key, response);
  }
}

sw.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (!isToServiceWorker(data)) return;
  const message: ToServiceWorker = data;
  if (message.type === 'cache-urls') event.waitUntil(cacheUrls(message.urls));
  else event.waitUntil(sw.skipWaiting());
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const key = cacheKeyFor({ url: request.url, method: request.method, mode: request.mode, hasRange: request.headers.has('range') }, sw.registration.scope);
  if (!key) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(key, { cacheName: CACHE, ignoreVary: true });
      if (cached) return withIsolationHeaders(cached);
      const response = await fetch(request);
      // Stored beside the page's copy; the page does not wait for the store.
      event.waitUntil(store(key, response.clone()));
      return withIsolationHeaders(response);
    })(),
  );
});
