/**
 * Bad input in the page: each kind gets a message naming it, results already
 * measured stay, and the page keeps working; then 100 mutated model files
 * (truncations, byte flips, damaged headers, absurd dimensions) through the
 * intake in one page session: each ends in a clear error or a model whose
 * cells end in a state, none hangs, and the page takes the next file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { decodeModel, encodeModel, graphOf } from '../src/lab/models/onnx-model-edit';
import { createRng, randomInt } from '../src/lab/util/random';
import { k_cps_features, k_cps_label } from '../scripts/user-models/cps-table';
import { k_fixtures_dir } from '../scripts/user-models/fixture-specs';
import { openLab, TEST_RULES } from './lab-page';

const dir = k_fixtures_dir;
const RULES = { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 };

test('bad input gets a message naming it, the results already measured stay, the page takes the next file', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  // Something measured first: it must survive every bad file below.
  for (const label of ['ORT WebGL', 'ORT WebGPU', 'ORT WebNN', 'TF.js CPU', 'TF.js wasm', 'TF.js WebGL', 'TF.js WebGPU', 'LiteRT wasm', 'LiteRT WebGPU', 'LiteRT WebNN']) await page.getByLabel(label, { exact: true }).uncheck();
  await page.getByLabel('INT8', { exact: true }).uncheck();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const measured = page.getByTestId('results-table').locator('tr[data-state="completed"]');
  await expect(measured.first()).toBeVisible();
  const rows = await measured.count();

  const input = page.getByTestId('model-input');
  await input.setInputFiles(join(dir, 'fashion-images/2-pullover/00016.png'));
  await expect(page.getByTestId('intake-error')).toHaveAttribute('data-problem', 'not-a-model');
  await expect(page.getByTestId('intake-error')).toContainText('it looks like a PNG image');
  const cnn = readFileSync(join(dir, 'fashion-cnn-nchw.onnx'));
  await input.setInputFiles({ name: 'cut.onnx', mimeType: 'application/octet-stream', buffer: cnn.subarray(0, 9000) });
  await expect(page.getByTestId('intake-error')).toHaveAttribute('data-problem', 'corrupt');
  await input.setInputFiles(join(dir, 'fashion-cnn-graph/model.json'));
  await expect(page.getByTestId('intake-error')).toContainText('pick it together with model.json');
  const future = decodeModel(cnn);
  future.opsetImport = [{ domain: '', version: 24 }];
  await input.setInputFiles({ name: 'future.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeModel(future)) });
  await expect(page.getByTestId('intake-problem')).toHaveAttribute('data-problem', 'opset');
  await expect(page.getByTestId('use-model')).toBeDisabled();

  // A good model with a CSV that does not match, then one with NaN: named by column and row.
  await input.setInputFiles(join(dir, 'cps-gbt.onnx'));
  await expect(page.getByTestId('model-card')).toBeVisible();
  await page.getByTestId('csv-input').setInputFiles(join(dir, 'cps-rows.csv'));
  await page.getByTestId('csv-features').fill([...k_cps_features.slice(0, 7), 'part_time'].join(', '));
  await page.getByTestId('csv-label').selectOption(k_cps_label);
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('intake-error')).toHaveAttribute('data-problem', 'data');
  await expect(page.getByTestId('intake-error')).toContainText('Column "part_time" (a feature) is not in cps-rows.csv');
  const lines = readFileSync(join(dir, 'cps-rows.csv'), 'utf8').split('\n');
  lines[5] = lines[5]!.replace(/^(\d+),(\d+)/, '$1,Infinity');
  await page.getByTestId('csv-input').setInputFiles({ name: 'inf.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.getByTestId('csv-features').fill(k_cps_features.join(', '));
  await page.getByTestId('csv-label').selectOption(k_cps_label);
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('intake-error')).toHaveAttribute('data-problem', 'non-finite');
  await expect(page.getByTestId('intake-error')).toContainText('column "experience", data row 5 (line 6) of inf.csv is Infinity');

  // The results measured before every bad file are still there, and the good file still goes through.
  await expect(measured).toHaveCount(rows);
  await page.getByTestId('csv-input').setInputFiles(join(dir, 'cps-rows.csv'));
  await page.getByTestId('csv-features').fill(k_cps_features.join(', '));
  await page.getByTestId('csv-label').selectOption(k_cps_label);
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('intake-phase')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
});

/** 100 seeded mutations of the fixtures: what a damaged download, a bad export or a hostile file looks like. */
function mutants(): { name: string; how: string; bytes: number[] }[] {
  const rng = createRng(12);
  const bases = ['cps-logreg.onnx', 'cps-gbt.onnx', 'cps-logreg-zipmap.onnx', 'fashion-cnn-nchw.onnx'].map((f) => ({ f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const out: { name: string; how: string; bytes: number[] }[] = [];
  for (let i = 0; i < 100; i++) {
    // The CNN's weights are most of its bytes: flipping them leaves a valid model, which the small ones exercise more cheaply.
    const base = bases[i % 4 === 3 && i % 8 !== 3 ? 3 : randomInt(rng, 3)]!;
    const bytes = base.bytes.slice();
    let how: string;
    if (i < 25) {
      const at = 1 + randomInt(rng, bytes.length - 1);
      out.push({ name: `m${i}-${base.f}`, how: `truncated at ${at}`, bytes: Array.from(bytes.subarray(0, at)) });
      continue;
    } else if (i < 60) {
      const n = 1 + randomInt(rng, 8);
      for (let k = 0; k < n; k++) {
        const at = randomInt(rng, bytes.length);
        bytes[at] = (bytes[at] as number) ^ (1 + randomInt(rng, 255));
      }
      how = `${n} byte(s) flipped`;
    } else if (i < 75) {
      const n = 1 + randomInt(rng, 32);
      for (let k = 0; k < n; k++) bytes[k] = randomInt(rng, 256);
      how = `first ${n} bytes overwritten`;
    } else if (i < 90) {
      const model = decodeModel(base.bytes);
      const graph = graphOf(model);
      const absurd = [0, 2 ** 31 - 1, 2 ** 40, -5][i % 4] as number;
      const input = graph.input[0]?.type?.tensorType?.shape?.dim;
      const tensor = graph.initializer[0];
      if (i % 2 === 0 && input && input.length > 1) input[input.length - 1] = { dimValue: absurd };
      else if (tensor) tensor.dims = (tensor.dims ?? [1]).map((d, k): number => (k === 0 ? absurd : Number(d)));
      else if (input) input[0] = { dimValue: absurd };
      out.push({ name: `m${i}-${base.f}`, how: `dimension set to ${absurd}`, bytes: Array.from(encodeModel(model)) });
      continue;
    } else {
      const kinds = [new Uint8Array(0), Uint8Array.from({ length: 4096 }, () => randomInt(rng, 256)), new Uint8Array([...base.bytes, ...base.bytes]), new TextEncoder().encode('{"not": "a model"}'), new TextEncoder().encode('a,b\n1,2\n')];
      const k = i % kinds.length;
      out.push({ name: `m${i}-${base.f}`, how: ['empty', 'random bytes', 'the file twice', 'JSON', 'CSV'][k] ?? '', bytes: Array.from(kinds[k] ?? []) });
      continue;
    }
    out.push({ name: `m${i}-${base.f}`, how, bytes: Array.from(bytes) });
  }
  return out;
}

test('fuzz: 100 mutated model files through the intake in one page: clear errors or runnable models, no hang, the page takes the next file', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  const files = mutants();
  const outcomes: { name: string; how: string; outcome: string; ms: number; cell?: string }[] = [];
  for (let start = 0; start < files.length; start += 10) {
    const batch = files.slice(start, start + 10);
    const answers = await page.evaluate(
      async ({ batch, rules, cells }) => {
        const api = window.inferenceLab!;
        const results = [];
        let ran = cells ? 0 : 1;
        for (const file of batch) {
          const t0 = performance.now();
          let outcome: string;
          let cell: string | undefined;
          try {
            const { modelId } = await api.addModel({ name: file.name.replace(/^m\d+-/, ''), bytes: Uint8Array.from(file.bytes) });
            outcome = 'added';
            // Cells only for a few that still parse (the first of each of the first three batches): one ORT wasm cell, which must end in a state.
            if (ran++ > 0) {
              results.push({ outcome, ms: performance.now() - t0 });
              continue;
            }
            const plan = { ...api.defaultPlan(modelId), cells: [{ engine: 'ort-wasm' as const, format: 'onnx' as const }], batchSizes: [1], rules, cellTimeoutMs: 20_000 };
            const run = await api.run(plan);
            const c = run.cells[0]!;
            cell = `${c.state}${c.state === 'errored' ? `: ${c.error.message}` : c.state === 'unavailable' ? `: ${c.reason}` : ''}`;
          } catch (error) {
            const problem = (error as { problem?: unknown }).problem;
            outcome = `${typeof problem === 'string' ? problem : (error as Error).name}: ${(error as Error).message}`;
          }
          results.push({ outcome, ms: performance.now() - t0, ...(cell ? { cell } : {}) });
        }
        return results;
      },
      { batch, rules: RULES, cells: start < 30 },
    );
    answers.forEach((a, i) => outcomes.push({ name: batch[i]!.name, how: batch[i]!.how, ...a }));
    // The page answers between batches: it never froze.
    expect(await page.evaluate(() => document.readyState)).toBe('complete');
  }
  const summary = new Map<string, number>();
  for (const o of outcomes) summary.set(o.outcome.split(':')[0] ?? '', (summary.get(o.outcome.split(':')[0] ?? '') ?? 0) + 1);
  console.log([...summary.entries()].map(([k, n]) => `${k} ×${n} (${Math.round(outcomes.filter((o) => o.outcome.startsWith(k)).reduce((t, o) => t + o.ms, 0))} ms)`).join(', '));
  for (const o of outcomes) {
    const kind = o.outcome.split(':')[0] ?? '';
    // A clear error: a named problem with a message, or the intake's own report of a worker it had to stop.
    expect(['added', 'corrupt', 'not-a-model', 'external-data', 'too-large', 'opset', 'no-engine', 'unsupported', 'IntakeLostError', 'Error'], `${o.name} (${o.how}): ${o.outcome}`).toContain(kind);
    if (kind !== 'added') expect(o.outcome.length, o.name).toBeGreaterThan(kind.length + 10);
    if (o.cell) expect(o.cell, `${o.name} (${o.how})`).toMatch(/^(completed|errored|unavailable)/);
    // No hang: the intake's watchdogs bound every file.
    expect(o.ms, `${o.name} (${o.how})`).toBeLessThan(60_000);
  }
  expect(outcomes.filter((o) => o.outcome === 'added').length).toBeGreaterThan(0);
  expect(outcomes.filter((o) => o.outcome !== 'added').length).toBeGreaterThan(50);
  const plain = outcomes.filter((o) => o.outcome.startsWith('Error'));
  console.log(plain.map((o) => `${o.name} (${o.how}): ${o.outcome}`).join('\n'));

  // The page still takes a good file and runs it.
  const good = Array.from(readFileSync(join(dir, 'cps-logreg.onnx')));
  const state = await page.evaluate(
    async ({ good, rules }) => {
      const api = window.inferenceLab!;
      const { modelId } = await api.addModel({ name: 'cps-logreg.onnx', bytes: Uint8Array.from(good) });
      const run = await api.run({ ...api.defaultPlan(modelId), cells: [{ engine: 'ort-wasm', format: 'onnx' }], batchSizes: [1], rules });
      return run.cells[0]!.state;
    },
    { good, rules: RULES },
  );
  expect(state).toBe('completed');
});
