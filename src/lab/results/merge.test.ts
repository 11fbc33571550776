import { describe, expect, it } from 'vitest';
import fixture from './fixtures/results-chromium.json';
import { admitRuns } from './compare-runs';
import { MergeError, mergeResults, runLabel } from './merge';
import type { ResultsDocument } from './results';
import { parseResultsDocument } from './results-file';
import type { RunOrigin } from './run-origin';
import { resultsInFullPlan, shardPlan } from './shard';
import { parsePlan } from '../runner/plan';

const base = parseResultsDocument(fixture);

function origin(label: string, family: RunOrigin['browser']['family'] = 'chromium'): RunOrigin {
  return { label, browser: { family, name: label, version: '1', driver: 'test' }, network: 'test', notes: [] };
}

function run(label: string, family?: RunOrigin['browser']['family']): ResultsDocument {
  return { ...structuredClone(base), origin: origin(label, family) };
}

/** The fixture's plan is [ort-wasm, ort-webnn]; as shards of 2, shard 1 holds cell 0 and shard 2 cell 1. */
function shards(label: string): ResultsDocument[] {
  return [1, 2].map((index) => {
    const { plan, info } = shardPlan(base.plan, { index, count: 2 });
    const doc = { ...structuredClone(base), plan, cells: base.cells.filter((_, i) => info.cells.includes(i)).map((c) => ({ ...c, cellId: c.cellId.replace(/^\d+:/, '0:') })), origin: { ...origin(label), shard: info } };
    return resultsInFullPlan(doc, base.plan, info);
  });
}

describe('mergeResults', () => {
  it('joins shards of one run back into the unsharded cell set, in plan order', () => {
    const [one, two] = shards('chromium');
    const { runs } = mergeResults([
      { source: 'b.json', results: two! },
      { source: 'a.json', results: one! },
    ]);
    expect(runs).toHaveLength(1);
    const merged = runs[0]!.results;
    expect(merged.cells.map((c) => [c.cellId, c.state])).toEqual(base.cells.map((c) => [c.cellId, c.state]));
    expect(merged.origin?.mergedShards).toEqual({ count: 2, present: [1, 2], missingCells: [] });
    expect(merged.origin?.shard).toBeUndefined();
    expect(merged.status).toBe('complete');
    // Cells of different shards were not interleaved: nothing is ranked across them.
    expect(merged.comparisons).toEqual([]);
    expect(merged.timing.note).toMatch(/not ranked against each other/);
    // The joined document is a valid results file again.
    expect(parseResultsDocument(JSON.parse(JSON.stringify(merged))).cells).toHaveLength(2);
  });

  it('marks the cells of a missing shard aborted, naming the shard, so the merge fails the build instead of passing it', () => {
    const [one] = shards('chromium');
    const merged = mergeResults([{ source: 'a.json', results: one! }]).runs[0]!.results;
    expect(merged.cells.map((c) => c.state)).toEqual(['completed', 'aborted']);
    const missing = merged.cells[1]!;
    expect(missing.state === 'aborted' && missing.reason).toBe('not measured: shard 2/2 of "chromium" is not among the merged files');
    expect(merged.status).toBe('cancelled');
    expect(merged.origin?.mergedShards?.missingCells).toEqual([1]);
  });

  it('puts three browsers side by side: one row per cell and batch size, one column per browser', () => {
    const webkit = run('webkit', 'webkit');
    webkit.cells[0] = { ...webkit.cells[0]!, state: 'unavailable', reason: 'no wasm here' };
    const { runs, comparison } = mergeResults([
      { source: 'c.json', results: run('chromium') },
      { source: 'f.json', results: run('firefox', 'firefox') },
      { source: 'w.json', results: webkit },
    ]);
    expect(runs.map((r) => r.label)).toEqual(['chromium', 'firefox', 'webkit']);
    expect(comparison.labels).toEqual(['chromium', 'firefox', 'webkit']);
    expect(comparison.rows.map((r) => [r.key, r.batchSize])).toEqual(base.plan.batchSizes.flatMap((b) => [['ort-wasm:fp32', b]]).concat(base.plan.batchSizes.map((b) => ['ort-webnn:fp32', b])));
    const wasm = comparison.rows[0]!;
    expect(wasm.entries.chromium?.state).toBe('completed');
    expect(wasm.entries.webkit).toEqual({ state: 'unavailable', cellId: '0:ort-wasm:fp32', reason: 'no wasm here' });
    const chromiumCell = base.cells[0]!;
    if (chromiumCell.state !== 'completed') throw new Error('fixture cell 0 completed');
    expect(wasm.entries.chromium).toMatchObject({ p50: chromiumCell.batches[0]!.stats.p50 });
    // The merged file carries every run in full, so the page's compare view and the gallery read it as it is.
    expect(comparison.runs.map((r) => runLabel(r))).toEqual(['chromium', 'firefox', 'webkit']);
    const { admitted, refused } = admitRuns(null, [{ name: 'merged.json', json: JSON.parse(JSON.stringify(comparison)) as unknown }]);
    expect(refused).toEqual([]);
    expect(admitted.map((a) => a.name)).toEqual(['merged.json [1]', 'merged.json [2]', 'merged.json [3]']);
  });

  it('refuses what cannot be one comparison, naming the files', () => {
    const other = { ...run('firefox'), model: { ...base.model, id: 'fashion-mnist-cnn' } };
    expect(() => mergeResults([{ source: 'a.json', results: run('chromium') }, { source: 'b.json', results: other }])).toThrow(
      'b.json is a run of "fashion-mnist-cnn" and a.json of "cps-wage": merge runs of one model',
    );
    expect(() => mergeResults([{ source: 'a.json', results: run('chromium') }, { source: 'b.json', results: run('chromium') }])).toThrow(MergeError);
    expect(() => mergeResults([{ source: 'a.json', results: run('chromium') }, { source: 'b.json', results: run('chromium') }])).toThrow(/give each run its own --label/);
    const [one] = shards('chromium');
    expect(() => mergeResults([{ source: 'a.json', results: one! }, { source: 'b.json', results: structuredClone(one!) }])).toThrow('b.json and a.json are both shard 1/2 of "chromium"');
    const otherPlan = { ...structuredClone(shards('chromium')[1]!), plan: parsePlan({ ...base.plan, batchSizes: [4] }) };
    expect(() => mergeResults([{ source: 'a.json', results: one! }, { source: 'b.json', results: otherPlan }])).toThrow('b.json and a.json are shards of "chromium" with different plans');
    expect(() => mergeResults([])).toThrow(/nothing to merge/);
  });

  it("names a page's own download (no origin) by its browser", () => {
    expect(runLabel(base)).toBe('chromium');
    expect(runLabel({ ...base, device: { ...base.device, browser: { ...base.device.browser, name: 'WebKitGTK/WPE' } } })).toBe('webkitgtk-wpe');
  });
});
