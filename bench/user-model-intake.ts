/**
 * Benchmark (not a test): how long a model you bring takes to show its card
 * and to give its first completed cell, through the page's own file input and
 * buttons, for a ~1 MB and a ~50 MB ONNX model (MLPs with seeded weights,
 * generated here, never committed). Times are taken in the page
 * (performance.now() at the input's change event, when the card appears,
 * when the model is ready, when the first completed row appears); the
 * buttons are clicked as soon as they can be; the run is the model's quick
 * plan cut to ORT wasm (FP32 and INT8 interleaved, batch 1 and 16), so the
 * first completed cell arrives when both have closed. Prints a table and saves
 * bench/out/user-model-intake.json.
 *
 *   npm run bench:intake [-- --runs 3]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { ensureBuilt, serveLab } from '../cli/serve';
import { float32Tensor } from '../src/lab/models/onnx-model-edit';
import { onnx } from '../src/lab/models/onnx-proto-import';
import { createRng } from '../src/lab/util/random';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);

/** An MLP `widths[0] → … → widths.at(-1)` (Gemm + Relu), weights seeded, scaled so activations stay near 1. */
function mlp(widths: readonly number[], seed: number): Uint8Array {
  const rng = createRng(seed);
  const initializer = [];
  const node = [];
  let value = 'input';
  for (let i = 0; i + 1 < widths.length; i++) {
    const [n, m] = [widths[i] as number, widths[i + 1] as number];
    const scale = Math.sqrt(2 / n);
    initializer.push(float32Tensor(`fc${i}.weight`, [m, n], Float32Array.from({ length: m * n }, () => (rng() * 2 - 1) * scale)));
    initializer.push(float32Tensor(`fc${i}.bias`, [m], new Float32Array(m)));
    node.push({ opType: 'Gemm', name: `/fc${i}/Gemm`, input: [value, `fc${i}.weight`, `fc${i}.bias`], output: [`/fc${i}/Gemm_output_0`], attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] });
    value = `/fc${i}/Gemm_output_0`;
    if (i + 2 < widths.length) {
      node.push({ opType: 'Relu', name: `/relu${i}/Relu`, input: [value], output: [`/relu${i}/Relu_output_0`] });
      value = `/relu${i}/Relu_output_0`;
    }
  }
  node[node.length - 1]!.output = ['logits'];
  const io = (name: string, width: number) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } });
  const model = { irVersion: 8, producerName: 'inference-lab bench (seeded MLP)', opsetImport: [{ domain: '', version: 17 }], graph: { name: 'mlp', node, initializer, input: [io('input', widths[0] as number)], output: [io('logits', widths.at(-1) as number)] } };
  return new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
}

const models = [
  { label: '~1 MB', widths: [256, 512, 256, 10] },
  { label: '~50 MB', widths: [1024, 4096, 2048, 10] },
].map((m, i) => {
  const bytes = mlp(m.widths, 100 + i);
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-bench-')), `mlp-${m.widths.join('-')}.onnx`);
  writeFileSync(path, bytes);
  return { ...m, bytes: bytes.byteLength, path };
});

interface Marks {
  chosen?: number;
  card?: number;
  ready?: number;
  firstCell?: number;
  useClicked?: number;
  runClicked?: number;
}

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: false }), headless: true });
const figures: { model: string; bytes: number; run: number; toCardMs: number; prepareMs: number; toFirstCellMs: number }[] = [];
try {
  for (const model of models) {
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage();
      await page.goto(lab.url);
      await page.waitForFunction(() => window.inferenceLab !== undefined);
      await page.evaluate(() => {
        const w = window as unknown as { __marks: Marks };
        w.__marks = {};
        const marks = w.__marks;
        document.addEventListener('change', (e) => {
          if ((e.target as HTMLElement).dataset.testid === 'model-input') marks.chosen = performance.now();
        }, true);
        new MutationObserver(() => {
          marks.card ??= document.querySelector('[data-testid="model-card"]') ? performance.now() : undefined;
          marks.ready ??= document.querySelector('[data-phase="ready"]') ? performance.now() : undefined;
          marks.firstCell ??= document.querySelector('[data-testid="results-table"] tr[data-state="completed"]') ? performance.now() : undefined;
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.getByTestId('model-input').setInputFiles(model.path);
      await page.getByTestId('model-card').waitFor({ timeout: 120_000 });
      await page.getByTestId('use-model').click();
      await page.locator('[data-phase="ready"]').waitFor({ timeout: 600_000 });
      // ORT wasm only (the model's quick plan: FP32 and INT8, interleaved), the page's own reference engine; the unchecking is in the timed span.
      for (const label of ['ORT WebGL', 'ORT WebGPU', 'ORT WebNN', 'TF.js CPU', 'TF.js wasm', 'TF.js WebGL', 'TF.js WebGPU']) await page.getByLabel(label, { exact: true }).uncheck();
      await page.getByTestId('run').click();
      await page.locator('[data-testid="results-table"] tr[data-state="completed"]').first().waitFor({ timeout: 600_000 });
      const marks = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
      const { chosen = NaN, card = NaN, ready = NaN, firstCell = NaN } = marks;
      figures.push({ model: model.label, bytes: model.bytes, run: run + 1, toCardMs: card - chosen, prepareMs: ready - card, toFirstCellMs: firstCell - chosen });
      console.log(`${model.label} (${(model.bytes / 2 ** 20).toFixed(1)} MiB) run ${run + 1}: drop → card ${(card - chosen).toFixed(0)} ms; card → ready (reference, variants) ${(ready - card).toFixed(0)} ms; drop → first completed cell ${(firstCell - chosen).toFixed(0)} ms`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await lab.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log('\n| model | bytes | drop → card (median) | card → ready | drop → first completed cell |');
console.log('| --- | --- | --- | --- | --- |');
for (const model of models) {
  const mine = figures.filter((f) => f.model === model.label);
  console.log(`| ${model.label} MLP ${model.widths.join('→')} | ${(model.bytes / 2 ** 20).toFixed(1)} MiB | ${median(mine.map((f) => f.toCardMs)).toFixed(0)} ms | ${(median(mine.map((f) => f.prepareMs)) / 1000).toFixed(1)} s | ${(median(mine.map((f) => f.toFirstCellMs)) / 1000).toFixed(1)} s |`);
}
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/user-model-intake.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), runs, figures }, null, 2)}\n`);
console.log('\nSaved bench/out/user-model-intake.json (measured on this machine: other work shares its cores).');
