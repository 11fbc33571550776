import type { Page } from '@playwright/test';
import type { BenchRules } from '../src/lab/bench/protocol';
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
