import type {} from '../src/lab/api/window-api';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './browsers';

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
