import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { BenchRules } from '../src/lab/bench/protocol';
import { ENGINE_LIST } from '../src/lab/engines/engine-descriptors';
import type { ResultsDocument } from '../src/lab/results/results';
import type { PlanInput } from '../src/lab/runner/plan';

/** Few samples: e2e proves behaviour, benchmarks measure speed. */
export const TEST_RULES: BenchRules = {
  warmupIterations: 1,
  warmupMinMs: 0,
  rounds: 2,
  blockMinMs: 0,
  blockMinSamples: 3,
  blockMaxSamples: 20,
  blockMaxMs: 500,
  minTimerSteps: 20,
};

export async function openLab(page: Page): Promise<void> {
  await page.goto('./');
  await page.waitForFunction(() => window.inferenceLab !== undefined);
}

export function runPlan(page: Page, plan: PlanInput): Promise<ResultsDocument> {
  return page.evaluate((p) => window.inferenceLab!.run(p), plan);
}

export function cellsByEngine(results: ResultsDocument): Map<string, ResultsDocument['cells'][number]> {
  return new Map(results.cells.map((c) => [c.engine, c]));
}

/** The default plan in the UI cut to two CPU engines at FP32 (short), run from the Run button to done. */
export async function runTwoCpuEnginesInUi(page: Page): Promise<void> {
  await openLab(page);
  const keep = new Set(['ORT wasm', 'TF.js CPU']);
  for (const label of ENGINE_LIST.map((d) => d.label).filter((l) => !keep.has(l))) {
    await page.getByLabel(label, { exact: true }).uncheck();
  }
  await page.getByLabel('INT8', { exact: true }).uncheck();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

/** Whether the whole of the first element matching `selector` lies inside the window. */
export async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });
}

/**
 * After a run, on this window: the Run button and the whole findings block on
 * screen, and the findings not under the sticky run bar. Returns what failed (empty: all held).
 */
export async function findingsOnFirstScreen(page: Page): Promise<string[]> {
  const failed: string[] = [];
  if (!(await inViewport(page, '[data-testid="run"]'))) failed.push('the Run button is off screen');
  if (!(await inViewport(page, '[data-testid="findings"]'))) failed.push('the findings are not wholly on screen');
  const covered = await page.evaluate(() => {
    const bar = document.querySelector('.run-controls')!.getBoundingClientRect();
    const findings = document.querySelector('[data-testid="findings"]')!.getBoundingClientRect();
    return findings.top < bar.bottom && findings.bottom > bar.top;
  });
  if (covered) failed.push('the run bar covers the findings');
  return failed;
}
