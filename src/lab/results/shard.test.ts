import { describe, expect, it } from 'vitest';
import fixture from './fixtures/results-chromium.json';
import { parseResultsDocument } from './results-file';
import { parseShard, resultsInFullPlan, shardIndices, shardOf, shardPlan } from './shard';
import { parsePlan } from '../runner/plan';

const PLAN = parsePlan({
  schemaVersion: 1,
  modelId: 'cps-wage',
  cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-cpu' }, { engine: 'tfjs-wasm' }, { engine: 'ort-webnn' }, { engine: 'ort-wasm', precision: 'int8' }],
  batchSizes: [1],
});

describe('parseShard', () => {
  it('reads i/n and refuses anything else, naming the value', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2']) expect(() => parseShard(bad)).toThrow(`--shard "${bad}" is not a shard: expected i/n with 1 ≤ i ≤ n, e.g. 1/2`);
  });
});

describe('shardIndices', () => {
  it('deals cells round robin, so every cell lands in exactly one shard', () => {
    expect(shardIndices(5, { index: 1, count: 2 })).toEqual([0, 2, 4]);
    expect(shardIndices(5, { index: 2, count: 2 })).toEqual([1, 3]);
    expect(shardIndices(2, { index: 3, count: 3 })).toEqual([]);
    for (const count of [1, 2, 3, 7]) {
      const all = Array.from({ length: count }, (_, i) => shardIndices(11, { index: i + 1, count })).flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 11 }, (_, i) => i));
    }
    expect(shardOf(4, 2)).toBe(1);
  });
});

describe('shardPlan and resultsInFullPlan', () => {
  it('runs a sub-plan and gives its cells back their full-plan ids', () => {
    const { plan, info } = shardPlan(PLAN, { index: 2, count: 2 });
    expect(plan.cells.map((c) => c.engine)).toEqual(['tfjs-cpu', 'ort-webnn']);
    expect(info).toEqual({ index: 2, count: 2, cells: [1, 3] });
    // The fixture ran 0:ort-wasm and 1:ort-webnn: shard 2/2 of a plan that has them at 1 and 3.
    const doc = parseResultsDocument(fixture);
    const full4 = parsePlan({ ...PLAN, cells: [{ engine: 'tfjs-cpu' }, { engine: 'ort-wasm' }, { engine: 'tfjs-wasm' }, { engine: 'ort-webnn' }] });
    const shard = shardPlan(full4, { index: 2, count: 2 });
    expect(shard.plan.cells.map((c) => c.engine)).toEqual(doc.cells.map((c) => c.engine));
    const full = resultsInFullPlan(doc, full4, shard.info);
    expect(full.plan).toBe(full4);
    expect(full.cells.map((c) => c.cellId)).toEqual(['1:ort-wasm:fp32', '3:ort-webnn:fp32']);
    expect(full.comparisons.flatMap((c) => c.ranking.map((r) => r.key))).toEqual(doc.comparisons.flatMap((c) => c.ranking.map((r) => r.key.replace(/^0:/, '1:'))));
    expect(full.comparisons.flatMap((c) => c.ranking).length).toBeGreaterThan(0);
  });
});
