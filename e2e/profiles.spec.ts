import { expect, test } from '@playwright/test';
import type { KernelProfileOutcome } from '../src/lab/profiles/kernel-profile';
import type { PlanInput } from '../src/lab/runner/plan';
import { encodePlan } from '../src/lab/runner/plan';
import { openLab, TEST_RULES } from './lab-page';

/**
 * Kernel profiles come from the engines' own profilers, in profiling runs of
 * their own, and only from sessions that answered like the checked one.
 */
const CNN: PlanInput = {
  schemaVersion: 1,
  modelId: 'fashion-mnist-cnn',
  cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-cpu' }, { engine: 'tfjs-wasm' }, { engine: 'ort-webgl' }],
  batchSizes: [4],
  rules: TEST_RULES,
};

function profiled(outcome: KernelProfileOutcome | undefined) {
  if (outcome?.state !== 'profiled') throw new Error(`expected a profile, got ${JSON.stringify(outcome)}`);
  return outcome;
}

test('ORT wasm and TF.js report their kernels with shares that add up; ORT WebGL says it has no profiler', async ({ page }) => {
  await openLab(page);
  const outcomes = await page.evaluate((p) => window.inferenceLab!.profile(p), CNN);
  const byEngine = new Map(outcomes.map((o) => [o.engine, o]));
  for (const engine of ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm']) {
    const p = profiled(byEngine.get(engine));
    expect(p.batchSize).toBe(4);
    expect(p.summary.runs).toBe(10);
    const total = p.summary.top.reduce((s, k) => s + k.share, 0) + p.summary.others.share;
    expect(total).toBeCloseTo(1, 9);
    expect(p.summary.kernelMsPerRun).toBeGreaterThan(0);
    // Shares are sorted, largest first.
    const shares = p.summary.top.map((k) => k.share);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(p.check.maxAbsDiff).toBeLessThanOrEqual(p.check.tolerance);
  }
  // The CNN's convolutions are there, under each runtime's own kernel names.
  expect(profiled(byEngine.get('ort-wasm')).summary.source).toBe('ort-session-profiler');
  expect(profiled(byEngine.get('ort-wasm')).summary.top.map((k) => k.name)).toEqual(expect.arrayContaining([expect.stringMatching(/Conv/)]));
  expect(profiled(byEngine.get('tfjs-cpu')).summary.source).toBe('tfjs-profile');
  const tfNames = profiled(byEngine.get('tfjs-cpu')).summary.top.map((k) => k.name);
  expect(tfNames).toEqual(expect.arrayContaining([expect.stringMatching(/Conv2D/)]));
  // Op wrappers (e.g. "fusedConv2d__op") hold their kernels' time: listing them would count it twice.
  expect(tfNames.filter((n) => n.endsWith('__op'))).toEqual([]);
  expect(byEngine.get('ort-webgl')).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('no per-kernel profiler') });
});

test('the page profiles the completed cells after a run and shows their top kernels', async ({ page }) => {
  const plan: PlanInput = { schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-cpu' }], batchSizes: [1], rules: TEST_RULES };
  await page.goto(`./?plan=${encodePlan(plan)}`);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await page.getByTestId('profile-kernels').click();
  const table = page.getByTestId('kernel-profile-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(table.locator('tbody tr[data-state="profiled"]')).toHaveCount(2);
  // The MLP is matrix products: each runtime names one among its top kernels.
  await expect(table.locator('tbody tr').first().locator('[data-kernel]').filter({ hasText: /MatMul|Gemm/ }).first()).toBeVisible();
  await expect(table.locator('tbody tr').nth(1).locator('[data-kernel]').filter({ hasText: /MatMul|Gemm/ }).first()).toBeVisible();
});
