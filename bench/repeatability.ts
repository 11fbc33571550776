/**
 * Benchmark (not a test): how repeatable are the lab's figures on this host?
 * The same CPU plan runs 3× under the old protocol (one block per cell, cells
 * one after another) and 3× under interleaved rounds, alternating, in one
 * page. For each protocol it prints every cell's median spread across runs,
 * the spread of its ratio to the first cell, and whether the ranking of
 * distinguishable pairs was identical in all runs. Saves under bench/out/.
 *
 *   npx tsx bench/repeatability.ts [--model esrgan-slim-x2] [--runs 3] [--batch 1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { ensureBuilt, serveLab } from '../cli/serve';
import type { BenchRules } from '../src/lab/bench/protocol';
import { QUICK_RULES } from '../src/lab/bench/protocol';
import { pairedRatio } from '../src/lab/bench/ratios';
import type { ResultsDocument } from '../src/lab/results/results';
import type { PlanInput } from '../src/lab/runner/plan';
import type {} from '../src/lab/api/window-api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { model: { type: 'string', default: 'esrgan-slim-x2' }, runs: { type: 'string', default: '3' }, batch: { type: 'string', default: '1' } },
});
const runs = Number(values.runs);

/** The protocol before interleaving: one block per cell (≥ 10 samples over ≥ 200 ms, ≤ 200 samples or 2 s), cells back to back, one call per sample. */
const SEQUENTIAL: BenchRules = { warmupIterations: 3, warmupMinMs: 100, rounds: 1, blockMinMs: 200, blockMinSamples: 10, blockMaxSamples: 200, blockMaxMs: 2000, minTimerSteps: 1 };
const PROTOCOLS = { sequential: SEQUENTIAL, interleaved: QUICK_RULES } as const;
type ProtocolName = keyof typeof PROTOCOLS;

const plan = (rules: BenchRules): PlanInput => ({
  schemaVersion: 1,
  name: 'repeatability',
  modelId: values.model,
  cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-wasm' }, { engine: 'tfjs-cpu' }, { engine: 'ort-wasm', precision: 'int8' }],
  batchSizes: [Number(values.batch)],
  rules,
});

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: false }), headless: true });
const collected: Record<ProtocolName, ResultsDocument[]> = { sequential: [], interleaved: [] };
try {
  const page = await browser.newPage();
  await page.goto(lab.url);
  await page.waitForFunction(() => window.inferenceLab !== undefined);
  for (let i = 0; i < runs; i += 1) {
    for (const name of Object.keys(PROTOCOLS) as ProtocolName[]) {
      const results = await page.evaluate((p) => window.inferenceLab!.run(p), plan(PROTOCOLS[name]));
      collected[name].push(results);
      console.log(`run ${i + 1} ${name}: ${(results.wallMs / 1000).toFixed(1)} s`);
    }
  }
} finally {
  await browser.close();
  await lab.close();
}

const pct = (x: number) => `±${(x * 100).toFixed(1)}%`;
/** Half the range relative to the midpoint: "±35%" reads as the text of the issue does. */
const halfRange = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / (Math.max(...xs) + Math.min(...xs));

const summary: Record<string, unknown> = {};
for (const name of Object.keys(PROTOCOLS) as ProtocolName[]) {
  const docs = collected[name];
  const ids = docs[0]!.cells.map((c) => c.cellId);
  const medians = (doc: ResultsDocument, id: string) => {
    const c = doc.cells.find((x) => x.cellId === id);
    return c?.state === 'completed' ? c.batches[0]!.acrossRounds : undefined;
  };
  console.log(`\n${name}: cell medians across ${docs.length} runs (ms), spread, and ratio to ${ids[0]} with its spread`);
  const cells = ids.map((id) => {
    const per = docs.map((d) => medians(d, id)?.median ?? Number.NaN);
    const ratios = docs.map((d) => (medians(d, id)?.median ?? Number.NaN) / (medians(d, ids[0]!)?.median ?? Number.NaN));
    console.log(`  ${id.padEnd(22)} ${per.map((m) => m.toFixed(4)).join('  ')}  spread ${pct(halfRange(per))}  ratio ${ratios.map((r) => r.toFixed(3)).join(' ')} spread ${pct(halfRange(ratios))}`);
    return { id, medians: per, spread: halfRange(per), ratios, ratioSpread: halfRange(ratios) };
  });
  // Rankings: for each pair, the verdict in each run (interleaved: paired round ratios; sequential has one round, so order of medians).
  let consistent = 0;
  let distinguishable = 0;
  for (let a = 0; a < ids.length; a += 1) {
    for (let b = a + 1; b < ids.length; b += 1) {
      const verdicts = docs.map((d) => {
        const x = medians(d, ids[a]!);
        const y = medians(d, ids[b]!);
        if (!x || !y) return 'missing';
        if (name === 'sequential') return x.median < y.median ? 'faster' : 'slower';
        return pairedRatio(x.roundMedians, y.roundMedians).verdict;
      });
      if (verdicts.includes('indistinguishable') || verdicts.includes('missing')) continue;
      distinguishable += 1;
      if (new Set(verdicts).size === 1) consistent += 1;
    }
  }
  console.log(`  ranking: ${consistent} of ${distinguishable} distinguishable pairs ordered the same in every run`);
  summary[name] = { cells, consistentPairs: consistent, distinguishablePairs: distinguishable };
}

const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `repeatability-${values.model}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'repeatability', model: values.model, runs, summary, device: collected.interleaved[0]?.device }, null, 2));
console.log(`\nsaved ${file}`);
