/**
 * Derives the support table (model × precision variant × engine) by running
 * every artifact on every engine in headless Chromium and checking it against
 * the FP32 golden outputs. Prints Markdown (for the README) and saves JSON.
 *
 *   npm run bench:support [-- --models cps-wage,fashion-mnist-cnn]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import type { EngineId } from '../src/lab/engines/engine-descriptors';
import { ENGINE_IDS, ENGINES } from '../src/lab/engines/engine-descriptors';
import type { Precision } from '../src/lab/engines/precision';
import { PRECISION_LABELS, PRECISIONS } from '../src/lab/engines/precision';
import type { CellResult, ResultsDocument } from '../src/lab/results/results';
import { parsePlan } from '../src/lab/runner/plan';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { models: { type: 'string', default: 'cps-wage,fashion-mnist-cnn,esrgan-slim-x2' } } });

function verdict(cell: CellResult | undefined): string {
  if (!cell) return '—';
  switch (cell.state) {
    case 'completed': {
      const d = Math.max(...cell.agreement.map((a) => a.maxAbsDiff));
      return `✓ ${d.toExponential(0)}${cell.precisionInfo && cell.precisionInfo.compute !== cell.precisionInfo.storage ? ` (${cell.precisionInfo.compute.replace(' (dequantized)', '')} compute)` : ''}`;
    }
    case 'unavailable':
      return 'unavailable';
    case 'errored':
      return cell.error.kind === 'wrong-results' ? `✗ wrong (${cell.error.message.match(/max \|Δ\| (\S+)/)?.[1] ?? '?'})` : `errored: ${cell.error.kind}`;
    case 'aborted':
      return 'aborted';
  }
}

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const all: ResultsDocument[] = [];
try {
  for (const modelId of values.models.split(',')) {
    const plan = parsePlan({
      schemaVersion: 1,
      modelId,
      cells: ENGINE_IDS.flatMap((engine) => PRECISIONS.map((precision) => ({ engine, precision }))),
      batchSizes: [1],
      rules: { warmupIterations: 1, warmupMinMs: 0, rounds: 1, blockMinMs: 0, blockMinSamples: 2, blockMaxSamples: 2, blockMaxMs: 1000, minTimerSteps: 20 },
    });
    const results = await runInBrowser({ browser: 'chromium', url: lab.url, plan, webgpu: true, onProgress: () => undefined, onPageError: console.error });
    all.push(results);
    const find = (engine: EngineId, p: Precision) => results.cells.find((c) => c.engine === engine && c.precision === p);
    console.log(`\n**${modelId}** (max |Δ| against the FP32 golden outputs; ${results.device.browser.name} ${results.device.browser.version}, software WebGL/WebGPU)\n`);
    console.log(`| engine | ${PRECISIONS.map((p) => PRECISION_LABELS[p]).join(' | ')} |`);
    console.log(`| --- | ${PRECISIONS.map(() => '---').join(' | ')} |`);
    for (const engine of ENGINE_IDS) console.log(`| ${ENGINES[engine].label} | ${PRECISIONS.map((p) => verdict(find(engine, p))).join(' | ')} |`);
    const reasons = results.cells.filter((c) => c.state === 'unavailable' || c.state === 'errored');
    console.log('\nReasons:');
    for (const c of reasons) console.log(`- ${ENGINES[c.engine].label} ${c.precision}: ${c.state === 'unavailable' ? c.reason : c.error.message}`.slice(0, 300));
  }
} finally {
  await lab.close();
}
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `support-table-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(all, null, 2));
console.log(`\nsaved ${file}`);
