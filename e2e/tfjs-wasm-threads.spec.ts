import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';
import { recordRequests } from './origin-guard';

/**
 * TF.js's threaded wasm build used to die after bundling (its pthread workers
 * threw `ReferenceError: e is not defined`), so TF.js ran one thread while ORT
 * ran two and "ORT is faster" partly measured thread count.
 */
test('in the isolated preview page TF.js wasm runs its threaded build with the same thread count as ORT wasm, and agrees', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page);
  const env = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(env.isolated).toBe(true);
  const results: ResultsDocument = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [
      { engine: 'ort-wasm', precision: 'fp32' },
      { engine: 'tfjs-wasm', precision: 'fp32' },
    ],
    batchSizes: [1, 16],
    rules: TEST_RULES,
  });
  const [ort, tfjs] = results.cells;
  expect(ort?.state, JSON.stringify(ort).slice(0, 400)).toBe('completed');
  expect(tfjs?.state, JSON.stringify(tfjs).slice(0, 400)).toBe('completed');
  if (ort?.state !== 'completed' || tfjs?.state !== 'completed') return;

  // The count TF.js reports back from XNNPACK, not the one asked for.
  expect(tfjs.runtime?.threads, JSON.stringify(tfjs.runtime)).toBe(ort.runtime?.threads);
  if (env.cores > 1) expect(tfjs.runtime?.threads).toBeGreaterThan(1);
  expect(tfjs.runtime?.wasmFile).toBe('tfjs-backend-wasm-threaded-simd.wasm');
  expect(tfjs.runtime?.details.threadedBuild).toBe(true);
  // Threaded TF.js answers like the golden outputs at every batch size.
  expect(tfjs.agreement.map((a) => a.batchSize)).toEqual([1, 16]);
  for (const a of tfjs.agreement) {
    expect(a.maxAbsDiff).toBeLessThanOrEqual(a.tolerance);
    expect(a.top1Mismatches).toBe(0);
  }
  expect(errors.filter((e) => /ReferenceError|is not defined/.test(e))).toEqual([]);
  // The threaded wasm came from the app's own origin.
  expect(requests.urls.some((u) => u.endsWith('/tfjs/tfjs-backend-wasm-threaded-simd.wasm'))).toBe(true);
  expect(requests.foreign(new URL(baseURL!).origin)).toEqual([]);
});
