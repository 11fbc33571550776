import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';

const plan = { schemaVersion: 1 as const, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' as const }, { engine: 'tfjs-cpu' as const }], batchSizes: [1], rules: TEST_RULES };
const file = (name: string, doc: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });

test('results files from two device reports open side by side with ratios; another model version is refused with the reason', async ({ page }) => {
  await openLab(page);
  const first = await runPlan(page, plan);
  const second = await runPlan(page, plan);
  // The second file as if another browser on another machine had written it.
  const other: ResultsDocument = {
    ...second,
    device: { ...second.device, probedAt: '2026-12-05T12:00:00.000Z', browser: { ...second.device.browser, name: 'Firefox', version: '153.0' }, hardwareConcurrency: 8 },
  };
  const otherVersion = { ...second, createdAt: '2026-12-06T00:00:00.000Z', model: { ...second.model, onnxSha256: '0'.repeat(64) } };

  await page.reload();
  await page.getByTestId('compare-files').setInputFiles([file('laptop.json', first), file('phone.json', other), file('v2.json', otherVersion)]);
  const table = page.getByTestId('compare-table');
  await expect(table.locator('thead th')).toHaveText([/Configuration/, /Chromium \d+ · Linux · 2 cores/, /Firefox 153 · Linux · 8 cores/]);
  await expect(table.locator('tr[data-key="ort-wasm:fp32@b1"] [data-testid="compare-ratio"]')).toHaveText(/^\d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\) · (faster|slower|indistinguishable)$/);
  await expect(table.locator('tr[data-key="tfjs-cpu:fp32@b1"] [data-testid="compare-ratio"]')).toBeVisible();
  await expect(page.getByTestId('compare-refused')).toContainText('v2.json: a different version of cps-wage (SHA-256 000000000000…');
  await expect(page.getByTestId('compare-chart')).toBeVisible();
  // The recommendation weighs both devices.
  await expect(page.getByTestId('recommendation-table')).toContainText('Firefox 153 · Linux · 8 cores');
});
