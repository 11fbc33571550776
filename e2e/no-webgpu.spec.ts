import type {} from '../src/lab/api/window-api';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { cellsByEngine, openLab, runPlan, TEST_RULES } from './lab-page';

test.use({ launchOptions: chromiumLaunchOptions({ webgpu: false }) });

test('without the WebGPU flag, WebGPU is unavailable with a reason and the page still works', async ({ page }) => {
  await page.goto('./');
  const report = await page.evaluate(() => window.inferenceLab!.capabilities());
  expect(report.webgpu.status).toBe('unavailable');
  if (report.webgpu.status === 'unavailable') expect(report.webgpu.reason).toMatch(/adapter|WebGPU/);
  const row = page.getByTestId('device-report').locator('[data-capability="webgpu"]');
  await expect(row).toHaveAttribute('data-status', 'unavailable');
  await expect(row).toContainText('--enable-unsafe-webgpu');
  // The rest of the report is unaffected.
  expect(report.webgl.status).toBe('available');
  expect(report.wasmSimd.status).toBe('available');
});

test('WebGPU cells are unavailable with the reason, the others complete', async ({ page }) => {
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [{ engine: 'ort-webgpu' }, { engine: 'tfjs-cpu' }, { engine: 'tfjs-webgpu' }, { engine: 'ort-wasm' }],
    batchSizes: [1],
    rules: TEST_RULES,
  });
  const cells = cellsByEngine(results);
  for (const engine of ['ort-webgpu', 'tfjs-webgpu']) {
    const cell = cells.get(engine)!;
    expect(cell.state).toBe('unavailable');
    if (cell.state === 'unavailable') expect(cell.reason).toMatch(/adapter/);
  }
  expect(cells.get('tfjs-cpu')!.state).toBe('completed');
  expect(cells.get('ort-wasm')!.state).toBe('completed');
});
