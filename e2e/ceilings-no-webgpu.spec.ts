import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { openLab } from './lab-page';

test.use({ launchOptions: chromiumLaunchOptions({ webgpu: false }) });

test('without a WebGPU adapter the WebGPU ceiling is n/a with the reason, the wasm-SIMD one is measured', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('measure-ceilings').click();
  await expect(page.getByTestId('measure-ceilings')).toHaveText('Measure again', { timeout: 60_000 });
  await expect(page.getByTestId('ceilings-table').locator('tr[data-ceiling="webgpu"]')).toContainText(/n\/a: .*adapter/);
  await expect(page.getByTestId('ceilings-table').locator('tr[data-ceiling="wasm-simd-1t"]')).toContainText('GFLOP/s');
});
