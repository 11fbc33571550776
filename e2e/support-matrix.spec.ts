import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BenchRules } from '../src/lab/bench/protocol';
import type { EngineId } from '../src/lab/engines/engine-descriptors';
import { ENGINE_IDS, ENGINES, isEngineId } from '../src/lab/engines/engine-descriptors';
import type { Precision } from '../src/lab/engines/precision';
import { PRECISIONS } from '../src/lab/engines/precision';
import type { ResultsDocument } from '../src/lab/results/results';
import type { SupportMatrix, SupportMatrixFile } from '../src/lab/results/support-matrix';
import { addToMatrix, matrixDifferences, matrixRow } from '../src/lab/results/support-matrix';
import { openLab, runPlan } from './lab-page';
import { expectOwnTolerance } from './stored-tolerance';

/**
 * The support matrix this machine's Chromium produces is an expected result
 * (e2e/expected/support-matrix.chromium.json): every zoo model on every engine
 * at every variant, and on every TF.js backend through the ONNX importer too
 * (rows `tfjs-…@onnx`: one ONNX file on all seven backends). A cell that
 * completed and now does not, or an unavailable cell whose reason changed,
 * fails here by name; every completed cell was gated by its own stored
 * tolerance. Regenerate it on purpose, and let the diff show in review:
 *
 *   npm run support:update
 *
 * CI leaves out, by name, on ESRGAN (the one large model: its cells on the
 * slow paths cost minutes and teach nothing the two other models do not):
 * every variant but FP32 on the software GPU engines and on TF.js CPU (the
 * same variants' paths run on the two other models), and those engines'
 * second format (the importer's ESRGAN graph runs on TF.js wasm at every
 * variant, and on every backend on the two other models); plus the cells of
 * engines added after this spec's CI time was set beyond those listed in
 * CI_CELLS; and, on every model, FP16 storage and INT4 on TF.js's software
 * GPU backends: TF.js expands those weights to FP32 at load, so the backend
 * runs the FP32 graph it runs for the FP32 cell (FP16 compute, which differs
 * on WebGL, and INT8 stay). `SUPPORT_MATRIX_FULL=1` (and the update) runs
 * every cell; `SUPPORT_MATRIX_ENGINES=litert-wasm npm run support:update`
 * rewrites only those engines' rows, keeping the others as committed.
 */
const EXPECTED = resolve(import.meta.dirname, 'expected/support-matrix.chromium.json');
const UPDATE = process.env.SUPPORT_MATRIX_UPDATE === '1';
const FULL = UPDATE || process.env.SUPPORT_MATRIX_FULL === '1';
const ONLY = process.env.SUPPORT_MATRIX_ENGINES?.split(',').filter((id): id is EngineId => isEngineId(id));
/** LiteRT's CPU cells at FP32 and INT8 are the ones CI runs of the engines added last. */
const CI_CELLS: Partial<Record<EngineId, readonly Precision[]>> = { 'litert-wasm': ['fp32', 'int8'], 'litert-webgpu': [], 'litert-webnn': [] };
const MODELS = ['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2'] as const;
const GPU_BACKENDS: readonly string[] = ['webgl', 'webgpu'];
/** Variants that change only how weights are stored, which TF.js undoes at load. */
const WEIGHT_ONLY: readonly Precision[] = ['fp16', 'int4'];
/** Backends whose ESRGAN cells CI keeps to FP32 in the engine's own format: the software GPUs, and TF.js's plain-JS CPU. */
const SLOW_BACKENDS: readonly string[] = ['webgl', 'webgpu', 'cpu'];

/** Whether this run covers a cell (see FULL). */
function covered(modelId: string, engine: EngineId, precision: Precision, format: string | undefined): boolean {
  if (FULL) return true;
  if (!(CI_CELLS[engine] ?? PRECISIONS).includes(precision)) return false;
  if (ENGINES[engine].runtime === 'tensorflow.js' && GPU_BACKENDS.includes(ENGINES[engine].backend) && WEIGHT_ONLY.includes(precision)) return false;
  if (modelId !== 'esrgan-slim-x2' || !SLOW_BACKENDS.includes(ENGINES[engine].backend)) return true;
  return precision === 'fp32' && format === undefined;
}

/** Every engine in its own format, then every engine that reads a second format (TF.js on ONNX), in that format. */
const ROWS = [
  ...(ONLY ?? ENGINE_IDS).map((engine) => ({ engine, format: undefined })),
  ...(ONLY ?? ENGINE_IDS).flatMap((engine) => ENGINES[engine].formats.slice(1).map((format) => ({ engine, format }))),
];

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
    const ran = new Set<string>();
    // One plan per engine and format: all of a plan's cells hold a worker and a model open at once, and 5 are enough.
    for (const { engine, format } of ROWS) {
      const precisions = PRECISIONS.filter((p) => covered(modelId, engine, p, format));
      if (precisions.length === 0) continue;
      const results: ResultsDocument = await runPlan(page, {
        schemaVersion: 1,
        modelId,
        cells: precisions.map((precision) => ({ engine, precision, ...(format ? { format } : {}) })),
        batchSizes: [1],
        rules: MATRIX_RULES,
      });
      addToMatrix(actual, results);
      for (const c of results.cells) {
        wallMs[`${matrixRow(c)}:${c.precision}`] = Math.round(c.wallMs);
        ran.add(`${matrixRow(c)}:${c.precision}`);
        // Completed means gated by exactly the tolerance the committed manifest states for this cell's variant and format.
        if (c.state === 'completed') expectOwnTolerance(modelId, c);
      }
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
      file.models[modelId] = ONLY ? { ...file.models[modelId], ...actual[modelId] } : actual[modelId]!;
      writeFileSync(EXPECTED, `${JSON.stringify(file, null, 2)}\n`);
      return;
    }
    const expected = readExpected();
    expect(expected, `${EXPECTED} is missing: run npm run support:update and commit it`).toBeDefined();
    expect(expected!.models[modelId], `${EXPECTED} has no ${modelId}: run npm run support:update`).toBeDefined();
    // Several completed cells per model, so a run that errors everywhere cannot pass against a matrix of errors by accident.
    const completed = Object.values(actual[modelId] ?? {}).flatMap((row) => Object.values(row)).filter((e) => e.state === 'completed');
    expect(completed.length, 'completed cells').toBeGreaterThan(0);
    const differences = matrixDifferences(expected!.models, actual, modelId, (row, precision) => ran.has(`${row}:${precision}`));
    const leftOut = Object.values(expected!.models[modelId] ?? {}).reduce((n, row) => n + Object.keys(row).length, 0) - ran.size;
    console.log(`${modelId}: ${ran.size} cells checked${leftOut > 0 ? `, ${leftOut} left out (see the spec's header; SUPPORT_MATRIX_FULL=1 runs them)` : ''}`);
    // The ONNX file runs on all four TF.js backends through the importer, at FP32 and INT8 (QDQ), on every zoo model.
    for (const engine of ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'])
      for (const precision of ['fp32', 'int8']) if (ran.has(`${engine}@onnx:${precision}`)) expect(actual[modelId]?.[`${engine}@onnx`]?.[precision]?.state, `${modelId} ${engine}@onnx ${precision}`).toBe('completed');
    expect(differences, `the support matrix changed (if on purpose: npm run support:update, and commit the diff)\n${differences.join('\n')}`).toEqual([]);
  });
}
