import { describe, expect, it } from 'vitest';

import { checkRowIndices, rowIndices } from './row-indices';

describe('rowIndices', () => {
  it('lists 0..rows−1', () => {
    expect([...rowIndices(3)]).toEqual([0, 1, 2]);
    expect(rowIndices(0).length).toBe(0);
  });
});

describe('checkRowIndices', () => {
  it('accepts repeated in-range indices', () => {
    expect(() => checkRowIndices('t', Uint32Array.from([2, 2, 0]), 3)).not.toThrow();
  });

  it('rejects empty sets and indices out of range, naming the caller', () => {
    expect(() => checkRowIndices('summary', new Uint32Array(0), 3)).toThrow('summary: need at least one row');
    expect(() => checkRowIndices('summary', Uint32Array.of(3), 3)).toThrow('row index 3 is out of range [0, 2]');
  });
});
