import { expect, test } from '@playwright/test';
import type { CellResult } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';

const ENGINES = ['ort-wasm', 'ort-webgl', 'ort-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'] as const;
const VARIANTS = ['fp16', 'fp16c', 'int8', 'int4'] as const;
const RULES = { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 };

/** Completed with an agreement check, unavailable with the engine's reason, or errored "wrong results": nothing else. */
function expectHonestState(cell: CellResult): void {
  const where = `${cell.engine}:${cell.precision}`;
  if (cell.state === 'completed') {
    for (const a of cell.agreement) expect(a.maxAbsDiff, where).toBeLessThanOrEqual(a.tolerance);
    expect(cell.precisionInfo?.how, where).toBeTruthy();
  } else if (cell.state === 'unavailable') {
    expect(cell.reason.length, where).toBeGreaterThan(10);
  } else {
    expect(cell.state, where).toBe('errored');
    if (cell.state === 'errored') expect(cell.error.kind, `${where}: ${cell.error.message}`).toBe('wrong-results');
    expect(cell, where).not.toHaveProperty('batches');
  }
}

test('every precision variant of the tabular model on every engine ends completed, unavailable or wrong-results; FP16 and INT8 keep top-1 agreement ≥ 97%', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: ENGINES.flatMap((engine) => VARIANTS.map((precision) => ({ engine, precision, fidelity: true }))),
    batchSizes: [1],
    rules: RULES,
    fidelity: { attributions: false, bootstrapIterations: 0 },
  });
  for (const cell of results.cells) expectHonestState(cell);
  const completed = results.cells.filter((c) => c.state === 'completed');
  // The CPU engines run every variant but FP16 compute, which only TF.js WebGL and WebGPU engines can do.
  for (const engine of ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm'])
    for (const precision of ['fp16', 'int8', 'int4'])
      expect(completed.some((c) => c.engine === engine && c.precision === precision), `${engine}:${precision}`).toBe(true);
  for (const cell of completed) {
    if (cell.state !== 'completed') continue;
    expect(cell.fidelity?.state, `${cell.engine}:${cell.precision} ${JSON.stringify(cell.fidelity).slice(0, 200)}`).toBe('measured');
    if (cell.fidelity?.state !== 'measured') continue;
    const flip = cell.fidelity.report.overall.flipRate ?? 1;
    if (cell.precision === 'fp16' || cell.precision === 'fp16c' || cell.precision === 'int8') expect(flip, `${cell.engine}:${cell.precision}`).toBeLessThanOrEqual(0.03);
    // Quantized weights move the probabilities: INT8 drift is real and measured, not zero.
    if (cell.precision === 'int8') expect(cell.fidelity.report.overall.maxAbsDp ?? 0).toBeGreaterThan(1e-4);
  }
  // Storage versus compute, as the engines really do it.
  const info = (engine: string, precision: string) => results.cells.find((c) => c.engine === engine && c.precision === precision)?.precisionInfo;
  expect(info('ort-wasm', 'int8')).toMatchObject({ storage: 'int8', compute: 'int8' });
  expect(info('tfjs-wasm', 'int8')).toMatchObject({ storage: 'int8', compute: 'fp32 (dequantized)' });
  expect(info('ort-wasm', 'fp16')).toMatchObject({ storage: 'fp16', compute: 'fp32 (dequantized)' });
});

test('image models: every variant on the CPU engines ends in an honest state', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  for (const modelId of ['fashion-mnist-cnn', 'esrgan-slim-x2']) {
    const results = await runPlan(page, {
      schemaVersion: 1,
      modelId,
      cells: ['ort-wasm', 'tfjs-wasm'].flatMap((engine) => VARIANTS.map((precision) => ({ engine: engine as 'ort-wasm', precision }))),
      batchSizes: [1],
      rules: RULES,
    });
    for (const cell of results.cells) expectHonestState(cell);
    expect(results.cells.filter((c) => c.state === 'completed').length, modelId).toBeGreaterThanOrEqual(5);
  }
});
