import { expect, test } from '@playwright/test';
import { openLab, runPlan, TEST_RULES } from './lab-page';

/**
 * Model files are checked against the manifest's SHA-256 before any engine
 * sees them, for TF.js (model.json + weight shards) as for ONNX: one flipped
 * bit in a served file ends the cell `errored: model file changed`, and the
 * untouched cells still complete.
 */
test('a TF.js weight shard or an ONNX file changed by one bit is errored "model file changed"', async ({ page, context }) => {
  test.setTimeout(120_000);
  const flipOneBit = (pattern: string) =>
    context.route(pattern, async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 1;
      await route.fulfill({ response, body });
    });
  await flipOneBit('**/models/cps-wage/tfjs/int8/group1-shard1of1.bin');
  await flipOneBit('**/models/cps-wage/onnx/model.int4.onnx');
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [
      { engine: 'tfjs-wasm', precision: 'int8' },
      { engine: 'ort-wasm', precision: 'int4' },
      { engine: 'tfjs-wasm', precision: 'fp32' },
    ],
    batchSizes: [1],
    rules: { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 },
  });
  const [tfjs, onnx, untouched] = results.cells;
  expect(tfjs).toMatchObject({ state: 'errored', error: { kind: 'model-changed' } });
  if (tfjs?.state === 'errored') expect(tfjs.error.message).toMatch(/^model file changed: tfjs\/int8\/model\.json with its 1 weight file\(s\) has SHA-256 [0-9a-f]{12}…, the manifest says [0-9a-f]{12}…$/);
  expect(onnx).toMatchObject({ state: 'errored', error: { kind: 'model-changed' } });
  if (onnx?.state === 'errored') expect(onnx.error.message).toMatch(/^model file changed: onnx\/model\.int4\.onnx has SHA-256/);
  expect(untouched?.state).toBe('completed');
});
