/**
 * Benchmark (not a test): time of the tabular fidelity pass (predictions on
 * the whole evaluation split plus KernelSHAP attributions with the shipped
 * reference setup) on every FP32 engine plus the FP16 and INT8 variants,
 * in headless Chromium. Goal from the fidelity issue: ≤ 3 minutes here.
 *
 *   npm run bench:fidelity [-- --explain 100]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import { ENGINE_LIST } from '../src/lab/engines/engine-descriptors';
import { parsePlan } from '../src/lab/runner/plan';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { explain: { type: 'string', default: '100' } } });
// Every engine but WebNN, which no browser here offers.
const FP32 = ENGINE_LIST.filter((d) => d.backend !== 'webnn').map((d) => d.id);
const plan = parsePlan({
  schemaVersion: 1,
  modelId: 'cps-wage',
  cells: [
    ...FP32.map((engine) => ({ engine, fidelity: true })),
    { engine: 'ort-wasm', precision: 'fp16', fidelity: true },
    { engine: 'ort-wasm', precision: 'int8', fidelity: true },
  ],
  batchSizes: [1],
  rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 2, blockMinMs: 0, blockMinSamples: 3, blockMaxSamples: 3, blockMaxMs: 1000, minTimerSteps: 20 },
  fidelity: { attributions: true, explainRows: Number(values.explain), bootstrapIterations: 200 },
});

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const started = performance.now();
let results;
try {
  results = await runInBrowser({ browser: 'chromium', url: lab.url, plan, webgpu: true, onProgress: () => undefined, onPageError: console.error });
} finally {
  await lab.close();
}
const wallMs = performance.now() - started;
console.log(`Fidelity pass, cps-wage: 5,631 evaluation rows + KernelSHAP on ${values.explain} explained rows (20 background rows, all 62 coalitions of 6 feature groups = ${Number(values.explain) * 1261} forward passes) per cell`);
let fidelityTotal = 0;
for (const c of results.cells) {
  const f = c.state === 'completed' ? c.fidelity : undefined;
  const ms = f?.state === 'measured' ? f.wallMs : undefined;
  fidelityTotal += ms ?? 0;
  console.log(`${c.cellId.padEnd(22)} ${c.state.padEnd(12)} fidelity ${ms === undefined ? `— (${f ? f.state : 'none'})` : `${(ms / 1000).toFixed(1)} s`}`);
}
console.log(`\nfidelity passes: ${(fidelityTotal / 1000).toFixed(1)} s in all; whole run ${(wallMs / 1000).toFixed(1)} s (goal ≤ 180 s)`);
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `fidelity-pass-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'fidelity-pass', explainRows: Number(values.explain), wallMs, fidelityTotalMs: fidelityTotal, results }, null, 2));
console.log(`saved ${file}`);
