import { describe, expect, it } from 'vitest';
import { fidelityReport, makeResults, unavailableCell } from './fixtures/make-results';
import type { CellSpec } from './fixtures/make-results';
import { recommend, sameRecommendation } from './recommendation';
import { parseRecommendationNeeds } from './recommendation-needs';
import type { RecommendationNeedsInput } from './recommendation-needs';
import { galleryData } from '../gallery/gallery-rows';
import { parseBudget } from './budget';
import { compareRuns } from './compare-runs';
import { recommendationCard } from './recommendation-card';
import { evaluateChecks } from './checks';
import type { ResultsDocument } from './results';
import { parseResultsDocument } from './results-file';

/** Four rounds of five samples around `ms`, each round shifted by the host's drift (the same drift for every cell, as interleaving gives). */
const DRIFT = [1, 1.3, 0.9, 1.1];
function rounds(ms: number, jitter = [0.98, 1, 1.01, 0.99, 1.02]): number[][] {
  return DRIFT.map((d) => jitter.map((j) => ms * d * j));
}

const needs = (over: Partial<RecommendationNeedsInput> = {}) =>
  parseRecommendationNeeds({
    objective: { kind: 'latency', percentile: 'p95', maxMs: 10, batchSize: 1 },
    drift: {},
    pricePerHour: { cpu: 0.1, gpu: 1 },
    ...over,
  });

const fast: CellSpec = { engine: 'ort-wasm', rounds: { 1: rounds(2) } };
const slow: CellSpec = { engine: 'tfjs-cpu', rounds: { 1: rounds(20) } };

describe('recommend', () => {
  it('names the one cell that meets the SLO, and why the other lost, by how much', () => {
    const r = recommend([makeResults([fast, slow])], needs());
    expect(r.status).toBe('recommended');
    expect(r.best).toMatchObject({ label: 'ORT wasm · batch 1', key: 'ort-wasm:fp32:onnx:t1@b1', hardware: 'cpu', pricePerHour: 0.1 });
    expect(r.ties).toEqual([]);
    expect(r.runnersUp).toHaveLength(1);
    expect(r.runnersUp[0]).toMatchObject({ label: 'TF.js CPU · batch 1', lost: 'too-slow' });
    expect(r.runnersUp[0]!.why).toMatch(/^too slow: P95 2\d\.\d ms > 10\.0 ms at batch 1$/);
    // Throughput at the median (2 ms per row … with drift): cost = $0.10/h × 1e6 rows / throughput.
    const best = r.best!;
    expect(best.costPerMillion).toBeCloseTo((0.1 / 3600) * (1e6 / best.throughputPerSec), 12);
    expect(r.headline).toMatch(/^ORT wasm · batch 1 on CPU: \$\S+ per 1M predictions \(P95 \S+ ms\), meeting P95 ≤ 10\.0 ms at batch 1, no drift budget\.$/);
  });

  it('says plainly when nothing qualifies, and lists every configuration with its reason', () => {
    const r = recommend([makeResults([fast, slow, unavailableCell('ort-webnn', 2, 'WebNN is not available in this browser')])], needs({ objective: { kind: 'latency', maxMs: 1, batchSize: 1 } }));
    expect(r.status).toBe('nothing-qualifies');
    expect(r.best).toBeNull();
    expect(r.headline).toBe('Nothing qualifies: none of the 3 configuration(s) measured meets P95 ≤ 1.00 ms at batch 1, no drift budget. See why each lost below.');
    expect(r.runnersUp.map((x) => [x.label, x.lost])).toEqual([
      ['ORT wasm · batch 1', 'too-slow'],
      ['TF.js CPU · batch 1', 'too-slow'],
      ['ORT WebNN', 'unavailable'],
    ]);
    expect(r.runnersUp[2]!.why).toBe('unavailable here: WebNN is not available in this browser');
  });

  it('passes over a fast cell outside the drift budget in one slice, naming the slice and by how much', () => {
    const drifting: CellSpec = {
      engine: 'ort-wasm',
      precision: 'int8',
      rounds: { 1: rounds(1) },
      fidelity: fidelityReport([{ slice: 'ethnicity=afam', n: 40, flipRate: 0.05 }, { slice: 'ethnicity=cauc', n: 460, flipRate: 0.002 }], { flipRate: 0.006 }),
    };
    const faithful: CellSpec = { engine: 'tfjs-wasm', rounds: { 1: rounds(4) }, fidelity: fidelityReport([{ slice: 'ethnicity=afam', n: 40 }, { slice: 'ethnicity=cauc', n: 460 }]) };
    const r = recommend([makeResults([drifting, faithful])], needs({ drift: { maxFlipRate: 0.01 } }));
    expect(r.best?.label).toBe('TF.js wasm · batch 1');
    expect(r.runnersUp).toHaveLength(1);
    expect(r.runnersUp[0]).toMatchObject({ label: 'ORT wasm INT8 · batch 1', lost: 'outside-drift-budget' });
    expect(r.runnersUp[0]!.why).toBe(
      'outside the drift budget: flip rate in slice "ethnicity=afam" (40 rows) 5.00% > limit 1.00%: 2 of 40 rows flipped (over by 4.00%)',
    );
    expect(r.headline).toContain('flip rate ≤ 1.00% in every slice');
  });

  it('never assumes an unmeasured drift is small', () => {
    const r = recommend([makeResults([fast])], needs({ drift: { maxAccuracyDrop: 0.01 } }));
    expect(r.status).toBe('nothing-qualifies');
    expect(r.runnersUp[0]).toMatchObject({ lost: 'drift-not-measured', why: 'drift not measured (no fidelity pass on this cell), so the drift budget cannot be shown to hold' });
    const old = { ...fast, fidelity: fidelityReport([], { accuracyDrop: undefined as unknown as null }) };
    const r2 = recommend([makeResults([old])], needs({ drift: { maxAccuracyDrop: 0.01, maxTruePositiveRateGap: 0.1 } }));
    expect(r2.runnersUp[0]!.why).toBe('drift budget not measurable from this result: accuracy-drop, tpr-gap not measured');
  });

  it('treats cells that measurement cannot tell apart as ties, not ranks, and ranks a distinguishably costlier one after them', () => {
    // Same drift every round; per-round ratios 1.01, 0.99, 1.02, 0.98: the interval holds 1.
    const a: CellSpec = { engine: 'ort-wasm', rounds: { 1: DRIFT.map((d) => [2 * d, 2 * d, 2 * d]) } };
    const b: CellSpec = { engine: 'tfjs-wasm', rounds: { 1: DRIFT.map((d, i) => [2 * d * [1.01, 0.99, 1.02, 0.98][i]!, 2 * d * [1.01, 0.99, 1.02, 0.98][i]!, 2 * d * [1.01, 0.99, 1.02, 0.98][i]!]) } };
    const c: CellSpec = { engine: 'tfjs-cpu', rounds: { 1: rounds(3) } };
    const r = recommend([makeResults([a, b, c])], needs());
    expect(r.status).toBe('recommended');
    expect([r.best!.label, ...r.ties.map((t) => t.label)].sort()).toEqual(['ORT wasm · batch 1', 'TF.js wasm · batch 1']);
    expect(r.ties[0]!.vsBest).toMatchObject({ verdict: 'tie', method: 'paired-rounds' });
    expect(r.ties[0]!.vsBest!.low).toBeLessThan(1);
    expect(r.ties[0]!.vsBest!.high).toBeGreaterThan(1);
    expect(r.headline).toMatch(/indistinguishable in cost from (ORT|TF\.js) wasm · batch 1 \(\d\.\d\d× \(0\.\d\d–1\.\d\d\)\), so these tie\.$/);
    expect(r.runnersUp[0]).toMatchObject({ label: 'TF.js CPU · batch 1', lost: 'costlier' });
    expect(r.runnersUp[0]!.vsBest!.low).toBeGreaterThan(1.4);
    expect(r.runnersUp[0]!.why).toMatch(/^costs 1\.5\d× \(1\.\d\d–1\.\d\d\) as much per 1M predictions \(\$\S+\)$/);
  });

  it('prices each kind of hardware at its own rate: a faster GPU loses to a cheaper CPU, a software GPU is priced as the CPU and says so', () => {
    const gpu: CellSpec = { engine: 'ort-webgpu', rounds: { 1: rounds(1) } };
    const cpu: CellSpec = { engine: 'ort-wasm', rounds: { 1: rounds(2) } };
    const realGpu = (d: ReturnType<typeof makeResults>['device']) => ({ ...d, webgpu: { status: 'available' as const, notes: [], detail: { ...(d.webgpu.status === 'available' ? d.webgpu.detail : ({} as never)), isFallbackAdapter: false, software: false } } });
    const onRealGpu = makeResults([gpu, cpu], { device: realGpu });
    const r = recommend([onRealGpu], needs({ pricePerHour: { cpu: 0.1, gpu: 1 } }));
    expect(r.best).toMatchObject({ label: 'ORT wasm · batch 1', hardware: 'cpu' });
    expect(r.runnersUp[0]).toMatchObject({ label: 'ORT WebGPU · batch 1', lost: 'costlier' });
    // The recorded device's WebGPU is SwiftShader: priced as the CPU, so the faster one wins.
    const soft = recommend([makeResults([gpu, cpu])], needs({ pricePerHour: { cpu: 0.1, gpu: 1 } }));
    expect(soft.best).toMatchObject({ label: 'ORT WebGPU · batch 1', hardware: 'cpu' });
    expect(soft.best?.hardwareNote).toContain('software adapter');
    expect(soft.notes[0]).toBe('ORT WebGPU: WebGPU here is a software adapter that runs on the CPU, so it is priced as the CPU.');
  });

  it('meets a throughput target at whichever batch size does it cheapest, and compares devices by a bootstrap of medians', () => {
    const cell: CellSpec = { engine: 'ort-wasm', rounds: { 1: rounds(1), 16: rounds(4) } };
    const laptop = makeResults([cell]);
    const phone = makeResults([{ engine: 'ort-wasm', rounds: { 1: rounds(5), 16: rounds(40) } }], {
      createdAt: '2026-12-03T00:00:00.000Z',
      device: (d) => ({ ...d, probedAt: '2026-12-03T00:00:00.000Z', browser: { ...d.browser, name: 'Firefox', version: '153.0' } }),
    });
    const r = recommend([laptop, phone], needs({ objective: { kind: 'throughput', minRowsPerSec: 300 } }));
    expect(r.best).toMatchObject({ label: 'ORT wasm · batch 16', device: 'Chromium 156 · Linux · 2 cores' });
    const phoneB16 = [...r.ties, ...r.runnersUp].find((x) => x.device.startsWith('Firefox') && x.batchSize === 16);
    expect(phoneB16).toMatchObject({ lost: 'costlier', vsBest: { method: 'bootstrap-medians' } });
    expect(r.runnersUp.find((x) => x.device.startsWith('Firefox') && x.batchSize === 1)).toMatchObject({ lost: 'too-slow' });
    expect(r.headline).toContain('on Chromium 156 · Linux · 2 cores');
  });

  it('is plain JSON, travels in a results file, and compares with a baseline by tie groups', () => {
    const doc = makeResults([fast, slow]);
    const r = recommend([doc], needs());
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const saved = parseResultsDocument(JSON.parse(JSON.stringify({ ...doc, recommendation: r })));
    expect(saved.recommendation).toEqual(r);
    expect(sameRecommendation(r, r)).toBe(true);
    const other = recommend([makeResults([{ ...slow, rounds: { 1: rounds(1) } }, fast])], needs());
    expect(other.best?.label).toBe('TF.js CPU · batch 1');
    expect(sameRecommendation(r, other)).toBe(false);
    const none = recommend([doc], needs({ objective: { kind: 'latency', maxMs: 0.1, batchSize: 1 } }));
    expect(sameRecommendation(none, none)).toBe(true);
    expect(sameRecommendation(r, none)).toBe(false);
  });
});

describe('the budget\'s recommendation check', () => {
  const budget = (failWhenChanged?: boolean) =>
    parseBudget({
      schemaVersion: 1,
      recommendation: { objective: { kind: 'latency', maxMs: 10, batchSize: 1 }, pricePerHour: { cpu: 0.1, gpu: 1 }, ...(failWhenChanged === undefined ? {} : { failWhenChanged }) },
    });
  const check = (doc: ResultsDocument, b: ReturnType<typeof budget>, baseline?: ResultsDocument) => evaluateChecks(doc, b, baseline).find((c) => c.metric === 'recommendation');

  it('states the recommendation, passes when the baseline recommends the same, fails a CI run when it differs', () => {
    const run = makeResults([fast, slow]);
    expect(check(run, budget())).toMatchObject({ status: 'pass', message: expect.stringMatching(/^ORT wasm · batch 1 on CPU/) as unknown });
    expect(check(run, budget(), run)).toMatchObject({ status: 'pass' });
    const flipped = makeResults([{ ...slow, rounds: { 1: rounds(1) } }, fast]);
    const changed = check(run, budget(), flipped);
    expect(changed?.status).toBe('fail');
    expect(changed?.message).toMatch(/^the recommendation changed: the baseline's was TF\.js CPU · batch 1, this run's is ORT wasm · batch 1\. /);
    expect(check(run, budget(false), flipped)?.status).toBe('skip');
    expect(check(run, parseBudget({ schemaVersion: 1 }))).toBeUndefined();
  });
});

describe('a loosened tolerance', () => {
  it('travels with the configuration into the card, the comparison and the gallery', () => {
    const doc = makeResults([fast, slow]);
    const cell = doc.cells[0]!;
    if (cell.state !== 'completed') throw new Error('completed');
    cell.tolerance = { applied: 1e9, manifest: 1e-4, source: 'plan-looser' };
    const card = recommendationCard(recommend([doc], needs()));
    expect(card.rows[0]?.why).toBe('CPU at $0.10/h · ⚠ custom tolerance 1.0e+9 (manifest 1.0e-4)');
    expect(card.rows[1]?.why).not.toContain('custom tolerance');
    expect(compareRuns([doc, { ...doc, createdAt: 'later' }]).rows[0]?.byRun[1]?.toleranceLabel).toBe('custom tolerance 1.0e+9 (manifest 1.0e-4)');
    expect(galleryData([{ file: 'a.json', doc }]).rows[0]?.note).toBe('custom tolerance 1.0e+9 (manifest 1.0e-4)');
  });
});

describe('free hardware', () => {
  it('makes every configuration on it cost nothing: they tie; one on priced hardware simply costs more', () => {
    const r = recommend([makeResults([fast, slow, { engine: 'tfjs-wasm', rounds: { 1: rounds(2) } }])], needs({ objective: { kind: 'latency', maxMs: 100, batchSize: 1 }, pricePerHour: { cpu: 0, gpu: 1 } }));
    expect(r.best?.costPerMillion).toBe(0);
    expect(r.ties).toHaveLength(2);
    expect(r.ties.every((t) => t.vsBest?.verdict === 'tie')).toBe(true);
    const realGpu = makeResults([fast, { engine: 'ort-webgpu', rounds: { 1: rounds(1) } }], {
      device: (d) => ({ ...d, webgpu: { status: 'available', notes: [], detail: { ...(d.webgpu.status === 'available' ? d.webgpu.detail : ({} as never)), software: false } } }),
    });
    const priced = recommend([realGpu], needs({ pricePerHour: { cpu: 0, gpu: 1 } }));
    expect(priced.best?.label).toBe('ORT wasm · batch 1');
    expect(priced.runnersUp[0]).toMatchObject({ label: 'ORT WebGPU · batch 1', lost: 'costlier' });
    expect(priced.runnersUp[0]!.why).toMatch(/^costs \$\S+ per 1M predictions where the recommended one costs nothing \(its hardware is priced at \$0\/h\)$/);
    expect(priced.runnersUp[0]!.vsBest).toBeUndefined();
  });
});
