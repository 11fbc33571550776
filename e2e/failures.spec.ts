import { expect, test } from '@playwright/test';
import { openLab, runPlan, TEST_RULES } from './lab-page';

test('a corrupt model, a crashing worker and a hung worker each cost one cell, never the run', async ({ page }) => {
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [
      { engine: 'ort-wasm', fault: 'corrupt-model' },
      { engine: 'tfjs-cpu', fault: 'crash-worker' },
      // Only the hanging cell gets a short silence limit: a healthy cell on a loaded machine must never trip it.
      { engine: 'tfjs-wasm', fault: 'hang-worker', timeoutMs: 4000 },
      { engine: 'tfjs-cpu', fault: 'corrupt-model' },
      { engine: 'ort-wasm' },
      { engine: 'tfjs-cpu' },
    ],
    batchSizes: [1],
    rules: TEST_RULES,
  });
  const [corruptOnnx, crashed, hung, corruptTfjs, okOrt, okTfjs] = results.cells;
  expect(corruptOnnx).toMatchObject({ state: 'errored', error: { kind: 'bad-model' } });
  expect(crashed).toMatchObject({ state: 'errored', error: { kind: 'worker-crashed', message: expect.stringContaining('crashed') } });
  expect(hung).toMatchObject({ state: 'errored', error: { kind: 'worker-hung', message: expect.stringContaining('within 4 s') } });
  // A damaged TF.js model is named as such, not as a JavaScript TypeError from deep inside the loader.
  expect(corruptTfjs).toMatchObject({
    state: 'errored',
    error: { kind: 'bad-model', message: 'TF.js CPU could not load the model: The TF.js model.json has no "modelTopology" object: it is not a TF.js layers or graph model' },
  });
  // No timings leak out of a failed cell.
  for (const cell of [corruptOnnx, crashed, hung, corruptTfjs]) expect(cell).not.toHaveProperty('batches');
  expect(okOrt!.state).toBe('completed');
  expect(okTfjs!.state).toBe('completed');
  expect(results.status).toBe('complete');
});

test('an engine whose answers miss the tolerance is errored "wrong results", with no timings', async ({ page }) => {
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [{ engine: 'tfjs-cpu' }, { engine: 'ort-wasm' }],
    batchSizes: [1],
    rules: TEST_RULES,
    // Far below float32 rounding: every real engine misses it.
    tolerance: 1e-12,
  });
  for (const cell of results.cells) {
    expect(cell.state).toBe('errored');
    if (cell.state !== 'errored') continue;
    expect(cell.error.kind).toBe('wrong-results');
    expect(cell.error.message).toMatch(/wrong results: max \|Δ\| \d\.\d+e-\d+/);
    expect(cell.agreement?.[0]?.maxAbsDiff).toBeGreaterThan(1e-12);
    expect(cell).not.toHaveProperty('batches');
  }
});

test('a bad plan is rejected with the field named', async ({ page }) => {
  await openLab(page);
  const message = await page.evaluate(() =>
    window.inferenceLab!.run({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-cuda' }], batchSizes: [1] }).then(
      () => 'resolved',
      (e: Error) => e.message,
    ),
  );
  expect(message).toMatch(/cells\.0\.engine/);
});
