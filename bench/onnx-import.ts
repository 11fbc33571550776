/**
 * How long the ONNX → TF.js importer takes in the page on the largest zoo
 * model (ESRGAN ×2, FP32 and INT8 ONNX files): the import itself (parse,
 * operator and attribute checks) and preparing the session on each TF.js
 * backend (weights uploaded, constants folded), medians of 5 runs after one
 * discarded. Goal: import ≤ 1 s. Prints and saves figures; never asserted.
 *
 *   npm run bench:onnx-import [-- --model esrgan-slim-x2 --backends cpu,wasm,webgl,webgpu]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseManifest } from '../src/lab/models/manifest';
import { type HarnessModule, k_harness_module, openHarnessPage } from '../scripts/onnx-conformance/harness-page';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { model: { type: 'string', default: 'esrgan-slim-x2' }, backends: { type: 'string', default: 'cpu,wasm,webgl,webgpu' }, port: { type: 'string', default: '4391' } } });
const folder = join(ROOT, 'public/models', values.model);
const manifest = parseManifest(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const rows: { backend: string; precision: string; bytes: number; importMs: number; prepareMs: number }[] = [];
const { page, start, close } = await openHarnessPage(ROOT, Number(values.port));
try {
  for (const backend of values.backends.split(',')) {
    const started = await start(backend);
    if (started !== backend) {
      console.log(`tfjs-${backend}: not run (${started})`);
      continue;
    }
    for (const precision of ['fp32', 'int8'] as const) {
      const file = manifest.artifacts[precision]?.onnx;
      if (!file) continue;
      const model = [...readFileSync(join(folder, file.path))];
      const t = await page.evaluate(async ({ m, h }) => ((await import(/* @vite-ignore */ h)) as HarnessModule).timeImport(m, 6), { m: model, h: k_harness_module });
      const row = { backend, precision, bytes: model.length, importMs: median(t.importMs.slice(1)), prepareMs: median(t.prepareMs.slice(1)) };
      rows.push(row);
      console.log(`tfjs-${backend} ${values.model} ${precision} (${(row.bytes / 1e6).toFixed(2)} MB): import ${row.importMs.toFixed(1)} ms, prepare ${row.prepareMs.toFixed(1)} ms`);
    }
  }
} finally {
  await close();
}
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `onnx-import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ model: values.model, rows }, null, 2)}\n`);
console.log(`saved ${out}`);
