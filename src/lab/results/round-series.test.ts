import { describe, expect, it } from 'vitest';
import { makeResults } from './fixtures/make-results';
import { roundBridge } from './round-series';
import { formatRatio, measuredBatch, timeRatio } from './time-ratio';
import type { CellResult } from './results';

/** The cell as a staged run records it: sampled in rounds `ids` of the run. */
function staged(cell: CellResult, ids: number[]): CellResult {
  if (cell.state !== 'completed') throw new Error('expected a completed cell');
  return { ...cell, batches: cell.batches.map((b) => ({ ...b, roundIds: ids })) };
}

describe('roundBridge', () => {
  const doc = makeResults([
    { engine: 'ort-wasm', precision: 'fp32', rounds: { 1: [[1], [1], [1], [2], [2], [2]] } },
    { engine: 'ort-wasm', precision: 'int8', rounds: { 1: [[0.8], [0.8], [0.8]] } },
    { engine: 'tfjs-cpu', precision: 'fp32', rounds: { 1: [[4], [4], [4]] } },
  ]);
  const [bridge, int8, tfjs] = doc.cells as [CellResult, CellResult, CellResult];

  it('is none in a one-stage run (every cell shares every round)', () => {
    expect(roundBridge(doc.cells, 1)).toBeUndefined();
  });

  it('is the cell sampled in every round of a staged run; none when it did not complete', () => {
    const cells = [staged(bridge, [0, 1, 2, 3, 4, 5]), staged(int8, [0, 1, 2]), staged(tfjs, [3, 4, 5])];
    expect(roundBridge(cells, 1)?.roundIds).toEqual([0, 1, 2, 3, 4, 5]);
    expect(roundBridge(cells.slice(1), 1)).toBeUndefined();
  });

  it('lets timeRatio pair two stages through the bridge, and fall back to the unpaired bootstrap when there is none', () => {
    const cells = [staged(bridge, [0, 1, 2, 3, 4, 5]), staged(int8, [0, 1, 2]), staged(tfjs, [3, 4, 5])];
    const full = { ...doc, cells };
    const at = (d: typeof doc, c: CellResult) => (c.state === 'completed' ? measuredBatch(d, c, c.batches[0]!) : null)!;
    const through = timeRatio(at(full, cells[2]!), at(full, cells[1]!));
    expect(through.method).toBe('bridged-rounds');
    // tfjs is 2× the bridge on its (slower) host, int8 0.8×: 2.5×, not 4 / 0.8 = 5×.
    expect(through.ratio).toBeCloseTo(2.5, 10);
    // Wherever it is printed (the recommendation's ties and losers, the card, the report), it says how it was paired.
    expect(formatRatio(through)).toBe('2.50× (2.50–2.50, via the bridge cell)');
    const cut = { ...doc, cells: cells.slice(1) };
    expect(timeRatio(at(cut, cells[2]!), at(cut, cells[1]!)).method).toBe('bootstrap-medians');
  });

  it('never pairs the rounds of two shards of a merge: they ran in separate pages', () => {
    const at = (d: typeof doc, c: CellResult) => (c.state === 'completed' ? measuredBatch(d, c, c.batches[0]!) : null)!;
    expect(timeRatio(at(doc, int8), at(doc, bridge)).method).toBe('paired-rounds');
    const merged = { ...doc, origin: { ...doc.origin!, mergedShards: { count: 2, present: [1, 2], missingCells: [] } } };
    expect(timeRatio(at(merged, int8), at(merged, bridge)).method).toBe('bootstrap-medians');
    // Cells 0 and 2 are both shard 1: still paired.
    expect(timeRatio(at(merged, tfjs), at(merged, bridge)).method).toBe('paired-rounds');
  });
});
