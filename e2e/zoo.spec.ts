import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';
import { expectOwnTolerance } from './stored-tolerance';

const ENGINES = ['ort-wasm', 'ort-webgl', 'ort-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'] as const;

function plan(modelId: string) {
  return {
    schemaVersion: 1 as const,
    modelId,
    cells: ENGINES.map((engine) => ({ engine })),
    batchSizes: [1],
    rules: { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 },
  };
}

function expectAllAgree(results: ResultsDocument, except: Record<string, RegExp> = {}): void {
  for (const cell of results.cells) {
    const why = except[cell.engine];
    if (why) {
      expect(cell.state, cell.engine).toBe('unavailable');
      if (cell.state === 'unavailable') expect(cell.reason).toMatch(why);
      continue;
    }
    expect(cell.state, `${cell.engine}: ${JSON.stringify(cell).slice(0, 300)}`).toBe('completed');
    if (cell.state !== 'completed') continue;
    // Against the tolerance the committed manifest states for this cell, not the one the cell reports.
    const max = expectOwnTolerance(results.model.id, cell);
    console.log(`${results.model.id} ${cell.engine}:${cell.precision}: max |Δ| ${max.toExponential(2)} of ${cell.tolerance.applied}`);
  }
}

test('the zoo lists three models with their task, sizes and quality', async ({ page }) => {
  await openLab(page);
  const zoo = await page.evaluate(() => window.inferenceLab!.models());
  expect(zoo.map((m) => m.id)).toEqual(['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2']);
  for (const m of zoo) {
    expect(m.artifactBytes.fp32?.onnx).toBeGreaterThan(0);
    expect(m.artifactBytes.fp32?.tfjs).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('model-summary')).toContainText('accuracy');
});

test('the Fashion-MNIST CNN agrees with its native golden outputs on every engine (1e-4)', async ({ page }) => {
  await openLab(page);
  const results = await runPlan(page, plan('fashion-mnist-cnn'));
  expectAllAgree(results);
  expect(results.model.tolerance).toBe(1e-4);
});

test('ESRGAN x2 agrees with its native golden pixels on every engine that has its operators', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const results = await runPlan(page, plan('esrgan-slim-x2'));
  // onnxruntime-web's WebGL Resize has no nearest mode (UpSampling2D needs it): it says so rather than guessing.
  expectAllAgree(results, { 'ort-webgl': /resize|nearest|mode|support/i });
});
