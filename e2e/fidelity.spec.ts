import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { CellResult } from '../src/lab/results/results';
import { encodePlan } from '../src/lab/runner/plan';
import { openLab, runPlan, TEST_RULES } from './lab-page';

const RULES = { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 };

function fidelityOf(cell: CellResult | undefined) {
  if (cell?.state !== 'completed' || cell.fidelity?.state !== 'measured') throw new Error(`no fidelity report: ${JSON.stringify(cell).slice(0, 300)}`);
  return cell.fidelity.report;
}

test('a damaged 4-bit fixture shows flips and lower attribution rank correlation, per slice; FP32 shows none', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [
      { engine: 'ort-wasm', fidelity: true },
      { engine: 'ort-wasm', precision: 'int4', fidelity: true },
      { engine: 'tfjs-wasm', precision: 'int8', fidelity: true },
    ],
    batchSizes: [1],
    rules: RULES,
    fidelity: { attributions: true, intersection: ['ethnicity', 'region'] },
  });
  const [fp32, int4, int8] = results.cells.map(fidelityOf);
  expect(fp32!.overall.flipRate).toBe(0);
  expect(fp32!.attributionDrift!.overall.minSpearman).toBeGreaterThan(0.999);

  expect(int4!.overall.flipRate).toBeGreaterThan(0);
  expect(int4!.attributionDrift!.overall.meanSpearman).toBeLessThan(fp32!.attributionDrift!.overall.meanSpearman);
  // Per slice: some ethnicity slice flips, and the drift is reported for every slice of explained rows.
  const ethnicity = int4!.groupings.find((g) => g.columns.join() === 'ethnicity')!;
  expect(ethnicity.slices.some((s) => (s.flipRate ?? 0) > 0)).toBe(true);
  expect(int4!.attributionDrift!.slices.map((s) => s.slice)).toContain('ethnicity=afam');
  expect(int4!.groupings.some((g) => g.columns.join() === 'ethnicity,region')).toBe(true);
  for (const slice of int4!.groupings.flatMap((g) => g.slices)) expect(slice.ci.accuracy, slice.slice).toBeDefined();

  // INT8 moves probabilities measurably.
  expect(int8!.overall.maxAbsDp ?? 0).toBeGreaterThan(1e-4);
});

test('the UI shows the fidelity panel with flags, slices, calibration and importance', async ({ page }) => {
  await openLab(page);
  const plan = {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: [
      { engine: 'ort-wasm', fidelity: true },
      { engine: 'ort-wasm', precision: 'int4', fidelity: true },
    ],
    batchSizes: [1],
    rules: RULES,
    fidelity: { explainRows: 10 },
  };
  await page.goto(`./?plan=${encodePlan(plan as never)}&autorun=1`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const summary = page.getByTestId('fidelity-summary');
  await expect(summary.locator('tr[data-flagged="true"]')).toHaveCount(1);
  await expect(summary.locator('tr[data-flagged="false"]')).toHaveCount(1);
  await expect(page.getByTestId('slice-table')).toContainText('ethnicity=afam');
  await expect(page.getByTestId('slice-gaps')).toContainText('pts');
  await expect(page.getByTestId('calibration-chart')).toBeVisible();
  await expect(page.getByTestId('importance-chart')).toBeVisible();
  // Every chart has a table alternative.
  await expect(page.getByTestId('calibration-chart').locator('details table')).toHaveCount(1);
  await expect(page.getByTestId('importance-chart').locator('details table')).toContainText('education');
});

test('the image classifier: drift per class and occlusion maps shown side by side', async ({ page }) => {
  const plan = {
    schemaVersion: 1,
    modelId: 'fashion-mnist-cnn',
    cells: [
      { engine: 'ort-wasm', fidelity: true },
      { engine: 'tfjs-wasm', precision: 'int4', fidelity: true },
    ],
    batchSizes: [1],
    rules: RULES,
  };
  await page.goto(`./?plan=${encodePlan(plan as never)}&autorun=1`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('occlusion-maps').locator('svg')).not.toHaveCount(0);
  await expect(page.getByTestId('slice-table')).toContainText('class=Sneaker');
  const rows = page.getByTestId('fidelity-summary').locator('tr[data-cell]');
  await expect(rows).toHaveCount(2);
});

test('the CLI fails a flip-rate budget below the measured value and names the slice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inference-lab-fidelity-'));
  const planPath = join(dir, 'plan.json');
  writeFileSync(
    planPath,
    JSON.stringify({
      schemaVersion: 1,
      modelId: 'cps-wage',
      cells: [{ engine: 'ort-wasm', precision: 'int4', fidelity: true }],
      batchSizes: [1],
      rules: RULES,
      fidelity: { attributions: false, bootstrapIterations: 0 },
      budget: { schemaVersion: 1, defaults: { maxFlipRate: 0.001 } },
    }),
  );
  const run = spawnSync(process.execPath, [resolve(import.meta.dirname, '../bin/inference-lab.js'), 'run', '--plan', planPath, '--out', join(dir, 'out')], {
    encoding: 'utf8',
    timeout: 170_000,
  });
  expect(run.status, run.stderr + run.stdout).toBe(1);
  expect(run.stdout).toMatch(/FAIL 0:ort-wasm:int4 flip-rate \[[^\]]+\]: flip rate in slice "[^"]+" \(\d+ rows\) \d+\.\d+% > limit 0\.10%/);
  expect(run.stdout).toMatch(/flip rate in slice "(ethnicity|region|smsa)=/);
});
