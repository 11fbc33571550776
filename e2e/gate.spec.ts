import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { encodePlan } from '../src/lab/runner/plan';
import { openLab, runPlan, TEST_RULES } from './lab-page';

/**
 * The gate cannot be talked round: a looser tolerance is labelled everywhere
 * and a link carrying one does not start by itself; a doctored results file is
 * refused; a run in which nothing completed fails.
 */
const BIN = resolve(import.meta.dirname, '../bin/inference-lab.js');

function cli(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'inference-lab-gate-'));
  const r = spawnSync(process.execPath, [BIN, ...args, '--out', out], { encoding: 'utf8', timeout: 170_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

function writeJson(name: string, value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-gate-in-')), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const LOOSE = { schemaVersion: 1 as const, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' as const }], batchSizes: [1], rules: TEST_RULES, tolerance: 1e9 };

test('a plan with tolerance 1e9 completes labelled in the results JSON and the page', async ({ page }) => {
  await openLab(page);
  const results = await runPlan(page, LOOSE);
  const cell = results.cells[0]!;
  expect(cell.state).toBe('completed');
  if (cell.state === 'completed') expect(cell.tolerance).toMatchObject({ applied: 1e9, source: 'plan-looser' });
});

test('a shared link that loosens the tolerance shows a warning and does not start; Run then labels the cell', async ({ page }) => {
  await page.goto(`./?plan=${encodePlan(LOOSE)}&autorun=1`);
  await expect(page.getByTestId('plan-warning')).toContainText('custom tolerance 1000000000');
  await expect(page.getByTestId('plan-warning')).toContainText('not started automatically');
  // Give an autorun every chance to start: it must not.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('tolerance-label')).toHaveText('⚠ custom tolerance 1.0e+9 (manifest 1.0e-4)');
});

test('Run, Cancel, Run: the page follows the newest run, never the cancelled one', async ({ page }) => {
  const plan = { schemaVersion: 1 as const, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' as const }, { engine: 'ort-wasm' as const }], batchSizes: [1], rules: TEST_RULES };
  await page.goto(`./?plan=${encodePlan(plan)}`);
  await page.getByTestId('run').click();
  await page.getByTestId('cancel').click();
  await page.getByTestId('run').click();
  // The cancelled run answers late; the status must stay with the new run until it is done.
  const seen = await page.evaluate(
    () =>
      new Promise<string[]>((done) => {
        const statuses: string[] = [];
        const el = document.querySelector('[data-testid="run-status"]')!;
        const watch = () => {
          const s = el.getAttribute('data-status') ?? '';
          if (statuses.at(-1) !== s) statuses.push(s);
          if (s === 'done' || s === 'failed') done(statuses);
          else setTimeout(watch, 20);
        };
        watch();
      }),
  );
  expect(seen).toEqual(['running', 'done']);
});

test('the CLI labels a loosened tolerance in its output, JUnit and HTML report', () => {
  const run = cli(['run', '--plan', writeJson('plan.json', LOOSE)]);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  expect(run.stdout).toContain('⚠ custom tolerance 1.0e+9 (manifest 1.0e-4)');
  expect(readFileSync(join(run.out, 'junit.xml'), 'utf8')).toContain('completed with a custom tolerance 1.0e+9 (manifest 1.0e-4)');
  expect(readFileSync(join(run.out, 'report.html'), 'utf8')).toContain('⚠ custom tolerance 1.0e+9 (manifest 1.0e-4)');
});

test('compare refuses a doctored results file, naming the cell; a plan of only an engine this machine lacks exits 1', () => {
  const plan = { schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }, { engine: 'ort-webnn' }], batchSizes: [1], rules: TEST_RULES };
  const run = cli(['run', '--plan', writeJson('plan.json', plan)]);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  const results = JSON.parse(readFileSync(join(run.out, 'results-chromium.json'), 'utf8')) as ResultsDocument;
  const [wasm, webnn] = results.cells;
  expect([wasm?.state, webnn?.state]).toEqual(['completed', 'unavailable']);

  // The unavailable cell edited to "completed" with no batches, and the completed one with a faster median.
  const doctored = structuredClone(results);
  doctored.cells[1] = { ...doctored.cells[1]!, state: 'completed', agreement: [], batches: [] } as unknown as ResultsDocument['cells'][number];
  const refused = cli(['compare', '--results', writeJson('doctored.json', doctored)]);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('cell 1:ort-webnn:fp32 is marked completed but has no tolerance record; has no timed batch sizes; has no agreement record');
  const faster = structuredClone(results);
  const cell = faster.cells[0]!;
  if (cell.state === 'completed') cell.batches[0]!.stats = { ...cell.batches[0]!.stats, p50: cell.batches[0]!.stats.p50 / 2 };
  const refusedStats = cli(['compare', '--results', writeJson('faster.json', faster)]);
  expect(refusedStats.status).toBe(2);
  expect(refusedStats.stderr).toMatch(/cell 0:ort-wasm:fp32 is marked completed but batch 1: p50 [\d.e-]+ does not follow from the samples/);
  expect(cli(['compare', '--results', join(run.out, 'results-chromium.json')]).status).toBe(0);

  const nothing = cli(['run', '--plan', writeJson('webnn.json', { ...plan, cells: [{ engine: 'ort-webnn' }] })]);
  expect(nothing.status, nothing.stdout).toBe(1);
  expect(nothing.stdout).toContain('FAIL run completed-any: no cell completed (1 ran): nothing was measured');
});
