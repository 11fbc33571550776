/**
 * Benchmark (not a test): what the lab's sampling harness adds to a call,
 * against a minimal raw loop over the same warm session in the same worker,
 * interleaved sample by sample (goal: ≤ 3%, or indistinguishable from 1).
 * Prints a table and saves the figures under bench/out/.
 *
 *   npm run bench:overhead [-- --pairs 60] [-- --models cps-wage,fashion-mnist-cnn]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { ensureBuilt, serveLab } from '../cli/serve';
import type {} from '../src/lab/api/window-api';
import type { OverheadOutcome } from '../src/lab/bench/overhead-plan';
import type { PlanInput } from '../src/lab/runner/plan';
import { formatMs } from '../src/lab/util/format';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '60' }, models: { type: 'string', default: 'cps-wage,fashion-mnist-cnn,esrgan-slim-x2' }, batch: { type: 'string', default: '1' } },
});
const pairs = Number(values.pairs);
const engines = ['ort-wasm', 'tfjs-wasm', 'tfjs-cpu'] as const;

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: false }), headless: true });
const rows: { model: string; outcome: OverheadOutcome }[] = [];
let userAgent: string | undefined;
try {
  const page = await browser.newPage();
  await page.goto(lab.url);
  await page.waitForFunction(() => window.inferenceLab !== undefined);
  userAgent = await page.evaluate(() => navigator.userAgent);
  for (const model of values.models.split(',')) {
    const plan: PlanInput = { schemaVersion: 1, modelId: model, cells: engines.map((engine) => ({ engine })), batchSizes: [Number(values.batch)], rules: 'quick' };
    const outcomes = await page.evaluate(([p, n]) => window.inferenceLab!.harnessOverhead(p, n), [plan, pairs] as const);
    rows.push(...outcomes.map((outcome) => ({ model, outcome })));
  }
} finally {
  await browser.close();
  await lab.close();
}

console.log(`Harness overhead, ${pairs} interleaved pairs per cell, batch ${values.batch}; ${userAgent ?? "browser unknown"}`);
console.log('model              cell             calls/sample  lab p50     raw p50     lab/raw (95% interval)');
for (const { model, outcome: o } of rows) {
  if (o.state !== 'measured') {
    console.log(`${model.padEnd(18)} ${o.cellId.padEnd(16)} ${o.state}: ${o.state === 'errored' ? o.message : o.reason}`);
    continue;
  }
  const m = o.measurement;
  const r = m.ratio;
  console.log(
    `${model.padEnd(18)} ${o.cellId.padEnd(16)} ${String(m.callsPerSample).padEnd(13)} ${formatMs(m.labMedianMs).padEnd(11)} ${formatMs(m.rawMedianMs).padEnd(11)} ${r.ratio.toFixed(3)} (${r.low.toFixed(3)}–${r.high.toFixed(3)}) ${r.verdict === 'indistinguishable' ? 'indistinguishable' : r.verdict === 'slower' ? 'harness slower' : 'harness faster'}`,
  );
}
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `harness-overhead-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'harness-overhead', pairs, userAgent, rows }, null, 2));
console.log(`\nsaved ${file}`);
