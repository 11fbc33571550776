/**
 * The page's side of the service worker (sw-rules.ts says what the worker
 * does). Called before the app starts, in production builds only:
 *
 * - On a host that sends COOP/COEP the page is isolated already: the worker
 *   is registered for the offline cache and nothing reloads.
 * - On a host that cannot send them, the page loads without isolation; once
 *   the worker controls it, one reload makes the browser read the headers the
 *   worker adds. A sessionStorage flag keeps that to one reload: a browser
 *   that stays unisolated (no service workers, a private window) runs on with
 *   one thread, and the device report says why.
 *
 * Everything waits at most k_control_timeout_ms, so a worker that never
 * starts costs the page a moment, never the lab.
 */
import type { ToServiceWorker } from './sw-rules';

export const k_control_timeout_ms = 5000;
const k_reload_flag = 'inference-lab:isolation-reload';

/** What the hosting step found, for the device report and the tests. */
export interface HostingState {
  serviceWorker: 'active' | 'unsupported' | 'failed' | 'timed-out';
  /** This load is the one reload that made the page isolated through the worker's headers (the host sends none). */
  reloadedForIsolation: boolean;
  /** Why the worker is not active, or why the page is not isolated although it is. */
  reason?: string;
}

let state: HostingState = { serviceWorker: 'unsupported', reloadedForIsolation: false };

export function hostingState(): HostingState {
  return state;
}

function controlled(timeoutMs: number): Promise<boolean> {
  if (navigator.serviceWorker.controller) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    navigator.serviceWorker.addEventListener(
      'controllerchange',
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      { once: true },
    );
  });
}

function post(message: ToServiceWorker): void {
  navigator.serviceWorker.controller?.postMessage(message);
}

/** Same-origin files this page fetched before the worker controlled it, and the page itself. */
function loadedUrls(): string[] {
  const resources = performance.getEntriesByType('resource').map((e) => e.name);
  return [location.href.split(/[?#]/)[0] ?? location.href, ...resources].filter((u) => u.startsWith(location.origin));
}

/**
 * Registers the worker and waits until it controls the page: null when it
 * does, 'reload' when an active worker skipped this load (a hard reload
 * bypasses it, and it will not claim a page it already saw), else why not.
 */
async function register(scriptUrl: string, scope: string): Promise<Pick<HostingState, 'serviceWorker' | 'reason'> | 'reload' | null> {
  // Automation that blocks service workers (Playwright's `serviceWorkers: 'block'`) answers with no registration at all.
  let registration: ServiceWorkerRegistration | undefined;
  try {
    // updateViaCache 'all': the browser's update checks of the worker go through its HTTP cache, so a host's
    // Cache-Control (GitHub Pages: max-age=600) spares a second visit the check; a deploy is seen once that expires.
    registration = await navigator.serviceWorker.register(scriptUrl, { scope, updateViaCache: 'all' });
  } catch (error) {
    return { serviceWorker: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  if (!registration || !(registration.active ?? registration.waiting ?? registration.installing)) {
    return { serviceWorker: 'failed', reason: 'the browser registered no service worker' };
  }
  if (registration.active && !registration.installing && !registration.waiting && !navigator.serviceWorker.controller) return 'reload';
  if (!(await controlled(k_control_timeout_ms))) {
    return { serviceWorker: 'timed-out', reason: `the service worker did not take control within ${k_control_timeout_ms / 1000} s` };
  }
  return null;
}

/** Reloads the page, once per tab session (the flag stops a loop), and never resolves. */
function reloadOnce(why: 'isolation' | 'control'): Promise<void> {
  sessionStorage.setItem(k_reload_flag, why);
  location.reload();
  return new Promise<void>(() => undefined);
}

/**
 * Resolves when the app may start; never resolves when the page is about to
 * reload itself into isolation.
 */
export async function startServiceWorker(scriptUrl: string, scope: string): Promise<void> {
  // Why this load is a reload of our own, if it is: 'isolation' (the worker's headers) or 'control' (a hard reload skipped the worker).
  const reloadedFor = sessionStorage.getItem(k_reload_flag);
  const reloadedOnce = reloadedFor !== null;
  sessionStorage.removeItem(k_reload_flag);
  if (!('serviceWorker' in navigator)) {
    state = { ...state, serviceWorker: 'unsupported', reason: 'this browser offers no service workers' };
    return;
  }
  const wasControlled = navigator.serviceWorker.controller !== null;
  // A page the worker already controls needs no register(): the browser checks the worker for a new build on
  // every navigation by itself, and a second check would cost a second request to the host.
  if (!wasControlled) {
    const outcome = await register(scriptUrl, scope);
    if (outcome === 'reload' && !reloadedOnce) return reloadOnce('control');
    if (outcome === 'reload') {
      state = { ...state, serviceWorker: 'timed-out', reason: 'the service worker did not take this page even after a reload' };
      return;
    }
    if (outcome !== null) {
      state = { ...state, ...outcome };
      return;
    }
  }
  if (!wasControlled) post({ type: 'cache-urls', urls: loadedUrls() });
  if (!crossOriginIsolated && !reloadedOnce) return reloadOnce('isolation');
  state = {
    serviceWorker: 'active',
    reloadedForIsolation: reloadedFor === 'isolation' && crossOriginIsolated,
    ...(crossOriginIsolated ? {} : { reason: 'the page stayed unisolated after the service worker added the isolation headers' }),
  };
}

/**
 * Calls back once a new build's worker is installed and waiting while this
 * page runs the old one (a deploy since the page loaded). Browsers start a
 * waiting worker only when every tab of the old one is closed, so the page
 * offers to switch: `activateUpdate` does, and the page reloads into it.
 */
export function onUpdateWaiting(callback: () => void): void {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
  void navigator.serviceWorker.getRegistration().then((registration) => {
    if (!registration) return;
    const watch = (worker: ServiceWorker | null) => {
      if (!worker) return;
      if (worker.state === 'installed') callback();
      else worker.addEventListener('statechange', () => worker.state === 'installed' && callback());
    };
    watch(registration.waiting);
    registration.addEventListener('updatefound', () => watch(registration.installing));
  });
}

export async function activateUpdate(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration?.waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  registration.waiting.postMessage({ type: 'skip-waiting' } satisfies ToServiceWorker);
}
