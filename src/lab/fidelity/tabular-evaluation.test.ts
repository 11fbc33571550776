import { describe, expect, it } from 'vitest';
import { chooseAttributionRows, gatherRows, parseTabularEvaluation } from './tabular-evaluation';

describe('tabular evaluation data', () => {
  it('flattens rows to float32 and checks lengths', () => {
    const data = parseTabularEvaluation({ features: [[1, 2], [3, 4.1]], labels: [0, 1], slices: { sex: ['f', 'm'] } });
    expect(data.rows).toBe(2);
    expect([...data.features]).toEqual([1, 2, 3, Math.fround(4.1)]);
    expect(() => parseTabularEvaluation({ features: [[1], [2]], labels: [0], slices: {} })).toThrow('1 labels for 2 rows');
    expect(() => parseTabularEvaluation({ features: [[1]], labels: [0], slices: { sex: [] } })).toThrow('slice "sex"');
  });

  it('picks the same disjoint rows for the same seed', () => {
    const a = chooseAttributionRows(100, 5, 3, 7);
    expect(chooseAttributionRows(100, 5, 3, 7)).toEqual(a);
    expect(a.explained).toHaveLength(5);
    expect(a.background).toHaveLength(3);
    expect(a.explained.filter((r) => a.background.includes(r))).toEqual([]);
    expect(chooseAttributionRows(100, 5, 3, 8)).not.toEqual(a);
    expect(() => chooseAttributionRows(4, 3, 2, 1)).toThrow(RangeError);
  });

  it('gathers rows', () => {
    expect([...gatherRows(Float32Array.of(1, 2, 3, 4, 5, 6), 2, [2, 0])]).toEqual([5, 6, 1, 2]);
  });
});
