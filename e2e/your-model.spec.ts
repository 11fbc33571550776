/**
 * Bring your own model, in a real browser:
 * 1. through the real file inputs (model, CSV, the UI's Run button): the card,
 *    the in-page reference, per-slice fidelity, and no request carrying
 *    anything after the file is chosen; a shared link asks for the file again
 *    and refuses another;
 * 2. every fixture through the API with its native goldens (one page): every
 *    cell completed against them, unavailable with the engine's reason, or errored;
 *    the zoo's own file uploaded as a user would gives the zoo's results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type Request } from '@playwright/test';
import { encodePlan } from '../src/lab/runner/plan';
import type { ResultsDocument } from '../src/lab/results/results';
import { goldenPath, k_fixtures, k_fixtures_dir, type FixtureSpec } from '../scripts/user-models/fixture-specs';
import { k_cps_features, k_cps_label, k_cps_slices } from '../scripts/user-models/cps-table';
import { openLab, TEST_RULES } from './lab-page';

const dir = k_fixtures_dir;
/** The backends this CI Chromium offers for an ONNX file: onnxruntime-web's wasm, WebGL and WebGPU, and the four TF.js ones through the importer. */
const k_seven_backends = ['ort-wasm', 'ort-webgl', 'ort-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'] as const;
const RULES = { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 };

interface Golden {
  computedBy: string;
  rows: number;
  inputs?: number[][];
  inputsFile?: string;
  outputs: number[][];
}

function nativeReference(spec: FixtureSpec): { computedBy: string; inputs: number[][]; outputs: number[][] } {
  const golden = JSON.parse(readFileSync(join(dir, goldenPath(spec.name)), 'utf8')) as Golden;
  let inputs = golden.inputs;
  if (!inputs) {
    const bytes = readFileSync(join(dir, 'golden', golden.inputsFile ?? ''));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const width = all.length / golden.rows;
    inputs = Array.from({ length: golden.rows }, (_, r) => Array.from(all.subarray(r * width, (r + 1) * width)));
  }
  return { computedBy: golden.computedBy, inputs, outputs: golden.outputs };
}

const bytesOf = (path: string) => Array.from(readFileSync(join(dir, path)));

function describeCell(c: ResultsDocument['cells'][number]): string {
  const where = `${c.engine}:${c.precision}`;
  if (c.state === 'completed') return `${where} completed, max |Δ| ${Math.max(...c.agreement.map((a) => a.maxAbsDiff)).toExponential(2)} of ${c.tolerance.applied}`;
  if (c.state === 'unavailable') return `${where} unavailable: ${c.reason}`;
  if (c.state === 'errored') return `${where} errored ${c.error.kind}: ${c.error.message}`;
  return `${where} ${c.state}`;
}

/** Requests the page and its workers make from now on (method, URL, whether they carry a body). */
function recordRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.context().on('request', (r) => seen.push(r));
  return seen;
}

test('your model through the file inputs: card, page reference, per-slice fidelity, nothing sent; a shared link asks for the same file', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await openLab(page);
  // The page's own start-up reads (the zoo list and its manifests) finish first: what follows must not add any.
  await expect(page.getByTestId('model-summary')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const requests = recordRequests(page);
  await page.getByTestId('model-input').setInputFiles(join(dir, 'cps-gbt-zipmap.onnx'));
  const card = page.getByTestId('model-card');
  await expect(card).toContainText('seq(map(int64, float32))');
  await expect(card.locator('[data-engine="ort-wasm"]')).toHaveAttribute('data-verdict', 'runs');
  await expect(card.locator('[data-engine="ort-webgl"]')).toHaveAttribute('data-verdict', 'cannot');
  await expect(card.locator('[data-engine="ort-webgpu"]')).toContainText('ai.onnx.ml.TreeEnsembleClassifier');
  await expect(page.getByTestId('model-measured')).toContainText('ZipMap removed');

  await page.getByTestId('csv-input').setInputFiles(join(dir, 'cps-rows.csv'));
  // The page's first guess is already the right mapping: the model's 8 numeric columns, its 0/1 label, the text groups as slices.
  await expect(page.getByTestId('csv-features')).toHaveValue(k_cps_features.join(', '));
  await expect(page.getByTestId('csv-label')).toHaveValue(k_cps_label);
  for (const s of k_cps_slices) await expect(page.getByRole('group', { name: 'Slice columns' }).getByLabel(s, { exact: true })).toBeChecked();
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('intake-phase')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('model-variants').locator('[data-precision="int8"]')).toHaveAttribute('data-state', 'not-made');

  // The UI's own Run button, on three engines.
  for (const label of ['ORT WebGL', 'ORT WebNN', 'TF.js wasm', 'TF.js WebGL', 'TF.js WebGPU']) await page.getByLabel(label, { exact: true }).uncheck();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('reference-note')).toHaveAttribute('data-kind', 'page');
  await expect(page.getByTestId('reference-note')).toContainText('the ORT wasm FP32 cell agrees with it by construction');
  await expect(page.getByTestId('results-table').locator('tr[data-state="completed"]').first()).toContainText('ORT wasm');
  await expect(page.getByTestId('results-table').locator('tr[data-state="unavailable"]').first()).toContainText('ORT WebGPU');
  // Per-slice fidelity on the user's own slices.
  await expect(page.getByText('ethnicity=afam').first()).toBeVisible();
  // The card now says what running confirmed.
  await expect(card.locator('[data-engine="ort-wasm"]')).toContainText('ran: completed');

  // Nothing left the page: every request after the file was chosen is a GET of the lab's own files (workers, wasm, code), none with a body, none for a model.
  const origin = new URL(baseURL ?? '').origin;
  const leaks = requests.filter((r) => !r.url().startsWith(origin) || r.method() !== 'GET' || r.postData() !== null || /\/models\//.test(r.url()));
  expect(leaks.map((r) => `${r.method()} ${r.url()}`), requests.map((r) => r.url()).join('\n')).toEqual([]);

  // A shared link records the SHA-256, asks for the file again and refuses another.
  const plan = await page.evaluate(() => window.inferenceLab!.defaultPlan(window.inferenceLab!.userModels()[0]!.modelId));
  const shared = await page.context().newPage();
  await shared.goto(`./?plan=${encodePlan({ ...plan, rules: RULES })}&autorun=1`);
  await expect(shared.getByTestId('expected-model')).toContainText('cps-gbt-zipmap.onnx');
  await shared.getByTestId('model-input').setInputFiles(join(dir, 'cps-gbt.onnx'));
  await expect(shared.getByTestId('intake-problem')).toHaveAttribute('data-problem', 'different-file');
  await shared.getByTestId('model-input').setInputFiles(join(dir, 'cps-gbt-zipmap.onnx'));
  await expect(shared.getByTestId('intake-problem')).toHaveCount(0);
  await expect(shared.getByTestId('use-model')).toBeEnabled();
  await shared.close();

  // Kept on this device only when asked: no database until then; forgetting deletes it.
  const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(await databases()).not.toContain('inference-lab-kept-models');
  await page.getByTestId('keep-model').check();
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('kept-models')).toContainText('cps-gbt-zipmap.onnx');
  await page.reload();
  await page.getByTestId('kept-models').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('model-card')).toContainText('cps-gbt-zipmap.onnx');
  await expect(page.getByTestId('csv-label')).toHaveValue(k_cps_label);
  await page.getByRole('button', { name: 'Forget cps-gbt-zipmap.onnx' }).click();
  await expect(page.getByTestId('kept-models')).toHaveCount(0);

  // An image folder through the folder input (webkitdirectory), for the PyTorch-shaped CNN: NCHW read from its shape, variants made.
  await page.getByTestId('model-input').setInputFiles(join(dir, 'fashion-cnn-nchw.onnx'));
  await expect(page.getByTestId('model-card')).toContainText('[batch_size, 1, 28, 28]');
  await page.getByTestId('images-input').setInputFiles(join(dir, 'fashion-images'));
  await expect(page.getByTestId('image-options')).toContainText('100 files');
  await page.getByTestId('use-model').click();
  await expect(page.getByTestId('intake-phase')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('model-variants').locator('[data-precision="int8"]')).toContainText('static INT8 (QDQ, uint8 per tensor, calibrated on the first 100 images)');
});

test('every fixture through the API against its native goldens, and the zoo\'s own file as a user would', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const images = readdirSync(join(dir, 'fashion-images')).flatMap((c) => readdirSync(join(dir, 'fashion-images', c)).map((f) => `fashion-images/${c}/${f}`));
  const imageFiles = images.map((path) => ({ path, bytes: bytesOf(path) }));
  const csv = readFileSync(join(dir, 'cps-rows.csv'), 'utf8');
  for (const spec of k_fixtures) {
    const image = spec.inputs.kind === 'images';
    // CPU engines everywhere; every engine on the tree model (the GPU ones refuse it by name, at once) and on the PyTorch-shaped CNN (one ONNX file on all seven backends here).
    // LiteRT wasm on every ONNX fixture: it reads the page's .tflite export, or says which operator the exporter could not write.
    const engines =
      spec.name === 'cps-gbt' || spec.name === 'fashion-cnn-nchw'
        ? [...k_seven_backends, 'ort-webnn', 'litert-wasm']
          : spec.format === 'tfjs'
            ? ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm']
            : ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'litert-wasm'];
    const outcome = await page.evaluate(
      async ({ files, csv, imageFiles, image, native, engines, rules, format }) => {
        const api = window.inferenceLab!;
        const { modelId, card } = await api.addModel(
          files.map((f) => ({ name: f.name, bytes: Uint8Array.from(f.bytes) })),
          {
            reference: native,
            ...(image
              ? { data: imageFiles.map((i) => ({ path: i.path, blob: new Blob([Uint8Array.from(i.bytes)], { type: 'image/png' }) })) }
              : { data: { name: 'cps-rows.csv', text: csv }, csv: { features: ['education', 'experience', 'afam', 'metro', 'region_midwest', 'region_south', 'region_west', 'parttime'], label: 'high_wage', slices: ['ethnicity'] } }),
          },
        );
        const base = api.defaultPlan(modelId);
        const int8 = card.variants?.some((v) => v.precision === 'int8' && v.state === 'made');
        const plan = {
          ...base,
          cells: [
            ...engines.map((engine, i) => ({ engine, precision: 'fp32', format: engine.startsWith('litert') ? 'tflite' : format, fidelity: i === 0 })),
            ...(int8 ? [{ engine: format === 'onnx' ? 'ort-wasm' : 'tfjs-cpu', precision: 'int8', format, fidelity: false }] : []),
          ],
          batchSizes: [1],
          rules,
        };
        const results = await api.run(plan);
        return { card, results };
      },
      { files: spec.files.map((f) => ({ name: f.split('/').pop() ?? f, bytes: bytesOf(f) })), csv, imageFiles, image, native: nativeReference(spec), engines, rules: RULES, format: spec.format },
    );
    const { results } = outcome;
    console.log(`${spec.name}:\n  ${results.cells.map(describeCell).join('\n  ')}`);
    expect(results.model.reference?.kind, spec.name).toBe('native');
    expect(results.model.goldenComputedBy, spec.name).toMatch(/^onnxruntime-node 1\.30/);
    for (const cell of results.cells) expect(['completed', 'unavailable', 'errored'], describeCell(cell)).toContain(cell.state);
    const byEngine = new Map(results.cells.filter((c) => c.precision === 'fp32').map((c) => [c.engine, c]));
    if (spec.format === 'onnx') {
      // The page's reference engine agrees with the native goldens: its cell completes against them.
      expect(byEngine.get('ort-wasm')?.state, spec.name).toBe('completed');
      expect(byEngine.get('ort-webgl')?.state ?? 'unavailable', spec.name).not.toBe('errored');
      const fidelity = byEngine.get('ort-wasm');
      if (fidelity?.state === 'completed') expect(fidelity.fidelity?.state, spec.name).toBe('measured');
    } else {
      expect(byEngine.get('ort-wasm')).toMatchObject({ state: 'unavailable', reason: 'ORT wasm reads ONNX models, not TF.js' });
      expect(byEngine.get('tfjs-cpu')?.state, spec.name).toBe('completed');
    }
    if (image) expect(byEngine.get('tfjs-cpu')?.state, `${spec.name} on TF.js CPU`).toBe('completed');
    if (spec.name === 'fashion-cnn-nchw') expect(results.cells.find((c) => c.precision === 'int8')?.state).toBe('completed');
    if (spec.format === 'onnx') {
      // Every ONNX fixture ORT wasm runs completes on the four TF.js backends too, through the importer, against the same native goldens.
      for (const engine of ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'] as const) expect(byEngine.get(engine)?.state, describeCell(byEngine.get(engine)!)).toBe('completed');
    }
    if (spec.name === 'fashion-cnn-nchw') {
      // The uploaded ONNX file completes on every backend of this browser, ORT's three and TF.js's four (through the importer), each against the native goldens.
      for (const engine of k_seven_backends) expect(byEngine.get(engine)?.state, describeCell(byEngine.get(engine)!)).toBe('completed');
    }
    const litert = byEngine.get('litert-wasm');
    if (spec.name === 'fashion-cnn-nchw') {
      // The page's .tflite of a PyTorch-shaped CNN, checked against the native onnxruntime goldens of the ONNX file.
      expect(litert?.state, describeCell(litert!)).toBe('completed');
      expect(litert?.format).toBe('tflite');
    } else if (spec.format === 'onnx') {
      // scikit-learn's ai.onnx.ml operators: the exporter names the one it cannot write; known before the run, never an error.
      expect(litert, describeCell(litert!)).toMatchObject({ state: 'unavailable', unsupported: { kind: 'operator' } });
      if (litert?.state === 'unavailable') expect(litert.reason).toMatch(/ai\.onnx\.ml::(TreeEnsembleClassifier|LinearClassifier)/);
    }
  }

  // The zoo's cps-wage ONNX file uploaded as a user would, with the zoo's own golden rows: the same answers as the zoo path.
  const zoo = JSON.parse(readFileSync('public/models/cps-wage/manifest.json', 'utf8')) as { golden: { computedBy: string; inputs: number[][]; outputs: number[][]; tolerance: number } };
  const zooFile = Array.from(readFileSync('public/models/cps-wage/onnx/model.fp32.onnx'));
  const both = await page.evaluate(
    async ({ bytes, golden, rules }) => {
      const api = window.inferenceLab!;
      const { modelId, card } = await api.addModel({ name: 'model.fp32.onnx', bytes: Uint8Array.from(bytes) }, { reference: golden });
      const cells = [{ engine: 'ort-wasm' as const }, { engine: 'tfjs-cpu' as const, format: 'onnx' as const }];
      const user = await api.run({ ...api.defaultPlan(modelId), cells: cells.map((c) => ({ ...c, format: 'onnx' })), batchSizes: [1, 16], rules });
      const zoo = await api.run({ schemaVersion: 1, modelId: 'cps-wage', cells, batchSizes: [1, 16], rules });
      return { card, user, zoo };
    },
    { bytes: zooFile, golden: { computedBy: zoo.golden.computedBy, inputs: zoo.golden.inputs, outputs: zoo.golden.outputs }, rules: RULES },
  );
  expect(both.card.measured?.changes).toEqual([]);
  expect(both.user.model.tolerance).toBe(zoo.golden.tolerance);
  for (const [i, cell] of both.user.cells.entries()) {
    const twin = both.zoo.cells[i];
    expect(cell.state, describeCell(cell)).toBe('completed');
    expect(twin?.state).toBe('completed');
    if (cell.state !== 'completed' || twin?.state !== 'completed') continue;
    // Same file, same rows, same golden outputs: the same agreement, to the last bit.
    expect(cell.agreement.map((a) => a.maxAbsDiff)).toEqual(twin.agreement.map((a) => a.maxAbsDiff));
  }
});

test('a .tflite file as your model: the card through the file input, LiteRT cells against the native goldens of its ONNX twin, the other engines say they cannot read it', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page);
  const tflite = readFileSync('public/models/cps-wage/tflite/model.fp32.tflite');
  // The real file input: the card at once, LiteRT the only engine that reads it.
  await page.getByTestId('model-input').setInputFiles({ name: 'wage.tflite', mimeType: 'application/octet-stream', buffer: tflite });
  const card = page.getByTestId('model-card');
  await expect(card).toContainText('TFLite');
  await expect(card).toContainText('FULLY_CONNECTED');
  await expect(card.locator('[data-engine="litert-wasm"]')).toHaveAttribute('data-verdict', 'unknown');
  await expect(card.locator('[data-engine="ort-wasm"]')).toHaveAttribute('data-verdict', 'cannot');
  await expect(card.locator('[data-engine="ort-wasm"]')).toContainText('TFLite model format');

  // Through the API with the zoo's native goldens (onnxruntime-node on the ONNX file the .tflite was exported from): LiteRT is checked against another runtime.
  const zoo = JSON.parse(readFileSync('public/models/cps-wage/manifest.json', 'utf8')) as { golden: { computedBy: string; inputs: number[][]; outputs: number[][]; tolerance: number } };
  const { results, card: apiCard } = await page.evaluate(
    async ({ bytes, golden, rules }) => {
      const api = window.inferenceLab!;
      const { modelId, card } = await api.addModel({ name: 'wage.tflite', bytes: Uint8Array.from(bytes) }, { reference: golden });
      const plan = api.defaultPlan(modelId);
      const results = await api.run({ ...plan, cells: [{ engine: 'litert-wasm', fidelity: false }, { engine: 'ort-wasm', fidelity: false }, { engine: 'tfjs-cpu', fidelity: false }], batchSizes: [1, 16], rules });
      return { results, card };
    },
    { bytes: Array.from(tflite), golden: { computedBy: zoo.golden.computedBy, inputs: zoo.golden.inputs, outputs: zoo.golden.outputs }, rules: RULES },
  );
  console.log(`wage.tflite:\n  ${results.cells.map(describeCell).join('\n  ')}`);
  expect(apiCard.format).toBe('tflite');
  expect(results.model.reference?.kind).toBe('native');
  const [litert, ort, tfjs] = results.cells;
  expect(litert?.state, describeCell(litert!)).toBe('completed');
  expect(litert?.format).toBe('tflite');
  if (litert?.state === 'completed') for (const a of litert.agreement) expect(a.maxAbsDiff).toBeLessThanOrEqual(zoo.golden.tolerance);
  for (const other of [ort, tfjs]) expect(other, describeCell(other!)).toMatchObject({ state: 'unavailable', unsupported: { kind: 'format' } });
});
