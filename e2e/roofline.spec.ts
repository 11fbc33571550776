import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { formatGflops } from '../src/lab/results/figures';
import type { ResultsDocument } from '../src/lab/results/results';
import { runTwoCpuEnginesInUi } from './lab-page';

test('a completed cell carries GFLOP/s = FLOPs per row × rows ÷ median, in the JSON, the table and the roofline; the ceilings measure', async ({ page }) => {
  // Two CPU engines keep this short.
  await runTwoCpuEnginesInUi(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const results = JSON.parse(readFileSync(await download.path(), 'utf8')) as ResultsDocument;

  const flops = results.model.flops;
  if (flops?.state !== 'counted') throw new Error(`the model's FLOPs were not counted: ${JSON.stringify(flops)}`);
  expect(flops.flopsPerRow).toBeGreaterThan(0);
  const completed = results.cells.filter((c) => c.state === 'completed');
  expect(completed.length).toBeGreaterThan(0);
  const expected: string[] = [];
  for (const cell of completed) {
    expect(cell.flopsPerRow).toBe(flops.flopsPerRow);
    for (const b of cell.batches) expected.push(formatGflops((flops.flopsPerRow * b.batchSize) / (b.stats.p50 * 1e6)));
  }
  // The results table's GFLOP/s column (after Engine, State, 4 cold phases, Batch, P50, P95, P99, Throughput).
  const rows = page.getByTestId('results-table').locator('tr[data-state="completed"]');
  expect((await rows.locator('td:nth-child(12)').allTextContents()).map((t) => t.trim())).toEqual(expected);
  expect(await page.getByTestId('roofline-gflops').allTextContents()).toEqual(expected);
  await expect(page.getByTestId('model-flops')).toContainText('MFLOP');

  // The device's ceilings: a wasm-SIMD figure per thread count, and WebGPU measured or n/a with its reason.
  await page.getByTestId('measure-ceilings').click();
  await expect(page.getByTestId('measure-ceilings')).toHaveText('Measure again', { timeout: 60_000 });
  const table = page.getByTestId('ceilings-table');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(table.locator('tr[data-ceiling^="wasm-simd-"]')).toHaveCount(cores);
  for (const text of await table.locator('tr[data-ceiling^="wasm-simd-"] [data-testid="ceiling-gflops"]').allTextContents()) {
    expect(Number.parseFloat(text)).toBeGreaterThan(0);
  }
  await expect(table.locator('tr[data-ceiling="webgpu"]')).toContainText(/GFLOP\/s|n\/a: /);
  // Now every CPU-side point of the roofline has a share of its ceiling, and the downloaded results carry the ceilings.
  await expect(page.getByTestId('roofline-table')).toContainText('wasm SIMD');
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const withCeilings = JSON.parse(readFileSync(await again.path(), 'utf8')) as ResultsDocument;
  const wasm = withCeilings.ceilings?.wasmSimd;
  expect(wasm?.status).toBe('available');
  if (wasm?.status === 'available') expect(wasm.detail.points.map((p) => p.threads)).toEqual(Array.from({ length: cores }, (_, i) => i + 1));
});
