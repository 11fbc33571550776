/**
 * Benchmark (not a test): wall time of the quick default plan in headless
 * Chromium, end to end as a lecture or CI run sees it. Prints a table and
 * saves the figures (with the full results document) under bench/out/.
 *
 *   npm run bench:quick [-- --runs 3] [-- --model cps-wage] [-- --preset lecture]
 *
 * `--preset` runs a named plan instead (plan-presets.ts), e.g. the lecture
 * demo, whose goal is to end within 60 s here with a speed and a fairness
 * finding: the findings are printed after the table.
 *
 * `--compare-stages` runs the plan one engine at a time and in one stage,
 * alternately, `--runs` times each (the host's speed drifts, so the two are
 * interleaved run by run), and prints what staging costs in wall time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import type { ResultsDocument } from '../src/lab/results/results';
import { defaultPlan } from '../src/lab/runner/plan';
import { PLAN_PRESETS, presetPlan } from '../src/lab/runner/plan-presets';
import { buildFindings } from '../src/lab/results/findings';
import os from 'node:os';
import { formatMs } from '../src/lab/util/format';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, model: { type: 'string', default: 'cps-wage' }, preset: { type: 'string' }, 'compare-stages': { type: 'boolean', default: false } } });
const runs = Number(values.runs);

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const preset = PLAN_PRESETS.find((p) => p === values.preset);
if (values.preset !== undefined && !preset) {
  console.error(`Unknown preset "${values.preset}". Should be one of: ${PLAN_PRESETS.join(', ')}`);
  process.exit(2);
}
const plan = preset ? presetPlan(preset, values.model, os.availableParallelism()) : defaultPlan(values.model);
const variants = values['compare-stages'] ? [{ ...plan, stages: 'per-engine' as const }, { ...plan, stages: 'one' as const }] : [plan];
const measured: { wallMs: number; browserWallMs: number; stages: string; results: ResultsDocument }[] = [];
try {
  for (let i = 0; i < runs; i += 1) {
    for (const variant of variants) {
      const started = performance.now();
      const results = await runInBrowser({ browser: 'chromium', url: lab.url, plan: variant, webgpu: true, onProgress: () => undefined, onPageError: console.error });
      measured.push({ wallMs: performance.now() - started, browserWallMs: results.wallMs, stages: variant.stages ?? 'one', results });
    }
  }
} finally {
  await lab.close();
}

const last = measured.at(-1)!.results;
console.log(`${preset ?? 'quick'} plan on ${last.device.browser.name} ${last.device.browser.version}, ${last.device.hardwareConcurrency} cores, model ${plan.modelId}`);
for (const [i, m] of measured.entries()) {
  console.log(`run ${i + 1}${variants.length > 1 ? ` (stages: ${m.stages})` : ''}: ${(m.wallMs / 1000).toFixed(1)} s end to end (browser launch included), ${(m.browserWallMs / 1000).toFixed(1)} s inside the page`);
}
if (variants.length > 1) {
  // Paired by position: run i of each order was measured back to back.
  const staged = measured.filter((m) => m.stages === 'per-engine');
  const single = measured.filter((m) => m.stages === 'one');
  const ratios = staged.map((m, i) => m.browserWallMs / single[i]!.browserWallMs).sort((a, b) => a - b);
  console.log(`staged / one stage, inside the page: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')} (back-to-back pairs; median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}×)`);
}
console.log('\ncell                 state        wall     init     session  first run');
for (const c of last.cells) {
  console.log(
    `${c.cellId.padEnd(20)} ${c.state.padEnd(12)} ${formatMs(c.wallMs).padEnd(8)} ${formatMs(c.phases.runtimeInitMs).padEnd(8)} ${formatMs(c.phases.sessionCreateMs).padEnd(8)} ${formatMs(c.phases.firstRunMs)}`,
  );
}
console.log('\nfindings:');
for (const f of buildFindings(last, { priceOf: () => 0.5 })) console.log(`  [${f.kind}] ${f.text}`);
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${preset ?? 'quick'}-plan-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify({ benchmark: 'quick-plan', runs: measured.map((m) => ({ stages: m.stages, wallMs: m.wallMs, browserWallMs: m.browserWallMs })), results: last }, null, 2),
);
console.log(`\nsaved ${file}`);
