import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { formatMs } from '../src/lab/util/format';
import { ENGINE_LIST } from '../src/lab/engines/engine-descriptors';
import type { ResultsDocument } from '../src/lab/results/results';
import { findingsOnFirstScreen, openLab, runTwoCpuEnginesInUi } from './lab-page';
import { recordRequests } from './origin-guard';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Every engine of the quick plan whose backend this Chromium offers (all but WebNN, checked below): each must complete it. */
const OFFERED = ENGINE_LIST.filter((d) => d.backend !== 'webnn' && d.quick.length > 0).map((d) => d.id);

test('the quick default plan completes on every backend this browser offers, each checked against the golden outputs', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await openLab(page);
  const results: ResultsDocument = await page.evaluate(() => window.inferenceLab!.run(window.inferenceLab!.defaultPlan()));

  expect(results.kind).toBe('inference-lab-results');
  expect(results.status).toBe('complete');
  expect(results.device.browser.name).not.toBe('unknown');
  for (const engine of OFFERED) {
    const cell = results.cells.find((c) => c.engine === engine);
    expect(cell, engine).toBeDefined();
    expect(cell!.state, `${engine}: ${JSON.stringify(cell)}`.slice(0, 400)).toBe('completed');
    if (cell!.state !== 'completed') continue;
    // Agreement was checked at every batch size that was timed.
    expect(cell!.agreement.map((a) => a.batchSize)).toEqual(results.plan.batchSizes);
    for (const a of cell!.agreement) {
      expect(a.rows).toBe(64);
      expect(a.maxAbsDiff).toBeLessThanOrEqual(a.tolerance);
      expect(a.top1Mismatches).toBe(0);
    }
    expect(cell!.phases.sessionCreateMs).toBeGreaterThan(0);
    expect(cell!.phases.firstRunMs).toBeGreaterThan(0);
    expect(cell!.runtime?.bundle).toBe(cell!.descriptor.bundle);
    // Memory in every completed cell: a number from a named source, or n/a with the reason.
    const memory = cell!.memory;
    expect(memory, engine).toBeDefined();
    if (memory?.peakBytes === null) expect(memory.reason, engine).toMatch(/\S/);
    else expect(memory?.peakBytes, engine).toBeGreaterThan(0);
    expect(memory?.source, engine).toMatch(/\S/);
    // Fidelity pass against the native FP32 reference on all 5,631 evaluation rows: no flips, float32-rounding drift only.
    expect(cell!.fidelity?.state, engine).toBe('measured');
    if (cell!.fidelity?.state === 'measured') {
      const { report } = cell!.fidelity;
      expect(report.overall.n).toBe(5631);
      expect(report.overall.flipRate).toBe(0);
      expect(report.overall.maxAbsDp).toBeLessThanOrEqual(1e-5);
      for (const grouping of report.groupings) for (const slice of grouping.slices) expect(slice.flipRate, slice.slice).toBe(0);
      expect(report.groupings.map((g) => g.columns.join('×'))).toEqual(['ethnicity', 'region', 'smsa']);
      expect(report.attributionDrift?.overall.n).toBe(10);
      expect(report.attributionDrift?.overall.minSpearman).toBeGreaterThan(0.999);
    }
    for (const b of cell!.batches) {
      // Raw samples ship per interleaved round, with the statistics, and the statistics are theirs
      // (the median recomputed here by hand, not by the lab's own function).
      // The quick plan runs one engine at a time: each cell's own stage of rounds, the bridge in every round of every stage.
      const bridge = cell!.cellId === results.timing.staged?.bridge;
      expect(b.rounds.length).toBe(bridge ? results.timing.rounds : results.rules.rounds);
      expect(b.roundIds).toHaveLength(b.rounds.length);
      expect(b.rounds.flat()).toEqual(b.samplesMs);
      expect(b.samplesMs.length).toBe(b.stats.n);
      expect(b.stats.p50).toBeCloseTo(median(b.samplesMs), 12);
      expect(b.acrossRounds.roundMedians).toEqual(b.rounds.map((r) => median(r)));
      expect(b.stats.p50).toBeLessThanOrEqual(b.stats.p95);
      expect(b.stats.p95).toBeLessThanOrEqual(b.stats.p99);
      // A sample spans at least 20 clock steps, grouping calls when one is shorter.
      b.rounds.forEach((round, r) => {
        expect(Math.min(...round) * b.callsPerSampleByRound![r]!).toBeGreaterThanOrEqual(results.rules.minTimerSteps * results.device.timer.stepMs * (1 - 1e-9));
      });
    }
  }
  // Every batch size ranks every completed cell, fastest first; ties share a rank and carry an interval holding 1.
  // Cells of two engines never shared a round (unless one is the bridge, sampled in all): their ratio is chained through the bridge, and says so.
  const engineOf = new Map(results.cells.map((c) => [c.cellId, c.engine]));
  const paired = (a: string, b: string) => engineOf.get(a) === engineOf.get(b) || [a, b].includes(results.timing.staged!.bridge!);
  for (const comparison of results.comparisons) {
    const fastest = comparison.ranking[0]!.key;
    for (const r of comparison.ranking.slice(1)) expect(r.vsFastest!.bridged === true, r.key).toBe(!paired(r.key, fastest));
    const completed = results.cells.filter((c) => c.state === 'completed').map((c) => c.cellId);
    expect(comparison.ranking.map((r) => r.key).sort()).toEqual([...completed].sort());
    expect(comparison.ranking[0]!.rank).toBe(1);
    for (const r of comparison.ranking.slice(1)) {
      expect(r.vsFastest!.low).toBeLessThanOrEqual(r.vsFastest!.ratio);
      if (r.vsFastest!.verdict === 'indistinguishable') expect(r.vsFastest!.low).toBeLessThanOrEqual(1);
    }
  }
  const stages = results.timing.staged!.stages;
  expect(results.timing).toMatchObject({ protocol: 'interleaved-rounds', rounds: results.rules.rounds * stages, staged: { bridge: '0:ort-wasm:fp32', roundsPerStage: results.rules.rounds } });
  // One stage per engine that opened a cell (WebNN opens none here).
  expect(stages).toBe(new Set(results.cells.filter((c) => c.state === 'completed').map((c) => c.engine)).size);
  // The bundle choice is recorded: the plain wasm build for ORT wasm, the native WebGPU build for ORT WebGPU.
  expect(results.cells.find((c) => c.engine === 'ort-wasm')!.runtime?.wasmFile).toBe('ort-wasm-simd-threaded.wasm');
  expect(results.cells.find((c) => c.engine === 'ort-webgpu')!.runtime?.wasmFile).toBe('ort-wasm-simd-threaded.asyncify.wasm');
  // WebNN is either really there or says why not.
  const webnn = results.cells.find((c) => c.engine === 'ort-webnn')!;
  if (webnn.state === 'unavailable') expect(webnn.reason).toMatch(/WebNN/);
  else expect(webnn.state).toBe('completed');
  // The page shows the run too: on a 1280×720 window, the findings of all 14 cells and the Run button share the screen.
  expect(page.viewportSize()).toEqual({ width: 1280, height: 720 });
  await expect(page.getByTestId('findings')).toBeVisible();
  await expect.poll(() => findingsOnFirstScreen(page)).toEqual([]);
  // Every runtime, wasm and model file came from the app's own origin.
  expect(requests.urls.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(requests.foreign(new URL(baseURL!).origin)).toEqual([]);
});

test('the UI runs a plan and shows the table and charts', async ({ page }) => {
  // Two engines keep this short; the API test above covers all of them.
  await runTwoCpuEnginesInUi(page);
  const table = page.getByTestId('results-table');
  const rows = table.locator('tr[data-state="completed"]');
  await expect(rows).toHaveCount(4); // 2 engines × 2 batch sizes
  // The table shows the figures of the downloaded results document, not just something.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const results = JSON.parse(readFileSync(await download.path(), 'utf8')) as ResultsDocument;
  const expected = results.cells.flatMap((c) => (c.state === 'completed' ? c.batches.map((b) => formatMs(b.stats.p50)) : []));
  const p50Texts = await rows.locator('td:nth-child(8)').allTextContents();
  expect(p50Texts.map((t) => t.replace(/\s*⚠.*$/s, '').replace(/×\d+ calls per sample$/, '').trim())).toEqual(expected);
  const ranks = await table.getByTestId('rank-value').allTextContents();
  const expectedRanks = results.cells.flatMap((c) =>
    c.state === 'completed' ? c.batches.map((b) => results.comparisons.find((x) => x.batchSize === b.batchSize)!.ranking.find((r) => r.key === c.cellId)!.rank) : [],
  );
  expect(ranks.map((r) => Number(/^\d+/.exec(r)?.[0]))).toEqual(expectedRanks);
  // The quick plan's order, engine by engine, is the one that ran, and the disclosure says how (ORT wasm bridges the two stages).
  await expect(page.getByTestId('stages-select')).toHaveValue('per-engine');
  expect(results.timing.staged).toEqual({ stages: 2, roundsPerStage: results.rules.rounds, bridge: '0:ort-wasm:fp32' });
  await expect(page.getByTestId('timing-verdict')).toContainText('Staged by engine: 2 stage(s) of 6 rounds');
  await page.getByTestId('stages-select').selectOption('one');
  await expect(page.locator('#stages-note')).toContainText('Order, all in every round');
  // Dots on a log axis (bars there would have no zero): 2 cells × P50 ●, P95 ■, P99 ▲.
  await expect(page.getByTestId('latency-chart-1').locator('.recharts-line-dots').locator('circle, rect, polygon')).toHaveCount(6);
  await expect(page.getByTestId('micro-batch-chart').locator('.recharts-line')).toHaveCount(4); // 2 cells × (latency, rows/s)
});
