import { describe, expect, it } from 'vitest';

import { allRowsSlice, groupBySlices, k_all_slice, k_missing_slice_value, sliceName } from './slices';

const columns = {
  ethnicity: ['cauc', 'afam', 'cauc', 'cauc', 'afam', 'cauc'],
  region: ['south', 'south', 'west', 'south', 'west', 'northeast'],
};

function summary(groups: ReturnType<typeof groupBySlices>): [string, number, number[]][] {
  return groups.map((g) => [g.slice, g.n, [...g.indices]]);
}

describe('sliceName', () => {
  it('joins parts with " & " and names the empty intersection "all"', () => {
    expect(sliceName([{ column: 'ethnicity', value: 'afam' }])).toBe('ethnicity=afam');
    expect(
      sliceName([
        { column: 'ethnicity', value: 'afam' },
        { column: 'region', value: 'south' },
      ]),
    ).toBe('ethnicity=afam & region=south');
    expect(sliceName([])).toBe(k_all_slice);
  });
});

describe('allRowsSlice', () => {
  it('holds every index once, ascending', () => {
    const all = allRowsSlice(4);
    expect(all.slice).toBe('all');
    expect(all.n).toBe(4);
    expect([...all.indices]).toEqual([0, 1, 2, 3]);
    expect(all.parts).toEqual([]);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => allRowsSlice(-1)).toThrow(RangeError);
    expect(() => allRowsSlice(1.5)).toThrow('got 1.5');
  });
});

describe('groupBySlices', () => {
  it('groups by one column, ordered by value, indices ascending', () => {
    expect(summary(groupBySlices(columns, ['ethnicity']))).toEqual([
      ['ethnicity=afam', 2, [1, 4]],
      ['ethnicity=cauc', 4, [0, 2, 3, 5]],
    ]);
  });

  it('groups by the intersection of two columns, only combinations that occur', () => {
    const groups = groupBySlices(columns, ['ethnicity', 'region']);
    expect(summary(groups)).toEqual([
      ['ethnicity=afam & region=south', 1, [1]],
      ['ethnicity=afam & region=west', 1, [4]],
      ['ethnicity=cauc & region=northeast', 1, [5]],
      ['ethnicity=cauc & region=south', 2, [0, 3]],
      ['ethnicity=cauc & region=west', 1, [2]],
    ]);
    expect(groups[0]?.parts).toEqual([
      { column: 'ethnicity', value: 'afam' },
      { column: 'region', value: 'south' },
    ]);
  });

  it('follows the order of the columns given', () => {
    expect(summary(groupBySlices(columns, ['region', 'ethnicity'])).map((g) => g[0])).toEqual([
      'region=northeast & ethnicity=cauc',
      'region=south & ethnicity=afam',
      'region=south & ethnicity=cauc',
      'region=west & ethnicity=afam',
      'region=west & ethnicity=cauc',
    ]);
  });

  it('drops nothing: missing values form their own slice, last, and counts add up', () => {
    const groups = groupBySlices({ smsa: ['yes', null, '', 'no', undefined, 'yes'] }, ['smsa']);
    expect(summary(groups)).toEqual([
      ['smsa=no', 1, [3]],
      ['smsa=yes', 2, [0, 5]],
      [`smsa=${k_missing_slice_value}`, 3, [1, 2, 4]],
    ]);
    expect(groups.reduce((n, g) => n + g.n, 0)).toBe(6);
  });

  it('groups numbers and booleans by their string form, in code-unit order', () => {
    // Code-unit order: "10" < "9"; the order is the same on every locale.
    expect(summary(groupBySlices({ c: [9, 10, 9, true] }, ['c']))).toEqual([
      ['c=10', 1, [1]],
      ['c=9', 2, [0, 2]],
      ['c=true', 1, [3]],
    ]);
  });

  it('gives no groups for zero rows', () => {
    expect(groupBySlices({ a: [] }, ['a'])).toEqual([]);
  });

  it('names unknown columns and lists the known ones', () => {
    expect(() => groupBySlices(columns, ['sex'])).toThrow(
      'unknown slice column "sex". Should be one of: "ethnicity", "region"',
    );
    expect(() => groupBySlices(columns, ['toString'])).toThrow('unknown slice column "toString"');
  });

  it('rejects no columns, repeated columns and ragged columns', () => {
    expect(() => groupBySlices(columns, [])).toThrow(RangeError);
    expect(() => groupBySlices(columns, ['region', 'region'])).toThrow('must differ');
    expect(() => groupBySlices({ a: [1, 2], b: [1] }, ['a', 'b'])).toThrow(
      'column "b" has 1 values, "a" has 2',
    );
  });
});
