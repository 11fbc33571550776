/**
 * What the lab's service worker does with a request, as pure functions (the
 * worker itself, service-worker.ts, only wires them to events). One worker
 * does two jobs because a scope holds exactly one service worker:
 *
 * - **Cross-origin isolation on any host.** Threads need COOP/COEP headers; a
 *   static host that cannot send them (GitHub Pages) gets them from this
 *   worker, which adds them to every response it hands the page — the
 *   technique of coi-serviceworker, which cannot be used beside a caching
 *   worker in the same scope.
 * - **A second visit and an offline visit fetch nothing.** Every same-origin
 *   GET in the app's scope is answered from the cache when it is there, and
 *   cached as it passes otherwise: runtimes and models are stored as a plan
 *   first uses them, so the first visit downloads only what it runs. A new
 *   build is a new worker (its build id is in its bytes) with a new cache; the
 *   old cache goes when it takes over.
 */

import { ISOLATION_HEADERS } from './isolation-headers';

/** Caches of this app start with this; anything else in the origin's Cache Storage is left alone. */
export const k_cache_prefix = 'inference-lab-';


export function cacheName(buildId: string): string {
  return `${k_cache_prefix}${buildId}`;
}

/** Old builds' caches, to delete when a new worker takes over. */
export function staleCaches(names: readonly string[], buildId: string): string[] {
  return names.filter((n) => n.startsWith(k_cache_prefix) && n !== cacheName(buildId));
}

interface RequestFacts {
  url: string;
  method: string;
  mode: string;
  /** A Range request (media seeking) is passed through: a partial response is not the file. */
  hasRange: boolean;
}

/**
 * The cache key of a request the worker answers, or null for one it leaves to
 * the browser: another origin, outside the app's scope, not a GET, a range, or
 * the worker's own script. Every navigation to the app's page (whatever its
 * query: `?plan=…`, `?present=1`) shares one key, the scope itself, so a shared
 * link opens offline too.
 */
export function cacheKeyFor(request: RequestFacts, scope: string): string | null {
  if (request.method !== 'GET' || request.hasRange) return null;
  const url = new URL(request.url);
  const root = new URL(scope);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
  const path = url.pathname.slice(root.pathname.length);
  if (request.mode === 'navigate') return path === '' || path === 'index.html' ? root.href : null;
  if (path === 'sw.js') return null;
  url.hash = '';
  return url.href;
}

/** Only complete, same-origin, successful answers are stored. */
export function isCacheable(response: { status: number; type: string }): boolean {
  return response.status === 200 && response.type === 'basic';
}

/**
 * The response with the isolation headers set. The body is the decoded stream
 * `fetch` gave, so the transfer encoding and length of the wire are dropped.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  headers.delete('Content-Encoding');
  headers.delete('Content-Length');
  const nullBody = response.status === 204 || response.status === 304;
  return new Response(nullBody ? null : response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Messages the page sends its worker. */
export type ToServiceWorker =
  /** URLs the page loaded before the worker controlled it (the first visit on a host that sends the headers itself). */
  | { type: 'cache-urls'; urls: string[] }
  /** Take over from the running build now (the page reloads when it does). */
  | { type: 'skip-waiting' };

export function isToServiceWorker(data: unknown): data is ToServiceWorker {
  if (typeof data !== 'object' || data === null) return false;
  const type = (data as { type?: unknown }).type;
  if (type === 'skip-waiting') return true;
  return type === 'cache-urls' && Array.isArray((data as { urls?: unknown }).urls) && (data as { urls: unknown[] }).urls.every((u) => typeof u === 'string');
}
