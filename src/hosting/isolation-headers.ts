/**
 * Threads (SharedArrayBuffer) need cross-origin isolation. Every server of the
 * lab sends these headers (dev, preview, the CLI's); on a host that cannot,
 * the service worker adds them (sw-rules.ts).
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
});
