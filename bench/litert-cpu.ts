/**
 * Benchmark (not a test): is LiteRT.js the best in-browser CPU engine here?
 * Per zoo model at batch 1 and 16, LiteRT wasm (XNNPACK) at 1 thread and at
 * all cores against ORT wasm and TF.js wasm at all cores, in ONE plan, so the
 * runner interleaves their sampling blocks (A B C D, B C D A, …) and host
 * drift lands on every cell alike. Prints each batch size's ranking with the
 * paired ratio to the fastest and its 95% interval ("indistinguishable" when
 * it holds 1), and saves the results documents under bench/out/ for the
 * native comparison:
 *
 *   npm run bench:litert [-- --models cps-wage,fashion-mnist-cnn] [-- --rules full]
 *   npm run bench:native -- bench/out/litert-cpu-<stamp>-*.json
 *
 * Figures on this shared 2-core machine are measured under load from other work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBrowser } from '../cli/drive';
import { ensureBuilt, serveLab } from '../cli/serve';
import { cellName } from '../src/lab/results/cell-name';
import { parsePlan } from '../src/lab/runner/plan';
import { formatMs } from '../src/lab/util/format';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { models: { type: 'string', default: 'cps-wage,fashion-mnist-cnn,esrgan-slim-x2' }, rules: { type: 'string', default: 'quick' } } });
const cores = availableParallelism();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });

await ensureBuilt(ROOT, console.log);
const lab = await serveLab(ROOT);
try {
  for (const modelId of values.models.split(',')) {
    const plan = parsePlan({
      schemaVersion: 1,
      name: 'litert-cpu',
      modelId,
      cells: [
        { engine: 'litert-wasm', threads: 1 },
        { engine: 'litert-wasm', threads: cores },
        { engine: 'ort-wasm', threads: cores },
        { engine: 'tfjs-wasm', threads: cores },
      ],
      batchSizes: [1, 16],
      rules: values.rules,
    });
    const results = await runInBrowser({ browser: 'chromium', url: lab.url, plan, webgpu: false, onProgress: () => undefined, onPageError: console.error });
    const file = join(outDir, `litert-cpu-${stamp}-${modelId}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${modelId} (${results.device.browser.name} ${results.device.browser.version}, ${cores} cores, measured under shared load; ${file})`);
    for (const cell of results.cells) {
      if (cell.state !== 'completed') console.log(`  ${cellName(cell)} t${cell.runtime?.threads ?? '?'}: ${cell.state} ${cell.state === 'errored' ? cell.error.message : cell.state === 'unavailable' ? cell.reason : ''}`);
    }
    for (const comparison of results.comparisons) {
      console.log(`  batch ${comparison.batchSize}:`);
      for (const r of comparison.ranking) {
        const cell = results.cells.find((c) => c.cellId === r.key);
        const batch = cell?.state === 'completed' ? cell.batches.find((b) => b.batchSize === comparison.batchSize) : undefined;
        const name = cell ? `${cellName(cell)} ${cell.runtime?.threads ?? '?'} thread(s)` : r.key;
        const vs = r.vsFastest ? `${r.vsFastest.ratio.toFixed(2)}× (${r.vsFastest.low.toFixed(2)}–${r.vsFastest.high.toFixed(2)})${r.vsFastest.verdict === 'indistinguishable' ? ' indistinguishable' : ''}` : 'fastest';
        console.log(`    ${r.rank}. ${name.padEnd(28)} median ${batch ? formatMs(batch.acrossRounds.median) : '—'}  ${vs}`);
      }
    }
  }
} finally {
  await lab.close();
}
