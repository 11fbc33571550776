import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k_cps_features, k_cps_label, k_cps_slices } from '../../../../scripts/user-models/cps-table';
import { guessCsvMapping, parseCsv } from './tabular-data';

const cps = parseCsv(readFileSync(resolve(import.meta.dirname, '../../../../fixtures/user-models/cps-rows.csv'), 'utf8'), 'cps-rows.csv');

describe('guessCsvMapping', () => {
  it("maps the fixture's columns as its model needs: 8 numeric features, the 0/1 outcome as label, the text groups as slices", () => {
    expect(guessCsvMapping(cps, [{ shape: ['N', 8] }])).toEqual({ features: [...k_cps_features], label: k_cps_label, slices: [...k_cps_slices] });
  });

  it('takes every numeric column but the label when the model does not say its width, and a column named like a label first', () => {
    const table = parseCsv('a,b,target,group\n1,2.5,0,x\n3,4,1,y\n5,6,2,x\n', 't.csv');
    expect(guessCsvMapping(table, null)).toEqual({ features: ['a', 'b'], label: 'target', slices: ['group'] });
  });

  it('leaves the features to the user, input by input, for a model with several inputs', () => {
    expect(guessCsvMapping(cps, [{ shape: ['N', 4] }, { shape: ['N', 4] }]).features).toEqual({});
  });
});
