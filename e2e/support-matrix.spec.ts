import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BenchRules } from '../src/lab/bench/protocol';
import { ENGINE_IDS } from '../src/lab/engines/engine-descriptors';
import { PRECISIONS } from '../src/lab/engines/precision';
import type { ResultsDocument } from '../src/lab/results/results';
import type { SupportMatrix, SupportMatrixFile } from '../src/lab/results/support-matrix';
import { addToMatrix, matrixDifferences } from '../src/lab/results/support-matrix';
import { openLab, runPlan } from './lab-page';

/**
 * The support matrix this machine's Chromium produces is an expected result
 * (e2e/expected/support-matrix.chromium.json): every zoo model on every engine
 * at every variant. A cell that completed and now does not, or an unavailable
 * cell whose reason changed, fails here by name. Regenerate it on purpose,
 * and let the diff show in review:
 *
 *   npm run support:update
 */
const EXPECTED = resolve(import.meta.dirname, 'expected/support-matrix.chromium.json');
const UPDATE = process.env.SUPPORT_MATRIX_UPDATE === '1';
const MODELS = ['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2'] as const;

/** One timed sample per cell: the matrix needs each cell's state (its outputs checked), not its speed. */
const MATRIX_RULES: BenchRules = { warmupIterations: 0, warmupMinMs: 0, rounds: 1, blockMinMs: 0, blockMinSamples: 1, blockMaxSamples: 1, blockMaxMs: 1000, minTimerSteps: 1 };

function readExpected(): SupportMatrixFile | undefined {
  return existsSync(EXPECTED) ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as SupportMatrixFile) : undefined;
}

for (const modelId of MODELS) {
  test(`support matrix: ${modelId} on every engine at every variant is as committed`, async ({ page }) => {
    test.setTimeout(600_000);
    await openLab(page);
    const actual: SupportMatrix = {};
    const wallMs: Record<string, number> = {};
    let browser = '';
    // One plan per engine: all of a plan's cells hold a worker and a model open at once, and 5 are enough.
    for (const engine of ENGINE_IDS) {
      const results: ResultsDocument = await runPlan(page, {
        schemaVersion: 1,
        modelId,
        cells: PRECISIONS.map((precision) => ({ engine, precision })),
        batchSizes: [1],
        rules: MATRIX_RULES,
      });
      addToMatrix(actual, results);
      for (const c of results.cells) wallMs[`${c.engine}:${c.precision}`] = Math.round(c.wallMs);
      browser = `${results.device.browser.name} ${results.device.browser.version}`;
    }

    // Where the time goes, for sizing CI (test-results/…/cell-wall-ms.json); never asserted.
    writeFileSync(test.info().outputPath('cell-wall-ms.json'), `${JSON.stringify(wallMs, null, 2)}\n`);

    if (UPDATE) {
      const file: SupportMatrixFile = readExpected() ?? {
        kind: 'inference-lab-support-matrix',
        schemaVersion: 1,
        producedOn: { browser, date: '', command: 'npm run support:update' },
        models: {},
      };
      file.producedOn = { browser, date: new Date().toISOString().slice(0, 10), command: 'npm run support:update' };
      file.models[modelId] = actual[modelId]!;
      writeFileSync(EXPECTED, `${JSON.stringify(file, null, 2)}\n`);
      return;
    }
    const expected = readExpected();
    expect(expected, `${EXPECTED} is missing: run npm run support:update and commit it`).toBeDefined();
    expect(expected!.models[modelId], `${EXPECTED} has no ${modelId}: run npm run support:update`).toBeDefined();
    // Several completed cells per model, so a run that errors everywhere cannot pass against a matrix of errors by accident.
    const completed = Object.values(actual[modelId] ?? {}).flatMap((row) => Object.values(row)).filter((e) => e.state === 'completed');
    expect(completed.length, 'completed cells').toBeGreaterThan(0);
    const differences = matrixDifferences(expected!.models, actual, modelId);
    expect(differences, `the support matrix changed (if on purpose: npm run support:update, and commit the diff)\n${differences.join('\n')}`).toEqual([]);
  });
}
