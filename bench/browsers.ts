/**
 * Benchmark (not a test): the quick default plan in every browser the CLI
 * starts here, end to end. Prints each browser's wall time and the support
 * table per browser (which engines and variants completed, and why the others
 * did not) that the README shows, and saves the figures and the results
 * documents under bench/out/.
 *
 *   npm run bench:browsers [-- --browsers chromium,firefox,webkit] [-- --model cps-wage]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SupportedBrowser } from '../cli/browsers';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import { cellName } from '../src/lab/results/cell-name';
import type { CellResult, ResultsDocument } from '../src/lab/results/results';
import { defaultPlan } from '../src/lab/runner/plan';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { browsers: { type: 'string', default: 'chromium,firefox,webkit' }, model: { type: 'string', default: 'cps-wage' } } });
const browsers = values.browsers.split(',') as SupportedBrowser[];

function verdict(cell: CellResult | undefined): string {
  if (!cell) return '—';
  switch (cell.state) {
    case 'completed':
      return `✓ ${Math.max(...cell.agreement.map((a) => a.maxAbsDiff)).toExponential(0)}`;
    case 'unavailable':
      return 'unavailable';
    case 'errored':
      return `errored (${cell.error.kind})`;
    case 'aborted':
      return 'aborted';
  }
}

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
const plan = defaultPlan(values.model);
const runs: { browser: SupportedBrowser; wallMs: number; results: ResultsDocument }[] = [];
try {
  for (const browser of browsers) {
    const started = performance.now();
    const results = await runInBrowser({ browser, url: lab.url, plan, webgpu: true, onProgress: () => undefined, onPageError: () => undefined });
    runs.push({ browser, wallMs: performance.now() - started, results });
  }
} finally {
  await lab.close();
}

console.log(`Quick plan (${plan.cells.length} cells of ${plan.modelId}, batch ${plan.batchSizes.join(' and ')}, fidelity pass on every cell), end to end per browser:\n`);
console.log('| browser | build | wall time (launch included) | inside the page |');
console.log('| --- | --- | --- | --- |');
for (const r of runs) {
  const o = r.results.origin!;
  console.log(`| ${r.browser} | ${o.browser.name} ${o.browser.version} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.results.wallMs / 1000).toFixed(1)} s |`);
}
console.log(`\n| cell | ${runs.map((r) => r.browser).join(' | ')} |`);
console.log(`| --- | ${runs.map(() => '---').join(' | ')} |`);
for (const i of plan.cells.keys()) {
  const cells = runs.map((r) => r.results.cells[i]);
  console.log(`| ${cellName(cells[0]!)} | ${cells.map(verdict).join(' | ')} |`);
}
console.log('\nWhy the others did not complete, in each browser\'s words:');
for (const r of runs) {
  for (const c of r.results.cells) {
    if (c.state === 'unavailable') console.log(`- ${r.browser}, ${cellName(c)}: ${c.reason}`);
    if (c.state === 'errored') console.log(`- ${r.browser}, ${cellName(c)}: ${c.error.kind}: ${c.error.message}`);
  }
}
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `browsers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'browsers', runs: runs.map((r) => ({ browser: r.browser, wallMs: r.wallMs, browserWallMs: r.results.wallMs, origin: r.results.origin })), results: runs.map((r) => r.results) }, null, 2));
console.log(`\nsaved ${file}`);
