/**
 * Benchmark (not a test): memory under load in headless Chromium, per CPU
 * engine, each in its own cell worker, read by the lab's own memory meter
 * (wasm memory, TF.js's tensor count):
 *  1. soak: 10,000 warm runs per engine (10 interleaved rounds of 1,000
 *     calls), memory once open and warm against the peak over the rounds;
 *  2. leak: 100 create → run → dispose cycles per engine in one worker,
 *     memory after each dispose, growth from the first cycle to the last.
 * Prints a table and saves the figures (with the results documents) under bench/out/.
 *
 *   npx tsx bench/soak.ts [-- --model cps-wage] [-- --runs 10000] [-- --cycles 100]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import type { ResultsDocument } from '../src/lab/results/results';
import { k_plan_schema_version, parsePlan } from '../src/lab/runner/plan';
import { formatBytes } from '../src/lab/util/format';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { model: { type: 'string', default: 'cps-wage' }, runs: { type: 'string', default: '10000' }, cycles: { type: 'string', default: '100' } },
});
const k_rounds = 10;
const perBlock = Math.max(1, Math.round(Number(values.runs) / k_rounds));
const cycles = Number(values.cycles);
const ENGINES = ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm'] as const;
const cells = ENGINES.map((engine) => ({ engine, precision: 'fp32' as const }));

const soakPlan = parsePlan({
  schemaVersion: k_plan_schema_version,
  name: 'soak',
  modelId: values.model,
  cells,
  batchSizes: [1],
  // One call per sample, exactly perBlock samples per block: k_rounds × perBlock runs per engine.
  rules: { warmupIterations: 20, warmupMinMs: 0, rounds: k_rounds, blockMinMs: 0, blockMinSamples: perBlock, blockMaxSamples: perBlock, blockMaxMs: 600_000, minTimerSteps: 1 },
  cellTimeoutMs: 600_000,
});
const leakPlan = parsePlan({
  schemaVersion: k_plan_schema_version,
  name: 'leak',
  modelId: values.model,
  cells,
  batchSizes: [1],
  rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 1, blockMinMs: 0, blockMinSamples: 3, blockMaxSamples: 3, blockMaxMs: 1000, minTimerSteps: 1 },
  leakCheck: cycles,
  cellTimeoutMs: 600_000,
});

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
let soak: ResultsDocument;
let leak: ResultsDocument;
try {
  const run = (plan: typeof soakPlan) => runInBrowser({ browser: 'chromium', url: lab.url, plan, webgpu: false, onProgress: () => undefined, onPageError: console.error });
  soak = await run(soakPlan);
  leak = await run(leakPlan);
} finally {
  await lab.close();
}

const bytes = (b: number | null | undefined) => (b === null || b === undefined ? 'n/a' : formatBytes(b));
const rows = ENGINES.map((engine) => {
  const s = soak.cells.find((c) => c.engine === engine);
  const l = leak.cells.find((c) => c.engine === engine);
  const sm = s?.state === 'completed' ? s.memory : undefined;
  const lm = l?.state === 'completed' ? l.memory?.leak : undefined;
  const runs = s?.state === 'completed' ? s.batches.reduce((n, b) => n + b.samplesMs.length * b.callsPerSample, 0) : 0;
  return {
    engine,
    soakState: s?.state ?? 'missing',
    runs,
    source: sm?.source ?? 'n/a',
    afterWarmupBytes: sm?.afterWarmupBytes ?? null,
    peakBytes: sm?.peakBytes ?? null,
    soakGrowthBytes: sm?.peakBytes != null && sm.afterWarmupBytes !== undefined ? sm.peakBytes - sm.afterWarmupBytes : null,
    afterDisposeBytes: sm?.afterDisposeBytes ?? null,
    leakState: l?.state ?? 'missing',
    leakCycles: lm?.cycles ?? 0,
    leakGrowthBytes: lm?.growthBytes ?? null,
    leakPerCycleBytes: lm?.perCycleBytes ?? null,
    leakReason: lm?.reason,
    leakBySource: lm?.bySource ?? [],
  };
});

console.log(`Soak and leak on ${soak.device.browser.name} ${soak.device.browser.version}, ${soak.device.hardwareConcurrency} cores, model ${values.model}`);
console.log('\nengine      runs    source                      open+warm   peak        soak growth  after dispose  leak cycles  leak growth');
for (const r of rows) {
  console.log(
    `${r.engine.padEnd(11)} ${String(r.runs).padEnd(7)} ${r.source.padEnd(27)} ${bytes(r.afterWarmupBytes).padEnd(11)} ${bytes(r.peakBytes).padEnd(11)} ${bytes(r.soakGrowthBytes).padEnd(12)} ${bytes(r.afterDisposeBytes).padEnd(14)} ${String(r.leakCycles).padEnd(12)} ${bytes(r.leakGrowthBytes)}${r.leakReason ? ` (${r.leakReason})` : ''}${r.leakBySource.some((s) => s.source !== r.source) ? ` [${r.leakBySource.map((s) => `${s.source} ${bytes(s.growthBytes)}`).join(', ')}]` : ''}`,
  );
}
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'soak', model: values.model, rows, soak, leak }, null, 2));
console.log(`\nsaved ${file}`);
