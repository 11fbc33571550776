import type { Page } from '@playwright/test';

/**
 * Records every request the page (and its workers) makes, so a test can prove
 * nothing left the app's own origin: no CDN, no model hub, no telemetry.
 */
export function recordRequests(page: Page): { urls: string[]; foreign(origin: string): string[] } {
  const urls: string[] = [];
  page.context().on('request', (request) => urls.push(request.url()));
  return {
    urls,
    foreign(origin: string) {
      return urls.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    },
  };
}
