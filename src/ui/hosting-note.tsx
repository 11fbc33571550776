import { hostingState } from '../hosting/register-service-worker';

/** One line in the footer: whether this page is cached for offline use and how it got its isolation. */
export function HostingNote() {
  if (!import.meta.env.PROD) return null;
  const state = hostingState();
  const text =
    state.serviceWorker === 'active'
      ? `Offline-ready: what this page has fetched is kept by its service worker${state.reloadedForIsolation ? '; the host sends no isolation headers, so the worker adds them (the page reloaded once)' : ''}.`
      : `Not cached for offline use (${state.reason ?? state.serviceWorker}).`;
  return <span data-testid="hosting-note"> · {text}</span>;
}
