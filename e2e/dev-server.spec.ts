import { expect, test } from '@playwright/test';
import { DEV_PORT } from './ports';
import { TEST_RULES } from './lab-page';

test('npm run dev serves an isolated page whose wasm engines start, threads included', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${DEV_PORT}/`);
  await page.waitForFunction(() => window.inferenceLab !== undefined);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const results = await page.evaluate(
    (rules) =>
      window.inferenceLab!.run({
        schemaVersion: 1,
        modelId: 'cps-wage',
        cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-wasm' }],
        batchSizes: [1],
        rules,
        cellTimeoutMs: 60_000,
      }),
    TEST_RULES,
  );
  // ORT starts its thread workers from /ort/*.mjs: a wrong header there hangs it.
  expect(results.cells.map((c) => c.state)).toEqual(['completed', 'completed']);
  expect(results.cells[0]!.runtime?.threads).toBe(results.device.hardwareConcurrency);
  // The dev server's pre-bundled TF.js glue carries the same thread fix as the build (vite-plugins/tfjs-wasm-threads.ts).
  expect(results.cells[1]!.runtime?.threads).toBe(results.cells[0]!.runtime?.threads);
});
