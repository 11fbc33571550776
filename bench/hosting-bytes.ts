/**
 * Benchmark (not a test): bytes the host sends for a plan (the quick plan
 * unless `--preset` names another, e.g. `lecture`), on a first
 * visit (fresh profile), a second visit (same profile: the service worker's
 * cache answers) and an offline visit (the host shut down). Counted at the
 * server, on the wire (headers and compressed bodies), so nothing the browser
 * or the page reports is trusted for it.
 *
 *   npm run bench:hosting [-- --model cps-wage] [-- --preset lecture] [-- --no-headers] [-- --no-precompressed] [-- --max-age 600]
 *
 * `--max-age` makes the host send `Cache-Control: max-age=N` (GitHub Pages
 * sends 600); the default 0 revalidates every file every time. The service
 * worker is registered with `updateViaCache: 'all'`, so the browser's update
 * checks of it are answered by its HTTP cache while that allows.
 *
 * Figures per visit, each the bytes sent before that moment:
 * - first cell open: the page, and the first cell's runtime and model opened
 *   and checked against its golden outputs (the second cell starts opening);
 * - first row: the first cell result of any state (what the table shows first);
 * - first completed cell: interleaved rounds start only once every cell is
 *   open, so this is the whole plan's runtimes and models;
 * - whole plan.
 * Prints a table and saves it, with every response of the first visit, under bench/out/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BrowserContext } from '@playwright/test';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../cli/browsers';
import { ensureBuilt, SERVE_BASE } from '../cli/serve';
import type { ServedResponse, StaticHost } from '../vite-plugins/static-host';
import { serveStatic } from '../vite-plugins/static-host';
import type { RunProgress } from '../src/lab/runner/run-plan';
import type { PlanPreset } from '../src/lab/runner/plan-presets';
import { PLAN_PRESETS, presetPlan } from '../src/lab/runner/plan-presets';
import { formatBytes } from '../src/lab/util/format';
import type {} from '../src/lab/api/window-api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cps-wage' },
    preset: { type: 'string', default: 'quick' },
    'no-headers': { type: 'boolean', default: false },
    'no-precompressed': { type: 'boolean', default: false },
    'max-age': { type: 'string', default: '0' },
  },
});
if (!(PLAN_PRESETS as readonly string[]).includes(values.preset)) throw new Error(`--preset must be one of ${PLAN_PRESETS.join(', ')}`);
const preset = values.preset as PlanPreset;
/** Goals from the hosting issue: a light first visit, nothing on a second. */
const k_goal_first_cell_bytes = 4_000_000;
const k_goal_second_visit_bytes = 0;

declare global {
  interface Window {
    __benchProgress?: (progress: RunProgress) => void;
  }
}

interface VisitFigures {
  visit: string;
  isolated: boolean;
  threads: number | null;
  firstCellOpenBytes: number | null;
  firstRowBytes: number | null;
  firstCompletedBytes: number | null;
  totalBytes: number;
  requests: number;
  states: string[];
  wallMs: number;
}

async function visit(context: BrowserContext, host: StaticHost, label: string, url: string): Promise<{ figures: VisitFigures; responses: ServedResponse[] }> {
  // The capstone's roles map onto this device's engines in the page; here it takes the preset's default mapping.
  const plan = presetPlan(preset, values.model, availableParallelism());
  const bytesAtStart = host.bytesSent();
  const responsesAtStart = host.responses.length;
  const since = () => host.bytesSent() - bytesAtStart;
  let firstCellOpen: number | null = null;
  let firstRow: number | null = null;
  let firstCompleted: number | null = null;
  const page = await context.newPage();
  await page.exposeFunction('__benchProgress', (p: RunProgress) => {
    if (firstCellOpen === null && p.cellIndex >= 1) firstCellOpen = since();
    if (p.result && firstRow === null) firstRow = since();
    if (p.result?.state === 'completed' && firstCompleted === null) firstCompleted = since();
  });
  const started = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => window.inferenceLab !== undefined, undefined, { timeout: 60_000 });
  const isolated = await page.evaluate(() => crossOriginIsolated);
  const results = await page.evaluate((p) => window.inferenceLab!.run(p, (progress) => window.__benchProgress?.(progress)), plan);
  const wallMs = performance.now() - started;
  await page.close();
  const ortWasm = results.cells.find((c) => c.engine === 'ort-wasm');
  return {
    figures: {
      visit: label,
      isolated,
      threads: ortWasm?.runtime?.threads ?? null,
      firstCellOpenBytes: firstCellOpen,
      firstRowBytes: firstRow,
      firstCompletedBytes: firstCompleted,
      totalBytes: since(),
      requests: host.responses.length - responsesAtStart,
      states: results.cells.map((c) => `${c.cellId} ${c.state}`),
      wallMs,
    },
    responses: host.responses.slice(responsesAtStart),
  };
}

await ensureBuilt(ROOT, console.log);
const isolation = !values['no-headers'];
const precompressed = !values['no-precompressed'];
const maxAgeSeconds = Number(values['max-age']);
const host = await serveStatic(join(ROOT, 'dist'), SERVE_BASE, { isolation, precompressed, maxAgeSeconds });
const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: true }), headless: true });
const visits: VisitFigures[] = [];
const served: { first: ServedResponse[]; second: ServedResponse[] } = { first: [], second: [] };
try {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const first = await visit(context, host, 'first', host.url);
  served.first = first.responses;
  visits.push(first.figures);
  const second = await visit(context, host, 'second', host.url);
  served.second = second.responses;
  visits.push(second.figures);
  await host.close();
  visits.push((await visit(context, host, 'offline', host.url)).figures);
} finally {
  await browser.close();
  await host.close().catch(() => undefined);
}

const mb = (x: number | null) => (x === null ? '—' : formatBytes(x));
console.log(`Bytes sent by a static host ${isolation ? 'with' : 'without'} isolation headers, ${precompressed ? 'serving' : 'not serving'} precompressed files, Cache-Control max-age=${maxAgeSeconds}; ${preset} plan on ${values.model} (measured at the server, headers included)\n`);
console.log('visit     isolated threads  first cell open  first row  first completed  whole plan  requests  wall');
for (const v of visits) {
  console.log(
    `${v.visit.padEnd(9)} ${String(v.isolated).padEnd(8)} ${String(v.threads ?? '—').padEnd(8)} ${mb(v.firstCellOpenBytes).padEnd(16)} ${mb(v.firstRowBytes).padEnd(10)} ${mb(v.firstCompletedBytes).padEnd(16)} ${mb(v.totalBytes).padEnd(11)} ${String(v.requests).padEnd(9)} ${(v.wallMs / 1000).toFixed(1)} s`,
  );
}
const [firstVisit, secondVisit, offlineVisit] = visits;
console.log(
  `\ngoal: first visit ≤ ${formatBytes(k_goal_first_cell_bytes)} before the first cell is open: ${firstVisit && firstVisit.firstCellOpenBytes !== null && firstVisit.firstCellOpenBytes <= k_goal_first_cell_bytes ? 'met' : 'NOT met'}` +
    ` (before the first completed cell: ${mb(firstVisit?.firstCompletedBytes ?? null)}, ${firstVisit && firstVisit.firstCompletedBytes !== null && firstVisit.firstCompletedBytes <= k_goal_first_cell_bytes ? 'met' : 'NOT met'})`,
);
console.log(`goal: second visit ${formatBytes(k_goal_second_visit_bytes)}: ${secondVisit?.totalBytes === k_goal_second_visit_bytes ? 'met' : `NOT met (${mb(secondVisit?.totalBytes ?? null)} in ${secondVisit?.requests ?? '?'} requests)`}`);
console.log(`offline visit: ${offlineVisit?.states.join(', ')}`);
if (served.second.length > 0) console.log(`second visit reached the host for: ${served.second.map((r) => `${r.url} (${r.status}, ${r.bodyBytes} B body)`).join(', ')}`);
console.log('\nlargest responses of the first visit:');
for (const r of [...served.first].sort((a, b) => b.bodyBytes - a.bodyBytes).slice(0, 12)) console.log(`  ${formatBytes(r.bodyBytes).padEnd(10)} ${(r.encoding || 'identity').padEnd(8)} ${r.url}`);

const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `hosting-bytes-${preset}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'hosting-bytes', model: values.model, preset, isolation, precompressed, maxAgeSeconds, visits, firstVisitResponses: served.first, secondVisitResponses: served.second }, null, 2));
console.log(`\nsaved ${file}`);
