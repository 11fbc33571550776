import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { defaultPlan } from '../src/lab/runner/plan';
import { serveStatic } from '../vite-plugins/static-host';
import { runPlan, TEST_RULES } from './lab-page';
import { PREVIEW_BASE_PATH } from './ports';

const DIST = resolve(import.meta.dirname, '../dist');

// The rest of the suite blocks service workers (playwright.config.ts); this spec is about them.
test.use({ serviceWorkers: 'allow' });

/** The quick plan's cells at the test's sampling rules, without the fidelity pass: the same runtimes and models, fetched the same way. */
function quickPlanCells() {
  const quick = defaultPlan('cps-wage');
  return { ...quick, cells: quick.cells.map((c) => ({ ...c, fidelity: false })), batchSizes: [1], rules: TEST_RULES };
}

function states(results: ResultsDocument): string[] {
  return results.cells.map((c) => `${c.cellId} ${c.state}`);
}

test('a host that sends no isolation headers: the page isolates itself through its service worker (one reload), runs with threads, then runs the quick plan again with the host gone', async ({ page }) => {
  const host = await serveStatic(DIST, PREVIEW_BASE_PATH, { isolation: false });
  try {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.goto(host.url);
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    // The host really sent no isolation header: the page is isolated by the worker's headers after its one reload.
    const documentResponse = host.responses.find((r) => r.url === PREVIEW_BASE_PATH);
    expect(documentResponse?.status).toBe(200);
    expect(navigations).toHaveLength(2);
    const device = await page.evaluate(() => window.inferenceLab!.capabilities());
    expect(device.crossOriginIsolated).toBe(true);
    expect(device.wasmThreads.status).toBe('available');

    const online = await runPlan(page, quickPlanCells());
    const ort = online.cells.find((c) => c.engine === 'ort-wasm' && c.precision === 'fp32');
    expect(ort?.state, JSON.stringify(ort).slice(0, 400)).toBe('completed');
    // Threads on: ORT wasm runs as many threads as the device has cores (two on CI), not the one an unisolated page gets.
    expect(ort?.runtime?.threads).toBe(device.hardwareConcurrency);
    if (device.hardwareConcurrency > 1) expect(ort?.runtime?.threads).toBeGreaterThan(1);
    // Only the runtimes this plan uses were fetched: WebNN's JSEP build is never downloaded (its probe fails here first).
    expect(host.responses.filter((r) => r.url.includes('ort-wasm-simd-threaded.jsep'))).toEqual([]);
    // Compressed on the wire where the host has the twin.
    expect(host.responses.find((r) => r.url.endsWith('/ort/ort-wasm-simd-threaded.wasm'))?.encoding).toBe('br');

    // The network is gone: the page, the runtimes and the model come from the worker's cache.
    await host.close();
    const sentBefore = host.responses.length;
    await page.reload();
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const offline = await runPlan(page, quickPlanCells());
    expect(states(offline)).toEqual(states(online));
    expect(offline.cells.filter((c) => c.state === 'completed').length).toBeGreaterThanOrEqual(2);
    expect(host.responses.length).toBe(sentBefore);
    await expect(page.getByTestId('hosting-note')).toContainText('Offline-ready');
  } finally {
    await host.close();
  }
});

test('a host that sends the isolation headers: no reload, the worker still takes the page for the offline cache', async ({ page }) => {
  const host = await serveStatic(DIST, PREVIEW_BASE_PATH, { isolation: true });
  try {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.goto(host.url);
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    expect(navigations).toHaveLength(1);
    expect(await page.evaluate(() => ({ isolated: crossOriginIsolated, controlled: navigator.serviceWorker.controller !== null }))).toEqual({ isolated: true, controlled: true });
    await expect(page.getByTestId('hosting-note')).toHaveText(/Offline-ready: what this page has fetched is kept by its service worker\.$/);

    // A hard reload (Shift+Reload) loads the page past its worker: the page reloads once more to be taken again.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await expect.poll(() => navigations.length).toBe(3);
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  } finally {
    await host.close();
  }
});
